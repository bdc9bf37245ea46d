"""Naming governance: the conventions an admin defines, pick-lists, and validating names.

convention = current("campaign")          # the newest version (1 is built in)
save_convention("campaign", "_", [...])   # a new version; older names stay valid
decoder_for("campaign").decode(name)      # valid? which version? parts, problems, fix
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import (
    Brand,
    Campaign,
    Channel,
    Market,
    NamingConvention,
    PickList,
    Ticket,
    User,
)
from . import conventions as conv
from . import stamps
from .decoder import Decoder, Result
from .errors import Conflict, Duplicate, ValidationError
from .settings import Objective
from .translators import TRANSLATORS

MAX_NAMES = 5000  # per validation request
MAX_NAME_LENGTH = 1000
_LIST_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,15}")


# --- loading --------------------------------------------------------------------------------


def _convention(row: NamingConvention) -> conv.Convention:
    segments = []
    for data in row.segments or []:
        kind = data.get("kind")
        if kind == "text":
            segments.append(conv.Segment("text", int(data["max_length"]), str(data.get("casing"))))
        elif kind == "list":
            segments.append(conv.Segment("list", list=str(data.get("list"))))
        else:
            segments.append(conv.Segment(str(kind)))
    return conv.Convention(row.level, row.version, row.separator, tuple(segments))


# Conventions and pick-lists are read once per session (a request, a job): QA of a bulk move
# names every ticket's ad set without a query each. A change to either, or a rollback,
# forgets them.
_CACHE = "naming"


def _cached(key, make):
    cache = db.session.info.setdefault(_CACHE, {})
    if key not in cache:
        # Between requests, each process keeps them while the reference stamp holds.
        cache[key] = stamps.reference((_CACHE, key), make)
    return cache[key]


@event.listens_for(Session, "before_flush")
def _forget_changed(session, flush_context, instances) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, NamingConvention | PickList) for row in changed):
        session.info.pop(_CACHE, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction) -> None:
    session.info.pop(_CACHE, None)


def pick_lists() -> dict[str, conv.PickList]:
    """Every pick-list by code."""

    def load():
        rows = db.session.scalars(select(PickList).order_by(PickList.code))
        return {row.code: _pick_list(row) for row in rows}

    return dict(_cached("lists", load))


def _pick_list(row: PickList) -> conv.PickList:
    values = tuple(
        conv.PickValue(v["code"], v.get("label") or v["code"], v.get("parent") or "")
        for v in row.values or []
    )
    return conv.PickList(row.code, row.label, row.depends_on or "", values)


def versions(level: str) -> list:
    """Every version of a level, newest first (the built-in version 1 last)."""

    def load():
        rows = db.session.scalars(
            select(NamingConvention)
            .where(NamingConvention.level == level)
            .order_by(NamingConvention.version.desc())
        )
        found = [_convention(row) for row in rows]
        if not any(c.version == 1 for c in found):
            found.append(conv.default(level))
        return found

    return list(_cached(("versions", level), load))


def current(level: str) -> conv.Convention:
    """The version new names of a level follow."""
    return versions(level)[0]


def campaign_pick_lists() -> list[conv.PickList]:
    """The pick-lists the current campaign convention asks for, in its order."""
    lists = pick_lists()
    convention = current("campaign")
    return [lists[s.list] for s in convention.segments if s.kind == "list" and s.list in lists]


def vocabulary(lists: Mapping[str, conv.PickList] | None = None) -> conv.Vocabulary:
    """The codes names may hold: brands, markets, channels, objectives and pick-lists."""
    return conv.Vocabulary(
        brands=frozenset(db.session.scalars(select(Brand.internal_code))),
        markets=frozenset(db.session.scalars(select(Market.code))),
        channels=frozenset(db.session.scalars(select(Channel.api_identifier))),
        objectives=frozenset(o.value for o in Objective),
        lists=pick_lists() if lists is None else lists,
        name_limits={
            code: t.name_limit for code, t in TRANSLATORS.items() if t.name_limit is not None
        },
    )


def decoder_for(level: str, draft: conv.Convention | None = None) -> Decoder:
    """A decoder of one level's names; with `draft`, as if it were the newest version."""
    level = check_level(level)
    lists = pick_lists()
    found = versions(level)
    if draft is not None:
        found = [draft, *found]
    return Decoder(found, vocabulary(lists))


def check_level(level: str | None) -> str:
    level = (level or "campaign").strip().lower()
    if level not in conv.LEVELS:
        raise ValidationError(f"Level must be one of {', '.join(conv.LEVELS)}.", "level")
    return level


# --- defining -------------------------------------------------------------------------------


