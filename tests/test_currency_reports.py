"""Budgets in different currencies, ranked and totalled in the reporting currency.

The portfolio with USD, JPY and HUF campaigns totals and ranks them in EUR with the rate
date shown; without a rate it keeps each currency apart instead of adding numbers that do
not add up; the campaign list sorted by budget ranks ¥1,000,000 (about €6,250) below
$50,000 (about €47,600).
"""

from datetime import date

import pytest

from omnitraffick.models import Role
from omnitraffick.services import rates
from tests.html import Node, parse

RATES = "Date, USD, JPY, HUF, \n30 November 2026, 1.0500, 160.00, 400.00, \n"


@pytest.fixture
def viewer(login):
    return login(Role.VIEWER)


@pytest.fixture
def mixed(db, make_brand, make_market, make_campaign):
    """Three markets in three currencies, two brands."""
    dis = make_brand(name="Disney", internal_code="DIS")
    pix = make_brand(name="Pixar", internal_code="PIX")
    us = make_market(code="US", currency="USD", country="US", region="NA")
    jp = make_market(code="JP", currency="JPY", country="JP", region="APAC")
    hu = make_market(code="HU", currency="HUF", country="HU", region="EU")
    make_campaign(dis, us, "Moana", budget="50000")  # €47,619.05
    make_campaign(dis, jp, "Frozen", budget="1000000")  # €6,250.00
    make_campaign(pix, hu, "Cars", budget="20000000")  # €50,000.00
    make_campaign(pix, us, "Up", budget="1000")  # €952.38
    return {"dis": dis, "pix": pix}


def section(doc: Node, heading: str) -> Node:
    for node in doc.find_all("section", cls="report-section"):
        h2 = node.find("h2")
        if h2 is not None and h2.text.split(" (")[0] == heading:
            return node
    raise AssertionError(f"no section headed {heading!r}")


def rows(node: Node, part: str = "tbody") -> list[list[str]]:
    body = node.find("table").find(part)
    return [
        [" ".join(cell.text.split()) for cell in row.children if isinstance(cell, Node)]
        for row in body.find_all("tr")
    ]


def names(doc: Node) -> list[str]:
    return [row[0] for row in rows(section(doc, "Campaigns"))]


def test_the_portfolio_ranks_and_totals_usd_jpy_and_huf_in_euro_with_the_rate_date(
    client, viewer, mixed
):
    rates.import_rates(RATES)

    doc = parse(client.get("/reports/"))

    by_currency = section(doc, "Budget by currency")
    assert "converted to EUR at the ECB reference rates of 2026-11-30" in " ".join(
        by_currency.text.split()
    )
    # Native amounts stay, each with its converted amount and the date.
    assert rows(by_currency) == [
        ["HUF", "1", "HUF20,000,000 ≈ €50,000.00 at the rate of 2026-11-30"],
        ["JPY", "1", "¥1,000,000 ≈ €6,250.00 at the rate of 2026-11-30"],
        ["USD", "2", "$51,000.00 ≈ €48,571.43 at the rate of 2026-11-30"],
    ]
    assert rows(by_currency, "tfoot") == [
        ["Total in EUR", "4", "≈ €104,821.43 at the rate of 2026-11-30"]
    ]
    # Largest first, in euro: Ft20m, $50k, ¥1m, $1k.
    assert names(doc) == [
        "PIX_HU_MULTI_2026_Cars",
        "DIS_US_MULTI_2026_Moana",
        "DIS_JP_MULTI_2026_Frozen",
        "PIX_US_MULTI_2026_Up",
    ]
    assert "Ranked by budget in EUR at the rate of 2026-11-30" in section(doc, "Campaigns").text
    by_brand = rows(section(doc, "Budget by brand"))
    assert by_brand == [
        ["Disney", "EUR ≈", "2", "≈ €53,869.05 ¥1,000,000 + $50,000.00"],
        ["Pixar", "EUR ≈", "2", "≈ €50,952.38 HUF20,000,000 + $1,000.00"],
    ]


