"""The JSON API at /api/v1: DESIGN.md's "JSON API" contract, endpoint by endpoint.

Every one of the 25 endpoints (POST, GET list, GET one, PUT, DELETE for markets, brands,
channels, campaigns and tickets) is driven over HTTP with a bearer token, and every status
code DESIGN.md names is provoked: 201/200/204, 400 (malformed JSON, duplicate campaign name),
401 (no, bad or revoked token), 403 (role), 404 (unknown or non-UUID id), 409 (illegal move,
stale version, row in use), 413 (body over 1 MB) and 422 (validation, one message per field).
Tokens from `flask tokens create`, CSRF for browser sessions, and a script that does a whole
day's work with nothing but a token close the file.
"""

import hashlib
import html
import json
import re
import threading
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from omnitraffick.models import (
    ApiToken,
    Brand,
    Campaign,
    Channel,
    Market,
    Role,
    Ticket,
    TicketEvent,
    TicketStatus,
    utcnow,
)
from omnitraffick.services import qa, reference, tokens
from tests.conftest import PASSWORD

API = "/api/v1"
NO_BODY = object()
ONE_MB = 1024 * 1024

RESOURCES = ("markets", "brands", "channels", "campaigns", "tickets")
REFERENCE = ("markets", "brands", "channels")
MODELS = {
    "markets": Market,
    "brands": Brand,
    "channels": Channel,
    "campaigns": Campaign,
    "tickets": Ticket,
}


def _endpoint_params(resources, methods):
    return [
        pytest.param(method, resource, one, id=f"{method} /{resource}{'/{id}' if one else ''}")
        for resource in resources
        for method, one in methods
    ]


ALL_METHODS = (("POST", False), ("GET", False), ("GET", True), ("PUT", True), ("DELETE", True))
WRITE_METHODS = (("POST", False), ("PUT", True), ("DELETE", True))
# The 25 endpoints, and the 15 that change something.
ENDPOINTS = _endpoint_params(RESOURCES, ALL_METHODS)
WRITES = _endpoint_params(RESOURCES, WRITE_METHODS)
READS = _endpoint_params(RESOURCES, (("GET", False), ("GET", True)))
ONE_ROW = _endpoint_params(RESOURCES, (("GET", True), ("PUT", True), ("DELETE", True)))

FULL_SETTINGS = {
    "objective": "traffic",
    "budget_type": "daily",
    "budget_amount": "1,500.5",
    "flight_start": "2026-03-01",
    "flight_end": "2026-03-31",
    "landing_url": "https://example.com/moana",
    "initial_status": "active",
}
CLEANED_SETTINGS = {
    "objective": "TRAFFIC",
    "budget_type": "DAILY",
    "budget_amount": "1500.50",
    "flight_start": "2026-03-01",
    "flight_end": "2026-03-31",
    "landing_url": "https://example.com/moana",
    "initial_status": "ACTIVE",
}

MARKET_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "code",
    "country",
    "region",
    "currency",
    "time_zone",
}
BRAND_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "name",
    "internal_code",
    "daily_budget_ceiling",
    "lifetime_budget_ceiling",
    "ceiling_currency",
    "special_ad_categories",
}
CHANNEL_KEYS = {"id", "created_at", "updated_at", "platform_name", "api_identifier"}
CAMPAIGN_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "name",
    "campaign_name",
    "brand_id",
    "market_id",
    "year",
    "budget",
    "currency",
    "status",
    "created_by_id",
    "name_parts",
}
TICKET_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "campaign_id",
    "channel_id",
    "request_type",
    "payload_config",
    "status",
    "external_platform_id",
    "qa_failure_reason",
    "qa_report",
    "version",
    "status_changed_at",
    "created_by_id",
    "platform_name",
    "sending",
    "sending_since",
    "platform_ids",
    "send_error",
}


# --- helpers -------------------------------------------------------------------------------------


def new_id() -> str:
    return str(uuid.uuid4())


def path_of(resource: str, one: bool, row_id: str | None = None) -> str:
    return f"/{resource}/{row_id or new_id()}" if one else f"/{resource}"


def assert_uuid(value) -> None:
    assert isinstance(value, str), value
    assert str(uuid.UUID(value)) == value


def assert_timestamp(value) -> None:
    """ISO 8601 with a time zone offset."""
    assert isinstance(value, str), value
    assert re.search(r"(Z|[+-]\d\d:\d\d)$", value), value
    assert datetime.fromisoformat(value).utcoffset() is not None


