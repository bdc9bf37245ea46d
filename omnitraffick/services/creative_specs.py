"""Each platform placement's creative specs, as data with the page each row comes from,
and the check that says, in words, every way a creative or a text misses them.

Pure: no database, no request. A creative is anything with kind, mime_type, width, height,
size_bytes and duration_seconds (the Creative model, or media.MediaInfo plus a size).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from ..models import CreativeKind
from .media import megabytes, ratio_label

MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True)
class Ratio:
    """An aspect ratio a placement takes, with the least pixel size at that ratio."""

    width: int
    height: int
    min_width: int = 0
    min_height: int = 0

    @property
    def value(self) -> float:
        return self.width / self.height

    @property
    def label(self) -> str:
        return ratio_label(self.width, self.height)


@dataclass(frozen=True)
class MediaSpec:
    """What one placement takes of one kind (image or video)."""

    mime_types: tuple[str, ...]
    type_names: str  # as the platform's page names them: "JPG or PNG"
    # Either fixed ratios (each within `tolerance`), or a range from widest to tallest.
    ratios: tuple[Ratio, ...] = ()
    ratio_range: tuple[Ratio, Ratio] | None = None
    tolerance: float = 0.0  # 0.01 is 1 %, as the platforms write it
    min_width: int = 0
    min_height: int = 0
    max_bytes: int | None = None
    min_seconds: int | None = None
    max_seconds: int | None = None


@dataclass(frozen=True)
class TextLimit:
    """How long a text field may be; `hard`: the platform refuses more, else it cuts it."""

    max_chars: int
    hard: bool


@dataclass(frozen=True)
class Placement:
    key: str
    platform: str  # the channel's api_identifier: META, TIKTOK, GOOGLE
    name: str  # as a sentence starts: "Meta Stories"
    source: str  # the page the row's figures come from
    image: MediaSpec | None = None
    video: MediaSpec | None = None
    text: dict[str, TextLimit] = field(default_factory=dict)
    text_source: str | None = None


class MediaLike(Protocol):
    kind: CreativeKind
    mime_type: str
    width: int
    height: int
    size_bytes: int
    duration_seconds: Decimal | None


# --- the data -----------------------------------------------------------------------------

META_IMAGE_TYPES = ("image/jpeg", "image/png")
META_VIDEO_TYPES = ("video/mp4", "video/quicktime")
# Meta's text figures are where copy is cut off on screen; longer text is allowed.
META_TEXT = {
    "primary_text": TextLimit(125, hard=False),
    "headline": TextLimit(40, hard=False),
    "description": TextLimit(30, hard=False),
}
# Both responsive display image slots carry the same text: headlines 30, long headline 90,
# descriptions 90, business name 25 characters.
GOOGLE_DISPLAY_TEXT = {
    "headline": TextLimit(30, hard=True),
    "long_headline": TextLimit(90, hard=True),
    "description": TextLimit(90, hard=True),
    "business_name": TextLimit(25, hard=True),
}
GOOGLE_DISPLAY_TEXT_SOURCE = "https://support.google.com/google-ads/answer/17090561"

PLACEMENTS: tuple[Placement, ...] = (
    Placement(
        key="meta_feed",
        platform="META",
        name="Meta Feed",
        # Feed images: JPG or PNG, 1.91:1 to 4:5 with a 3 % tolerance, at least 600 x 600,
        # at most 30 MB. Feed videos: MP4 or MOV, same ratios, at least 120 x 120, 1 second
        # to 241 minutes, at most 4 GB.
        source="https://www.facebook.com/business/ads-guide/image/facebook-feed",
        image=MediaSpec(
            META_IMAGE_TYPES,
            "JPG or PNG",
            ratio_range=(Ratio(191, 100), Ratio(4, 5)),
            tolerance=0.03,
            min_width=600,
            min_height=600,
            max_bytes=30 * MB,
        ),
        video=MediaSpec(
            META_VIDEO_TYPES,
            "MP4 or MOV",
            ratio_range=(Ratio(191, 100), Ratio(4, 5)),
            tolerance=0.03,
            min_width=120,
            min_height=120,
            max_bytes=4 * GB,
            min_seconds=1,
            max_seconds=241 * 60,
        ),
        text=META_TEXT,
        text_source="https://www.facebook.com/business/ads-guide/image/facebook-feed",
    ),
    Placement(
        key="meta_stories",
        platform="META",
        name="Meta Stories",
        # Stories: 9:16 with a 1 % tolerance, at least 500 px wide; images JPG or PNG up to
        # 30 MB; videos MP4 or MOV, 1 second to 60 minutes, up to 4 GB.
        source="https://www.facebook.com/business/ads-guide/image/facebook-story",
        image=MediaSpec(
            META_IMAGE_TYPES,
            "JPG or PNG",
            ratios=(Ratio(9, 16),),
            tolerance=0.01,
            min_width=500,
            max_bytes=30 * MB,
        ),
        video=MediaSpec(
            META_VIDEO_TYPES,
            "MP4 or MOV",
            ratios=(Ratio(9, 16),),
            tolerance=0.01,
            min_width=500,
            max_bytes=4 * GB,
            min_seconds=1,
            max_seconds=60 * 60,
        ),
        text={k: v for k, v in META_TEXT.items() if k != "description"},
        text_source="https://www.facebook.com/business/ads-guide/image/facebook-story",
    ),
    Placement(
        key="meta_reels",
        platform="META",
        name="Meta Reels",
        # Reels: videos only, MP4 or MOV, 9:16, at least 500 x 888, up to 15 minutes and
        # 4 GB; primary text is cut after 72 characters.
        source="https://www.facebook.com/business/ads-guide/video/facebook-reels",
        video=MediaSpec(
            META_VIDEO_TYPES,
            "MP4 or MOV",
            ratios=(Ratio(9, 16),),
            tolerance=0.01,
            min_width=500,
            min_height=888,
            max_bytes=4 * GB,
            min_seconds=1,
            max_seconds=15 * 60,
        ),
        text={"primary_text": TextLimit(72, hard=False), "headline": TextLimit(40, hard=False)},
        text_source="https://www.facebook.com/business/ads-guide/video/facebook-reels",
    ),
    Placement(
        key="tiktok_in_feed",
        platform="TIKTOK",
        name="TikTok in-feed",
        # TikTok in-feed ads: video, 9:16 (>= 540x960), 1:1 (>= 640x640) or 16:9
        # (>= 960x540); .mp4, .mov, .mpeg, .3gp or .avi (we read MP4 and MOV); 5-60 s;
        # within 500 MB.
        source="https://ads.tiktok.com/help/article/video-ads-specifications",
        video=MediaSpec(
            META_VIDEO_TYPES,
            "MP4 or MOV",
            ratios=(Ratio(9, 16, 540, 960), Ratio(1, 1, 640, 640), Ratio(16, 9, 960, 540)),
            tolerance=0.01,
            max_bytes=500 * MB,
            min_seconds=5,
            max_seconds=60,
        ),
        # The ad's text (ad_text in the API's ad create request) takes 1 to 100 characters;
        # TikTok refuses longer text.
        text={"primary_text": TextLimit(100, hard=True)},
        text_source="https://business-api.tiktok.com/portal/docs/create-ads/v1.3",
    ),
    Placement(
        key="google_display_landscape",
        platform="GOOGLE",
        name="Google responsive display (landscape)",
        # marketing_images: GIF, JPEG or PNG, at least 600x314, 1.91:1 (+-1%).
        source="https://developers.google.com/google-ads/api/reference/rpc/v20/ResponsiveDisplayAdInfo",
        image=MediaSpec(
            ("image/gif", "image/jpeg", "image/png"),
            "GIF, JPEG or PNG",
            ratios=(Ratio(191, 100),),
            tolerance=0.01,
            min_width=600,
            min_height=314,
        ),
        text=GOOGLE_DISPLAY_TEXT,
        text_source=GOOGLE_DISPLAY_TEXT_SOURCE,
    ),
    Placement(
        key="google_display_square",
        platform="GOOGLE",
        name="Google responsive display (square)",
        # square_marketing_images: GIF, JPEG or PNG, at least 300x300, 1:1 (+-1%).
        source="https://developers.google.com/google-ads/api/reference/rpc/v20/ResponsiveDisplayAdInfo",
        image=MediaSpec(
            ("image/gif", "image/jpeg", "image/png"),
            "GIF, JPEG or PNG",
            ratios=(Ratio(1, 1),),
            tolerance=0.01,
            min_width=300,
            min_height=300,
        ),
        text=GOOGLE_DISPLAY_TEXT,
        text_source=GOOGLE_DISPLAY_TEXT_SOURCE,
    ),
    Placement(
        key="google_search",
        platform="GOOGLE",
        name="Google responsive search",
        # Responsive search ads are text: headlines of 30 characters, descriptions of 90,
        # display paths of 15.
        source="https://support.google.com/google-ads/answer/7684791",
        text={
            "headline": TextLimit(30, hard=True),
            "description": TextLimit(90, hard=True),
            "path": TextLimit(15, hard=True),
        },
        text_source="https://support.google.com/google-ads/answer/7684791",
    ),
)
BY_KEY = {placement.key: placement for placement in PLACEMENTS}
TEXT_NAMES = {
    "primary_text": "primary text",
    "headline": "headline",
    "long_headline": "long headline",
    "description": "description",
    "business_name": "business name",
    "path": "display path",
}


# --- the checks ---------------------------------------------------------------------------


def _within(actual: float, wanted: float, tolerance: float) -> bool:
    return abs(actual - wanted) <= wanted * tolerance + 1e-9


def _seconds(value: Decimal | float) -> str:
    text = f"{float(value):.1f}".removesuffix(".0")
    return f"{text} second" if text == "1" else f"{text} seconds"


def _duration(limit: int) -> str:
    if limit >= 120 and limit % 60 == 0:
        return f"{limit // 60} minutes"
    return _seconds(limit)


def _ratio_problems(spec: MediaSpec, what: str, creative: MediaLike) -> tuple[list[str], Ratio]:
    actual = creative.width / creative.height
    shown = ratio_label(creative.width, creative.height)
    if spec.ratios:
        for ratio in spec.ratios:
            if _within(actual, ratio.value, spec.tolerance):
                return [], ratio
        labels = [r.label for r in spec.ratios]
        wanted = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        return [f"{what} must be {wanted}; this one is {shown}."], spec.ratios[0]
    if spec.ratio_range:
        widest, tallest = spec.ratio_range
        low = tallest.value * (1 - spec.tolerance)
        high = widest.value * (1 + spec.tolerance)
        if not low <= actual <= high:
            return [
                f"{what} must be between {widest.label} and {tallest.label}; this one is {shown}."
            ], widest
    return [], Ratio(1, 1)


def check(creative: MediaLike, placement: Placement) -> list[str]:
    """Every way `creative` misses `placement`'s spec, as sentences; [] when it fits."""
    kind = CreativeKind(creative.kind)
    spec = placement.image if kind is CreativeKind.IMAGE else placement.video
    if spec is None:
        takes = [k for k, s in (("images", placement.image), ("videos", placement.video)) if s]
        if not takes:
            return [f"{placement.name} ads are text only: they take no image or video."]
        article = "an" if kind is CreativeKind.IMAGE else "a"
        return [
            f"{placement.name} ads take {' and '.join(takes)} only; "
            f"this one is {article} {kind.value}."
        ]
    what = f"A {placement.name} {kind.value}"
    problems = []
    if creative.mime_type not in spec.mime_types:
        found = creative.mime_type.split("/")[-1].upper().replace("QUICKTIME", "MOV")
        problems.append(f"{what} must be {spec.type_names}; this one is {found}.")
    ratio_problems, ratio = _ratio_problems(spec, what, creative)
    problems += ratio_problems
    min_width = max(spec.min_width, ratio.min_width)
    min_height = max(spec.min_height, ratio.min_height)
    size = f"{creative.width}×{creative.height} px"
    if min_width and min_height and (creative.width < min_width or creative.height < min_height):
        prefix = f"A {ratio.label} {placement.name} {kind.value}" if ratio.min_width else what
        problems.append(
            f"{prefix} must be at least {min_width}×{min_height} px; this one is {size}."
        )
    elif min_width and creative.width < min_width:
        problems.append(f"{what} must be at least {min_width} px wide; this one is {size}.")
    if spec.max_bytes is not None and creative.size_bytes > spec.max_bytes:
        problems.append(
            f"{what} may be at most {megabytes(spec.max_bytes)}; "
            f"this one is {megabytes(creative.size_bytes)}."
        )
    if kind is CreativeKind.VIDEO and creative.duration_seconds is not None:
        seconds = creative.duration_seconds
        if spec.min_seconds is not None and seconds < spec.min_seconds:
            problems.append(
                f"{what} must last at least {_seconds(spec.min_seconds)}; "
                f"this one lasts {_seconds(seconds)}."
            )
        if spec.max_seconds is not None and seconds > spec.max_seconds:
            problems.append(
                f"{what} may last at most {_duration(spec.max_seconds)}; "
                f"this one lasts {_seconds(seconds)}."
            )
    return problems


