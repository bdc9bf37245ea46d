"""Team work on tickets: owners and due dates, comments with @mentions."""

import re
import uuid
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import (
    Channel,
    NotificationKind,
    Role,
    Ticket,
    TicketChange,
    TicketComment,
    User,
    as_utc,
    utcnow,
)
from . import notifications
from .errors import Conflict, Forbidden, ValidationError

MAX_LEAD_DAYS = 365
DUE_SOON_DAYS = 2  # a due date this close (or closer) is marked "due soon"
MAX_COMMENT = 5000
EDIT_MINUTES = 15  # how long a comment's author may still change it
# `@tess` (the part of an email before the @) or `@tess@example.com` (the whole email).
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?)")
LINK_HTML = Markup('<a href="{0}" rel="noopener noreferrer nofollow" target="_blank">{0}</a>')
LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


# --- due dates ---------------------------------------------------------------------------------


def parse_lead_days(value) -> int | None:
    """A channel's lead time in whole days (blank: none)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        raise ValidationError(
            f"Lead time must be a whole number of days from 0 to {MAX_LEAD_DAYS}.", "lead_days"
        )
    days = int(text)
    if days > MAX_LEAD_DAYS:
        raise ValidationError(
            f"Lead time must be a whole number of days from 0 to {MAX_LEAD_DAYS}.", "lead_days"
        )
    return days


def parse_due_date(value) -> date | None:
    """A due date as YYYY-MM-DD (blank: none)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            "Due date must be a date as YYYY-MM-DD, e.g. 2026-03-01.", "due_date"
        ) from None


def default_due_date(channel: Channel, settings: dict | None) -> date | None:
    """The flight's start minus the channel's lead time; None without either."""
    start = (settings or {}).get("flight_start")
    if channel.lead_days is None or not start:
        return None
    try:
        return date.fromisoformat(start) - timedelta(days=channel.lead_days)
    except ValueError:
        return None


def follow_settings(ticket: Ticket, old_settings: dict | None) -> None:
    """After the settings changed: a due date that was the default follows the new default."""
    old_default = default_due_date(ticket.channel, old_settings)
    if ticket.due_date is None or ticket.due_date == old_default:
        ticket.due_date = default_due_date(ticket.channel, ticket.payload_config)


def due_state(due: date | None, today: date | None = None) -> str | None:
    """ "overdue", "due-soon" or None, for a ticket still to be trafficked."""
    if due is None:
        return None
    days = (due - (today or date.today())).days
    if days < 0:
        return "overdue"
    return "due-soon" if days <= DUE_SOON_DAYS else None


def record_change(ticket: Ticket, actor, field: str, old, new) -> None:
    """Add `field: old -> new` to the ticket's history, when it changed."""
    old_text, new_text = _shown(old), _shown(new)
    if old_text == new_text:
        return
    ticket.changes.append(
        TicketChange(
            actor=actor, field=field, old_value=old_text, new_value=new_text, created_at=utcnow()
        )
    )


def _shown(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, User):
        return value.display_name
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- owners --------------------------------------------------------------------------------------


def assignable_users() -> list[User]:
    """Who may own a ticket: active admins and traffickers, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.role.in_((Role.ADMIN, Role.TRAFFICKER)))
            .order_by(func.lower(func.coalesce(func.nullif(User.name, ""), User.email)))
        )
    )


def load_assignee(value) -> User | None:
    """The user an assignee id names (blank: nobody); refused unless they may own tickets."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        user_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip())
    except ValueError:
        raise ValidationError("assignee_id must be a UUID.", "assignee_id") from None
    user = db.session.get(User, user_id)
    if user is None:
        raise ValidationError(f"There is no user with id {user_id}.", "assignee_id")
    if not user.active:
        raise ValidationError(f"{user.display_name} is deactivated.", "assignee_id")
    if not user.can_edit:
        raise ValidationError(
            f"{user.display_name} is a viewer and cannot work on tickets.", "assignee_id"
        )
    return user


def assign(ticket: Ticket, assignee: User | None, *, actor: User | None) -> bool:
    """Give the ticket to `assignee` (None: nobody) and tell them; whether it changed."""
    if (ticket.assignee_id, ticket.assignee) == (getattr(assignee, "id", None), assignee):
        return False
    ticket.assignee = assignee
    ticket.assigned_by = actor if assignee is not None else None
    if assignee is not None:
        who = actor.display_name if actor is not None else "Someone"
        notifications.notify(
            [assignee],
            NotificationKind.ASSIGNED,
            ticket,
            f"{who} assigned {notifications.ticket_name(ticket)} to you.",
            actor=actor,
        )
    return True


