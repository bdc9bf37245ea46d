"""Naming governance in the browser: the convention editor's live sample and impact count, the
decoder, and the audit of names seeded in the platform sandbox.

The live server's database is shared by the whole browser suite, so the campaign and ad set
conventions are edited here without saving (later tests name campaigns by the default); the
ad convention, which nothing else reads, is saved.
"""

import re
import time
import uuid

import requests
from playwright.sync_api import Page, expect

from .test_board_flows import make_board

AUDIT_TIMEOUT = 15.0


def test_the_editor_updates_the_sample_name_and_impact_live(
    page: Page, login, live_sql, screenshot
):
    login("admin")
    board = make_board(live_sql, platform="META")
    page.goto("/naming/")
    expect(page.get_by_role("heading", name="Naming conventions", level=1)).to_be_visible()
    page.get_by_role("button", name="Edit campaign convention").click()
    sample = page.locator("#sample-name")
    impact = page.locator("#impact")
    expect(sample).to_have_text(re.compile(r"^[A-Z0-9_]+_[A-Z0-9_]+_MULTI_2026_MoanaLaunch$"))
    expect(impact).to_contain_text("existing campaign name")
    expect(impact).to_contain_text("match this version")

    page.get_by_label("Separator").select_option("-")
    expect(sample).to_have_text(re.compile(r"-MULTI-2026-MoanaLaunch$"))
    # Every existing name uses "_": none would match the new version.
    (count,) = live_sql("SELECT count(*) FROM campaigns")[0]
    noun = "name" if count == 1 else "names"
    expect(impact).to_contain_text(f"{count} of {count} existing campaign {noun} would not match")
    page.get_by_label("Casing of segment 5").select_option("upper")
    expect(sample).to_have_text(re.compile(r"-MULTI-2026-MOANALAUNCH$"))
    page.get_by_label("Segment 3", exact=True).select_option("")
    expect(sample).to_have_text(re.compile(r"^[A-Z0-9_]+-[A-Z0-9_]+-2026-MOANALAUNCH$"))
    assert board.campaign_name  # the campaigns counted include the one made above
    screenshot(page, "naming-convention-editor")

    page.get_by_label("Segment 5", exact=True).select_option("")
    expect(page.locator("#sample-problem")).to_contain_text("needs a free-text segment")
    # Nothing was saved: the campaign convention is still the built-in version 1.
    page.goto("/naming/")
    expect(page.locator("#convention-campaign .current-version")).to_contain_text("v1")


def test_an_admin_saves_a_new_version_of_the_ad_convention(page: Page, login, screenshot):
    login("admin")
    page.goto("/naming/conventions/edit?level=ad")
    page.get_by_label("Segment 2", exact=True).select_option("channel")
    page.get_by_label("Segment 3", exact=True).select_option("month")
    expect(page.locator("#sample-name")).to_have_text(re.compile(r"_META_03_2026_MoanaLaunch$"))
    page.get_by_role("button", name=re.compile(r"Save as version \d+")).click()
    expect(page.locator(".flash-success")).to_contain_text("Ad convention version")
    current = page.locator("#convention-ad .current-version")
    expect(current).to_contain_text("BRAND_CHANNEL_MONTH_YEAR_TEXT")
    screenshot(page, "naming-conventions")


def test_the_decoder_answers_pasted_names_with_reasons(page: Page, login, live_sql, screenshot):
    login("viewer")
    board = make_board(live_sql, platform="META")
    brand, market = board.campaign_name.split("_")[:2]
    names = [
        board.campaign_name,
        board.platform_name,
        f"{brand.lower()}_{market}_META_2026_Summer Sale",
        f"{brand}_{market}_META_26_Spring",
        "Campaign copy (3)",
    ]
    page.goto("/naming/decoder")
    page.get_by_label("Names").fill("\n".join(names))
    page.get_by_role("button", name="Check names").click()
    expect(page.locator("#decoder-summary")).to_have_text("5 names: 2 valid, 3 not.")
    rows = page.locator("table.decoder-results tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("v1")
    expect(rows.nth(2)).to_contain_text(f"'{brand.lower()}' must be upper case: {brand}.")
    expect(rows.nth(2)).to_contain_text(f"{brand}_{market}_META_2026_SummerSale")
    expect(rows.nth(3)).to_contain_text("'26' is not a four-digit year")
    expect(rows.nth(4)).to_contain_text("is not a known brand code")
    screenshot(page, "naming-decoder")


def test_the_audit_lists_the_non_compliant_names_seeded_in_the_sandbox(
    page: Page, login, live_sql, live_sandbox, screenshot
):
    login("admin")
    board = make_board(live_sql, platform="META")
    odd = f"Spring promo {uuid.uuid4().hex[:6]} FINAL"
    response = requests.post(
        f"{live_sandbox}/_sandbox/seed",
        json={"platform": "meta", "kind": "campaigns", "names": [board.platform_name, odd]},
        timeout=5,
    )
    assert response.status_code == 201, response.text
    page.goto("/naming/audit")
    page.get_by_role("button", name="Run the audit now").click()
    expect(page.locator(".flash-success")).to_contain_text("Audit started")
    # The audit runs as a job; the page says when it has finished.
    deadline = time.monotonic() + AUDIT_TIMEOUT
    while "Last audit" not in page.locator("#audit-state").inner_text():
        assert time.monotonic() < deadline, "the audit did not finish"
        page.wait_for_timeout(250)
        page.reload()
    page.get_by_label("Show").select_option("invalid")
    page.get_by_role("button", name="Show", exact=True).click()
    table = page.locator("table.audit-results")
    expect(table).to_contain_text(odd)
    expect(table).not_to_contain_text(board.platform_name)
    row = table.locator("tr", has_text=odd)
    expect(row).to_contain_text("is not a known brand code")
    expect(row).to_contain_text("someone else")
    screenshot(page, "naming-audit")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    assert odd in download.value.path().read_text(encoding="utf-8-sig")
