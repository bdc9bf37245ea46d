"""Meta Marketing API v27.0 stand-in, the ads: images, videos, ad creatives and ads.

Endpoints and fields follow the official reference:
https://developers.facebook.com/docs/marketing-api/reference/ad-account/adimages/
https://developers.facebook.com/docs/marketing-api/reference/ad-account/advideos/
https://developers.facebook.com/docs/graph-api/reference/video/thumbnails/
https://developers.facebook.com/docs/marketing-api/reference/ad-account/adcreatives/
https://developers.facebook.com/docs/marketing-api/reference/ad-creative-link-data/
https://developers.facebook.com/docs/marketing-api/reference/ad-creative-video-data
https://developers.facebook.com/docs/marketing-api/reference/ad-account/ads/
The image a link ad shows is held to the feed's spec, which every ad set with automatic
placements delivers to: JPG or PNG, 1.91:1 to 4:5 (3 % tolerance), at least 600 x 600 px
(https://www.facebook.com/business/ads-guide/image/facebook-feed). Refusals are Graph API
errors, code 100 with the error_user_msg Ads Manager shows.
"""

import base64
import binascii
import hashlib

from flask import jsonify, request

from .common import current_store, record_created, utc_now
from .credentials import SANDBOX_CREDENTIALS
from .images import read_image
from .meta import (
    AD_EDGES,
    CREATE_STATUSES,
    NODE_EDGES,
    _body,
    _enum,
    _find_object,
    _list,
    _text,
    _timestamp,
    invalid,
    missing,
    no_such_object,
)

PAGE_ID = SANDBOX_CREDENTIALS["META"]["page_id"]
# AdCreativeLinkDataCallToAction.type (a subset of the reference's list):
# https://developers.facebook.com/docs/marketing-api/reference/ad-creative-link-data-call-to-action/
CALL_TO_ACTION_TYPES = (
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
    "WATCH_MORE",
    "BUY_TICKETS",
    "GET_OFFER",
    "NO_BUTTON",
)
FEED_WIDEST, FEED_TALLEST, FEED_TOLERANCE = 1.91, 4 / 5, 0.03
FEED_MIN_SIDE = 600


def _account_edge(edge: str):
    """The handler of one of the account's ad edges: GET lists, POST creates."""
    create = {
        "adimages": _upload_image,
        "advideos": _upload_video,
        "adcreatives": _create_creative,
        "ads": _create_ad,
    }[edge]

    def handle(account_id: str):
        if request.method == "GET":
            return _list(edge, lambda obj: obj["account_id"] == account_id)
        return create(account_id)

    return handle


def _thumbnails(node: str, verb: str):
    """GET /{video_id}/thumbnails."""
    store = current_store()
    with store.lock:
        video = store.kind("meta", "advideos").get(node)
    if video is None or request.method != "GET":
        raise no_such_object(node, verb)
    return jsonify({"data": [video["thumbnail"]]})


def _adset_ads(node: str, verb: str):
    """GET /{adset_id}/ads."""
    kind, adset = _find_object(node, verb)
    if kind != "adsets" or request.method != "GET":
        raise no_such_object(node, verb)
    return _list("ads", lambda obj: obj["adset_id"] == adset["id"])


# Uploads


def _upload_image(account_id: str):
    """An image in the account's library, known by the hash of its bytes."""
    data = _body()
    encoded = data.get("bytes")
    if not encoded:
        raise missing("bytes")
    try:
        raw = base64.b64decode(str(encoded), validate=True)
    except (binascii.Error, ValueError):
        raise invalid(
            "Param bytes must be the image file, base64-encoded",
            "Image Could Not Be Read",
            "The image's bytes are not base64. Encode the file and upload it again.",
        ) from None
    image = read_image(raw)
    if image is None or image.mime_type not in ("image/jpeg", "image/png", "image/gif"):
        raise invalid(
            "Invalid image file",
            "Image Could Not Be Processed",
            "The file is not a JPG, PNG or GIF image Meta can read. Upload another image.",
        )
    digest = hashlib.md5(raw).hexdigest()
    store = current_store()
    with store.lock:
        images = store.kind("meta", "adimages")
        if digest not in images:
            images[digest] = {
                "id": f"{account_id}:{digest}",
                "account_id": account_id,
                "hash": digest,
                "name": str(data.get("name") or "bytes"),
                "width": image.width,
                "height": image.height,
                "mime_type": image.mime_type,
                "url": f"https://sandbox.meta.invalid/adimages/{digest}",
                "created_time": _timestamp(utc_now()),
            }
            record_created(digest)
        stored = images[digest]
    return jsonify({"images": {"bytes": {"hash": stored["hash"], "url": stored["url"]}}})


def _upload_video(account_id: str):
    """A video from the multipart part `source`, with a thumbnail made for it."""
    source = request.files.get("source")
    if source is None:
        raise missing("source")
    content = source.read()
    if not content:
        raise invalid(
            "The video file is empty",
            "Video Upload Failed",
            "The uploaded video file has no content. Upload the video again.",
        )
    store = current_store()
    with store.lock:
        video_id = store.new_id("meta")
        store.kind("meta", "advideos")[video_id] = {
            "id": video_id,
            "account_id": account_id,
            "name": request.form.get("name") or source.filename or "video",
            "size_bytes": len(content),
            "md5": hashlib.md5(content).hexdigest(),
            "thumbnail": {
                "id": store.new_id("meta"),
                "uri": f"https://sandbox.meta.invalid/videos/{video_id}/thumbnail.jpg",
                "is_preferred": True,
                "width": 1080,
                "height": 1920,
            },
            "created_time": _timestamp(utc_now()),
        }
    record_created(video_id)
    return jsonify({"id": video_id})


