"""Queueing sends: the checks made before a ticket may go to its platform."""

from __future__ import annotations

from dataclasses import replace

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ... import jobs
from ...extensions import db
from ...models import (
    PlatformSend,
    RequestType,
    SendState,
    Ticket,
    TicketStatus,
    User,
    utcnow,
)
from .. import qa, tickets
from ..errors import Conflict, DomainError, Unavailable
from ..queries import TicketQuery, select_tickets
from ..send_state import abandon, clear_stale_send, close, is_stale
from .connections import Connection, connection_for

# The job that runs a send (sender.run_send), as registered with the job runner.
SEND_JOB = "send"


def connection_of(ticket: Ticket) -> Connection:
    return connection_for(ticket.channel.api_identifier, current_app.config)


def queue_send(ticket: Ticket, *, actor: User | None, version=None) -> PlatformSend:
    """Queue a send of a READY_FOR_API ticket; the caller commits, then dispatches the job.

    Refused (Conflict) when the ticket is not ready, a send is already in flight, or the
    channel is not connected; a ticket that no longer translates is a TranslationError.
    """
    tickets.check_version(ticket, version)
    if ticket.status is not TicketStatus.READY_FOR_API:
        raise Conflict(
            f"Only tickets Ready for API can be sent; this one is {tickets.label(ticket.status)}.",
            "status",
        )
    platform = ticket.channel.platform_name
    if not clear_stale_send(ticket):
        raise Conflict(
            f"This ticket is already being sent to {platform}; wait for the answer.", "status"
        )
    if _sibling_in_flight(ticket):
        # Two sends for one campaign on one platform could both find no object by its name
        # and both create it; one at a time, the second finds what the first made. The
        # database holds this too (uq_platform_sends_active_campaign_channel).
        raise Conflict(_SIBLING_SENDING.format(platform=platform), "status")
    # Sends of twins are one at a time (above); once one has made the campaign, no other may.
    competitor = qa.competing_create(ticket, only_trafficked=True)
    if competitor is not None:
        raise Conflict(qa.describe_competitor(competitor), "status")
    translation = tickets.platform_request(ticket)
    connection = connection_of(ticket)
    if not connection.connected:
        raise Conflict(connection.describe(), "channel")
    missing = connection.missing_for(translation.account_placeholders)
    if missing:
        raise Conflict(
            f"This ticket needs {', '.join(missing)} for {connection.platform}; set it in the "
            "environment and restart, then send again.",
            "channel",
        )
    now = utcnow()
    send = PlatformSend(
        ticket=ticket,
        campaign_id=ticket.campaign_id,
        channel_id=ticket.channel_id,
        requested_by=actor,
        requested_at=now,
        state=SendState.QUEUED,
        target=connection.mode,
        base_url=connection.base_url,
        progress=resume_from(ticket),
    )
    db.session.add(send)
    ticket.sending_since = now
    ticket.send_error = None
    ticket_id = ticket.id
    try:
        tickets.flush_or_conflict(ticket)
    except IntegrityError:
        # Another request queued a send for this ticket, or for a ticket of the same
        # campaign and channel, at the same moment: the unique indexes refused this one.
        db.session.rollback()
        mine = db.session.scalar(
            select(PlatformSend.id).where(
                PlatformSend.ticket_id == ticket_id,
                PlatformSend.state.in_((SendState.QUEUED, SendState.RUNNING)),
            )
        )
        message = (
            f"This ticket is already being sent to {platform}; wait for the answer."
            if mine
            else _SIBLING_SENDING.format(platform=platform)
        )
        raise Conflict(message, "status") from None
    return send


def start_send(ticket: Ticket, *, actor: User | None, version=None) -> PlatformSend:
    """Queue a send, commit, and hand it to the job runner.

    If the job cannot be queued the send is closed at once (the ticket stays Ready for API)
    and Unavailable (503) says so.
    """
    send = queue_send(ticket, actor=actor, version=version)
    db.session.commit()
    send_id = send.id
    try:
        jobs.dispatch(SEND_JOB, send_id)
    except jobs.DispatchError as err:
        close(db.session.get(PlatformSend, send_id), str(err))
        db.session.commit()
        raise Unavailable(str(err)) from None
    return db.session.get(PlatformSend, send_id)


def resume_from(ticket: Ticket) -> dict | None:
    """Where a new send of the ticket starts: the objects an earlier send made.

    A create that failed part way listed what it had made ({placeholder: id}, the ticket's
    platform_ids); its next send, however it is started, makes only the rest, so nothing is
    uploaded or made twice. (Objects whose answer was lost are found by the lookups before
    each create.) A ticket that was trafficked, or an update, starts afresh.
    """
    if ticket.request_type is not RequestType.CREATE_CAMPAIGN or ticket.external_platform_id:
        return None
    return dict(ticket.platform_ids) if ticket.platform_ids else None


_SIBLING_SENDING = (
    "Another ticket of this campaign is being sent to {platform}; send this one when it has "
    "finished."
)


def _sibling_in_flight(ticket: Ticket) -> bool:
    """Whether another ticket of the campaign and channel has a live send; sends of theirs
    whose job was lost are closed on the way, so they do not hold this one back."""
    siblings = db.session.scalars(
        select(PlatformSend).where(
            PlatformSend.campaign_id == ticket.campaign_id,
            PlatformSend.channel_id == ticket.channel_id,
            PlatformSend.ticket_id != ticket.id,
            PlatformSend.state.in_((SendState.QUEUED, SendState.RUNNING)),
        )
    ).all()
    for send in siblings:
        if not is_stale(send):
            return True
        abandon(send)
    return False


def send_again(ticket: Ticket, *, actor: User | None, version=None) -> PlatformSend:
    """A FAILED ticket goes back to Ready for API and is sent, in one step.

    The new send starts from the objects a failed create made (see resume_from).
    """
    if ticket.status is TicketStatus.FAILED:
        tickets.move_ticket(ticket, TicketStatus.READY_FOR_API, actor=actor, version=version)
        version = None  # checked by the move
    return start_send(ticket, actor=actor, version=version)


def send_all_ready(
    query: TicketQuery, *, actor: User | None, limit: int
) -> tuple[int, list[tuple[str, str]]]:
    """Send the READY_FOR_API tickets the board's `query` shows (at most `limit`, oldest first).

    Returns how many were sent and, for each one refused, its platform name and why.
    """
    sent, refused = 0, []
    for ticket_id in [ticket.id for ticket in ready_tickets(query, limit)]:
        ticket = db.session.get(Ticket, ticket_id)
        name = ticket.platform_name
        try:
            start_send(ticket, actor=actor)
        except DomainError as err:
            db.session.rollback()
            refused.append((name, err.message))
        else:
            sent += 1
    return sent, refused


def ready_tickets(query: TicketQuery, limit: int) -> list[Ticket]:
    """READY_FOR_API tickets under the board's filters that are not being sent, oldest first."""
    oldest_first = replace(query, sort="moved", desc=False)
    return list(
        db.session.scalars(
            select_tickets(
                oldest_first,
                Ticket,
                where=(
                    Ticket.status == TicketStatus.READY_FOR_API,
                    Ticket.sending_since.is_(None),
                ),
            ).limit(limit)
        )
    )
