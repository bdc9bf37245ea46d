"""The kanban board: one column per ticket status, moves by drag and drop or keyboard."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, request
from sqlalchemy import func, select

from ..extensions import db
from ..models import Brand, Campaign, Channel, Market, RequestType, Ticket, TicketStatus
from ..services import taxonomy, tickets
from ..web import is_fragment_request, render
from .ticket_queries import board_query_args, filter_options, ticket_conditions, ticket_filters

bp = Blueprint("board", __name__, url_prefix="/board")

# Cards shown per column before "Show more"; finished work shows only the most recent.
COLUMN_SIZE = 30
DONE_COLUMN_SIZE = 20
MORE = 30
MAX_COLUMN_SIZE = 1000


@dataclass(frozen=True)
class Card:
    """What a board card shows: plain values, so a column of them is cheap to load."""

    id: uuid.UUID
    status: TicketStatus
    version: int
    request_type: RequestType
    status_changed_at: datetime
    campaign_name: str
    brand_code: str
    brand_name: str
    market_code: str
    country: str
    channel_code: str
    channel_name: str

    @property
    def platform_name(self) -> str:
        return taxonomy.platform_name(self.campaign_name, self.channel_code)

    @classmethod
    def of(cls, ticket: Ticket) -> "Card":
        campaign = ticket.campaign
        return cls(
            ticket.id,
            ticket.status,
            ticket.version,
            ticket.request_type,
            ticket.status_changed_at,
            campaign.name,
            campaign.brand.internal_code,
            campaign.brand.name,
            campaign.market.code,
            campaign.market.country,
            ticket.channel.api_identifier,
            ticket.channel.platform_name,
        )


CARD_COLUMNS = (
    Ticket.id,
    Ticket.status,
    Ticket.version,
    Ticket.request_type,
    Ticket.status_changed_at,
    Campaign.name,
    Brand.internal_code,
    Brand.name,
    Market.code,
    Market.country,
    Channel.api_identifier,
    Channel.platform_name,
)


def column_limit(status: TicketStatus, args) -> int:
    base = DONE_COLUMN_SIZE if status is TicketStatus.TRAFFICKED_SUCCESS else COLUMN_SIZE
    asked = args.get(f"show_{status.value.lower()}", "")
    return min(int(asked), MAX_COLUMN_SIZE) if asked.isascii() and asked.isdigit() else base


def column_counts(conditions: list) -> dict:
    """Tickets per status under the board's filters, in one query."""
    stmt = select(Ticket.status, func.count()).where(*conditions).group_by(Ticket.status)
    if conditions:
        stmt = stmt.join(Ticket.campaign).join(Ticket.channel)
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
            rows = db.session.execute(
                select(*CARD_COLUMNS)
                .join(Ticket.campaign)
                .join(Campaign.brand)
                .join(Campaign.market)
                .join(Ticket.channel)
                .where(Ticket.status == status, *conditions)
                .order_by(Ticket.status_changed_at.desc(), Ticket.id)
                .limit(limit)
            )
            cards = [Card(*row) for row in rows]
        columns[status] = {"cards": cards, "count": counts[status], "limit": limit}
    return columns


def board_context(args) -> dict:
    return {
        "columns": load_columns(args),
        "board_query": request.query_string.decode(),
        "transitions": tickets.TRANSITIONS,
        "label": tickets.label,
        "more": MORE,
    }


@bp.get("/")
def index():
    """The board, filtered by what the URL says."""
    filters = ticket_filters(request.args)
    context = board_context(request.args)
    if not is_fragment_request():
        context |= filter_options(filters)
    return render("board/index.html", "board/_columns.html", filters=filters, **context)


def render_move(ticket, board_query, error, asking, status):
    """Answer a move made on the board.

    Refused or needing input: the card comes back in place, saying why or asking.
    Done: the old card goes (HX-Reswap: delete), the card lands at the top of its new
    column and every column count updates, out of band.
    """
    args = board_query_args(board_query)
    moved = status == 200
    counts = column_counts(ticket_conditions(ticket_filters(args))) if moved else None
    response = render(
        "board/_move.html",
        "board/_move.html",
        card=Card.of(ticket),
        moved=moved,
        error=error,
        asking=asking,
        counts=counts,
        board_query=board_query or "",
        transitions=tickets.TRANSITIONS,
        label=tickets.label,
        status=status,
    )
    if moved:
        response.headers["HX-Reswap"] = "delete"
    return response


def render_card(ticket, board_query: str):
    return render(
        "tickets/_card.html",
        "tickets/_card.html",
        card=Card.of(ticket),
        board_query=board_query,
        transitions=tickets.TRANSITIONS,
        label=tickets.label,
    )
