"""The platform sandbox: Meta, TikTok and Google Ads stand-ins, faults and control endpoints."""

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import requests
from werkzeug.serving import make_server

from omnitraffick.sandbox import SANDBOX_CREDENTIALS, create_sandbox
from omnitraffick.sandbox.credentials import GOOGLE_ACCESS_TOKEN

META = SANDBOX_CREDENTIALS["META"]
TIKTOK = SANDBOX_CREDENTIALS["TIKTOK"]
GOOGLE = SANDBOX_CREDENTIALS["GOOGLE"]

ACCOUNT = f"/meta/v27.0/act_{META['ad_account_id']}"
META_AUTH = {"Authorization": f"Bearer {META['access_token']}"}
TIKTOK_API = "/tiktok/open_api/v1.3"
TIKTOK_AUTH = {"Access-Token": TIKTOK["access_token"]}
CUSTOMER = f"/google/v26/customers/{GOOGLE['customer_id']}"
GOOGLE_AUTH = {
    "Authorization": f"Bearer {GOOGLE_ACCESS_TOKEN}",
    "developer-token": GOOGLE["developer_token"],
}


@pytest.fixture(autouse=True)
def db():
    """The sandbox has no database: replace conftest's autouse database fixture."""
    yield None


@pytest.fixture
def client():
    # The requests below carry fixed 2026 dates; the sandbox refuses starts in the past.
    return create_sandbox({"CLOCK": lambda: datetime(2026, 1, 10, tzinfo=UTC)}).test_client()


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def add_fault(client, **spec) -> dict:
    response = client.post("/_sandbox/faults", json=spec)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored(client, platform: str, kind: str) -> list[dict]:
    return client.get("/_sandbox/objects").get_json()[platform][kind]


# Meta


def meta_campaign(**fields) -> dict:
    return {
        "name": unique("DIS_US_META_2026_Moana"),
        "objective": "OUTCOME_AWARENESS",
        "special_ad_categories": [],
        "status": "PAUSED",
        "daily_budget": 5000,
        "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
        **fields,
    }


def meta_adset(parent_id: str, **fields) -> dict:
    return {
        "name": unique("Adset"),
        "campaign_id": parent_id,
        "optimization_goal": "REACH",
        "billing_event": "IMPRESSIONS",
        "status": "PAUSED",
        "targeting": {"geo_locations": {"countries": ["US"]}},
        "start_time": "2026-12-01T00:00:00+0000",
        **fields,
    }


def create_meta_campaign(client, **fields) -> str:
    response = client.post(f"{ACCOUNT}/campaigns", json=meta_campaign(**fields), headers=META_AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["id"]


def meta_error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["type"] == "OAuthException"
    assert error["fbtrace_id"]
    return error


def test_meta_traffics_a_campaign_end_to_end(client):
    name = unique("DIS_US_META_2026_Moana")
    campaign_id = create_meta_campaign(client, name=name)
    assert campaign_id.isdigit() and len(campaign_id) == 15

    response = client.post(f"{ACCOUNT}/adsets", json=meta_adset(campaign_id), headers=META_AUTH)
    assert response.status_code == 200
    adset_id = response.get_json()["id"]
    assert adset_id != campaign_id

    for change in ({"daily_budget": 7500}, {"status": "ACTIVE"}):
        response = client.post(f"/meta/v27.0/{campaign_id}", json=change, headers=META_AUTH)
        assert response.get_json() == {"success": True}

    response = client.get(
        f"/meta/v27.0/{campaign_id}?fields=name,status,daily_budget", headers=META_AUTH
    )
    assert response.get_json() == {
        "id": campaign_id,
        "name": name,
        "status": "ACTIVE",
        "daily_budget": "7500",
    }

    filtering = json.dumps([{"field": "name", "operator": "EQUAL", "value": name}])
    response = client.get(
        f"{ACCOUNT}/campaigns",
        query_string={"fields": "id,name,objective", "filtering": filtering},
        headers=META_AUTH,
    )
    body = response.get_json()
    assert body["data"] == [{"id": campaign_id, "name": name, "objective": "OUTCOME_AWARENESS"}]
    assert body["paging"]["cursors"]

    response = client.get(f"/meta/v27.0/{campaign_id}/adsets?fields=id,name", headers=META_AUTH)
    assert [adset["id"] for adset in response.get_json()["data"]] == [adset_id]


def test_meta_filters_by_name_fragment_and_ids(client):
    moana = create_meta_campaign(client, name="DIS_US_META_2026_Moana")
    create_meta_campaign(client, name="DIS_US_META_2026_Frozen")

    def names(filtering: list[dict]) -> list[str]:
        response = client.get(
            f"{ACCOUNT}/campaigns",
            query_string={"filtering": json.dumps(filtering)},
            headers=META_AUTH,
        )
        return [campaign["name"] for campaign in response.get_json()["data"]]

    assert names([{"field": "name", "operator": "CONTAIN", "value": "moana"}]) == [
        "DIS_US_META_2026_Moana"
    ]
    assert names([{"field": "id", "operator": "IN", "value": [moana]}]) == [
        "DIS_US_META_2026_Moana"
    ]
    assert names([{"field": "name", "operator": "EQUAL", "value": "Nope"}]) == []


def test_meta_accepts_the_token_as_a_query_parameter(client):
    response = client.post(
        f"{ACCOUNT}/campaigns?access_token={META['access_token']}", json=meta_campaign()
    )
    assert response.status_code == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_meta_refuses_a_missing_or_wrong_token(client, headers):
    response = client.post(f"{ACCOUNT}/campaigns", json=meta_campaign(), headers=headers)
    error = meta_error(response, 401)
    assert error["code"] == 190
    assert error["message"] == "Invalid OAuth access token - Cannot parse access token"


def test_meta_reports_a_missing_required_field(client):
    body = meta_campaign()
    del body["objective"]
    error = meta_error(client.post(f"{ACCOUNT}/campaigns", json=body, headers=META_AUTH))
    assert error["code"] == 100
    assert error["message"] == "(#100) The parameter objective is required"
    assert error["error_user_title"] and error["error_user_msg"]


def test_meta_reports_a_value_outside_an_enum(client):
    body = meta_campaign(objective="CONVERSIONS")
    error = meta_error(client.post(f"{ACCOUNT}/campaigns", json=body, headers=META_AUTH))
    assert error["code"] == 100
    assert error["message"].startswith("(#100) Param objective must be one of {")
    assert "OUTCOME_SALES" in error["message"]


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"name": ""}, "parameter name is required"),
        ({"special_ad_categories": ["HOUSING", "PETS"]}, "special_ad_categories"),
        ({"lifetime_budget": 100000}, "Only one of daily_budget or lifetime_budget"),
        ({"daily_budget": -5}, "daily_budget must be a positive integer"),
        ({"bid_strategy": None}, "bid_strategy is required"),
    ],
)
def test_meta_validates_campaigns(client, fields, fragment):
    body = meta_campaign(**fields)
    error = meta_error(client.post(f"{ACCOUNT}/campaigns", json=body, headers=META_AUTH))
    assert fragment in error["message"]


