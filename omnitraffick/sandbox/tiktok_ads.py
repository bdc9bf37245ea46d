"""TikTok API for Business v1.3 stand-in, the ads: image and video uploads, ads.

Endpoints and fields follow the official reference (and the SDK's AdcreateCreatives.md):
https://business-api.tiktok.com/portal/docs/upload-an-image-reference/v1.3
https://business-api.tiktok.com/portal/docs/upload-a-video/v1.3
https://business-api.tiktok.com/portal/docs/get-video-info/v1.3
https://business-api.tiktok.com/portal/docs/create-ads/v1.3
https://business-api.tiktok.com/portal/docs/get-ads/v1.3
Refusals are TikTok's: HTTP 200 with code 40002 and the reason. The ad text is 1 to 100
characters; an image ad's image is held to the image ad spec, 1.91:1 (at least 1200 x 628),
1:1 (640 x 640) or 9:16 (720 x 1280)
(https://ads.tiktok.com/help/article/image-ads-specifications), and a video ad's video to
the in-feed video spec, 9:16 (at least 540 x 960), 1:1 (640 x 640) or 16:9 (960 x 540),
5 to 60 seconds (https://ads.tiktok.com/help/article/video-ads-specifications). An upload
that is not a video TikTok can read is refused.
"""

import hashlib
import json

from flask import Blueprint, request

from .common import current_store, json_object_body, record_created
from .credentials import SANDBOX_CREDENTIALS
from .images import read_image, read_video
from .tiktok import (
    API,
    CREDENTIALS,
    TikTokError,
    _check_advertiser,
    _check_token,
    _enum,
    _filtering,
    _id_list,
    _now,
    _page,
    _query,
    _required,
    _text,
    _tiktok_error,
    invalid,
    ok,
)

IDENTITY = SANDBOX_CREDENTIALS["TIKTOK"]
IDENTITY_TYPES = ("CUSTOMIZED_USER", "TT_USER", "BC_AUTH_TT")
AD_FORMATS = ("SINGLE_VIDEO", "SINGLE_IMAGE")
UPLOAD_TYPES = ("UPLOAD_BY_FILE", "UPLOAD_BY_URL")
# The ad's call_to_action (Enumerations: call-to-action, a subset):
# https://business-api.tiktok.com/portal/docs?id=1737174886619138
CALLS_TO_ACTION = (
    "LEARN_MORE",
    "SHOP_NOW",
    "SIGN_UP",
    "BOOK_NOW",
    "DOWNLOAD",
    "CONTACT_US",
    "APPLY_NOW",
    "ORDER_NOW",
    "GET_QUOTE",
    "SUBSCRIBE",
    "WATCH_NOW",
    "GET_TICKETS_NOW",
    "PLAY_GAME",
    "INSTALL_NOW",
)
AD_TEXT_MAX = 100
AD_NAME_MAX = 512
# Image ads, then in-feed video ads: (ratio, width / height, least width, least height); 1 %
# tolerance. Videos last 5 to 60 seconds.
IMAGE_RATIOS = (("1.91:1", 1.91, 1200, 628), ("1:1", 1, 640, 640), ("9:16", 9 / 16, 720, 1280))
VIDEO_RATIOS = (("9:16", 9 / 16, 540, 960), ("1:1", 1, 640, 640), ("16:9", 16 / 9, 960, 540))
VIDEO_SECONDS = (5, 60)
COVER_URL = "https://sandbox.tiktok.invalid/video/cover/{}.jpg"

# Registered under /tiktok next to tiktok.bp (sandbox/__init__.py), answering errors alike.
bp = Blueprint("tiktok_ads", __name__)
bp.register_error_handler(TikTokError, _tiktok_error)


def _fields() -> dict:
    """A POST's fields, multipart or JSON, once the token and advertiser are checked."""
    _check_token()
    if request.files or request.form:
        data = request.form.to_dict()
    else:
        data = json_object_body()
        if data is None:
            raise invalid("Invalid request body: it must be a JSON object.")
    return _check_advertiser(data)


def _signed_file(data: dict, part: str, signature: str) -> tuple[str, bytes]:
    """The uploaded file of `part`, checked against its MD5 `signature`."""
    upload = request.files.get(part)
    if upload is None:
        raise invalid(f"{part}: Missing data for required field.")
    content = upload.read()
    expected = _required(data, signature)
    if hashlib.md5(content).hexdigest() != str(expected).lower():
        raise invalid(
            f"Invalid parameter: {signature} does not match the file's MD5; the file may "
            "have been corrupted on the way. Upload it again."
        )
    return upload.filename or "", content


