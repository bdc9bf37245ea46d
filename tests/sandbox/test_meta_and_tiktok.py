"""The platform sandbox: Meta, TikTok and Google Ads stand-ins, faults and control endpoints: Meta;
TikTok.
"""

import json

import pytest

from tests.sandbox.helpers import (
    ACCOUNT,
    META,
    META_AUTH,
    TIKTOK,
    TIKTOK_API,
    TIKTOK_AUTH,
    create_meta_campaign,
    create_tiktok_campaign,
    meta_adset,
    meta_campaign,
    meta_error,
    stored,
    tiktok_adgroup,
    tiktok_campaign,
    tiktok_get,
    tiktok_post,
    unique,
)

# --- Meta ----------------------------------------------------------------------------------------


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
    # Two ad sets for low-frequency events need $40 a day each from the campaign budget.
    campaign_id = create_meta_campaign(client, daily_budget=8000)
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
    error = meta_error(client.get(f"{ACCOUNT}/adlabels", headers=META_AUTH), 404)
    assert error["code"] == 2500


# --- TikTok --------------------------------------------------------------------------------------


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
    response = client.post(f"{TIKTOK_API}/creative/portfolio/create/", json={}, headers=TIKTOK_AUTH)
    assert response.status_code == 404
    assert response.get_json()["code"] == 40400
