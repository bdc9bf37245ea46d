"""Naming conventions: ordered segments and a separator, rendered into names and read back.

Pure: no database. `services/naming.py` loads the conventions, codes and pick-lists and
hands them here as a `Vocabulary`.

A convention is one level's (campaign, ad set / ad group, ad) ordered list of segments:
- reference codes: brand, market, channel (MULTI in a campaign's own name), objective;
- the year, quarter (Q1..Q4) or month (01..12) of the flight start (a campaign: its year);
- one free-text part, with a maximum length and a casing;
- pick-lists an admin keeps (controlled codes, optionally depending on another segment).
Version 1 of every level is built in and reproduces the original taxonomy exactly:
BRAND_MARKET_CHANNEL_YEAR_Text (`DIS_US_META_2026_MoanaLaunch`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .errors import ValidationError
from .taxonomy import MAX_CAMPAIGN_PART_LENGTH, MULTI_CHANNEL
from .transliteration import transliterate

LEVELS = {"campaign": "Campaign", "adset": "Ad set / ad group", "ad": "Ad"}
CODE_KINDS = {"brand": "Brand", "market": "Market", "channel": "Channel", "objective": "Objective"}
DATE_KINDS = {"year": "Year", "quarter": "Quarter", "month": "Month"}
KINDS = {**CODE_KINDS, **DATE_KINDS, "text": "Free text", "list": "Pick-list"}
CASINGS = {"as_typed": "As typed", "pascal": "PascalCase", "lower": "lower", "upper": "UPPER"}
SEPARATORS = ("_", "-", "|", ".", "~", "+")
# A campaign has a year but no flight (tickets do) and spans objectives.
NOT_AT_CAMPAIGN_LEVEL = {"quarter", "month", "objective"}
MAX_SEGMENTS = 12

# The campaigns table keeps names of up to 255 characters.
STORED_NAME_LIMIT = 255

_TEXT_PATTERNS = {
    "as_typed": "[A-Za-z0-9]",
    "pascal": "[A-Za-z0-9]",
    "lower": "[a-z0-9]",
    "upper": "[A-Z0-9]",
}


@dataclass(frozen=True)
class Segment:
    kind: str
    max_length: int = MAX_CAMPAIGN_PART_LENGTH  # text only
    casing: str = "as_typed"  # text only
    list: str = ""  # list only: the pick-list's code

    def label(self, lists: Mapping[str, PickList] | None = None) -> str:
        if self.kind == "list":
            known = (lists or {}).get(self.list)
            return known.label if known else f"List {self.list}"
        if self.kind == "text":
            return f"Free text ({CASINGS[self.casing]}, max {self.max_length})"
        return KINDS[self.kind]

    def short_label(self, lists: Mapping[str, PickList] | None = None) -> str:
        """The segment in a sentence: "free text", "brand", "Sub-brand"."""
        return self.label(lists) if self.kind == "list" else KINDS[self.kind].lower()

    def as_dict(self) -> dict:
        if self.kind == "text":
            return {"kind": "text", "max_length": self.max_length, "casing": self.casing}
        if self.kind == "list":
            return {"kind": "list", "list": self.list}
        return {"kind": self.kind}


@dataclass(frozen=True)
class Convention:
    level: str
    version: int
    separator: str
    segments: tuple[Segment, ...]

    def pattern(self) -> str:
        return self.separator.join(segment.kind.upper() for segment in self.segments)

    @property
    def has_channel(self) -> bool:
        return any(s.kind == "channel" for s in self.segments)


@dataclass(frozen=True)
class PickValue:
    code: str
    label: str
    parent: str = ""  # the code of the segment it depends on ("" when the list depends on none)


@dataclass(frozen=True)
class PickList:
    code: str
    label: str
    depends_on: str  # "" or a segment: brand, market, channel, objective or a list code
    values: tuple[PickValue, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The codes names may use: what the database holds, passed in as plain data."""

    brands: frozenset[str]
    markets: frozenset[str]
    channels: frozenset[str]
    objectives: frozenset[str]
    lists: Mapping[str, PickList] = field(default_factory=dict)
    # The longest name each platform takes, by channel code (the translators declare them).
    name_limits: Mapping[str, int] = field(default_factory=dict)

    def codes(self, segment: Segment, level: str) -> frozenset[str]:
        if segment.kind == "list":
            known = self.lists.get(segment.list)
            return frozenset(v.code for v in known.values) if known else frozenset()
        codes = getattr(self, {"brand": "brands", "market": "markets"}.get(segment.kind, ""), None)
        if codes is not None:
            return codes
        if segment.kind == "channel":
            return self.channels | {MULTI_CHANNEL} if level == "campaign" else self.channels
        return self.objectives


