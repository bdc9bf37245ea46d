"""Notifications: what the bell tells a user about the tickets they own or are named in."""

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Notification, NotificationKind, Ticket, TicketStatus, User, utcnow
from .errors import ValidationError
from .taxonomy import platform_name

LIST_SIZE = 50  # notifications the list shows
# Keys in the session's info: notifications made in this transaction, and those committed
# but not yet handed to the delivery job (services/deliveries.py).
PENDING, READY = "omnitraffick.notify.pending", "omnitraffick.notify.ready"
CHANNELS = ("app", "email", "webhook")
KIND_LABELS = {
    NotificationKind.ASSIGNED: "A ticket is assigned to me",
    NotificationKind.MENTIONED: "Someone mentions me",
    NotificationKind.QA_FAILED: "A ticket I own fails QA",
    NotificationKind.SEND_FAILED: "A ticket I own fails to send",
    NotificationKind.TRAFFICKED: "A ticket I own is trafficked",
}

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
        wants = channels_for(user, kind)
        if not wants:
            continue
        note = Notification(
            id=uuid.uuid4(), user=user, ticket=ticket, actor=actor, kind=kind, message=message
        )
        if "app" not in wants:
            note.read_at = utcnow()  # kept for the record, but the bell stays quiet
        db.session.add(note)
        if wants - {"app"}:
            db.session.info.setdefault(PENDING, []).append(note.id)
        made.append(note)
    return made


def channels_for(user: User, kind: NotificationKind) -> set[str]:
    """How the user wants to hear about `kind`: "app", "email" and/or "webhook"."""
    prefs = user.notify_prefs or {}
    chosen = prefs.get(kind.value)
    return set(CHANNELS) if chosen is None else set(chosen) & set(CHANNELS)


def set_preferences(user: User, chosen: dict[str, Iterable[str]]) -> None:
    """Save what reaches the user how: {kind: channels}; kinds left out get none."""
    prefs = {}
    for kind in NotificationKind:
        channels = set(chosen.get(kind.value, ()))
        unknown = channels - set(CHANNELS)
        if unknown:
            raise ValidationError(
                f"Unknown way to notify: {', '.join(sorted(unknown))}; "
                f"choose from {', '.join(CHANNELS)}.",
                "notify_prefs",
            )
        prefs[kind.value] = [c for c in CHANNELS if c in channels]
    user.notify_prefs = prefs
    db.session.flush()


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
