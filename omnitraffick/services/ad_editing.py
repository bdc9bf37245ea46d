"""Add, change, delete and reorder a CREATE_CAMPAIGN ticket's ads.

Ads change only while the ticket's settings can (tickets.EDITABLE) and never while it is being
sent. Every change is a line of the ticket's history and a new ticket version (the board's
ETag and the pages' stale checks see it), and, as a settings edit does, it drops the last QA
run, which judged other ads. Naming and tracked URLs are services/ads.py's; this module only
edits. (It is a module of its own because tickets.py reads ads.py to build the platform
request, and this one needs tickets.py's rules: the imports run one way.)
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select

from ..extensions import db
from ..models import Creative, RequestType, Ticket, TicketAd, TicketAdCreative, User, utcnow
from . import ads, creative_specs, naming, team, tickets, trafficking
from . import settings as ticket_settings
from .errors import Conflict, NotFound, ValidationError
from .labels import human

# A ticket is one ad set / ad group; more ads than this belong in another one.
MAX_ADS = 20
# Google takes up to 15 images of each kind on a responsive display ad; nothing takes more.
MAX_CREATIVES = 20
# Texts without a column limit of their own (primary text, headlines, descriptions).
MAX_TEXT = 2000
# The free-text columns' lengths (models.TicketAd).
MAX_CHARS = {"name_text": 120, "long_headline": 255, "business_name": 120}
TEXT_FIELDS = (
    "name_text",
    "primary_text",
    "headline",
    "long_headline",
    "description",
    "business_name",
)
LABELS = {
    "name_text": "Name",
    "placements": "Placements",
    "creative_ids": "Creatives",
    "primary_text": "Primary text",
    "headline": "Headline",
    "long_headline": "Long headline",
    "description": "Description",
    "business_name": "Business name",
    "call_to_action": "Call to action",
    "landing_url": "Landing URL",
}
# The texts each platform's ads carry, in form order (the others stay empty).
PLATFORM_TEXTS = {
    "META": ("primary_text", "headline", "description"),
    "TIKTOK": ("primary_text",),
    "GOOGLE": ("headline", "long_headline", "description", "business_name"),
}
# Texts that hold one value per line on a platform (Google's headlines and descriptions).
MULTI_LINE = {"GOOGLE": ("headline", "description")}
# Platforms whose ad shows one image or video (Google's responsive display ad takes several).
ONE_CREATIVE = ("META", "TIKTOK")
# Placements that carry text only: no creative and no call to action.
TEXT_ONLY = tuple(p.key for p in creative_specs.PLACEMENTS if not (p.image or p.video))


@dataclass
class AdValues:
    """An ad's values, checked: what `add_ad` and `update_ad` write."""

    name_text: str
    placements: list[str]
    creatives: list[Creative]
    primary_text: str
    headline: str
    long_headline: str
    description: str
    business_name: str
    call_to_action: str
    landing_url: str


def platform_of(ticket: Ticket) -> str:
    return ticket.channel.api_identifier


def check_editable(ticket: Ticket) -> None:
    """Refuse unless the ticket's ads may change now (as its settings may)."""
    if ticket.request_type is not RequestType.CREATE_CAMPAIGN:
        raise Conflict(
            f"Only Create campaign tickets carry ads; this one is {human(ticket.request_type)}."
        )
    if ticket.sending_since is not None:
        raise Conflict(
            f"This ticket is being sent to {ticket.channel.platform_name}; its ads stay as "
            "they are until the platform has answered."
        )
    if ticket.status not in tickets.EDITABLE:
        raise Conflict(
            "Ads can only change while a ticket is Draft or QA failed; "
            f"this one is {tickets.label(ticket.status)}."
        )


def made_objects(ticket: Ticket, positions) -> list[str]:
    """The objects a send that failed part way already made for the ads at `positions`
    (their placeholders, in the ticket's platform_ids: "ad2_video_id", ...)."""
    prefixes = tuple(f"ad{n}_" for n in positions)
    return [key for key in (ticket.platform_ids or {}) if key.startswith(prefixes)]


