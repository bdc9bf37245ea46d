"""A budget order across currencies ranks each market's largest campaigns only, and gives
exactly the order of sorting every campaign: the portfolio's largest campaigns and each
page of the campaign list sorted by budget (services/queries.py, _budget_candidates).
"""

import random
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert

from omnitraffick.models import Campaign, CampaignStatus, Role
from omnitraffick.services import queries, rates
from tests.html import parse

# EUR, USD (two markets), JPY and GBP have rates; HUF has none on the rate date.
CURRENCIES = ["USD", "USD", "EUR", "JPY", "HUF", "GBP"]
BUDGETS = ["0", "1", "1000", "1050", "50000", "1000000", "1000000", "20000000", "999.5"]


@pytest.fixture
def spread(db, make_brand, make_market):
    """130 campaigns over six markets in five currencies, with many equal budgets."""
    pick = random.Random(20)
    brands = [make_brand() for _ in range(3)]
    markets = [make_market(currency=code) for code in CURRENCIES]
    statuses = list(CampaignStatus)
    rows = []
    for n in range(130):
        market = pick.choice(markets)
        budget = Decimal(pick.choice(BUDGETS))
        if market.currency == "JPY":
            budget = budget.to_integral_value()
        year = pick.choice([2025, 2026])
        rows.append(
            {
                "id": uuid.uuid4(),
                "name": f"B_{market.code}_MULTI_{year}_Rank{n:03d}",
                "campaign_name": f"Rank{n:03d}",
                "brand_id": pick.choice(brands).id,
                "market_id": market.id,
                "year": year,
                "budget": budget,
                "status": pick.choice(statuses),
            }
        )
    db.session.execute(insert(Campaign), rows)
    db.session.commit()
    return {"brands": brands, "markets": markets}


def ids(db, query, limit, per_euro, **kwargs):
    """The first `limit` campaign ids of a budget order, ranked per market or over every row."""
    stmt = queries.select_campaigns(query, Campaign.id, per_euro=per_euro, **kwargs)
    return list(db.session.scalars(stmt.limit(limit)))


@pytest.mark.parametrize("direction", ["desc", "asc"])
@pytest.mark.parametrize("day", ["rates", "some rates", "no rates"])
@pytest.mark.parametrize(
    "filters",
    ["", "status", "year+brand", "market", "search"],
)
def test_ranking_each_markets_first_rows_gives_the_order_of_sorting_them_all(
    db, spread, direction, day, filters
):
    if day == "rates":
        rates.import_rates("Date, USD, JPY, HUF, GBP, \n30 November 2026, 1.05, 160, 400, 0.85, \n")
    elif day == "some rates":
        rates.enter_rate(date(2026, 11, 30), "USD", "1.05")
        rates.enter_rate(date(2026, 11, 30), "JPY", "160")
    db.session.commit()
    args = {"sort": "budget", "dir": direction}
    if "status" in filters:
        args["status"] = CampaignStatus.ACTIVE.value
    if "year" in filters:
        args |= {"year": "2026", "brand": str(spread["brands"][0].id)}
    if "search" in filters:
        args["q"] = "rank0"
    if "market" in filters:
        args["market"] = str(spread["markets"][1].id)
    query = queries.parse_campaigns(args, queries.CAMPAIGN_REPORT)
    assert not query.problems
    per_euro = rates.conversion().per_euro()

    everything = ids(db, query, 1000, per_euro)
    assert len(everything) > 5
    for top in (1, 5, 17, 60, 200):
        assert ids(db, query, top, per_euro, top=top) == everything[:top], top
    # Given the market ids (as the pages pass them), the same.
    market_ids = [market.id for market in spread["markets"]]
    assert ids(db, query, 17, per_euro, top=17, markets=market_ids) == everything[:17]


def test_every_page_of_the_campaign_list_sorted_by_budget_follows_the_whole_order(
    db, client, login, spread
):
    rates.import_rates("Date, USD, JPY, GBP, \n30 November 2026, 1.05, 160, 0.85, \n")
    db.session.commit()
    login(Role.VIEWER)
    query = queries.parse_campaigns({"sort": "budget", "dir": "desc"}, queries.CAMPAIGN_REPORT)
    everything = db.session.scalars(
        queries.select_campaigns(query, Campaign.name, per_euro=rates.conversion().per_euro())
    ).all()

    listed = []
    for page in (1, 2, 3):
        for fragment in ({}, {"HX-Request": "true"}):
            doc = parse(
                client.get(f"/campaigns/?sort=budget&dir=desc&page={page}", headers=fragment)
            )
            names = [a.text for a in doc.find("table").find_all("a", cls="taxonomy-name")]
            assert names == list(everything[(page - 1) * 50 : page * 50]), (page, fragment)
        listed += names

    assert listed == list(everything)
    # Largest first in euro: the forint campaigns (no rate) come after every converted one.
    currencies = {m.id: m.currency for m in spread["markets"]}
    by_name = {c.name: currencies[c.market_id] for c in db.session.query(Campaign)}
    first_huf = next(k for k, name in enumerate(listed) if by_name[name] == "HUF")
    assert all(by_name[name] == "HUF" for name in listed[first_huf:])
