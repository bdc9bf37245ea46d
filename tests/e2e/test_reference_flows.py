"""What an admin and a viewer see when they work with reference data in a real browser."""

import re
import uuid
from datetime import UTC, datetime

from playwright.sync_api import Locator, Page, expect

from omnitraffick.services.timezones import suggested_zone

from .conftest import ADMIN_EMAIL, PASSWORD


def field(page: Page, label: str) -> Locator:
    """The input labelled exactly `label`."""
    return page.get_by_label(label, exact=True)


def create_market(page: Page, code: str, country: str, region: str, currency: str) -> None:
    """Fill the new-market form; `country` is the ISO code the Country select is set to, and
    the time zone the one its most populous city has (the form makes the admin choose)."""
    page.goto("/markets/")
    page.get_by_role("button", name="New market").click()
    expect(page.get_by_role("heading", name="New market")).to_be_visible()
    field(page, "Code").fill(code)
    field(page, "Country").select_option(country)
    field(page, "Region").fill(region)
    field(page, "Currency").fill(currency)
    field(page, "Time zone").select_option(suggested_zone(country))
    page.get_by_role("button", name="Create market").click()
    expect(page.get_by_text(f"Market {code.upper()} created.")).to_be_visible()


def create_brand(page: Page, name: str, code: str) -> None:
    page.goto("/brands/new")
    field(page, "Name").fill(name)
    field(page, "Internal code").fill(code)
    page.get_by_role("button", name="Create brand").click()
    expect(page.get_by_text(f"Brand {name} created.")).to_be_visible()


def create_channel(page: Page, platform: str, code: str) -> None:
    page.goto("/channels/new")
    field(page, "Platform name").fill(platform)
    field(page, "API identifier").fill(code)
    page.get_by_role("button", name="Create channel").click()
    expect(page.get_by_text(f"Channel {code.upper()} created.")).to_be_visible()


def row(page: Page, text: str) -> Locator:
    """The table row of the results that shows `text` (a code is unique, so one row)."""
    return page.locator("#results tbody tr").filter(has_text=text)


def test_wrong_password_is_refused_and_admin_lands_on_markets(page: Page, screenshot):
    page.goto("/markets/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fmarkets%2F$"))
    expect(page.get_by_text("Please sign in to continue.")).to_be_visible()
    screenshot(page, "login")

    field(page, "Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    expect(field(page, "Email")).to_have_value(ADMIN_EMAIL)
    expect(page.get_by_role("banner")).to_have_count(0)  # no navigation while signed out

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/markets/$"))
    expect(page.get_by_role("heading", name="Markets", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="New market")).to_be_visible()
    expect(page.locator("details.user-menu summary")).to_contain_text(ADMIN_EMAIL)


def test_admin_creates_market_brand_and_channel(page: Page, login, screenshot):
    login("admin")
    create_market(page, "us2", "US", "NA", "usd")
    expect(page).to_have_url(re.compile(r"/markets/$"))
    # The shared live server may hold more than a page of rows: look it up by its code.
    page.goto("/markets/?q=US2")
    market = row(page, "US2")
    expect(market.locator("td")).to_have_text(
        ["US2", "United States", "NA", "USD", "America/New_York", "Edit"]
    )
    screenshot(page, "markets-list")

    create_brand(page, "E2E Outfitters", "e2eo")
    expect(page).to_have_url(re.compile(r"/brands/$"))
    page.goto("/brands/?q=E2EO")
    expect(row(page, "E2E Outfitters")).to_contain_text("E2EO")

    create_channel(page, "Pinterest", "pin")
    expect(page).to_have_url(re.compile(r"/channels/$"))
    page.goto("/channels/?q=Pinterest")
    expect(row(page, "Pinterest")).to_contain_text("PIN")


def test_bad_code_shows_error_next_to_field_and_keeps_input(page: Page, login, screenshot):
    login("admin")
    page.goto("/markets/new")
    field(page, "Code").fill("U S!")
    field(page, "Country").select_option("HU")
    field(page, "Region").fill("EMEA")
    field(page, "Currency").fill("eur")
    page.get_by_role("button", name="Create market").click()

    # The error sits right under the field and is announced with it.
    code_error = page.locator("#code-help.field-error")
    expect(code_error).to_have_text(re.compile(r"may only use letters A-Z, digits and underscores"))
    expect(field(page, "Code")).to_have_attribute("aria-describedby", "code-help")
    expect(page.locator(".field-error")).to_have_count(1)
    expect(field(page, "Code")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "Code")).to_have_value("U S!")
    expect(field(page, "Country")).to_have_value("HU")
    expect(field(page, "Region")).to_have_value("EMEA")
    expect(field(page, "Currency")).to_have_value("eur")
    screenshot(page, "market-form-error")

    page.goto("/markets/?q=Utopia")
    expect(page.get_by_text("No markets match “Utopia”.")).to_be_visible()


