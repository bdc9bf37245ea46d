"""Google Ads API v26 (REST) stand-in, the ads: ad groups, image assets and ad group ads.

Fields and errors follow the official reference:
https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroups/mutate
https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.assets/mutate
https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroupAds/mutate
Responsive search ads: 3 to 15 unique headlines of up to 30 characters, 2 to 4 descriptions
of up to 90 (AssetError.DUPLICATE_ASSET for a repeated headline),
https://developers.google.com/google-ads/api/docs/responsive-search-ads/create-responsive-search-ads
Responsive display ads: marketing images 1.91:1 (+-1%) of at least 600x314, square marketing
images 1:1 of at least 300x300, 1 to 5 headlines (30), a long headline (90), 1 to 5
descriptions (90), a business name (25),
https://developers.google.com/google-ads/api/reference/rpc/v26/ResponsiveDisplayAdInfo
Image errors are ImageError (ASPECT_RATIO_NOT_ALLOWED, IMAGE_TOO_SMALL, INVALID_IMAGE),
https://developers.google.com/google-ads/api/reference/rpc/v26/ImageErrorEnum.ImageError;
too-long texts StringLengthError.TOO_LONG and wrong counts CollectionSizeError
(TOO_FEW, TOO_MANY).
"""

import base64
import binascii

from flask import Blueprint

from .common import current_store
from .google import (
    API_VERSION,
    CAMPAIGN_STATUSES,
    Failure,
    GoogleAdsError,
    Operation,
    _customer_objects,
    _enum,
    _existing,
    _google_error,
    _mutate,
    _new_resource_name,
    _text,
)
from .images import read_image

# An ad group's type, by the campaign's advertising channel type.
AD_GROUP_TYPES = {"SEARCH": "SEARCH_STANDARD", "DISPLAY": "DISPLAY_STANDARD"}
HEADLINE_MAX, DESCRIPTION_MAX, LONG_HEADLINE_MAX, BUSINESS_NAME_MAX = 30, 90, 90, 25
RSA_COUNTS = {"headlines": (3, 15), "descriptions": (2, 4)}
RDA_COUNTS = {"headlines": (1, 5), "descriptions": (1, 5)}
# slot -> (ratio, least width, least height)
IMAGE_SLOTS = {
    "marketingImages": (1.91, 600, 314),
    "squareMarketingImages": (1.0, 300, 300),
}
IMAGE_TOLERANCE = 0.01

# Registered under /google next to google.bp (sandbox/__init__.py), answering errors alike.
bp = Blueprint("google_adgroups", __name__)
bp.register_error_handler(GoogleAdsError, _google_error)


@bp.route(f"/{API_VERSION}/customers/<customer_id>/adGroups:mutate", methods=["POST"])
def mutate_ad_groups(customer_id: str):
    """Create ad groups."""
    return _mutate(customer_id, "ad groups", _create_ad_group, None)


@bp.route(f"/{API_VERSION}/customers/<customer_id>/assets:mutate", methods=["POST"])
def mutate_assets(customer_id: str):
    """Create image assets."""
    return _mutate(customer_id, "assets", _create_asset, None)


@bp.route(f"/{API_VERSION}/customers/<customer_id>/adGroupAds:mutate", methods=["POST"])
def mutate_ad_group_ads(customer_id: str):
    """Create responsive search and responsive display ads."""
    return _mutate(customer_id, "ad group ads", _create_ad_group_ad, None)


