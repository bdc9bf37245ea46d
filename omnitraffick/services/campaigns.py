"""Campaigns: created with a generated taxonomy name; afterwards only budget and status move."""

from dataclasses import dataclass

from sqlalchemy import Row, bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Brand, Campaign, CampaignStatus, Market, Ticket, TicketStatus, User
from . import conventions, naming, taxonomy
from .currencies import parse_budget
from .errors import Conflict, Duplicate, ValidationError
from .reference import BrandCode, MarketCode, load_referenced, referenced_codes

# The moves a campaign's status may make; staying put is always allowed.
CAMPAIGN_MOVES = {
    CampaignStatus.DRAFT: {CampaignStatus.ACTIVE},
    CampaignStatus.ACTIVE: {CampaignStatus.PAUSED, CampaignStatus.COMPLETED},
    CampaignStatus.PAUSED: {CampaignStatus.ACTIVE, CampaignStatus.COMPLETED},
    CampaignStatus.COMPLETED: set(),
}
INITIAL_STATUSES = (CampaignStatus.DRAFT, CampaignStatus.ACTIVE)


@dataclass(frozen=True)
class NamePreview:
    """What the generated name will be, and whether it can be created."""

    state: str  # "valid", "taken", "invalid" or "incomplete"
    message: str
    name: str | None = None
    prefix: str | None = None  # the part that comes from brand, market, channel and year
    typed: str | None = None  # the part that comes from the user's typing
    taken_by: Row | None = None  # the id and name of the campaign that has the name
    currency: str | None = None
    suffix: str = ""  # the part after what the user typed (conventions may put text first)
    note: str = ""  # what was transliterated or dropped
    bad_year: bool = False  # the year is what is wrong: `prefix` is the name up to it


def _name_input(
    brand: Brand | BrandCode, market: Market | MarketCode, year: int, text, picks
) -> conventions.NameInput:
    return conventions.NameInput(
        brand=brand.internal_code,
        market=market.code,
        channel=taxonomy.MULTI_CHANNEL,
        year=year,
        text=text,
        picks={str(k).upper(): str(v) for k, v in (picks or {}).items() if v},
    )


def _known_before_year(
    convention: conventions.Convention, brand: BrandCode, market: MarketCode
) -> str:
    """The start of a name that comes before its year: the brand, market and channel parts
    the convention opens with."""
    known = {
        "brand": brand.internal_code,
        "market": market.code,
        "channel": taxonomy.MULTI_CHANNEL,
    }
    parts = []
    for segment in convention.segments:
        if segment.kind not in known:
            break
        parts.append(known[segment.kind] + convention.separator)
    return "".join(parts)


# A campaign's name equals another ignoring letter case (the unique index's rule). Built
# once: the live preview asks it on every keystroke.
_NAMED = func.lower(Campaign.name) == bindparam("lowered")
_NAME_HOLDER = select(Campaign.id, Campaign.name).where(_NAMED)


def find_by_name(name: str) -> Campaign | None:
    """The campaign whose name equals `name` ignoring letter case, if any."""
    return db.session.scalar(select(Campaign).where(_NAMED), {"lowered": name.lower()})


def name_holder(name: str) -> Row | None:
    """The id and name of the campaign whose name equals `name` ignoring letter case, if any."""
    return db.session.execute(_NAME_HOLDER, {"lowered": name.lower()}).first()


def preview_name(brand_id, market_id, year, campaign_name, picks=None) -> NamePreview:
    """Work out the name a new campaign would get, without saving anything."""
    if not brand_id or not market_id:
        return NamePreview("incomplete", "Choose a brand and a market to see the name.")
    try:
        brand = referenced_codes(Brand, brand_id, "brand_id", "brand")
        market = referenced_codes(Market, market_id, "market_id", "market")
    except ValidationError as err:
        return NamePreview("invalid", err.message)
    lists = naming.pick_lists()
    convention = naming.current("campaign")
    try:
        year = taxonomy.validate_year(year, "year")
    except ValidationError as err:
        # Keep what is known in view and say what is wrong, rather than blanking the name.
        known = _known_before_year(convention, brand, market)
        return NamePreview(
            "invalid", err.message, prefix=known, currency=market.currency, bad_year=True
        )
    # The name around the free text, from a stand-in text: shown while nothing is typed.
    try:
        frame = conventions.render(convention, _name_input(brand, market, year, "X", picks), lists)
    except ValidationError as err:
        return NamePreview("invalid", err.message, currency=market.currency)
    prefix, suffix = frame.before, frame.after
    if not (campaign_name or "").strip():
        return NamePreview(
            "incomplete",
            "Type a campaign name.",
            prefix=prefix,
            currency=market.currency,
            suffix=suffix,
        )
    try:
        made = conventions.render(
            convention, _name_input(brand, market, year, campaign_name, picks), lists
        )
    except ValidationError as err:
        return NamePreview(
            "invalid", err.message, prefix=prefix, currency=market.currency, suffix=suffix
        )
    name, typed = made.name, made.text
    taken = name_holder(name)
    if taken is not None:
        return NamePreview(
            "taken",
            "This name is already taken.",
            name,
            prefix,
            typed,
            taken,
            market.currency,
            suffix,
            made.note,
        )
    dropped = "" if typed == (campaign_name or "") else " Spaces and symbols are dropped."
    return NamePreview(
        "valid",
        "Name is available." + dropped,
        name,
        prefix,
        typed,
        None,
        market.currency,
        suffix,
        made.note,
    )


