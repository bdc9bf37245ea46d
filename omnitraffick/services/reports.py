"""Report figures, computed in SQL: a fixed number of queries however many campaigns."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Row, case, func, select

from ..extensions import db
from ..models import Brand, Campaign, Market, Ticket, TicketStatus
from . import ads, creative_specs, naming
from .countries import country_name
from .qa import planned_spend
from .queries import CampaignQuery, campaign_conditions, select_campaigns
from .rates import Conversion
from .settings import BudgetType


def portfolio(query: CampaignQuery, conversion: Conversion) -> dict:
    """Budget totals by brand and by market, converted where a rate exists, and ticket progress.

    One grouped query gives every (brand, market) cell; the roll-ups by brand, by market
    and by currency are summed from those few rows, exactly, in Decimal. Cells whose
    currency has a rate are converted into the reporting currency and added; the others
    stay in rows of their own currency, never added to anything.
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
        (brands[brand_id], *markets[market_id], n, budget or Decimal(0))
        for brand_id, market_id, n, budget in grouped
    ]
    converting = conversion.on is not None and conversion.can_convert(conversion.target)

    def roll_up(key, convert: bool = converting) -> list[dict]:
        groups: dict = {}
        for brand, code, country, currency, n, budget in cells:
            group_key = key(brand, code, country)
            as_target = convert and conversion.can_convert(currency)
            row = groups.setdefault(
                (group_key, "" if as_target else currency),
                {
                    "key": group_key,
                    "currency": conversion.target if as_target else currency,
                    "converted": as_target,
                    "campaigns": 0,
                    "budget": Decimal(0),
                    "native": defaultdict(lambda: Decimal(0)),
                },
            )
            row["campaigns"] += n
            row["native"][currency] += budget
            row["budget"] += conversion.convert(budget, currency) if as_target else budget
        rows = [groups[k] for k in sorted(groups)]
        for row in rows:
            row["native"] = sorted(row["native"].items())
        return rows

    ticket_stmt = select(Ticket.status, func.count()).group_by(Ticket.status)
    if conditions:
        ticket_stmt = ticket_stmt.join(Ticket.campaign).where(*conditions)
    by_status = dict.fromkeys(TicketStatus, 0)
    by_status.update(db.session.execute(ticket_stmt).all())
    tickets = sum(by_status.values())
    by_currency = roll_up(lambda brand, code, country: (), convert=False)
    totals = roll_up(lambda brand, code, country: ()) if converting else []
    return {
        "conversion": conversion,
        "converting": converting,
        "missing": conversion.missing(row["currency"] for row in by_currency),
        "by_brand": roll_up(lambda brand, code, country: (brand,)),
        "by_market": roll_up(lambda brand, code, country: (code, country_name(country))),
        "by_currency": by_currency,
        "total": next((row for row in totals if row["converted"]), None),
        "chart": _chart_items(
            (f"{brand} · {code}", conversion.convert(budget, currency))
            for brand, code, _, currency, _, budget in cells
            if converting and conversion.can_convert(currency)
        ),
        "campaigns": sum(row["campaigns"] for row in by_currency),
        "tickets_by_status": by_status,
        "tickets": tickets,
        "trafficked_share": by_status[TicketStatus.TRAFFICKED_SUCCESS] / tickets
        if tickets
        else None,
    }


CHART_BARS = 12


def _chart_items(pairs) -> list[dict]:
    """Bars for a chart, largest first: the first CHART_BARS, the rest in one "Others" bar."""
    pairs = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    if len(pairs) > CHART_BARS:
        rest = pairs[CHART_BARS - 1 :]
        pairs = [*pairs[: CHART_BARS - 1], (f"{len(rest)} others", sum(p[1] for p in rest))]
    top = max((amount for _, amount in pairs), default=0)
    return [
        {"label": label, "amount": amount, "share": (amount / top) if top else 0, "note": ""}
        for label, amount in pairs
    ]


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


def top_campaigns(
    query: CampaignQuery, limit: int, conversion: Conversion, markets: Iterable | None = None
) -> list:
    """The query's first `limit` campaigns with their ticket progress, in two queries.

    `markets`: every market's id, if the caller has read them (else a third query does).
    """
    stmt = select_campaigns(
        query, *CAMPAIGN_ROW, per_euro=conversion.per_euro(), top=limit, markets=markets
    )
    rows = db.session.execute(stmt.limit(limit)).all()
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


def campaign_rows(
    query: CampaignQuery, conversion: Conversion | None = None, ids=None
) -> Iterator[Row]:
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
        per_euro=conversion.per_euro() if conversion else None,
    ).outerjoin(ticket_totals, ticket_totals.c.campaign_id == Campaign.id)
    if ids is not None:  # only these (a bulk export of chosen campaigns)
        stmt = stmt.where(Campaign.id.in_(ids))
    yield from db.session.execute(stmt.execution_options(yield_per=1000))