def _create_ad_group(customer_id: str, staged: dict, op: Operation, failure: Failure):
    fields = op.fields
    errors_before = len(failure.errors)
    name = _text(fields, "name", op, failure)
    status = _enum(fields, "status", CAMPAIGN_STATUSES, op, failure, required=False)
    kind = _enum(fields, "type", tuple(AD_GROUP_TYPES.values()), op, failure)
    campaign = _existing(
        _customer_objects(staged["campaigns"], customer_id),
        fields.get("campaign"),
        op,
        failure,
        "campaign",
    )
    if campaign and kind and AD_GROUP_TYPES.get(campaign["advertisingChannelType"]) != kind:
        failure.add(
            {"adGroupError": "AD_GROUP_TYPE_NOT_VALID_FOR_ADVERTISING_CHANNEL_TYPE"},
            "The ad group type is not valid for the campaign's advertising channel type.",
            op.at("type"),
            trigger=kind,
        )
    if (
        campaign
        and name
        and any(
            group["campaign"] == campaign["resourceName"] and group["name"] == name
            for group in staged["ad_groups"].values()
        )
    ):
        failure.add(
            {"adGroupError": "DUPLICATE_ADGROUP_NAME"},
            "AdGroup with the same name already exists for the campaign.",
            op.at("name"),
            trigger=name,
        )
    if len(failure.errors) > errors_before:
        return None
    ad_group_id, resource_name = _new_resource_name(customer_id, "adGroups")
    staged["ad_groups"][resource_name] = {
        "resourceName": resource_name,
        "id": ad_group_id,
        "name": name,
        "campaign": campaign["resourceName"],
        "status": status or "ENABLED",
        "type": kind,
    }
    return resource_name


def _create_asset(customer_id: str, staged: dict, op: Operation, failure: Failure):
    fields = op.fields
    errors_before = len(failure.errors)
    name = _text(fields, "name", op, failure)
    _enum(fields, "type", ("IMAGE",), op, failure, required=False)
    data = (fields.get("imageAsset") or {}).get("data")
    image = None
    if not data:
        failure.required(op.at("image_asset", "data"))
    else:
        try:
            image = read_image(base64.b64decode(str(data), validate=True))
        except (binascii.Error, ValueError):
            image = None
        if image is None or image.mime_type is None:
            failure.add(
                {"imageError": "INVALID_IMAGE"},
                "The image is not valid.",
                op.at("image_asset", "data"),
            )
            image = None
    if name and any(
        asset["name"] == name for asset in _customer_objects(staged["assets"], customer_id).values()
    ):
        failure.add(
            {"assetError": "DUPLICATE_ASSET_NAME"},
            "Two assets of the same type cannot have the same name.",
            op.at("name"),
            trigger=name,
        )
    if len(failure.errors) > errors_before:
        return None
    asset_id, resource_name = _new_resource_name(customer_id, "assets")
    staged["assets"][resource_name] = {
        "resourceName": resource_name,
        "id": asset_id,
        "name": name,
        "type": "IMAGE",
        "imageAsset": {
            "mimeType": image.mime_type.replace("image/", "IMAGE_").upper(),
            "fullSize": {"widthPixels": str(image.width), "heightPixels": str(image.height)},
        },
    }
    return resource_name


def _create_ad_group_ad(customer_id: str, staged: dict, op: Operation, failure: Failure):
    fields = op.fields
    errors_before = len(failure.errors)
    status = _enum(fields, "status", CAMPAIGN_STATUSES, op, failure, required=False)
    group = _existing(
        _customer_objects(staged["ad_groups"], customer_id),
        fields.get("adGroup"),
        op,
        failure,
        "ad_group",
    )
    ad = fields.get("ad") if isinstance(fields.get("ad"), dict) else {}
    if not ad.get("finalUrls"):
        failure.required(op.at("ad", "final_urls"))
    search, display = ad.get("responsiveSearchAd"), ad.get("responsiveDisplayAd")
    if isinstance(search, dict):
        kind = "SEARCH_STANDARD"
        _rsa(search, op, failure)
    elif isinstance(display, dict):
        kind = "DISPLAY_STANDARD"
        _rda(display, staged, customer_id, op, failure)
    else:
        kind = None
        failure.add(
            {"adError": "AD_TYPE_CANNOT_BE_CREATED"},
            "The sandbox creates responsive search and responsive display ads only.",
            op.at("ad"),
        )
    if group and kind and group["type"] != kind:
        failure.add(
            {"adError": "AD_TYPE_NOT_SUPPORTED_FOR_AD_GROUP_TYPE"},
            f"This ad type cannot be added to a {group['type']} ad group.",
            op.at("ad"),
        )
    if len(failure.errors) > errors_before:
        return None
    ad_id = current_store().new_id("google")
    resource_name = f"customers/{customer_id}/adGroupAds/{group['id']}~{ad_id}"
    staged["ad_group_ads"][resource_name] = {
        "resourceName": resource_name,
        "adGroup": group["resourceName"],
        "status": status or "ENABLED",
        "ad": {"id": ad_id, **ad},
    }
    return resource_name


