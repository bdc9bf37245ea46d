"""Report figures, computed in SQL: a fixed number of queries however many campaigns."""

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import Row, case, func, select

from ..extensions import db
from ..models import Brand, Campaign, Market, Ticket, TicketStatus
from .countries import country_name
from .queries import CampaignQuery, campaign_conditions, select_campaigns


def portfolio(query: CampaignQuery) -> dict:
    """Budget totals by brand and by market, kept per currency, and ticket progress.

    One grouped query gives every (brand, market) cell; the roll-ups by brand, by market
    and by currency are summed from those few rows, exactly, in Decimal.
    """
    conditions = campaign_conditions(query)
    grouped = db.session.execute(
        select(
            Campaign.brand_id,
            Campaign.market_id,
            func.count(Campaign.id),
            func.sum(Campaign.budget),
        )
        .where(*conditions)
        .group_by(Campaign.brand_id, Campaign.market_id)
    ).all()
    # Names come from the two small reference tables, not from joining every campaign row.
    brands = dict(db.session.execute(select(Brand.id, Brand.name)).all())
    markets = {
        id_: (code, country, currency)
        for id_, code, country, currency in db.session.execute(
            select(Market.id, Market.code, Market.country, Market.currency)
        )
    }
    cells = [
        (brands[brand_id], *markets[market_id], n, budget)
        for brand_id, market_id, n, budget in grouped
    ]

    def roll_up(key) -> list[dict]:
        groups: dict = {}
        for brand, code, country, currency, n, budget in cells:
            group_key = key(brand, code, country)
            row = groups.setdefault(
                (group_key, currency),
                {"key": group_key, "currency": currency, "campaigns": 0, "budget": Decimal(0)},
            )
            row["campaigns"] += n
            row["budget"] += budget or Decimal(0)
        return [groups[k] for k in sorted(groups)]

    ticket_stmt = select(Ticket.status, func.count()).group_by(Ticket.status)
    if conditions:
        ticket_stmt = ticket_stmt.join(Ticket.campaign).where(*conditions)
    by_status = dict.fromkeys(TicketStatus, 0)
    by_status.update(db.session.execute(ticket_stmt).all())
    tickets = sum(by_status.values())
    by_currency = roll_up(lambda brand, code, country: ())
    return {
        "by_brand": roll_up(lambda brand, code, country: (brand,)),
        "by_market": roll_up(lambda brand, code, country: (code, country_name(country))),
        "by_currency": by_currency,
        "campaigns": sum(row["campaigns"] for row in by_currency),
        "tickets_by_status": by_status,
        "tickets": tickets,
        "trafficked_share": by_status[TicketStatus.TRAFFICKED_SUCCESS] / tickets
        if tickets
        else None,
    }


# The columns of a campaign row in the portfolio and the CSV exports, in this order.
CAMPAIGN_ROW = (
    Campaign.id,
    Campaign.name,
    Campaign.campaign_name,
    Brand.name,
    Market.code,
    Market.currency,
    Campaign.year,
    Campaign.budget,
    Campaign.status,
)


def top_campaigns(query: CampaignQuery, limit: int) -> list:
    """The query's first `limit` campaigns with their ticket progress, in two queries."""
    rows = db.session.execute(select_campaigns(query, *CAMPAIGN_ROW).limit(limit)).all()
    progress = {
        campaign_id: (n, trafficked)
        for campaign_id, n, trafficked in db.session.execute(
            select(
                Ticket.campaign_id,
                func.count(Ticket.id),
                func.sum(case((Ticket.status == TicketStatus.TRAFFICKED_SUCCESS, 1), else_=0)),
            )
            .where(Ticket.campaign_id.in_([row[0] for row in rows]))
            .group_by(Ticket.campaign_id)
        )
    }
    return [(*row, *progress.get(row[0], (0, 0))) for row in rows]


def campaign_rows(query: CampaignQuery, ids=None) -> Iterator[Row]:
    """Every campaign the query finds, in its order, with ticket progress, for CSV exports.

    One query, streamed: callers may iterate 50,000 rows without holding them in memory.
    The query runs when iteration starts, not when this is called: a streamed response is
    read after its view returned and the request's session closed (and with it, on
    PostgreSQL, the server-side cursor), so it must run inside the response's generator.
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
    stmt = select_campaigns(
        query,
        *CAMPAIGN_ROW,
        func.coalesce(ticket_totals.c.tickets, 0),
        func.coalesce(ticket_totals.c.trafficked, 0),
        Campaign.created_at,
    ).outerjoin(ticket_totals, ticket_totals.c.campaign_id == Campaign.id)
    if ids is not None:  # only these (a bulk export of chosen campaigns)
        stmt = stmt.where(Campaign.id.in_(ids))
    yield from db.session.execute(stmt.execution_options(yield_per=1000))


def budget_by_channel(campaign: Campaign) -> list[dict]:
    """How a campaign's ticket budgets split across its channels (for the report chart)."""
    split: dict = defaultdict(lambda: Decimal(0))
    channels = {}
    for ticket in campaign.tickets:
        amount = ticket.payload_config.get("budget_amount")
        if amount is not None:
            split[ticket.channel_id] += Decimal(amount)
            channels[ticket.channel_id] = ticket.channel
    # Codes are unique, platform names need not be: name the code when two names collide.
    names = [channel.platform_name for channel in channels.values()]
    total = sum(split.values())
    return [
        {
            "channel": channels[key].platform_name
            + (
                f" ({channels[key].api_identifier})"
                if names.count(channels[key].platform_name) > 1
                else ""
            ),
            "amount": amount,
            "share": (amount / total) if total else 0,
        }
        for key, amount in sorted(split.items(), key=lambda kv: -kv[1])
    ]