def check_not_made(ticket: Ticket, positions) -> None:
    """Refuse to change ads whose objects an earlier send already made: the next send resumes
    from them (and finds them by name), so a changed ad would go live as it was."""
    made = made_objects(ticket, positions)
    if not made:
        return
    platform = ticket.channel.platform_name
    ads_touched = sorted({int(key[2:].split("_", 1)[0]) for key in made})
    which = ", ".join(str(n) for n in ads_touched)
    objects = ", ".join(trafficking.OBJECT_NAMES.get(key, key) for key in made)
    raise Conflict(
        f"{platform} already holds objects of ad{'s' if len(ads_touched) > 1 else ''} {which}, "
        f"made by the send that failed ({objects}): the next send finishes them as they are. "
        f"Send again, or change them on {platform} and in a new ticket."
    )


def get_ad(ticket: Ticket, ad_id) -> TicketAd:
    """One of the ticket's ads, or NotFound (an ad of another ticket is not found here)."""
    for ad in ticket.ads:
        if str(ad.id) == str(ad_id):
            return ad
    raise NotFound("This ticket has no such ad. It may have been deleted.")


def _text(raw: Mapping, name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{LABELS[name]} must be text.", name)
    # Line ends as the browser sends them (CRLF) are stored as plain newlines.
    return value.replace("\r\n", "\n").strip()


def _list(raw: Mapping, name: str) -> list[str]:
    value = raw.get(name)
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple) else [value]
    if not all(isinstance(item, str) for item in items):
        raise ValidationError(f"{LABELS[name]} must be a list of strings.", name)
    seen: list[str] = []
    for item in (i.strip() for i in items):
        if item and item not in seen:
            seen.append(item)
    return seen


def _placements(ticket: Ticket, raw: Mapping) -> list[str]:
    platform = platform_of(ticket)
    offered = [p.key for p in creative_specs.placements_for(platform)]
    chosen = _list(raw, "placements")
    if not chosen:
        names = ", ".join(p.name for p in creative_specs.placements_for(platform))
        raise ValidationError(f"Choose at least one placement ({names}).", "placements")
    wrong = [key for key in chosen if key not in offered]
    if wrong:
        raise ValidationError(
            f"{', '.join(wrong)} is not a placement of {ticket.channel.platform_name}; choose "
            f"from {', '.join(offered)}.",
            "placements",
        )
    text_only = [key for key in chosen if key in TEXT_ONLY]
    if text_only and len(text_only) != len(chosen):
        names = ", ".join(creative_specs.BY_KEY[key].name for key in text_only)
        raise ValidationError(
            f"{names} ads are text only and cannot share an ad with image or video "
            "placements; make them an ad of their own.",
            "placements",
        )
    # In the table's order, whatever order the form sent them in.
    return [key for key in offered if key in chosen]


def _creatives(ticket: Ticket, raw: Mapping, placements: list[str]) -> list[Creative]:
    ids = _list(raw, "creative_ids")
    if not ids:
        return []
    if placements and all(key in TEXT_ONLY for key in placements):
        raise ValidationError(
            "A text-only ad (Google responsive search) takes no image or video; "
            "remove the creatives.",
            "creative_ids",
        )
    if len(ids) > MAX_CREATIVES:
        raise ValidationError(
            f"An ad takes at most {MAX_CREATIVES} creatives; this one has {len(ids)}.",
            "creative_ids",
        )
    platform = platform_of(ticket)
    if platform in ONE_CREATIVE and len(ids) > 1:
        raise ValidationError(
            f"A {ticket.channel.platform_name} ad shows one image or video; this one has "
            f"{len(ids)}. Choose one (or make an ad for each).",
            "creative_ids",
        )
    brand = ticket.campaign.brand
    parsed = []
    for value in ids:
        try:
            parsed.append(uuid.UUID(value))
        except ValueError:
            raise ValidationError(
                f"{value!r} is not a creative of {brand.name}'s library.", "creative_ids"
            ) from None
    found = {
        c.id: c
        for c in db.session.scalars(
            select(Creative).where(Creative.id.in_(parsed), Creative.brand_id == brand.id)
        )
    }
    missing = [str(i) for i in parsed if i not in found]
    if missing:
        raise ValidationError(
            f"Creative {missing[0]} is not in {brand.name}'s library (deleted, or another "
            "brand's); pick from the library.",
            "creative_ids",
        )
    return [found[i] for i in parsed]


