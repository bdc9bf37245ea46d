"""Campaigns: the service rules (taxonomy name, uniqueness, budget, status moves, delete), the HTML
pages a trafficker uses (new form with live name preview, list, campaign page, edit, delete),
fixed SQL query counts on the list, and two people creating the same name at once: HTML: new
campaign form and the campaign page; live preview; HTML: the list; fixed number of queries.
"""

import uuid

import pytest
from sqlalchemy import select

from omnitraffick.models import (
    Campaign,
    Role,
    TicketStatus,
)
from tests.campaigns.helpers import (
    THIS_YEAR,
    bulk_campaigns,
    bulk_seed,
    campaign_count,
    list_names,
    new_form,
    page_of,
    preview,
    previewed,
)
from tests.html import text_of

# --- HTML: new campaign form and the campaign page -----------------------------------------------


def test_new_form_shows_the_current_year_and_the_reference_data(client, trafficker, dis, us):
    response = client.get("/campaigns/new")

    assert response.status_code == 200
    page = page_of(response)
    assert page.inputs["year"] == str(THIS_YEAR)
    assert page.inputs["budget"] == "0"
    assert page.inputs["campaign_name"] == ""
    assert str(dis.id) in page.options("brand_id")
    assert str(us.id) in page.options("market_id")
    assert page.selected("status") == "DRAFT"
    assert page.options("status") == ["DRAFT", "ACTIVE"]
    assert "Disney (DIS)" in response.text
    assert "BRAND_MARKET_MULTI_YEAR_Name" in response.text


def test_creating_a_campaign_lands_on_its_page(db, client, sign_in, dis, us):
    user = sign_in(Role.TRAFFICKER, name="Tess Trafficker")

    response = client.post("/campaigns/new", data=new_form(dis, us))

    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert response.headers["Location"] == f"/campaigns/{campaign.id}"
    assert campaign.name == "DIS_US_MULTI_2026_MoanaLaunch"
    assert campaign.created_by_id == user.id

    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    text = text_of(page)
    assert "DIS_US_MULTI_2026_MoanaLaunch" in text
    for label, part in [
        ("Brand", "DIS"),
        ("Market", "US"),
        ("Channel", "MULTI"),
        ("Year", "2026"),
        ("Campaign", "MoanaLaunch"),
    ]:
        assert f"{label} {part}" in text
    assert "typed as “Moana Launch!”" in text
    assert "$1,500.50" in text
    assert "Draft" in text
    assert "by Tess Trafficker" in text
    assert ("success", "Campaign DIS_US_MULTI_2026_MoanaLaunch created.") in page_of(page).flashes


def test_a_yen_budget_shows_without_decimals(db, client, trafficker, dis, jp):
    response = client.post(
        "/campaigns/new", data=new_form(dis, jp, budget="150000", status="ACTIVE")
    )
    assert response.status_code == 302

    text = text_of(client.get(response.headers["Location"]))
    assert "¥150,000" in text
    assert "¥150,000." not in text
    assert "Active" in text


def test_a_yen_budget_with_decimals_is_refused_next_to_the_budget(db, client, trafficker, dis, jp):
    response = client.post("/campaigns/new", data=new_form(dis, jp, budget="100.5"))

    assert response.status_code == 422
    page = page_of(response)
    assert "no decimals" in page.field_errors["budget"]
    assert page.inputs["budget"] == "100.5"
    assert campaign_count(db) == 0


def test_the_campaign_page_lists_tickets_with_their_platform_names(
    client, trafficker, create, make_ticket, make_channel
):
    campaign = create()
    make_ticket(campaign=campaign, channel=make_channel("META", "Meta"))
    make_ticket(campaign=campaign, channel=make_channel("TIKTOK", "TikTok"))

    text = text_of(client.get(f"/campaigns/{campaign.id}"))

    assert "DIS_US_META_2026_MoanaLaunch" in text
    assert "DIS_US_TIKTOK_2026_MoanaLaunch" in text
    assert "Tickets (2)" in text


