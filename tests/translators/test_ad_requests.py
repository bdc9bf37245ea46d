"""Platform translators, the ads of Meta and TikTok: golden requests for every upload, creative
and ad, written from the official references cited on each test, and the refusals a translator
can know before anything is sent ("Ad 2: ...", every problem at once). Google's are in
test_google_ad_requests.py.
"""

import json

from omnitraffick.models import RequestType
from omnitraffick.services.translators import (
    translate,
)
from omnitraffick.services.translators.base import FileRef
from tests.translators.helpers import (
    HERO,
    SQUARE,
    STORY,
    URL,
    ad,
    calls,
    data,
    problems_of,
    translate_lookup,
)

# --- Meta ----------------------------------------------------------------------------------------


def test_meta_video_and_image_ads_golden():
    """After the campaign and ad set: per ad, the upload, the creative, the ad.

    https://developers.facebook.com/docs/marketing-api/reference/ad-account/advideos/
    https://developers.facebook.com/docs/graph-api/reference/video/thumbnails/
    https://developers.facebook.com/docs/marketing-api/reference/ad-creative-video-data
    https://developers.facebook.com/docs/marketing-api/reference/ad-account/adimages/
    https://developers.facebook.com/docs/marketing-api/reference/ad-account/adcreatives/
    https://developers.facebook.com/docs/marketing-api/reference/ad-creative-link-data/
    https://developers.facebook.com/docs/marketing-api/reference/ad-account/ads/
    """
    translation = translate(
        "META", data("META", ad(1, (STORY,)), ad(2, (HERO,), call_to_action="", descriptions=()))
    )

    account = "/v27.0/act_{ad_account_id}"
    assert calls(translation, 2) == [
        {
            "method": "POST",
            "path": f"{account}/advideos",
            "params": {},
            "body": {"source": "<bytes of story.mp4, file>", "name": "story.mp4"},
            "multipart": True,
            "description": "Upload ad 1's video, story.mp4.",
            "returns": "ad1_video_id",
            "response_path": ["id"],
        },
        {
            "method": "GET",
            "path": "/v27.0/{ad1_video_id}/thumbnails",
            "params": {},
            "body": {},
            "multipart": False,
            "description": "Read ad 1's video thumbnail, which the creative shows before it plays.",
            "returns": "ad1_thumbnail_url",
            "response_path": ["data", 0, "uri"],
        },
        {
            "method": "POST",
            "path": f"{account}/adcreatives",
            "params": {},
            "body": {
                "name": "AD_1",
                "object_story_spec": {
                    "page_id": "{page_id}",
                    "video_data": {
                        "video_id": "{ad1_video_id}",
                        "image_url": "{ad1_thumbnail_url}",
                        "message": "Set sail with Moana.",
                        "title": "Moana is back",
                        "link_description": "In theatres now",
                        "call_to_action": {"type": "LEARN_MORE", "value": {"link": URL}},
                    },
                },
            },
            "multipart": False,
            "description": "Create ad 1's creative: media, copy and call to action on the Page.",
            "returns": "ad1_creative_id",
            "response_path": ["id"],
        },
        {
            "method": "POST",
            "path": f"{account}/ads",
            "params": {},
            "body": {
                "name": "AD_1",
                "adset_id": "{adset_id}",
                "creative": {"creative_id": "{ad1_creative_id}"},
                "status": "ACTIVE",
            },
            "multipart": False,
            "description": "Create ad 1 in the ad set.",
            "returns": "ad1_id",
            "response_path": ["id"],
        },
        {
            "method": "POST",
            "path": f"{account}/adimages",
            "params": {},
            "body": {"bytes": "<bytes of hero.jpg, base64>"},
            "multipart": False,
            "description": "Upload ad 2's image, hero.jpg, to the image library.",
            "returns": "ad2_image_hash",
            "response_path": ["images", "bytes", "hash"],
        },
        {
            "method": "POST",
            "path": f"{account}/adcreatives",
            "params": {},
            "body": {
                "name": "AD_2",
                "object_story_spec": {
                    "page_id": "{page_id}",
                    # No call to action and no description: neither is sent empty.
                    "link_data": {
                        "image_hash": "{ad2_image_hash}",
                        "link": URL,
                        "message": "Set sail with Moana.",
                        "name": "Moana is back",
                    },
                },
            },
            "multipart": False,
            "description": "Create ad 2's creative: media, copy and call to action on the Page.",
            "returns": "ad2_creative_id",
            "response_path": ["id"],
        },
        {
            "method": "POST",
            "path": f"{account}/ads",
            "params": {},
            "body": {
                "name": "AD_2",
                "adset_id": "{adset_id}",
                "creative": {"creative_id": "{ad2_creative_id}"},
                "status": "ACTIVE",
            },
            "multipart": False,
            "description": "Create ad 2 in the ad set.",
            "returns": "ad2_id",
            "response_path": ["id"],
        },
    ]
    assert translation.account_placeholders == ("ad_account_id", "page_id")
    assert "https://developers.facebook.com/docs/marketing-api/reference/ad-account/ads/" in (
        translation.docs
    )
    # The file is named in the request, never embedded in it.
    upload = translation.requests[2]
    assert isinstance(upload.body["source"], FileRef)
    assert (upload.body["source"].key, upload.body["source"].encoding) == ("7/story.mp4", "part")
    assert upload.reads is False and translation.requests[3].reads is True


