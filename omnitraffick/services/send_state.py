"""Where a ticket's send stands: in flight, stale, closed.

Both the ticket workflow (a ticket being sent cannot move) and the send pipeline read this;
it depends on the models only, so neither has to import the other.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import PlatformSend, SendState, Ticket, as_utc, utcnow


def active_send(ticket: Ticket) -> PlatformSend | None:
    """The ticket's send that is queued or running, if any."""
    return db.session.scalar(
        select(PlatformSend).where(
            PlatformSend.ticket_id == ticket.id,
            PlatformSend.state.in_((SendState.QUEUED, SendState.RUNNING)),
        )
    )


def is_stale(send: PlatformSend) -> bool:
    """A send whose job was lost: RUNNING with a heartbeat that stopped, or QUEUED and never
    picked up long after it was queued."""
    if send.state is SendState.RUNNING:
        return not heartbeat_is_fresh(send.heartbeat_at or send.started_at)
    return not send_is_fresh(send.requested_at)


def heartbeat_is_fresh(beat) -> bool:
    """A running job touches its send's heartbeat every SEND_HEARTBEAT_SECONDS; one silent
    for SEND_HEARTBEAT_TIMEOUT_SECONDS has lost its worker."""
    limit = timedelta(seconds=current_app.config["SEND_HEARTBEAT_TIMEOUT_SECONDS"])
    return beat is not None and utcnow() - as_utc(beat) <= limit


def is_sending(ticket: Ticket) -> bool:
    """Whether the ticket has a send in flight that has not gone stale."""
    return ticket.sending_since is not None and send_is_fresh(ticket.sending_since)


def send_is_fresh(sending_since) -> bool:
    """A send queued at `sending_since` may still be running (it is not stale yet)."""
    limit = timedelta(seconds=current_app.config["SEND_STALE_AFTER_SECONDS"])
    return utcnow() - as_utc(sending_since) <= limit


def close(send: PlatformSend, message: str) -> None:
    """End a send as FAILED with `message`; its ticket is no longer being sent."""
    send.state, send.finished_at, send.message = SendState.FAILED, utcnow(), message
    send.ticket.sending_since = None


def clear_stale_send(ticket: Ticket) -> bool:
    """True when no live send holds the ticket; a send whose job was lost is closed."""
    current = active_send(ticket)
    if current is not None:
        if not is_stale(current):
            return False
        abandon(current)
    ticket.sending_since = None
    return True


def abandon(send: PlatformSend) -> None:
    """Close a send whose job was lost (a restarted process), so the ticket can go again."""
    close(
        send,
        "This send never finished (its job was lost, e.g. when the server restarted); it was "
        "closed so the ticket could be sent again. Objects it made are found, not made twice.",
    )
    db.session.flush()