@bp.route(f"{API}/file/image/ad/upload/", methods=["POST"], strict_slashes=False)
def upload_image():
    """An ad image, from the file itself or from a URL."""
    data = _fields()
    upload_type = _enum(data, "upload_type", UPLOAD_TYPES, required=False) or "UPLOAD_BY_FILE"
    store = current_store()
    if upload_type == "UPLOAD_BY_URL":
        url = _text(data, "image_url")
        with store.lock:
            video = next(
                (v for v in store.kind("tiktok", "videos").values() if v["video_cover_url"] == url),
                None,
            )
        if video is None:
            raise invalid(
                "Invalid parameter: image_url could not be downloaded (the sandbox downloads "
                "only the covers of videos uploaded to it)."
            )
        size, signature = (video["width"], video["height"]), hashlib.md5(url.encode()).hexdigest()
        file_name, mime = f"{video['video_id']}-cover.jpg", "image/jpeg"
    else:
        file_name, content = _signed_file(data, "image_file", "image_signature")
        image = read_image(content)
        if image is None or image.mime_type not in ("image/jpeg", "image/png"):
            raise invalid("Invalid parameter: image_file is not a JPG or PNG image.")
        size, signature, mime = (
            (image.width, image.height),
            hashlib.md5(content).hexdigest(),
            (image.mime_type),
        )
    with store.lock:
        image_id = f"ad-site-i18n-sg/{signature}"
        stored = {
            "image_id": image_id,
            "width": size[0],
            "height": size[1],
            "format": mime.split("/")[1],
            "signature": signature,
            "file_name": data.get("file_name") or file_name,
            "image_url": f"https://sandbox.tiktok.invalid/image/{signature}",
            "create_time": _now(),
        }
        if image_id not in store.kind("tiktok", "images"):
            store.kind("tiktok", "images")[image_id] = stored
            record_created(image_id)
        return ok(dict(store.kind("tiktok", "images")[image_id]))


@bp.route(f"{API}/file/video/ad/upload/", methods=["POST"], strict_slashes=False)
def upload_video():
    """An ad video from its file (UPLOAD_BY_FILE); the answer is a list of one video."""
    data = _fields()
    if (_enum(data, "upload_type", UPLOAD_TYPES, required=False) or "UPLOAD_BY_FILE") != (
        "UPLOAD_BY_FILE"
    ):
        raise invalid("Invalid parameter: the sandbox takes videos by file (UPLOAD_BY_FILE).")
    file_name, content = _signed_file(data, "video_file", "video_signature")
    read = read_video(content)
    if read is None:
        raise invalid("Invalid parameter: video_file is not a video TikTok can read.")
    store = current_store()
    with store.lock:
        video_id = f"v10033g50000{store.new_id('tiktok')}"
        video = {
            "video_id": video_id,
            "file_name": data.get("file_name") or file_name,
            "size": len(content),
            "signature": hashlib.md5(content).hexdigest(),
            "video_cover_url": COVER_URL.format(video_id),
            "width": read.width,  # the cover is a frame of the video, of its size
            "height": read.height,
            "duration": round(read.seconds, 3),
            "create_time": _now(),
        }
        store.kind("tiktok", "videos")[video_id] = video
    record_created(video_id)
    return ok([dict(video)])


@bp.route(f"{API}/file/video/ad/info/", methods=["GET"], strict_slashes=False)
def video_info():
    """The advertiser's videos by id, with their covers."""
    params = _query()
    try:
        ids = json.loads(params.get("video_ids") or "null")
    except ValueError:
        ids = None
    if not isinstance(ids, list) or not ids:
        raise invalid("video_ids: Missing data for required field (a JSON list of video ids).")
    store = current_store()
    with store.lock:
        videos = store.kind("tiktok", "videos")
        return ok({"list": [dict(videos[str(i)]) for i in ids if str(i) in videos]})


@bp.route(f"{API}/ad/create/", methods=["POST"], strict_slashes=False)
def create_ad():
    """Create ads (one per creative) in an ad group."""
    data = _fields()
    adgroup_id = str(_required(data, "adgroup_id"))
    creatives = _required(data, "creatives")
    if not isinstance(creatives, list) or not all(isinstance(c, dict) for c in creatives):
        raise invalid("Invalid parameter: creatives must be a list of objects.")
    store = current_store()
    with store.lock:
        adgroup = store.kind("tiktok", "adgroups").get(adgroup_id)
        if adgroup is None:
            raise invalid(f"Invalid parameter: adgroup_id {adgroup_id} does not exist.")
        ads = [_ad(adgroup, creative, store) for creative in creatives]
        for ad in ads:
            store.kind("tiktok", "ads")[ad["ad_id"]] = ad
            record_created(ad["ad_id"])
    return ok({"ad_ids": [ad["ad_id"] for ad in ads], "creatives": ads})