def test_meta_allows_duplicate_campaign_names(client):
    first = create_meta_campaign(client, name="Same name")
    second = create_meta_campaign(client, name="Same name")
    assert first != second


def test_meta_refuses_an_unknown_ad_account_or_object(client):
    response = client.post("/meta/v27.0/act_999/campaigns", json=meta_campaign(), headers=META_AUTH)
    error = meta_error(response)
    assert (error["code"], error["error_subcode"]) == (100, 33)
    assert "Object with ID 'act_999' does not exist" in error["message"]

    error = meta_error(client.get("/meta/v27.0/123456789", headers=META_AUTH))
    assert error["error_subcode"] == 33
    assert error["message"].startswith("(#100) Unsupported get request.")


def test_meta_refuses_other_api_versions(client):
    response = client.post("/meta/v19.0/act_1/campaigns", json=meta_campaign(), headers=META_AUTH)
    error = meta_error(response)
    assert error["code"] == 2635
    assert error["message"].startswith("(#2635) You are calling a deprecated version")


def test_meta_refuses_a_body_that_is_not_json(client):
    response = client.post(
        f"{ACCOUNT}/campaigns",
        data="name=x",
        headers={**META_AUTH, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert meta_error(response)["code"] == 100


@pytest.mark.parametrize(
    ("campaign_fields", "adset_fields", "fragment"),
    [
        ({}, {"daily_budget": 1000}, "campaign budget"),
        ({}, {"targeting": {"geo_locations": {"countries": []}}}, "countries"),
        ({}, {"targeting": {"geo_locations": {"countries": ["USA"]}}}, "countries"),
        ({}, {"optimization_goal": "OFFSITE_CONVERSIONS"}, "pixel_id"),
        (
            {},
            {
                "optimization_goal": "OFFSITE_CONVERSIONS",
                "promoted_object": {"pixel_id": META["pixel_id"]},
            },
            "custom_event_type",
        ),
        ({}, {"optimization_goal": "APP_INSTALLS"}, "application_id"),
        ({}, {"start_time": "next tuesday"}, "start_time"),
        ({"daily_budget": None, "lifetime_budget": 900000}, {}, "parameter end_time is required"),
        ({}, {"end_time": "2026-11-01T00:00:00+0000"}, "end_time must be after start_time"),
        ({}, {"billing_event": "CLICKS"}, "billing_event"),
        ({}, {"campaign_id": "999"}, "campaign_id"),
    ],
)
def test_meta_validates_ad_sets(client, campaign_fields, adset_fields, fragment):
    campaign_id = create_meta_campaign(client, **campaign_fields)
    body = meta_adset(campaign_id, **adset_fields)
    error = meta_error(client.post(f"{ACCOUNT}/adsets", json=body, headers=META_AUTH))
    assert fragment in error["message"]


def test_meta_creates_conversion_and_app_ad_sets_with_their_promoted_object(client):
    campaign_id = create_meta_campaign(client)
    for adset in (
        meta_adset(
            campaign_id,
            optimization_goal="OFFSITE_CONVERSIONS",
            promoted_object={"pixel_id": META["pixel_id"], "custom_event_type": "PURCHASE"},
        ),
        meta_adset(
            campaign_id,
            optimization_goal="APP_INSTALLS",
            billing_event="IMPRESSIONS",
            promoted_object={
                "application_id": META["application_id"],
                "object_store_url": "https://apps.apple.com/app/id1",
            },
        ),
    ):
        response = client.post(f"{ACCOUNT}/adsets", json=adset, headers=META_AUTH)
        assert response.status_code == 200, response.get_json()
    assert len(stored(client, "meta", "adsets")) == 2


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"lifetime_budget": 100000}, "Cannot change the budget type"),
        ({"objective": "OUTCOME_SALES"}, "(#100) Param objective is not a valid field"),
        ({"status": "DELETED"}, "Param status must be one of {ACTIVE, PAUSED, ARCHIVED}"),
        ({"daily_budget": 0}, "daily_budget must be a positive integer"),
    ],
)
def test_meta_validates_updates(client, change, fragment):
    campaign_id = create_meta_campaign(client)
    response = client.post(f"/meta/v27.0/{campaign_id}", json=change, headers=META_AUTH)
    assert fragment in meta_error(response)["message"]


def test_meta_answers_unknown_paths_in_its_own_shape(client):
    error = meta_error(client.get(f"{ACCOUNT}/ads", headers=META_AUTH), 404)
    assert error["code"] == 2500


# TikTok


def tiktok_campaign(**fields) -> dict:
    return {
        "advertiser_id": TIKTOK["advertiser_id"],
        "campaign_name": unique("DIS_US_TIKTOK_2026_Moana"),
        "objective_type": "REACH",
        "budget_mode": "BUDGET_MODE_DAY",
        "budget": 100,
        **fields,
    }


def tiktok_adgroup(parent_id: str, **fields) -> dict:
    return {
        "advertiser_id": TIKTOK["advertiser_id"],
        "campaign_id": parent_id,
        "adgroup_name": unique("Adgroup"),
        "placement_type": "PLACEMENT_TYPE_AUTOMATIC",
        "location_ids": ["6252001"],
        "schedule_type": "SCHEDULE_START_END",
        "schedule_start_time": "2026-12-01 00:00:00",
        "schedule_end_time": "2026-12-31 23:59:59",
        "optimization_goal": "REACH",
        "billing_event": "CPM",
        "bid_type": "BID_TYPE_NO_BID",
        **fields,
    }


def tiktok_post(client, path: str, body: dict, headers: dict | None = None) -> dict:
    response = client.post(f"{TIKTOK_API}/{path}", json=body, headers=headers or TIKTOK_AUTH)
    assert response.status_code == 200
    body = response.get_json()
    assert body["request_id"] and isinstance(body["data"], dict)
    return body


def tiktok_get(client, path: str, filtering: dict) -> dict:
    response = client.get(
        f"{TIKTOK_API}/{path}",
        query_string={"advertiser_id": TIKTOK["advertiser_id"], "filtering": json.dumps(filtering)},
        headers=TIKTOK_AUTH,
    )
    body = response.get_json()
    assert body["code"] == 0, body
    return body["data"]


def create_tiktok_campaign(client, **fields) -> str:
    body = tiktok_post(client, "campaign/create/", tiktok_campaign(**fields))
    assert (body["code"], body["message"]) == (0, "OK"), body
    return body["data"]["campaign_id"]