def _call_to_action(ticket: Ticket, raw: Mapping, placements: list[str]) -> str:
    platform = platform_of(ticket)
    value = _text(raw, "call_to_action").upper()
    allowed = dict(creative_specs.CALLS_TO_ACTION.get(platform, ()))
    text_only = bool(placements) and all(key in TEXT_ONLY for key in placements)
    if text_only:
        if value:
            raise ValidationError(
                "A Google responsive search ad takes no call to action; leave it empty.",
                "call_to_action",
            )
        return ""
    if not value:
        raise ValidationError(
            f"Choose a call to action ({', '.join(allowed.values())}).", "call_to_action"
        )
    if value not in allowed:
        raise ValidationError(
            f"{value} is not a call to action {ticket.channel.platform_name} takes; choose "
            f"from {', '.join(allowed)}.",
            "call_to_action",
        )
    return value


def _landing_url(ticket: Ticket, raw: Mapping) -> str:
    url = _text(raw, "landing_url")
    if not url:
        return ""
    # The ticket settings' own check of a landing URL (scheme, host, length).
    cleaned = ticket_settings.clean_settings(
        RequestType.CREATE_CAMPAIGN, {"landing_url": url}, ticket.campaign.market.currency
    )
    return cleaned["landing_url"]


def clean(ticket: Ticket, raw: Mapping, ad: TicketAd | None = None) -> AdValues:
    """Check an ad's values as a form or the API sends them; every problem at once.

    `raw` holds name_text, placements (keys), creative_ids, the texts, call_to_action and
    landing_url (blank: the ticket's). `ad` is the ad being changed, if one is.
    """
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def attempt(name, read):
        try:
            values[name] = read()
        except ValidationError as err:
            errors.setdefault(err.field or name, []).append(err.message)

    for name in TEXT_FIELDS:
        attempt(name, lambda name=name: _text(raw, name))
    for name, text in list(values.items()):
        limit = MAX_CHARS.get(name, MAX_TEXT)
        if len(text) > limit:
            errors.setdefault(name, []).append(
                f"{LABELS[name]} may have at most {limit:,} characters; this one has {len(text):,}."
            )
    attempt("placements", lambda: _placements(ticket, raw))
    placements = values.get("placements") or []
    attempt("creative_ids", lambda: _creatives(ticket, raw, placements))
    if "placements" in values:
        attempt("call_to_action", lambda: _call_to_action(ticket, raw, placements))
    attempt("landing_url", lambda: _landing_url(ticket, raw))
    if "name_text" in values and "name_text" not in errors:
        attempt("name_text", lambda: _name(ticket, values["name_text"], ad))
    if errors:
        message = " ".join(m for ms in errors.values() for m in ms)
        raise ValidationError(message, errors=errors)
    return AdValues(
        name_text=values["name_text"],
        placements=values["placements"],
        creatives=values["creative_ids"],
        primary_text=values["primary_text"],
        headline=values["headline"],
        long_headline=values["long_headline"],
        description=values["description"],
        business_name=values["business_name"],
        call_to_action=values["call_to_action"],
        landing_url=values["landing_url"],
    )


def _name(ticket: Ticket, text: str, ad: TicketAd | None) -> str:
    """The name text, once the ad naming convention renders it and no other ad has it."""
    if not text:
        raise ValidationError("Give the ad a name (e.g. HeroVideo).", "name_text")
    name, problem = ads.ad_name_of(ticket, text)
    if name is None:
        raise ValidationError(problem or "The ad's name cannot be made.", "name_text")
    for other in ticket.ads:
        if other is ad:
            continue
        if ads.ad_name_of(ticket, other.name_text)[0] == name:
            raise ValidationError(
                f"Ad {other.position} is already named {name}; each ad of a ticket needs a "
                "name of its own.",
                "name_text",
            )
    return text


# --- history ---------------------------------------------------------------------------------


def shown_name(ticket: Ticket, ad: TicketAd) -> str:
    """The ad's name as people see it: rendered, or its own text when it cannot be."""
    return ads.ad_name_of(ticket, ad.name_text)[0] or ad.name_text or f"Ad {ad.position}"


def _summary(ad: TicketAd) -> dict[str, str]:
    """Each field of an ad as the history shows it."""
    return {
        "name_text": ad.name_text,
        "placements": ", ".join(
            creative_specs.BY_KEY[k].name if k in creative_specs.BY_KEY else k
            for k in ad.placements or ()
        ),
        "creative_ids": ", ".join(link.creative.original_name for link in ad.creative_links),
        **{name: getattr(ad, name) for name in TEXT_FIELDS if name != "name_text"},
        "call_to_action": ad.call_to_action,
        "landing_url": ad.landing_url,
    }


def _order(ticket: Ticket) -> str:
    return " · ".join(f"{ad.position}. {shown_name(ticket, ad)}" for ad in ticket.ads)


