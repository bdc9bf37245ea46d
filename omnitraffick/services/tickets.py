"""Tickets: creation, settings, and the workflow with its audit trail."""

from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import (
    Campaign,
    Channel,
    RequestType,
    Ticket,
    TicketChange,
    TicketEvent,
    TicketStatus,
    User,
    as_utc,
    utcnow,
)
from . import ads, board_settings, naming, notifications, qa, send_state, team, translators, utm
from . import settings as ticket_settings
from .errors import Conflict, ValidationError
from .labels import human
from .reference import load_referenced
from .translators import Translation

S = TicketStatus
# DESIGN.md's workflow: the moves each status allows.
TRANSITIONS: dict[TicketStatus, tuple[TicketStatus, ...]] = {
    S.DRAFT: (S.QA_TESTING,),
    S.QA_TESTING: (S.READY_FOR_API, S.QA_FAILED),
    S.QA_FAILED: (S.DRAFT, S.QA_TESTING),
    S.READY_FOR_API: (S.TRAFFICKED_SUCCESS, S.FAILED, S.DRAFT),
    S.FAILED: (S.READY_FOR_API, S.DRAFT),
    S.TRAFFICKED_SUCCESS: (),
}
EDITABLE = (S.DRAFT, S.QA_FAILED)
# Moves that need a word from the person making them.
NEEDS_REASON = (S.QA_FAILED,)
NEEDS_PLATFORM_ID = (S.TRAFFICKED_SUCCESS,)
KEEP = object()  # an owner or due date left as it is


@cache
def label(status: TicketStatus) -> str:
    return human(status)


def parse_request_type(value) -> RequestType:
    try:
        return RequestType(str(value).strip().upper())
    except ValueError:
        choices = ", ".join(t.value for t in RequestType)
        raise ValidationError(f"Request type must be one of {choices}.", "request_type") from None


def parse_status(value, field: str = "status") -> TicketStatus:
    try:
        return TicketStatus(str(value).strip().upper())
    except ValueError:
        choices = ", ".join(s.value for s in TicketStatus)
        raise ValidationError(f"Status must be one of {choices}.", field) from None


def create_ticket(
    *,
    campaign_id,
    channel_id,
    request_type,
    settings: dict | None = None,
    created_by: User | None = None,
    assignee_id=None,
    due_date=None,
) -> Ticket:
    """Open a DRAFT ticket for one channel of a campaign.

    Its due date, unless given, is the flight's start minus the channel's lead time.
    """
    errors: dict[str, list[str]] = {}
    loaded = {}
    for field, load in (
        ("campaign_id", lambda: load_referenced(Campaign, campaign_id, "campaign_id", "campaign")),
        ("channel_id", lambda: load_referenced(Channel, channel_id, "channel_id", "channel")),
        ("request_type", lambda: parse_request_type(request_type)),
        ("assignee_id", lambda: team.load_assignee(assignee_id)),
        ("due_date", lambda: team.parse_due_date(due_date)),
    ):
        try:
            loaded[field] = load()
        except ValidationError as err:
            errors[field] = [err.message]
    campaign, channel, kind = (loaded.get(f) for f in ("campaign_id", "channel_id", "request_type"))
    if errors:
        raise ValidationError(" ".join(m for ms in errors.values() for m in ms), errors=errors)
    settings = dict(settings or {})
    if kind is RequestType.CREATE_CAMPAIGN and "special_ad_categories" not in settings:
        # A ticket that does not say starts from its brand's usual declaration.
        settings["special_ad_categories"] = campaign.brand.special_ad_categories or []
    cleaned = ticket_settings.clean_settings(kind, settings, campaign.market.currency)
    now = utcnow()
    ticket = Ticket(
        campaign=campaign,
        channel=channel,
        request_type=kind,
        payload_config=cleaned,
        status=S.DRAFT,
        status_changed_at=now,
        created_by=created_by,
        due_date=loaded["due_date"] or team.default_due_date(channel, cleaned),
    )
    ticket.events.append(TicketEvent(actor=created_by, to_status=S.DRAFT, created_at=now))
    db.session.add(ticket)
    team.assign(ticket, loaded["assignee_id"], actor=created_by)
    db.session.flush()
    return ticket