def test_tiktok_traffics_a_campaign_end_to_end(client):
    name = unique("DIS_US_TIKTOK_2026_Moana")
    campaign_id = create_tiktok_campaign(client, campaign_name=name)
    assert campaign_id.isdigit() and len(campaign_id) == 19

    body = tiktok_post(client, "adgroup/create/", tiktok_adgroup(campaign_id))
    assert body["code"] == 0, body
    adgroup_id = body["data"]["adgroup_id"]

    update = {"advertiser_id": TIKTOK["advertiser_id"], "campaign_id": campaign_id, "budget": 250}
    body = tiktok_post(client, "campaign/update/", update)
    assert (body["code"], body["data"]["campaign_id"], body["data"]["budget"]) == (
        0,
        campaign_id,
        250,
    )

    status = {
        "advertiser_id": TIKTOK["advertiser_id"],
        "campaign_ids": [campaign_id],
        "operation_status": "DISABLE",
    }
    body = tiktok_post(client, "campaign/status/update/", status)
    assert body["data"] == {"campaign_ids": [campaign_id], "status": "DISABLE"}

    data = tiktok_get(client, "campaign/get/", {"campaign_name": name})
    (campaign,) = data["list"]
    assert campaign["campaign_id"] == campaign_id
    assert (campaign["budget"], campaign["operation_status"]) == (250, "DISABLE")
    assert data["page_info"] == {"page": 1, "page_size": 10, "total_number": 1, "total_page": 1}

    data = tiktok_get(client, "adgroup/get/", {"campaign_ids": [campaign_id]})
    assert [adgroup["adgroup_id"] for adgroup in data["list"]] == [adgroup_id]


def test_tiktok_lists_nothing_with_zero_pages(client):
    data = tiktok_get(client, "campaign/get/", {"campaign_ids": ["1"]})
    assert data == {
        "list": [],
        "page_info": {"page": 1, "page_size": 10, "total_number": 0, "total_page": 0},
    }


def test_tiktok_leaves_deleted_campaigns_out_of_lists(client):
    campaign_id = create_tiktok_campaign(client)
    status = {
        "advertiser_id": TIKTOK["advertiser_id"],
        "campaign_ids": [campaign_id],
        "operation_status": "DELETE",
    }
    assert tiktok_post(client, "campaign/status/update/", status)["code"] == 0
    assert tiktok_get(client, "campaign/get/", {"campaign_ids": [campaign_id]})["list"] == []


def test_tiktok_refuses_a_wrong_token_or_advertiser_with_http_200(client):
    body = tiktok_post(client, "campaign/create/", tiktok_campaign(), {"Access-Token": "nope"})
    assert body["code"] == 40105
    assert body["message"] == "The access token is invalid or has been revoked."

    body = tiktok_post(client, "campaign/create/", tiktok_campaign(advertiser_id="42"))
    assert (body["code"], body["message"]) == (40001, "No permission to operate advertiser 42.")


def test_tiktok_reports_a_missing_required_field(client):
    campaign = tiktok_campaign()
    del campaign["objective_type"]
    body = tiktok_post(client, "campaign/create/", campaign)
    assert body["code"] == 40002
    assert body["message"] == "objective_type: Missing data for required field."


def test_tiktok_reports_a_value_outside_an_enum(client):
    body = tiktok_post(client, "campaign/create/", tiktok_campaign(objective_type="SALES"))
    assert body["code"] == 40002
    assert body["message"].startswith("Invalid parameter: objective_type must be one of [")


def test_tiktok_refuses_a_duplicate_campaign_name(client):
    create_tiktok_campaign(client, campaign_name="Same name")
    body = tiktok_post(client, "campaign/create/", tiktok_campaign(campaign_name="Same name"))
    assert body["code"] == 40002
    assert body["message"] == "Campaign name already exists. Please try another one."
    assert len(stored(client, "tiktok", "campaigns")) == 1


@pytest.mark.parametrize(
    ("campaign_fields", "adgroup_fields", "fragment"),
    [
        ({"budget_optimize_on": True}, {"budget": 50}, "budget_optimize_on"),
        ({"objective_type": "WEB_CONVERSIONS"}, {}, "pixel_id"),
        ({}, {"schedule_end_time": None}, "schedule_end_time: Missing data"),
        ({}, {"schedule_end_time": "2026-11-01 00:00:00"}, "later than schedule_start_time"),
        ({}, {"schedule_start_time": "2026-12-01T00:00:00"}, "schedule_start_time must be"),
        ({}, {"location_ids": []}, "location_ids: Missing data"),
        ({}, {"billing_event": "CPA"}, "billing_event must be one of"),
        ({}, {"campaign_id": "1"}, "campaign_id 1 does not exist"),
    ],
)
def test_tiktok_validates_ad_groups(client, campaign_fields, adgroup_fields, fragment):
    campaign_id = create_tiktok_campaign(client, **campaign_fields)
    body = tiktok_post(client, "adgroup/create/", tiktok_adgroup(campaign_id, **adgroup_fields))
    assert body["code"] == 40002
    assert fragment in body["message"]


def test_tiktok_creates_a_conversion_ad_group_with_a_pixel(client):
    campaign_id = create_tiktok_campaign(client, objective_type="WEB_CONVERSIONS")
    adgroup = tiktok_adgroup(
        campaign_id,
        pixel_id=TIKTOK["pixel_id"],
        optimization_goal="CONVERT",
        billing_event="OCPM",
        optimization_event="SHOPPING",
        promotion_type="WEBSITE",
    )
    assert tiktok_post(client, "adgroup/create/", adgroup)["code"] == 0


def test_tiktok_refuses_a_budget_on_an_unlimited_campaign(client):
    campaign_id = create_tiktok_campaign(client, budget_mode="BUDGET_MODE_INFINITE", budget=None)
    update = {"advertiser_id": TIKTOK["advertiser_id"], "campaign_id": campaign_id, "budget": 10}
    body = tiktok_post(client, "campaign/update/", update)
    assert body["code"] == 40002
    assert "BUDGET_MODE_INFINITE" in body["message"]


def test_tiktok_requires_a_budget_unless_unlimited(client):
    body = tiktok_post(client, "campaign/create/", tiktok_campaign(budget=None))
    assert (body["code"], body["message"].split(":")[0]) == (40002, "budget")


def test_tiktok_refuses_a_body_that_is_not_json(client):
    response = client.post(f"{TIKTOK_API}/campaign/create/", data="nope", headers=TIKTOK_AUTH)
    assert response.status_code == 200
    assert response.get_json()["code"] == 40002


def test_tiktok_answers_unknown_paths_in_its_own_shape(client):
    response = client.post(f"{TIKTOK_API}/ad/create/", json={}, headers=TIKTOK_AUTH)
    assert response.status_code == 404
    assert response.get_json()["code"] == 40400


# Google Ads


