"""Platform translators, the ads: golden requests for every upload, creative and ad of each
platform, written from the official references cited on each test, and the refusals a
translator can know before anything is sent ("Ad 2: ...", every problem at once).
"""

import copy
import json
import pickle
from decimal import Decimal

import pytest

from omnitraffick.models import RequestType
from omnitraffick.services.translators import (
    GoogleAdsTranslator,
    TranslationError,
    TranslationInput,
    translate,
)
from omnitraffick.services.translators.base import AdFile, AdInput, FileRef, PlatformRequest
from tests.translators.helpers import NAME, problems_of, settings

URL = "https://www.disney.com/moana?utm_source=meta"
STORY = AdFile("7/story.mp4", "story.mp4", "video", "video/mp4", 1080, 1920, 900_000, Decimal(10))
HERO = AdFile("7/hero.jpg", "hero.jpg", "image", "image/jpeg", 1200, 628, 200_000)
SQUARE = AdFile("7/square.png", "square.png", "image", "image/png", 600, 600, 100_000)
TALL = AdFile("7/tall.png", "tall.png", "image", "image/png", 1080, 1920, 100_000)
TINY = AdFile("7/tiny.png", "tiny.png", "image", "image/png", 100, 300, 1_000)


def ad(position=1, files=(HERO,), **fields) -> AdInput:
    values = {
        "name": f"AD_{position}",
        "name_problem": None,
        "placements": (),
        "files": files,
        "primary_text": "Set sail with Moana.",
        "headlines": ("Moana is back",),
        "descriptions": ("In theatres now",),
        "call_to_action": "LEARN_MORE",
        "landing_url": URL,
    }
    return AdInput(position=position, **(values | fields))


def data(channel, *ads, request_type=RequestType.CREATE_CAMPAIGN, **overrides) -> TranslationInput:
    return TranslationInput(
        platform_name=NAME.format(channel),
        request_type=request_type,
        settings=settings(**overrides),
        currency="USD",
        country="US",
        created_object_id="120210000000001"
        if request_type is not RequestType.CREATE_CAMPAIGN
        else None,
        ads=ads,
    )


def calls(translation, start):
    return [request.to_dict() for request in translation.requests[start:]]


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


def translate_lookup(channel, request):
    from omnitraffick.services.translators import translator_for

    return translator_for(channel).lookup(request)


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


# --- Google Ads ----------------------------------------------------------------------------------


