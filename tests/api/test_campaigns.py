"""The JSON API at /api/v1: DESIGN.md's "JSON API" contract, endpoint by endpoint: campaigns."""

from datetime import date

import pytest

from omnitraffick.models import (
    Role,
    TicketStatus,
)
from tests.api.helpers import (
    CAMPAIGN_KEYS,
    Api,
    assert_error,
    assert_timestamp,
    assert_uuid,
    campaign_body,
    ids,
    new_id,
    set_status,
)

# --- campaigns -----------------------------------------------------------------------------------


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
