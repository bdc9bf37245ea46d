"""Tickets with ads sent to the platform sandbox over real HTTP: every upload, creative and ad
made in order with its id kept per object, and a failure on the second ad resumed by "Send
again" without making anything twice.

The creatives are real images and MP4s (tests/creatives/files.py) uploaded to the library
through services.creatives.upload, kept in this test's own folder.
"""

import io
from pathlib import Path

import pytest
import requests

from omnitraffick.models import RequestType, Role, TicketAd, TicketAdCreative, TicketStatus
from omnitraffick.services import creatives, tickets, trafficking
from omnitraffick.services.creatives import Upload
from omnitraffick.services.trafficking.sends import resume_from
from tests.creatives.files import image_bytes, mp4_bytes
from tests.html import parse
from tests.trafficking.helpers import reload, send


@pytest.fixture(autouse=True)
def creative_storage(app, tmp_path):
    """The creative storage in this test's own folder."""
    before = app.config["CREATIVE_STORAGE_DIR"]
    app.config["CREATIVE_STORAGE_DIR"] = str(tmp_path / "creatives")
    yield
    app.config["CREATIVE_STORAGE_DIR"] = before


@pytest.fixture
def library(db, moana, make_user):
    """Upload files to the Moana brand's library: name -> Creative."""

    def upload(**files):
        actor = make_user(Role.TRAFFICKER)
        made = creatives.upload(
            moana.brand, [Upload(name, io.BytesIO(data)) for name, data in files.items()], actor
        )
        db.session.commit()
        return {creative.original_name: creative for creative in made}

    return upload


@pytest.fixture
def with_ads(db):
    """Give a ticket its ads: each a dict of TicketAd fields plus `files` (Creatives)."""

    def add(ticket, *ads):
        for position, fields in enumerate(ads, start=1):
            fields = dict(fields)
            files = fields.pop("files", ())
            ad = TicketAd(position=position, **fields)
            ad.creative_links.extend(
                TicketAdCreative(creative=c, position=i) for i, c in enumerate(files)
            )
            ticket.ads.append(ad)
        db.session.commit()
        return ticket

    return add


def _meta_ads(library):
    files = library(
        **{"story.mp4": mp4_bytes(1080, 1920, 10), "hero.jpg": image_bytes(1200, 628, "JPEG")}
    )
    video = {
        "name_text": "StoryCut",
        "placements": ["meta_stories"],
        "primary_text": "Set sail with Moana.",
        "headline": "Moana is back",
        "call_to_action": "WATCH_MORE",
        "files": [files["story.mp4"]],
    }
    image = {
        "name_text": "HeroImage",
        "placements": ["meta_feed"],
        "primary_text": "Set sail with Moana.",
        "headline": "In theatres now",
        "description": "Tickets on sale",
        "call_to_action": "BUY_TICKETS",
        "files": [files["hero.jpg"]],
    }
    return video, image


def _tiktok_ad(library):
    files = library(**{"story.mp4": mp4_bytes(1080, 1920, 10)})
    return {
        "name_text": "StoryCut",
        "placements": ["tiktok_in_feed"],
        "primary_text": "Set sail with Moana.",
        "call_to_action": "LEARN_MORE",
        "files": [files["story.mp4"]],
    }


def _counts(objects, platform):
    return {kind: len(rows) for kind, rows in objects[platform].items()}


# --- success on each platform --------------------------------------------------------------------


