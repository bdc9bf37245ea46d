"""What the ticket pages and the board load beyond their list (services/queries.py)."""

import re
import uuid
from urllib.parse import parse_qsl

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..models import (
    Brand,
    Campaign,
    Channel,
    Market,
    PlatformSend,
    Ticket,
    TicketAd,
    TicketAdCreative,
    TicketChange,
    TicketComment,
    TicketEvent,
)
from ..services.queries import TicketQuery, joined_tickets


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def filter_options(query: TicketQuery) -> dict:
    """The choices in the filter bar (brands, markets, channels, the chosen campaign)."""
    return {
        "brands": db.session.execute(select(Brand.id, Brand.name).order_by(Brand.name)).all(),
        "markets": db.session.execute(select(Market.id, Market.code).order_by(Market.code)).all(),
        "channels": db.session.execute(
            select(Channel.id, Channel.platform_name).order_by(Channel.platform_name)
        ).all(),
        "campaign": db.session.get(Campaign, query.campaign) if query.campaign else None,
    }


def load_ticket(ticket_id, *, comments: bool = False, ads: bool = False) -> Ticket:
    """A ticket with everything its page and card show, or 404 (`comments`: theirs too;
    `ads`, or `comments` for the whole page: its ads with their creatives)."""
    stmt = (
        joined_tickets()
        .where(Ticket.id == ticket_id)
        .options(
            selectinload(Ticket.events).joinedload(TicketEvent.actor),
            selectinload(Ticket.sends).selectinload(PlatformSend.attempts),
            selectinload(Ticket.sends).joinedload(PlatformSend.requested_by),
        )
    )
    if comments or ads:
        # A CREATE ticket's ads with their creatives, as the page and the platform request
        # show them: a fixed number of queries whatever the number of ads.
        stmt = stmt.options(
            selectinload(Ticket.ads)
            .selectinload(TicketAd.creative_links)
            .joinedload(TicketAdCreative.creative)
        )
    if comments:
        stmt = stmt.options(
            selectinload(Ticket.comments).joinedload(TicketComment.author),
            selectinload(Ticket.changes).joinedload(TicketChange.actor),
        )
    ticket = db.session.scalar(stmt)
    if ticket is None:
        abort(404)
    return ticket


def board_query_args(query: str | None) -> MultiDict:
    """The board's filters, carried in a move request as a query string."""
    pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=False)
    return MultiDict([(k, v) for k, v in pairs if re.fullmatch(r"[a-z_]{1,30}", k)])