def budget_by_channel(campaign: Campaign) -> dict:
    """How a campaign's ticket budgets split across its channels (for the report chart).

    What each ticket can spend (qa.planned_spend): a lifetime budget, or a daily one times
    its flight days, labelled so; a daily budget with no end date (or a budget of no stated
    type) has no total and is listed apart (`open_daily`), never added.
    """
    split: dict = defaultdict(lambda: Decimal(0))
    notes: dict = defaultdict(list)
    channels = {}
    open_daily = []
    for ticket in campaign.tickets:
        settings = ticket.payload_config or {}
        if settings.get("budget_amount") is None:
            continue
        amount, total = Decimal(settings["budget_amount"]), planned_spend(settings)
        if total is None:
            open_daily.append((ticket, amount))
            continue
        split[ticket.channel_id] += total
        channels[ticket.channel_id] = ticket.channel
        if total != amount or settings.get("budget_type") == BudgetType.DAILY:
            notes[ticket.channel_id].append((amount, int(total / amount) if amount else None))
    # Codes are unique, platform names need not be: name the code when two names collide.
    names = [channel.platform_name for channel in channels.values()]
    total = sum(split.values())
    return {
        "items": [
            {
                "label": channels[key].platform_name
                + (
                    f" ({channels[key].api_identifier})"
                    if names.count(channels[key].platform_name) > 1
                    else ""
                ),
                "amount": amount,
                "share": (amount / total) if total else 0,
                "daily": notes[key],
            }
            for key, amount in sorted(split.items(), key=lambda kv: -kv[1])
        ],
        "total": total,
        "open_daily": open_daily,
    }


def flight_timeline(tickets: list[Ticket]) -> dict | None:
    """The tickets' flights on one time axis, for the report's timeline chart.

    Each row places a flight as fractions of the axis (0 to 1); an open-ended flight runs
    to the axis' end and says so; `undated` names the channels of tickets with no flight
    start. None when no ticket has a flight start.
    """
    flights = []
    undated = []  # tickets with no flight start yet: named under the chart, not drawn
    for ticket in tickets:
        settings = ticket.payload_config or {}
        try:
            start = date.fromisoformat(settings["flight_start"])
        except (KeyError, TypeError, ValueError):
            undated.append(ticket.channel.platform_name)
            continue
        try:
            end = date.fromisoformat(settings["flight_end"])
        except (KeyError, TypeError, ValueError):
            end = None
        flights.append((ticket, start, end if end is None or end >= start else start))
    if not flights:
        return None
    first = min(start for _, start, _ in flights)
    last = max(end or start for _, start, end in flights)
    open_starts = [start for _, start, end in flights if end is None]
    if open_starts:
        # An open flight is drawn for a fortnight past the latest date known, then an arrow.
        last = max(last, max(open_starts)) + timedelta(days=14)
    span = (last - first).days + 1
    rows = [
        {
            "label": ticket.channel.platform_name,
            "name": ticket.platform_name,
            "start": start,
            "end": end,
            "x0": (start - first).days / span,
            "x1": ((end or last) - first).days / span + 1 / span,
        }
        for ticket, start, end in flights
    ]
    # A tick at the first of each month inside the axis, or at the ends of a short one.
    ticks = []
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            ticks.append({"x": (month - first).days / span, "label": month.strftime("%b %Y")})
        month = (month + timedelta(days=32)).replace(day=1)
    if len(ticks) < 2:
        ticks = [
            {"x": 0, "label": first.isoformat()},
            {"x": 1, "label": last.isoformat()},
        ]
    return {"first": first, "last": last, "rows": rows, "ticks": ticks, "undated": undated}


def ticket_ads(tickets: Iterable[Ticket]) -> list[dict]:
    """Each ticket's ads as they are sent (services/ads.py: names, texts, tracked URLs), with
    the library creatives their thumbnails come from, their placements' names and their call
    to action's label; tickets without ads are left out.

    Reads nothing when the tickets' ads with their creatives are loaded (the ad naming
    convention and the UTM mappings are read once per request).
    """
    shown = []
    for ticket in tickets:
        if not ticket.ads:
            continue
        adset_name, _ = naming.adset_name_for(ticket)
        code = ticket.channel.api_identifier.strip().upper()
        labels = dict(creative_specs.CALLS_TO_ACTION.get(code, ()))
        rows = [
            {
                "ad": data,
                "creatives": [link.creative for link in ad.creative_links],
                "placements": [
                    creative_specs.BY_KEY[key].name if key in creative_specs.BY_KEY else key
                    for key in data.placements
                ],
                "call_to_action": labels.get(data.call_to_action, data.call_to_action),
            }
            for ad, data in zip(ticket.ads, ads.ad_inputs(ticket, adset_name), strict=True)
        ]
        shown.append({"ticket": ticket, "ads": rows})
    return shown
