"""The board's settings: each column's WIP limit (admins) and saved views (everyone)."""

import uuid
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import BoardColumn, SavedView, Ticket, TicketStatus, User
from .errors import Conflict, Duplicate, Forbidden, NotFound, ValidationError

MAX_WIP = 10_000
MAX_VIEW_NAME = 80
# What a saved view keeps of the board's query string: its filters and swimlanes.
VIEW_PARAMETERS = ("q", "brand", "market", "channel", "campaign", "assignee", "lanes")


# --- WIP limits ----------------------------------------------------------------------------------


def wip_limits() -> dict[TicketStatus, BoardColumn]:
    """The columns that have a limit, by status."""
    rows = db.session.scalars(select(BoardColumn).where(BoardColumn.wip_limit.is_not(None)))
    return {row.status: row for row in rows}


def set_wip_limit(status: TicketStatus, limit, *, hard: bool) -> BoardColumn | None:
    """Set a column's limit (blank: none) and whether it refuses moves past it."""
    text = "" if limit is None else str(limit).strip()
    column = db.session.get(BoardColumn, status)
    if not text:
        if column is not None:
            db.session.delete(column)
            db.session.flush()
        return None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_WIP:
        raise ValidationError(
            f"A WIP limit is a whole number from 1 to {MAX_WIP:,}, or blank for none.",
            f"limit_{status.value}",
        )
    if column is None:
        column = BoardColumn(status=status)
        db.session.add(column)
    column.wip_limit, column.hard = int(text), bool(hard)
    db.session.flush()
    return column


class WipGate:
    """A column's WIP limit for moves into it: the column and its count are read once, then
    counted as moves are let in (a bulk move asks once for all its tickets)."""

    def __init__(self, target: TicketStatus, label: str):
        self.label = label
        self.column = db.session.get(BoardColumn, target)
        self.count = 0
        if self.column is not None and self.column.wip_limit is not None:
            self.count = db.session.scalar(
                select(func.count(Ticket.id)).where(Ticket.status == target)
            )

    def admit(self) -> str | None:
        """Let one more ticket in: refuse it at a hard limit, or say it goes over a soft one."""
        column = self.column
        if column is None or column.wip_limit is None:
            return None
        if self.count < column.wip_limit:
            self.count += 1
            return None
        if column.hard:
            raise Conflict(
                f"{self.label} is full: {self.count} of its limit of {column.wip_limit} "
                "tickets. Move one out of it first.",
                "status",
            )
        self.count += 1
        return f"{self.label} is now over its limit: {self.count} / {column.wip_limit}."


# --- saved views ---------------------------------------------------------------------------------


def view_query(query_string: str) -> str:
    """The part of a board's query string a view keeps, in a stable order."""
    pairs = parse_qsl((query_string or "").lstrip("?"), keep_blank_values=False)
    kept = {k: v for k, v in pairs if k in VIEW_PARAMETERS}
    return urlencode([(k, kept[k]) for k in VIEW_PARAMETERS if k in kept])


def views_for(user: User) -> list[SavedView]:
    """The user's own views and the team's shared ones, by name."""
    return list(
        db.session.scalars(
            select(SavedView)
            .where(or_(SavedView.user_id == user.id, SavedView.shared.is_(True)))
            .order_by(func.lower(SavedView.name), SavedView.id)
        )
    )


def save_view(user: User, name, query_string: str, *, shared: bool) -> SavedView:
    """Save the board's filters under a name; saving a name again replaces that view."""
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise ValidationError("Give the view a name.", "name")
    if len(name) > MAX_VIEW_NAME:
        raise ValidationError(f"Keep a view's name under {MAX_VIEW_NAME} characters.", "name")
    query = view_query(query_string)
    view = db.session.scalar(
        select(SavedView).where(SavedView.user_id == user.id, SavedView.name == name)
    )
    if view is None:
        view = SavedView(user=user, name=name)
        db.session.add(view)
    view.query, view.shared = query, bool(shared)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Duplicate(f"You already have a view called {name}.", "name") from None
    return view


def delete_view(user: User, view_id) -> None:
    """Delete one of the user's own views."""
    try:
        view = db.session.get(SavedView, uuid.UUID(str(view_id)))
    except ValueError:
        view = None
    if view is None:
        raise NotFound("There is no such view.")
    if view.user_id != user.id:
        raise Forbidden("Only the person who saved a view can delete it.")
    db.session.delete(view)
    db.session.flush()
