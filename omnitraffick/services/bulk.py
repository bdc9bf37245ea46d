"""Actions on many tickets at once, and tickets for several channels of a campaign in one step.

Each ticket of a bulk action goes through the same service as a single one (workflow, QA,
history): a ticket is changed completely or not at all, and a refusal for one leaves the
others as they went. The result says, per ticket, what happened.

A bulk move runs a fixed number of SQL statements whatever the number of tickets: everything
the workflow and QA read is loaded up front (the tickets locked), each move is checked and
applied in memory (every check comes before the first change, so a refused ticket is left
untouched), and the moved tickets and their history are written in one flush, one
transaction. Deleting and sending still go one ticket and one commit at a time.
"""

import uuid
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Brand,
    Campaign,
    Channel,
    RequestType,
    Ticket,
    TicketAd,
    TicketAdCreative,
    TicketEvent,
    User,
    utcnow,
)
from . import board_settings, campaigns, queries, send_state, tickets
from .currencies import parse_budget, quantum
from .errors import Conflict, DomainError, ValidationError
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


def _load(ids: list[uuid.UUID], *, lock: bool = False) -> dict[uuid.UUID, Ticket]:
    """The tickets, their campaigns (with the campaigns' other tickets, which QA reads),
    brands, markets, channels and history, in a fixed number of queries; `lock` takes the
    tickets' row locks (PostgreSQL; SQLite's write lock is taken at BEGIN) so nobody
    changes them between the checks and the write."""
    if len(ids) > MAX_ITEMS:
        raise ValidationError(f"Choose at most {MAX_ITEMS:,} tickets at a time.", "ids")
    stmt = (
        queries.joined_tickets()
        .where(Ticket.id.in_(ids))
        .options(
            selectinload(Ticket.campaign, Campaign.tickets),
            selectinload(Ticket.events),
            # QA reads each CREATE ticket's ads with their creatives, and the brand's library.
            selectinload(Ticket.ads)
            .selectinload(TicketAd.creative_links)
            .joinedload(TicketAdCreative.creative),
            selectinload(Ticket.campaign, Campaign.brand, Brand.creatives),
        )
    )
    if lock:
        stmt = stmt.with_for_update(of=Ticket)
    return {ticket.id: ticket for ticket in db.session.scalars(stmt).unique()}


def _each(ids: list[uuid.UUID], act) -> list[ItemResult]:
    """Run `act(ticket)` on each ticket (see `_apply`), loaded up front by `_load` and kept
    loaded across the per-ticket commits."""
    loaded = _load(ids)
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
    loaded = _load(ids, lock=True)
    # A ticket whose send's job was lost is freed first, as a single move does (rare: one
    # flush for those only).
    stale = [t for t in loaded.values() if t.sending_since is not None]
    for ticket in stale:
        send_state.clear_stale_send(ticket)
    if stale:
        db.session.flush()
    created_ids = tickets.created_object_ids(list(loaded.values()))
    wip = board_settings.WipGate(target, tickets.label(target))
    results, moved = [], []
    # Tickets moved earlier in the batch count for QA's checks on the later ones (e.g. two
    # CREATE tickets of one campaign and channel), exactly as moving them one by one would.
    with db.session.no_autoflush:
        for ticket_id in ids:
            ticket = loaded.get(ticket_id)
            if ticket is None:
                results.append(ItemResult(ticket_id, str(ticket_id), False, "Not found."))
                continue
            name = platform_name(ticket.campaign.name, ticket.channel.api_identifier)
            before = ticket.status
            try:
                tickets.move_ticket(
                    ticket,
                    target,
                    actor=actor,
                    reason=reason,
                    created_ids=created_ids,
                    flush=False,
                    wip=wip,
                )
            except DomainError as err:
                results.append(ItemResult(ticket_id, name, False, err.message))
                continue
            moved.append(ticket)
            message = f"Moved: {tickets.label(before)} → {tickets.label(ticket.status)}."
            if ticket.status is not target and ticket.qa_failure_reason:
                message += f" {ticket.qa_failure_reason}"
            results.append(ItemResult(ticket_id, name, True, message))
        _write_moves(moved)
    db.session.commit()
    return results


def _write_moves(moved: list[Ticket]) -> None:
    """Write the moved tickets and their new history entries: one UPDATE and one INSERT
    (each an executemany), whatever their number.

    The tickets are locked since they were loaded (see `_load`), so each UPDATE finds the
    version it was checked against; the version is bumped as a single move bumps it.
    """
    if not moved:
        return
    now = utcnow()
    updates, events = [], []
    for ticket in moved:
        updates.append(
            {
                "b_id": ticket.id,
                "b_version": ticket.version,
                "version": ticket.version + 1,
                "status": ticket.status,
                "status_changed_at": ticket.status_changed_at,
                "qa_failure_reason": ticket.qa_failure_reason,
                "qa_report": ticket.qa_report,
                "external_platform_id": ticket.external_platform_id,
                "updated_at": now,
            }
        )
        for event in ticket.events:
            if event in db.session.new:
                events.append(
                    {
                        "id": uuid.uuid4(),
                        "ticket_id": ticket.id,
                        "actor_id": event.actor.id if event.actor is not None else None,
                        "from_status": event.from_status,
                        "to_status": event.to_status,
                        "reason": event.reason,
                        "created_at": event.created_at,
                    }
                )
                db.session.expunge(event)
        # Forget the changes made in memory: the statements below write them.
        db.session.expire(ticket)
    table = Ticket.__table__
    changed = db.session.execute(
        table.update()
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values({key: bindparam(key) for key in updates[0] if not key.startswith("b_")}),
        updates,
    )
    if changed.rowcount not in (-1, len(updates)):
        db.session.rollback()
        raise Conflict("Someone else changed these tickets at the same moment; try again.")
    db.session.execute(TicketEvent.__table__.insert(), events)


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