def _texts(items, limit: int, location: tuple, op: Operation, failure: Failure) -> list[str]:
    texts = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        text = item.get("text") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            failure.required(op.at(*location, index, "text"))
            continue
        if len(text) > limit:
            failure.add(
                {"stringLengthError": "TOO_LONG"},
                f"Too long: at most {limit} characters.",
                op.at(*location, index, "text"),
                trigger=text,
            )
        texts.append(text)
    return texts


def _counts(ad: dict, counts: dict, prefix: str, op: Operation, failure: Failure) -> None:
    for field, (least, most) in counts.items():
        have = len(ad.get(field) or [])
        if have < least or have > most:
            failure.add(
                {"collectionSizeError": "TOO_FEW" if have < least else "TOO_MANY"},
                f"{field} takes {least} to {most} items; this one has {have}.",
                op.at("ad", prefix, field),
            )


def _rsa(ad: dict, op: Operation, failure: Failure) -> None:
    where = ("ad", "responsive_search_ad")
    _counts(ad, RSA_COUNTS, "responsive_search_ad", op, failure)
    headlines = _texts(ad.get("headlines"), HEADLINE_MAX, (*where, "headlines"), op, failure)
    if len(set(headlines)) != len(headlines):
        failure.add(
            {"assetError": "DUPLICATE_ASSET"},
            "Duplicate assets are not allowed: each headline must be unique.",
            op.at(*where, "headlines"),
        )
    _texts(ad.get("descriptions"), DESCRIPTION_MAX, (*where, "descriptions"), op, failure)


def _rda(ad: dict, staged: dict, customer_id: str, op: Operation, failure: Failure) -> None:
    where = ("ad", "responsive_display_ad")
    _counts(ad, RDA_COUNTS, "responsive_display_ad", op, failure)
    _texts(ad.get("headlines"), HEADLINE_MAX, (*where, "headlines"), op, failure)
    _texts(ad.get("descriptions"), DESCRIPTION_MAX, (*where, "descriptions"), op, failure)
    _texts([ad.get("longHeadline")], LONG_HEADLINE_MAX, (*where, "long_headline"), op, failure)
    business = ad.get("businessName")
    if not business:
        failure.required(op.at(*where, "business_name"))
    elif len(business) > BUSINESS_NAME_MAX:
        failure.add(
            {"stringLengthError": "TOO_LONG"},
            f"Too long: at most {BUSINESS_NAME_MAX} characters.",
            op.at(*where, "business_name"),
            trigger=business,
        )
    assets = _customer_objects(staged["assets"], customer_id)
    for slot, (ratio, least_w, least_h) in IMAGE_SLOTS.items():
        images = ad.get(slot) or []
        if not images:
            failure.add(
                {"collectionSizeError": "TOO_FEW"},
                f"At least one {slot} image is required.",
                op.at(*where, slot),
            )
        for index, item in enumerate(images):
            location = (*where, slot, index, "asset")
            asset = _existing(assets, (item or {}).get("asset"), op, failure, location[-1])
            if asset is None:
                continue
            size = asset["imageAsset"]["fullSize"]
            width, height = int(size["widthPixels"]), int(size["heightPixels"])
            if abs(width / height - ratio) > ratio * IMAGE_TOLERANCE:
                failure.add(
                    {"imageError": "ASPECT_RATIO_NOT_ALLOWED"},
                    f"The aspect ratio of the image is not allowed: {slot} must be "
                    f"{ratio:g}:1 (+-1%); this one is {width}x{height}.",
                    op.at(*location),
                    trigger=asset["resourceName"],
                )
            elif width < least_w or height < least_h:
                failure.add(
                    {"imageError": "IMAGE_TOO_SMALL"},
                    f"The image is too small: {slot} must be at least {least_w}x{least_h}; "
                    f"this one is {width}x{height}.",
                    op.at(*location),
                    trigger=asset["resourceName"],
                )