def without_nulls(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if value is not None}


def google_budget(**fields) -> dict:
    """A valid budget create; a field given as None is left out."""
    budget = {
        "name": unique("Budget"),
        "period": "DAILY",
        "amountMicros": "50000000",
        "deliveryMethod": "STANDARD",
        "explicitlyShared": False,
    }
    return without_nulls({**budget, **fields})


def google_campaign(budget: str, **fields) -> dict:
    """A valid campaign create; a field given as None is left out."""
    campaign = {
        "name": unique("DIS_US_GOOGLE_2026_Moana"),
        "status": "PAUSED",
        "advertisingChannelType": "SEARCH",
        "campaignBudget": budget,
        "manualCpc": {},
        "containsEuPoliticalAdvertising": "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING",
        "networkSettings": {"targetGoogleSearch": True},
        "startDateTime": "2026-12-01 00:00:00",
        "endDateTime": "2026-12-31 23:59:59",
    }
    return without_nulls({**campaign, **fields})


def google_post(client, path: str, body: dict, headers: dict | None = None):
    return client.post(f"{CUSTOMER}/{path}", json=body, headers=headers or GOOGLE_AUTH)


def google_mutate(client, service: str, *operations: dict) -> list[str]:
    response = google_post(client, f"{service}:mutate", {"operations": list(operations)})
    assert response.status_code == 200, response.get_json()
    return [result["resourceName"] for result in response.get_json()["results"]]


def google_errors(response, status: int = 400, status_name: str = "INVALID_ARGUMENT") -> list:
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert (error["code"], error["status"]) == (status, status_name)
    (failure,) = error["details"]
    assert failure["@type"].endswith("google.ads.googleads.v26.errors.GoogleAdsFailure")
    assert failure["requestId"]
    return failure["errors"]


def search(client, query: str) -> dict:
    response = google_post(client, "googleAds:search", {"query": query})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def create_google_campaign(client, **fields) -> tuple[str, str]:
    (budget,) = google_mutate(client, "campaignBudgets", {"create": google_budget()})
    (campaign,) = google_mutate(client, "campaigns", {"create": google_campaign(budget, **fields)})
    return budget, campaign


def test_google_token_endpoint_issues_the_sandbox_access_token(client):
    form = {
        "grant_type": "refresh_token",
        "client_id": GOOGLE["client_id"],
        "client_secret": GOOGLE["client_secret"],
        "refresh_token": GOOGLE["refresh_token"],
    }
    response = client.post("/google/token", data=form)
    assert response.status_code == 200
    assert response.get_json() == {
        "access_token": GOOGLE_ACCESS_TOKEN,
        "expires_in": 3599,
        "scope": "https://www.googleapis.com/auth/adwords",
        "token_type": "Bearer",
    }

    response = client.post("/google/token", data={**form, "refresh_token": "stale"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid_grant", "error_description": "Bad Request"}

    response = client.post("/google/token", data={**form, "client_secret": "nope"})
    assert (response.status_code, response.get_json()["error"]) == (400, "invalid_client")

    response = client.post("/google/token", data={**form, "grant_type": "password"})
    assert response.get_json()["error"] == "unsupported_grant_type"


def test_google_traffics_a_campaign_end_to_end(client):
    name = "DIS_US_GOOGLE_2026_X"
    (budget,) = google_mutate(client, "campaignBudgets", {"create": google_budget()})
    assert budget.startswith(f"customers/{GOOGLE['customer_id']}/campaignBudgets/")
    (campaign,) = google_mutate(client, "campaigns", {"create": google_campaign(budget, name=name)})
    campaign_id = campaign.rsplit("/", 1)[1]
    assert campaign_id.isdigit() and len(campaign_id) == 11
    (criterion,) = google_mutate(
        client,
        "campaignCriteria",
        {
            "create": {
                "campaign": campaign,
                "location": {"geoTargetConstant": "geoTargetConstants/2840"},
            }
        },
    )
    assert criterion.startswith(
        f"customers/{GOOGLE['customer_id']}/campaignCriteria/{campaign_id}~"
    )

    assert google_mutate(
        client,
        "campaignBudgets",
        {
            "update": {"resourceName": budget, "amountMicros": "75000000"},
            "updateMask": "amountMicros",
        },
    ) == [budget]
    assert google_mutate(
        client,
        "campaigns",
        {"update": {"resourceName": campaign, "status": "ENABLED"}, "updateMask": "status"},
    ) == [campaign]

    found = search(
        client,
        "SELECT campaign.resource_name, campaign.name FROM campaign "
        f"WHERE campaign.name = '{name}'",
    )
    assert found == {
        "results": [{"campaign": {"resourceName": campaign, "name": name}}],
        "fieldMask": "campaign.resourceName,campaign.name",
    }

    found = search(
        client, f"SELECT campaign.campaign_budget FROM campaign WHERE campaign.id = {campaign_id}"
    )
    assert found["results"][0]["campaign"]["campaignBudget"] == budget

    found = search(
        client,
        "SELECT campaign_budget.resource_name, campaign_budget.amount_micros FROM campaign_budget "
        f"WHERE campaign_budget.resource_name = '{budget}'",
    )
    assert found["results"] == [
        {"campaignBudget": {"resourceName": budget, "amountMicros": "75000000"}}
    ]

    found = search(
        client,
        "SELECT campaign_criterion.resource_name, campaign_criterion.type FROM campaign_criterion "
        f"WHERE campaign_criterion.campaign = '{campaign}'",
    )
    assert found["results"] == [
        {"campaignCriterion": {"resourceName": criterion, "type": "LOCATION"}}
    ]

    found = search(
        client,
        "SELECT campaign.status, campaign_budget.amount_micros FROM campaign "
        f"WHERE campaign.resource_name = '{campaign}'",
    )
    assert found["results"] == [
        {
            "campaign": {"resourceName": campaign, "status": "ENABLED"},
            "campaignBudget": {"resourceName": budget, "amountMicros": "75000000"},
        }
    ]


def test_google_search_omits_results_when_nothing_matches(client):
    found = search(client, "SELECT campaign.name FROM campaign WHERE campaign.name = 'Nothing'")
    assert found == {"fieldMask": "campaign.name"}


def test_google_search_reads_escaped_quotes_lists_and_limit(client):
    shared = google_budget(explicitlyShared=True)
    (budget,) = google_mutate(client, "campaignBudgets", {"create": shared})
    google_mutate(
        client,
        "campaigns",
        {
            "create": google_campaign(
                budget, name='Moana\'s "Launch"', manualCpc=None, targetSpend={}
            )
        },
        {"create": google_campaign(budget, name="Frozen")},
        {"create": google_campaign(budget, name="Cars")},
    )
    found = search(
        client, "SELECT campaign.name FROM campaign WHERE campaign.name = 'Moana\\'s \"Launch\"'"
    )
    assert [row["campaign"]["name"] for row in found["results"]] == ['Moana\'s "Launch"']

    found = search(
        client,
        "select campaign.name from campaign where campaign.name in ('Frozen', 'Cars') "
        "and campaign.status != 'REMOVED' limit 1",
    )
    assert [row["campaign"]["name"] for row in found["results"]] == ["Frozen"]


def test_google_search_reaches_criteria_through_their_campaign(client):
    _, campaign = create_google_campaign(client)
    location = {"geoTargetConstant": "geoTargetConstants/2826"}
    (criterion,) = google_mutate(
        client, "campaignCriteria", {"create": {"campaign": campaign, "location": location}}
    )
    found = search(
        client,
        "SELECT campaign_criterion.criterion_id, campaign_criterion.location.geo_target_constant "
        f"FROM campaign_criterion WHERE campaign.resource_name = '{campaign}'",
    )
    (row,) = found["results"]
    assert row["campaignCriterion"]["resourceName"] == criterion
    assert row["campaignCriterion"]["location"] == location
    assert criterion.endswith("~" + row["campaignCriterion"]["criterionId"])


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("campaign.name FROM campaign", "EXPECTED_SELECT"),
        ("SELECT campaign.name campaign", "EXPECTED_FROM"),
        ("SELECT campaign.name FROM ad_group", "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE"),
        ("SELECT campaign.colour FROM campaign", "UNRECOGNIZED_FIELD"),
        ("SELECT campaign.name FROM campaign_budget", "PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE"),
        ("SELECT campaign.name FROM campaign WHERE campaign.name = 'open", "STRING_NOT_TERMINATED"),
        ("SELECT campaign.name FROM campaign WHERE campaign.name =", "UNEXPECTED_END_OF_QUERY"),
        ("SELECT campaign.name FROM campaign ORDER BY campaign.name", "UNEXPECTED_INPUT"),
        ("SELECT campaign.name FROM campaign LIMIT 0", "BAD_LIMIT_VALUE"),
    ],
)
def test_google_search_explains_queries_it_cannot_run(client, query, code):
    (error,) = google_errors(google_post(client, "googleAds:search", {"query": query}))
    assert error["errorCode"] == {"queryError": code}
    assert error["message"]