def _changed(ticket: Ticket) -> None:
    """One new version of the ticket; the last QA run judged other ads."""
    ticket.updated_at = utcnow()  # an UPDATE of the row, so its version is checked and bumped
    ticket.qa_report = None
    ticket.qa_failure_reason = None


# --- writes ----------------------------------------------------------------------------------


def _write(ad: TicketAd, values: AdValues) -> None:
    for name in TEXT_FIELDS:
        setattr(ad, name, getattr(values, name))
    ad.placements = list(values.placements)
    ad.call_to_action = values.call_to_action
    ad.landing_url = values.landing_url
    wanted = [c.id for c in values.creatives]
    if [link.creative_id for link in ad.creative_links] != wanted:
        ad.creative_links.clear()
        if ad.id is not None:
            db.session.flush()  # the old links go before the new ones (same primary keys)
        for position, creative in enumerate(values.creatives, start=1):
            ad.creative_links.append(
                TicketAdCreative(creative=creative, creative_id=creative.id, position=position)
            )


def add_ad(ticket: Ticket, raw: Mapping, *, actor: User | None, version=None) -> TicketAd:
    """Add an ad at the end of the ticket's ads."""
    tickets.check_version(ticket, version)
    check_editable(ticket)
    if len(ticket.ads) >= MAX_ADS:
        raise ValidationError(
            f"A ticket carries at most {MAX_ADS} ads and this one has {len(ticket.ads)}; "
            "open another ticket (another ad set) for more."
        )
    with db.session.no_autoflush:
        values = clean(ticket, raw)
        ad = TicketAd(position=max((a.position for a in ticket.ads), default=0) + 1)
        _write(ad, values)
        ticket.ads.append(ad)
        team.record_change(ticket, actor, f"Ad {ad.position}", None, shown_name(ticket, ad))
        _changed(ticket)
    tickets.flush_or_conflict(ticket)
    return ad


def update_ad(
    ticket: Ticket, ad: TicketAd, raw: Mapping, *, actor: User | None, version=None
) -> TicketAd:
    """Change an ad's name, placements, creatives, copy, call to action or landing URL."""
    tickets.check_version(ticket, version)
    check_editable(ticket)
    check_not_made(ticket, [ad.position])
    with db.session.no_autoflush:
        values = clean(ticket, raw, ad)
        before = _summary(ad)
    _write(ad, values)
    with db.session.no_autoflush:
        after = _summary(ad)
        label = f"Ad {ad.position}"
        for name, old in before.items():
            team.record_change(ticket, actor, f"{label} {LABELS[name].lower()}", old, after[name])
        if before != after:
            _changed(ticket)
    tickets.flush_or_conflict(ticket)
    return ad


def _renumber(ticket: Ticket, order: list[TicketAd]) -> None:
    """Give the ads positions 1, 2, ... in `order`.

    Positions are unique per ticket and the database checks that row by row, so the ads that
    move first step aside to negative positions (never in use), then take their places.
    """
    moving = [(ad, n) for n, ad in enumerate(order, start=1) if ad.position != n]
    for ad, n in moving:
        ad.position = -n
    tickets.flush_or_conflict(ticket)
    for ad, n in moving:
        ad.position = n
    tickets.flush_or_conflict(ticket)
    ticket.ads.sort(key=lambda a: a.position)


def delete_ad(ticket: Ticket, ad: TicketAd, *, actor: User | None, version=None) -> None:
    """Delete an ad; the ones after it move up."""
    tickets.check_version(ticket, version)
    check_editable(ticket)
    check_not_made(ticket, range(ad.position, len(ticket.ads) + 1))
    with db.session.no_autoflush:
        team.record_change(ticket, actor, f"Ad {ad.position}", shown_name(ticket, ad), None)
        _changed(ticket)
    ticket.ads.remove(ad)
    _renumber(ticket, list(ticket.ads))


def move_ad(ticket: Ticket, ad: TicketAd, direction: str, *, actor: User | None, version=None):
    """Move an ad one place up or down in the ticket's order."""
    tickets.check_version(ticket, version)
    check_editable(ticket)
    step = {"up": -1, "down": 1}.get(str(direction or "").strip().lower())
    if step is None:
        raise ValidationError("Move an ad up or down.", "direction")
    order = list(ticket.ads)
    index = order.index(ad)
    target = index + step
    if not 0 <= target < len(order):
        raise Conflict(
            f"Ad {ad.position} is already the {'first' if step < 0 else 'last'} ad; "
            "it cannot move further."
        )
    check_not_made(ticket, [ad.position, order[target].position])
    with db.session.no_autoflush:
        before = _order(ticket)
        order[index], order[target] = order[target], order[index]
        names = [shown_name(ticket, a) for a in order]
        after = " · ".join(f"{n}. {name}" for n, name in enumerate(names, start=1))
        team.record_change(ticket, actor, "Ad order", before, after)
        _changed(ticket)
    _renumber(ticket, order)


