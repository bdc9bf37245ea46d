"""The UTM builder: a landing URL's utm_* parameters, made from the names and a channel's mapping.

    params = parameters(mapping, Names("DIS_US_META_2026_MoanaLaunch", adset="..."))
    url = build("https://example.com/moana?ref=1#top", mapping, names)   # or ValidationError
    wrong = differences(url_on_the_ticket, mapping, names)                # what QA reports

The builder sets utm_campaign (the platform name: the campaign's name with the channel's
code), and with a channel mapping utm_source, utm_medium, any further fixed parameters and
utm_content (the ad set / ad group name). Parameters it sets replace those of the same key
(whatever their case); every other parameter of the query string stays as typed, in place,
and so does the fragment. Mapping values are lowercase; names keep their case unless the
mapping asks for lowercase names, because they must read as the names on the platform.

Parameters and what they mean, Google Analytics' URL builder reference:
https://support.google.com/analytics/answer/10917952
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Campaign, Channel, Ticket, UtmMapping, platform_name_of
from . import naming
from .errors import ValidationError
from .settings import MAX_URL_LENGTH

# The parameters Google Analytics reads besides source, medium and campaign
# (https://support.google.com/analytics/answer/10917952); an admin may fix any of them on a
# channel. utm_campaign always comes from the name.
EXTRA_KEYS = (
    "utm_id",
    "utm_term",
    "utm_content",
    "utm_source_platform",
    "utm_creative_format",
    "utm_marketing_tactic",
)
MAX_VALUE_LENGTH = 100
_VALUE = re.compile(r"[a-z0-9][a-z0-9._-]*")
_VALUE_RULE = "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit"
SCHEMES = ("https", "http")


@dataclass(frozen=True)
class UtmSettings:
    """A channel's mapping: what the builder adds to the names."""

    source: str
    medium: str
    extra: tuple[tuple[str, str], ...] = ()
    content_from_adset: bool = True
    lowercase_names: bool = False


@dataclass(frozen=True)
class Names:
    """The names a ticket's requests carry: the campaign's and its ad set / ad group's."""

    campaign: str
    adset: str | None = None  # None: the ad set / ad group is named like the campaign


# --- the builder (pure) ---------------------------------------------------------------------


def parameters(mapping: UtmSettings | None, names: Names) -> dict[str, str]:
    """The utm_* parameters the builder sets, in the order it adds them."""

    def name(value: str) -> str:
        return value.lower() if mapping is not None and mapping.lowercase_names else value

    if mapping is None:
        return {"utm_campaign": name(names.campaign)}
    params = {
        "utm_source": mapping.source.lower(),
        "utm_medium": mapping.medium.lower(),
        "utm_campaign": name(names.campaign),
    }
    if mapping.content_from_adset:
        params["utm_content"] = name(names.adset or names.campaign)
    for key, value in mapping.extra:
        params.setdefault(key, value.lower())
    return params


def split_url(url: str):
    """The parts of an http(s) landing URL, or a ValidationError that says what is wrong."""
    text = (url or "").strip()
    if not text:
        raise ValidationError("Type the landing URL first, e.g. https://example.com/page.")
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. "http://[" — a malformed IPv6 host
        parts = None
    if parts is None or parts.scheme.lower() not in SCHEMES or not parts.netloc:
        raise ValidationError(
            f"UTM parameters go on a web page's address; {text!r} is not one: it must start "
            "with https:// (or http://) and name a site, e.g. https://example.com/page.",
            "landing_url",
        )
    if any(c.isspace() for c in text):
        raise ValidationError("The landing URL has spaces in it; remove them.", "landing_url")
    return parts


def build(url: str, mapping: UtmSettings | None, names: Names) -> str:
    """The landing URL with the builder's parameters, its other parameters and fragment kept."""
    parts = split_url(url)
    wanted = parameters(mapping, names)
    pairs, placed = [], set()
    for raw in parts.query.split("&") if parts.query else []:
        key = unquote_plus(raw.partition("=")[0]).lower()
        if key in wanted:
            if key not in placed:  # the first of its key takes the built value, in place
                pairs.append(urlencode({key: wanted[key]}))
                placed.add(key)
            continue
        pairs.append(raw)  # as typed, encoding and all
    pairs.extend(urlencode({key: value}) for key, value in wanted.items() if key not in placed)
    built = urlunsplit(
        (parts.scheme.lower(), parts.netloc, parts.path, "&".join(pairs), parts.fragment)
    )
    if len(built) > MAX_URL_LENGTH:
        raise ValidationError(
            f"With its UTM parameters the landing URL would be {len(built):,} characters; "
            f"the most a ticket takes is {MAX_URL_LENGTH:,}. Shorten the URL.",
            "landing_url",
        )
    return built


@dataclass(frozen=True)
class Difference:
    key: str
    found: str | None  # None: the URL does not have it
    expected: str


def differences(url: str, mapping: UtmSettings | None, names: Names) -> list[Difference]:
    """The builder's parameters that the URL lacks or holds with another value."""
    try:
        query = urlsplit((url or "").strip()).query
    except ValueError:
        query = ""
    found: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        found.setdefault(key, value)
    return [
        Difference(key, found.get(key), value)
        for key, value in parameters(mapping, names).items()
        if found.get(key) != value
    ]


# --- mappings as an admin types them --------------------------------------------------------


def clean_value(value: str | None, label: str, field: str) -> str:
    """A mapping value in lowercase, or why it cannot be one."""
    text = (value or "").strip().lower()
    if len(text) > MAX_VALUE_LENGTH:
        raise ValidationError(f"{label} must be at most {MAX_VALUE_LENGTH} characters.", field)
    if not _VALUE.fullmatch(text):
        raise ValidationError(f"{label} {text!r}: use {_VALUE_RULE} (e.g. paid_social).", field)
    return text