def test_google_refuses_a_missing_access_token(client):
    response = google_post(
        client,
        "campaigns:mutate",
        {"operations": []},
        {"developer-token": GOOGLE["developer_token"]},
    )
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
    assert error["message"].startswith("Request is missing required authentication credential.")


def test_google_refuses_a_wrong_developer_token(client):
    headers = {**GOOGLE_AUTH, "developer-token": "nope"}
    response = google_post(client, "campaigns:mutate", {"operations": []}, headers)
    (error,) = google_errors(response, 401, "UNAUTHENTICATED")
    assert error["errorCode"] == {"authenticationError": "DEVELOPER_TOKEN_INVALID"}
    assert error["message"] == "The developer token is not valid."


def test_google_refuses_another_customer(client):
    response = client.post(
        "/google/v26/customers/999/campaigns:mutate", json={"operations": []}, headers=GOOGLE_AUTH
    )
    (error,) = google_errors(response, 403, "PERMISSION_DENIED")
    assert error["errorCode"] == {"authorizationError": "USER_PERMISSION_DENIED"}


def test_google_reports_every_error_of_a_request_at_once(client):
    (budget,) = google_mutate(client, "campaignBudgets", {"create": google_budget()})
    campaign = google_campaign(budget, status="LIVE")
    del campaign["name"]
    response = google_post(client, "campaigns:mutate", {"operations": [{"create": campaign}]})
    errors = google_errors(response)
    assert {
        "errorCode": {"fieldError": "REQUIRED"},
        "message": "The required field was not present.",
        "location": {
            "fieldPathElements": [
                {"fieldName": "operations", "index": 0},
                {"fieldName": "create"},
                {"fieldName": "name"},
            ]
        },
    } in errors
    (enum_error,) = [e for e in errors if e["errorCode"] == {"requestError": "INVALID_ENUM_VALUE"}]
    assert enum_error["trigger"] == {"stringValue": "LIVE"}
    assert enum_error["location"]["fieldPathElements"][-1] == {"fieldName": "status"}
    assert len(errors) == 2


def test_google_refuses_duplicate_budget_and_campaign_names(client):
    budget, _ = create_google_campaign(client, name="Same name")
    budget_name = search(
        client,
        "SELECT campaign_budget.name FROM campaign_budget "
        f"WHERE campaign_budget.resource_name = '{budget}'",
    )["results"][0]["campaignBudget"]["name"]

    response = google_post(
        client,
        "campaignBudgets:mutate",
        {"operations": [{"create": google_budget(name=budget_name)}]},
    )
    (error,) = google_errors(response)
    assert error["errorCode"] == {"campaignBudgetError": "DUPLICATE_NAME"}
    assert error["message"] == "A budget with this name already exists."

    (other_budget,) = google_mutate(client, "campaignBudgets", {"create": google_budget()})
    response = google_post(
        client,
        "campaigns:mutate",
        {"operations": [{"create": google_campaign(other_budget, name="Same name")}]},
    )
    (error,) = google_errors(response)
    assert error["errorCode"] == {"campaignError": "DUPLICATE_CAMPAIGN_NAME"}
    assert error["message"] == "A campaign with this name already exists."


def test_google_applies_nothing_when_one_operation_fails(client):
    operations = [{"create": google_budget()}, {"create": google_budget(amountMicros="0")}]
    response = google_post(client, "campaignBudgets:mutate", {"operations": operations})
    (error,) = google_errors(response)
    assert error["errorCode"] == {"rangeError": "TOO_LOW"}
    assert error["location"]["fieldPathElements"][0] == {"fieldName": "operations", "index": 1}
    assert stored(client, "google", "campaign_budgets") == []


def test_google_checks_operations_against_earlier_ones_in_the_request(client):
    operations = [{"create": google_budget(name="Twin")}, {"create": google_budget(name="Twin")}]
    response = google_post(client, "campaignBudgets:mutate", {"operations": operations})
    (error,) = google_errors(response)
    assert error["errorCode"] == {"campaignBudgetError": "DUPLICATE_NAME"}