@pytest.mark.parametrize("typed", ["Moana Launch!", "moana launch", "MOANA-LAUNCH"])
def test_a_duplicate_name_re_renders_the_form_with_the_message(
    db, client, trafficker, create, dis, us, typed
):
    create(campaign_name="Moana Launch")

    response = client.post(
        "/campaigns/new", data=new_form(dis, us, campaign_name=typed, budget="99")
    )

    assert response.status_code in (400, 422)
    page = page_of(response)
    assert "already exists" in page.field_errors["campaign_name"]
    assert "DIS_US_MULTI_2026_MoanaLaunch" in page.field_errors["campaign_name"]
    assert page.inputs["campaign_name"] == typed
    assert page.inputs["budget"] == "99"
    assert page.inputs["year"] == "2026"
    assert page.selected("brand_id") == str(dis.id)
    assert page.selected("market_id") == str(us.id)
    assert "Already taken by" in response.text
    assert campaign_count(db) == 1


@pytest.mark.parametrize(
    ("fields", "field_name", "says"),
    [
        ({"brand_id": ""}, "brand_id", "brand"),
        ({"market_id": str(uuid.uuid4())}, "market_id", "does not exist"),
        ({"year": "20x6"}, "year", "four digits"),
        ({"campaign_name": "!!!"}, "campaign_name", "at least one letter"),
        ({"budget": "-3"}, "budget", "cannot be negative"),
        ({"status": "COMPLETED"}, "status", "DRAFT or ACTIVE"),
    ],
)
def test_bad_input_re_renders_the_form_with_the_message_next_to_the_field(
    db, client, trafficker, dis, us, fields, field_name, says
):
    form = new_form(dis, us, **fields)

    response = client.post("/campaigns/new", data=form)

    assert response.status_code == 422
    page = page_of(response)
    assert says.lower() in page.field_errors[field_name].lower()
    assert page.inputs["campaign_name"] == form["campaign_name"]
    assert page.inputs["budget"] == form["budget"]
    assert campaign_count(db) == 0


def test_the_new_form_needs_a_csrf_token(db, client, trafficker, csrf_on, dis, us):
    response = client.post("/campaigns/new", data=new_form(dis, us))

    assert response.status_code == 400
    assert campaign_count(db) == 0


# --- live preview --------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_preview_fragment_shows_an_available_name(db, client, trafficker, dis, us, headers):
    response = preview(client, dis, us, "Moana Launch!", **headers)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert previewed(response) == ("DIS_US_MULTI_2026_MoanaLaunch", "MoanaLaunch")
    assert "Name is available" in text_of(response)
    assert campaign_count(db) == 0


def test_preview_fragment_links_to_the_campaign_that_took_the_name(db, client, trafficker, create):
    existing = create(campaign_name="Moana Launch")

    response = preview(client, existing.brand, existing.market, "moana launch")

    assert response.status_code == 200
    assert "<html" not in response.text
    assert previewed(response) == ("DIS_US_MULTI_2026_moanalaunch", "moanalaunch")
    assert "Already taken by" in text_of(response)
    assert (f"/campaigns/{existing.id}", "DIS_US_MULTI_2026_MoanaLaunch") in page_of(response).links
    assert campaign_count(db) == 1


@pytest.mark.parametrize(
    ("year", "campaign_name", "says"),
    [("20x6", "Moana", "four digits"), ("2026", "?!", "at least one letter")],
)
def test_preview_fragment_says_why_a_name_is_invalid(
    db, client, trafficker, dis, us, year, campaign_name, says
):
    response = preview(client, dis, us, campaign_name, year=year)

    assert response.status_code == 200
    assert "<html" not in response.text
    text = text_of(response)
    assert "Invalid:" in text
    assert says in text
    assert campaign_count(db) == 0


def test_preview_fragment_asks_for_brand_and_market(client, trafficker, dis):
    response = preview(client, dis, None, "Moana")

    assert response.status_code == 200
    assert "Choose a brand and a market" in text_of(response)


@pytest.mark.parametrize(
    "query",
    [
        "brand_id=garbage&market_id=garbage",
        "brand_id=%01&market_id=x&year=%ff",
        "year=99999999999999999999",
        "",
    ],
)
def test_preview_never_errors_on_garbage(client, trafficker, query):
    response = client.get(f"/campaigns/preview?{query}")

    assert response.status_code == 200


