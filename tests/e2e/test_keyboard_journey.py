"""The main journey with the keyboard alone (issue 23): create a campaign (a failed save
first), add a ticket, QA it, send it to the platform sandbox and open the campaign report,
asserting after each step where the focus is. Nothing is clicked or filled with the mouse:
Tab, Shift+Tab, Enter, the arrow keys and typing only (the sign-in and the brand, market and
channel rows are set up beforehand, as in the other browser tests)."""

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from .keyboard import choose, tab_to
from .test_board_flows import PLATFORM_NAMES, make_board


def test_create_add_qa_send_and_report_with_the_keyboard_alone(page: Page, login, live_sql):
    login("trafficker")
    refs = make_board(live_sql, platform="META")  # a fresh brand and market, the Meta channel
    suffix = refs.campaign_name.split("_")[0][1:]
    typed = f"Keys{uuid.uuid4().hex[:6]}"

    # 1. The campaign form: the focus starts on Brand. Saving it empty sends the focus to the
    # error summary, which names both missing choices and links to each field.
    page.goto("/campaigns/new")
    brand = page.locator("#brand_id")
    expect(brand).to_be_focused()
    name_field = page.locator("#campaign_name")
    tab_to(page, name_field)
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Brand: Choose a brand.", "Market: Choose a market.", re.compile("^Campaign name: ")]
    )
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(brand).to_be_focused()
    expect(brand).to_have_attribute("aria-invalid", "true")
    expect(brand).to_have_attribute("aria-describedby", "brand_id-help")
    expect(page.locator("#brand_id-help")).to_have_text("Choose a brand.")

    choose(page, brand, f"Board Brand {suffix}")
    page.keyboard.press("Tab")
    market = page.locator("#market_id")
    expect(market).to_be_focused()
    choose(page, market, f"M{suffix}")
    tab_to(page, name_field)
    page.keyboard.type(typed)
    budget = page.locator("#budget")
    tab_to(page, budget)
    page.keyboard.press("Control+a")
    page.keyboard.type("1000")
    page.keyboard.press("Enter")
    campaign_name = f"B{suffix}_M{suffix}_MULTI_{date.today().year}_{typed}"
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign_name)

    # A new page: the first Tab is "Skip to content", which puts the focus on the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()

    # 2. A Meta ticket with settings that pass pre-flight QA.
    tab_to(page, page.get_by_role("button", name="New ticket"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New ticket", level=1)).to_be_visible()
    channel = page.locator("#channel_id")
    tab_to(page, channel)
    choose(page, channel, PLATFORM_NAMES["META"])
    tab_to(page, page.locator("#objective"))
    choose(page, page.locator("#objective"), "Traffic")
    tab_to(page, page.locator("#budget_type"))
    choose(page, page.locator("#budget_type"), "Daily")
    page.keyboard.press("Tab")
    expect(page.locator("#budget_amount")).to_be_focused()
    page.keyboard.type("50.00")
    start = date.today() + timedelta(days=7)
    for field_id, day in (("#flight_start", start), ("#flight_end", start + timedelta(days=9))):
        tab_to(page, page.locator(field_id))
        page.keyboard.type(day.strftime("%m%d%Y"))  # Chromium's date field, en-US order
        expect(page.locator(field_id)).to_have_value(day.isoformat())
    platform_name = campaign_name.replace("_MULTI_", "_META_")
    tab_to(page, page.locator("#landing_url"))
    page.keyboard.type(
        "https://www.example.com/launch?utm_source=ads&utm_medium=paid_social"
        f"&utm_campaign={platform_name}"
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(platform_name)

    # 3. QA: the status panel is swapped; the focus goes to its heading, and the live region
    # says the new status.
    panel = page.locator("#status-panel")
    tab_to(page, panel.get_by_role("button", name="QA testing", exact=True))
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Status", level=2)
    expect(panel.locator(".current-status .tcount")).to_have_text("Ready for API")
    expect(heading).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(re.compile("^Status: Ready for API"))

    # 4. Send to the sandbox: the focus stays on the panel's heading while the send polls,
    # and the result is said.
    tab_to(page, panel.get_by_role("button", name="Send to Meta (sandbox)"))
    page.keyboard.press("Enter")
    expect(panel.locator(".current-status .tcount")).to_have_text(
        "Trafficked success", timeout=20_000
    )
    expect(heading).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(re.compile("^Status: Trafficked success"))

    # 5. The campaign's report, from the ticket page's link to its campaign.
    tab_to(page, page.get_by_role("link", name=campaign_name), backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign_name)
    tab_to(page, page.get_by_role("button", name="Report"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/report$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(campaign_name)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
