"""Actions on many tickets at once, and tickets for several channels of a campaign in one step.

Each ticket of a bulk action goes through the same service as a single one (workflow, QA,
history) and is committed on its own: a ticket is moved completely or not at all, and a
refusal for one leaves the others as they went. The result says, per ticket, what happened.
"""

import uuid
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Campaign, Channel, RequestType, Ticket, User
from . import campaigns, queries, tickets
from .currencies import parse_budget, quantum
from .errors import DomainError, ValidationError
from .reference import load_referenced
from .taxonomy import platform_name

# One bulk action touches at most this many tickets (the selection says when it is cut).
MAX_ITEMS = 1000


@dataclass(frozen=True)
class ItemResult:
    """What a bulk action did to one ticket."""

    id: uuid.UUID
    name: str
    done: bool
    message: str


def selected_ids(values) -> list[uuid.UUID]:
    """The ticket ids a form sent, in order, without repeats; a malformed one is a 422."""
    ids: list[uuid.UUID] = []
    for value in values:
        try:
            ticket_id = uuid.UUID(str(value))
        except ValueError:
            raise ValidationError(f"{str(value)[:40]!r} is not a ticket id.", "ids") from None
        if ticket_id not in ids:
            ids.append(ticket_id)
    return ids


def matching_ids(query: queries.TicketQuery, limit: int = MAX_ITEMS) -> list[uuid.UUID]:
    """Every ticket a list's filters match ("select all N matching"), up to `limit`."""
    return list(db.session.scalars(queries.select_tickets(query, Ticket.id).limit(limit)))


def _each(ids: list[uuid.UUID], act) -> list[ItemResult]:
    """Run `act(ticket)` on each ticket (see `_apply`).

    The tickets, their campaigns (with the campaigns' other tickets, which QA reads),
    brands, markets and channels are loaded up front in a fixed number of queries, and kept
    loaded across the per-ticket commits.
    """
    if len(ids) > MAX_ITEMS:
        raise ValidationError(f"Choose at most {MAX_ITEMS:,} tickets at a time.", "ids")
    loaded = {
        ticket.id: ticket
        for ticket in db.session.scalars(
            queries.joined_tickets()
            .where(Ticket.id.in_(ids))
            .options(selectinload(Ticket.campaign, Campaign.tickets), selectinload(Ticket.events))
        ).unique()
    }
    items = []
    for ticket_id in ids:
        ticket = loaded.get(ticket_id)
        name = (
            platform_name(ticket.campaign.name, ticket.channel.api_identifier) if ticket else None
        )
        items.append((ticket_id, ticket, name))
    return _apply(items, act)


def _apply(items: list[tuple], act) -> list[ItemResult]:
    """`act(row)` for each (id, row, name), a commit each; a refusal rolls back that one."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    results = []
    try:
        for item_id, row, name in items:
            if row is None:
                results.append(ItemResult(item_id, str(item_id), False, "Not found."))
                continue
            try:
                message = act(row)
                session.commit()
            except DomainError as err:
                session.rollback()
                results.append(ItemResult(item_id, name, False, err.message))
            else:
                results.append(ItemResult(item_id, name, True, message))
    finally:
        session.expire_on_commit = expire
    return results


def delete_campaigns(ids: list[uuid.UUID]) -> list[ItemResult]:
    """Delete each campaign whose tickets are all still drafts (they go with it)."""
    if len(ids) > MAX_ITEMS:
        raise ValidationError(f"Choose at most {MAX_ITEMS:,} campaigns at a time.", "ids")
    loaded = {c.id: c for c in db.session.scalars(select(Campaign).where(Campaign.id.in_(ids)))}

    def act(campaign: Campaign) -> str:
        campaigns.delete_campaign(campaign)
        return "Deleted, with its draft tickets."

    return _apply([(i, loaded.get(i), loaded[i].name if i in loaded else None) for i in ids], act)


def matching_campaign_ids(query: queries.CampaignQuery, limit: int = MAX_ITEMS) -> list:
    """Every campaign the list's filters match, up to `limit`."""
    return list(db.session.scalars(queries.select_campaigns(query, Campaign.id).limit(limit)))