@pytest.mark.parametrize(
    ("budget_fields", "campaign_fields", "code"),
    [
        (
            {},
            {"campaignBudget": "customers/1234567890/campaignBudgets/1"},
            {"mutateError": "RESOURCE_NOT_FOUND"},
        ),
        ({}, {"manualCpc": None}, {"fieldError": "REQUIRED"}),
        ({}, {"targetSpend": {}}, {"fieldError": "VALUE_MUST_BE_UNSET"}),
        (
            {},
            {"manualCpc": None, "manualCpm": {}},
            {"biddingError": "INVALID_ANONYMOUS_BIDDING_STRATEGY_TYPE"},
        ),
        ({}, {"containsEuPoliticalAdvertising": None}, {"fieldError": "REQUIRED"}),
        (
            {},
            {"endDateTime": "2026-11-01 00:00:00"},
            {"dateError": "DATE_RANGE_MINIMUM_DATE_LATER_THAN_MAXIMUM_DATE"},
        ),
        ({}, {"startDateTime": "2026-12-01"}, {"dateError": "INVALID_STRING_DATE_TIME_SECONDS"}),
        (
            {"period": "CUSTOM_PERIOD", "amountMicros": None, "totalAmountMicros": "900000000"},
            {"advertisingChannelType": "DISPLAY"},
            {"campaignBudgetError": "INVALID_PERIOD"},
        ),
        (
            {"period": "CUSTOM_PERIOD", "amountMicros": None, "totalAmountMicros": "900000000"},
            {"endDateTime": None},
            {"campaignError": "END_DATE_TIME_REQUIRED_FOR_TOTAL_BUDGET"},
        ),
    ],
)
def test_google_validates_campaigns(client, budget_fields, campaign_fields, code):
    (budget,) = google_mutate(client, "campaignBudgets", {"create": google_budget(**budget_fields)})
    body = google_campaign(budget, **campaign_fields)
    response = google_post(client, "campaigns:mutate", {"operations": [{"create": body}]})
    assert [error["errorCode"] for error in google_errors(response)] == [code]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"period": "WEEKLY"}, {"requestError": "INVALID_ENUM_VALUE"}),
        (
            {"totalAmountMicros": "1000000"},
            {"campaignBudgetError": "TOTAL_BUDGET_AMOUNT_MUST_BE_UNSET_FOR_BUDGET_PERIOD_DAILY"},
        ),
        (
            {"period": "CUSTOM_PERIOD"},
            {"campaignBudgetError": "BUDGET_AMOUNT_MUST_BE_UNSET_FOR_CUSTOM_BUDGET_PERIOD"},
        ),
        ({"amountMicros": None}, {"fieldError": "REQUIRED"}),
        ({"amountMicros": "12.5"}, {"fieldError": "INVALID_VALUE"}),
        ({"amountMicros": -1}, {"rangeError": "TOO_LOW"}),
    ],
)
def test_google_validates_budgets(client, fields, code):
    body = google_budget(**fields)
    response = google_post(client, "campaignBudgets:mutate", {"operations": [{"create": body}]})
    assert code in [error["errorCode"] for error in google_errors(response)]


def test_google_refuses_a_second_campaign_on_an_unshared_budget(client):
    budget, _ = create_google_campaign(client)
    response = google_post(
        client, "campaigns:mutate", {"operations": [{"create": google_campaign(budget)}]}
    )
    (error,) = google_errors(response)
    code = "CANNOT_USE_IMPLICITLY_SHARED_CAMPAIGN_BUDGET_WITH_MULTIPLE_CAMPAIGNS"
    assert error["errorCode"] == {"campaignBudgetError": code}


CAMPAIGN_UPDATE_MISTAKES = {
    "no resource name": (
        lambda campaign: {"update": {"status": "PAUSED"}, "updateMask": "status"},
        {"fieldError": "REQUIRED"},
    ),
    "unknown campaign": (
        lambda campaign: {
            "update": {"resourceName": "customers/1234567890/campaigns/1", "status": "PAUSED"},
            "updateMask": "status",
        },
        {"mutateError": "RESOURCE_NOT_FOUND"},
    ),
    "no mask": (
        lambda campaign: {"update": {"resourceName": campaign, "status": "PAUSED"}},
        {"fieldMaskError": "FIELD_MASK_MISSING"},
    ),
    "budget in mask": (
        lambda campaign: {"update": {"resourceName": campaign}, "updateMask": "campaign_budget"},
        {"fieldError": "IMMUTABLE_FIELD"},
    ),
    "unknown field in mask": (
        lambda campaign: {"update": {"resourceName": campaign}, "updateMask": "colour"},
        {"fieldMaskError": "FIELD_NOT_FOUND"},
    ),
    "status outside the enum": (
        lambda campaign: {
            "update": {"resourceName": campaign, "status": "REMOVED"},
            "updateMask": "status",
        },
        {"requestError": "INVALID_ENUM_VALUE"},
    ),
    "remove": (lambda campaign: {"remove": campaign}, {"mutateError": "MUTATE_NOT_ALLOWED"}),
}


@pytest.mark.parametrize("mistake", CAMPAIGN_UPDATE_MISTAKES)
def test_google_validates_campaign_updates(client, mistake):
    make_operation, code = CAMPAIGN_UPDATE_MISTAKES[mistake]
    _, campaign = create_google_campaign(client)
    response = google_post(client, "campaigns:mutate", {"operations": [make_operation(campaign)]})
    assert [error["errorCode"] for error in google_errors(response)] == [code]


def test_google_updates_a_campaign_name_and_end(client):
    _, campaign = create_google_campaign(client)
    update = {"resourceName": campaign, "name": "Renamed", "endDateTime": "2027-01-31 23:59:59"}
    google_mutate(client, "campaigns", {"update": update, "updateMask": "name,end_date_time"})
    (stored_campaign,) = stored(client, "google", "campaigns")
    assert (stored_campaign["name"], stored_campaign["endDateTime"]) == (
        "Renamed",
        "2027-01-31 23:59:59",
    )


def test_google_validates_campaign_criteria(client):
    _, campaign = create_google_campaign(client)
    operations = [
        {"create": {"campaign": campaign, "location": {"geoTargetConstant": "2840"}}},
        {"create": {"campaign": campaign}},
        {
            "create": {
                "campaign": "customers/1234567890/campaigns/1",
                "location": {"geoTargetConstant": "geoTargetConstants/2840"},
            }
        },
    ]
    response = google_post(client, "campaignCriteria:mutate", {"operations": operations})
    assert [error["errorCode"] for error in google_errors(response)] == [
        {"fieldError": "INVALID_VALUE"},
        {"fieldError": "REQUIRED"},
        {"mutateError": "RESOURCE_NOT_FOUND"},
    ]


def test_google_validate_only_checks_without_saving(client):
    body = {"operations": [{"create": google_budget()}], "validateOnly": True}
    response = google_post(client, "campaignBudgets:mutate", body)
    assert (response.status_code, response.get_json()) == (200, {})
    assert stored(client, "google", "campaign_budgets") == []


def test_google_answers_unknown_paths_in_its_own_shape(client):
    response = client.post(
        "/google/v19/customers/1234567890/campaigns:mutate", json={}, headers=GOOGLE_AUTH
    )
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == "NOT_FOUND"


# Faults