def current_version(ticket_id) -> int | None:
    """The ticket's version as stored now (None: no such ticket), read on its own."""
    return db.session.scalar(select(Ticket.version).where(Ticket.id == ticket_id))


def last_change(ticket: Ticket) -> tuple[User | None, datetime | None, TicketStatus | None]:
    """Who last changed the ticket, when, and the status it moved to if that was a move: the
    latest of its status moves (loaded with the ticket) and its field changes."""
    move = ticket.events[-1] if ticket.events else None
    change = db.session.scalar(
        select(TicketChange)
        .where(TicketChange.ticket_id == ticket.id)
        .order_by(TicketChange.created_at.desc())
        .limit(1)
    )
    if change is not None and (move is None or as_utc(change.created_at) > as_utc(move.created_at)):
        return change.actor, change.created_at, None
    if move is None:
        return None, None, None
    return move.actor, move.created_at, move.to_status


def check_version(ticket: Ticket, version) -> None:
    if version is None or version == "":
        return
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise ValidationError("Version must be a whole number.", "version") from None
    if expected != ticket.version:
        raise Conflict(
            f"This ticket was changed by someone else since you loaded it (it is now "
            f"{label(ticket.status)}). Reload to see the latest and try again."
        )


def flush_or_conflict(ticket: Ticket) -> None:
    """Flush; if another request changed the ticket meanwhile, refuse instead of overwriting."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            "Someone else changed this ticket at the same moment. Reload and try again."
        ) from None


def update_settings(ticket: Ticket, settings: dict, *, version=None, actor=None) -> Ticket:
    """Replace a ticket's settings; only while it is DRAFT or QA_FAILED."""
    check_version(ticket, version)
    if ticket.status not in EDITABLE:
        raise Conflict(
            f"Settings can only change while a ticket is Draft or QA failed; "
            f"this one is {label(ticket.status)}."
        )
    cleaned = ticket_settings.clean_settings(
        ticket.request_type, settings, ticket.campaign.market.currency
    )
    if cleaned != ticket.payload_config:
        # The last QA run judged other settings: it, and the failure it gave, no longer say
        # anything about these.
        ticket.qa_report = None
        ticket.qa_failure_reason = None
    old_settings, old_due = ticket.payload_config, ticket.due_date
    ticket.payload_config = cleaned
    # One edit is one new version: nothing is written before the flush below.
    with db.session.no_autoflush:
        for name in ticket_settings.ALL_FIELDS:
            team.record_change(
                ticket,
                actor,
                ticket_settings.LABELS[name],
                old_settings.get(name),
                cleaned.get(name),
            )
        team.follow_settings(ticket, old_settings)
        team.record_change(ticket, actor, "Due date", old_due, ticket.due_date)
    flush_or_conflict(ticket)
    return ticket


def set_owner(ticket: Ticket, *, actor: User | None, assignee_id=KEEP, due_date=KEEP, version=None):
    """Give the ticket an owner and/or a due date (blank: none), telling a new owner."""
    check_version(ticket, version)
    errors: dict[str, list[str]] = {}
    assignee = due = None
    try:
        assignee = team.load_assignee(assignee_id) if assignee_id is not KEEP else None
    except ValidationError as err:
        errors["assignee_id"] = [err.message]
    try:
        due = team.parse_due_date(due_date) if due_date is not KEEP else None
    except ValidationError as err:
        errors["due_date"] = [err.message]
    if errors:
        raise ValidationError(" ".join(m for ms in errors.values() for m in ms), errors=errors)
    if assignee_id is not KEEP:
        before = ticket.assignee
        if team.assign(ticket, assignee, actor=actor):
            team.record_change(ticket, actor, "Owner", before, assignee)
    if due_date is not KEEP:
        team.record_change(ticket, actor, "Due date", ticket.due_date, due)
        ticket.due_date = due
    flush_or_conflict(ticket)
    return ticket


