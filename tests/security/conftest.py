"""Fixtures the hardening tests share: a controlled clock, sign-in from an address, API
operations from the OpenAPI document and a check that a response is one it promises."""

import copy
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import schemathesis

from omnitraffick.api.spec import document
from omnitraffick.models import Role
from omnitraffick.services import sessions, tokens, users
from tests.conftest import PASSWORD


class Clock:
    """The time the session and throttle services see; moved only by the test."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    for module in (users, sessions):
        monkeypatch.setattr(module, "utcnow", clock)
    return clock


def sign_in(client, email, password=PASSWORD, address="198.51.100.7", user_agent=None, **data):
    """POST the login form from `address` (and browser `user_agent`); returns the response."""
    return client.post(
        "/login",
        data={"email": email, "password": password, **data},
        environ_base={"REMOTE_ADDR": address},
        headers={"User-Agent": user_agent} if user_agent else None,
    )


@pytest.fixture
def bearer(db, make_user) -> dict[str, str]:
    """Headers carrying an admin's API token."""
    _, token = tokens.create_token(make_user(Role.ADMIN), "hardening tests")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def api_operations(*methods: str) -> list[tuple[str, str]]:
    """(METHOD, path) of every /api/v1 operation with one of `methods`, from the OpenAPI
    document (which test_api_schema.py holds to the app's routes)."""
    return [
        (method.upper(), "/api/v1" + path)
        for path, item in document()["paths"].items()
        for method in item
        if method.upper() in methods
    ]


def url_with_id(path: str, rows: dict[str, str]) -> str:
    """The path with `{id}` filled in from `rows`, by the collection the path names."""
    collection = path.removeprefix("/api/v1/").split("/")[0]
    return path.replace("{id}", rows.get(collection, ""))


# The document as schemathesis reads it (a copy: it writes inferred links into what it reads).
SCHEMA = schemathesis.openapi.from_dict(copy.deepcopy(document()))
CONFORMANCE = [
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


def assert_documented(response, method: str, path: str) -> None:
    """The response (status, content type, headers, body) is one the OpenAPI document
    promises for that operation; `path` as the document spells it (`/api/v1/markets/{id}`)."""
    ids = {"id": str(uuid.uuid4())} if "{id}" in path else None
    case = SCHEMA[path.removeprefix("/api/v1")][method.upper()].Case(path_parameters=ids)
    case.validate_response(response, checks=CONFORMANCE)
