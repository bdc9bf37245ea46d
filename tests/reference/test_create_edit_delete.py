"""Reference data (markets, brands, channels): the HTML views an admin uses, and the services:
create; edit; delete; unknown rows.
"""

import pytest
from sqlalchemy import func, select

from omnitraffick.models import Campaign, Market, Ticket
from tests.conftest import PASSWORD
from tests.reference.helpers import (
    BRANDS,
    CHANNELS,
    KINDS,
    MARKETS,
    _each_field,
    edit_form,
    fresh,
    kind_id,
    listed_codes,
    only_flash,
    page_of,
)
from tests.support import UNKNOWN_ID

# --- create --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_create_uppercases_and_trims_the_code_and_lists_the_row(client, admin, db, kind):
    response = client.post(f"{kind.url}new", data=kind.form)
    assert response.status_code == 302
    assert response.headers["Location"] == kind.url

    listing = client.get(kind.url)
    code = kind.form[kind.code_field].strip().upper()
    category, message = only_flash(listing)
    assert category == "success" and "created" in message
    assert listed_codes(listing, kind) == [code]
    assert kind.codes(db) == [code]


def test_create_market_flash_names_the_market(client, admin):
    client.post("/markets/new", data=MARKETS.form)
    assert page_of(client.get("/markets/")).flashes == [("success", "Market US created.")]


def test_new_form_is_empty_and_shows_hints(client, admin):
    response = client.get("/markets/new")
    assert response.status_code == 200
    page = page_of(response)
    assert page.inputs["code"] == ""
    assert page.field_errors == {}
    assert "e.g. US, UK, DE_AT" in response.text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "bad_code,culprit",
    [("U S", "' '"), ("ü", "'ü'"), ("A-B", "'-'"), ("straße", "'ß'"), ("DIS!", "'!'")],
)
def test_bad_code_is_refused_next_to_the_field(client, admin, db, kind, bad_code, culprit):
    form = {**kind.form, kind.code_field: bad_code}
    response = client.post(f"{kind.url}new", data=form)

    assert response.status_code == 422
    page = page_of(response)
    assert page.field_errors == {
        kind.code_field: f"{kind.code_label} may only use letters A-Z, digits and underscores;"
        f" remove {culprit}."
    }
    assert 'class="field-error"' in response.text
    # What the user typed stays in the form, so they can fix it.
    for name, value in form.items():
        assert page.inputs[name] == value
    assert kind.count(db) == 0


@pytest.mark.parametrize(
    "bad_code,message",
    [
        ("_US", "cannot start or end with an underscore or hold two in a row"),
        ("US_", "cannot start or end with an underscore or hold two in a row"),
        ("U__S", "cannot start or end with an underscore or hold two in a row"),
        ("A" * 17, "must be at most 16 characters (got 17)"),
    ],
)
def test_other_bad_market_codes_are_explained(client, admin, db, bad_code, message):
    response = client.post("/markets/new", data={**MARKETS.form, "code": bad_code})
    assert response.status_code == 422
    assert message in page_of(response).field_errors["code"]
    assert MARKETS.count(db) == 0