def assert_error(response, status: int, *fields: str) -> dict:
    """A JSON error `{"detail": ...}` with `status`, and a message for each of `fields`."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.is_json, response.text
    body = response.get_json()
    assert isinstance(body["detail"], str) and body["detail"], body
    for field in fields:
        messages = body.get("errors", {}).get(field)
        assert messages, (field, body)
        assert all(isinstance(m, str) and m for m in messages), body
    return body


class Api:
    """Calls /api/v1 with fixed headers (a bearer token, usually)."""

    def __init__(self, client, headers: dict | None = None):
        self.client, self.headers = client, headers or {}

    def call(self, method: str, path: str, body=NO_BODY, **kwargs):
        kwargs["headers"] = {**self.headers, **kwargs.get("headers", {})}
        if body is not NO_BODY:
            kwargs["json"] = body
        return self.client.open(API + path, method=method, **kwargs)

    def get(self, path: str, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body=NO_BODY, **kwargs):
        return self.call("POST", path, body, **kwargs)

    def put(self, path: str, body=NO_BODY, **kwargs):
        return self.call("PUT", path, body, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.call("DELETE", path, **kwargs)

    def create(self, resource: str, body: dict) -> dict:
        response = self.post(f"/{resource}", body)
        assert response.status_code == 201, response.text
        return response.get_json()

    def update(self, resource: str, row_id: str, body: dict) -> dict:
        response = self.put(f"/{resource}/{row_id}", body)
        assert response.status_code == 200, response.text
        return response.get_json()

    def rows(self, path: str) -> list[dict]:
        response = self.get(path)
        assert response.status_code == 200, response.text
        body = response.get_json()
        assert isinstance(body, list)
        assert int(response.headers["X-Total-Count"]) >= len(body)
        return body


def ids(rows: list[dict]) -> set[str]:
    return {row["id"] for row in rows}


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def bearer(db, make_user):
    """A user with `role` (or the given user) and a fresh API token: the request headers."""

    def make(role=Role.ADMIN, user=None, name="pytest") -> dict:
        user = user or make_user(role)
        _, token = tokens.create_token(user, name)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def as_role(client, bearer):
    def make(role) -> Api:
        return Api(client, bearer(role))

    return make


@pytest.fixture
def admin(as_role) -> Api:
    return as_role(Role.ADMIN)


@pytest.fixture
def trafficker(as_role) -> Api:
    return as_role(Role.TRAFFICKER)


@pytest.fixture
def viewer(as_role) -> Api:
    return as_role(Role.VIEWER)


@pytest.fixture
def rows(moana, meta, make_ticket) -> dict[str, str]:
    """One existing row of each resource, by resource name: its id as a string."""
    ticket = make_ticket(campaign=moana, channel=meta)
    return {
        "markets": str(moana.market_id),
        "brands": str(moana.brand_id),
        "channels": str(meta.id),
        "campaigns": str(moana.id),
        "tickets": str(ticket.id),
    }


@pytest.fixture
def open_ticket(trafficker, moana, meta):
    """Open a ticket through the API (so it has its creation event) and return its JSON."""

    def make(campaign=None, channel=None, **body) -> dict:
        return trafficker.create(
            "tickets",
            {
                "campaign_id": str((campaign or moana).id),
                "channel_id": str((channel or meta).id),
                "request_type": "CREATE_CAMPAIGN",
                **body,
            },
        )

    return make


def move(api: Api, ticket: dict, status: str, **extra) -> dict:
    return api.update("tickets", ticket["id"], {"status": status, **extra})


def qa_settings(platform_name: str = "DIS_US_META_2026_MoanaLaunch", **overrides) -> dict:
    """CREATE_CAMPAIGN settings that pass every pre-flight QA rule: daily 10.00 for 28 days
    starting a month from now, https landing page tagged for `platform_name`."""
    start = date.today() + timedelta(days=30)
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "10.00",
        "flight_start": start.isoformat(),
        "flight_end": (start + timedelta(days=27)).isoformat(),
        "landing_url": "https://www.disney.com/moana?utm_source=meta&utm_medium=paid_social"
        f"&utm_campaign={platform_name}",
        "initial_status": "PAUSED",
    } | overrides


def set_status(db, api: Api, ticket: dict, status: TicketStatus) -> dict:
    """Put a ticket in `status` directly in the database and return its JSON as now served.

    A move to QA_TESTING runs pre-flight QA and moves the ticket on in the same request, so a
    ticket that should stay in QA_TESTING (or reach another status without the walk) is set
    here instead."""
    row = db.session.get(Ticket, uuid.UUID(ticket["id"]))
    row.status, row.status_changed_at = status, utcnow()
    db.session.commit()
    return api.get(f"/tickets/{ticket['id']}").get_json()


# Valid bodies for POST, per resource (campaigns and tickets need ids, filled in by `valid_body`).
REFERENCE_BODIES = {
    "markets": {"code": "gb", "country": "United Kingdom", "region": "EMEA", "currency": "gbp"},
    "brands": {"name": "Nestlé", "internal_code": "nes"},
    "channels": {"platform_name": "TikTok", "api_identifier": "tiktok"},
}


def valid_body(resource: str, rows: dict[str, str]) -> dict:
    if resource in REFERENCE_BODIES:
        return dict(REFERENCE_BODIES[resource])
    if resource == "campaigns":
        return {
            "brand_id": rows["brands"],
            "market_id": rows["markets"],
            "campaign_name": "Frozen Release",
            "year": 2026,
            "budget": "100",
        }
    return {
        "campaign_id": rows["campaigns"],
        "channel_id": rows["channels"],
        "request_type": "UPDATE_BUDGET",
    }


# A change PUT accepts, per resource.
VALID_UPDATES = {
    "markets": {"country": "USA"},
    "brands": {"name": "Disney Co"},
    "channels": {"platform_name": "Meta Ads"},
    "campaigns": {"budget": "2500"},
    "tickets": {"status": "QA_TESTING"},
}


# --- 401: who is calling -------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "resource", "one"), ENDPOINTS)
def test_no_token_is_401_in_json(client, rows, method, resource, one):
    response = Api(client).call(method, path_of(resource, one, rows[resource]), {})
    body = assert_error(response, 401)
    assert "Bearer" in body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "resource", "one"), ENDPOINTS)
@pytest.mark.parametrize("credential", ["bad", "revoked", "disabled user", "wrong scheme"])
def test_bad_or_revoked_token_is_401(
    db, client, make_user, rows, credential, method, resource, one
):
    user = make_user(Role.ADMIN)
    row, token = tokens.create_token(user, "cron")
    db.session.commit()
    header = f"Bearer {token}"
    if credential == "bad":
        header = f"Bearer {token[:-4]}xxxx"
    elif credential == "revoked":
        tokens.revoke_token(user, row.id)
    elif credential == "disabled user":
        user.active = False
    else:
        header = f"Basic {token}"
    db.session.commit()

    response = Api(client, {"Authorization": header}).call(
        method, path_of(resource, one, rows[resource]), valid_body(resource, rows)
    )
    assert token not in assert_error(response, 401)["detail"]
    db.session.expire_all()
    assert db.session.get(MODELS[resource], uuid.UUID(rows[resource])) is not None
    assert db.session.scalar(select(func.count()).select_from(MODELS[resource])) == 1


def test_a_token_works_until_it_is_revoked(db, client, make_user):
    user = make_user(Role.VIEWER)
    row, token = tokens.create_token(user, "laptop")
    db.session.commit()
    api = Api(client, {"Authorization": f"Bearer {token}"})
    assert api.get("/markets").status_code == 200

    tokens.revoke_token(user, row.id)
    db.session.commit()
    assert_error(api.get("/markets"), 401)


def test_empty_bearer_and_overlong_tokens_are_401(client):
    for header in ("Bearer", "Bearer ", "Bearer " + "x" * 5000, "ot_"):
        assert_error(Api(client, {"Authorization": header}).get("/markets"), 401)


# --- 403: roles, exactly as in the UI ------------------------------------------------------------


@pytest.mark.parametrize(("method", "resource", "one"), WRITES)
def test_a_viewer_cannot_write_anything(viewer, rows, method, resource, one):
    before = viewer.rows(f"/{resource}")
    body = valid_body(resource, rows) if method == "POST" else VALID_UPDATES[resource]
    response = viewer.call(method, path_of(resource, one, rows[resource]), body)
    body = assert_error(response, 403)
    assert "viewer" in body["detail"]
    # Nothing was created, changed or deleted.
    assert viewer.rows(f"/{resource}") == before


@pytest.mark.parametrize(("method", "resource", "one"), READS)
def test_a_viewer_reads_everything(viewer, rows, method, resource, one):
    response = viewer.call(method, path_of(resource, one, rows[resource]))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("method", "resource", "one"), _endpoint_params(REFERENCE, WRITE_METHODS))
def test_a_trafficker_cannot_write_reference_data(trafficker, rows, method, resource, one):
    before = trafficker.rows(f"/{resource}")
    body = valid_body(resource, rows) if method == "POST" else VALID_UPDATES[resource]
    response = trafficker.call(method, path_of(resource, one, rows[resource]), body)
    assert "trafficker" in assert_error(response, 403)["detail"]
    assert trafficker.rows(f"/{resource}") == before


def test_a_trafficker_writes_campaigns_and_tickets(trafficker, dis, us, meta):
    campaign = trafficker.create(
        "campaigns",
        {"brand_id": str(dis.id), "market_id": str(us.id), "campaign_name": "Moana", "budget": 1},
    )
    campaign = trafficker.update("campaigns", campaign["id"], {"status": "ACTIVE"})
    assert campaign["status"] == "ACTIVE"
    ticket = trafficker.create(
        "tickets",
        {
            "campaign_id": campaign["id"],
            "channel_id": str(meta.id),
            "request_type": "UPDATE_STATUS",
        },
    )
    ticket = trafficker.update(
        "tickets", ticket["id"], {"payload_config": {"target_status": "paused"}}
    )
    assert ticket["payload_config"] == {"target_status": "PAUSED"}
    assert trafficker.delete(f"/tickets/{ticket['id']}").status_code == 204
    assert trafficker.delete(f"/campaigns/{campaign['id']}").status_code == 204
    assert trafficker.get("/campaigns").get_json() == []


# --- 404: unknown and malformed ids --------------------------------------------------------------


@pytest.mark.parametrize(("method", "resource", "one"), ONE_ROW)
@pytest.mark.parametrize(
    "row_id",
    [
        pytest.param(None, id="unknown-uuid"),
        pytest.param("not-a-uuid", id="not-a-uuid"),
        pytest.param("12345", id="number"),
        pytest.param("3f2b8c1e-0000-0000-0000-00000000000g", id="almost-uuid"),
        pytest.param("%27%20OR%201%3D1", id="sql-ish"),
    ],
)
def test_unknown_or_non_uuid_id_is_404_in_json(admin, rows, method, resource, one, row_id):
    body = VALID_UPDATES[resource] if method == "PUT" else NO_BODY
    response = admin.call(method, f"/{resource}/{row_id or new_id()}", body)
    assert_error(response, 404)
    # The existing row is untouched.
    assert admin.get(f"/{resource}").headers["X-Total-Count"] == "1"


# --- 400 / 413 / 422 on any body -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "resource", "one"), _endpoint_params(RESOURCES, (("POST", False), ("PUT", True)))
)
@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        pytest.param('{"code": ', "application/json", id="truncated"),
        pytest.param("{'code': 'US'}", "application/json", id="single-quotes"),
        pytest.param("", "application/json", id="empty"),
        pytest.param("\xff\xfe", "application/json", id="not-utf8"),
        pytest.param('{"code": "US"}', "text/plain", id="not-json-content-type"),
    ],
)
def test_malformed_json_is_400(admin, rows, method, resource, one, data, content_type):
    data = data.encode("latin-1")
    response = admin.call(
        method, path_of(resource, one, rows[resource]), data=data, content_type=content_type
    )
    assert "JSON" in assert_error(response, 400)["detail"]
    assert admin.get(f"/{resource}").headers["X-Total-Count"] == "1"


@pytest.mark.parametrize(
    ("method", "resource", "one"), _endpoint_params(RESOURCES, (("POST", False), ("PUT", True)))
)
def test_a_body_over_1_mb_is_413(admin, rows, method, resource, one):
    big = valid_body(resource, rows) if method == "POST" else dict(VALID_UPDATES[resource])
    key = next(iter(big))
    big[key] = "x" * (ONE_MB + 1)
    response = admin.call(method, path_of(resource, one, rows[resource]), big)
    assert "1 MB" in assert_error(response, 413)["detail"]
    assert admin.get(f"/{resource}").headers["X-Total-Count"] == "1"


@pytest.mark.parametrize(
    ("method", "resource", "one"), _endpoint_params(RESOURCES, (("POST", False), ("PUT", True)))
)
@pytest.mark.parametrize("payload", [[], ["code"], "US", 42, True], ids=repr)
def test_a_body_that_is_not_an_object_is_refused(admin, rows, method, resource, one, payload):
    response = admin.call(
        method,
        path_of(resource, one, rows[resource]),
        data=json.dumps(payload),
        content_type="application/json",
    )
    body = assert_error(response, 422)
    assert "object" in body["detail"]
    assert admin.get(f"/{resource}").headers["X-Total-Count"] == "1"


def test_a_json_null_body_is_422_not_400(admin, rows):
    """`null` is well-formed JSON that is not an object: a validation failure, like `[]`."""
    answers = {}
    for method, resource in [(m, r) for r in RESOURCES for m in ("POST", "PUT")]:
        response = admin.call(
            method,
            path_of(resource, method == "PUT", rows[resource]),
            data="null",
            content_type="application/json",
        )
        answers[f"{method} /{resource}"] = (response.status_code, response.get_json()["detail"])
    assert {k: v[0] for k, v in answers.items()} == dict.fromkeys(answers, 422), answers


def test_nul_characters_in_text_are_422_not_500(app, admin, rows):
    """PostgreSQL cannot store NUL in text; such input is refused (422), on every database."""
    cases = [
        ("POST", "markets", {"country": "United\x00Kingdom"}, "country"),
        ("POST", "brands", {"name": "Nes\x00tlé"}, "name"),
        ("POST", "channels", {"platform_name": "Tik\x00Tok"}, "platform_name"),
        ("POST", "campaigns", {"campaign_name": "Frozen\x00"}, "campaign_name"),
        ("PUT", "markets", {"region": "\x00"}, "region"),
        ("PUT", "brands", {"name": "Dis\x00ney"}, "name"),
        ("PUT", "channels", {"platform_name": "Meta\x00"}, "platform_name"),
    ]
    app.config["PROPAGATE_EXCEPTIONS"] = False  # see the 500 a client would get
    try:
        answers = {}
        for method, resource, body, field in cases:
            if method == "POST":
                body = valid_body(resource, rows) | body
            response = admin.call(method, path_of(resource, method == "PUT", rows[resource]), body)
            errors = response.get_json().get("errors", {}) if response.is_json else {}
            answers[f"{method} /{resource} {field}"] = (response.status_code, field in errors)
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert answers == dict.fromkeys(answers, (422, True))
    for resource in RESOURCES:
        assert admin.get(f"/{resource}").headers["X-Total-Count"] == "1"


@pytest.mark.parametrize("path", ["/markets?q=%00", "/brands?q=a%00b", "/campaigns?q=%00"])
def test_a_nul_character_in_a_search_is_not_a_500(app, admin, rows, path):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = admin.get(path)
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code in (200, 422), response.text
    assert response.is_json


@pytest.mark.parametrize(
    ("method", "resource", "one"), _endpoint_params(RESOURCES, (("POST", False), ("PUT", True)))
)
def test_unknown_fields_are_422_naming_them(admin, rows, method, resource, one):
    body = valid_body(resource, rows) if method == "POST" else dict(VALID_UPDATES[resource])
    body |= {"colour": "red", "Budget": 5}
    response = admin.call(method, path_of(resource, one, rows[resource]), body)
    error = assert_error(response, 422, "colour", "Budget")
    assert "'colour'" in error["detail"] and "'Budget'" in error["detail"]
    assert admin.get(f"/{resource}").headers["X-Total-Count"] == "1"


# --- lists: paging and X-Total-Count -------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=501", "limit"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("limit=1.5", "limit"),
        ("limit=", "limit"),
        ("limit=%D9%A3", "limit"),  # an Arabic-Indic digit three
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("offset=99999999999", "offset"),
    ],
)
def test_bad_paging_is_422(admin, rows, resource, query, field):
    response = admin.get(f"/{resource}?{query}")
    assert_error(response, 422, field)


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_list_is_a_json_array_with_the_total(admin, rows, resource):
    response = admin.get(f"/{resource}?limit=500&offset=0")
    assert response.status_code == 200
    assert response.is_json
    assert response.headers["X-Total-Count"] == "1"
    assert [row["id"] for row in response.get_json()] == [rows[resource]]
    beyond = admin.get(f"/{resource}?offset=5")
    assert beyond.get_json() == [] and beyond.headers["X-Total-Count"] == "1"


def test_lists_page_with_limit_and_offset_default_50(db, admin):
    for n in range(55):
        reference.create_brand(name=f"Brand {n:02}", internal_code=f"B{n:02}")
    db.session.commit()

    first = admin.get("/brands")
    assert first.headers["X-Total-Count"] == "55"
    assert len(first.get_json()) == 50
    assert [b["name"] for b in first.get_json()] == [f"Brand {n:02}" for n in range(50)]

    rest = admin.get("/brands?offset=50")
    assert [b["name"] for b in rest.get_json()] == [f"Brand {n:02}" for n in range(50, 55)]
    assert len(admin.get("/brands?limit=500").get_json()) == 55

    pages = [admin.get(f"/brands?limit=7&offset={o}").get_json() for o in range(0, 55, 7)]
    assert all(len(page) <= 7 for page in pages)
    assert len({b["id"] for page in pages for b in page}) == 55
    assert admin.get("/brands?limit=3&offset=52").headers["X-Total-Count"] == "55"


# --- reference data: markets, brands, channels ---------------------------------------------------

REFERENCE_CASES = {
    "markets": {
        "body": {"code": "us", "country": "United States", "region": "NA", "currency": "usd"},
        "stored": {"code": "US", "country": "US", "region": "NA", "currency": "USD"},
        "keys": MARKET_KEYS,
        # Puerto Rico's one zone: the market's New York zone is not one of its.
        "update": {"country": "PR", "region": "AMER", "time_zone": "America/Puerto_Rico"},
        "others": [
            {"code": "GB", "country": "United Kingdom", "region": "EMEA", "currency": "GBP"},
            {"code": "JP", "country": "Japan", "region": "APAC", "currency": "JPY"},
        ],
        "search": ("kingdom", "GB"),
        "label": "code",
    },
    "brands": {
        "body": {"name": "Disney", "internal_code": "dis"},
        "stored": {"name": "Disney", "internal_code": "DIS"},
        "keys": BRAND_KEYS,
        "update": {"name": "The Walt Disney Company"},
        "others": [
            {"name": "Nestlé", "internal_code": "NES"},
            {"name": "Unilever", "internal_code": "UNI"},
        ],
        "search": ("nes", "NES"),
        "label": "internal_code",
    },
    "channels": {
        "body": {"platform_name": "Meta", "api_identifier": "meta"},
        "stored": {"platform_name": "Meta", "api_identifier": "META"},
        "keys": CHANNEL_KEYS,
        "update": {"platform_name": "Meta Ads"},
        "others": [
            {"platform_name": "TikTok", "api_identifier": "TIKTOK"},
            {"platform_name": "Google Ads", "api_identifier": "GOOGLE"},
        ],
        "search": ("tik", "TIKTOK"),
        "label": "api_identifier",
    },
}


@pytest.mark.parametrize("resource", REFERENCE)
def test_reference_crud(admin, resource):
    case = REFERENCE_CASES[resource]
    response = admin.post(f"/{resource}", case["body"])
    assert response.status_code == 201, response.text
    row = response.get_json()
    assert set(row) == case["keys"]
    assert {k: row[k] for k in case["stored"]} == case["stored"]
    assert_uuid(row["id"])
    assert_timestamp(row["created_at"])
    assert_timestamp(row["updated_at"])

    one = admin.get(f"/{resource}/{row['id']}")
    assert one.status_code == 200
    assert one.get_json() == row

    updated = admin.update(resource, row["id"], case["update"])
    assert updated == row | case["update"] | {"updated_at": updated["updated_at"]}
    assert_timestamp(updated["updated_at"])
    assert admin.get(f"/{resource}/{row['id']}").get_json() == updated

    listed = admin.get(f"/{resource}")
    assert listed.headers["X-Total-Count"] == "1"
    assert listed.get_json() == [updated]

    deleted = admin.delete(f"/{resource}/{row['id']}")
    assert deleted.status_code == 204
    assert deleted.data == b""
    assert_error(admin.get(f"/{resource}/{row['id']}"), 404)
    assert_error(admin.delete(f"/{resource}/{row['id']}"), 404)
    assert admin.get(f"/{resource}").headers["X-Total-Count"] == "0"


@pytest.mark.parametrize("resource", REFERENCE)
def test_reference_lists_search_with_q(admin, resource):
    case = REFERENCE_CASES[resource]
    for body in [case["body"], *case["others"]]:
        admin.create(resource, body)
    text_, code = case["search"]
    response = admin.get(f"/{resource}?q={text_.upper()}")
    assert [r[case["label"]] for r in response.get_json()] == [code]
    assert response.headers["X-Total-Count"] == "1"
    assert admin.get(f"/{resource}?q=").headers["X-Total-Count"] == "3"
    assert admin.get(f"/{resource}?q=%25").get_json() == []  # % is a literal, not a wildcard
    assert admin.get(f"/{resource}?q=nothing-like-this").headers["X-Total-Count"] == "0"


@pytest.mark.parametrize("resource", REFERENCE)
def test_reference_post_names_every_missing_field(admin, resource):
    response = admin.post(f"/{resource}", {})
    assert_error(response, 422, *REFERENCE_CASES[resource]["stored"])


@pytest.mark.parametrize(
    ("resource", "change", "field"),
    [
        ("markets", {"code": 5}, "code"),
        ("markets", {"country": ["US"]}, "country"),
        ("markets", {"currency": None}, "currency"),
        ("markets", {"region": True}, "region"),
        ("markets", {"code": "X" * 17}, "code"),
        ("markets", {"code": "U S"}, "code"),
        ("markets", {"code": "ÜS"}, "code"),
        ("markets", {"currency": "ZZZ"}, "currency"),
        ("markets", {"currency": "DOLLARS"}, "currency"),
        ("markets", {"country": "x" * 101}, "country"),
        ("markets", {"region": "   "}, "region"),
        ("brands", {"name": 3.5}, "name"),
        ("brands", {"internal_code": {"a": 1}}, "internal_code"),
        ("brands", {"internal_code": "DIS-1"}, "internal_code"),
        ("brands", {"internal_code": "_DIS"}, "internal_code"),
        ("brands", {"name": "n" * 121}, "name"),
        ("channels", {"platform_name": 0}, "platform_name"),
        ("channels", {"api_identifier": "MULTI"}, "api_identifier"),
        ("channels", {"api_identifier": "X" * 17}, "api_identifier"),
        ("channels", {"api_identifier": ""}, "api_identifier"),
    ],
)
def test_reference_validation_is_422_per_field(admin, resource, change, field):
    body = REFERENCE_CASES[resource]["body"] | change
    assert_error(admin.post(f"/{resource}", body), 422, field)
    assert admin.get(f"/{resource}").headers["X-Total-Count"] == "0"

    row = admin.create(resource, REFERENCE_CASES[resource]["body"])
    assert_error(admin.put(f"/{resource}/{row['id']}", change), 422, field)
    assert admin.get(f"/{resource}/{row['id']}").get_json() == row


@pytest.mark.parametrize("resource", REFERENCE)
def test_reference_duplicates_are_refused(admin, resource):
    case = REFERENCE_CASES[resource]
    first = admin.create(resource, case["body"])
    other = admin.create(resource, case["others"][0])
    label = case["label"]
    dup = dict(case["others"][1]) | {label: case["body"][label].lower()}
    body = assert_error(admin.post(f"/{resource}", dup), 400)
    assert case["stored"][label] in body["detail"]
    assert_error(admin.put(f"/{resource}/{other['id']}", {label: first[label]}), 400)
    assert admin.get(f"/{resource}").headers["X-Total-Count"] == "2"


def test_reference_rows_in_use_cannot_be_deleted_or_recoded(admin, rows):
    for resource, ref_id in (
        ("markets", rows["markets"]),
        ("brands", rows["brands"]),
        ("channels", rows["channels"]),
    ):
        body = assert_error(admin.delete(f"/{resource}/{ref_id}"), 409)
        assert "nothing was deleted" in body["detail"]
        assert admin.get(f"/{resource}/{ref_id}").status_code == 200

    # Codes are part of generated names; a market's currency is its campaigns' currency.
    assert_error(admin.put(f"/markets/{rows['markets']}", {"code": "USA"}), 409)
    assert_error(admin.put(f"/markets/{rows['markets']}", {"currency": "EUR"}), 409)
    assert_error(admin.put(f"/brands/{rows['brands']}", {"internal_code": "WDC"}), 409)
    assert_error(admin.put(f"/channels/{rows['channels']}", {"api_identifier": "FB"}), 409)
    assert admin.get(f"/markets/{rows['markets']}").get_json()["currency"] == "USD"
    # Everything else may change.
    assert admin.update("markets", rows["markets"], {"code": "us", "country": "USA"})["code"]


# --- campaigns -----------------------------------------------------------------------------------


def campaign_body(brand, market, **extra) -> dict:
    return {
        "brand_id": str(brand.id),
        "market_id": str(market.id),
        "campaign_name": "Moana Launch!",
        "year": 2026,
        "budget": "1500",
    } | extra


def test_create_campaign_returns_the_full_resource(make_user, bearer, client, dis, us):
    user = make_user(Role.TRAFFICKER)
    api = Api(client, bearer(user=user))
    response = api.post("/campaigns", campaign_body(dis, us))
    assert response.status_code == 201, response.text
    campaign = response.get_json()
    assert set(campaign) == CAMPAIGN_KEYS
    assert_uuid(campaign["id"])
    assert_timestamp(campaign["created_at"])
    assert_timestamp(campaign["updated_at"])
    assert {k: v for k, v in campaign.items() if k not in ("id", "created_at", "updated_at")} == {
        "name": "DIS_US_MULTI_2026_MoanaLaunch",
        "campaign_name": "Moana Launch!",
        "brand_id": str(dis.id),
        "market_id": str(us.id),
        "year": 2026,
        "budget": "1500.00",
        "currency": "USD",
        "status": "DRAFT",
        "created_by_id": str(user.id),
        "name_parts": {
            "brand": "DIS",
            "market": "US",
            "channel": "MULTI",
            "year": 2026,
            "campaign": "MoanaLaunch",
        },
    }
    assert api.get(f"/campaigns/{campaign['id']}").get_json() == campaign


@pytest.mark.parametrize(
    ("currency", "budget", "shown"),
    [
        ("USD", "1500", "1500.00"),
        ("USD", 1500, "1500.00"),
        ("USD", 1500.5, "1500.50"),
        ("USD", "1,500.5", "1500.50"),
        ("USD", 0, "0.00"),
        ("JPY", "1500", "1500"),
        ("JPY", 1500, "1500"),
        ("KWD", "1500.5", "1500.500"),
    ],
)
def test_budgets_are_decimal_strings_in_the_currency_precision(
    admin, dis, make_market, currency, budget, shown
):
    market = make_market(code=f"M{currency}", currency=currency)
    campaign = admin.create("campaigns", campaign_body(dis, market, budget=budget))
    assert campaign["budget"] == shown
    assert campaign["currency"] == currency
    assert admin.get(f"/campaigns/{campaign['id']}").get_json()["budget"] == shown
    assert admin.get("/campaigns").get_json()[0]["budget"] == shown


def test_name_parts_are_decoded_even_when_codes_hold_underscores(admin, make_brand, make_market):
    brand = make_brand(name="Walt Disney", internal_code="WALT_DIS")
    market = make_market(code="US_EAST")
    campaign = admin.create("campaigns", campaign_body(brand, market, campaign_name="Moana"))
    assert campaign["name"] == "WALT_DIS_US_EAST_MULTI_2026_Moana"
    assert campaign["name_parts"] == {
        "brand": "WALT_DIS",
        "market": "US_EAST",
        "channel": "MULTI",
        "year": 2026,
        "campaign": "Moana",
    }


def test_year_defaults_to_this_year_and_may_be_a_string(admin, dis, us):
    body = campaign_body(dis, us)
    del body["year"]
    assert admin.create("campaigns", body)["year"] == date.today().year
    assert admin.create("campaigns", campaign_body(dis, us, year="2027"))["year"] == 2027
    active = admin.create("campaigns", campaign_body(dis, us, year=2028, status="ACTIVE"))
    assert active["status"] == "ACTIVE"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"brand_id": None}, "brand_id"),
        ({"campaign_name": ""}, "campaign_name"),
        ({"budget": None}, "budget"),
        ({"brand_id": 42}, "brand_id"),
        ({"market_id": ["x"]}, "market_id"),
        ({"brand_id": "not-a-uuid"}, "brand_id"),
        ({"market_id": "1234"}, "market_id"),
        ({"brand_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"}, "brand_id"),
        ({"market_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"}, "market_id"),
        ({"campaign_name": 7}, "campaign_name"),
        ({"campaign_name": "!!! ???"}, "campaign_name"),
        ({"campaign_name": "a" * 101}, "campaign_name"),
        ({"budget": True}, "budget"),
        ({"budget": {"amount": 1}}, "budget"),
        ({"budget": "lots"}, "budget"),
        ({"budget": -1}, "budget"),
        ({"budget": "-0.01"}, "budget"),
        ({"budget": "12.345"}, "budget"),
        ({"budget": "1e16"}, "budget"),
        ({"budget": "NaN"}, "budget"),
        ({"budget": "Infinity"}, "budget"),
        ({"year": 1999}, "year"),
        ({"year": 2101}, "year"),
        ({"year": 20260}, "year"),
        ({"year": "20x6"}, "year"),
        ({"year": 2026.5}, "year"),
        ({"year": False}, "year"),
        ({"status": "COMPLETED"}, "status"),
        ({"status": "PAUSED"}, "status"),
        ({"status": "bogus"}, "status"),
        ({"status": 1}, "status"),
        ({"name": "DIS_US_MULTI_2026_Other"}, "name"),
        ({"id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"}, "id"),
    ],
)
def test_create_campaign_validation_is_422_per_field(admin, dis, us, change, field):
    body = campaign_body(dis, us) | change
    assert_error(admin.post("/campaigns", body), 422, field)
    assert admin.get("/campaigns").headers["X-Total-Count"] == "0"


def test_create_campaign_names_every_missing_field(admin):
    assert_error(admin.post("/campaigns", {}), 422, "brand_id", "market_id", "campaign_name")


def test_create_campaign_in_jpy_takes_no_decimals(admin, dis, jp):
    body = assert_error(admin.post("/campaigns", campaign_body(dis, jp, budget="10.5")), 422)
    assert "JPY" in body["errors"]["budget"][0]


@pytest.mark.parametrize("name", ["Moana Launch!", "moanalaunch", "MOANA-LAUNCH", "Moana_Launch"])
def test_a_duplicate_campaign_name_is_400_even_in_another_case(admin, dis, us, name):
    admin.create("campaigns", campaign_body(dis, us, campaign_name="MoanaLaunch"))
    body = assert_error(admin.post("/campaigns", campaign_body(dis, us, campaign_name=name)), 400)
    assert "DIS_US_MULTI_2026_MoanaLaunch" in body["detail"]
    assert admin.get("/campaigns").headers["X-Total-Count"] == "1"
    # Another year is another name.
    admin.create("campaigns", campaign_body(dis, us, campaign_name=name, year=2027))


def test_campaign_list_filters(admin, make_brand, dis, us, jp):
    nes = make_brand(name="Nestlé", internal_code="NES")
    moana = admin.create(
        "campaigns", campaign_body(dis, us, campaign_name="Moana", status="ACTIVE")
    )
    frozen = admin.create("campaigns", campaign_body(dis, jp, campaign_name="Frozen", year=2027))
    coffee = admin.create("campaigns", campaign_body(nes, us, campaign_name="Coffee"))

    def found(query: str) -> set[str]:
        response = admin.get(f"/campaigns?{query}")
        assert response.status_code == 200, response.text
        assert response.headers["X-Total-Count"] == str(len(response.get_json()))
        return ids(response.get_json())

    assert found("") == ids([moana, frozen, coffee])
    assert found(f"brand_id={dis.id}") == ids([moana, frozen])
    assert found(f"market_id={us.id}") == ids([moana, coffee])
    assert found("status=ACTIVE") == ids([moana])
    assert found("status=draft") == ids([frozen, coffee])
    assert found("year=2027") == ids([frozen])
    assert found("q=moana") == ids([moana])
    assert found("q=DIS_JP") == ids([frozen])
    assert found("q=MULTI_2026") == ids([moana, coffee])
    assert found(f"brand_id={dis.id}&market_id={us.id}&year=2026&status=ACTIVE") == ids([moana])
    assert found(f"brand_id={new_id()}") == set()
    assert found("year=1999") == set()
    assert found("q=D_S") == set()  # _ is a literal underscore, not a one-letter wildcard

    # Paging applies after filtering.
    page = admin.get(f"/campaigns?market_id={us.id}&limit=1&offset=1")
    assert page.headers["X-Total-Count"] == "2"
    assert len(page.get_json()) == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("brand_id=not-a-uuid", "brand_id"),
        ("market_id=42", "market_id"),
        ("status=bogus", "status"),
        ("status=TRAFFICKED_SUCCESS", "status"),
        ("year=20x6", "year"),
        ("year=26", "year"),
    ],
)
def test_campaign_list_refuses_bad_filters(admin, query, field):
    assert_error(admin.get(f"/campaigns?{query}"), 422, field)


def test_put_campaign_changes_budget_and_status(admin, dis, us):
    campaign = admin.create("campaigns", campaign_body(dis, us))
    changed = admin.update("campaigns", campaign["id"], {"budget": "2500.5"})
    assert changed["budget"] == "2500.50"
    assert changed["status"] == "DRAFT"
    assert changed["name"] == campaign["name"]
    changed = admin.update("campaigns", campaign["id"], {"status": "ACTIVE"})
    assert changed["status"] == "ACTIVE"
    assert changed["budget"] == "2500.50"
    changed = admin.update("campaigns", campaign["id"], {"status": "PAUSED", "budget": 0})
    assert (changed["status"], changed["budget"]) == ("PAUSED", "0.00")
    # An empty change changes nothing.
    assert admin.update("campaigns", campaign["id"], {}) == changed
    assert admin.get(f"/campaigns/{campaign['id']}").get_json() == changed


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "DIS_US_MULTI_2026_Other"),
        ("campaign_name", "Other"),
        ("brand_id", "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"),
        ("market_id", "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"),
        ("year", 2027),
        ("id", "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"),
        ("created_at", "2020-01-01T00:00:00+00:00"),
        ("currency", "EUR"),
        ("name_parts", {}),
    ],
)
def test_put_campaign_refuses_any_other_field_naming_it(admin, dis, us, field, value):
    campaign = admin.create("campaigns", campaign_body(dis, us))
    response = admin.put(f"/campaigns/{campaign['id']}", {"budget": "9", field: value})
    body = assert_error(response, 422, field)
    assert field in body["detail"]
    assert "budget" not in body["errors"]
    assert admin.get(f"/campaigns/{campaign['id']}").get_json() == campaign


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget": "-5"}, "budget"),
        ({"budget": "1.234"}, "budget"),
        ({"budget": "abc"}, "budget"),
        ({"budget": True}, "budget"),
        ({"budget": []}, "budget"),
        ({"budget": "1e16"}, "budget"),
        ({"status": "bogus"}, "status"),
        ({"status": 3}, "status"),
        ({"status": None}, "status"),
    ],
)
def test_put_campaign_validation_is_422(admin, dis, us, change, field):
    campaign = admin.create("campaigns", campaign_body(dis, us))
    assert_error(admin.put(f"/campaigns/{campaign['id']}", change), 422, field)
    assert admin.get(f"/campaigns/{campaign['id']}").get_json() == campaign


def test_put_campaign_refuses_an_illegal_status_move_with_409(admin, dis, us):
    campaign = admin.create("campaigns", campaign_body(dis, us))
    body = assert_error(admin.put(f"/campaigns/{campaign['id']}", {"status": "COMPLETED"}), 409)
    assert "ACTIVE" in body["detail"]
    assert admin.get(f"/campaigns/{campaign['id']}").get_json()["status"] == "DRAFT"

    admin.update("campaigns", campaign["id"], {"status": "ACTIVE"})
    admin.update("campaigns", campaign["id"], {"status": "COMPLETED"})
    body = assert_error(
        admin.put(f"/campaigns/{campaign['id']}", {"status": "ACTIVE", "budget": "1"}), 409
    )
    assert "none" in body["detail"]
    after = admin.get(f"/campaigns/{campaign['id']}").get_json()
    assert (after["status"], after["budget"]) == ("COMPLETED", "1500.00")


def test_delete_campaign_takes_its_draft_tickets_with_it(admin, open_ticket, moana, meta):
    first, second = open_ticket(), open_ticket(request_type="UPDATE_BUDGET")
    campaign_id = moana.id  # the row object cannot be read once its row is deleted
    response = admin.delete(f"/campaigns/{campaign_id}")
    assert response.status_code == 204, response.text
    assert_error(admin.get(f"/campaigns/{campaign_id}"), 404)
    assert_error(admin.get(f"/tickets/{first['id']}"), 404)
    assert_error(admin.get(f"/tickets/{second['id']}"), 404)
    # The channel is free again.
    assert admin.delete(f"/channels/{meta.id}").status_code == 204


def test_delete_campaign_with_a_ticket_past_draft_is_409(db, admin, trafficker, open_ticket, moana):
    ticket = set_status(db, trafficker, open_ticket(), TicketStatus.QA_TESTING)
    body = assert_error(trafficker.delete(f"/campaigns/{moana.id}"), 409)
    assert "QA_TESTING" in body["detail"]
    assert admin.get(f"/campaigns/{moana.id}").status_code == 200
    assert admin.get(f"/tickets/{ticket['id']}").status_code == 200
    # And the market it uses cannot go either.
    assert_error(admin.delete(f"/markets/{moana.market_id}"), 409)


# --- tickets -------------------------------------------------------------------------------------


def test_create_ticket_returns_the_full_resource(make_user, bearer, client, moana, meta):
    user = make_user(Role.TRAFFICKER)
    api = Api(client, bearer(user=user))
    response = api.post(
        "/tickets",
        {
            "campaign_id": str(moana.id),
            "channel_id": str(meta.id),
            "request_type": "create_campaign",
            "payload_config": FULL_SETTINGS,
        },
    )
    assert response.status_code == 201, response.text
    ticket = response.get_json()
    assert set(ticket) == TICKET_KEYS
    for key in ("id", "campaign_id", "channel_id", "created_by_id"):
        assert_uuid(ticket[key])
    for key in ("created_at", "updated_at", "status_changed_at"):
        assert_timestamp(ticket[key])
    assert ticket["campaign_id"] == str(moana.id)
    assert ticket["channel_id"] == str(meta.id)
    assert ticket["created_by_id"] == str(user.id)
    assert ticket["request_type"] == "CREATE_CAMPAIGN"
    assert ticket["payload_config"] == CLEANED_SETTINGS
    assert ticket["status"] == "DRAFT"
    assert ticket["external_platform_id"] is None
    assert ticket["qa_failure_reason"] is None
    assert ticket["qa_report"] is None  # pre-flight QA has not run yet
    assert isinstance(ticket["version"], int)
    assert ticket["platform_name"] == "DIS_US_META_2026_MoanaLaunch"
    assert ticket["sending"] is False and ticket["sending_since"] is None
    assert ticket["platform_ids"] is None and ticket["send_error"] is None
    assert api.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_a_draft_ticket_may_have_no_settings_yet(admin, moana, meta):
    ticket = admin.create(
        "tickets",
        {"campaign_id": str(moana.id), "channel_id": str(meta.id), "request_type": "UPDATE_BUDGET"},
    )
    assert ticket["payload_config"] == {}


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"campaign_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"}, ["campaign_id"]),
        ({"channel_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"}, ["channel_id"]),
        (
            {
                "campaign_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69",
                "channel_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a6a",
                "request_type": "LAUNCH",
            },
            ["campaign_id", "channel_id", "request_type"],
        ),
        ({"campaign_id": "not-a-uuid"}, ["campaign_id"]),
        ({"channel_id": 12}, ["channel_id"]),
        ({"campaign_id": None}, ["campaign_id"]),
        ({"request_type": "LAUNCH"}, ["request_type"]),
        ({"request_type": 5}, ["request_type"]),
        ({"request_type": ""}, ["request_type"]),
        ({"payload_config": []}, ["payload_config"]),
        ({"payload_config": "objective=REACH"}, ["payload_config"]),
        ({"payload_config": {"colour": "red"}}, ["payload_config"]),
        ({"payload_config": {"budget_amount": "lots"}}, ["budget_amount"]),
        ({"payload_config": {"budget_amount": "-1"}}, ["budget_amount"]),
        ({"payload_config": {"objective": "WIN"}}, ["objective"]),
        ({"payload_config": {"flight_start": "31/03/2026"}}, ["flight_start"]),
        ({"payload_config": {"landing_url": "example.com"}}, ["landing_url"]),
        ({"payload_config": {"objective": ["REACH"]}}, ["objective"]),
        (
            {"payload_config": {"objective": "WIN", "budget_type": "ALWAYS"}},
            ["objective", "budget_type"],
        ),
        ({"status": "READY_FOR_API"}, ["status"]),
    ],
)
def test_create_ticket_validation_is_422_per_field(admin, moana, meta, change, fields):
    body = {
        "campaign_id": str(moana.id),
        "channel_id": str(meta.id),
        "request_type": "CREATE_CAMPAIGN",
    } | change
    assert_error(admin.post("/tickets", body), 422, *fields)
    assert admin.get("/tickets").headers["X-Total-Count"] == "0"


def test_create_ticket_names_every_missing_field(admin):
    assert_error(admin.post("/tickets", {}), 422, "campaign_id", "channel_id", "request_type")


def test_ticket_list_filters(admin, trafficker, open_ticket, make_campaign, make_channel, moana):
    tiktok = make_channel(api_identifier="TIKTOK", platform_name="TikTok")
    frozen = make_campaign(campaign_name="Frozen")
    a = open_ticket()
    b = open_ticket(channel=tiktok)
    c = open_ticket(campaign=frozen)
    # Moved to QA_TESTING, pre-flight QA fails it at once: it has no settings.
    assert move(trafficker, b, "QA_TESTING")["status"] == "QA_FAILED"

    def found(query: str) -> set[str]:
        response = admin.get(f"/tickets?{query}")
        assert response.status_code == 200, response.text
        assert response.headers["X-Total-Count"] == str(len(response.get_json()))
        return ids(response.get_json())

    assert found("") == ids([a, b, c])
    assert found("status=QA_FAILED") == ids([b])
    assert found("status=QA_TESTING") == set()
    assert found("status=draft") == ids([a, c])
    assert found(f"campaign_id={moana.id}") == ids([a, b])
    assert found(f"channel_id={tiktok.id}") == ids([b])
    assert found(f"campaign_id={moana.id}&status=DRAFT") == ids([a])
    assert found(f"campaign_id={new_id()}") == set()
    # Most recently moved first.
    assert admin.get("/tickets?limit=1").get_json()[0]["id"] == b["id"]
    assert admin.get("/tickets?limit=2&offset=2").headers["X-Total-Count"] == "3"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("status=ACTIVE", "status"),
        ("campaign_id=nope", "campaign_id"),
        ("channel_id=1", "channel_id"),
    ],
)
def test_ticket_list_refuses_bad_filters(admin, query, field):
    assert_error(admin.get(f"/tickets?{query}"), 422, field)


def test_put_ticket_walks_the_workflow_and_records_who_moved_it(
    db, make_user, bearer, client, open_ticket
):
    user = make_user(Role.TRAFFICKER)
    api = Api(client, bearer(user=user))
    # FULL_SETTINGS flies in March 2026 and its landing URL has no UTM tags: QA fails it.
    ticket = open_ticket(payload_config=FULL_SETTINGS)
    versions = [ticket["version"]]

    ticket = move(api, ticket, "QA_TESTING", version=ticket["version"])
    assert ticket["status"] == "QA_FAILED"
    assert "utm_campaign" in ticket["qa_failure_reason"]
    versions.append(ticket["version"])

    ticket = move(api, ticket, "DRAFT")
    assert ticket["status"] == "DRAFT"
    ticket = api.update("tickets", ticket["id"], {"payload_config": qa_settings()})
    ticket = move(api, ticket, "QA_TESTING")
    assert ticket["status"] == "READY_FOR_API"
    assert ticket["qa_failure_reason"] is None
    versions.append(ticket["version"])

    no_id = api.put(f"/tickets/{ticket['id']}", {"status": "TRAFFICKED_SUCCESS"})
    assert_error(no_id, 422, "external_platform_id")
    ticket = move(api, ticket, "trafficked_success", external_platform_id="120210000000001")
    assert ticket["status"] == "TRAFFICKED_SUCCESS"
    assert ticket["external_platform_id"] == "120210000000001"
    assert_timestamp(ticket["status_changed_at"])
    versions.append(ticket["version"])
    assert versions == sorted(set(versions)), "every change bumps the version"
    assert api.get(f"/tickets/{ticket['id']}").get_json() == ticket

    events = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == uuid.UUID(ticket["id"]))
        .order_by(TicketEvent.created_at)
    ).all()
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, TicketStatus.DRAFT),
        (TicketStatus.DRAFT, TicketStatus.QA_TESTING),
        (TicketStatus.QA_TESTING, TicketStatus.QA_FAILED),
        (TicketStatus.QA_FAILED, TicketStatus.DRAFT),
        (TicketStatus.DRAFT, TicketStatus.QA_TESTING),
        (TicketStatus.QA_TESTING, TicketStatus.READY_FOR_API),
        (TicketStatus.READY_FOR_API, TicketStatus.TRAFFICKED_SUCCESS),
    ]
    assert all(e.actor_id == user.id for e in events[1:])
    assert events[2].reason.startswith("Pre-flight QA:") and "Blocking:" in events[2].reason
    everything = len(qa.RULES)
    assert events[5].reason.startswith(f"Pre-flight QA: {everything} of {everything} rules passed")


def test_a_manual_qa_failed_move_needs_a_reason(db, trafficker, open_ticket):
    ticket = set_status(db, trafficker, open_ticket(), TicketStatus.QA_TESTING)

    no_reason = trafficker.put(f"/tickets/{ticket['id']}", {"status": "QA_FAILED"})
    assert_error(no_reason, 422, "qa_failure_reason")
    blank = {"status": "QA_FAILED", "qa_failure_reason": " "}
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", blank), 422, "qa_failure_reason")
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket

    ticket = move(trafficker, ticket, "QA_FAILED", qa_failure_reason="Landing URL 404s")
    assert (ticket["status"], ticket["qa_failure_reason"]) == ("QA_FAILED", "Landing URL 404s")
    event = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == uuid.UUID(ticket["id"]))
        .order_by(TicketEvent.created_at.desc())
    ).first()
    assert (event.to_status, event.reason) == (TicketStatus.QA_FAILED, "Landing URL 404s")


def test_put_qa_testing_fails_a_bad_ticket_with_every_blocking_problem(db, trafficker, open_ticket):
    ticket = open_ticket(
        payload_config={
            "objective": "TRAFFIC",
            "budget_type": "DAILY",
            "budget_amount": "10",
            "flight_start": "2020-01-01",
            "flight_end": "2020-01-31",
            "landing_url": "http://www.disney.com/moana?utm_campaign=Wrong",
            "initial_status": "PAUSED",
        }
    )

    response = trafficker.put(
        f"/tickets/{ticket['id']}", {"status": "QA_TESTING", "version": ticket["version"]}
    )

    assert response.status_code == 200, response.text
    body = response.get_json()
    assert body["status"] == "QA_FAILED"
    assert body["version"] > ticket["version"]
    report = {finding["rule"]: finding for finding in body["qa_report"]}
    assert set(report) == {r.code for r in qa.RULES}
    for finding in body["qa_report"]:
        assert set(finding) == {"rule", "title", "severity", "passed", "message"}
    failed_blocks = {c for c, f in report.items() if not f["passed"] and f["severity"] == "block"}
    assert {"flight", "landing_https", "utm_campaign"} <= failed_blocks
    # The reason names every blocking problem, not only the first.
    for code in failed_blocks:
        assert f"[{report[code]['title']}] {report[code]['message']}" in body["qa_failure_reason"]
    assert "The flight ended at 2020-01-31" in body["qa_failure_reason"]
    assert "not https" in body["qa_failure_reason"]
    assert "utm_campaign is Wrong" in body["qa_failure_reason"]
    # A failed warning is reported but is not a reason.
    assert report["utm_source_medium"]["passed"] is False
    assert report["utm_source_medium"]["message"] not in body["qa_failure_reason"]
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == body

    events = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == uuid.UUID(ticket["id"]))
        .order_by(TicketEvent.created_at)
    ).all()
    assert [(e.from_status, e.to_status) for e in events[1:]] == [
        (TicketStatus.DRAFT, TicketStatus.QA_TESTING),
        (TicketStatus.QA_TESTING, TicketStatus.QA_FAILED),
    ]


def test_put_qa_testing_makes_a_good_ticket_ready_for_api(db, trafficker, open_ticket):
    ticket = open_ticket(payload_config=qa_settings())

    body = move(trafficker, ticket, "QA_TESTING", version=ticket["version"])

    assert body["status"] == "READY_FOR_API"
    assert body["qa_failure_reason"] is None
    assert body["version"] > ticket["version"]
    assert [f["rule"] for f in body["qa_report"]] == [r.code for r in qa.RULES]
    assert all(f["passed"] and f["message"] == "OK" for f in body["qa_report"]), body["qa_report"]
    events = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == uuid.UUID(ticket["id"]))
        .order_by(TicketEvent.created_at)
    ).all()
    assert [(e.from_status, e.to_status) for e in events[1:]] == [
        (TicketStatus.DRAFT, TicketStatus.QA_TESTING),
        (TicketStatus.QA_TESTING, TicketStatus.READY_FOR_API),
    ]


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("DRAFT", "READY_FOR_API", "QA testing"),
        ("DRAFT", "TRAFFICKED_SUCCESS", "QA testing"),
        ("QA_TESTING", "DRAFT", "Ready for API, QA failed"),
        ("QA_FAILED", "READY_FOR_API", "Draft, QA testing"),
        ("READY_FOR_API", "QA_TESTING", "Trafficked success, Failed, Draft"),
        ("FAILED", "TRAFFICKED_SUCCESS", "Ready for API, Draft"),
        ("TRAFFICKED_SUCCESS", "DRAFT", "none, it is final"),
    ],
)
def test_put_ticket_refuses_an_illegal_move_naming_the_allowed_ones(
    db, admin, trafficker, open_ticket, start, target, allowed
):
    ticket = set_status(db, trafficker, open_ticket(), TicketStatus(start))
    body = assert_error(
        trafficker.put(
            f"/tickets/{ticket['id']}",
            {"status": target, "external_platform_id": "x2", "qa_failure_reason": "r"},
        ),
        409,
    )
    assert f"Allowed moves: {allowed}." in body["detail"]
    assert admin.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_put_ticket_with_a_stale_version_is_409(trafficker, open_ticket):
    ticket = open_ticket()
    stale = ticket["version"]
    # No settings yet: pre-flight QA fails it.
    ticket = move(trafficker, ticket, "QA_TESTING", version=stale)
    assert ticket["status"] == "QA_FAILED"

    body = assert_error(
        trafficker.put(f"/tickets/{ticket['id']}", {"status": "DRAFT", "version": stale}),
        409,
    )
    assert "Reload" in body["detail"]
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket

    refused = trafficker.put(
        f"/tickets/{ticket['id']}", {"payload_config": qa_settings(), "version": stale}
    )
    assert_error(refused, 409)
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket
    # Without a version there is no check; with the current one it goes through.
    ticket = trafficker.update(
        "tickets",
        ticket["id"],
        {
            "payload_config": qa_settings(),
            "status": "QA_TESTING",
            "version": ticket["version"],
        },
    )
    assert (ticket["status"], ticket["payload_config"]) == ("READY_FOR_API", qa_settings())


@pytest.mark.parametrize(
    "change",
    [{}, {"status": "QA_FAILED"}, {"status": " qa_failed "}],
    ids=["nothing", "the-current-status", "the-current-status-in-other-case"],
)
def test_put_ticket_that_changes_nothing_with_a_stale_version_is_409(
    trafficker, open_ticket, change
):
    ticket = open_ticket()
    stale = ticket["version"]
    ticket = move(trafficker, ticket, "QA_TESTING", version=stale)
    assert ticket["status"] == "QA_FAILED"

    # The caller's copy is out of date: saying "nothing changed" must not pass as current.
    body = assert_error(
        trafficker.put(f"/tickets/{ticket['id']}", {**change, "version": stale}), 409
    )
    assert "Reload" in body["detail"]
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket
    # With the current version the same request is a harmless 200.
    same = trafficker.put(f"/tickets/{ticket['id']}", {**change, "version": ticket["version"]})
    assert same.status_code == 200, same.text
    assert same.get_json() == ticket


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": "1"}, "version"),
        ({"version": 1.5}, "version"),
        ({"version": True}, "version"),
        ({"version": 2**31}, "version"),
        ({"version": -(2**31) - 1}, "version"),
        ({"status": 3}, "status"),
        ({"status": "SHIPPED"}, "status"),
        ({"external_platform_id": 120210000000001}, "external_platform_id"),
        ({"qa_failure_reason": ["bad"]}, "qa_failure_reason"),
        ({"payload_config": "x"}, "payload_config"),
        ({"payload_config": {"budget_amount": "1.234"}}, "budget_amount"),
        ({"payload_config": {"nope": 1}}, "payload_config"),
        ({"external_platform_id": "120210000000001"}, "external_platform_id"),
        ({"qa_failure_reason": "Looks wrong"}, "qa_failure_reason"),
        ({"status": "DRAFT", "external_platform_id": "1"}, "external_platform_id"),
    ],
)
def test_put_ticket_validation_is_422(admin, open_ticket, change, field):
    ticket = open_ticket()
    assert_error(admin.put(f"/tickets/{ticket['id']}", change), 422, field)
    assert admin.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_payload_config_is_editable_only_in_draft_and_qa_failed(db, trafficker, open_ticket):
    ticket = open_ticket()
    ticket = trafficker.update("tickets", ticket["id"], {"payload_config": FULL_SETTINGS})
    assert ticket["payload_config"] == CLEANED_SETTINGS

    ticket = set_status(db, trafficker, ticket, TicketStatus.QA_TESTING)
    body = assert_error(
        trafficker.put(f"/tickets/{ticket['id']}", {"payload_config": {"objective": "REACH"}}), 409
    )
    assert "Draft or QA failed" in body["detail"]

    ticket = move(trafficker, ticket, "QA_FAILED", qa_failure_reason="wrong objective")
    ticket = trafficker.update("tickets", ticket["id"], {"payload_config": {"objective": "REACH"}})
    assert ticket["payload_config"] == {"objective": "REACH", "initial_status": "PAUSED"}

    # Failed by pre-flight QA (the settings are incomplete), so editable again.
    ticket = move(trafficker, ticket, "QA_TESTING")
    assert ticket["status"] == "QA_FAILED"
    ticket = trafficker.update("tickets", ticket["id"], {"payload_config": qa_settings()})
    ticket = move(trafficker, ticket, "QA_TESTING")
    assert ticket["status"] == "READY_FOR_API"
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", {"payload_config": {}}), 409)
    ticket = move(trafficker, ticket, "TRAFFICKED_SUCCESS", external_platform_id="tt-1")
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", {"payload_config": {}}), 409)
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_put_ticket_refuses_overlong_reasons_and_platform_ids(db, trafficker, open_ticket):
    ticket = set_status(db, trafficker, open_ticket(), TicketStatus.QA_TESTING)
    too_long = {"status": "QA_FAILED", "qa_failure_reason": "x" * 2001}
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", too_long), 422, "qa_failure_reason")
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket

    ticket = move(trafficker, open_ticket(payload_config=qa_settings()), "QA_TESTING")
    assert ticket["status"] == "READY_FOR_API"
    too_long = {"status": "TRAFFICKED_SUCCESS", "external_platform_id": "1" * 256}
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", too_long), 422, "external_platform_id")
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_delete_ticket_only_in_draft(admin, trafficker, open_ticket):
    draft, moved = open_ticket(), open_ticket()
    response = trafficker.delete(f"/tickets/{draft['id']}")
    assert response.status_code == 204 and response.data == b""
    assert_error(admin.get(f"/tickets/{draft['id']}"), 404)

    assert move(trafficker, moved, "QA_TESTING")["status"] == "QA_FAILED"
    assert "Draft" in assert_error(trafficker.delete(f"/tickets/{moved['id']}"), 409)["detail"]
    assert admin.get(f"/tickets/{moved['id']}").status_code == 200


def test_a_channel_used_by_tickets_cannot_be_deleted(admin, open_ticket, meta):
    open_ticket()
    body = assert_error(admin.delete(f"/channels/{meta.id}"), 409)
    assert "META" in body["detail"] and "1 ticket" in body["detail"]
    assert admin.get(f"/channels/{meta.id}").status_code == 200


# --- tokens from the command line ----------------------------------------------------------------


def test_flask_tokens_create_prints_a_working_token_and_stores_only_a_digest(
    app, db, client, make_user
):
    user = make_user(Role.TRAFFICKER, email="ana@example.com")
    result = app.test_cli_runner().invoke(
        args=["tokens", "create", "Ana@Example.com", "--name", "nightly sync"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    token = lines[-1]
    assert token == token.strip() and " " not in token and len(token) >= 32
    assert "nightly sync" in result.output and token not in "\n".join(lines[:-1])

    api = Api(client, {"Authorization": f"Bearer {token}"})
    assert api.get("/markets").status_code == 200
    assert_error(api.post("/markets", REFERENCE_BODIES["markets"]), 403)  # a trafficker

    db.session.expire_all()
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.name == "nightly sync"
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    stored = db.session.execute(text("SELECT * FROM api_tokens")).all()
    assert len(stored) == 1
    assert all(token not in str(value) for value in stored[0])


def test_flask_tokens_create_without_a_name_and_for_an_admin(app, client, make_user):
    make_user(Role.ADMIN, email="root@example.com")
    result = app.test_cli_runner().invoke(args=["tokens", "create", "root@example.com"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    api = Api(client, {"Authorization": f"Bearer {token}"})
    assert api.post("/markets", REFERENCE_BODIES["markets"]).status_code == 201


def test_flask_tokens_create_for_an_unknown_email_fails_clearly(app, db):
    result = app.test_cli_runner().invoke(args=["tokens", "create", "nobody@example.com"])
    assert result.exit_code != 0
    assert "No user with email nobody@example.com" in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_a_token_use_is_recorded_even_on_reads(db, client, make_user):
    """The profile page shows when each token was last used; a read-only script counts."""
    user = make_user(Role.VIEWER)
    row, token = tokens.create_token(user, "dashboard")
    db.session.commit()
    token_id = row.id
    responses = []
    # In a thread of its own the request has its own app context and database session, as in
    # production: what it does not commit is gone when it ends.
    worker = threading.Thread(
        target=lambda: responses.append(
            Api(client, {"Authorization": f"Bearer {token}"}).get("/markets").status_code
        )
    )
    worker.start()
    worker.join()
    assert responses == [200]
    db.session.rollback()  # end this session's read transaction to see the request's commits
    assert db.session.get(ApiToken, token_id).last_used_at is not None


# --- CSRF: browser sessions versus tokens --------------------------------------------------------


def _login_with_csrf(client, user) -> None:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.text


def _header_token(page: str) -> str:
    """The CSRF token htmx sends, from the page's `hx-headers` attribute."""
    attribute = re.search(r"hx-headers(?::inherited)?='([^']+)'", page).group(1)
    return json.loads(html.unescape(attribute))["X-CSRFToken"]


def test_a_browser_session_needs_the_csrf_token_to_write(client, make_user, us, csrf_on):
    _login_with_csrf(client, make_user(Role.ADMIN))
    session = Api(client)
    listed = session.get("/markets")
    assert listed.status_code == 200
    assert listed.headers["X-Total-Count"] == "1"

    body = REFERENCE_BODIES["markets"]
    refused = session.post("/markets", body)
    assert "expired" in assert_error(refused, 400)["detail"]
    assert_error(session.put(f"/markets/{us.id}", {"country": "USA"}), 400)
    assert_error(session.delete(f"/markets/{us.id}"), 400)
    assert_error(session.post("/markets", body, headers={"X-CSRFToken": "forged"}), 400)
    assert session.get("/markets").headers["X-Total-Count"] == "1"

    csrf = {"X-CSRFToken": _header_token(client.get("/markets/").text)}
    assert session.post("/markets", body, headers=csrf).status_code == 201
    assert session.put(f"/markets/{us.id}", {"country": "USA"}, headers=csrf).status_code == 200
    assert session.delete(f"/markets/{us.id}", headers=csrf).status_code == 204
    assert [m["code"] for m in session.get("/markets").get_json()] == ["GB"]


def test_token_requests_need_no_csrf_token(admin, us, csrf_on):
    assert admin.post("/markets", REFERENCE_BODIES["markets"]).status_code == 201
    assert admin.update("markets", str(us.id), {"country": "USA"})["country"] == "US"
    assert admin.delete(f"/markets/{us.id}").status_code == 204


