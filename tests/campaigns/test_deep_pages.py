"""The campaign list's deep pages: the same rows as counting from the top, in every order and
direction, with ties; no more queries than the first page; a searched count reused until a
campaign is added, changed or deleted, and always exact."""

import pytest
from sqlalchemy import delete, insert, update

from omnitraffick.models import Campaign, CampaignStatus
from tests.campaigns.helpers import campaign_row, page_of
from tests.html import parse

TOTAL = 130  # three pages of 50


@pytest.fixture
def many(db, dis, us):
    """130 campaigns; years and statuses repeat, so most orders have ties."""
    statuses = list(CampaignStatus)
    rows = [
        campaign_row(dis, us, n, statuses[n % len(statuses)], year=2024 + n % 3)
        for n in range(TOTAL)
    ]
    db.session.execute(insert(Campaign), rows)
    db.session.commit()
    return rows


@pytest.mark.parametrize("sort", ["created", "name", "year", "status"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_the_pages_hold_every_campaign_once(client, trafficker, many, sort, direction):
    pages = [
        page_of(client.get(f"/campaigns/?sort={sort}&dir={direction}&page={n}")).names
        for n in (1, 2, 3)
    ]

    assert [len(p) for p in pages] == [50, 50, 30]
    shown = [name for page in pages for name in page]
    assert sorted(shown) == sorted(row["name"] for row in many)
    if sort == "name":
        assert shown == sorted(shown, reverse=direction == "desc")


def test_a_deep_page_runs_no_more_queries_than_the_first(
    db, client, trafficker, many, count_queries
):
    def statements(url):
        db.session.expire_all()
        with count_queries() as found:
            assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
        return len(found)

    client.get("/campaigns/")  # warm up the session

    assert statements("/campaigns/?page=3") <= statements("/campaigns/?page=1")


def searched(client, q="Launch0010"):
    doc = parse(client.get(f"/campaigns/?q={q}"))
    return doc.find("p", cls="result-count").text


def test_a_searched_count_is_reused_until_the_campaigns_change(
    db, client, trafficker, many, count_queries, dis, us
):
    assert searched(client) == "10 campaigns"  # Launch00100 to Launch00109

    with count_queries() as statements:
        assert searched(client) == "10 campaigns"
    counted = [s for s in statements if "count(" in s.lower() and "like" in s.lower()]
    assert counted == []  # the names were not read again for the count

    db.session.execute(insert(Campaign), [campaign_row(dis, us, 1010)])  # Launch01010: no
    db.session.execute(insert(Campaign), [campaign_row(dis, us, 10011)])  # Launch10011: no
    db.session.execute(insert(Campaign), [campaign_row(dis, us, 1999)])  # Launch01999: no
    db.session.execute(insert(Campaign), [campaign_row(dis, us, 100) | {"name": "X_Launch0010"}])
    db.session.commit()
    assert searched(client) == "11 campaigns"

    db.session.execute(delete(Campaign).where(Campaign.name == "X_Launch0010"))
    db.session.commit()
    assert searched(client) == "10 campaigns"

    renamed = many[105]["id"]
    db.session.execute(update(Campaign).where(Campaign.id == renamed).values(name="DIS_US_Other"))
    db.session.commit()
    assert searched(client) == "9 campaigns"


def test_a_page_met_before_moves_with_a_new_campaign(db, client, trafficker, many, dis, us):
    def names(page):
        return page_of(client.get(f"/campaigns/?sort=name&dir=asc&page={page}")).names

    first, second, third = names(1), names(2), names(3)  # page 3's start is known now
    db.session.execute(insert(Campaign), [campaign_row(dis, us, 0) | {"name": "AAA_First"}])
    db.session.commit()

    assert names(3) == [second[-1], *third]  # everything moved down by one
    assert names(2) == [first[-1], *second[:-1]]
    assert len(names(3)) == 31


def test_revisited_deep_pages_read_the_same(client, trafficker, many):
    urls = [f"/campaigns/?sort=year&dir=desc&page={n}" for n in (2, 3, 2, 3)]

    seen = [page_of(client.get(url)).names for url in urls]

    assert seen[0] == seen[2] and seen[1] == seen[3]
    assert set(seen[0]).isdisjoint(seen[1])


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", TOTAL), ("year=2024", 44), ("q=Launch001", 30)],
    ids=["all", "filtered", "searched"],
)
def test_a_deep_page_counts_what_the_first_counts(client, trafficker, many, query, expected):
    def count(page):
        doc = parse(client.get(f"/campaigns/?{query}&page={page}"))
        return doc.find("p", cls="result-count").text

    assert count(1) == count(2) == f"{expected} campaigns"
