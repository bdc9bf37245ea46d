"""The JSON API at /api/v1: DESIGN.md's "JSON API" contract, endpoint by endpoint. Helpers shared
by the files of this folder.
"""

import html
import json
import re
import uuid
from datetime import date, datetime, timedelta

import pytest

from omnitraffick.models import (
    Brand,
    Campaign,
    Channel,
    Market,
    Ticket,
    TicketStatus,
    utcnow,
)
from tests.conftest import PASSWORD
from tests.html import csrf_token

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


CHANNEL_KEYS = {"id", "created_at", "updated_at", "platform_name", "api_identifier", "lead_days"}


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
    "assignee_id",
    "due_date",
}


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


def campaign_body(brand, market, **extra) -> dict:
    return {
        "brand_id": str(brand.id),
        "market_id": str(market.id),
        "campaign_name": "Moana Launch!",
        "year": 2026,
        "budget": "1500",
    } | extra


def _login_with_csrf(client, user) -> None:
    page = client.get("/login").text
    token = csrf_token(page)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.text


def _header_token(page: str) -> str:
    """The CSRF token htmx sends, from the page's `hx-headers` attribute."""
    attribute = re.search(r"hx-headers(?::inherited)?='([^']+)'", page).group(1)
    return json.loads(html.unescape(attribute))["X-CSRFToken"]