def test_delete_refused_for_market_a_campaign_uses(page: Page, login, live_sql):
    login("admin")
    create_market(page, "del1", "US", "NA", "USD")
    create_brand(page, "Refd Brand", "refd")
    (market_id,) = live_sql("SELECT id FROM markets WHERE code = ?", ("DEL1",))[0]
    (brand_id,) = live_sql("SELECT id FROM brands WHERE internal_code = ?", ("REFD",))[0]
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    live_sql(
        "INSERT INTO campaigns (id, name, campaign_name, brand_id, market_id, year, budget,"
        " status, created_at, updated_at, created_by_id)"
        " VALUES (?, ?, ?, ?, ?, 2026, 100, 'DRAFT', ?, ?, NULL)",
        (uuid.uuid4().hex, "REFD_DEL1_MULTI_2026_Launch", "Launch", brand_id, market_id, now, now),
    )

    page.goto("/markets/")
    row(page, "DEL1").get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Market DEL1")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    refusal = page.get_by_text("Market DEL1 is used by 1 campaign; nothing was deleted.")
    expect(refusal).to_be_visible()

    page.goto("/markets/")
    expect(row(page, "DEL1")).to_have_count(1)


def test_delete_unused_channel_only_after_confirming(page: Page, login):
    login("admin")
    create_channel(page, "Snapchat", "snap")
    page.goto("/channels/?q=SNAP")  # the shared server may hold more than a page of channels
    row(page, "SNAP").get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Channel Snapchat")).to_be_visible()
    edit_url = page.url

    messages: list[str] = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Delete").click()
    assert messages == ["Delete this channel? This cannot be undone."]
    expect(page).to_have_url(edit_url)
    page.goto("/channels/?q=SNAP")
    expect(row(page, "SNAP")).to_have_count(1)

    row(page, "SNAP").get_by_role("link", name="Edit").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Channel SNAP deleted.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/channels/$"))
    expect(row(page, "SNAP")).to_have_count(0)


def test_live_search_updates_table_without_reload(page: Page, login):
    login("admin")
    create_market(page, "zqa1", "NZ", "APAC", "NZD")
    create_market(page, "yqb1", "YE", "APAC", "YER")
    # Codes last first: the shared server may hold more than a page of markets.
    page.goto("/markets/?sort=code&dir=desc")
    expect(row(page, "ZQA1")).to_have_count(1)
    expect(row(page, "YQB1")).to_have_count(1)
    page.evaluate("window.__e2eSamePage = true")

    with page.expect_response(
        lambda r: "q=Zealand" in r.url and r.request.headers.get("hx-request") == "true"
    ) as fragment:
        # Countries are found by name although markets store their code (NZ).
        page.get_by_role("searchbox", name="Search").press_sequentially("Zealand")
    assert fragment.value.status == 200

    expect(page).to_have_url(re.compile(r"/markets/\?(.*&)?q=Zealand(&|$)"))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(row(page, "ZQA1")).to_have_count(1)
    expect(page.locator(".result-count")).to_have_text("1 market")
    assert page.evaluate("window.__e2eSamePage") is True, "the page was reloaded"
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("Zealand")


def test_viewer_cannot_create_markets(page: Page, login):
    login("viewer")
    expect(page.get_by_role("button", name="New market")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)

    response = page.goto("/markets/new")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="You don't have access to this")).to_be_visible()


def test_sign_out_from_user_menu(page: Page, login):
    login("admin")
    page.locator("summary", has_text=ADMIN_EMAIL).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    page.goto("/markets/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_text("Please sign in to continue.")).to_be_visible()
