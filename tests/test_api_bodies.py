"""Request bodies read by the API's schemas: the same answers, word for word, as the field
checks they replaced; and the document those schemas generate."""

import json
import uuid

import pytest

from omnitraffick.api import schemas
from omnitraffick.api.spec import document
from omnitraffick.models import Role
from omnitraffick.services import tokens

API = "/api/v1"


@pytest.fixture
def post(client, db, make_user):
    """Send a body to the API as an admin; returns (status, JSON)."""
    _, token = tokens.create_token(make_user(Role.ADMIN), "pytest")
    db.session.commit()

    def send(path: str, body, method: str = "POST"):
        response = client.open(
            API + path,
            method=method,
            data=body if isinstance(body, str) else json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.status_code, response.get_json()

    return send


def test_unknown_missing_and_mistyped_fields_are_named_in_order(post):
    status, body = post("/markets", {"x": 1, "region": 5, "code": "US", "currency": ""})

    assert status == 422
    assert body == {
        "detail": "Unknown field 'x'; allowed: code, country, currency, region, time_zone. "
        "country is required. currency is required. region must be a string.",
        "errors": {
            "x": ["Unknown field 'x'; allowed: code, country, currency, region, time_zone."],
            "country": ["country is required."],
            "currency": ["currency is required."],
            "region": ["region must be a string."],
        },
    }
    # The detail keeps the order: unknown fields, then required ones missing, then the rest.
    _, body = post("/campaigns", {"year": True, "budget": None})
    assert body["detail"] == (
        "brand_id is required. market_id is required. campaign_name is required. "
        "budget is required. year must be a four-digit year."
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("brand_id", "nope", "brand_id must be a UUID, e.g. 3f2b8c1e-..."),
        ("brand_id", 7, "brand_id must be a UUID string."),
        ("campaign_name", ["a"], "campaign_name must be a string."),
        ("campaign_name", "Moana\x00", "campaign_name cannot contain NUL (\\u0000) characters."),
        ("budget", True, 'budget must be a decimal number or string, e.g. "1500.00".'),
        ("budget", "NaN-as-number", None),
        ("year", 2026.5, "year must be a four-digit year."),
        ("status", None, "status must be a string."),
    ],
)
def test_each_kind_refuses_in_its_words(post, field, value, message):
    body = {"brand_id": str(uuid.uuid4()), "market_id": str(uuid.uuid4())}
    body |= {"campaign_name": "Moana", "budget": "1", field: value}
    if value == "NaN-as-number":  # JSON as Python writes it: NaN is no finite number
        status, answer = post("/campaigns", json.dumps(body | {"budget": float("nan")}))
        assert (status, answer["errors"]) == (422, {"budget": ["budget must be a finite number."]})
        return
    status, answer = post("/campaigns", body)
    assert (status, answer["errors"]) == (422, {field: [message]})


def test_integers_take_whole_floats_and_refuse_32_bit_overflow(post, make_ticket):
    ticket = make_ticket()
    path = f"/tickets/{ticket.id}"

    assert post(path, {"version": 1.0}, "PUT")[0] == 200
    status, body = post(path, {"version": 2**31}, "PUT")
    assert (status, body["errors"]) == (422, {"version": ["version is out of range."]})
    status, body = post(path, {"version": "1"}, "PUT")
    assert body["errors"] == {"version": ["version must be an integer."]}


def test_a_blank_ceiling_is_refused_and_null_clears_it(post):
    status, body = post(
        "/brands", {"name": "Acme", "internal_code": "ACME", "daily_budget_ceiling": " "}
    )
    assert (status, body["errors"]) == (
        422,
        {"daily_budget_ceiling": ["daily_budget_ceiling must be a number; send null to clear it."]},
    )
    status, body = post(
        "/brands", {"name": "Acme", "internal_code": "ACME", "daily_budget_ceiling": None}
    )
    assert status == 201 and body["daily_budget_ceiling"] is None


def test_a_campaigns_fixed_fields_are_refused_before_anything_else(post, moana):
    status, body = post(f"/campaigns/{moana.id}", {"year": 2030, "budget": True, "x": 1}, "PUT")

    assert status == 422
    assert body["errors"] == {"year": ["This field cannot change."]}
    assert body["detail"].startswith("year cannot change: a campaign's name, brand, market")


def test_an_unknown_row_is_a_404_before_its_body_is_read(post):
    assert post(f"/campaigns/{uuid.uuid4()}", "{not json", "PUT")[0] == 404
    assert post(f"/tickets/{uuid.uuid4()}/send", [], "POST")[0] == 404


# --- the generated document ---------------------------------------------------------------------


def test_every_schema_is_closed_and_every_answer_complete():
    found = document()["components"]["schemas"]
    for name, schema in found.items():
        assert schema["additionalProperties"] is False, name
        if issubclass(getattr(schemas, name), schemas.Answer):
            assert set(schema["required"]) == set(schema["properties"]), name


def test_the_document_has_nothing_of_flask_smorest_own():
    text = json.dumps(document())
    for leftover in ("PaginationMetadata", "DEFAULT_ERROR", "UNPROCESSABLE"):
        assert leftover not in text
    for item in document()["paths"].values():
        for method, operation in item.items():
            if method != "parameters":
                assert "default" not in operation["responses"]


def test_every_operation_has_an_id_and_a_summary():
    ids = []
    for item in document()["paths"].values():
        for method, operation in item.items():
            if method != "parameters":
                assert operation["summary"], operation
                ids.append(operation["operationId"])
    assert len(ids) == len(set(ids)) == 31  # 29, the spreadsheet import and validateNames
    assert {"listMarkets", "createCampaign", "getTicketPayload", "getOpenApi"} <= set(ids)


def test_a_ceiling_needs_a_currency_in_use_only_when_it_is_set():
    brand = document()["components"]["schemas"]["BrandCreate"]
    currency = brand["properties"]["ceiling_currency"]
    assert currency["type"] == ["string", "null"] and "enum" not in currency
    rules = brand["allOf"]
    assert [r["if"]["required"] for r in rules] == [
        ["daily_budget_ceiling"],
        ["lifetime_budget_ceiling"],
    ]
    assert all("USD" in r["then"]["properties"]["ceiling_currency"]["enum"] for r in rules)


def test_the_served_document_is_the_generated_one(client):
    assert client.get(f"{API}/openapi.json").get_json() == json.loads(json.dumps(document()))