# --- HTML: the list ------------------------------------------------------------------------------


def test_the_list_shows_every_campaign_with_brand_market_budget_and_status(
    client, trafficker, portfolio
):
    response = client.get("/campaigns/")

    assert response.status_code == 200
    rows = {row[0]: row for row in page_of(response).rows}
    assert set(rows) == set(portfolio.values())
    moana = rows["DIS_US_MULTI_2026_MoanaLaunch"]
    assert moana[1:6] == ["Disney", "US", "2026", "$1,500.50", "Draft"]
    assert rows["DIS_JP_MULTI_2026_FrozenTeaser"][4:6] == ["¥200,000", "Active"]
    assert "5 campaigns" in text_of(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brand={pix}", ["cars", "toy"]),
        ("market={jp}", ["frozen", "toy"]),
        ("year=2027", ["cars"]),
        ("year=2025", ["up"]),
        ("status=ACTIVE", ["frozen", "toy"]),
        ("status=COMPLETED", ["up"]),
        ("brand={dis}&market={jp}&status=ACTIVE&year=2026", ["frozen"]),
        ("brand={pix}&status=DRAFT", []),
        ("q=moana", ["moana"]),
        ("q=LAUNCH", ["moana", "cars"]),
        ("q=_jp_", ["frozen", "toy"]),
        ("q=pix_us_multi_2027", ["cars"]),
        ("q=%20%20story%20", ["toy"]),
        ("q=%25", []),
        ("q=_", ["moana", "frozen", "cars", "toy", "up"]),
        ("q=teaser&market={jp}", ["frozen"]),
        ("q=nothing-like-this", []),
    ],
)
def test_filters_and_search_narrow_the_list(
    client, trafficker, portfolio, dis, pix, jp, query, expected
):
    query = query.format(dis=dis.id, pix=pix.id, jp=jp.id)

    names = list_names(client, query)

    assert sorted(names) == sorted(portfolio[key] for key in expected)


def test_the_filter_bar_keeps_the_chosen_filters(client, trafficker, portfolio, pix):
    response = client.get(f"/campaigns/?brand={pix.id}&year=2027&status=PAUSED&q=cars")

    page = page_of(response)
    assert page.selects == {"brand": str(pix.id), "year": "2027", "status": "PAUSED"}
    assert page.inputs["q"] == "cars"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # No exchange rates here: yen and dollars are not compared but grouped by currency.
        ("budget", ["toy", "frozen", "cars", "up", "moana"]),
        ("name", ["frozen", "up", "moana", "toy", "cars"]),
        ("year", ["up", "frozen", "moana", "toy", "cars"]),
    ],
)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_the_list_sorts_by_column_both_ways(
    client, trafficker, portfolio, sort, expected, direction
):
    names = list_names(client, f"sort={sort}&dir={direction}")

    expected = [portfolio[key] for key in expected]
    if sort == "year":
        # Campaigns of the same year come in name order; compare the years only.
        years = [int(name.split("_")[-2]) for name in names]
        assert years == sorted(years, reverse=direction == "desc")
        assert sorted(names) == sorted(expected)
    else:
        assert names == (expected if direction == "asc" else expected[::-1])


def test_budget_sort_compares_amounts_not_text(db, client, trafficker, create):
    for budget in ["9", "10", "100.5", "1000", "20"]:
        create(campaign_name=f"Budget {budget.replace('.', 'p')}", budget=budget)

    rows = page_of(client.get("/campaigns/?sort=budget&dir=asc")).rows

    assert [row[4] for row in rows] == ["$9.00", "$10.00", "$20.00", "$100.50", "$1,000.00"]