def test_google_search_ticket_gets_an_ad_group_and_a_responsive_search_ad_golden():
    """https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroups/mutate
    https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroupAds/mutate
    https://developers.google.com/google-ads/api/docs/responsive-search-ads/create-responsive-search-ads
    """
    rsa = ad(1, (), headlines=("One", "Two", "Three"), descriptions=("Four", "Five"))
    translation = translate("GOOGLE", data("GOOGLE", rsa))

    customer = "/v26/customers/{customer_id}"
    assert calls(translation, 3) == [
        {
            "method": "POST",
            "path": f"{customer}/adGroups:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "name": NAME.format("GOOGLE"),
                            "campaign": "{campaign_resource_name}",
                            "status": "ENABLED",
                            "type": "SEARCH_STANDARD",
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Create the ad group that holds the ads.",
            "returns": "ad_group_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
        {
            "method": "POST",
            "path": f"{customer}/adGroupAds:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "adGroup": "{ad_group_resource_name}",
                            "status": "ENABLED",
                            "ad": {
                                "finalUrls": [URL],
                                "responsiveSearchAd": {
                                    "headlines": [
                                        {"text": "One"},
                                        {"text": "Two"},
                                        {"text": "Three"},
                                    ],
                                    "descriptions": [{"text": "Four"}, {"text": "Five"}],
                                },
                            },
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Create ad 1, a responsive search ad, in the ad group.",
            "returns": "ad1_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
    ]


def test_google_display_ticket_uploads_image_assets_for_a_responsive_display_ad_golden():
    """https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.assets/mutate
    https://developers.google.com/google-ads/api/docs/responsive-display-ads/create-responsive-display-ads
    https://developers.google.com/google-ads/api/reference/rpc/v26/ResponsiveDisplayAdInfo
    """
    rda = ad(1, (SQUARE, HERO), long_headline="Moana sets sail again", business_name="Disney")
    translation = translate("GOOGLE", data("GOOGLE", rda, objective="AWARENESS"))

    customer = "/v26/customers/{customer_id}"
    assert translation.requests[3].body["operations"][0]["create"]["type"] == "DISPLAY_STANDARD"
    assert calls(translation, 4) == [
        {
            "method": "POST",
            "path": f"{customer}/assets:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "name": "AD_1 square.png",
                            "type": "IMAGE",
                            "imageAsset": {"data": "<bytes of square.png, base64>"},
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Upload ad 1's image 1, square.png, as an image asset.",
            "returns": "ad1_image1_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
        {
            "method": "POST",
            "path": f"{customer}/assets:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "name": "AD_1 hero.jpg",
                            "type": "IMAGE",
                            "imageAsset": {"data": "<bytes of hero.jpg, base64>"},
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Upload ad 1's image 2, hero.jpg, as an image asset.",
            "returns": "ad1_image2_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
        {
            "method": "POST",
            "path": f"{customer}/adGroupAds:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "adGroup": "{ad_group_resource_name}",
                            "status": "ENABLED",
                            "ad": {
                                "finalUrls": [URL],
                                "responsiveDisplayAd": {
                                    "marketingImages": [{"asset": "{ad1_image2_resource_name}"}],
                                    "squareMarketingImages": [
                                        {"asset": "{ad1_image1_resource_name}"}
                                    ],
                                    "headlines": [{"text": "Moana is back"}],
                                    "longHeadline": {"text": "Moana sets sail again"},
                                    "descriptions": [{"text": "In theatres now"}],
                                    "businessName": "Disney",
                                    "callToActionText": "Learn more",
                                },
                            },
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Create ad 1, a responsive display ad, in the ad group.",
            "returns": "ad1_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
    ]
    no_action = ad(1, (SQUARE, HERO), long_headline="L", business_name="D", call_to_action="")
    display = translate("GOOGLE", data("GOOGLE", no_action, objective="AWARENESS")).requests[-1]
    assert (
        "callToActionText"
        not in display.body["operations"][0]["create"]["ad"]["responsiveDisplayAd"]
    )


def test_google_looks_up_the_ad_group_and_image_assets_by_name():
    rda = ad(1, (SQUARE, HERO), long_headline="L", business_name="D")
    requests = translate("GOOGLE", data("GOOGLE", rda, objective="AWARENESS")).requests
    values = {"customer_id": "1", "campaign_resource_name": "customers/1/campaigns/2"}
    group = translate_lookup("GOOGLE", requests[3].filled(values))
    assert group.body == {
        "query": "SELECT ad_group.resource_name FROM ad_group WHERE ad_group.campaign = "
        "'customers/1/campaigns/2' AND ad_group.name = 'DIS_US_GOOGLE_2026_MoanaLaunch'"
    }
    assert group.what == "ad group"
    asset = translate_lookup("GOOGLE", requests[4].filled(values))
    assert asset.body == {
        "query": "SELECT asset.resource_name FROM asset WHERE asset.name = 'AD_1 square.png'"
    }
    assert asset.pick({"results": [{"asset": {"resourceName": "customers/1/assets/3"}}]}) == (
        "customers/1/assets/3"
    )
    # Responsive ads have no name to find them by.
    assert translate_lookup("GOOGLE", requests[-1].filled(values)) is None


def test_google_refuses_videos_and_ads_its_campaign_type_cannot_take():
    problems = problems_of(
        "GOOGLE",
        data(
            "GOOGLE",
            ad(1, (STORY,)),
            ad(2, (HERO,), headlines=("Same", "Same"), descriptions=("x" * 91,)),
        ),
    )
    assert problems == (
        "Ad 1: Google Ads takes YouTube videos only, not uploaded files (story.mp4); remove the "
        "video or traffic it on YouTube.",
        "Ad 2: a responsive search ad takes 3 to 15 headlines; this one has 2 headlines.",
        "Ad 2: a responsive search ad takes 2 to 4 descriptions; this one has 1 description.",
        "Ad 2: a responsive search ad's headlines must differ from each other.",
        "Ad 2: a responsive search ad is text only; remove its images (Search campaigns show no "
        "images): hero.jpg.",
        "Ad 2: A Google responsive search description may have at most 90 characters; this one "
        "has 91.",
    )


def test_google_refuses_display_ads_missing_what_they_need():
    many = tuple(HERO for _ in range(15)) + (SQUARE,)
    problems = problems_of(
        "GOOGLE",
        data(
            "GOOGLE",
            ad(1, (HERO, TALL, TINY), headlines=(), descriptions=tuple("abcdef")),
            ad(2, many, long_headline="L", business_name="B", headlines=("h" * 31,)),
            objective="REACH",
        ),
    )
    assert problems == (
        "Ad 1: a responsive display ad takes 1 to 5 headlines; this one has 0 headlines.",
        "Ad 1: a responsive display ad takes 1 to 5 descriptions; this one has 6 descriptions.",
        "Ad 1: a responsive display ad needs a long headline.",
        "Ad 1: a responsive display ad needs the business name.",
        "Ad 1: tall.png fits neither image of a responsive display ad: A Google responsive "
        "display (landscape) image must be 1.91:1; this one is 9:16.",
        "Ad 1: tiny.png fits neither image of a responsive display ad: A Google responsive "
        "display (landscape) image must be 1.91:1; this one is 1:3. A Google responsive "
        "display (landscape) image must be at least 600×314 px; this one is 100×300 px.",
        "Ad 1: a responsive display ad needs at least one landscape (1.91:1) and one square "
        "(1:1) image; this one has 1 and 0.",
        "Ad 2: a responsive display ad takes at most 15 images; this one has 16.",
        "Ad 2: A Google responsive display (landscape) headline may have at most 30 "
        "characters; this one has 31.",
    )
    # Exactly 15 images, 5 headlines and 5 descriptions are taken.
    fifteen = tuple(HERO for _ in range(14)) + (SQUARE,)
    full = ad(1, fifteen, long_headline="L", business_name="B", headlines=tuple("abcde"),
              descriptions=tuple("abcde"))  # fmt: skip
    translate("GOOGLE", data("GOOGLE", full, objective="REACH"))


def test_google_ads_of_an_objective_it_cannot_take_report_only_the_objective():
    problems = problems_of("GOOGLE", data("GOOGLE", ad(1, (STORY,)), objective="VIDEO_VIEWS"))
    assert len(problems) == 1 and problems[0].startswith("Google Ads does not support")


def test_google_campaign_without_ads_has_no_ad_group():
    translation = translate("GOOGLE", data("GOOGLE"))
    # Nor the ads' reference pages among those the requests follow.
    assert not [doc for doc in translation.docs if "adGroup" in doc or "responsive" in doc]
    with_ads = translate("GOOGLE", data("GOOGLE", ad(1, (), headlines=("a", "b", "c"),
                                                  descriptions=("d", "e"))))  # fmt: skip
    assert with_ads.docs[-5:] == GoogleAdsTranslator.ad_docs
    assert [r.path.rsplit("/", 1)[1] for r in translation.requests] == [
        "campaignBudgets:mutate",
        "campaigns:mutate",
        "campaignCriteria:mutate",
    ]


# --- files in requests ---------------------------------------------------------------------------


def test_a_file_reads_as_what_it_stands_for_and_survives_copies():
    ref = FileRef("7/{odd}.png", "{odd}.png", "base64")
    assert ref == "<bytes of {odd}.png, base64>"
    assert str(FileRef("k.png", "k.png", "md5")) == "<MD5 of k.png>"
    for copied in (copy.deepcopy(ref), pickle.loads(pickle.dumps(ref))):
        assert isinstance(copied, FileRef) and (copied.key, copied.encoding) == (
            "7/{odd}.png",
            "base64",
        )
    with pytest.raises(ValueError):
        FileRef("k", "k.png", "hex")
    request = PlatformRequest("POST", "/{a}/upload", {"file": ref, "n": ["{b}"]}, "Upload.")
    # A file's name is not a placeholder, and filling leaves the file as it is.
    assert request.placeholders == ("a", "b")
    filled = request.filled({"a": "1", "b": "2", "odd": "x"})
    assert filled.body["file"] is ref and filled.body["n"] == ["2"]
    assert filled.multipart is False
    assert PlatformRequest("POST", "/u", {"f": [FileRef("k", "k", "part")]}, "U.").multipart


@pytest.mark.parametrize(
    ("objective", "placements", "kind", "runs_in"),
    [
        ("TRAFFIC", ("google_display_landscape",), "Search", "Google responsive search"),
        (
            "REACH",
            ("google_search",),
            "Display",
            "Google responsive display (landscape) or Google responsive display (square)",
        ),
    ],
)
def test_google_refuses_an_ad_meant_for_the_other_campaign_type(
    objective, placements, kind, runs_in
):
    """The campaign type follows the ticket's objective; an ad whose placements are all of
    the other type would go out as an ad its author did not make."""
    problems = problems_of(
        "GOOGLE", data("GOOGLE", ad(1, (), placements=placements), objective=objective)
    )
    assert problems == (
        f"Ad 1: the objective {objective} makes a {kind} campaign, whose ads run in {runs_in}; "
        "choose that placement for this ad, or traffic it on a ticket whose objective makes "
        "the other campaign type.",
    )
    # One placement of the campaign's own type among them is enough.
    mixed = placements + ("google_search", "google_display_square")
    assert not any(
        "makes a" in p
        for p in problems_of_or_none("GOOGLE", data("GOOGLE", ad(1, (), placements=mixed)))
    )


def problems_of_or_none(channel, translation_input) -> tuple[str, ...]:
    try:
        translate(channel, translation_input)
    except TranslationError as err:
        return tuple(err.problems)
    return ()