def parse_extra(text: str | None, content_from_adset: bool) -> tuple[tuple[str, str], ...]:
    """Further parameters typed one per line as `utm_id = spring26`."""
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        key = key.strip().lower()
        if not sep:
            raise ValidationError(f"Line {number}: write it as utm_id = value.", "utm_extra")
        if key not in EXTRA_KEYS:
            raise ValidationError(
                f"Line {number}: {key or '(empty)'} is not one of {', '.join(EXTRA_KEYS)} "
                "(source and medium have their own fields; utm_campaign is the name).",
                "utm_extra",
            )
        if key == "utm_content" and content_from_adset:
            raise ValidationError(
                f"Line {number}: utm_content is the ad set / ad group name here; untick that "
                "to fix it to a value.",
                "utm_extra",
            )
        if any(key == seen for seen, _ in pairs):
            raise ValidationError(f"Line {number}: {key} is set twice.", "utm_extra")
        pairs.append((key, clean_value(value, f"Line {number}: {key}", "utm_extra")))
    return tuple(pairs)


def extra_text(extra: Iterable[Iterable[str]] | None) -> str:
    return "\n".join(f"{key} = {value}" for key, value in extra or ())


def clean_mapping(
    source: str | None,
    medium: str | None,
    extra: str | None = "",
    content_from_adset: bool = True,
    lowercase_names: bool = False,
) -> UtmSettings | None:
    """The mapping a channel form holds; None when it sets none (source and medium blank)."""
    source, medium = (source or "").strip(), (medium or "").strip()
    if not source and not medium and not (extra or "").strip():
        return None
    if not source:
        raise ValidationError(
            "utm_source is required once the channel has a mapping.", "utm_source"
        )
    if not medium:
        raise ValidationError(
            "utm_medium is required once the channel has a mapping.", "utm_medium"
        )
    return UtmSettings(
        clean_value(source, "utm_source", "utm_source"),
        clean_value(medium, "utm_medium", "utm_medium"),
        parse_extra(extra, bool(content_from_adset)),
        bool(content_from_adset),
        bool(lowercase_names),
    )


# --- mappings kept per channel --------------------------------------------------------------

# Read once per session (a request, a job), like naming conventions: QA of a bulk move builds
# every ticket's URL without a query each. A change to a mapping, or a rollback, forgets them.
_CACHE = "utm_mappings"


@event.listens_for(Session, "before_flush")
def _forget_changed(session, flush_context, instances) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, UtmMapping | Channel) for row in changed):
        session.info.pop(_CACHE, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction) -> None:
    session.info.pop(_CACHE, None)


def _settings(row: UtmMapping) -> UtmSettings:
    return UtmSettings(
        row.utm_source,
        row.utm_medium,
        tuple((str(k), str(v)) for k, v in row.extra or ()),
        row.content_from_adset,
        row.lowercase_names,
    )


def mappings() -> dict:
    """Every channel's mapping by channel id."""
    cache = db.session.info.setdefault(_CACHE, {})
    if "all" not in cache:
        rows = db.session.scalars(select(UtmMapping))
        cache["all"] = {row.channel_id: _settings(row) for row in rows}
    return cache["all"]


def mapping_for(channel_id) -> UtmSettings | None:
    """A channel's mapping; None when an admin has set none."""
    return mappings().get(channel_id)


def save_mapping(channel: Channel, mapping: UtmSettings | None) -> None:
    """Set (or with None, remove) a channel's mapping."""
    db.session.info.pop(_CACHE, None)
    row = db.session.scalar(select(UtmMapping).where(UtmMapping.channel_id == channel.id))
    if mapping is None:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = UtmMapping(channel=channel)
        db.session.add(row)
    row.utm_source, row.utm_medium = mapping.source, mapping.medium
    row.extra = [list(pair) for pair in mapping.extra] or None
    row.content_from_adset, row.lowercase_names = (
        mapping.content_from_adset,
        mapping.lowercase_names,
    )


# --- a ticket's URL -------------------------------------------------------------------------


def apply(campaign: Campaign, channel: Channel, settings: Mapping) -> str:
    """The landing URL of a ticket's settings with its UTM parameters (the form's Apply)."""
    try:
        platform = platform_name_of(campaign, channel.api_identifier)
    except ValidationError:
        raise ValidationError(
            f"{campaign.name} is not a taxonomy name, so there is no utm_campaign to set.",
            "landing_url",
        ) from None
    mapping = mapping_for(channel.id)
    adset = None
    if mapping is not None and mapping.content_from_adset:
        adset, problem = naming.adset_name_of(campaign, channel.api_identifier, settings)
        if problem:
            raise ValidationError(
                f"utm_content is the ad set / ad group name, which cannot be made yet: {problem}",
                "landing_url",
            )
    return build(str(settings.get("landing_url") or ""), mapping, Names(platform, adset))


def ticket_names(ticket: Ticket, adset_name: str | None) -> Names | None:
    """The names a ticket's UTM parameters come from; None without a taxonomy name."""
    try:
        return Names(ticket.platform_name, adset_name)
    except ValidationError:
        return None


def landing_url_for(ticket: Ticket, adset_name: str | None) -> str | None:
    """The ticket's landing URL as built: what translators send. None when it cannot be."""
    url = (ticket.payload_config or {}).get("landing_url")
    names = ticket_names(ticket, adset_name)
    if not url or names is None:
        return None
    try:
        return build(str(url), mapping_for(ticket.channel_id), names)
    except ValidationError:
        return None  # the settings' own checks say what is wrong with the URL
