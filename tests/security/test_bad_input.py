"""Hostile or broken input gets a clear 4xx, never a 500."""

import pytest

from .conftest import api_operations, url_with_id

DEEP_ARRAY = "[" * 100_000
DEEP_OBJECT = '{"a":' * 100_000
NESTED_TOO_DEEPLY = "The JSON body is nested too deeply to read"


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize(("method", "path"), api_operations("POST", "PUT"))
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
