"""Report figures, computed in SQL: a fixed number of queries however many campaigns."""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Brand, Campaign, Market, Ticket, TicketStatus


def portfolio(conditions: list) -> dict:
    """Budget totals by brand and by market, kept per currency, and ticket progress."""

    def totals(*group):
        stmt = (
            select(*group, Market.currency, func.count(Campaign.id), func.sum(Campaign.budget))
            .join(Campaign.brand)
            .join(Campaign.market)
            .where(*conditions)
            .group_by(*group, Market.currency)
            .order_by(*group, Market.currency)
        )
        return [
            {
                "key": row[:-3],
                "currency": row[-3],
                "campaigns": row[-2],
                "budget": row[-1] or Decimal(0),
            }
            for row in db.session.execute(stmt)
        ]

    by_status = dict.fromkeys(TicketStatus, 0)
    by_status.update(
        db.session.execute(
            select(Ticket.status, func.count(Ticket.id))
            .join(Ticket.campaign)
            .where(*conditions)
            .group_by(Ticket.status)
        ).all()
    )
    tickets = sum(by_status.values())
    trafficked = by_status[TicketStatus.TRAFFICKED_SUCCESS]
    by_currency = totals()
    return {
        "by_brand": totals(Brand.name),
        "by_market": totals(Market.code, Market.country),
        "by_currency": by_currency,
        "campaigns": sum(row["campaigns"] for row in by_currency),
        "tickets_by_status": by_status,
        "tickets": tickets,
        "trafficked_share": trafficked / tickets if tickets else None,
    }


def campaign_rows(conditions: list, order_by, limit: int | None = None):
    """Campaigns with brand, market and ticket progress, one row each, in one query.

    Streams: callers may iterate 50,000 rows without holding them all in memory.
    """
    ticket_totals = (
        select(
            Ticket.campaign_id,
            func.count(Ticket.id).label("tickets"),
            func.sum(case((Ticket.status == TicketStatus.TRAFFICKED_SUCCESS, 1), else_=0)).label(
                "trafficked"
            ),
        )
        .group_by(Ticket.campaign_id)
        .subquery()
    )
    stmt = (
        select(
            Campaign.id,
            Campaign.name,
            Campaign.campaign_name,
            Brand.name,
            Market.code,
            Market.currency,
            Campaign.year,
            Campaign.budget,
            Campaign.status,
            func.coalesce(ticket_totals.c.tickets, 0),
            func.coalesce(ticket_totals.c.trafficked, 0),
            Campaign.created_at,
        )
        .join(Campaign.brand)
        .join(Campaign.market)
        .outerjoin(ticket_totals, ticket_totals.c.campaign_id == Campaign.id)
        .where(*conditions)
        .order_by(*order_by)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt.execution_options(yield_per=1000))


def budget_by_channel(campaign: Campaign) -> list[dict]:
    """How a campaign's ticket budgets split across its channels (for the report chart)."""
    split: dict = defaultdict(lambda: Decimal(0))
    for ticket in campaign.tickets:
        amount = ticket.payload_config.get("budget_amount")
        if amount is not None:
            split[ticket.channel.platform_name] += Decimal(amount)
    total = sum(split.values())
    return [
        {"channel": name, "amount": amount, "share": (amount / total) if total else 0}
        for name, amount in sorted(split.items(), key=lambda kv: -kv[1])
    ]