def test_meta_looks_up_creatives_by_name_and_ads_in_their_ad_set():
    translation = translate("META", data("META", ad(1, (HERO,))))
    meta = translation.requests
    creative = meta[3].filled({"ad_account_id": "1", "page_id": "9"})
    lookup = translate_lookup("META", creative)
    assert (lookup.method, lookup.path, lookup.what) == (
        "GET",
        "/v27.0/act_1/adcreatives",
        "ad creative",
    )
    assert json.loads(lookup.params["filtering"]) == [
        {"field": "name", "operator": "EQUAL", "value": "AD_1"}
    ]
    assert lookup.pick({"data": [{"id": "5", "name": "AD_0"}, {"id": "6", "name": "AD_1"}]}) == "6"
    made = meta[4].filled({"ad_account_id": "1", "adset_id": "42", "ad1_creative_id": "6"})
    lookup = translate_lookup("META", made)
    assert (lookup.path, lookup.params, lookup.what) == (
        "/v27.0/42/ads",
        {"fields": "id,name"},
        "ad",
    )
    # Uploads need no lookup: the same bytes get the same hash.
    assert translate_lookup("META", meta[2]) is None


def test_meta_refuses_what_it_would_refuse_for_every_ad_at_once():
    problems = problems_of(
        "META",
        data(
            "META",
            ad(1, ()),
            ad(2, (HERO, SQUARE), name=None, name_problem="Ad 1 already has the name AD_1."),
            ad(3, (HERO,), call_to_action="GET_TICKETS_NOW", landing_url=""),
        ),
    )
    assert problems == (
        "Ad 1: it has no creative: attach an image or a video.",
        "Ad 2: its name cannot be made: Ad 1 already has the name AD_1.",
        "Ad 2: a Meta ad takes one image or video; this one has hero.jpg, square.png.",
        "Ad 3: Meta has no call to action 'GET_TICKETS_NOW'; choose one of LEARN_MORE, "
        "SHOP_NOW, SIGN_UP, BOOK_NOW, DOWNLOAD, CONTACT_US, APPLY_NOW, ORDER_NOW, GET_QUOTE, "
        "SUBSCRIBE, WATCH_MORE, BUY_TICKETS.",
        "Ad 3: it has no landing URL.",
    )


def test_meta_sends_the_first_headline_and_description_of_several():
    # A Meta image or video ad shows one headline and one description.
    two = ad(1, (HERO,), headlines=("First", "Second"), descriptions=("One", "Two"))
    link = translate("META", data("META", two)).requests[3].body["object_story_spec"]
    assert (link["link_data"]["name"], link["link_data"]["description"]) == ("First", "One")


def test_meta_text_over_the_cut_off_is_sent_and_left_to_qa():
    # Meta cuts long primary text on screen but takes it (creative_specs: not hard limits).
    translation = translate("META", data("META", ad(1, (HERO,), primary_text="x" * 300)))
    assert translation.requests[3].body["object_story_spec"]["link_data"]["message"] == "x" * 300


def test_ads_of_update_tickets_are_not_translated():
    translation = translate(
        "META",
        data("META", ad(1, ()), request_type=RequestType.UPDATE_STATUS, target_status="ACTIVE"),
    )
    assert len(translation.requests) == 1


# --- TikTok --------------------------------------------------------------------------------------