def test_meta_ticket_with_a_video_and_an_image_ad_keeps_an_id_per_object(
    client, db, editor, sandbox, ready, meta, library, with_ads
):
    ticket = with_ads(ready(meta), *_meta_ads(library))

    send(client, ticket)

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    objects = sandbox.objects()
    meta_objects = objects["meta"]
    assert _counts(objects, "meta") == {
        "campaigns": 1,
        "adsets": 1,
        "adimages": 1,
        "advideos": 1,
        "adcreatives": 2,
        "ads": 2,
    }
    [video] = meta_objects["advideos"]
    [image] = meta_objects["adimages"]
    # The sandbox read the uploaded image itself: the real file went up, not its name.
    assert (image["width"], image["height"]) == (1200, 628)
    first, second = sorted(
        meta_objects["ads"], key=lambda ad: ad["name"] != "DIS_US_META_2026_StoryCut"
    )
    creatives_by_id = {c["id"]: c for c in meta_objects["adcreatives"]}
    story = creatives_by_id[first["creative"]["id"]]["object_story_spec"]
    assert story["video_data"]["video_id"] == video["id"]
    assert story["video_data"]["call_to_action"]["type"] == "WATCH_MORE"
    assert creatives_by_id[second["creative"]["id"]]["image_hash"] == image["hash"]
    [adset] = meta_objects["adsets"]
    assert {first["adset_id"], second["adset_id"]} == {adset["id"]}
    assert ticket.platform_ids == {
        "campaign_id": meta_objects["campaigns"][0]["id"],
        "adset_id": adset["id"],
        "ad1_video_id": video["id"],
        "ad1_creative_id": first["creative"]["id"],
        "ad1_id": first["id"],
        "ad2_image_hash": image["hash"],
        "ad2_creative_id": second["creative"]["id"],
        "ad2_id": second["id"],
    }
    # The ticket page names each object.
    page = parse(client.get(f"/tickets/{ticket.id}"))
    [ids] = page.find_all("ul", cls="platform-ids")
    labels = [item.text for item in ids.find_all("li")]
    assert labels[:3] == [
        f"Ad set {adset['id']} Copy",
        f"Ad 1 video {video['id']} Copy",
        f"Ad 1 creative {first['creative']['id']} Copy",
    ]
    assert f"Ad 2 image {image['hash']} Copy" in labels
    assert f"Ad 2 {second['id']} Copy" in labels


def test_tiktok_ticket_with_a_video_ad_runs_as_the_configured_identity(
    client, db, editor, sandbox, ready, tiktok, library, with_ads
):
    ticket = with_ads(ready(tiktok), _tiktok_ad(library))

    send(client, ticket)

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    objects = sandbox.objects()["tiktok"]
    [video] = objects["videos"]
    [cover] = objects["images"]
    [made] = objects["ads"]
    assert made["ad_name"] == "DIS_US_TIKTOK_2027_StoryCut"
    assert made["adgroup_id"] == objects["adgroups"][0]["adgroup_id"]
    assert (made["identity_type"], made["identity_id"]) == (
        "CUSTOMIZED_USER",
        "7200000000000000001",
    )
    assert made["video_id"] == video["video_id"] and made["image_ids"] == [cover["image_id"]]
    assert made["landing_page_url"].startswith("https://www.disney.com/moana?")
    assert {k: v for k, v in ticket.platform_ids.items() if k.startswith("ad1")} == {
        "ad1_video_id": video["video_id"],
        "ad1_cover_id": cover["image_id"],
        "ad1_id": made["ad_id"],
    }


def test_google_search_ticket_gets_an_ad_group_and_a_responsive_search_ad(
    client, db, editor, sandbox, ready, google, with_ads
):
    ad = {
        "name_text": "Search",
        "placements": ["google_search"],
        "headline": "Moana is back\nSet sail today\nTickets on sale",
        "description": "See Moana in theatres.\nBook your seats now.",
    }
    ticket = with_ads(ready(google), ad)

    send(client, ticket)

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    objects = sandbox.objects()["google"]
    [group] = objects["ad_groups"]
    [made] = objects["ad_group_ads"]
    assert group["type"] == "SEARCH_STANDARD" and group["campaign"] == ticket.external_platform_id
    assert made["adGroup"] == group["resourceName"]
    headlines = [h["text"] for h in made["ad"]["responsiveSearchAd"]["headlines"]]
    assert headlines == ["Moana is back", "Set sail today", "Tickets on sale"]
    assert ticket.platform_ids["ad_group_resource_name"] == group["resourceName"]
    assert ticket.platform_ids["ad1_resource_name"] == made["resourceName"]


