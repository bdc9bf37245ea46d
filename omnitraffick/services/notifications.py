"""Notifications: what the bell tells a user about the tickets they own or are named in."""

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Notification, NotificationKind, Ticket, TicketStatus, User, utcnow
from .taxonomy import platform_name

LIST_SIZE = 50  # notifications the list shows

# A status a ticket reaches that its people are told about, and how it is said.
OUTCOMES = {
    TicketStatus.QA_FAILED: (NotificationKind.QA_FAILED, "failed QA"),
    TicketStatus.FAILED: (NotificationKind.SEND_FAILED, "failed to send"),
    TicketStatus.TRAFFICKED_SUCCESS: (NotificationKind.TRAFFICKED, "was trafficked"),
}


def ticket_name(ticket: Ticket) -> str:
    return platform_name(ticket.campaign.name, ticket.channel.api_identifier)


def notify(
    users: Iterable[User | None],
    kind: NotificationKind,
    ticket: Ticket,
    message: str,
    *,
    actor: User | None,
) -> list[Notification]:
    """Tell each user (once, never the one who did it) about `ticket`."""
    made, seen = [], set()
    for user in users:
        if user is None or not user.active or user.id in seen:
            continue
        seen.add(user.id)
        if actor is not None and user.id == actor.id:
            continue
        note = Notification(user=user, ticket=ticket, actor=actor, kind=kind, message=message)
        db.session.add(note)
        made.append(note)
    return made


def ticket_moved(ticket: Ticket, target: TicketStatus, actor: User | None) -> None:
    """Tell a ticket's owner, and whoever handed it to them, what became of it."""
    if target not in OUTCOMES:
        return
    kind, words = OUTCOMES[target]
    people = [ticket.assignee, ticket.assigned_by]
    if not any(people):
        return
    notify(people, kind, ticket, f"{ticket_name(ticket)} {words}.", actor=actor)


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def recent(user: User, limit: int = LIST_SIZE) -> list[Notification]:
    """The user's latest notifications, newest first, with their ticket and actor."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .options(
                joinedload(Notification.actor),
                joinedload(Notification.ticket).joinedload(Ticket.campaign),
                joinedload(Notification.ticket).joinedload(Ticket.channel),
            )
            .order_by(Notification.created_at.desc(), Notification.id)
            .limit(limit)
        )
    )


def mark_read(user: User, ids: Iterable[uuid.UUID] | None = None) -> int:
    """Mark the user's notifications read (those of `ids`, or all); how many changed."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount
