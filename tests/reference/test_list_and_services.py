"""Reference data (markets, brands, channels): the HTML views an admin uses, and the services:
list: search, sort, pages; htmx; query count; services.
"""

import pytest

from omnitraffick.models import Market
from omnitraffick.services import reference
from omnitraffick.services.errors import Conflict, Duplicate, NotFound, ValidationError
from tests.reference.helpers import (
    BRANDS,
    CHANNELS,
    CREATE,
    KINDS,
    MARKETS,
    SAMPLE_ROWS,
    _each_sort,
    fresh,
    kind_id,
    listed_codes,
    page_of,
)
from tests.support import UNKNOWN_ID

# --- list: search, sort, pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,q,expected",
    [
        (MARKETS, "jp", ["JP"]),  # code
        (MARKETS, "united", ["GB", "US"]),  # country
        (MARKETS, "emea", ["GB"]),  # region, ignoring case
        (MARKETS, "  Japan  ", ["JP"]),  # spaces around the search are ignored
        (BRANDS, "studios", ["MRV"]),  # name
        (BRANDS, "zabc", ["ZABC"]),  # code
        (BRANDS, "pix", ["PIX"]),  # both
        (CHANNELS, "ads", ["GOOGLE"]),  # platform
        (CHANNELS, "tik", ["TIKTOK"]),  # platform and code
        (CHANNELS, "zamaz", ["ZAMAZON"]),  # code
    ],
    ids=kind_id,
)
def test_search_filters_rows(client, admin, make_sample_rows, kind, q, expected):
    make_sample_rows(kind)
    response = client.get(kind.url, query_string={"q": q, "sort": kind.code_field})
    assert response.status_code == 200
    assert listed_codes(response, kind) == expected
    assert page_of(response).inputs["q"] == q.strip()


@pytest.mark.parametrize("kind", KINDS)
def test_search_without_matches_says_so(client, admin, make_sample_rows, kind):
    make_sample_rows(kind)
    response = client.get(kind.url, query_string={"q": "zzzz"})
    assert response.status_code == 200
    assert listed_codes(response, kind) == []
    assert "match “zzzz”" in response.text


def test_search_ignores_case_beyond_ascii(client, admin, make_brand):
    make_brand(name="Éclair Bakery", internal_code="ECL")
    make_brand(name="Eclipse", internal_code="ECP")
    response = client.get("/brands/", query_string={"q": "éclair"})
    assert listed_codes(response, BRANDS) == ["ECL"]


def test_search_treats_underscore_literally(client, admin, make_market):
    make_market(code="DE_AT", country="AT")
    make_market(code="DEXAT", country="DE")
    response = client.get("/markets/", query_string={"q": "E_A"})
    assert listed_codes(response, MARKETS) == ["DE_AT"]


def test_search_treats_percent_literally(client, admin, make_brand):
    make_brand(name="50% Off Stores", internal_code="HALF")
    make_brand(name="Fifty Stores", internal_code="FIFTY")
    response = client.get("/brands/", query_string={"q": "%"})
    assert listed_codes(response, BRANDS) == ["HALF"]
    response = client.get("/brands/", query_string={"q": "0%"})
    assert listed_codes(response, BRANDS) == ["HALF"]


def test_search_treats_backslash_literally(client, admin, make_brand):
    make_brand(name="Back\\slash", internal_code="BACK")
    make_brand(name="Slash", internal_code="SLASH")
    response = client.get("/brands/", query_string={"q": "\\"})
    assert listed_codes(response, BRANDS) == ["BACK"]