@dataclass(frozen=True)
class Fit:
    placement: Placement
    problems: list[str]

    @property
    def fits(self) -> bool:
        return not self.problems


def fits(creative: MediaLike, placements: tuple[Placement, ...] = PLACEMENTS) -> list[Fit]:
    """The creative against every placement that takes media, in the table's order."""
    return [
        Fit(placement, check(creative, placement))
        for placement in placements
        if placement.image or placement.video
    ]


def check_text(placement: Placement, texts: dict[str, str]) -> list[str]:
    """Every text in `texts` ({"headline": ...}) longer than the placement allows."""
    problems = []
    for name, value in texts.items():
        limit = placement.text.get(name)
        if limit is None or value is None or len(value) <= limit.max_chars:
            continue
        label = TEXT_NAMES.get(name, name.replace("_", " "))
        if limit.hard:
            problems.append(
                f"A {placement.name} {label} may have at most {limit.max_chars} characters; "
                f"this one has {len(value)}."
            )
        else:
            problems.append(
                f"A {placement.name} {label} is cut off after {limit.max_chars} characters; "
                f"this one has {len(value)}."
            )
    return problems


# --- calls to action ----------------------------------------------------------------------

# The calls to action an ad may carry on each platform, as (API value, label), the commonest
# first. A chosen subset of each platform's enum; every value is in the platform's own list:
# - Meta: AdCreativeLinkDataCallToAction.type,
#   https://developers.facebook.com/docs/marketing-api/reference/ad-creative-link-data-call-to-action/
# - TikTok: the ad's call_to_action (Enumerations: call-to-action),
#   https://business-api.tiktok.com/portal/docs?id=1737174886619138
# - Google: CallToActionTypeEnum (a responsive display ad takes its label as
#   call_to_action_text; a responsive search ad takes none),
#   https://developers.google.com/google-ads/api/reference/rpc/v26/CallToActionTypeEnum.CallToActionType
CALLS_TO_ACTION: dict[str, tuple[tuple[str, str], ...]] = {
    "META": (
        ("LEARN_MORE", "Learn more"),
        ("SHOP_NOW", "Shop now"),
        ("SIGN_UP", "Sign up"),
        ("BOOK_NOW", "Book now"),
        ("DOWNLOAD", "Download"),
        ("CONTACT_US", "Contact us"),
        ("APPLY_NOW", "Apply now"),
        ("ORDER_NOW", "Order now"),
        ("GET_QUOTE", "Get quote"),
        ("SUBSCRIBE", "Subscribe"),
        ("WATCH_MORE", "Watch more"),
        ("BUY_TICKETS", "Buy tickets"),
    ),
    "TIKTOK": (
        ("LEARN_MORE", "Learn more"),
        ("SHOP_NOW", "Shop now"),
        ("SIGN_UP", "Sign up"),
        ("BOOK_NOW", "Book now"),
        ("DOWNLOAD", "Download"),
        ("CONTACT_US", "Contact us"),
        ("APPLY_NOW", "Apply now"),
        ("ORDER_NOW", "Order now"),
        ("GET_QUOTE", "Get quote"),
        ("SUBSCRIBE", "Subscribe"),
        ("WATCH_NOW", "Watch now"),
        ("GET_TICKETS_NOW", "Get tickets now"),
    ),
    "GOOGLE": (
        ("LEARN_MORE", "Learn more"),
        ("SHOP_NOW", "Shop now"),
        ("SIGN_UP", "Sign up"),
        ("BOOK_NOW", "Book now"),
        ("DOWNLOAD", "Download"),
        ("CONTACT_US", "Contact us"),
        ("APPLY_NOW", "Apply now"),
        ("ORDER_NOW", "Order now"),
        ("GET_QUOTE", "Get quote"),
        ("SUBSCRIBE", "Subscribe"),
        ("WATCH_NOW", "Watch now"),
        ("BUY_NOW", "Buy now"),
    ),
}


def placements_for(platform: str) -> tuple[Placement, ...]:
    """The placements of one platform (a channel's api_identifier), in the table's order."""
    return tuple(placement for placement in PLACEMENTS if placement.platform == platform)