DEFAULT_SEGMENTS = (
    Segment("brand"),
    Segment("market"),
    Segment("channel"),
    Segment("year"),
    Segment("text"),
)


def default(level: str) -> Convention:
    """Version 1 of a level: the original taxonomy."""
    return Convention(level, 1, "_", DEFAULT_SEGMENTS)


# --- defining -------------------------------------------------------------------------------


def segment_from(data: Mapping, level: str, lists: Mapping[str, PickList]) -> Segment:
    """A segment from its form or JSON shape, checked."""
    kind = str(data.get("kind") or "").strip()
    if kind not in KINDS:
        raise ValidationError(f"Unknown segment kind {kind!r}; choose one of {', '.join(KINDS)}.")
    if level == "campaign" and kind in NOT_AT_CAMPAIGN_LEVEL:
        raise ValidationError(
            f"A campaign name cannot hold the {KINDS[kind].lower()}: a campaign spans "
            "tickets with their own flights and objectives. Use it in the ad set or ad "
            "convention."
        )
    if kind == "text":
        casing = str(data.get("casing") or "as_typed")
        if casing not in CASINGS:
            raise ValidationError(f"Casing must be one of {', '.join(CASINGS)}.")
        try:
            length = int(str(data.get("max_length") or MAX_CAMPAIGN_PART_LENGTH))
        except ValueError:
            raise ValidationError("The free text's maximum length must be a number.") from None
        if not 1 <= length <= MAX_CAMPAIGN_PART_LENGTH:
            raise ValidationError(
                f"The free text's maximum length must be 1 to {MAX_CAMPAIGN_PART_LENGTH}."
            )
        return Segment("text", max_length=length, casing=casing)
    if kind == "list":
        code = str(data.get("list") or "").strip().upper()
        if code not in lists:
            raise ValidationError(
                f"Pick-list {code or '(none)'} does not exist; create it under Pick-lists first."
            )
        return Segment("list", list=code)
    return Segment(kind)


def check(level: str, separator: str, segments: Sequence[Segment]) -> None:
    """Refuse a convention that could not make or read names."""
    if level not in LEVELS:
        raise ValidationError(f"Level must be one of {', '.join(LEVELS)}.")
    if separator not in SEPARATORS:
        raise ValidationError(f"The separator must be one of {' '.join(SEPARATORS)}.")
    if not segments:
        raise ValidationError("A convention needs at least one segment.")
    if len(segments) > MAX_SEGMENTS:
        raise ValidationError(f"A convention has at most {MAX_SEGMENTS} segments.")
    kinds = [s.kind for s in segments]
    if kinds.count("text") > 1:
        raise ValidationError("A convention has at most one free-text segment.")
    repeated = sorted({k for k in kinds if k not in ("list",) and kinds.count(k) > 1})
    if repeated:
        raise ValidationError(f"Each segment appears once; {', '.join(repeated)} is repeated.")
    listed = [s.list for s in segments if s.kind == "list"]
    if len(listed) != len(set(listed)):
        raise ValidationError("Each pick-list appears once in a convention.")
    if level == "campaign" and "text" not in kinds:
        raise ValidationError(
            "A campaign convention needs a free-text segment: campaign names must be unique."
        )


# --- rendering ------------------------------------------------------------------------------


def apply_casing(text: str, casing: str) -> str:
    if casing == "lower":
        return text.lower()
    if casing == "upper":
        return text.upper()
    return text


def free_text(typed: str | None, segment: Segment, what: str = "Campaign name") -> tuple[str, str]:
    """The free-text part of a name from what was typed, and what happened on the way."""
    if segment.casing == "pascal":
        words = [transliterate(word) for word in re.split(r"[\s_\-]+", typed or "")]
        text = "".join(w.text[:1].upper() + w.text[1:] for w in words)
        note = " ".join(w.describe() for w in words if w.changed)
    else:
        result = transliterate(typed)
        text, note = apply_casing(result.text, segment.casing), result.describe()
    if not text:
        raise ValidationError(
            f"{what} needs at least one letter A-Z or digit after transliteration "
            "(letters of any script become A-Z; spaces, symbols and emoji are dropped).",
            "campaign_name",
        )
    if len(text) > segment.max_length:
        raise ValidationError(
            f"{what} is too long: {len(text)} letters and digits, at most {segment.max_length}.",
            "campaign_name",
        )
    return text, note