def initials(name: str | None, email: str | None = None) -> str:
    """Up to two letters for a card: "Tess Trafficker" -> "TT", "bo@x.io" -> "B"."""
    words = (name or "").split() or [(email or "?").split("@")[0]]
    letters = [w[0] for w in words if w][:1] + [w[0] for w in words[1:] if w][-1:]
    return "".join(letters).upper() or "?"


# --- comments ------------------------------------------------------------------------------------


def mentioned_users(body: str) -> list[User]:
    """The active users a comment @mentions, each once, in order."""
    handles = [h.lower() for h in MENTION.findall(body)]
    if not handles:
        return []
    emails = [h for h in handles if "@" in h]
    locals_ = [h for h in handles if "@" not in h]
    conditions = []
    if emails:
        conditions.append(func.lower(User.email).in_(emails))
    for local in locals_:
        conditions.append(func.lower(User.email).like(local.replace("%", "") + "@%"))
    found = db.session.scalars(select(User).where(User.active.is_(True), or_(*conditions))).all()
    by_handle: dict[str, list[User]] = {}
    for user in found:
        email = user.email.lower()
        by_handle.setdefault(email, []).append(user)
        by_handle.setdefault(email.split("@")[0], []).append(user)
    users, seen = [], set()
    for handle in handles:
        matches = by_handle.get(handle, [])
        # A short handle two users share names neither: the whole email does.
        if len(matches) == 1 and matches[0].id not in seen:
            seen.add(matches[0].id)
            users.append(matches[0])
    return users


def _clean_body(body) -> str:
    text = (body or "").replace("\r\n", "\n").strip() if isinstance(body, str) else ""
    if not text:
        raise ValidationError("Write something before posting.", "body")
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            f"Keep a comment under {MAX_COMMENT:,} characters (this one has {len(text):,}).",
            "body",
        )
    if "\x00" in text:
        raise ValidationError("A comment cannot contain NUL characters.", "body")
    return text


def add_comment(ticket: Ticket, body, *, author: User) -> TicketComment:
    """Post a comment and tell everyone it @mentions."""
    text = _clean_body(body)
    comment = TicketComment(ticket=ticket, author=author, body=text, created_at=utcnow())
    db.session.add(comment)
    _tell_mentioned(ticket, text, author, already=set())
    db.session.flush()
    return comment


def _tell_mentioned(ticket: Ticket, text: str, author: User, already: set) -> None:
    users = [u for u in mentioned_users(text) if u.id not in already]
    notifications.notify(
        users,
        NotificationKind.MENTIONED,
        ticket,
        f"{author.display_name} mentioned you on {notifications.ticket_name(ticket)}: {text[:140]}",
        actor=author,
    )


def can_edit_comment(comment: TicketComment, user, now: datetime | None = None) -> bool:
    """Its author, within EDIT_MINUTES of posting it."""
    if user is None or comment.author_id != getattr(user, "id", None):
        return False
    return (now or utcnow()) - as_utc(comment.created_at) <= timedelta(minutes=EDIT_MINUTES)


def edit_comment(comment: TicketComment, body, *, user: User) -> TicketComment:
    """Change a comment: only its author, only for EDIT_MINUTES; new mentions are told."""
    if comment.author_id != user.id:
        raise Forbidden("Only its author can change a comment.")
    if not can_edit_comment(comment, user):
        raise Conflict(
            f"A comment can be changed for {EDIT_MINUTES} minutes after posting; "
            "post a new one instead."
        )
    text = _clean_body(body)
    before = {u.id for u in mentioned_users(comment.body)}
    comment.body, comment.edited_at = text, utcnow()
    _tell_mentioned(comment.ticket, text, user, already=before)
    db.session.flush()
    return comment


def render_comment(body: str) -> Markup:
    """A comment as HTML: everything escaped, links made clickable, mentions marked."""
    out, last = [], 0
    for match in LINK.finditer(body):
        url = match.group(0).rstrip(".,;:!?)")
        end = match.start() + len(url)
        out.append(_mentions(body[last : match.start()]))
        out.append(LINK_HTML.format(url))
        last = end
    out.append(_mentions(body[last:]))
    return Markup("").join(out)


def _mentions(text: str) -> Markup:
    parts, last = [], 0
    for match in MENTION.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup('<span class="mention">{}</span>').format(match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
