"""Hostile or broken input gets a clear 4xx, never a 500."""

import os

import pytest
import requests

from omnitraffick.api.spec import MAX_HEADER_SIZE, MAX_HEADERS, MAX_REQUEST_LINE
from tests.processes import start_gunicorn, stop

from .conftest import api_operations, assert_documented, url_with_id

DEEP_ARRAY = "[" * 100_000
DEEP_OBJECT = '{"a":' * 100_000
NESTED_TOO_DEEPLY = "The JSON body is nested too deeply to read"


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
# The spreadsheet import reads no JSON: any JSON body is a 415 (tests/test_import_api.py).
@pytest.mark.parametrize(
    ("method", "path"),
    [op for op in api_operations("POST", "PUT") if op[1] != "/api/v1/imports/campaigns"],
)
def test_json_nested_100000_deep_is_a_400_on_every_api_route(
    client, bearer, rows, method, path, body
):
    response = client.open(
        url_with_id(path, rows),
        method=method,
        data=body,
        content_type="application/json",
        headers=bearer,
    )

    assert response.status_code == 400, response.text
    assert response.get_json()["detail"].startswith(NESTED_TOO_DEEPLY)
    assert_documented(response, method, path)


def test_json_nested_too_deeply_posted_to_a_form_is_a_400_page(client, login):
    login()
    # Flask-WTF reads a JSON body as the form's data.
    response = client.post("/markets/new", data=DEEP_ARRAY, content_type="application/json")

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert NESTED_TOO_DEEPLY in response.text


def test_json_nested_a_few_levels_still_reads(client, bearer):
    response = client.post(
        "/api/v1/markets",
        json={"code": "US", "country": "US", "region": "NA", "currency": "USD", "x": [[[{}]]]},
        headers=bearer,
    )

    # Read and checked: the unknown field is named, not a parse failure.
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["x"]


# --- sending a ticket: no body, or a JSON object ---------------------------------------------


@pytest.mark.parametrize("body", [" ", "\t\r\n ", "\x0b\x0c", "\x1c\x1d\x1e\x1f", "\x00"], ids=repr)
def test_a_send_body_of_blanks_or_control_characters_is_a_400(client, bearer, rows, body):
    path = "/api/v1/tickets/{id}/send"
    response = client.post(
        url_with_id(path, rows), data=body, content_type="application/json", headers=bearer
    )

    assert response.status_code == 400, response.text
    assert "must be valid JSON" in response.get_json()["detail"]
    assert_documented(response, "POST", path)


@pytest.mark.parametrize("body", ["null", "[]", "1", '"send"'])
def test_a_send_body_that_is_json_but_not_an_object_is_a_422(client, bearer, rows, body):
    path = "/api/v1/tickets/{id}/send"
    response = client.post(
        url_with_id(path, rows), data=body, content_type="application/json", headers=bearer
    )

    assert response.status_code == 422, response.text
    assert response.get_json()["detail"] == "The body must be a JSON object."
    assert_documented(response, "POST", path)


@pytest.mark.parametrize("body", [None, "{}", '{"version": 1}'], ids=["none", "empty", "version"])
def test_a_send_without_a_body_or_with_an_object_reaches_the_ticket(client, bearer, rows, body):
    response = client.post(
        url_with_id("/api/v1/tickets/{id}/send", rows),
        data=body,
        content_type="application/json" if body else None,
        headers=bearer,
    )

    # The ticket is a draft: the body was read, and the workflow refused the send.
    assert response.status_code == 409, response.text
    assert response.get_json()["detail"].startswith("Only tickets Ready for API can be sent")


# --- what the HTTP server refuses before the app ----------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app under gunicorn, as in production, on an empty SQLite file; yields its URL."""
    folder = tmp_path_factory.mktemp("served")
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("REDIS_URL", "TEST_DATABASE_URL", "OMNITRAFFICK_JOBS")
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "SECRET_KEY": "served-by-gunicorn-" + "0" * 32,
    }
    url, server = start_gunicorn(env, folder / "gunicorn.log", workers=1)
    yield url
    stop(server)


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({"params": {"q": "x" * (MAX_REQUEST_LINE + 1)}}, 400),
        ({"headers": {f"X-Header-{n}": "1" for n in range(MAX_HEADERS + 1)}}, 431),
        ({"headers": {"X-Big": "x" * (MAX_HEADER_SIZE + 1)}}, 431),
    ],
    ids=["request-line-too-long", "too-many-headers", "header-too-long"],
)
def test_what_the_http_server_refuses_is_documented_for_every_operation(
    served, request_kwargs, status
):
    response = requests.get(f"{served}/api/v1/markets", timeout=10, **request_kwargs)

    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "text/html"
    for method, path in api_operations("GET", "POST", "PUT", "DELETE"):
        assert_documented(response, method, path)