@pytest.mark.parametrize("kind,key,direction", list(_each_sort(KINDS)))
def test_sort_by_each_column(client, admin, make_sample_rows, kind, key, direction):
    make_sample_rows(kind)
    response = client.get(kind.url, query_string={"sort": key, "dir": direction})

    assert response.status_code == 200
    rows = sorted(
        SAMPLE_ROWS[kind], key=lambda r: r[kind.columns[key]], reverse=direction == "desc"
    )
    assert listed_codes(response, kind) == [r[kind.code_field] for r in rows]
    arrow = "descending" if direction == "desc" else "ascending"
    assert f'aria-sort="{arrow}"' in response.text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "query",
    [{}, {"sort": "nonsense"}, {"sort": "id; drop table markets"}, {"dir": "sideways"}],
    ids=["default", "unknown", "injection", "bad-direction"],
)
def test_default_sort_and_invalid_sort_fall_back(client, admin, make_sample_rows, kind, query):
    make_sample_rows(kind)
    response = client.get(kind.url, query_string=query)

    assert response.status_code == 200
    column = kind.columns[kind.default_sort]
    rows = sorted(SAMPLE_ROWS[kind], key=lambda r: r[column])
    assert listed_codes(response, kind) == [r[kind.code_field] for r in rows]


@pytest.mark.parametrize("kind", KINDS)
def test_search_and_sort_combine(client, admin, make_sample_rows, kind):
    make_sample_rows(kind)
    every = client.get(kind.url, query_string={"sort": kind.code_field, "dir": "desc"})
    codes = listed_codes(every, kind)
    # Searching for the letter most codes share keeps the chosen order.
    response = client.get(kind.url, query_string={"q": "a", "sort": kind.code_field, "dir": "desc"})
    filtered = listed_codes(response, kind)
    assert filtered and filtered == [code for code in codes if code in filtered]


def test_list_pages_through_many_rows(client, admin, sixty_markets):
    first = client.get("/markets/")
    assert listed_codes(first, MARKETS) == [f"M{i:02d}" for i in range(50)]
    assert "Page 1 of 2" in first.text
    assert "60 markets" in first.text

    second = client.get("/markets/", query_string={"page": "2"})
    assert listed_codes(second, MARKETS) == [f"M{i:02d}" for i in range(50, 60)]
    assert "Page 2 of 2" in second.text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "", "99999999999"])
def test_a_bad_page_number_shows_the_first_page(client, admin, sixty_markets, page):
    response = client.get("/markets/", query_string={"page": page})
    assert response.status_code == 200
    assert listed_codes(response, MARKETS)[0] == "M00"
    assert "Page 1 of 2" in response.text


def test_a_page_past_the_end_is_empty_not_an_error(client, admin, sixty_markets):
    response = client.get("/markets/", query_string={"page": "7"})
    assert response.status_code == 200
    assert listed_codes(response, MARKETS) == []


