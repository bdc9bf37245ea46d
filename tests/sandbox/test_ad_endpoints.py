"""The sandbox's ad endpoints: uploads, creatives and ads on each platform, held to the specs the
platforms enforce, refused in each platform's own error shape."""

import base64
import hashlib
import io

from omnitraffick.sandbox import SANDBOX_CREDENTIALS
from tests.creatives.files import image_bytes, mp4_bytes
from tests.sandbox.helpers import (
    ACCOUNT,
    META_AUTH,
    TIKTOK,
    TIKTOK_API,
    TIKTOK_AUTH,
    add_fault,
    create_google_campaign,
    create_meta_campaign,
    create_tiktok_campaign,
    google_errors,
    google_mutate,
    google_post,
    meta_adset,
    meta_error,
    search,
    stored,
    tiktok_adgroup,
    tiktok_get,
    tiktok_post,
)

PAGE_ID = SANDBOX_CREDENTIALS["META"]["page_id"]
IDENTITY_ID = SANDBOX_CREDENTIALS["TIKTOK"]["identity_id"]
LINK = "https://www.disney.com/moana"


# --- Meta ----------------------------------------------------------------------------------------


def _meta_adset(client) -> str:
    campaign_id = create_meta_campaign(client)
    response = client.post(f"{ACCOUNT}/adsets", json=meta_adset(campaign_id), headers=META_AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["id"]


def _meta_image(client, data: bytes) -> str:
    body = {"bytes": base64.b64encode(data).decode()}
    response = client.post(f"{ACCOUNT}/adimages", json=body, headers=META_AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["images"]["bytes"]["hash"]


def _link_creative(client, image_hash: str, **story):
    spec = {"page_id": PAGE_ID, "link_data": {"image_hash": image_hash, "link": LINK, **story}}
    return client.post(
        f"{ACCOUNT}/adcreatives",
        json={"name": "Hero", "object_story_spec": spec},
        headers=META_AUTH,
    )


def test_meta_image_is_known_by_its_hash_and_uploading_it_again_makes_nothing_new(client):
    data = image_bytes(1200, 628, "JPEG")
    first, second = _meta_image(client, data), _meta_image(client, data)
    assert first == second == hashlib.md5(data).hexdigest()
    [image] = stored(client, "meta", "adimages")
    assert (image["width"], image["height"], image["mime_type"]) == (1200, 628, "image/jpeg")


def test_meta_refuses_an_upload_that_is_not_an_image(client):
    for body in ({"bytes": "not base64!"}, {"bytes": base64.b64encode(b"text").decode()}, {}):
        error = meta_error(client.post(f"{ACCOUNT}/adimages", json=body, headers=META_AUTH))
        assert error["code"] == 100
    assert stored(client, "meta", "adimages") == []


def test_meta_feed_creative_refuses_a_story_image_and_a_small_one(client):
    tall = _meta_image(client, image_bytes(1080, 1920, "JPEG"))
    error = meta_error(_link_creative(client, tall))
    assert (error["code"], error["error_user_title"]) == (100, "Image Aspect Ratio Not Supported")
    assert error["error_user_msg"].startswith("The image is 1080x1920 px; feed ads take images")

    small = _meta_image(client, image_bytes(500, 500, "PNG"))
    error = meta_error(_link_creative(client, small))
    assert error["error_user_title"] == "Image Too Small"
    assert "at least 600x600 px" in error["error_user_msg"]
    assert stored(client, "meta", "adcreatives") == []


def test_meta_creative_checks_its_page_image_call_to_action_and_link(client):
    good = _meta_image(client, image_bytes(1200, 628, "JPEG"))
    assert _link_creative(client, good, call_to_action={"type": "SHOP_NOW"}).status_code == 200
    error = meta_error(_link_creative(client, good, call_to_action={"type": "TAP_HERE"}))
    assert error["error_user_title"] == "Invalid Call to Action"
    assert meta_error(_link_creative(client, "0" * 32))["error_user_title"] == "Image Not Found"
    no_link = {
        "name": "X",
        "object_story_spec": {"page_id": PAGE_ID, "link_data": {"image_hash": good}},
    }
    meta_error(client.post(f"{ACCOUNT}/adcreatives", json=no_link, headers=META_AUTH))
    wrong_page = {"name": "X", "object_story_spec": {"page_id": "1", "link_data": {}}}
    error = meta_error(client.post(f"{ACCOUNT}/adcreatives", json=wrong_page, headers=META_AUTH))
    assert error["error_user_title"] == "Page Not Found"
    empty = {"name": "X", "object_story_spec": {"page_id": PAGE_ID}}
    error = meta_error(client.post(f"{ACCOUNT}/adcreatives", json=empty, headers=META_AUTH))
    assert error["error_user_title"] == "Creative Has No Content"


def test_meta_video_creative_needs_its_thumbnail_and_the_ad_lives_in_its_ad_set(client):
    upload = client.post(
        f"{ACCOUNT}/advideos",
        data={"source": (io.BytesIO(mp4_bytes(1080, 1920, 10)), "story.mp4"), "name": "story"},
        headers=META_AUTH,
    )
    assert upload.status_code == 200, upload.get_json()
    video_id = upload.get_json()["id"]
    thumbnails = client.get(f"/meta/v27.0/{video_id}/thumbnails", headers=META_AUTH).get_json()
    [thumbnail] = thumbnails["data"]
    assert thumbnail["is_preferred"] is True

    def creative(**video):
        spec = {"page_id": PAGE_ID, "video_data": {"video_id": video_id, **video}}
        body = {"name": "Story", "object_story_spec": spec}
        return client.post(f"{ACCOUNT}/adcreatives", json=body, headers=META_AUTH)

    error = meta_error(creative())
    assert error["error_user_title"] == "Video Thumbnail Required"
    response = creative(image_url=thumbnail["uri"], message="Sail")
    assert response.status_code == 200
    creative_id = response.get_json()["id"]

    adset_id = _meta_adset(client)
    ad = {"name": "Ad", "adset_id": adset_id, "creative": {"creative_id": creative_id}}
    made = client.post(f"{ACCOUNT}/ads", json={**ad, "status": "ACTIVE"}, headers=META_AUTH)
    assert made.status_code == 200, made.get_json()
    listed = client.get(f"/meta/v27.0/{adset_id}/ads?fields=id,name", headers=META_AUTH)
    assert listed.get_json()["data"] == [{"id": made.get_json()["id"], "name": "Ad"}]
    unknown = {**ad, "status": "ACTIVE", "creative": {"creative_id": "1"}}
    error = meta_error(client.post(f"{ACCOUNT}/ads", json=unknown, headers=META_AUTH))
    assert error["error_user_title"] == "Creative Not Found"
    meta_error(client.post(f"{ACCOUNT}/advideos", data={}, headers=META_AUTH))


# --- TikTok --------------------------------------------------------------------------------------


def _tiktok_video(client, content: bytes, signature: str | None = None):
    return client.post(
        f"{TIKTOK_API}/file/video/ad/upload/",
        data={
            "advertiser_id": TIKTOK["advertiser_id"],
            "upload_type": "UPLOAD_BY_FILE",
            "video_file": (io.BytesIO(content), "story.mp4"),
            "video_signature": signature or hashlib.md5(content).hexdigest(),
        },
        headers=TIKTOK_AUTH,
    ).get_json()


def _tiktok_ad(client, **creative):
    adgroup = tiktok_post(client, "adgroup/create/", tiktok_adgroup(create_tiktok_campaign(client)))
    video = _tiktok_video(client, mp4_bytes(1080, 1920, 10))["data"][0]
    cover = tiktok_post(
        client,
        "file/image/ad/upload/",
        {
            "advertiser_id": TIKTOK["advertiser_id"],
            "upload_type": "UPLOAD_BY_URL",
            "image_url": video["video_cover_url"],
        },
    )["data"]
    values = {
        "ad_name": "Story",
        "identity_type": "CUSTOMIZED_USER",
        "identity_id": IDENTITY_ID,
        "ad_format": "SINGLE_VIDEO",
        "video_id": video["video_id"],
        "image_ids": [cover["image_id"]],
        "ad_text": "Set sail with Moana.",
        "call_to_action": "LEARN_MORE",
        "landing_page_url": LINK,
    }
    body = {
        "advertiser_id": TIKTOK["advertiser_id"],
        "adgroup_id": adgroup["data"]["adgroup_id"],
        "creatives": [{**values, **creative}],
    }
    return adgroup["data"]["adgroup_id"], tiktok_post(client, "ad/create/", body)


def test_tiktok_video_upload_checks_the_md5_signature(client):
    wrong = _tiktok_video(client, mp4_bytes(1080, 1920, 10), signature="0" * 32)
    assert wrong["code"] == 40002 and "video_signature" in wrong["message"]
    assert stored(client, "tiktok", "videos") == []
    good = _tiktok_video(client, mp4_bytes(1080, 1920, 10))
    assert good["code"] == 0 and good["data"][0]["video_id"]
    info = client.get(
        f"{TIKTOK_API}/file/video/ad/info/",
        query_string={
            "advertiser_id": TIKTOK["advertiser_id"],
            "video_ids": f'["{good["data"][0]["video_id"]}"]',
        },
        headers=TIKTOK_AUTH,
    ).get_json()
    assert info["data"]["list"][0]["video_cover_url"] == good["data"][0]["video_cover_url"]


def test_tiktok_ad_is_made_in_its_ad_group_and_found_by_it(client):
    adgroup_id, body = _tiktok_ad(client)
    assert body["code"] == 0, body
    [ad_id] = body["data"]["ad_ids"]
    found = tiktok_get(client, "ad/get/", {"adgroup_ids": [adgroup_id]})
    assert [(ad["ad_id"], ad["ad_name"]) for ad in found["list"]] == [(ad_id, "Story")]


def test_tiktok_refuses_long_text_an_unknown_call_to_action_or_identity(client):
    for creative, words in (
        ({"ad_text": "x" * 101}, "ad_text must be 1 to 100 characters; it has 101"),
        ({"call_to_action": "WATCH_MORE"}, "call_to_action must be one of"),
        ({"identity_id": "1"}, "identity_id 1 does not exist"),
        ({"image_ids": []}, "image_ids: Missing data"),
    ):
        _, body = _tiktok_ad(client, **creative)
        assert (body["code"], words in body["message"]) == (40002, True), body
    assert stored(client, "tiktok", "ads") == []


def test_tiktok_image_ads_are_held_to_the_image_ad_spec(client):
    def image(width, height):
        content = image_bytes(width, height, "JPEG")
        return client.post(
            f"{TIKTOK_API}/file/image/ad/upload/",
            data={
                "advertiser_id": TIKTOK["advertiser_id"],
                "image_file": (io.BytesIO(content), "hero.jpg"),
                "image_signature": hashlib.md5(content).hexdigest(),
            },
            headers=TIKTOK_AUTH,
        ).get_json()["data"]["image_id"]

    for size, words in (
        ((1000, 400), "image ads take 1.91:1, 1:1 or 9:16 images"),
        ((600, 314), "a 1.91:1 image ad needs at least 1200x628"),
    ):
        _, body = _tiktok_ad(client, ad_format="SINGLE_IMAGE", image_ids=[image(*size)])
        assert body["code"] == 40002 and words in body["message"], body
    _, body = _tiktok_ad(client, ad_format="SINGLE_IMAGE", image_ids=[image(1200, 628)])
    assert body["code"] == 0, body
    unreadable = client.post(
        f"{TIKTOK_API}/file/image/ad/upload/",
        data={
            "advertiser_id": TIKTOK["advertiser_id"],
            "image_file": (io.BytesIO(b"text"), "hero.jpg"),
            "image_signature": hashlib.md5(b"text").hexdigest(),
        },
        headers=TIKTOK_AUTH,
    ).get_json()
    assert unreadable["code"] == 40002 and "not a JPG or PNG" in unreadable["message"]


def test_tiktok_video_ads_are_held_to_the_in_feed_video_spec(client):
    """In-feed videos are 9:16 (at least 540x960), 1:1 (640x640) or 16:9 (960x540), 5 to 60
    seconds: https://ads.tiktok.com/help/article/video-ads-specifications"""

    def video(width, height, seconds):
        return _tiktok_video(client, mp4_bytes(width, height, seconds))["data"][0]["video_id"]

    for size, words in (
        ((1440, 1080, 10), "the video is 1440x1080; video ads take 9:16, 1:1 or 16:9 videos"),
        ((640, 360, 10), "the video is 640x360; a 16:9 video ad needs at least 960x540"),
        ((1080, 1920, 3), "the video lasts 3 seconds; in-feed video ads last 5 to 60 seconds"),
        ((1080, 1920, 61), "the video lasts 61 seconds"),
    ):
        _, body = _tiktok_ad(client, video_id=video(*size))
        assert body["code"] == 40002 and words in body["message"], body
    assert stored(client, "tiktok", "ads") == []
    for size in ((1920, 1080, 60), (640, 640, 5)):
        _, body = _tiktok_ad(client, video_id=video(*size))
        assert body["code"] == 0, body

    uploaded = len(stored(client, "tiktok", "videos"))
    unreadable = _tiktok_video(client, image_bytes(1080, 1920, "JPEG"))
    assert unreadable["code"] == 40002
    assert "video_file is not a video TikTok can read" in unreadable["message"]
    assert len(stored(client, "tiktok", "videos")) == uploaded


# --- Google Ads ----------------------------------------------------------------------------------


def _google_ad_group(client, channel="DISPLAY") -> str:
    bidding = {"manualCpm": {}} if channel == "DISPLAY" else {"manualCpc": {}}
    fields = {"advertisingChannelType": channel, "manualCpc": None, **bidding}
    if channel == "DISPLAY":
        fields["networkSettings"] = None
    _, campaign = create_google_campaign(client, **fields)
    kind = "DISPLAY_STANDARD" if channel == "DISPLAY" else "SEARCH_STANDARD"
    create = {"name": "Group", "campaign": campaign, "status": "ENABLED", "type": kind}
    (group,) = google_mutate(client, "adGroups", {"create": create})
    return group


def _asset(client, name, data):
    create = {
        "name": name,
        "type": "IMAGE",
        "imageAsset": {"data": base64.b64encode(data).decode()},
    }
    (asset,) = google_mutate(client, "assets", {"create": create})
    return asset


def _display_ad(group, landscape, square, **display):
    ad = {
        "marketingImages": [{"asset": landscape}],
        "squareMarketingImages": [{"asset": square}],
        "headlines": [{"text": "Moana is back"}],
        "longHeadline": {"text": "Moana sets sail again"},
        "descriptions": [{"text": "In theatres now"}],
        "businessName": "Disney",
        **display,
    }
    return {"create": {"adGroup": group, "ad": {"finalUrls": [LINK], "responsiveDisplayAd": ad}}}


def _codes(response):
    return [error["errorCode"] for error in google_errors(response)]


def test_google_display_ad_takes_landscape_and_square_images_only(client):
    group = _google_ad_group(client)
    wide = _asset(client, "wide", image_bytes(1200, 628))
    square = _asset(client, "square", image_bytes(600, 600))
    tall = _asset(client, "tall", image_bytes(1080, 1920))
    tiny = _asset(client, "tiny", image_bytes(200, 200))

    response = google_post(
        client, "adGroupAds:mutate", {"operations": [_display_ad(group, tall, tiny)]}
    )
    assert _codes(response) == [
        {"imageError": "ASPECT_RATIO_NOT_ALLOWED"},
        {"imageError": "IMAGE_TOO_SMALL"},
    ]
    assert stored(client, "google", "ad_group_ads") == []
    (ad,) = google_mutate(client, "adGroupAds", _display_ad(group, wide, square))
    assert ad.startswith(f"{group.replace('adGroups', 'adGroupAds')}~")


def test_google_refuses_long_texts_and_wrong_counts_with_its_enums(client):
    group = _google_ad_group(client)
    wide = _asset(client, "wide", image_bytes(1200, 628))
    square = _asset(client, "square", image_bytes(600, 600))
    long = _display_ad(group, wide, square, headlines=[{"text": "h" * 31}], businessName="B" * 26)
    codes = _codes(google_post(client, "adGroupAds:mutate", {"operations": [long]}))
    assert codes == [{"stringLengthError": "TOO_LONG"}, {"stringLengthError": "TOO_LONG"}]

    search_group = _google_ad_group(client, "SEARCH")
    rsa = {"headlines": [{"text": "Same"}, {"text": "Same"}], "descriptions": [{"text": "D"}]}
    create = {"adGroup": search_group, "ad": {"finalUrls": [LINK], "responsiveSearchAd": rsa}}
    codes = _codes(google_post(client, "adGroupAds:mutate", {"operations": [{"create": create}]}))
    assert codes == [
        {"collectionSizeError": "TOO_FEW"},
        {"collectionSizeError": "TOO_FEW"},
        {"assetError": "DUPLICATE_ASSET"},
    ]
    # A search ad in a display ad group is refused too.
    rsa = {"headlines": [{"text": t} for t in "abc"], "descriptions": [{"text": t} for t in "de"]}
    create = {"adGroup": group, "ad": {"finalUrls": [LINK], "responsiveSearchAd": rsa}}
    codes = _codes(google_post(client, "adGroupAds:mutate", {"operations": [{"create": create}]}))
    assert codes == [{"adError": "AD_TYPE_NOT_SUPPORTED_FOR_AD_GROUP_TYPE"}]


def test_google_ad_groups_match_their_campaign_and_are_found_by_name(client):
    group = _google_ad_group(client)
    [row] = search(
        client, "SELECT ad_group.resource_name FROM ad_group WHERE ad_group.name = 'Group'"
    )["results"]
    assert row["adGroup"]["resourceName"] == group
    campaign = stored(client, "google", "ad_groups")[0]["campaign"]
    again = {"name": "Group", "campaign": campaign, "type": "DISPLAY_STANDARD"}
    response = google_post(client, "adGroups:mutate", {"operations": [{"create": again}]})
    assert _codes(response) == [{"adGroupError": "DUPLICATE_ADGROUP_NAME"}]
    wrong = {**again, "name": "Other", "type": "SEARCH_STANDARD"}
    response = google_post(client, "adGroups:mutate", {"operations": [{"create": wrong}]})
    assert _codes(response) == [
        {"adGroupError": "AD_GROUP_TYPE_NOT_VALID_FOR_ADVERTISING_CHANNEL_TYPE"}
    ]


def test_google_image_asset_must_be_an_image(client):
    create = {"name": "x", "type": "IMAGE", "imageAsset": {"data": base64.b64encode(b"x").decode()}}
    response = google_post(client, "assets:mutate", {"operations": [{"create": create}]})
    assert _codes(response) == [{"imageError": "INVALID_IMAGE"}]
    _asset(client, "hero", image_bytes(1200, 628))
    again = {
        "name": "hero",
        "imageAsset": {"data": base64.b64encode(image_bytes(600, 600)).decode()},
    }
    response = google_post(client, "assets:mutate", {"operations": [{"create": again}]})
    assert _codes(response) == [{"assetError": "DUPLICATE_ASSET_NAME"}]


# --- faults --------------------------------------------------------------------------------------


def test_a_fault_can_let_the_first_matching_requests_through(client):
    add_fault(
        client, platform="meta", method="POST", path_contains="/campaigns", after=1, status=500
    )
    # The first matching request goes through (and is judged as usual), the second fails.
    create_meta_campaign(client)
    assert client.post(f"{ACCOUNT}/campaigns", json={}, headers=META_AUTH).status_code == 500
    assert client.get("/_sandbox/faults").get_json() == {"faults": []}
    create_meta_campaign(client)
    assert len(stored(client, "meta", "campaigns")) == 2