def _ad(adgroup: dict, creative: dict, store) -> dict:
    name = _text(creative, "ad_name")
    if len(name) > AD_NAME_MAX:
        raise invalid(f"Invalid parameter: ad_name must be at most {AD_NAME_MAX} characters.")
    identity_type = _enum(creative, "identity_type", IDENTITY_TYPES)
    identity_id = str(_required(creative, "identity_id"))
    if identity_type == "CUSTOMIZED_USER" and identity_id != IDENTITY["identity_id"]:
        raise invalid(f"Invalid parameter: identity_id {identity_id} does not exist.")
    ad_format = _enum(creative, "ad_format", AD_FORMATS)
    images = _id_list(creative, "image_ids") or []
    unknown = [i for i in images if i not in store.kind("tiktok", "images")]
    if unknown:
        raise invalid(f"Invalid parameter: image_ids {unknown} do not exist.")
    if ad_format == "SINGLE_VIDEO":
        video_id = str(_required(creative, "video_id"))
        if video_id not in store.kind("tiktok", "videos"):
            raise invalid(f"Invalid parameter: video_id {video_id} does not exist.")
        _check_video_ad(store.kind("tiktok", "videos")[video_id])
        if not images:
            raise invalid("image_ids: Missing data for required field (the video's cover).")
    else:
        video_id = None
        if not images:
            raise invalid("image_ids: Missing data for required field.")
        for image_id in images:
            _check_image_ad(store.kind("tiktok", "images")[image_id])
    text = _text(creative, "ad_text")
    if len(text) > AD_TEXT_MAX:
        raise invalid(
            f"Invalid parameter: ad_text must be 1 to {AD_TEXT_MAX} characters; it has {len(text)}."
        )
    action = creative.get("call_to_action")
    if action is not None and action not in CALLS_TO_ACTION:
        raise invalid(
            f"Invalid parameter: call_to_action must be one of [{', '.join(CALLS_TO_ACTION)}]."
        )
    if adgroup.get("promotion_type") == "WEBSITE":
        _text(creative, "landing_page_url")
    return {
        "ad_id": store.new_id("tiktok"),
        "advertiser_id": CREDENTIALS["advertiser_id"],
        "campaign_id": adgroup["campaign_id"],
        "adgroup_id": adgroup["adgroup_id"],
        "ad_name": name,
        "identity_type": identity_type,
        "identity_id": identity_id,
        "ad_format": ad_format,
        "video_id": video_id,
        "image_ids": images,
        "ad_text": text,
        "call_to_action": action,
        "landing_page_url": creative.get("landing_page_url"),
        "operation_status": "ENABLE",
        "create_time": _now(),
    }


def _check_image_ad(image: dict) -> None:
    """An image ad's image: one of the image ad spec's ratios, at its least size."""
    _check_ratio("image", image, IMAGE_RATIOS)


def _check_video_ad(video: dict) -> None:
    """An in-feed ad's video: one of the video spec's ratios, at its least size, and length."""
    _check_ratio("video", video, VIDEO_RATIOS)
    shortest, longest = VIDEO_SECONDS
    if not shortest <= video["duration"] <= longest:
        raise invalid(
            f"Invalid parameter: the video lasts {video['duration']:g} seconds; in-feed video "
            f"ads last {shortest} to {longest} seconds."
        )


def _check_ratio(kind: str, media: dict, ratios: tuple[tuple[str, float, int, int], ...]) -> None:
    """`media` has one of `ratios` (within 1 %) and is at least that ratio's least size."""
    width, height = media["width"], media["height"]
    for label, wanted, least_w, least_h in ratios:
        if abs(width / height - wanted) <= wanted * 0.01:
            if width < least_w or height < least_h:
                raise invalid(
                    f"Invalid parameter: the {kind} is {width}x{height}; a {label} {kind} ad "
                    f"needs at least {least_w}x{least_h}."
                )
            return
    *first, last = (label for label, *_ in ratios)
    raise invalid(
        f"Invalid parameter: the {kind} is {width}x{height}; {kind} ads take "
        f"{', '.join(first)} or {last} {kind}s."
    )


@bp.route(f"{API}/ad/get/", methods=["GET"], strict_slashes=False)
def get_ads():
    """List ads, filtered by campaign, ad group or ad ids."""
    params = _query()
    filtering = _filtering(params)
    campaign_ids = _id_list(filtering, "campaign_ids")
    adgroup_ids = _id_list(filtering, "adgroup_ids")
    ad_ids = _id_list(filtering, "ad_ids")
    store = current_store()
    with store.lock:
        found = [
            dict(ad)
            for ad in store.kind("tiktok", "ads").values()
            if (campaign_ids is None or ad["campaign_id"] in campaign_ids)
            and (adgroup_ids is None or ad["adgroup_id"] in adgroup_ids)
            and (ad_ids is None or ad["ad_id"] in ad_ids)
        ]
    return ok(_page(found, params))