def test_tiktok_video_ad_golden():
    """The video with its MD5, its cover as an ad image, the ad with the identity.

    https://business-api.tiktok.com/portal/docs/upload-a-video/v1.3
    https://business-api.tiktok.com/portal/docs/get-video-info/v1.3
    https://business-api.tiktok.com/portal/docs/upload-an-image-reference/v1.3
    https://business-api.tiktok.com/portal/docs/create-ads/v1.3
    https://github.com/tiktok/tiktok-business-api-sdk/blob/main/python_sdk/docs/AdcreateCreatives.md
    """
    translation = translate("TIKTOK", data("TIKTOK", ad(1, (STORY,))))

    api = "/open_api/v1.3"
    assert calls(translation, 3) == [
        {
            "method": "POST",
            "path": f"{api}/file/video/ad/upload/",
            "params": {},
            "body": {
                "advertiser_id": "{advertiser_id}",
                "upload_type": "UPLOAD_BY_FILE",
                "video_file": "<bytes of story.mp4, file>",
                "video_signature": "<MD5 of story.mp4>",
                "file_name": "story.mp4",
            },
            "multipart": True,
            "description": "Upload ad 1's video, story.mp4.",
            "returns": "ad1_video_id",
            "response_path": ["data", 0, "video_id"],
        },
        {
            "method": "GET",
            "path": f"{api}/file/video/ad/info/",
            "params": {"advertiser_id": "{advertiser_id}", "video_ids": '["{ad1_video_id}"]'},
            "body": {},
            "multipart": False,
            "description": "Read ad 1's video cover.",
            "returns": "ad1_cover_url",
            "response_path": ["data", "list", 0, "video_cover_url"],
        },
        {
            "method": "POST",
            "path": f"{api}/file/image/ad/upload/",
            "params": {},
            "body": {
                "advertiser_id": "{advertiser_id}",
                "upload_type": "UPLOAD_BY_URL",
                "image_url": "{ad1_cover_url}",
            },
            "multipart": False,
            "description": "Upload ad 1's video cover as its cover image.",
            "returns": "ad1_cover_id",
            "response_path": ["data", "image_id"],
        },
        {
            "method": "POST",
            "path": f"{api}/ad/create/",
            "params": {},
            "body": {
                "advertiser_id": "{advertiser_id}",
                "adgroup_id": "{adgroup_id}",
                "creatives": [
                    {
                        "ad_name": "AD_1",
                        "identity_type": "{identity_type}",
                        "identity_id": "{identity_id}",
                        "ad_format": "SINGLE_VIDEO",
                        "video_id": "{ad1_video_id}",
                        "image_ids": ["{ad1_cover_id}"],
                        "ad_text": "Set sail with Moana.",
                        "call_to_action": "LEARN_MORE",
                        "landing_page_url": URL,
                    }
                ],
            },
            "multipart": False,
            "description": "Create ad 1 in the ad group.",
            "returns": "ad1_id",
            "response_path": ["data", "ad_ids", 0],
        },
    ]
    assert translation.account_placeholders == ("advertiser_id", "identity_type", "identity_id")
    cover = translation.requests[4].filled({"advertiser_id": "7", "ad1_video_id": "v9"})
    assert cover.params == {"advertiser_id": "7", "video_ids": '["v9"]'}
    assert translation.requests[4].placeholders == ("advertiser_id", "ad1_video_id")


def test_tiktok_ad_without_a_call_to_action_sends_none():
    translation = translate("TIKTOK", data("TIKTOK", ad(1, (STORY,), call_to_action="")))
    assert "call_to_action" not in translation.requests[-1].body["creatives"][0]


def test_tiktok_looks_up_the_ad_by_name_in_its_ad_group():
    translation = translate("TIKTOK", data("TIKTOK", ad(1, (STORY,))))
    create = translation.requests[-1].filled({"advertiser_id": "7", "adgroup_id": "8"})
    lookup = translate_lookup("TIKTOK", create)
    assert (lookup.path, lookup.what) == ("/open_api/v1.3/ad/get/", "ad")
    assert lookup.params == {"advertiser_id": "7", "filtering": '{"adgroup_ids": ["8"]}'}
    found = {
        "data": {"list": [{"ad_id": "1", "ad_name": "AD_0"}, {"ad_id": "2", "ad_name": "AD_1"}]}
    }
    assert lookup.pick(found) == "2"
    assert translate_lookup("TIKTOK", translation.requests[3]) is None


def test_tiktok_refuses_images_missing_text_and_text_over_its_limit():
    problems = problems_of(
        "TIKTOK",
        data(
            "TIKTOK",
            ad(1, (HERO,), primary_text=""),
            ad(2, (STORY,), primary_text="x" * 101, name="N" * 513, call_to_action="WATCH_MORE"),
        ),
    )
    assert problems == (
        "Ad 1: TikTok in-feed ads are videos; hero.jpg is an image.",
        "Ad 1: TikTok needs the ad text (the primary text).",
        "Ad 2: its name is 513 characters; TikTok takes at most 512.",
        "Ad 2: TikTok has no call to action 'WATCH_MORE'; choose one of LEARN_MORE, SHOP_NOW, "
        "SIGN_UP, BOOK_NOW, DOWNLOAD, CONTACT_US, APPLY_NOW, ORDER_NOW, GET_QUOTE, SUBSCRIBE, "
        "WATCH_NOW, GET_TICKETS_NOW.",
        "Ad 2: A TikTok in-feed primary text may have at most 100 characters; this one has 101.",
    )
    # 100 characters and a 512-character name are taken.
    translate("TIKTOK", data("TIKTOK", ad(1, (STORY,), primary_text="x" * 100, name="N" * 512)))