def meta_create(client):
    return client.post(f"{ACCOUNT}/campaigns", json=meta_campaign(), headers=META_AUTH)


def tiktok_create(client):
    return client.post(
        f"{TIKTOK_API}/campaign/create/", json=tiktok_campaign(), headers=TIKTOK_AUTH
    )


def google_create(client):
    return google_post(
        client, "campaignBudgets:mutate", {"operations": [{"create": google_budget()}]}
    )


CREATES = {"meta": meta_create, "tiktok": tiktok_create, "google": google_create}
CAMPAIGN_KINDS = {"meta": "campaigns", "tiktok": "campaigns", "google": "campaign_budgets"}


def error_code(platform: str, body: dict):
    """The field a client reads to tell one platform error from another."""
    if platform == "tiktok":
        return body["code"]
    if platform == "meta":
        return body["error"]["code"]
    return body["error"]["status"]


@pytest.mark.parametrize(
    ("platform", "code"), [("meta", 17), ("tiktok", 40100), ("google", "RESOURCE_EXHAUSTED")]
)
def test_rate_limit_fault_answers_429_with_retry_after(client, platform, code):
    add_fault(client, platform=platform, status=429, retry_after=7)
    response = CREATES[platform](client)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert error_code(platform, response.get_json()) == code
    assert stored(client, platform, CAMPAIGN_KINDS[platform]) == []


def test_rate_limit_faults_carry_each_platforms_details(client):
    add_fault(client, status=429, times=3)
    meta = meta_create(client).get_json()["error"]
    assert (meta["message"], meta["is_transient"]) == ("(#17) User request limit reached", True)
    tiktok = tiktok_create(client).get_json()
    assert tiktok["message"] == "Too many requests. Please retry in some time."
    (google,) = google_errors(google_create(client), 429, "RESOURCE_EXHAUSTED")
    assert google["errorCode"] == {"quotaError": "RESOURCE_EXHAUSTED"}


@pytest.mark.parametrize(
    ("platform", "status", "code"),
    [
        ("meta", 500, 1),
        ("tiktok", 500, 50000),
        ("google", 500, "INTERNAL"),
        ("google", 503, "UNAVAILABLE"),
        ("meta", 503, 1),
    ],
)
def test_server_error_fault(client, platform, status, code):
    add_fault(client, platform=platform, status=status)
    response = CREATES[platform](client)
    assert response.status_code == status
    assert error_code(platform, response.get_json()) == code


def test_bad_request_fault_carries_its_message(client):
    add_fault(client, status=400, message="(#100) Budget too low", times=3)
    meta = meta_error(meta_create(client))
    assert (meta["code"], meta["message"]) == (100, "(#100) Budget too low")

    response = tiktok_create(client)
    assert response.status_code == 200
    assert (response.get_json()["code"], response.get_json()["message"]) == (
        40002,
        "(#100) Budget too low",
    )

    (google,) = google_errors(google_create(client))
    assert google["message"] == "(#100) Budget too low"


def test_bad_request_fault_has_a_default_message(client):
    add_fault(client, platform="meta", status=400)
    assert meta_error(meta_create(client))["message"] == "(#100) Invalid parameter"


@pytest.mark.parametrize("platform", ["meta", "tiktok", "google"])
def test_after_effect_fault_applies_the_request_then_fails(client, platform):
    fault = add_fault(client, platform=platform, status=500, after_effect=True)
    response = CREATES[platform](client)
    assert response.status_code == 500
    assert len(stored(client, platform, CAMPAIGN_KINDS[platform])) == 1
    (entry,) = client.get(f"/_sandbox/requests?platform={platform}").get_json()["requests"]
    assert entry["status"] == 500
    assert entry["fault_id"] == fault["id"]
    assert entry["created_id"]


def test_fault_with_times_is_used_that_many_times(client):
    add_fault(client, platform="tiktok", status=503, times=2)
    assert tiktok_create(client).status_code == 503
    assert client.get("/_sandbox/faults").get_json()["faults"][0]["times"] == 1
    assert tiktok_create(client).status_code == 503
    assert client.get("/_sandbox/faults").get_json() == {"faults": []}
    response = tiktok_create(client)
    assert (response.status_code, response.get_json()["code"]) == (200, 0)


def test_faults_match_platform_path_and_method_oldest_first(client):
    first = add_fault(client, platform="meta", path_contains="/adsets", status=500)
    add_fault(client, platform="meta", method="GET", status=429)
    add_fault(client, platform="meta", status=503)

    assert meta_create(client).status_code == 503  # the only fault for POST .../campaigns
    assert client.get(f"{ACCOUNT}/campaigns", headers=META_AUTH).status_code == 429
    assert tiktok_create(client).status_code == 200
    pending = client.get("/_sandbox/faults").get_json()["faults"]
    assert [fault["id"] for fault in pending] == [first["id"]]


def test_faults_never_hit_the_token_or_control_endpoints(client):
    add_fault(client, status=500)
    token = client.post("/google/token", data={"grant_type": "refresh_token"})
    assert token.status_code == 400
    assert client.get("/_sandbox/objects").status_code == 200
    assert len(client.get("/_sandbox/faults").get_json()["faults"]) == 1


def test_delay_only_fault_answers_normally_after_waiting(client):
    add_fault(client, platform="meta", delay=0.05)
    started = time.monotonic()
    response = meta_create(client)
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.05


@pytest.mark.parametrize(
    "spec",
    [
        {"platform": "linkedin", "status": 500},
        {"status": 200},
        {"status": "500"},
        {"status": 500, "times": 0},
        {"delay": -1},
        {"delay": 600},
        {"platform": "meta"},
        {"retry_after": 5},
        {"status": 500, "colour": "red"},
        {"status": 500, "method": "FETCH"},
        {"status": 500, "after_effect": "yes"},
    ],
)
def test_fault_requests_are_validated(client, spec):
    response = client.post("/_sandbox/faults", json=spec)
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_fault_defaults_and_clearing(client):
    fault = add_fault(client, status=500)
    assert fault == {
        "id": fault["id"],
        "platform": "*",
        "path_contains": None,
        "method": None,
        "status": 500,
        "times": 1,
        "retry_after": None,
        "delay": None,
        "after_effect": False,
        "message": None,
    }
    assert client.delete("/_sandbox/faults").status_code == 204
    assert client.get("/_sandbox/faults").get_json() == {"faults": []}


# Control endpoints


