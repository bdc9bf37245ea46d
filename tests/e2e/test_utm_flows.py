"""UTM parameters in the browser: an admin sets a channel's mapping (a bad value is refused
under its field), and a trafficker applies the UTM parameters to a ticket's landing URL with
one click (htmx) and saves it.

The live server's database is shared by the browser suite, so the mapping goes on a channel
made for this test, never on the shared META / TIKTOK / GOOGLE channels other tests send with.
"""

import re
import uuid
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Page, expect

from .test_board_flows import make_board


def test_an_admin_maps_a_channel_and_a_trafficker_applies_it(
    page: Page, login, live_sql, screenshot
):
    login("admin")
    board = make_board(live_sql, "DRAFT")
    ((channel_hex,),) = live_sql(
        "SELECT id FROM channels WHERE api_identifier = ?", (board.channel_code,)
    )
    page.goto(f"/channels/{uuid.UUID(channel_hex)}/edit")
    page.get_by_label("utm_source").fill("Face Book")
    page.get_by_label("utm_medium").fill("Paid_Social")
    page.get_by_role("button", name="Save channel").click()
    expect(page.locator("#utm_source-help")).to_contain_text("use lowercase letters, digits")

    page.get_by_label("utm_source").fill("Facebook")
    page.get_by_label("Further parameters").fill("utm_source_platform = Meta_Ads")
    screenshot(page, "channel-utm-mapping")
    page.get_by_role("button", name="Save channel").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Channel {board.channel_code} saved")
    page.goto(f"/channels/{uuid.UUID(channel_hex)}/edit")
    expect(page.get_by_label("utm_source")).to_have_value("facebook")
    expect(page.get_by_label("utm_medium")).to_have_value("paid_social")

    ticket = str(uuid.UUID(board.ticket_ids[0]))
    page.goto(f"/tickets/{ticket}/edit")
    landing = page.get_by_label("Landing URL")
    landing.fill("ftp://files.example.com/moana")
    page.get_by_role("button", name="Apply UTM parameters").click()
    expect(page.locator("#landing_url-help")).to_contain_text("must start with https://")

    page.get_by_label("Landing URL").fill("https://www.example.com/moana?ref=mail#cast")
    page.get_by_role("button", name="Apply UTM parameters").click()
    expect(page.locator("#utm-note")).to_contain_text(f"{board.channel_code}'s mapping")
    platform_name = board.campaign_name.replace("_MULTI_", f"_{board.channel_code}_")
    built = page.get_by_label("Landing URL").input_value()
    parts = urlsplit(built)
    assert parts.fragment == "cast"
    assert parse_qsl(parts.query) == [
        ("ref", "mail"),
        ("utm_source", "facebook"),
        ("utm_medium", "paid_social"),
        ("utm_campaign", platform_name),
        ("utm_content", platform_name),
        ("utm_source_platform", "meta_ads"),
    ]
    screenshot(page, "ticket-apply-utm")

    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash-success")).to_contain_text("Settings saved")
    expect(page.locator("a.url")).to_have_text(re.compile(re.escape(built)))