def test_pagination_shows_the_rest_on_page_two(db, client, trafficker, dis, us):
    bulk_campaigns(db, dis, us, 60)

    first = page_of(client.get("/campaigns/?sort=name&dir=asc"))
    second_response = client.get("/campaigns/?sort=name&dir=asc&page=2")
    second = page_of(second_response)

    assert len(first.names) == 50
    assert len(second.names) == 10
    assert set(first.names).isdisjoint(second.names)
    assert sorted(first.names + second.names) == first.names + second.names
    assert len(set(first.names + second.names)) == 60
    assert "Page 2 of 2" in text_of(second_response)
    # The pager keeps sort order in its links.
    assert any("page=1" in href and "sort=name" in href for href, _ in second.links)


def test_a_page_past_the_end_shows_no_rows_without_error(db, client, trafficker, dis, us):
    bulk_campaigns(db, dis, us, 3)

    response = client.get("/campaigns/?page=99")

    assert response.status_code == 200
    assert page_of(response).rows == []


def test_htmx_gets_only_the_table_fragment(client, trafficker, portfolio):
    full = client.get("/campaigns/?status=ACTIVE")
    fragment = client.get("/campaigns/?status=ACTIVE", headers={"HX-Request": "true"})

    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "<table" in fragment.text
    assert 'name="q"' not in fragment.text  # the filter bar is only on the full page
    assert sorted(page_of(fragment).names) == sorted(page_of(full).names)
    assert "HX-Request" in fragment.headers["Vary"]
    assert "<html" in full.text
    assert "HX-Request" in full.headers["Vary"]


@pytest.mark.parametrize(
    "query",
    [
        "brand=garbage",
        "market=garbage",
        "year=abc",
        "year=-1",
        "year=99999999999999999999999",
        "year=%C2%B2",
        "status=nope",
        "status=active",
        "page=-1",
        "page=abc",
        "page=0",
        "page=99999999999999999999",
        "page=%C2%B2",
        "sort=evil&dir=sideways",
        "q=" + "x" * 5000,
        "q=%27%3B%20DROP%20TABLE%20campaigns%3B--",
        "brand=&market=&year=&status=&page=&sort=&dir=&q=",
    ],
)
def test_invalid_filter_values_do_not_error(client, trafficker, portfolio, query):
    response = client.get(f"/campaigns/?{query}")

    assert response.status_code == 200
    if not query.startswith("q="):
        assert sorted(page_of(response).names) == sorted(portfolio.values())


def test_the_list_shows_ticket_counts_by_status(
    db, client, trafficker, create, make_ticket, make_channel
):
    busy, idle = create(campaign_name="Busy"), create(campaign_name="Idle")
    channel = make_channel()
    for _ in range(2):
        make_ticket(campaign=busy, channel=channel)
    make_ticket(campaign=busy, channel=channel).status = TicketStatus.QA_FAILED
    make_ticket(campaign=busy, channel=channel).status = TicketStatus.TRAFFICKED_SUCCESS
    db.session.commit()

    rows = {row[0]: row for row in page_of(client.get("/campaigns/")).rows}

    assert rows[busy.name][6] == "2 draft 1 qa failed 1 trafficked success"
    assert rows[idle.name][6] == "none"


def test_the_list_needs_a_login(client, portfolio):
    response = client.get("/campaigns/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# --- fixed number of queries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=ACTIVE&brand={brand}",
        "q=launch0",
        "sort=budget&dir=desc",
        "market={market}&year=2026&q=MULTI",
    ],
    ids=["first-page", "filtered", "search", "sorted", "market-year-search"],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_the_list_runs_the_same_number_of_queries_for_10_and_500_campaigns(
    db, client, trafficker, count_queries, make_channel, dis, pix, us, query, htmx
):
    channel = make_channel()
    url = "/campaigns/?" + query.format(brand=dis.id, market=us.id)
    headers = {"HX-Request": "true"} if htmx else {}

    def measure():
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(url, headers=headers)
        assert response.status_code == 200
        return len(statements), page_of(response).rows

    bulk_seed(db, [dis, pix], us, channel, 10, start=0)
    few, few_rows = measure()
    bulk_seed(db, [dis, pix], us, channel, 490, start=10)
    many, many_rows = measure()

    assert 0 < len(few_rows) < len(many_rows) <= 50
    assert all(row[6] != "none" for row in many_rows), "every campaign has tickets"
    assert few == many, f"{few} queries for 10 campaigns but {many} for 500"