def test_google_display_ticket_uploads_landscape_and_square_images_for_its_display_ad(
    client, db, editor, sandbox, ready, google, library, with_ads
):
    files = library(**{"wide.png": image_bytes(1200, 628), "square.png": image_bytes(600, 600)})
    ad = {
        "name_text": "Display",
        "placements": ["google_display_landscape", "google_display_square"],
        "headline": "Moana is back",
        "long_headline": "Moana sets sail again, in theatres now",
        "description": "Book your seats now.",
        "business_name": "Disney",
        "call_to_action": "BOOK_NOW",
        "files": [files["wide.png"], files["square.png"]],
    }
    ticket = with_ads(ready(google, objective="AWARENESS"), ad)

    send(client, ticket)

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    objects = sandbox.objects()["google"]
    assets = {a["resourceName"]: a for a in objects["assets"]}
    [made] = objects["ad_group_ads"]
    display = made["ad"]["responsiveDisplayAd"]
    [wide] = display["marketingImages"]
    [square] = display["squareMarketingImages"]
    assert assets[wide["asset"]]["imageAsset"]["fullSize"] == {
        "widthPixels": "1200",
        "heightPixels": "628",
    }
    assert assets[square["asset"]]["imageAsset"]["fullSize"]["widthPixels"] == "600"
    assert display["callToActionText"] == "Book now"
    assert ticket.platform_ids["ad1_image1_resource_name"] == wide["asset"]
    assert ticket.platform_ids["ad1_image2_resource_name"] == square["asset"]
    assert trafficking.OBJECT_NAMES["ad1_image2_resource_name"] == "ad 1 image 2"


# --- a failure on the second ad, and Send again --------------------------------------------------


def test_a_failure_on_the_second_ad_resumes_without_making_anything_twice(
    client, db, editor, sandbox, ready, meta, library, with_ads
):
    ticket = with_ads(ready(meta), *_meta_ads(library))
    # POSTs whose path has "/ads": the ad set, ad 1, then ad 2, which fails.
    sandbox.fault(
        platform="meta", method="POST", path_contains="/ads", after=2, status=400,
        message="(#100) The sandbox refused this ad on purpose",
    )  # fmt: skip

    send(client, ticket)

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    assert "create ad 2 in the ad set" in ticket.send_error
    assert "refused this ad on purpose" in ticket.send_error
    # What was made before the failure is listed on the ticket.
    assert list(ticket.platform_ids) == [
        "campaign_id",
        "adset_id",
        "ad1_video_id",
        "ad1_creative_id",
        "ad1_id",
        "ad2_image_hash",
        "ad2_creative_id",
    ]
    made_before = dict(ticket.platform_ids)
    [ids] = parse(client.get(f"/tickets/{ticket.id}")).find_all("ul", cls="platform-ids")
    assert "Ad 1 creative" in ids.text

    send(client, ticket, again="1")

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    objects = sandbox.objects()
    assert _counts(objects, "meta") == {
        "campaigns": 1,
        "adsets": 1,
        "adimages": 1,
        "advideos": 1,
        "adcreatives": 2,
        "ads": 2,
    }
    assert {k: ticket.platform_ids[k] for k in made_before} == made_before
    summary = ticket.events[-1].reason
    assert f"ad 1 video {made_before['ad1_video_id']} already made" in summary
    assert f"created ad 2 {ticket.platform_ids['ad2_id']}" in summary
    # The second send made only ad 2: nothing was uploaded again.
    uploads = [
        r for r in sandbox.requests("meta")
        if r["method"] == "POST" and r["path"].endswith(("/advideos", "/adimages"))
    ]  # fmt: skip
    assert len(uploads) == 2