def draft(level: str, separator: str, segments: Sequence[Mapping]) -> conv.Convention:
    """A convention as the editor holds it, checked but not saved."""
    level = check_level(level)
    lists = pick_lists()
    parsed = [conv.segment_from(data, level, lists) for data in segments]
    conv.check(level, separator, parsed)
    return conv.Convention(level, current(level).version + 1, separator, tuple(parsed))


def save_convention(
    level: str, separator: str, segments: Sequence[Mapping], actor: User | None
) -> conv.Convention:
    """Save an edited convention as the level's next version."""
    proposed = draft(level, separator, segments)
    latest = current(proposed.level)
    if latest.separator == proposed.separator and latest.segments == proposed.segments:
        raise ValidationError("Nothing changed: this is already the current version.")
    if latest.version == 1 and not db.session.scalar(
        select(func.count()).where(NamingConvention.level == proposed.level)
    ):
        _insert_version(conv.default(proposed.level), None)
    _insert_version(proposed, actor)
    return proposed


def _insert_version(convention: conv.Convention, actor: User | None) -> None:
    db.session.info.pop(_CACHE, None)
    row = NamingConvention(
        level=convention.level,
        version=convention.version,
        separator=convention.separator,
        segments=[s.as_dict() for s in convention.segments],
        created_by=actor,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except Exception:
        raise Conflict(
            "Someone saved another version of this convention meanwhile; reload and edit "
            "the newest one."
        ) from None


@dataclass(frozen=True)
class Impact:
    checked: int
    not_matching: int


def impact(proposed: conv.Convention) -> Impact:
    """How many names already made would not match `proposed` (campaign names are stored)."""
    if proposed.level != "campaign":
        return Impact(0, 0)
    decoder = Decoder([proposed], vocabulary())
    names = db.session.scalars(select(Campaign.name)).all()
    bad = sum(1 for name in names if not decoder.matches(name))
    return Impact(len(names), bad)


SAMPLE = conv.NameInput(
    brand="DIS",
    market="US",
    channel="META",
    year=2026,
    text="Moana Launch",
    objective="AWARENESS",
)


def sample_name(proposed: conv.Convention) -> str:
    """A name the convention would make, from real codes where there are some."""
    lists = pick_lists()
    brand = db.session.scalar(select(Brand.internal_code).order_by(Brand.name).limit(1))
    market = db.session.scalar(select(Market.code).order_by(Market.code).limit(1))
    picks = {}
    for segment in proposed.segments:
        known = lists.get(segment.list) if segment.kind == "list" else None
        if known and known.values:
            fitting = [v for v in known.values if not v.parent or v.parent == brand] or list(
                known.values
            )
            picks[known.code] = fitting[0].code
    data = conv.NameInput(
        brand=brand or SAMPLE.brand,
        market=market or SAMPLE.market,
        channel="MULTI" if proposed.level == "campaign" else SAMPLE.channel,
        year=SAMPLE.year,
        text=SAMPLE.text,
        flight_start=date(SAMPLE.year, 3, 1),
        objective=SAMPLE.objective,
        picks=picks,
    )
    try:
        return conv.render(proposed, data, lists).name
    except ValidationError as err:
        return f"(no sample: {err.message})"


# --- ad set / ad group names ---------------------------------------------------------------


def adset_name_for(
    ticket: Ticket, settings: Mapping | None = None
) -> tuple[str | None, str | None]:
    """A ticket's ad set / ad group name and, when it cannot be made, why.

    (None, None) while the ad set convention is the built-in version 1, whose names are the
    platform names (as before conventions existed). `settings` stand for the ticket's own
    while a form is being edited.
    """
    settings = ticket.payload_config or {} if settings is None else settings
    return adset_name_of(ticket.campaign, ticket.channel.api_identifier, settings)


def adset_name_of(
    campaign: Campaign, channel_code: str, settings: Mapping
) -> tuple[str | None, str | None]:
    """The ad set / ad group name a campaign gets on a channel with these settings."""
    if current("adset").version == 1:
        return None, None
    return level_name_of("adset", campaign, channel_code, settings, None)


def level_name_of(
    level: str, campaign: Campaign, channel_code: str, settings: Mapping, text: str | None
) -> tuple[str | None, str | None]:
    """The name `level`'s current convention gives, and why it cannot be made when it cannot.

    The free text is the campaign's own unless `text` is given (an ad's name has its own).
    """
    convention = current(level)
    lists = pick_lists()
    try:
        start = date.fromisoformat(str(settings.get("flight_start") or "").strip())
    except ValueError:
        start = None
    objective = str(settings.get("objective") or "").strip().upper() or None
    data = conv.NameInput(
        brand=campaign.brand.internal_code,
        market=campaign.market.code,
        channel=channel_code,
        year=campaign.year,
        text=campaign_text(campaign, lists) if text is None else text,
        flight_start=start,
        objective=objective,
        picks=dict(campaign.name_picks or {}),
        text_label="Campaign name" if text is None else f"{conv.LEVELS[level]} name",
    )
    try:
        return conv.render(convention, data, lists).name, None
    except ValidationError as err:
        return None, err.message


def campaign_text(campaign: Campaign, lists: Mapping[str, conv.PickList]) -> str:
    """The free-text part of a campaign's name (what the user typed, as the name holds it)."""
    if campaign.name_text:
        return campaign.name_text
    decoder = Decoder(versions("campaign"), vocabulary(lists))
    result = decoder.decode(campaign.name)
    return result.parts.get("text") or campaign.campaign_name


# --- pick-lists -----------------------------------------------------------------------------


def parse_values(text: str) -> list[dict]:
    """Values typed one per line as `CODE = Label` or `PARENT/CODE = Label`."""
    values: list[dict] = []
    seen: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, _, label = line.partition("=")
        parent, _, code = head.strip().rpartition("/")
        code, parent = code.strip().upper(), parent.strip().upper()
        if not _LIST_CODE.fullmatch(code):
            raise ValidationError(
                f"Line {number}: {code or '(empty)'} is not a code (A-Z, digits and "
                "underscores, starting with a letter, at most 16).",
                "values",
            )
        if code in seen:
            raise ValidationError(f"Line {number}: {code} is listed twice.", "values")
        seen.add(code)
        values.append({"code": code, "label": label.strip()[:120] or code, "parent": parent})
    if not values:
        raise ValidationError("A pick-list needs at least one value.", "values")
    return values


def values_text(values: Iterable[Mapping]) -> str:
    lines = []
    for v in values:
        head = f"{v['parent']}/{v['code']}" if v.get("parent") else v["code"]
        lines.append(f"{head} = {v.get('label') or v['code']}")
    return "\n".join(lines)


def save_pick_list(
    *, code: str, label: str, depends_on: str, values: str, row: PickList | None = None
) -> PickList:
    """Create or change a pick-list."""
    db.session.info.pop(_CACHE, None)
    code = (code or "").strip().upper()
    if not _LIST_CODE.fullmatch(code):
        raise ValidationError(
            "Code: A-Z, digits and underscores, starting with a letter, at most 16.", "code"
        )
    label = (label or "").strip()
    if not label or len(label) > 120:
        raise ValidationError("Label is required (at most 120 characters).", "label")
    depends_on = (depends_on or "").strip()
    depends_on = depends_on if depends_on in conv.CODE_KINDS else depends_on.upper()
    lists = pick_lists()
    if depends_on and depends_on not in conv.CODE_KINDS and depends_on not in lists:
        raise ValidationError(f"{depends_on} is neither a segment nor a pick-list.", "depends_on")
    if depends_on == code:
        raise ValidationError("A pick-list cannot depend on itself.", "depends_on")
    parsed = parse_values(values)
    if not depends_on and any(v["parent"] for v in parsed):
        raise ValidationError(
            "Values name a parent (PARENT/CODE) but the list depends on nothing.", "values"
        )
    taken = db.session.scalar(select(PickList).where(PickList.code == code))
    if taken is not None and taken is not row:
        raise Duplicate(f"A pick-list {code} already exists.", "code")
    if row is None:
        row = PickList(code=code)
        db.session.add(row)
    elif row.code != code:
        raise ValidationError("A pick-list's code cannot change: names hold it.", "code")
    row.label, row.depends_on, row.values = label, depends_on, parsed
    db.session.flush()
    return row


# --- validating names -----------------------------------------------------------------------


def clean_names(names: object) -> list[str]:
    """The names of a validation request: a list of strings, within limits."""
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValidationError('"names" must be a list of strings.', "names")
    if len(names) > MAX_NAMES:
        raise ValidationError(f"At most {MAX_NAMES} names at a time.", "names")
    long = next((n for n in names if len(n) > MAX_NAME_LENGTH), None)
    if long is not None:
        raise ValidationError(f"A name is at most {MAX_NAME_LENGTH} characters.", "names")
    return names


def validate_names(names: Sequence[str], level: str = "campaign") -> list[Result]:
    """Decode each name: valid, version, parts, problems and a suggestion."""
    decoder = decoder_for(level)
    return [decoder.decode(name) for name in names]


def names_from_lines(text: str) -> list[str]:
    """Names pasted one per line; blank lines are skipped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def names_from_csv(text: str) -> list[str]:
    """Names from a CSV: its `name` column when it has that header, else its first column."""
    rows = list(csv.reader(io.StringIO(text or "")))
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("name") if "name" in header else 0
    start = 1 if "name" in header else 0
    return [
        row[column].strip() for row in rows[start:] if len(row) > column and row[column].strip()
    ]
