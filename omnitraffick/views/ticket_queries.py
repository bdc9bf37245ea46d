"""Queries the ticket list, the ticket page and the board share."""

import re
import uuid
from urllib.parse import parse_qsl

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..models import (
    Brand,
    Campaign,
    Channel,
    Market,
    PlatformSend,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from ..web import escape_like


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def ticket_filters(args: MultiDict) -> dict:
    """Filters for the ticket list and the board, read from a query string."""
    status = (args.get("status") or "").upper()
    return {
        "status": TicketStatus(status) if status in TicketStatus.__members__ else None,
        "brand": uuid_or_none(args.get("brand")),
        "market": uuid_or_none(args.get("market")),
        "channel": uuid_or_none(args.get("channel")),
        "campaign": uuid_or_none(args.get("campaign")),
        "q": (args.get("q") or "").strip()[:200],
    }


def ticket_conditions(filters: dict) -> list:
    """WHERE conditions for tickets joined to their campaign and channel."""
    conditions = []
    if filters["status"]:
        conditions.append(Ticket.status == filters["status"])
    if filters["brand"]:
        conditions.append(Campaign.brand_id == filters["brand"])
    if filters["market"]:
        conditions.append(Campaign.market_id == filters["market"])
    if filters["channel"]:
        conditions.append(Ticket.channel_id == filters["channel"])
    if filters["campaign"]:
        conditions.append(Ticket.campaign_id == filters["campaign"])
    if filters["q"]:
        # Search the platform name: the campaign name with this channel's code for MULTI.
        platform = func.replace(Campaign.name, "_MULTI_", "_" + Channel.api_identifier + "_")
        conditions.append(platform.ilike(f"%{escape_like(filters['q'])}%", escape="\\"))
    return conditions


def with_card_data(stmt):
    """Join what a ticket card shows: campaign, brand, market, channel."""
    return (
        stmt.join(Ticket.campaign)
        .join(Campaign.brand)
        .join(Campaign.market)
        .join(Ticket.channel)
        .options(
            contains_eager(Ticket.campaign).contains_eager(Campaign.brand),
            contains_eager(Ticket.campaign).contains_eager(Campaign.market),
            contains_eager(Ticket.channel),
        )
    )


def filter_options(filters: dict) -> dict:
    """The choices in the filter bar (brands, markets, channels, the chosen campaign)."""
    return {
        "brands": db.session.execute(select(Brand.id, Brand.name).order_by(Brand.name)).all(),
        "markets": db.session.execute(select(Market.id, Market.code).order_by(Market.code)).all(),
        "channels": db.session.execute(
            select(Channel.id, Channel.platform_name).order_by(Channel.platform_name)
        ).all(),
        "campaign": db.session.get(Campaign, filters["campaign"]) if filters["campaign"] else None,
    }


def load_ticket(ticket_id) -> Ticket:
    """A ticket with everything its page and card show, or 404."""
    ticket = db.session.scalar(
        with_card_data(select(Ticket))
        .where(Ticket.id == ticket_id)
        .options(
            selectinload(Ticket.events).joinedload(TicketEvent.actor),
            selectinload(Ticket.sends).selectinload(PlatformSend.attempts),
            selectinload(Ticket.sends).joinedload(PlatformSend.requested_by),
        )
    )
    if ticket is None:
        abort(404)
    return ticket


def board_query_args(query: str | None) -> MultiDict:
    """The board's filters, carried in a move request as a query string."""
    pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=False)
    return MultiDict([(k, v) for k, v in pairs if re.fullmatch(r"[a-z_]{1,30}", k)])