# Creatives and ads


def _create_creative(account_id: str):
    data = _body()
    name = _text(data, "name")
    spec = data.get("object_story_spec")
    if not isinstance(spec, dict):
        raise missing("object_story_spec")
    if str(spec.get("page_id") or "") != PAGE_ID:
        raise invalid(
            "Param object_story_spec[page_id] must be a Page the ad account may use",
            "Page Not Found",
            "The creative's Page is not one this ad account can run ads for.",
        )
    store = current_store()
    with store.lock:
        if isinstance(spec.get("link_data"), dict):
            media = _link_data(account_id, spec["link_data"])
        elif isinstance(spec.get("video_data"), dict):
            media = _video_data(account_id, spec["video_data"])
        else:
            raise invalid(
                "object_story_spec needs link_data or video_data",
                "Creative Has No Content",
                "Give the creative an image (link_data) or a video (video_data).",
            )
        creative_id = store.new_id("meta")
        store.kind("meta", "adcreatives")[creative_id] = {
            "id": creative_id,
            "account_id": account_id,
            "name": name,
            "object_story_spec": spec,
            **media,
        }
    record_created(creative_id)
    return jsonify({"id": creative_id})


def _call_to_action(story: dict) -> None:
    action = story.get("call_to_action")
    if action is None:
        return
    kind = action.get("type") if isinstance(action, dict) else None
    if kind not in CALL_TO_ACTION_TYPES:
        raise invalid(
            f"Param call_to_action[type] must be one of {{{', '.join(CALL_TO_ACTION_TYPES)}}}",
            "Invalid Call to Action",
            f"{kind!r} is not a call to action Meta offers for this ad.",
        )


def _link_data(account_id: str, story: dict) -> dict:
    if not story.get("link"):
        raise missing("object_story_spec[link_data][link]")
    image = current_store().kind("meta", "adimages").get(str(story.get("image_hash") or ""))
    if image is None or image["account_id"] != account_id:
        raise invalid(
            "Invalid image hash",
            "Image Not Found",
            "The creative's image_hash is not an image in this ad account's library. Upload "
            "the image first.",
        )
    _check_feed_image(image)
    _call_to_action(story)
    return {"image_hash": image["hash"]}


def _check_feed_image(image: dict) -> None:
    """The feed's image spec (module docstring): Meta refuses an image that misses it."""
    ratio = image["width"] / image["height"]
    if not FEED_TALLEST * (1 - FEED_TOLERANCE) <= ratio <= FEED_WIDEST * (1 + FEED_TOLERANCE):
        raise invalid(
            "Invalid parameter",
            "Image Aspect Ratio Not Supported",
            f"The image is {image['width']}x{image['height']} px; feed ads take images from "
            "1.91:1 (landscape) to 4:5 (portrait). Crop the image and upload it again.",
        )
    if image["width"] < FEED_MIN_SIDE or image["height"] < FEED_MIN_SIDE:
        raise invalid(
            "Invalid parameter",
            "Image Too Small",
            f"The image is {image['width']}x{image['height']} px; feed ads need at least "
            f"{FEED_MIN_SIDE}x{FEED_MIN_SIDE} px. Upload a larger image.",
        )


def _video_data(account_id: str, story: dict) -> dict:
    video = current_store().kind("meta", "advideos").get(str(story.get("video_id") or ""))
    if video is None or video["account_id"] != account_id:
        raise invalid(
            "Invalid video id",
            "Video Not Found",
            "The creative's video_id is not a video of this ad account. Upload the video first.",
        )
    if not story.get("image_url") and not story.get("image_hash"):
        raise invalid(
            "Param video_data[image_url] or video_data[image_hash] is required",
            "Video Thumbnail Required",
            "A video ad needs a thumbnail: set image_url (e.g. from the video's /thumbnails) "
            "or image_hash.",
        )
    _call_to_action(story)
    return {"video_id": video["id"]}


def _create_ad(account_id: str):
    data = _body()
    name = _text(data, "name")
    status = _enum(data, "status", CREATE_STATUSES)
    store = current_store()
    with store.lock:
        adset = store.kind("meta", "adsets").get(str(data.get("adset_id") or ""))
        if adset is None or adset["account_id"] != account_id:
            raise invalid(
                f"Param adset_id {data.get('adset_id')} is not an ad set of act_{account_id}",
                "Ad Set Not Found",
                "The ad's ad set does not exist in this ad account.",
            )
        creative = data.get("creative")
        creative_id = str(creative.get("creative_id") or "") if isinstance(creative, dict) else ""
        stored = store.kind("meta", "adcreatives").get(creative_id)
        if stored is None or stored["account_id"] != account_id:
            raise invalid(
                "Param creative[creative_id] must be an ad creative of this ad account",
                "Creative Not Found",
                "The ad's creative does not exist in this ad account. Create the creative first.",
            )
        ad_id = store.new_id("meta")
        now = _timestamp(utc_now())
        store.kind("meta", "ads")[ad_id] = {
            "id": ad_id,
            "account_id": account_id,
            "adset_id": adset["id"],
            "campaign_id": adset["campaign_id"],
            "name": name,
            "creative": {"id": creative_id},
            "status": status,
            "effective_status": status,
            "created_time": now,
            "updated_time": now,
        }
    record_created(ad_id)
    return jsonify({"id": ad_id})


AD_EDGES.update(
    {edge: _account_edge(edge) for edge in ("adimages", "advideos", "adcreatives", "ads")}
)
NODE_EDGES.update(thumbnails=_thumbnails, ads=_adset_ads)