def test_request_log_records_each_platform_request(client):
    campaign_id = meta_create(client).get_json()["id"]
    client.get(f"{ACCOUNT}/campaigns", headers={"Authorization": "Bearer wrong"})
    tiktok_create(client)
    client.get("/_sandbox/objects")

    log = client.get("/_sandbox/requests").get_json()["requests"]
    assert [(e["platform"], e["method"], e["status"]) for e in log] == [
        ("meta", "POST", 200),
        ("meta", "GET", 401),
        ("tiktok", "POST", 200),
    ]
    assert log[0]["path"] == f"{ACCOUNT}/campaigns"
    assert log[0]["created_id"] == campaign_id
    assert "created_id" not in log[1]
    assert log[0]["time"].endswith("Z")

    meta_only = client.get("/_sandbox/requests?platform=meta").get_json()["requests"]
    assert len(meta_only) == 2
    assert client.get("/_sandbox/requests?platform=x").status_code == 400
    assert client.delete("/_sandbox/requests").status_code == 204
    assert client.get("/_sandbox/requests").get_json() == {"requests": []}


def test_objects_lists_every_platform_and_kind_and_reset_forgets_them(client):
    empty = {
        "meta": {"campaigns": [], "adsets": []},
        "tiktok": {"campaigns": [], "adgroups": []},
        "google": {"campaign_budgets": [], "campaigns": [], "campaign_criteria": []},
    }
    assert client.get("/_sandbox/objects").get_json() == empty
    meta_create(client)
    add_fault(client, status=500)
    assert len(stored(client, "meta", "campaigns")) == 1

    assert client.post("/_sandbox/reset").status_code == 204
    assert client.get("/_sandbox/objects").get_json() == empty
    assert client.get("/_sandbox/faults").get_json() == {"faults": []}
    assert client.get("/_sandbox/requests").get_json() == {"requests": []}


def test_each_sandbox_has_its_own_store():
    first, second = create_sandbox().test_client(), create_sandbox().test_client()
    meta_create(first)
    assert stored(second, "meta", "campaigns") == []


def test_home_page_says_what_this_is(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "nothing here reaches a real ad platform" in page
    assert "http://localhost/meta" in page
    assert META["access_token"] in page and GOOGLE["developer_token"] in page
    assert "/_sandbox/faults" in page


def test_unknown_paths_outside_the_platforms_are_plain_json_404s(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.get_json()["error"]


# Over real HTTP


@pytest.fixture
def live_sandbox():
    """A sandbox served on a free local port in a background thread."""
    server = make_server("127.0.0.1", 0, create_sandbox(), threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


def test_over_http_creates_a_meta_campaign(live_sandbox):
    response = requests.post(
        f"{live_sandbox}{ACCOUNT}/campaigns", json=meta_campaign(), headers=META_AUTH, timeout=5
    )
    assert response.status_code == 200
    campaign_id = response.json()["id"]
    objects = requests.get(f"{live_sandbox}/_sandbox/objects", timeout=5).json()
    assert [c["id"] for c in objects["meta"]["campaigns"]] == [campaign_id]


def test_over_http_a_delay_fault_makes_the_client_time_out(live_sandbox):
    fault = {"platform": "meta", "delay": 0.6}
    assert (
        requests.post(f"{live_sandbox}/_sandbox/faults", json=fault, timeout=5).status_code == 201
    )
    with pytest.raises(requests.Timeout):
        requests.post(
            f"{live_sandbox}{ACCOUNT}/campaigns",
            json=meta_campaign(),
            headers=META_AUTH,
            timeout=0.2,
        )

    # The sandbox still handles the request once the delay is over: the response was lost,
    # the campaign exists. Wait for it so no request thread outlives the server.
    deadline = time.monotonic() + 5
    log: list = []
    while not log and time.monotonic() < deadline:
        time.sleep(0.05)
        response = requests.get(f"{live_sandbox}/_sandbox/requests?platform=meta", timeout=5)
        log = response.json()["requests"]
    assert log[0]["status"] == 200 and log[0]["created_id"]


def test_concurrent_creates_of_one_name_make_one_tiktok_campaign(live_sandbox):
    body = tiktok_campaign(campaign_name="Raced")

    def create(_):
        url = f"{live_sandbox}{TIKTOK_API}/campaign/create/"
        return requests.post(url, json=body, headers=TIKTOK_AUTH, timeout=5).json()["code"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(create, range(8)))
    assert sorted(codes) == [0] + [40002] * 7


# Locations: every country, under each platform's own ids; nothing that is not a place.


@pytest.mark.parametrize("country", ["EC", "HU", "JP"])
def test_meta_takes_any_iso_country(client, country):
    campaign_id = create_meta_campaign(client)
    targeting = {"geo_locations": {"countries": [country]}}
    body = meta_adset(campaign_id, targeting=targeting)
    assert client.post(f"{ACCOUNT}/adsets", json=body, headers=META_AUTH).status_code == 200


def test_meta_refuses_a_country_code_that_is_no_country(client):
    campaign_id = create_meta_campaign(client)
    body = meta_adset(campaign_id, targeting={"geo_locations": {"countries": ["XZ"]}})
    error = meta_error(client.post(f"{ACCOUNT}/adsets", json=body, headers=META_AUTH))
    assert error["code"] == 100
    assert "invalid country codes: XZ" in error["message"]


@pytest.mark.parametrize("location_id", ["3658394", "719819", "1861060"])  # EC, HU, JP
def test_tiktok_takes_the_geonames_id_of_any_country(client, location_id):
    campaign_id = create_tiktok_campaign(client)
    adgroup = tiktok_adgroup(campaign_id, location_ids=[location_id])
    assert tiktok_post(client, "adgroup/create/", adgroup)["code"] == 0


def test_tiktok_refuses_a_location_id_that_is_no_location(client):
    campaign_id = create_tiktok_campaign(client)
    body = tiktok_post(client, "adgroup/create/", tiktok_adgroup(campaign_id, location_ids=["42"]))
    assert (body["code"], body["message"]) == (
        40002,
        "Invalid parameter: location_ids ['42'] are not available locations.",
    )


@pytest.mark.parametrize("constant", ["geoTargetConstants/2218", "geoTargetConstants/2348"])
def test_google_targets_the_geo_target_constant_of_any_country(client, constant):
    _, campaign = create_google_campaign(client)
    criterion = {"campaign": campaign, "location": {"geoTargetConstant": constant}}
    google_mutate(client, "campaignCriteria", {"create": criterion})


@pytest.mark.parametrize(
    ("constant", "code"),
    [
        ("geoTargetConstants/2999", {"criterionError": "INVALID_CRITERION_ID"}),
        ("geoTargetConstants/2192", {"criterionError": "CANNOT_TARGET_CRITERION"}),  # Cuba
    ],
)
def test_google_refuses_a_location_it_cannot_target(client, constant, code):
    _, campaign = create_google_campaign(client)
    criterion = {"campaign": campaign, "location": {"geoTargetConstant": constant}}
    response = google_post(
        client, "campaignCriteria:mutate", {"operations": [{"create": criterion}]}
    )
    assert [error["errorCode"] for error in google_errors(response)] == [code]
    assert stored(client, "google", "campaign_criteria") == []
