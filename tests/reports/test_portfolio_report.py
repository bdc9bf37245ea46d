"""Reports: the printable campaign report, the portfolio report with its per-currency totals, and
the CSV exports of the campaign list, the ticket list and the portfolio: The portfolio report.
"""

import html

import pytest

from tests.html import Node, parse
from tests.reports.helpers import (
    STATUS_LABELS,
    bulk_seed,
    campaign_names,
    fresh_request,
    portfolio,
    scope,
    section,
    snapshot,
    table_rows,
    ticket_counts,
)

# --- The portfolio report ------------------------------------------------------------------------


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
