"""The printed client report of a campaign whose Meta ticket has ads: each ad's thumbnail,
name, copy, call to action and tracked URL are on paper, and a long tracked URL wraps inside
the page instead of running off it."""

import json
import unicodedata
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.creatives.files import image_bytes, mp4_bytes
from tests.e2e.test_accessibility_flows import audit, audited, sign_in  # noqa: F401

from .test_report_flows import make_report_campaign, print_pdf, squeezed

__all__ = ["audited"]

LONG_PATH = "/spring/" + "/".join(f"collection-{n:02d}-limited-edition" for n in range(6))


def _upload(page: Page, brand_id: uuid.UUID, tmp_path) -> None:
    """Upload a landscape image and a vertical video to the brand's library, as a user does."""
    image = tmp_path / "spring-1200x628.png"
    image.write_bytes(image_bytes(1200, 628))
    video = tmp_path / "spring-story.mp4"
    video.write_bytes(mp4_bytes(1080, 1920, 15))
    page.goto(f"/creatives/brands/{brand_id}")
    page.get_by_label("Drop images and videos here").set_input_files([image, video])
    page.get_by_role("button", name="Upload files", exact=True).click()
    expect(
        page.get_by_text("Uploaded 2 files: spring-1200x628.png, spring-story.mp4.")
    ).to_be_visible()


def _add_ads(live_sql, data) -> str:
    """Two ads on the campaign's Meta ticket: the image in the feed, the video in stories."""
    ((ticket_id,),) = live_sql(
        "SELECT t.id FROM tickets t JOIN channels c ON c.id = t.channel_id"
        " WHERE t.campaign_id = ? AND c.platform_name = 'Meta Ads'",
        (data.campaign_id.hex,),
    )
    creatives = dict(
        live_sql("SELECT original_name, id FROM creatives WHERE brand_id = ?", (data.brand_id.hex,))
    )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    ads = [
        (
            "SpringFeed",
            ["meta_feed"],
            "Spring is here: fresh picks from the Northwind kitchen, every week.",
            "Fresh for spring\nOrder by Friday",
            "LEARN_MORE",
            "https://example.com" + LONG_PATH + "?ref=report-ads",
            "spring-1200x628.png",
        ),
        (
            "SpringStory",
            ["meta_stories"],
            "Swipe up for the spring menu.",
            "The spring menu",
            "SHOP_NOW",
            "",
            "spring-story.mp4",
        ),
    ]
    for position, (text, places, primary, headline, cta, url, file) in enumerate(ads, 1):
        ad_id = uuid.uuid4().hex
        live_sql(
            "INSERT INTO ticket_ads (id, ticket_id, position, name_text, placements,"
            " primary_text, headline, long_headline, description, business_name,"
            " call_to_action, landing_url, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, '', '', '', ?, ?, ?, ?)",
            (ad_id, ticket_id, position, text, json.dumps(places), primary, headline, cta, url)
            + (now, now),
        )
        live_sql(
            "INSERT INTO ticket_ad_creatives (ad_id, creative_id, position) VALUES (?, ?, 1)",
            (ad_id, creatives[file]),
        )
    return ticket_id


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_report_shows_each_ad_and_wraps_its_tracked_url(
    page: Page, login, live_sql, tmp_path, screenshot, paper
):
    login("admin")
    data = make_report_campaign(live_sql)
    _upload(page, data.brand_id, tmp_path)
    _add_ads(live_sql, data)
    meta_name = next(name for name in data.platform_names if "_META" in name)

    page.goto(f"/campaigns/{data.campaign_id}/report")
    ads = page.locator("section.report-ads")
    expect(ads.get_by_role("heading", name="Ads", level=2)).to_be_visible()
    feed = ads.get_by_role("article", name="Ad 1")
    thumbnail = feed.get_by_role("img", name="spring-1200x628.png")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") > 0
    expect(feed).to_contain_text("Order by Friday")
    # The name the ad naming convention gives now (an earlier browser test may have changed
    # the convention in the shared live database): shown, and printed below.
    feed_name = feed.locator("span.taxonomy-name").inner_text()
    assert "SpringFeed" in feed_name
    expect(ads.get_by_role("article", name="Ad 2")).to_contain_text("Video")
    screenshot(page, f"report-ads-{paper.lower()}")

    # On paper, the tracked URL stays inside its column, which stays inside the page.
    page.emulate_media(media="print")
    fits = page.evaluate(
        """() => [...document.querySelectorAll('.tracked-url')].map((dd) => {
            const box = dd.getBoundingClientRect();
            const report = document.querySelector('.report').getBoundingClientRect();
            return dd.scrollWidth <= dd.clientWidth + 1 && box.right <= report.right + 1;
        })"""
    )
    assert fits == [True, True]

    _, texts = print_pdf(page, f"client-report-ads-{paper.lower()}", paper)
    printed = squeezed(unicodedata.normalize("NFKC", "".join(texts)))
    assert squeezed(feed_name) in printed
    assert squeezed("Spring is here: fresh picks from the Northwind kitchen") in printed
    # The test's channel codes are not a platform's (META...): the values show as they are.
    assert "CalltoactionLEARN_MORE" in printed and "CalltoactionSHOP_NOW" in printed
    tracked = f"https://example.com{LONG_PATH}?ref=report-ads&utm_campaign={meta_name}"
    assert squeezed(tracked) in printed


def test_the_report_with_ads_passes_the_audit_in_both_versions(
    audited: Page,  # noqa: F811
    live_sql,
    tmp_path,
):
    sign_in(audited, "admin")
    data = make_report_campaign(live_sql)
    _upload(audited, data.brand_id, tmp_path)
    _add_ads(live_sql, data)
    problems = []
    for version in ("client", "internal"):
        audited.goto(f"/campaigns/{data.campaign_id}/report?version={version}")
        expect(audited.get_by_role("article", name="Ad 2")).to_be_visible()
        problems += audit(audited, f"{version} report with ads")
    assert problems == []