# --- htmx ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_htmx_gets_only_the_table(client, admin, make_sample_rows, kind):
    make_sample_rows(kind)
    response = client.get(kind.url, query_string={"q": "a"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<table" in response.text
    assert "HX-Request" in response.headers["Vary"]
    assert listed_codes(response, kind) == listed_codes(
        client.get(kind.url, query_string={"q": "a"}), kind
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "headers",
    [{}, {"HX-Request": "true", "HX-Boosted": "true"}, {"HX-Request": "false"}],
    ids=["plain", "boosted", "not-htmx"],
)
def test_full_page_otherwise(client, admin, kind, headers):
    response = client.get(kind.url, headers=headers)
    assert response.status_code == 200
    assert "<html" in response.text
    assert "HX-Request" in response.headers["Vary"]


# --- query count ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_list_runs_a_fixed_number_of_queries(client, admin, db, make_row, count_queries, kind):
    def count_list_queries(expected_rows: int) -> list[str]:
        # The test shares the request's session: end its transaction so that each request
        # starts as a real one does, loading the signed-in user afresh.
        db.session.commit()
        with count_queries() as statements:
            assert len(listed_codes(client.get(kind.url), kind)) == expected_rows
        return statements

    for _ in range(3):
        make_row(kind)
    few = count_list_queries(3)
    for _ in range(57):
        make_row(kind)
    many = count_list_queries(50)

    assert len(few) == len(many), many
    assert len(many) <= 5, many


# --- services ------------------------------------------------------------------------------------


def test_create_market_normalizes_its_values(db):
    market = reference.create_market(
        code=" us ", country="  United States ", region=" NA ", currency=" usd "
    )
    db.session.commit()
    assert (market.code, market.country, market.region, market.currency) == (
        "US",
        "US",
        "NA",
        "USD",
    )


@pytest.mark.parametrize(
    "create,values,field_name",
    [
        (reference.create_market, {**MARKETS.form, "code": "A-B"}, "code"),
        (reference.create_market, {**MARKETS.form, "currency": "DEM"}, "currency"),
        (reference.create_market, {**MARKETS.form, "country": None}, "country"),
        (reference.create_brand, {**BRANDS.form, "internal_code": "ü"}, "internal_code"),
        (reference.create_brand, {**BRANDS.form, "name": ""}, "name"),
        (reference.create_channel, {**CHANNELS.form, "api_identifier": "MULTI"}, "api_identifier"),
        (reference.create_channel, {**CHANNELS.form, "platform_name": " "}, "platform_name"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_service_validation_names_the_field(db, create, values, field_name):
    with pytest.raises(ValidationError) as raised:
        create(**values)
    assert raised.value.field == field_name
    assert raised.value.errors == {field_name: [raised.value.message]}


@pytest.mark.parametrize("kind", KINDS)
def test_service_refuses_a_duplicate_code(db, make_row, kind):
    make_row(kind, "DUP")
    with pytest.raises(Duplicate) as raised:
        CREATE[kind](**{**kind.form, kind.code_field: "dup"})
    assert raised.value.field == kind.code_field
    assert kind.count(db) == 1


@pytest.mark.parametrize(
    "existing,typed",
    [
        ("Disney", "DISNEY"),
        ("DISNEY", "disney"),
        ("Nestlé", "NESTLÉ"),
        ("NESTLÉ", "Nestlé"),
        ("Éclair", "éclair"),
        ("MÜLLER", "müller"),
    ],
)
def test_brand_names_differing_only_in_case_are_duplicates(db, make_brand, existing, typed):
    make_brand(name=existing, internal_code="FIRST")
    with pytest.raises(Duplicate) as raised:
        reference.create_brand(name=typed, internal_code="SECOND")
    assert raised.value.field == "name"
    db.session.rollback()
    assert BRANDS.count(db) == 1


def test_service_update_refuses_a_code_in_use(db, make_market, use_row):
    market = make_market(code="US")
    use_row(MARKETS, market, 3)
    with pytest.raises(Conflict) as raised:
        reference.update_market(
            market, code="USA", country="United States", region="NA", currency="USD"
        )
    assert raised.value.field == "code"
    assert "3 campaigns" in raised.value.message
    db.session.rollback()
    assert fresh(db, market).code == "US"


def test_service_update_refuses_a_currency_change_in_use(db, make_market, use_row):
    market = make_market(code="US", currency="USD")
    use_row(MARKETS, market, 1)
    with pytest.raises(Conflict) as raised:
        reference.update_market(market, code="US", country="US", region="Y", currency="EUR")
    assert raised.value.field == "currency"
    assert "1 campaign " in raised.value.message
    db.session.rollback()
    assert fresh(db, market).currency == "USD"


@pytest.mark.parametrize(
    "kind,delete",
    [
        (MARKETS, reference.delete_market),
        (BRANDS, reference.delete_brand),
        (CHANNELS, reference.delete_channel),
    ],
    ids=kind_id,
)
def test_service_delete_refuses_a_row_in_use(db, make_row, use_row, kind, delete):
    row = make_row(kind, "USED")
    use_row(kind, row, 2)
    with pytest.raises(Conflict) as raised:
        delete(row)
    assert f"used by 2 {kind.used_by}s" in raised.value.message
    db.session.rollback()
    assert fresh(db, row) is not None


@pytest.mark.parametrize("bad_id", ["nope", "", "123", str(UNKNOWN_ID)])
def test_get_or_404_raises_not_found(db, bad_id):
    with pytest.raises(NotFound):
        reference.get_or_404(Market, bad_id)


def test_get_or_404_accepts_a_uuid_or_its_text(db, make_market):
    market = make_market()
    assert reference.get_or_404(Market, market.id) is market
    assert reference.get_or_404(Market, str(market.id)) is market