def test_a_browser_session_still_has_its_role(client, make_user, us, csrf_on):
    _login_with_csrf(client, make_user(Role.VIEWER))
    csrf = {"X-CSRFToken": _header_token(client.get("/markets/").text)}
    response = Api(client).delete(f"/markets/{us.id}", headers=csrf)
    assert_error(response, 403)


# --- the whole job with nothing but a token ------------------------------------------------------


def test_a_script_with_only_a_token_traffics_a_campaign(app, db, make_user):
    user = make_user(Role.ADMIN)
    _, token = tokens.create_token(user, "script")
    db.session.commit()
    script = Api(app.test_client(use_cookies=False), {"Authorization": f"Bearer {token}"})

    market = script.create(
        "markets", {"code": "JP", "country": "Japan", "region": "APAC", "currency": "JPY"}
    )
    brand = script.create("brands", {"name": "Disney", "internal_code": "DIS"})
    channel = script.create("channels", {"platform_name": "TikTok", "api_identifier": "TIKTOK"})
    campaign = script.create(
        "campaigns",
        {
            "brand_id": brand["id"],
            "market_id": market["id"],
            "campaign_name": "Moana Launch",
            "year": 2026,
            "budget": 1500000,
        },
    )
    assert campaign["name"] == "DIS_JP_MULTI_2026_MoanaLaunch"
    assert campaign["budget"] == "1500000"
    campaign = script.update("campaigns", campaign["id"], {"status": "ACTIVE"})

    ticket = script.create(
        "tickets",
        {
            "campaign_id": campaign["id"],
            "channel_id": channel["id"],
            "request_type": "CREATE_CAMPAIGN",
            # 50,000 JPY a day for 28 days: 1,400,000, within the campaign's budget.
            "payload_config": qa_settings("DIS_JP_TIKTOK_2026_MoanaLaunch", budget_amount="50000"),
        },
    )
    assert ticket["platform_name"] == "DIS_JP_TIKTOK_2026_MoanaLaunch"
    assert ticket["payload_config"]["budget_amount"] == "50000"
    # Pre-flight QA passes it, so QA_TESTING moves on to READY_FOR_API in the same request.
    for status, extra, reached in (
        ("QA_TESTING", {}, "READY_FOR_API"),
        ("TRAFFICKED_SUCCESS", {"external_platform_id": "1790000000000001"}, None),
    ):
        ticket = script.update(
            "tickets", ticket["id"], {"status": status, "version": ticket["version"], **extra}
        )
        assert ticket["status"] == (reached or status), ticket["qa_failure_reason"]
    assert all(f["passed"] for f in ticket["qa_report"]), ticket["qa_report"]

    read_back = script.get(f"/tickets/{ticket['id']}").get_json()
    assert read_back == ticket
    assert read_back["status"] == "TRAFFICKED_SUCCESS"
    assert read_back["external_platform_id"] == "1790000000000001"
    assert read_back["created_by_id"] == str(user.id)
    done = script.get(f"/tickets?status=TRAFFICKED_SUCCESS&campaign_id={campaign['id']}")
    assert [t["id"] for t in done.get_json()] == [ticket["id"]]
    assert script.get("/campaigns?status=ACTIVE&q=moana").get_json() == [
        script.get(f"/campaigns/{campaign['id']}").get_json()
    ]
    # The campaign's work has left DRAFT, so it stays, and so do its market and channel.
    assert_error(script.delete(f"/campaigns/{campaign['id']}"), 409)
    assert_error(script.delete(f"/markets/{market['id']}"), 409)
    assert_error(script.delete(f"/channels/{channel['id']}"), 409)


