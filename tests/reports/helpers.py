"""Reports: the printable campaign report, the portfolio report with its per-currency totals, and
the CSV exports of the campaign list, the ticket list and the portfolio. Helpers shared by the
files of this folder.
"""

import csv
import io
import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

from flask import g

from omnitraffick.models import (
    CampaignStatus,
    TicketStatus,
)
from tests.html import Node, parse
from tests.support import insert_campaigns_with_tickets

S = TicketStatus


BOM = b"\xef\xbb\xbf"


CAMPAIGN_HEADER = [
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


TICKET_HEADER = [
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


STATUS_LABELS = [
    "Draft",
    "QA testing",
    "QA failed",
    "Ready for API",
    "Trafficked success",
    "Failed",
]


# Every campaign the tests make was created on this day, a minute apart, in order.
T0 = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)")


def section(doc: Node, heading: str) -> Node:
    """The report section whose <h2> starts with `heading`."""
    for node in doc.find_all("section", cls="report-section"):
        h2 = node.find("h2")
        if h2 is not None and h2.text.startswith(heading):
            return node
    raise AssertionError(f"no section headed {heading!r}")


def table_rows(node: Node) -> list[list[str]]:
    """The body rows of the first table in `node`, as cell texts."""
    table = node.find("table")
    assert table is not None, "no table"
    body = table.find("tbody")
    return [
        [cell.text for cell in row.children if isinstance(cell, Node)]
        for row in body.find_all("tr")
    ]


def table_head(node: Node) -> list[str]:
    table = node.find("table")
    return [cell.text for cell in table.find("thead").find_all("th")]


def facts(doc: Node) -> dict[str, str]:
    """The report header's facts: label -> value."""
    table = doc.find("table", cls="report-facts")
    assert table is not None, "no facts table"
    found = {}
    for row in table.find_all("tr"):
        cells = [c for c in row.children if isinstance(c, Node)]
        for label, value in zip(cells[::2], cells[1::2], strict=True):
            found[label.text] = value.text
    return found


def read_csv(response) -> list[list[str]]:
    """A CSV download as rows of cells (header first), after checking how it is served."""
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/csv"
    assert response.is_streamed, "the CSV is built in memory instead of streamed"
    data = response.get_data()
    assert data.startswith(BOM), "no UTF-8 byte-order mark"
    text = data[len(BOM) :].decode("utf-8")
    assert not text.startswith("\ufeff"), "two byte-order marks"
    return list(csv.reader(io.StringIO(text, newline="")))


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def disposition(response) -> str:
    return response.headers["Content-Disposition"]


def portfolio(client, query: str = "") -> Node:
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 200, response.text
    return parse(response)


def ticket_counts(doc: Node) -> dict[str, int]:
    tickets = section(doc, "Tickets")
    (row,) = table_rows(tickets)
    return dict(zip(table_head(tickets), map(int, row), strict=True))


def scope(doc: Node) -> str:
    return doc.find("p", cls="report-scope").text


def campaign_names(doc: Node) -> list[str]:
    return [row[0] for row in table_rows(section(doc, "Campaigns"))]


def fresh_request(db) -> None:
    """Start the next request as production does: a new session, the user not yet loaded."""
    db.session.remove()
    g.pop("_login_user", None)


def snapshot(row, *names: str) -> SimpleNamespace:
    """The named attributes of a row, as a plain object that outlives its session."""
    return SimpleNamespace(**{name: getattr(row, name) for name in names})


def bulk_seed(db, brands, markets, channel, count: int, start: int) -> None:
    """`count` campaigns over brands, markets (several currencies) and statuses, each with
    two tickets: one INSERT per table."""
    statuses = list(CampaignStatus)
    rows = []
    for n in range(start, start + count):
        brand, market = brands[n % len(brands)], markets[n // 2 % len(markets)]
        year = 2026 - n // 3 % 2
        rows.append(
            {
                "id": uuid.uuid4(),
                "name": f"{brand.internal_code}_{market.code}_MULTI_{year}_Bulk{n:05d}",
                "campaign_name": f"Bulk {n:05d}",
                "brand_id": brand.id,
                "market_id": market.id,
                "year": year,
                "budget": Decimal(n) + Decimal("0.25"),
                "status": statuses[n % len(statuses)],
            }
        )
    insert_campaigns_with_tickets(db, rows, channel)