# --- the live preview ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementPreview:
    """An ad as one placement would show it: the creative it shows, and what misses the spec."""

    placement: creative_specs.Placement
    media: Creative | None
    problems: list[str]


@dataclass(frozen=True)
class Draft:
    """What the edit form holds right now, as the preview shows it (nothing is saved)."""

    name: str | None
    name_problem: str | None
    placements: list[PlacementPreview]
    creatives: list[Creative]
    primary_text: str
    headlines: tuple[str, ...]
    long_headline: str
    descriptions: tuple[str, ...]
    business_name: str
    call_to_action: str  # its label, as the button reads
    landing_url: str  # with the UTM parameters, as sent
    display_url: str  # the host people see: example.com


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _loose(read, fallback):
    try:
        return read()
    except ValidationError:
        return fallback


def _placement_preview(
    platform: str, placement: creative_specs.Placement, picked: list[Creative], texts: dict
) -> PlacementPreview:
    problems: list[str] = []
    media = None
    if placement.image or placement.video:
        fitting = [c for c in picked if not creative_specs.check(c, placement)]
        if not picked:
            kinds = " or ".join(
                k for k, spec in (("image", placement.image), ("video", placement.video)) if spec
            )
            problems.append(
                f"Choose {'an' if kinds[0] == 'i' else 'a'} {kinds} for {placement.name}."
            )
        elif platform in ONE_CREATIVE or fitting:
            media = fitting[0] if fitting else picked[0]
            problems += creative_specs.check(media, placement)
        else:
            # None of a Google display ad's images fits this slot: say how each misses it.
            media = picked[0]
            for creative in picked:
                problems += creative_specs.check(creative, placement)
    elif picked:
        problems.append(f"{placement.name} ads are text only: the creatives are not shown.")
    for name, values in texts.items():
        for value in values:
            problems += creative_specs.check_text(placement, {name: value})
    return PlacementPreview(placement, media, problems)


def draft(ticket: Ticket, raw: Mapping, library: list[Creative], ad: TicketAd | None = None):
    """The ad the form describes, with each chosen placement's spec problems (for the preview).

    Unlike `clean`, it refuses nothing: what cannot be read is left out, and what is wrong is
    said next to the placement it concerns.
    """
    platform = platform_of(ticket)
    chosen = set(_loose(lambda: _list(raw, "placements"), []))
    placements = [p for p in creative_specs.placements_for(platform) if p.key in chosen]
    by_id = {str(c.id): c for c in library}
    picked = [by_id[i] for i in _loose(lambda: _list(raw, "creative_ids"), []) if i in by_id]
    text = {name: _loose(lambda name=name: _text(raw, name), "") for name in TEXT_FIELDS}
    multi = MULTI_LINE.get(platform, ())
    texts = {
        name: ads.lines(text[name]) if name in multi else tuple(filter(None, [text[name]]))
        for name in PLATFORM_TEXTS.get(platform, ())
    }
    try:
        _name(ticket, text["name_text"], ad)
        name, problem = ads.ad_name_of(ticket, text["name_text"])[0], None
    except ValidationError as err:
        name, problem = None, err.message
    url = _loose(lambda: _text(raw, "landing_url"), "") or str(
        (ticket.payload_config or {}).get("landing_url") or ""
    )
    tracked = ads.tracked_url(ticket, url, naming.adset_name_for(ticket)[0])
    cta = _loose(lambda: _text(raw, "call_to_action"), "").upper()
    return Draft(
        name=name,
        name_problem=problem,
        placements=[_placement_preview(platform, p, picked, texts) for p in placements],
        creatives=picked,
        primary_text=text["primary_text"],
        headlines=texts.get("headline", ()),
        long_headline=text["long_headline"],
        descriptions=texts.get("description", ()),
        business_name=text["business_name"],
        call_to_action=dict(creative_specs.CALLS_TO_ACTION.get(platform, ())).get(cta, ""),
        landing_url=tracked,
        display_url=_host(tracked),
    )
