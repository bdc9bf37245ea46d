"""Platform-true trafficking in the browser: a Hungarian market gets its zone, a housing
campaign is declared on the ticket form, the platform request shows the declaration and the
flight in Budapest time, and the ticket goes through QA to the Meta sandbox.

References: https://developers.facebook.com/docs/marketing-api/audiences/special-ad-category
(special_ad_categories, special_ad_category_country) and the ad set reference for start_time
(tests/test_flight_times.py lists them all).
"""

import json
import re
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from .test_board_flows import platform_channel
from .test_campaign_flows import Refs, campaign_id, create_campaign
from .test_qa_flows import current_status, press_qa_testing
from .test_reference_flows import create_brand, create_market, field


def test_a_housing_campaign_in_budapest_is_declared_and_trafficked(
    page: Page, login, live_sql, live_sandbox, screenshot
):
    login("admin")
    suffix = uuid.uuid4().hex[:6].upper()
    refs = Refs(f"B{suffix}", f"Brand {suffix}", f"H{suffix}", "Hungary", "HUF")
    create_brand(page, refs.brand_name, refs.brand_code)
    create_market(page, refs.market_code, "HU", "EMEA", "HUF")
    row = page.locator("tr", has_text=refs.market_code)
    expect(row).to_contain_text("Europe/Budapest")
    url = create_campaign(page, refs, "Homes", budget="10000000")
    meta = str(uuid.UUID(platform_channel(live_sql, "META")))

    page.goto(f"/tickets/new?campaign_id={campaign_id(url)}")
    field(page, "Channel").select_option(meta)
    start = date.today() + timedelta(days=7)
    name = f"{refs.brand_code}_{refs.market_code}_META_{date.today().year}_Homes"
    field(page, "Objective").select_option("TRAFFIC")
    field(page, "Budget type").select_option("DAILY")
    field(page, "Budget amount").fill("20000")
    field(page, "Flight start").fill(start.isoformat())
    field(page, "Flight end").fill((start + timedelta(days=9)).isoformat())
    field(page, "Landing URL").fill(
        f"https://example.com/homes?utm_source=ads&utm_medium=paid&utm_campaign={name}"
    )
    declaration = page.locator("fieldset.compliance")
    expect(declaration).to_contain_text("Selling or renting homes")
    declaration.get_by_label("Housing").check()
    screenshot(page, "ticket-compliance-declaration")
    page.get_by_role("button", name="Open ticket").click()
    expect(page.locator(".flash-success")).to_contain_text("opened as Draft")

    panel = page.get_by_role("region", name="Platform request")
    campaign_body = json.loads(panel.locator("#payload-1").inner_text())
    assert campaign_body["special_ad_categories"] == ["HOUSING"]
    assert campaign_body["special_ad_category_country"] == ["HU"]
    adset_body = json.loads(panel.locator("#payload-2").inner_text())
    budapest_midnight = datetime.combine(start, time(0), ZoneInfo("Europe/Budapest"))
    assert datetime.strptime(adset_body["start_time"], "%Y-%m-%dT%H:%M:%S%z") == (budapest_midnight)
    expect(panel).to_contain_text("worked out again when the ticket is sent")
    screenshot(page, "ticket-compliance-payload")

    press_qa_testing(page)
    expect(current_status(page)).to_have_text("Ready for API")
    page.locator("#status-panel").get_by_role("button", name="Send to Meta (sandbox)").click()
    expect(current_status(page)).to_have_text("Trafficked success", timeout=15_000)
    platform_id = page.locator("#status-panel code.platform-id").inner_text()
    assert re.fullmatch(r"\d{10,}", platform_id)

    page.goto(f"{url}/report")
    declarations = page.locator("table.declarations")
    expect(declarations).to_contain_text("Housing")
    expect(declarations).to_contain_text("HU")
    expect(page.locator("main")).to_contain_text("Europe/Budapest time")
