"""The JSON API at /api/v1: DESIGN.md's "JSON API" contract, endpoint by endpoint: 401: who is
calling; 403: roles, exactly as in the UI; 404: unknown and malformed ids; 400 / 413 / 422 on
any body; lists: paging and X-Total-Count; reference data: markets, brands, channels.
"""

import json
import uuid

import pytest
from sqlalchemy import func, select

from omnitraffick.models import (
    Role,
)
from omnitraffick.services import reference, tokens
from tests.api.helpers import (
    ENDPOINTS,
    MODELS,
    NO_BODY,
    ONE_MB,
    ONE_ROW,
    READS,
    REFERENCE,
    REFERENCE_CASES,
    RESOURCES,
    VALID_UPDATES,
    WRITE_METHODS,
    WRITES,
    Api,
    _endpoint_params,
    assert_error,
    assert_timestamp,
    assert_uuid,
    new_id,
    path_of,
    valid_body,
)

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