def parse_status(value, field: str = "status") -> CampaignStatus:
    try:
        return CampaignStatus(str(value).strip().upper())
    except ValueError:
        choices = ", ".join(s.value for s in CampaignStatus)
        raise ValidationError(f"Status must be one of {choices}.", field) from None


def create_campaign(
    *,
    brand_id,
    market_id,
    campaign_name: str,
    year=None,
    budget,
    status=CampaignStatus.DRAFT,
    created_by: User | None = None,
    name_picks: dict | None = None,
) -> Campaign:
    """Create a campaign, naming it by the current campaign convention."""
    brand = load_referenced(Brand, brand_id, "brand_id", "brand")
    market = load_referenced(Market, market_id, "market_id", "market")
    year = taxonomy.validate_year(year, "year")
    if name_picks is not None and not isinstance(name_picks, dict):
        raise ValidationError("name_picks must be an object of list code to value.", "name_picks")
    lists = naming.pick_lists()
    convention = naming.current("campaign")
    data = _name_input(brand, market, year, campaign_name, name_picks)
    made = conventions.render(convention, data, lists)
    amount = parse_budget(budget, market.currency)
    status = parse_status(status)
    if status not in INITIAL_STATUSES:
        raise ValidationError("A new campaign starts as DRAFT or ACTIVE.", "status")
    name = made.name
    picks = {
        s.list: data.picks[s.list].strip().upper() for s in convention.segments if s.kind == "list"
    }
    existing = name_holder(name)
    if existing is not None:
        raise Duplicate(f"A campaign named {existing.name} already exists.", "campaign_name")
    campaign = Campaign(
        name=name,
        campaign_name=(campaign_name or "").strip()[:255],
        brand=brand,
        market=market,
        year=year,
        budget=amount,
        status=status,
        created_by=created_by,
        naming_version=convention.version,
        channel_at=made.channel_at if made.channel_at is not None else -1,
        name_picks=picks or None,
        name_text=made.text,
    )
    try:
        with db.session.begin_nested():
            db.session.add(campaign)
    except IntegrityError:
        # Someone created the same name between our check and our insert.
        raise Duplicate(f"A campaign named {name} already exists.", "campaign_name") from None
    return campaign


def allowed_statuses(campaign: Campaign) -> list[CampaignStatus]:
    """The statuses the campaign can be set to now, its current one first."""
    return [
        campaign.status,
        *sorted(CAMPAIGN_MOVES[campaign.status], key=list(CampaignStatus).index),
    ]


def update_campaign(campaign: Campaign, *, budget=None, status=None) -> Campaign:
    """Change a campaign's budget and/or status; nothing else ever changes."""
    errors: dict[str, list[str]] = {}
    new_budget = new_status = None
    if budget is not None:
        try:
            new_budget = parse_budget(budget, campaign.market.currency)
        except ValidationError as err:
            errors["budget"] = [err.message]
    if status is not None:
        try:
            new_status = parse_status(status)
        except ValidationError as err:
            errors["status"] = [err.message]
    if errors:
        raise ValidationError(" ".join(m for ms in errors.values() for m in ms), errors=errors)
    if new_status is not None and new_status != campaign.status:
        if new_status not in CAMPAIGN_MOVES[campaign.status]:
            allowed = ", ".join(s.value for s in allowed_statuses(campaign)[1:]) or "none"
            raise Conflict(
                f"A {campaign.status.value} campaign cannot move to {new_status.value} "
                f"(allowed: {allowed}).",
                "status",
            )
        campaign.status = new_status
    if new_budget is not None:
        campaign.budget = new_budget
    db.session.flush()
    return campaign


def delete_campaign(campaign: Campaign) -> None:
    """Delete a campaign whose tickets are all still DRAFT (they go with it)."""
    moved = db.session.execute(
        select(Ticket.status, func.count())
        .where(Ticket.campaign_id == campaign.id, Ticket.status != TicketStatus.DRAFT)
        .group_by(Ticket.status)
    ).all()
    if moved:
        detail = ", ".join(f"{n} {status.value}" for status, n in moved)
        total = sum(n for _, n in moved)
        raise Conflict(
            f"Campaign {campaign.name} cannot be deleted: {total} of its tickets "
            f"{'has' if total == 1 else 'have'} left DRAFT ({detail})."
        )
    db.session.execute(delete(Ticket).where(Ticket.campaign_id == campaign.id))
    db.session.delete(campaign)
    db.session.flush()
