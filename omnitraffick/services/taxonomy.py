"""The naming taxonomy: [BrandCode]_[MarketCode]_[ChannelPlatform]_[Year]_[CampaignName].

Every campaign and platform name is built, checked and decoded here.
"""

import re
from dataclasses import dataclass
from datetime import date

from .errors import ValidationError
from .transliteration import transliterate

MULTI_CHANNEL = "MULTI"
MAX_CODE_LENGTH = 16
MAX_CAMPAIGN_PART_LENGTH = 100
MIN_YEAR, MAX_YEAR = 2000, 2100

_CODE = re.compile(r"[A-Z0-9_]+", re.ASCII)
_CODE_SEGMENT = re.compile(r"[A-Z0-9]+")
_YEAR = re.compile(r"[0-9]{4}")
_CAMPAIGN_PART = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class NameParts:
    brand: str
    market: str
    channel: str
    year: int
    campaign: str


def normalize_code(value: str | None, label: str = "Code", field: str | None = None) -> str:
    """Uppercase a code and check it holds only ASCII letters, digits and underscores."""
    raw = (value or "").strip()
    # Check before uppercasing: "ß".upper() is "SS", which would slip through as ASCII.
    code = raw.upper() if raw.isascii() else raw
    if not code:
        raise ValidationError(f"{label} is required.", field)
    if len(code) > MAX_CODE_LENGTH:
        raise ValidationError(
            f"{label} must be at most {MAX_CODE_LENGTH} characters (got {len(code)}).", field
        )
    if not _CODE.fullmatch(code):
        bad = sorted({ch for ch in code if not _CODE.fullmatch(ch.upper() if ch.isascii() else ch)})
        shown = " ".join(repr(ch) for ch in bad)
        raise ValidationError(
            f"{label} may only use letters A-Z, digits and underscores; remove {shown}.", field
        )
    if code.startswith("_") or code.endswith("_") or "__" in code:
        raise ValidationError(
            f"{label} cannot start or end with an underscore or hold two in a row.", field
        )
    return code


def sanitize_campaign_name(value: str | None, field: str | None = None) -> str:
    """Transliterate a campaign name to ASCII letters and digits, in the user's casing."""
    cleaned = transliterate(value).text
    if not cleaned:
        raise ValidationError(
            "Campaign name needs at least one letter A-Z or digit after transliteration "
            "(letters of any script become A-Z; spaces, symbols and emoji are dropped).",
            field,
        )
    if len(cleaned) > MAX_CAMPAIGN_PART_LENGTH:
        raise ValidationError(
            f"Campaign name is too long: {len(cleaned)} letters and digits, "
            f"at most {MAX_CAMPAIGN_PART_LENGTH}.",
            field,
        )
    return cleaned


def validate_year(value: int | str | None, field: str | None = None) -> int:
    """Return the year as an int, defaulting to the current year."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return date.today().year
    text = str(value).strip()
    if isinstance(value, bool) or not _YEAR.fullmatch(text):
        raise ValidationError("Year must be four digits, e.g. 2026.", field)
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"Year must be between {MIN_YEAR} and {MAX_YEAR}.", field)
    return year


def build_name(
    brand_code: str,
    market_code: str,
    channel_code: str,
    campaign_name: str,
    year: int | str | None = None,
) -> str:
    """Build a taxonomy name from its parts, validating and normalising each."""
    parts = [
        normalize_code(brand_code, "Brand code", "brand_code"),
        normalize_code(market_code, "Market code", "market_code"),
        normalize_code(channel_code, "Channel code", "channel_code"),
        str(validate_year(year, "year")),
        sanitize_campaign_name(campaign_name, "campaign_name"),
    ]
    return "_".join(parts)


def is_valid_name(name: str) -> bool:
    """Whether a string has the shape of a taxonomy name."""
    segments = (name or "").split("_")
    return (
        len(segments) >= 5
        and all(_CODE_SEGMENT.fullmatch(s) for s in segments[:-2])
        and bool(_YEAR.fullmatch(segments[-2]))
        and bool(_CAMPAIGN_PART.fullmatch(segments[-1]))
        and name.isascii()
    )


def parse_name(
    name: str,
    *,
    brand_codes: frozenset[str] | set[str] = frozenset(),
    market_codes: frozenset[str] | set[str] = frozenset(),
) -> NameParts:
    """Decode a taxonomy name into its parts.

    Year and campaign part are read from the right, where they are unambiguous. Brand and
    market codes may hold underscores themselves; when the prefix splits more than one way,
    the known codes pick the split, and without them the name is ambiguous.
    """
    if not is_valid_name(name):
        raise ValidationError(f"{name!r} is not a taxonomy name (BRAND_MARKET_CHANNEL_YEAR_Name).")
    head, year, campaign = name.rsplit("_", 2)
    segments = head.split("_")
    candidates = []
    # At least one segment each for brand, market and channel.
    for i in range(1, len(segments) - 1):
        for j in range(i + 1, len(segments)):
            brand, market = "_".join(segments[:i]), "_".join(segments[i:j])
            channel = "_".join(segments[j:])
            candidates.append((brand, market, channel))
    if len(candidates) > 1 and (brand_codes or market_codes):
        candidates = [
            c
            for c in candidates
            if (not brand_codes or c[0] in brand_codes)
            and (not market_codes or c[1] in market_codes)
        ]
    if len(candidates) != 1:
        raise ValidationError(
            f"{name!r} splits into brand, market and channel codes more than one way; "
            "give the known codes to decode it."
            if candidates
            else f"{name!r} matches none of the known brand and market codes."
        )
    brand, market, channel = candidates[0]
    return NameParts(brand, market, channel, int(year), campaign)


def platform_name(campaign_name: str, channel_code: str) -> str:
    """Swap the MULTI channel part of a campaign's name for one channel's code."""
    if not is_valid_name(campaign_name):
        raise ValidationError(f"{campaign_name!r} is not a taxonomy name.")
    head, channel_part, year, campaign = campaign_name.rsplit("_", 3)
    if channel_part != MULTI_CHANNEL:
        raise ValidationError(f"{campaign_name!r} is not a multi-channel campaign name.")
    channel = normalize_code(channel_code, "Channel code", "channel_code")
    return f"{head}_{channel}_{year}_{campaign}"


def ticket_platform_name(campaign_name: str, channel_at: int | None, channel_code: str) -> str:
    """A ticket's platform name: its campaign's name with the channel's code in the channel
    part, wherever the campaign's naming convention put it (`channel_at`: its offset; -1 when
    the convention has none, so the platform name is the name; None for names made before
    conventions were versioned, which follow the default taxonomy)."""
    if channel_at is None:
        return platform_name(campaign_name, channel_code)
    if channel_at < 0:
        return campaign_name
    rest = campaign_name[channel_at + len(MULTI_CHANNEL) :]
    return campaign_name[:channel_at] + channel_code + rest
