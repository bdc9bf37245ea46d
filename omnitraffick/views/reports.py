"""Reports for clients and finance: the campaign report, the portfolio, CSV exports."""

from flask import Blueprint, abort, make_response, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..csv_export import csv_response
from ..extensions import db
from ..models import (
    Brand,
    Campaign,
    CampaignStatus,
    Channel,
    Market,
    Ticket,
    TicketAd,
    TicketAdCreative,
    TicketChange,
    TicketEvent,
    TicketStatus,
    utcnow,
)
from ..services import queries, rates, reports
from ..services.currencies import rounded
from ..services.taxonomy import platform_name
from ..web import render
from .campaigns import load_campaign_page

# Reports and exports sit next to what they report on: /reports, /campaigns/<id>/report, ...
bp = Blueprint("reports", __name__)

PORTFOLIO_ROWS = 200
CAMPAIGN_CSV_HEADER = [
    "name",
    "campaign_name",
    "brand",
    "market",
    "currency",
    "year",
    "budget",
    "status",
    "tickets",
    "tickets_trafficked",
    "created_at",
]


def _campaign_csv_rows(rows):
    """CSV rows from campaign_rows: the id dropped, budgets in the currency's precision."""
    for row in rows:
        values = list(row[1:])
        values[6] = rounded(values[6], values[4])  # budget, by currency
        yield values


def _ranking(query) -> rates.Conversion | None:
    """The rates a budget order ranks by (read only when the order is by budget)."""
    return rates.conversion() if query.sort == "budget" else None


@bp.get("/reports/")
def portfolio():
    """Campaigns under the filters with totals per brand and market, kept per currency."""
    query = queries.parse_campaigns(request.args, queries.CAMPAIGN_REPORT)
    settings = rates.workspace()
    conversion = rates.conversion(settings.reporting_currency)
    figures = reports.portfolio(query, conversion)
    markets = db.session.execute(select(Market.id, Market.code).order_by(Market.code)).all()
    rows = reports.top_campaigns(query, PORTFOLIO_ROWS, conversion, [id_ for id_, _ in markets])
    return render(
        "reports/portfolio.html",
        settings=settings,
        figures=figures,
        rows=rows,
        row_limit=PORTFOLIO_ROWS,
        query=query,
        statuses=list(CampaignStatus),
        ticket_statuses=list(TicketStatus),
        brands=db.session.execute(select(Brand.id, Brand.name).order_by(Brand.name)).all(),
        markets=markets,
        generated_at=utcnow(),
    )


@bp.get("/reports/export.csv")
def portfolio_csv():
    """The portfolio's campaign rows as CSV, streamed."""
    query = queries.parse_campaigns(request.args, queries.CAMPAIGN_REPORT)
    rows = reports.campaign_rows(query, _ranking(query))
    return csv_response("portfolio.csv", CAMPAIGN_CSV_HEADER, _campaign_csv_rows(rows))


@bp.get("/campaigns/export.csv")
def campaigns_csv():
    """The campaign list, under its current filters and sort, as CSV."""
    return campaigns_csv_response(queries.parse_campaigns(request.args))


def campaigns_csv_response(query: queries.CampaignQuery, ids=None):
    """The campaigns `query` finds (only `ids`, when given), as a CSV download."""
    rows = reports.campaign_rows(query, _ranking(query), ids)
    return csv_response("campaigns.csv", CAMPAIGN_CSV_HEADER, _campaign_csv_rows(rows))


REPORT_VERSIONS = ("client", "internal")


@bp.get("/campaigns/<uuid:campaign_id>/report")
def campaign_report(campaign_id):
    """The printable report of one campaign: the client's version, or the internal one."""
    version = request.args.get("version") or "client"
    if version not in REPORT_VERSIONS:
        abort(400, description="version must be client or internal.")
    history = selectinload(Campaign.tickets).selectinload(Ticket.events)
    changes = selectinload(Campaign.tickets).selectinload(Ticket.changes)
    ads = (
        selectinload(Campaign.tickets)
        .selectinload(Ticket.ads)
        .selectinload(TicketAd.creative_links)
        .joinedload(TicketAdCreative.creative)
    )
    campaign = load_campaign_page(
        campaign_id,
        history.joinedload(TicketEvent.actor),
        changes.joinedload(TicketChange.actor),
        ads,
    )
    tickets = sorted(campaign.tickets, key=lambda t: (t.channel.platform_name, t.created_at))
    history = sorted(
        ((event, ticket) for ticket in tickets for event in ticket.events),
        key=lambda pair: pair[0].created_at,
    )
    changed = sorted(
        ((change, ticket) for ticket in tickets for change in ticket.changes),
        key=lambda pair: pair[0].created_at,
    )
    return render(
        "reports/campaign.html",
        campaign=campaign,
        tickets=tickets,
        history=history,
        changes=changed,
        split=reports.budget_by_channel(campaign),
        timeline=reports.flight_timeline(tickets),
        ticket_ads=reports.ticket_ads(tickets),
        internal=version == "internal",
        settings=rates.workspace(),
        generated_at=utcnow(),
        generated_by=current_user,
    )


def _css_string(text: str) -> str:
    """`text` as a CSS string literal: quotes, backslashes and line breaks escaped."""
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\' else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


@bp.get("/campaigns/<uuid:campaign_id>/report.css")
def campaign_report_css(campaign_id):
    """The printed report's running header: agency, client brand and campaign on every page.

    A stylesheet of its own because paged media's margin boxes take their text from CSS, and
    the Content-Security-Policy allows no inline style.
    """
    campaign = db.get_or_404(Campaign, campaign_id)
    agency = rates.workspace().agency_name or "OmniTraffick"
    internal = " · internal" if request.args.get("version") == "internal" else ""
    head = f"{agency} · {campaign.brand.name} · {campaign.name}{internal}"
    css = (
        "@page { @top-left { content: "
        + _css_string(head)
        + "; font-size: 8pt; color: #333; vertical-align: bottom; } }\n"
    )
    response = make_response(css)
    response.headers["Content-Type"] = "text/css; charset=utf-8"
    return response


TICKET_CSV_HEADER = [
    "platform_name",
    "campaign",
    "channel",
    "request_type",
    "status",
    "external_platform_id",
    "budget_type",
    "budget_amount",
    "currency",
    "flight_start",
    "flight_end",
    "qa_failure_reason",
    "updated_at",
]


@bp.get("/tickets/export.csv")
def tickets_csv():
    """The ticket list, under its current filters, as CSV."""
    return tickets_csv_response(queries.parse_tickets(request.args))


def tickets_csv_response(query: queries.TicketQuery, where: tuple = ()):
    """The tickets `query` (and `where`) select, as a CSV download."""
    stmt = queries.select_tickets(
        query, Ticket, Campaign.name, Market.currency, Channel.api_identifier, where=where
    ).execution_options(yield_per=1000)

    def rows():
        for ticket, campaign_name, currency, channel_code in db.session.execute(stmt):
            settings = ticket.payload_config or {}
            yield [
                platform_name(campaign_name, channel_code),
                campaign_name,
                channel_code,
                ticket.request_type,
                ticket.status,
                ticket.external_platform_id,
                settings.get("budget_type"),
                settings.get("budget_amount"),
                currency,
                settings.get("flight_start"),
                settings.get("flight_end"),
                ticket.qa_failure_reason,
                ticket.updated_at,
            ]

    return csv_response("tickets.csv", TICKET_CSV_HEADER, rows())