@dataclass(frozen=True)
class NameInput:
    """What a name is made from."""

    brand: str
    market: str
    channel: str  # MULTI for a campaign's own name
    year: int
    text: str | None
    flight_start: date | None = None
    objective: str | None = None
    picks: Mapping[str, str] = field(default_factory=dict)
    # What the free text is called in messages ("Ad name" for an ad's).
    text_label: str = "Campaign name"


@dataclass(frozen=True)
class Rendered:
    name: str
    parts: tuple[tuple[str, str], ...]  # (segment label, value)
    text: str | None  # the free-text part as it appears in the name
    note: str  # what transliteration changed or dropped
    channel_at: int | None  # where the channel code starts in the name
    before: str = ""  # the name up to the free text (all of it when there is none)
    after: str = ""  # the name after the free text


def render(convention: Convention, data: NameInput, lists: Mapping[str, PickList]) -> Rendered:
    """Make the name `data` gets under `convention`; a ValidationError says what is missing."""
    values: list[str] = []
    parts: list[tuple[str, str]] = []
    text = None
    note = ""
    channel_at = None
    for segment in convention.segments:
        if segment.kind == "text":
            text, note = free_text(data.text, segment, data.text_label)
            value = text
        elif segment.kind == "list":
            value = _pick(segment, data, lists)
        elif segment.kind in DATE_KINDS:
            value = _date_part(segment.kind, data)
        elif segment.kind == "objective":
            if not data.objective:
                raise ValidationError("The name needs the objective: choose one.", "objective")
            value = data.objective
        else:
            value = getattr(data, segment.kind)
        if segment.kind == "channel":
            channel_at = sum(len(v) + len(convention.separator) for v in values)
        values.append(value)
        parts.append((segment.label(lists), value))
    name = convention.separator.join(values)
    if len(name) > STORED_NAME_LIMIT:
        raise ValidationError(
            f"The name would be {len(name)} characters; names are at most "
            f"{STORED_NAME_LIMIT}. Shorten the free text.",
            "campaign_name",
        )
    sep = convention.separator
    kinds = [s.kind for s in convention.segments]
    if "text" in kinds:
        i = kinds.index("text")
        before = "".join(v + sep for v in values[:i])
        after = "".join(sep + v for v in values[i + 1 :])
    else:
        before, after = name, ""
    return Rendered(name, tuple(parts), text, note, channel_at, before, after)


def _date_part(kind: str, data: NameInput) -> str:
    if kind == "year":
        return str(data.flight_start.year if data.flight_start else data.year)
    if data.flight_start is None:
        raise ValidationError(f"The name needs the {kind} of the flight start: set the flight.")
    if kind == "quarter":
        return f"Q{(data.flight_start.month - 1) // 3 + 1}"
    return f"{data.flight_start.month:02d}"


def _pick(segment: Segment, data: NameInput, lists: Mapping[str, PickList]) -> str:
    known = lists.get(segment.list)
    label = known.label if known else segment.list
    code = (data.picks.get(segment.list) or "").strip().upper()
    if known is None or not code:
        raise ValidationError(f"Choose a value for {label}.", f"pick_{segment.list}")
    value = next((v for v in known.values if v.code == code), None)
    if value is None:
        raise ValidationError(f"{code} is not a value of {label}.", f"pick_{segment.list}")
    parent = _parent_value(known.depends_on, data)
    if known.depends_on and value.parent and value.parent != parent:
        raise ValidationError(
            f"{code} ({value.label}) belongs to {value.parent}, not {parent or '(none)'}.",
            f"pick_{segment.list}",
        )
    return code


def _parent_value(depends_on: str, data: NameInput) -> str:
    if depends_on in CODE_KINDS:
        return str(getattr(data, depends_on) or "")
    return (data.picks.get(depends_on) or "").upper()


def check_length(
    name: str, channel_code: str, limits: Mapping[str, int], level: str = "campaign"
) -> str | None:
    """Why a name is too long for a platform, or None."""
    limit = limits.get(channel_code)
    if limit is not None and len(name) > limit:
        noun = {"campaign": "campaign", "adset": "ad set", "ad": "ad"}[level]
        return f"The {noun} name is {len(name)} characters; this platform takes at most {limit}."
    return None
