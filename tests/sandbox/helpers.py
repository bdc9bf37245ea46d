"""The platform sandbox: Meta, TikTok and Google Ads stand-ins, faults and control endpoints.
Helpers shared by the files of this folder.
"""

import json
import uuid

from omnitraffick.sandbox import SANDBOX_CREDENTIALS
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


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def add_fault(client, **spec) -> dict:
    response = client.post("/_sandbox/faults", json=spec)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored(client, platform: str, kind: str) -> list[dict]:
    return client.get("/_sandbox/objects").get_json()[platform][kind]


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