# --- files in the requests shown, and a file gone from the library ------------------------------


def test_the_requests_shown_name_the_files_without_their_bytes(
    client, db, editor, bearer, ready, meta, library, with_ads
):
    ticket = with_ads(ready(meta), *_meta_ads(library))

    page = client.get(f"/tickets/{ticket.id}").text
    assert "&lt;bytes of story.mp4, file&gt;" in page
    assert "&lt;bytes of hero.jpg, base64&gt;" in page
    payload = client.get(f"/api/v1/tickets/{ticket.id}/payload", headers=bearer).get_json()
    upload = payload["requests"][2]
    assert upload["body"] == {"source": "<bytes of story.mp4, file>", "name": "story.mp4"}
    assert upload["multipart"] is True
    assert payload["requests"][3]["params"] == {}
    assert "page_id" in payload["account_placeholders"]


def test_a_creative_file_gone_from_the_library_fails_the_send_saying_which(
    client, app, db, editor, sandbox, ready, meta, library, with_ads
):
    video, image = _meta_ads(library)
    ticket = with_ads(ready(meta), image)
    creative = image["files"][0]
    storage_dir = app.config["CREATIVE_STORAGE_DIR"]
    (Path(storage_dir) / creative.stored_key).unlink()

    send(client, ticket)

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    assert "hero.jpg is missing from the creative library's storage" in ticket.send_error
    assert sandbox.objects()["meta"]["adimages"] == []


def test_the_cli_queues_a_fault_for_the_second_ad(app, sandbox):
    result = app.test_cli_runner().invoke(
        args=["sandbox", "fault", "meta", "400", "--method", "POST", "--path", "/ads"]
        + ["--after", "2"]
    )
    assert result.exit_code == 0, result.output
    [fault] = requests.get(f"{sandbox.url}/_sandbox/faults", timeout=5).json()["faults"]
    assert (fault["method"], fault["path_contains"], fault["after"]) == ("POST", "/ads", 2)


def test_a_send_through_the_api_after_a_failure_also_resumes(
    client, db, editor, bearer, sandbox, ready, meta, library, with_ads
):
    ticket = with_ads(ready(meta), *_meta_ads(library))
    sandbox.fault(platform="meta", method="POST", path_contains="/ads", after=2, status=400)
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    tickets.move_ticket(ticket, TicketStatus.READY_FOR_API, actor=editor)
    db.session.commit()

    response = client.post(f"/api/v1/tickets/{ticket.id}/send", headers=bearer)

    assert response.status_code == 202, response.text
    assert reload(db, ticket).status is TicketStatus.TRAFFICKED_SUCCESS
    assert _counts(sandbox.objects(), "meta")["advideos"] == 1
    assert len(sandbox.objects()["meta"]["ads"]) == 2


def test_only_a_create_that_failed_part_way_resumes(db, ready, meta):
    create = ready(meta)
    assert resume_from(create) is None  # nothing made yet
    create.platform_ids = {"campaign_id": "1", "adset_id": "2"}
    assert resume_from(create) == {"campaign_id": "1", "adset_id": "2"}
    create.external_platform_id = "1"  # trafficked: a new send starts afresh
    assert resume_from(create) is None
    update = ready(meta, RequestType.UPDATE_STATUS)
    update.platform_ids = {"campaign": "1"}
    assert resume_from(update) is None


def test_the_request_panel_shows_a_read_with_its_query(
    client, db, editor, ready, tiktok, library, with_ads
):
    ticket = with_ads(ready(tiktok), _tiktok_ad(library))

    page = client.get(f"/tickets/{ticket.id}").text

    # The video's cover is read with a GET whose parameters are the whole request.
    assert (
        "/open_api/v1.3/file/video/ad/info/?advertiser_id=%7Badvertiser_id%7D"
        "&amp;video_ids=%5B%22%7Bad1_video_id%7D%22%5D"
    ) in page