def allowed_moves(ticket: Ticket) -> tuple[TicketStatus, ...]:
    return TRANSITIONS[ticket.status]


def move_ticket(
    ticket: Ticket,
    to_status,
    *,
    actor: User | None,
    version=None,
    reason: str | None = None,
    external_platform_id: str | None = None,
    created_ids: dict | None = None,
    flush: bool = True,
    wip: board_settings.WipGate | None = None,
) -> TicketEvent:
    """Move a ticket along the workflow and record who moved it, when, and why.

    Every check comes before the first change: a refused move leaves the ticket untouched.
    A bulk move passes `created_ids` (see `created_object_ids`, loaded once for all its
    tickets), the target column's `wip` gate (read once) and `flush=False`, and writes all its
    tickets in one flush.
    """
    target = parse_status(to_status)
    check_version(ticket, version)
    if ticket.sending_since is not None and not send_state.clear_stale_send(ticket):
        raise Conflict(
            f"This ticket is being sent to {ticket.channel.platform_name}; it moves by itself "
            "when the platform has answered.",
            "status",
        )
    if target not in TRANSITIONS[ticket.status]:
        allowed = ", ".join(label(s) for s in TRANSITIONS[ticket.status]) or "none, it is final"
        raise Conflict(
            f"A {label(ticket.status)} ticket cannot move to {label(target)}. "
            f"Allowed moves: {allowed}.",
            "status",
        )
    reason = (reason or "").strip() or None
    platform_id = (external_platform_id or "").strip() or None
    if target in NEEDS_REASON and not reason:
        raise ValidationError("Say what QA found: a reason is required.", "qa_failure_reason")
    if target in NEEDS_PLATFORM_ID and not platform_id:
        raise ValidationError(
            "Enter the id the platform gave the campaign.", "external_platform_id"
        )
    if reason and len(reason) > 2000:
        raise ValidationError("Keep the reason under 2,000 characters.", "qa_failure_reason")
    if platform_id and len(platform_id) > 255:
        raise ValidationError("Platform id is too long.", "external_platform_id")
    warning = (wip or board_settings.WipGate(target, label(target))).admit()

    event = record_move(ticket, target, actor, reason)
    if target is S.TRAFFICKED_SUCCESS:
        ticket.external_platform_id = platform_id
    if target is S.QA_TESTING:
        if created_ids is None:
            create_id = created_object_id(ticket)
        else:
            create_id = created_ids.get((ticket.campaign_id, ticket.channel_id))
        event = _preflight(ticket, actor, create_id)
    if flush:
        flush_or_conflict(ticket)
    event.warning = warning
    return event


def update_ticket(
    ticket: Ticket,
    *,
    actor: User | None,
    version=None,
    status=None,
    settings: dict | None = None,
    reason: str | None = None,
    external_platform_id: str | None = None,
    assignee_id=KEEP,
    due_date=KEEP,
) -> Ticket:
    """Change a ticket's owner, due date, settings and/or status under one version check.

    The version is checked first, whatever the request changes: a write made from a stale
    copy is refused even when it would change nothing, so the caller learns it is stale.
    """
    check_version(ticket, version)
    moving = status is not None and str(status).strip().upper() != ticket.status.value
    for name, value in (
        ("external_platform_id", external_platform_id),
        ("qa_failure_reason", reason),
    ):
        if value is not None and not moving:
            raise ValidationError(
                f"{name} is set together with a status move "
                "(QA_FAILED takes qa_failure_reason, TRAFFICKED_SUCCESS external_platform_id).",
                name,
            )
    if assignee_id is not KEEP or due_date is not KEEP:
        set_owner(ticket, actor=actor, assignee_id=assignee_id, due_date=due_date)
    if settings is not None:
        update_settings(ticket, settings, actor=actor)
    if moving:
        move_ticket(
            ticket,
            status,
            actor=actor,
            reason=reason,
            external_platform_id=external_platform_id,
        )
    return ticket


