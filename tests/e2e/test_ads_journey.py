"""Issue 22's whole journey in a browser, against the platform sandbox: upload a 1080x1920
video and a 1200x628 image, attach them to a Meta ticket and a TikTok ticket, QA flags the
image chosen for Meta Stories and names the creative that fits, the user picks it, and both
tickets are trafficked with their ads (an id shown per object); a failure forced on Meta's
second ad leaves the ticket Failed with what was made, and "Send again" finishes it without
making the first ad, its creative or its image twice."""

import json
import uuid
from datetime import UTC, datetime

import requests
from playwright.sync_api import Page, expect

from tests.creatives.files import image_bytes, mp4_bytes
from tests.e2e.test_board_flows import make_board, platform_channel, set_settings, valid_settings
from tests.e2e.test_creative_flows import drop_files
from tests.e2e.test_qa_flows import current_status, open_ticket, press_qa_testing
from tests.e2e.test_send_flows import sandbox_objects

IMAGE, VIDEO = "launch-1200x628.png", "story-1080x1920.mp4"
UPLOADS = ("adimages", "advideos")


def add_tiktok_ticket(live_sql, campaign_id: uuid.UUID, settings: dict) -> str:
    """A Draft CREATE_CAMPAIGN ticket of the same campaign on the TikTok channel."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    ticket_id = uuid.uuid4().hex
    live_sql(
        "INSERT INTO tickets (id, campaign_id, channel_id, request_type, payload_config,"
        " status, version, status_changed_at, created_at, updated_at)"
        " VALUES (?, ?, ?, 'CREATE_CAMPAIGN', ?, 'DRAFT', 1, ?, ?, ?)",
        (
            ticket_id,
            campaign_id.hex,
            platform_channel(live_sql, "TIKTOK"),
            json.dumps(settings),
            now,
            now,
            now,
        ),
    )
    return ticket_id


def add_ad(page: Page, name: str, placements: dict[str, bool], creative: str, text: str):
    """Fill the ad form (Add an ad or Edit) and save it."""
    page.get_by_label("Name", exact=True).fill(name)
    for label, wanted in placements.items():
        page.get_by_label(label, exact=True).set_checked(wanted)
    page.get_by_label(creative).check()
    page.get_by_label("Primary text").fill(text)
    page.get_by_role("button", name="Add ad", exact=True).or_(
        page.get_by_role("button", name="Save ad", exact=True)
    ).click()


def test_upload_attach_qa_pick_and_traffic_ads_on_meta_and_tiktok(
    page: Page, login, live_sql, live_sandbox, screenshot
):
    login("admin")
    board = make_board(live_sql, "DRAFT", platform="META")
    (meta_ticket,) = board.ticket_ids
    settings = valid_settings(board.platform_name)
    set_settings(live_sql, meta_ticket, settings)
    tiktok_name = board.platform_name.replace("_META_", "_TIKTOK_")
    tiktok_ticket = add_tiktok_ticket(live_sql, board.campaign_id, valid_settings(tiktok_name))
    ((brand_id, brand_name),) = live_sql(
        "SELECT brands.id, brands.name FROM campaigns JOIN brands ON brands.id = brand_id"
        " WHERE campaigns.id = ?",
        (board.campaign_id.hex,),
    )

    # 1. Upload the video and the image to the brand's library.
    page.goto(f"/creatives/brands/{uuid.UUID(brand_id)}")
    drop_files(
        page,
        ".drop-zone",
        {
            IMAGE: (image_bytes(1200, 628), "image/png"),
            VIDEO: (mp4_bytes(1080, 1920, 15, padding=200_000), "video/mp4"),
        },
    )
    page.get_by_role("button", name="Upload files", exact=True).click()
    expect(page.get_by_text("Uploaded 2 files")).to_be_visible()

    # 2. Meta: a feed ad with the image, and a story ad with the image too (a mistake).
    open_ticket(page, board, meta_ticket)
    ads = page.locator("#ads")
    page.get_by_role("button", name="Add an ad").click()
    add_ad(page, "Feed", {"Meta Feed": True}, IMAGE, "Sail with us this summer")
    expect(ads.locator("li.ad-item")).to_have_count(1)
    page.get_by_role("button", name="Add an ad").click()
    add_ad(page, "Story", {"Meta Feed": False, "Meta Stories": True}, IMAGE, "Swipe to sail")
    expect(ads.locator("li.ad-item")).to_have_count(2)
    panel = page.locator("#status-panel")
    # Each ad saved gave the ticket a new version, which the status panel's moves now carry.
    expect(panel).to_contain_text("version 3")

    # 3. QA flags the image for the story placement and names the creative that fits.
    press_qa_testing(page)
    expect(current_status(page)).to_have_text("QA failed")
    qa_panel = page.locator("#qa-panel")
    expect(qa_panel).to_contain_text("A Meta Stories image must be 9:16; this one is 1.91:1.")
    expect(qa_panel).to_contain_text(f"Creatives of {brand_name} that fit Meta Stories: {VIDEO}")
    screenshot(page, "ads-journey-qa-flags-story-image")

    # 4. The user picks the fitting creative; QA passes.
    page.get_by_role("button", name="Edit ad 2").click()
    expect(page.get_by_role("heading", name="Edit ad 2")).to_be_visible()
    page.get_by_label(VIDEO).check()
    page.get_by_role("button", name="Save ad", exact=True).click()
    expect(ads.locator("li.ad-item").nth(1).locator(f'video[aria-label="{VIDEO}"]')).to_be_visible()
    expect(panel).to_contain_text("version 5")  # QA failed (4), the ad saved (5)
    press_qa_testing(page)
    expect(current_status(page)).to_have_text("Ready for API")

    # 5. Send with a failure forced on the second ad: Failed, with what was made listed.
    requests.post(
        f"{live_sandbox}/_sandbox/faults",
        json={
            "platform": "meta",
            "method": "POST",
            "path_contains": "/ads",  # the ad set (1), ad 1 (2), then ad 2 fails
            "after": 2,
            "status": 400,
            "message": "Invalid parameter",
        },
        timeout=5,
    ).raise_for_status()
    uploads_before = {k: len(sandbox_objects(live_sandbox)["meta"][k]) for k in UPLOADS}
    panel.get_by_role("button", name="Send to Meta (sandbox)").click()
    expect(current_status(page)).to_have_text("Failed", timeout=20_000)
    made = panel.locator(".platform-ids")
    # Ad 2's video and creative were made before its ad was refused.
    for kept in ("Ad set", "Ad 1 image", "Ad 1 creative", "Ad 2 video", "Ad 2 creative"):
        expect(made).to_contain_text(kept)
    expect(made.locator("li")).to_have_count(7)  # campaign, ad set, 3 of ad 1, 2 of ad 2
    screenshot(page, "ads-journey-failed-on-ad-2")

    # 6. Send again: done, each object made once.
    panel.get_by_role("button", name="Send again (sandbox)").click()
    expect(current_status(page)).to_have_text("Trafficked success", timeout=20_000)
    # The campaign's id moves to its own line; the list gains ad 2 itself.
    expect(panel.locator("code.platform-id")).to_be_visible()
    expect(made.locator("li")).to_have_count(7)  # ad set, 3 of ad 1, 3 of ad 2
    meta = sandbox_objects(live_sandbox)["meta"]
    codes = board.platform_name.split("_")[0]  # this test's brand code starts every name
    for kind in ("ads", "adcreatives"):
        names = [row["name"] for row in meta[kind] if codes in row["name"]]
        assert len(names) == 2, (kind, names)  # nothing made twice
    # One image (ad 1) and one video (ad 2) uploaded, each once.
    assert {k: len(meta[k]) - uploads_before[k] for k in UPLOADS} == dict.fromkeys(UPLOADS, 1)
    screenshot(page, "ads-journey-meta-trafficked")

    # 7. TikTok: the video, QA, send; the ad's objects shown.
    page.goto(f"/tickets/{uuid.UUID(tiktok_ticket)}")
    page.get_by_role("button", name="Add an ad").click()
    add_ad(page, "Clip", {}, VIDEO, "Sail with us this summer")
    expect(ads.locator("li.ad-item")).to_have_count(1)
    press_qa_testing(page)
    expect(current_status(page)).to_have_text("Ready for API")
    panel.get_by_role("button", name="Send to TikTok (sandbox)").click()
    expect(current_status(page)).to_have_text("Trafficked success", timeout=20_000)
    expect(made).to_contain_text("Ad 1 video")
    expect(made).to_contain_text("Ad 1 ")
    screenshot(page, "ads-journey-tiktok-trafficked")
