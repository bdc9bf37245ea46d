"""Ads on a ticket in a browser: upload two creatives to the brand's library, open a Meta
ticket, add an ad, pick the image, type the copy and watch the preview follow, save, and see
the ad listed; the form and the list pass the axe-core audit, wide and at 390 px."""

import json
import uuid
from datetime import UTC, date, datetime

from playwright.sync_api import Page, expect

from tests.creatives.files import image_bytes, mp4_bytes
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_accessibility_flows import audit, audited, sign_in  # noqa: F401
from tests.e2e.test_creative_flows import drop_files

__all__ = ["audited"]


def make_meta_ticket(live_sql) -> dict:
    """A brand, a market, a campaign and a Draft CREATE_CAMPAIGN ticket on the META channel."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    suffix = uuid.uuid4().hex[:5].upper()
    brand_id, market_id, campaign_id, ticket_id = (uuid.uuid4() for _ in range(4))
    brand_name, brand_code, market_code = f"Ads Co {suffix}", f"AD{suffix}", f"M{suffix}"
    live_sql(
        "INSERT INTO brands (id, name, internal_code, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (brand_id.hex, brand_name, brand_code, now, now),
    )
    live_sql(
        "INSERT INTO markets (id, code, country, region, currency, time_zone, created_at,"
        " updated_at) VALUES (?, ?, 'US', 'NA', 'USD', 'America/New_York', ?, ?)",
        (market_id.hex, market_code, now, now),
    )
    found = live_sql("SELECT id FROM channels WHERE api_identifier = 'META'")
    if found:
        channel_id = found[0][0]
    else:
        channel_id = uuid.uuid4().hex
        live_sql(
            "INSERT INTO channels (id, platform_name, api_identifier, created_at, updated_at)"
            " VALUES (?, 'Meta', 'META', ?, ?)",
            (channel_id, now, now),
        )
    year = date.today().year
    name = f"{brand_code}_{market_code}_MULTI_{year}_SummerSail"
    live_sql(
        "INSERT INTO campaigns (id, name, campaign_name, brand_id, market_id, year, budget,"
        " status, created_at, updated_at)"
        " VALUES (?, ?, 'SummerSail', ?, ?, ?, 5000, 'ACTIVE', ?, ?)",
        (campaign_id.hex, name, brand_id.hex, market_id.hex, year, now, now),
    )
    settings = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "100.00",
        "flight_start": "2026-06-01",
        "landing_url": "https://example.com/summer",
        "initial_status": "PAUSED",
    }
    live_sql(
        "INSERT INTO tickets (id, campaign_id, channel_id, request_type, payload_config,"
        " status, version, status_changed_at, created_at, updated_at)"
        " VALUES (?, ?, ?, 'CREATE_CAMPAIGN', ?, 'DRAFT', 1, ?, ?, ?)",
        (ticket_id.hex, campaign_id.hex, channel_id, json.dumps(settings), now, now, now),
    )
    return {
        "brand_id": str(brand_id),
        "brand": brand_name,
        "ticket_id": str(ticket_id),
        "ad_name": f"{brand_code}_{market_code}_META_{year}_HeroImage",
    }


def test_add_an_ad_with_a_live_preview(audited: Page, live_sql, screenshot):
    page = audited
    sign_in(page, "trafficker")
    made = make_meta_ticket(live_sql)

    # Two creatives through the library page.
    page.goto(f"/creatives/brands/{made['brand_id']}")
    drop_files(
        page,
        ".drop-zone",
        {
            "feed-1200x628.png": (image_bytes(1200, 628), "image/png"),
            "story-1080x1920.mp4": (mp4_bytes(1080, 1920, 15, padding=200_000), "video/mp4"),
        },
    )
    page.get_by_role("button", name="Upload files", exact=True).click()
    expect(page.get_by_text("Uploaded 2 files")).to_be_visible()

    # The ticket: no ads yet; the form opens in the Ads section.
    page.goto(f"/tickets/{made['ticket_id']}")
    ads = page.locator("#ads")
    expect(ads).to_contain_text("No ads yet.")
    page.get_by_role("button", name="Add an ad").click()
    expect(page.get_by_role("heading", name="New ad")).to_be_visible()
    assert page.url.endswith(made["ticket_id"])  # htmx: still the ticket page

    page.get_by_label("Name", exact=True).fill("Hero Image")
    expect(page.locator("#ad-name-live")).to_contain_text(made["ad_name"])
    page.get_by_label("Meta Stories").check()
    page.get_by_label("feed-1200x628.png").check()
    preview = page.locator("#ad-preview")
    expect(preview.locator(".feed-card img")).to_be_visible()
    expect(preview).to_contain_text("A Meta Stories image must be 9:16; this one is 1.91:1.")
    expect(page.locator(".picker-item", has_text="feed-1200x628.png")).to_contain_text(
        "Meta Feed: fits"
    )

    page.get_by_label("Primary text").fill("Set sail this summer")
    expect(preview.locator(".feed-card .mock-primary")).to_have_text("Set sail this summer")
    expect(preview.locator(".vertical-frame .mock-caption").first).to_have_text(
        "Set sail this summer"
    )
    page.get_by_label("Headline").fill("Tickets on sale")
    page.get_by_label("Call to action").select_option("BUY_TICKETS")
    expect(preview.locator(".feed-card .mock-cta")).to_have_text("Buy tickets")
    assert preview.locator(".feed-card img").evaluate("img => img.complete && img.naturalWidth")

    assert audit(page, "ad form") == []
    screenshot(page, "ad-form-wide")
    preview.screenshot(path=ARTIFACTS / "ad-preview.png")
    page.set_viewport_size({"width": 390, "height": 844})
    assert audit(page, "ad form at 390 px") == []
    screenshot(page, "ad-form-390")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Add ad", exact=True).click()
    item = ads.locator("li.ad-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(made["ad_name"])
    expect(item).to_contain_text("Set sail this summer")
    expect(item).to_contain_text("Buy tickets")
    expect(item).to_contain_text("Meta Feed, Meta Stories")
    expect(item.locator("a.url")).to_have_attribute(
        "href",
        f"https://example.com/summer?utm_campaign={made['ad_name'].rsplit('_', 1)[0]}_SummerSail",
    )
    expect(item.get_by_role("img", name="feed-1200x628.png")).to_be_visible()
    # The new version reached the status panel, and the history says what changed.
    expect(page.locator("#status-panel")).to_contain_text("version 2")
    expect(page.locator("#history")).to_contain_text(f"Ad 1: — → {made['ad_name']}")
    # The owner form got the new version too: saving it now is no stale-page conflict.
    page.get_by_role("textbox", name="Due date").fill("2027-05-20")
    page.get_by_role("button", name="Save owner").click()
    expect(page.locator("#owner-panel")).to_contain_text("Owner and due date saved.")
    assert audit(page, "ticket with an ad") == []
    screenshot(page, "ad-listed")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "ad-listed-390")