def record_move(ticket: Ticket, target: TicketStatus, actor, reason: str | None) -> TicketEvent:
    """Change the status and add the history entry; no checks (callers make them)."""
    now = utcnow()
    event = TicketEvent(
        actor=actor, from_status=ticket.status, to_status=target, reason=reason, created_at=now
    )
    ticket.events.append(event)
    ticket.status, ticket.status_changed_at = target, now
    if target is S.QA_FAILED:
        ticket.qa_failure_reason = reason
    elif target is S.READY_FOR_API:
        ticket.qa_failure_reason = None
    notifications.ticket_moved(ticket, target, actor)
    return event


def _preflight(ticket: Ticket, actor, create_id: str | None) -> TicketEvent:
    """Run every QA rule and move the ticket on: READY_FOR_API, or QA_FAILED saying why."""
    # Reading the campaign's other tickets must not flush this move early: the version is
    # checked and bumped once, in flush_or_conflict.
    with db.session.no_autoflush:
        findings = qa.run(qa.context_for(ticket, create_id))
    ticket.qa_report = [finding.to_dict() for finding in findings]
    failed = qa.blocking(findings)
    if failed:
        reasons = " ".join(f"[{f.title}] {f.message}" for f in failed)
        event = record_move(ticket, S.QA_FAILED, actor, reasons)
        event.reason = qa.summary(findings)
        return event
    return record_move(ticket, S.READY_FOR_API, actor, qa.summary(findings))


def delete_ticket(ticket: Ticket) -> None:
    """Delete a ticket that never left DRAFT."""
    if ticket.status is not S.DRAFT:
        raise Conflict(
            f"Only Draft tickets can be deleted; this one is {label(ticket.status)}. "
            "Its history is part of the audit trail."
        )
    db.session.delete(ticket)
    db.session.flush()


def created_object_id(ticket: Ticket) -> str | None:
    """For an UPDATE ticket: the platform id an earlier trafficked CREATE_CAMPAIGN ticket of
    the same campaign and channel got; None when there is none (or for a CREATE ticket)."""
    if ticket.request_type is RequestType.CREATE_CAMPAIGN:
        return None
    return db.session.scalar(
        select(Ticket.external_platform_id)
        .where(
            Ticket.campaign_id == ticket.campaign_id,
            Ticket.channel_id == ticket.channel_id,
            Ticket.request_type == RequestType.CREATE_CAMPAIGN,
            Ticket.status == S.TRAFFICKED_SUCCESS,
        )
        .order_by(Ticket.status_changed_at.desc())
        .limit(1)
    )


def created_object_ids(rows) -> dict[tuple, str]:
    """`created_object_id` for many tickets in one query, by (campaign id, channel id)."""
    wanted = [t for t in rows if t.request_type is not RequestType.CREATE_CAMPAIGN]
    if not wanted:
        return {}
    found: dict[tuple, str] = {}
    for campaign_id, channel_id, platform_id in db.session.execute(
        select(Ticket.campaign_id, Ticket.channel_id, Ticket.external_platform_id)
        .where(
            Ticket.campaign_id.in_({t.campaign_id for t in wanted}),
            Ticket.request_type == RequestType.CREATE_CAMPAIGN,
            Ticket.status == S.TRAFFICKED_SUCCESS,
        )
        .order_by(Ticket.status_changed_at.desc())
    ):
        # Newest first, like created_object_id: the first one seen per pair wins.
        found.setdefault((campaign_id, channel_id), platform_id)
    return found


def platform_request(ticket: Ticket) -> Translation:
    """The exact requests this ticket becomes on its platform (or TranslationError)."""
    adset_name, adset_problem = naming.adset_name_for(ticket)
    data = translators.input_for(
        ticket,
        created_object_id(ticket),
        adset_name=adset_name,
        adset_problem=adset_problem,
        landing_url=utm.landing_url_for(ticket, adset_name),
        ads=ads.ad_inputs(ticket, adset_name)
        if ticket.request_type is RequestType.CREATE_CAMPAIGN
        else (),
    )
    return translators.translate(ticket.channel.api_identifier, data)