def test_ticket_payload_is_the_platform_request(admin, rows, db):
    """GET /tickets/{id}/payload returns what the channel's translator builds, or 422."""
    from omnitraffick.models import Channel, Ticket

    ticket = db.session.get(Ticket, uuid.UUID(rows["tickets"]))
    channel = db.session.get(Channel, ticket.channel_id)
    channel.api_identifier = "META"
    ticket.payload_config = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "150.50",
        "flight_start": "2031-03-01",
        "landing_url": "https://example.com/?utm_campaign=x",
        "initial_status": "PAUSED",
    }
    db.session.commit()

    response = admin.get(f"/tickets/{ticket.id}/payload")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["channel"] == "META"
    assert [r["method"] for r in body["requests"]] == ["POST", "POST"]
    assert body["requests"][0]["path"].endswith("/act_{ad_account_id}/campaigns")
    assert body["requests"][0]["body"]["status"] == "PAUSED"

    ticket.payload_config = {"budget_type": "LIFETIME"}
    db.session.commit()
    refused = admin.get(f"/tickets/{ticket.id}/payload")
    assert refused.status_code == 422
    problems = [m for ms in refused.get_json()["errors"].values() for m in ms]
    assert len(problems) >= 2  # every problem, not the first one only
    assert "budget_amount" in refused.get_json()["errors"]


def test_ticket_payload_of_an_unknown_ticket_is_404(admin):
    assert admin.get(f"/tickets/{uuid.uuid4()}/payload").status_code == 404


def test_brand_budget_ceilings_round_trip(admin):
    created = admin.post(
        "/brands",
        {
            "name": "Ceilinged",
            "internal_code": "CEIL",
            "daily_budget_ceiling": "500",
            "lifetime_budget_ceiling": 20000,
            "ceiling_currency": "usd",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["daily_budget_ceiling"] == "500.00"
    assert body["lifetime_budget_ceiling"] == "20000.00"
    assert body["ceiling_currency"] == "USD"

    refused = admin.post(
        "/brands",
        {
            "name": "Bad",
            "internal_code": "BAD",
            "daily_budget_ceiling": "-1",
            "ceiling_currency": "XYZ",
        },
    )
    assert refused.status_code == 422
    assert "ceiling_currency" in refused.get_json()["errors"]