def test_codes_with_digits_and_inner_underscores_are_fine(client, admin, db):
    response = client.post("/markets/new", data={**MARKETS.form, "code": "de_at2"})
    assert response.status_code == 302
    assert MARKETS.codes(db) == ["DE_AT2"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("typed", ["US", "us", " Us "])
def test_duplicate_code_is_refused_on_the_code_field(client, admin, db, make_row, kind, typed):
    make_row(kind, "US")
    response = client.post(f"{kind.url}new", data={**kind.form, kind.code_field: typed})

    assert response.status_code == 422
    error = page_of(response).field_errors[kind.code_field]
    assert "US already exists" in error
    assert kind.codes(db) == ["US"]


@pytest.mark.parametrize("typed", ["Disney", "disney", "  DISNEY "])
def test_duplicate_brand_name_is_refused_on_the_name_field(client, admin, db, make_brand, typed):
    make_brand(name="Disney", internal_code="DIS")
    response = client.post("/brands/new", data={"name": typed, "internal_code": "DIS2"})

    assert response.status_code == 422
    page = page_of(response)
    assert "already exists" in page.field_errors["name"]
    assert page.inputs["name"] == typed
    assert BRANDS.count(db) == 1


def test_duplicate_brand_internal_code_is_refused(client, admin, db, make_brand):
    make_brand(name="Disney", internal_code="DIS")
    response = client.post("/brands/new", data={"name": "Disney Plus", "internal_code": "dis"})

    assert response.status_code == 422
    assert page_of(response).field_errors == {"internal_code": "Brand code DIS already exists."}
    assert BRANDS.count(db) == 1


@pytest.mark.parametrize("typed,saved", [("usd", "USD"), (" eur ", "EUR"), ("JPY", "JPY")])
def test_currency_is_uppercased(client, admin, db, typed, saved):
    response = client.post("/markets/new", data={**MARKETS.form, "currency": typed})
    assert response.status_code == 302
    assert db.session.scalar(select(Market.currency)) == saved


@pytest.mark.parametrize("typed", ["XYZ", "DEM", "US", "xau", "DOLLARS", "€"])
def test_currency_must_be_an_iso_4217_code_in_use(client, admin, db, typed):
    response = client.post("/markets/new", data={**MARKETS.form, "currency": typed})

    assert response.status_code == 422
    page = page_of(response)
    code = typed.upper()
    assert page.field_errors == {
        "currency": f"'{code}' is not an ISO 4217 currency in use (e.g. USD, EUR, GBP, JPY)."
    }
    assert page.inputs["currency"] == typed
    assert MARKETS.count(db) == 0


@pytest.mark.parametrize("kind,name", list(_each_field(KINDS)))
def test_empty_field_is_required(client, admin, db, kind, name):
    response = client.post(f"{kind.url}new", data={**kind.form, name: ""})

    assert response.status_code == 422
    page = page_of(response)
    assert page.field_errors == {name: "This field is required."}
    assert kind.count(db) == 0


@pytest.mark.parametrize(
    "kind,name,message",
    [
        (MARKETS, "code", "Market code is required."),
        (
            MARKETS,
            "country",
            "Country is required (a two-letter ISO 3166-1 code such as US, DE or JP).",
        ),
        (MARKETS, "region", "Region is required."),
        (MARKETS, "currency", "Currency is required (an ISO 4217 code such as USD)."),
        (BRANDS, "name", "Name is required."),
        (BRANDS, "internal_code", "Internal code is required."),
        (CHANNELS, "platform_name", "Platform name is required."),
        (CHANNELS, "api_identifier", "API identifier is required."),
    ],
    ids=kind_id,
)
def test_field_of_only_spaces_is_required(client, admin, db, kind, name, message):
    response = client.post(f"{kind.url}new", data={**kind.form, name: "   "})

    assert response.status_code == 422
    assert page_of(response).field_errors == {name: message}
    assert kind.count(db) == 0


def test_all_fields_empty_shows_every_error(client, admin, db):
    response = client.post("/markets/new", data={})
    assert response.status_code == 422
    errors = page_of(response).field_errors
    assert errors == dict.fromkeys(MARKETS.form, "This field is required.")


@pytest.mark.parametrize(
    "kind,name,limit",
    [(MARKETS, "region", 100), (BRANDS, "name", 120)],
    ids=kind_id,
)
def test_too_long_text_is_refused(client, admin, db, kind, name, limit):
    response = client.post(f"{kind.url}new", data={**kind.form, name: "x" * (limit + 1)})
    assert response.status_code == 422
    assert f"at most {limit} characters" in page_of(response).field_errors[name]
    assert kind.count(db) == 0


@pytest.mark.parametrize("typed", ["MULTI", "multi", " Multi "])
def test_channel_code_multi_is_reserved(client, admin, db, typed):
    response = client.post("/channels/new", data={"platform_name": "All", "api_identifier": typed})

    assert response.status_code == 422
    assert page_of(response).field_errors == {
        "api_identifier": "MULTI is reserved for multi-channel campaign names."
    }
    assert CHANNELS.count(db) == 0


# --- edit ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_edit_form_shows_the_current_values(client, admin, make_row, kind):
    row = make_row(kind, "OLD")
    response = client.get(f"{kind.url}{row.id}/edit")
    assert response.status_code == 200
    page = page_of(response)
    for name in kind.form:
        assert page.inputs[name] == getattr(row, name)


@pytest.mark.parametrize(
    "kind,changes,expected",
    [
        (
            MARKETS,
            {"code": " de_at ", "country": "Austria", "region": "EMEA", "currency": "eur"},
            {"code": "DE_AT", "country": "AT", "region": "EMEA", "currency": "EUR"},
        ),
        (
            BRANDS,
            {"name": "  Pixar ", "internal_code": "pix"},
            {"name": "Pixar", "internal_code": "PIX"},
        ),
        (
            CHANNELS,
            {"platform_name": "TikTok", "api_identifier": "tiktok"},
            {"platform_name": "TikTok", "api_identifier": "TIKTOK"},
        ),
    ],
    ids=kind_id,
)
def test_edit_saves_every_field(client, admin, db, make_row, kind, changes, expected):
    row = make_row(kind, "OLD")
    response = client.post(f"{kind.url}{row.id}/edit", data=changes)

    assert response.status_code == 302
    assert response.headers["Location"] == kind.url
    saved = fresh(db, row)
    assert {name: getattr(saved, name) for name in expected} == expected
    category, message = only_flash(client.get(kind.url))
    assert category == "success" and "saved" in message


@pytest.mark.parametrize("kind", KINDS)
def test_edit_to_another_rows_code_is_refused(client, admin, db, make_row, kind):
    make_row(kind, "TAKEN")
    row = make_row(kind, "MINE")
    response = client.post(
        f"{kind.url}{row.id}/edit", data=edit_form(kind, row, **{kind.code_field: "taken"})
    )

    assert response.status_code == 422
    page = page_of(response)
    assert "TAKEN already exists" in page.field_errors[kind.code_field]
    assert page.inputs[kind.code_field] == "taken"
    assert getattr(fresh(db, row), kind.code_field) == "MINE"


def test_edit_brand_to_another_brands_name_is_refused(client, admin, db, make_brand):
    make_brand(name="Pixar", internal_code="PIX")
    brand = make_brand(name="Disney", internal_code="DIS")
    response = client.post(
        f"/brands/{brand.id}/edit", data={"name": "PIXAR", "internal_code": "DIS"}
    )
    assert response.status_code == 422
    assert "already exists" in page_of(response).field_errors["name"]
    assert fresh(db, brand).name == "Disney"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("uses", [1, 2])
def test_edit_of_a_code_in_use_is_refused(client, admin, db, make_row, use_row, kind, uses):
    row = make_row(kind, "OLD")
    use_row(kind, row, uses)
    before = {name: getattr(row, name) for name in kind.form}
    form = {name: "Changed" for name in kind.form} | {kind.code_field: "NEW"}
    if kind is MARKETS:
        form["currency"] = row.currency

    response = client.post(f"{kind.url}{row.id}/edit", data=form)

    assert response.status_code in (409, 422)
    page = page_of(response)
    noun = kind.used_by + ("s" if uses > 1 else "")
    assert page.field_errors[kind.code_field] == (
        f"{kind.code_label} OLD is part of the names of {uses} {noun} and cannot change."
    )
    assert page.inputs[kind.code_field] == "NEW"
    saved = fresh(db, row)
    assert {name: getattr(saved, name) for name in kind.form} == before


@pytest.mark.parametrize(
    "kind,changes",
    [
        (MARKETS, {"code": "old", "country": "AT", "region": "DACH"}),
        (BRANDS, {"name": "Renamed Brand", "internal_code": " old "}),
        (CHANNELS, {"platform_name": "Renamed Platform"}),
    ],
    ids=kind_id,
)
def test_other_fields_of_a_row_in_use_can_change(
    client, admin, db, make_row, use_row, kind, changes
):
    row = make_row(kind, "OLD")
    use_row(kind, row, 2)
    response = client.post(f"{kind.url}{row.id}/edit", data=edit_form(kind, row, **changes))

    assert response.status_code == 302
    saved = fresh(db, row)
    assert getattr(saved, kind.code_field) == "OLD"
    for name, value in changes.items():
        if name != kind.code_field:
            assert getattr(saved, name) == value


def test_currency_of_a_market_with_campaigns_cannot_change(
    client, admin, db, make_market, make_campaign
):
    market = make_market(code="US", currency="USD")
    make_campaign(market=market, campaign_name="One")
    make_campaign(market=market, campaign_name="Two")

    response = client.post(
        f"/markets/{market.id}/edit", data=edit_form(MARKETS, market, currency="EUR")
    )

    assert response.status_code in (409, 422)
    page = page_of(response)
    assert "Currency cannot change" in page.field_errors["currency"]
    assert "2 campaigns" in page.field_errors["currency"]
    assert "USD" in page.field_errors["currency"]
    assert page.inputs["currency"] == "EUR"
    assert fresh(db, market).currency == "USD"


def test_currency_of_an_unused_market_can_change(client, admin, db, make_market):
    market = make_market(code="US", currency="USD")
    response = client.post(
        f"/markets/{market.id}/edit", data=edit_form(MARKETS, market, currency="cad")
    )
    assert response.status_code == 302
    assert fresh(db, market).currency == "CAD"


def test_channel_cannot_be_renamed_to_multi(client, admin, db, make_channel):
    channel = make_channel(api_identifier="META")
    response = client.post(
        f"/channels/{channel.id}/edit",
        data={"platform_name": "Meta", "api_identifier": "multi"},
    )
    assert response.status_code == 422
    assert "reserved" in page_of(response).field_errors["api_identifier"]
    assert fresh(db, channel).api_identifier == "META"


# --- delete --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_delete_of_an_unused_row(client, admin, db, make_row, kind):
    keep = make_row(kind, "KEEP")
    row = make_row(kind, "GONE")
    response = client.post(f"{kind.url}{row.id}/delete")

    assert response.status_code == 302
    assert response.headers["Location"] == kind.url
    assert fresh(db, row) is None
    assert kind.codes(db) == [getattr(keep, kind.code_field)]
    listing = client.get(kind.url)
    assert listed_codes(listing, kind) == ["KEEP"]
    category, message = only_flash(listing)
    assert category == "success" and "deleted" in message


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("uses", [1, 2])
def test_delete_of_a_row_in_use_is_refused(client, admin, db, make_row, use_row, kind, uses):
    row = make_row(kind, "USED")
    use_row(kind, row, uses)
    using = Campaign if kind.used_by == "campaign" else Ticket

    response = client.post(f"{kind.url}{row.id}/delete")

    assert response.status_code == 409
    noun = kind.used_by + ("s" if uses > 1 else "")
    category, message = only_flash(response)
    assert category == "error"
    assert f"is used by {uses} {noun}; nothing was deleted." in message
    assert fresh(db, row) is not None
    assert db.session.scalar(select(func.count()).select_from(using)) == uses
    assert "USED" in listed_codes(client.get(kind.url), kind)


def test_refused_delete_names_the_market(client, admin, make_market, use_row):
    market = make_market(code="US")
    use_row(MARKETS, market, 2)
    response = client.post(f"/markets/{market.id}/delete")
    assert page_of(response).flashes == [
        ("error", "Market US is used by 2 campaigns; nothing was deleted.")
    ]


def test_refused_delete_keeps_showing_the_row(client, make_user, make_market, use_row, csrf_on):
    """As in production, the delete form posts its CSRF token; the page still shows the row."""
    user = make_user()
    token = page_of(client.get("/login")).inputs["csrf_token"]
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    market = make_market(code="US", country="US", region="NA", currency="USD")
    use_row(MARKETS, market, 1)

    edit_page = page_of(client.get(f"/markets/{market.id}/edit"))
    response = client.post(
        f"/markets/{market.id}/delete", data={"csrf_token": edit_page.inputs["csrf_token"]}
    )

    assert response.status_code == 409
    page = page_of(response)
    assert {name: page.inputs[name] for name in MARKETS.form} == {
        "code": "US",
        "country": "US",
        "region": "NA",
        "currency": "USD",
    }
    assert page.field_errors == {}


# --- unknown rows --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method,action", [("get", "edit"), ("post", "edit"), ("post", "delete")])
@pytest.mark.parametrize("row_id", [str(UNKNOWN_ID), "not-a-uuid", "123", "0"])
def test_unknown_or_malformed_id_is_404(client, admin, db, make_row, kind, method, action, row_id):
    make_row(kind, "REAL")
    data = {**kind.form, kind.code_field: "CHANGED"} if method == "post" else None
    response = getattr(client, method)(f"{kind.url}{row_id}/{action}", data=data)
    assert response.status_code == 404
    assert kind.codes(db) == ["REAL"]
