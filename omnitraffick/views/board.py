"""The kanban board: one column per ticket status, moves by drag and drop or keyboard."""

from flask import Blueprint, request
from sqlalchemy import func, select

from ..extensions import db
from ..models import Ticket, TicketStatus
from ..services import tickets
from ..web import is_fragment_request, render
from .tickets import (
    board_query_args,
    filter_options,
    ticket_conditions,
    ticket_filters,
    with_card_data,
)

bp = Blueprint("board", __name__, url_prefix="/board")

# Cards shown per column before "Show more"; finished work shows only the most recent.
COLUMN_SIZE = 50
DONE_COLUMN_SIZE = 20
MAX_COLUMN_SIZE = 1000


def column_limit(status: TicketStatus, args) -> int:
    base = DONE_COLUMN_SIZE if status is TicketStatus.TRAFFICKED_SUCCESS else COLUMN_SIZE
    asked = args.get(f"show_{status.value.lower()}", "")
    return min(int(asked), MAX_COLUMN_SIZE) if asked.isascii() and asked.isdigit() else base


def column_counts(conditions: list) -> dict:
    """Tickets per status under the board's filters, in one query."""
    stmt = (
        select(Ticket.status, func.count())
        .join(Ticket.campaign)
        .join(Ticket.channel)
        .where(*conditions)
        .group_by(Ticket.status)
    )
    counts = dict.fromkeys(TicketStatus, 0)
    counts.update(db.session.execute(stmt).all())
    return counts


def load_columns(args) -> dict:
    """Each column's most recently moved cards, one query per column whatever the size."""
    conditions = ticket_conditions(ticket_filters(args))
    counts = column_counts(conditions)
    columns = {}
    for status in TicketStatus:
        limit = column_limit(status, args)
        cards = []
        if counts[status]:
            cards = db.session.scalars(
                with_card_data(select(Ticket))
                .where(Ticket.status == status, *conditions)
                .order_by(Ticket.status_changed_at.desc(), Ticket.id)
                .limit(limit)
            ).all()
        columns[status] = {"cards": cards, "count": counts[status], "limit": limit}
    return columns


def board_context(args) -> dict:
    return {
        "columns": load_columns(args),
        "board_query": request.query_string.decode(),
        "transitions": tickets.TRANSITIONS,
        "label": tickets.label,
    }


@bp.get("/")
def index():
    """The board, filtered by what the URL says."""
    filters = ticket_filters(request.args)
    context = board_context(request.args)
    if not is_fragment_request():
        context |= filter_options(filters)
    return render("board/index.html", "board/_columns.html", filters=filters, **context)


def render_move(ticket, from_status, board_query, error, asking, status):
    """Answer a move made on the board.

    Refused or needing input: the card comes back in place, saying why or asking.
    Done: the old card goes (HX-Reswap: delete), the card lands at the top of its new
    column and every column count updates, out of band.
    """
    args = board_query_args(board_query)
    counts = column_counts(ticket_conditions(ticket_filters(args))) if not error else None
    response = render(
        "board/_move.html",
        "board/_move.html",
        ticket=ticket,
        moved=not error,
        error=error,
        asking=asking,
        counts=counts,
        board_query=board_query or "",
        transitions=tickets.TRANSITIONS,
        label=tickets.label,
        status=status,
    )
    if not error:
        response.headers["HX-Reswap"] = "delete"
    return response


def render_card(ticket, board_query: str):
    return render(
        "tickets/_card.html",
        "tickets/_card.html",
        ticket=ticket,
        board_query=board_query,
        transitions=tickets.TRANSITIONS,
        label=tickets.label,
    )