def test_the_portfolio_charts_budget_by_brand_and_market_in_the_reporting_currency(
    client, viewer, mixed
):
    rates.import_rates(RATES)

    chart = section(parse(client.get("/reports/")), "Budget by brand and market in EUR")

    svg = chart.find("svg")
    assert svg.attrs["role"] == "img"
    assert svg.find("title").text == "Budget by brand and market in EUR at the rate of 2026-11-30"
    labels = [text.text for text in svg.find_all("text")]
    assert labels[:4] == ["Pixar · HU", "€50,000.00", "Disney · US", "€47,619.05"]


def test_a_currency_without_a_rate_is_listed_apart_and_never_added(client, viewer, mixed, db):
    rates.enter_rate(date(2026, 11, 30), "USD", "1.05")
    rates.enter_rate(date(2026, 11, 30), "JPY", "160")
    db.session.commit()

    doc = parse(client.get("/reports/"))

    by_currency = section(doc, "Budget by currency")
    assert "No rate for HUF on 2026-11-30" in by_currency.text
    assert rows(by_currency, "tfoot") == [
        ["Total in EUR", "3", "≈ €54,821.43 at the rate of 2026-11-30, without HUF"]
    ]
    pixar = [row for row in rows(section(doc, "Budget by brand")) if row[0] == "Pixar"]
    assert pixar == [
        ["Pixar", "EUR ≈", "1", "≈ €952.38 $1,000.00"],
        ["Pixar", "HUF", "1", "HUF20,000,000"],
    ]
    # Ranked in euro where possible; the forint campaign after them.
    assert names(doc)[-1] == "PIX_HU_MULTI_2026_Cars"


def test_without_rates_the_portfolio_says_so_and_keeps_currencies_apart(client, viewer, mixed):
    doc = parse(client.get("/reports/"))

    by_currency = section(doc, "Budget by currency")
    assert "No exchange rates yet" in by_currency.text
    assert by_currency.find("tfoot") is None
    assert "Ranked by budget within each currency" in section(doc, "Campaigns").text
    with pytest.raises(AssertionError):
        section(doc, "Budget by brand and market in EUR")


def test_the_reporting_currency_is_the_workspaces(client, login, mixed):
    rates.import_rates(RATES)
    login(Role.ADMIN)
    saved = client.post("/settings/", data={"agency_name": "Acme", "reporting_currency": "usd"})
    assert saved.status_code == 302

    doc = parse(client.get("/reports/"))

    assert rows(section(doc, "Budget by currency"), "tfoot") == [
        ["Total in USD", "4", "≈ $110,062.50 at the rate of 2026-11-30"]
    ]


def test_the_campaign_list_sorted_by_budget_ranks_yen_below_dollars(client, viewer, mixed):
    rates.import_rates(RATES)

    response = client.get("/campaigns/?sort=budget&dir=desc")

    doc = parse(response)
    listed = [a.text for a in doc.find("table").find_all("a", cls="taxonomy-name")]
    assert listed == [
        "PIX_HU_MULTI_2026_Cars",
        "DIS_US_MULTI_2026_Moana",
        "DIS_JP_MULTI_2026_Frozen",
        "PIX_US_MULTI_2026_Up",
    ]
    assert "Ranked by budget in EUR at the ECB reference rates of 2026-11-30" in " ".join(
        doc.text.split()
    )
    assert "¥1,000,000 ≈ €6,250.00" in " ".join(doc.text.split())


def test_the_campaign_list_runs_a_fixed_number_of_queries_sorted_by_budget(
    client, viewer, mixed, make_campaign, count_queries, db
):
    rates.import_rates(RATES)
    db.session.commit()
    url = "/campaigns/?sort=budget&dir=desc"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(20):
        make_campaign(campaign_name=f"More{n}", budget=str(n))
    with count_queries() as many:
        client.get(url)
    assert len(few) == len(many)