def move(ids: list[uuid.UUID], to_status, *, actor: User | None, reason=None) -> list[ItemResult]:
    """Move each ticket along the workflow (with QA when it enters QA testing)."""
    target = tickets.parse_status(to_status, "to_status")

    def act(ticket: Ticket) -> str:
        before = ticket.status
        tickets.move_ticket(ticket, target, actor=actor, reason=reason)
        moved = f"Moved: {tickets.label(before)} → {tickets.label(ticket.status)}."
        if ticket.status is not target and ticket.qa_failure_reason:
            moved += f" {ticket.qa_failure_reason}"
        return moved

    return _each(ids, act)


def delete_drafts(ids: list[uuid.UUID]) -> list[ItemResult]:
    """Delete each ticket that is still a draft; the others keep their audit trail."""

    def act(ticket: Ticket) -> str:
        tickets.delete_ticket(ticket)
        return "Deleted."

    return _each(ids, act)


def each_ticket(ids: list[uuid.UUID], act) -> list[ItemResult]:
    """Any per-ticket action (e.g. queueing a send), with the same per-ticket results."""
    return _each(ids, act)


# --- tickets for several channels -----------------------------------------------------------


def split_budget(total: Decimal, shares: list[Decimal], currency: str) -> list[Decimal]:
    """`total` split by percentage `shares` (adding up to 100) in the currency's minor units;
    what rounding leaves over goes to the first share, so the parts add up to the total."""
    unit = quantum(currency)
    parts = [(total * share / 100).quantize(unit, rounding=ROUND_DOWN) for share in shares]
    parts[0] += total - sum(parts)
    return parts


def parse_shares(channel_ids: list, percents: dict | None) -> list[Decimal]:
    """Even shares, or the percentages given per channel, which must add up to 100."""
    if not percents:
        return [Decimal(100) / len(channel_ids)] * len(channel_ids)
    shares, errors = [], {}
    for channel_id in channel_ids:
        raw = str(percents.get(str(channel_id), "") or "").strip().rstrip("%")
        try:
            share = Decimal(raw)
        except InvalidOperation:
            share = None
        if share is None or not share.is_finite() or share <= 0 or share > 100:
            errors[f"percent_{channel_id}"] = ["Give a percentage above 0 and at most 100."]
            continue
        shares.append(share)
    if errors:
        raise ValidationError("Every chosen channel needs its percentage.", errors=errors)
    total = sum(shares)
    if total != 100:
        raise ValidationError(
            f"The percentages add up to {total:g}; they must add up to 100.", "percents"
        )
    return shares


def tickets_for_channels(
    campaign: Campaign,
    channel_ids: list,
    *,
    settings: dict,
    total_budget=None,
    percents: dict | None = None,
    actor: User | None = None,
) -> list[Ticket]:
    """Open one Draft CREATE_CAMPAIGN ticket per chosen channel, with the settings shared and
    `total_budget` (the campaign's budget when left out) split evenly or by percentages."""
    channel_ids = list(dict.fromkeys(str(c) for c in channel_ids if c))
    if not channel_ids:
        raise ValidationError("Choose at least one channel.", "channels")
    channels = [load_referenced(Channel, c, "channels", "channel") for c in channel_ids]
    shares = parse_shares(channel_ids, percents)
    currency = campaign.market.currency
    if total_budget is None or str(total_budget).strip() == "":
        total = campaign.budget
    else:
        total = parse_budget(total_budget, currency, "total_budget")
    parts = split_budget(Decimal(total), shares, currency)
    made = []
    for channel, part in zip(channels, parts, strict=True):
        made.append(
            tickets.create_ticket(
                campaign_id=campaign.id,
                channel_id=channel.id,
                request_type=RequestType.CREATE_CAMPAIGN,
                settings={**settings, "budget_amount": str(part)},
                created_by=actor,
            )
        )
    return made


def channel_options() -> list[Channel]:
    return list(db.session.scalars(select(Channel).order_by(Channel.platform_name)))
