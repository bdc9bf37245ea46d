"""Reference data (markets, brands, channels): the HTML views an admin uses, and the services.

Pages are read with a small HTML parser so the tests look at what a user sees: the value in
each input, the error under each field, the flash messages and the rows of the list.
"""

from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, inspect, select

from omnitraffick.models import Brand, Campaign, Channel, Market, Ticket
from omnitraffick.services import reference
from omnitraffick.services.errors import Conflict, Duplicate, NotFound, ValidationError
from tests.conftest import PASSWORD
from tests.html import Node, parse
from tests.support import UNKNOWN_ID

# --- reading pages -------------------------------------------------------------------------------


def page_of(response) -> Node:
    return parse(response)


# --- the three kinds of reference data -----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of reference data and how its pages and forms look."""

    url: str  # the list page
    model: type
    code_field: str  # the form field holding the code used in generated names
    code_label: str  # how error messages name that code
    code_column: int  # where the code shows in a list row
    form: dict  # a valid form, its code in lower case with spaces around it
    used_by: str  # what references a row: "campaign" or "ticket"
    default_sort: str
    columns: dict = field(default_factory=dict)  # sort key -> model attribute

    def count(self, db) -> int:
        return db.session.scalar(select(func.count()).select_from(self.model))

    def codes(self, db) -> list[str]:
        return list(db.session.scalars(select(getattr(self.model, self.code_field))))

    def __str__(self) -> str:
        return self.url.strip("/")


MARKETS = Kind(
    url="/markets/",
    model=Market,
    code_field="code",
    code_label="Market code",
    code_column=0,
    form={"code": " us ", "country": "US", "region": "NA", "currency": "USD"},
    used_by="campaign",
    default_sort="code",
    columns={"code": "code", "country": "country", "region": "region", "currency": "currency"},
)
BRANDS = Kind(
    url="/brands/",
    model=Brand,
    code_field="internal_code",
    code_label="Internal code",
    code_column=1,
    form={"name": "Disney", "internal_code": " dis "},
    used_by="campaign",
    default_sort="name",
    columns={"name": "name", "internal_code": "internal_code"},
)
CHANNELS = Kind(
    url="/channels/",
    model=Channel,
    code_field="api_identifier",
    code_label="API identifier",
    code_column=1,
    form={"platform_name": "Meta", "api_identifier": " meta "},
    used_by="ticket",
    default_sort="platform_name",
    columns={"platform_name": "platform_name", "api_identifier": "api_identifier"},
)
KINDS = [pytest.param(kind, id=str(kind)) for kind in (MARKETS, BRANDS, CHANNELS)]

# Rows with a different order in every sortable column.
SAMPLE_ROWS = {
    MARKETS: [
        {"code": "US", "country": "US", "region": "NA", "currency": "USD"},
        {"code": "GB", "country": "GB", "region": "EMEA", "currency": "GBP"},
        {"code": "JP", "country": "JP", "region": "APAC", "currency": "JPY"},
        {"code": "BR", "country": "BR", "region": "LATAM", "currency": "BRL"},
        {"code": "AT", "country": "AT", "region": "DACH", "currency": "EUR"},
    ],
    BRANDS: [
        {"name": "Disney", "internal_code": "DIS"},
        {"name": "Pixar", "internal_code": "PIX"},
        {"name": "Marvel Studios", "internal_code": "MRV"},
        {"name": "ABC Network", "internal_code": "ZABC"},
    ],
    CHANNELS: [
        {"platform_name": "Meta", "api_identifier": "META"},
        {"platform_name": "TikTok", "api_identifier": "TIKTOK"},
        {"platform_name": "Google Ads", "api_identifier": "GOOGLE"},
        {"platform_name": "Amazon DSP", "api_identifier": "ZAMAZON"},
    ],
}

CREATE = {
    MARKETS: reference.create_market,
    BRANDS: reference.create_brand,
    CHANNELS: reference.create_channel,
}


@pytest.fixture
def admin(login):
    return login()


@pytest.fixture
def make_row(db, make_market, make_brand, make_channel):
    """Create a row of `kind`, with the given code or a generated one."""

    def make(kind, code=None, **values):
        if kind is MARKETS:
            return make_market(code=code, **values)
        if kind is BRANDS:
            return make_brand(internal_code=code, **values)
        return make_channel(api_identifier=code, **values)

    return make


@pytest.fixture
def make_sample_rows(db):
    def make(kind):
        for values in SAMPLE_ROWS[kind]:
            CREATE[kind](**values)
        db.session.commit()

    return make


@pytest.fixture
def use_row(make_campaign, make_ticket):
    """Make `times` campaigns (markets, brands) or tickets (channels) reference `row`."""

    def use(kind, row, times):
        for i in range(times):
            if kind is MARKETS:
                make_campaign(market=row, campaign_name=f"Launch{i}")
            elif kind is BRANDS:
                make_campaign(brand=row, campaign_name=f"Launch{i}")
            else:
                make_ticket(channel=row)

    return use


def fresh(db, row):
    """The row as the database holds it now (or None when it is gone)."""
    db.session.expire_all()
    # The identity, not row.id: reading an attribute of a deleted row raises.
    return db.session.get(type(row), inspect(row).identity)


def edit_form(kind, row, **changes) -> dict:
    """The edit form as the browser would post it: the row's values, with some changed."""
    values = {name: getattr(row, name) for name in kind.form}
    return {**values, **changes}


def only_flash(response) -> tuple[str, str]:
    """The one flash message on the page, as (category, text)."""
    flashes = page_of(response).flashes
    assert len(flashes) == 1, flashes
    return flashes[0]


def kind_id(value):
    """Name parameter sets after their kind of reference data; pytest numbers the rest."""
    return str(value) if isinstance(value, Kind) else None


def listed_codes(response, kind) -> list[str]:
    return [row[kind.code_column] for row in page_of(response).rows]


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


def _each_field(kind_params):
    for param in kind_params:
        kind = param.values[0]
        for name in kind.form:
            yield pytest.param(kind, name, id=f"{kind}-{name}")


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


def _each_sort(kinds):
    for param in kinds:
        kind = param.values[0]
        for key in kind.columns:
            for direction in ("asc", "desc"):
                yield pytest.param(kind, key, direction, id=f"{kind}-{key}-{direction}")


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


@pytest.fixture
def sixty_markets(make_market):
    for i in range(60):
        make_market(code=f"M{i:02d}", country="US")


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
