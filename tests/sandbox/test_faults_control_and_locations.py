"""The platform sandbox: Meta, TikTok and Google Ads stand-ins, faults and control endpoints:
Faults; Control endpoints; Over real HTTP; Locations: every country, under each platform's own
ids; nothing that is not a place..
"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from omnitraffick.sandbox import create_sandbox
from tests.sandbox.helpers import (
    ACCOUNT,
    CAMPAIGN_KINDS,
    CREATES,
    GOOGLE,
    META,
    META_AUTH,
    TIKTOK_API,
    TIKTOK_AUTH,
    add_fault,
    create_google_campaign,
    create_meta_campaign,
    create_tiktok_campaign,
    error_code,
    google_create,
    google_errors,
    google_mutate,
    google_post,
    meta_adset,
    meta_campaign,
    meta_create,
    meta_error,
    stored,
    tiktok_adgroup,
    tiktok_campaign,
    tiktok_create,
    tiktok_post,
)

# --- Faults --------------------------------------------------------------------------------------


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
        "after": 0,
        "retry_after": None,
        "delay": None,
        "after_effect": False,
        "message": None,
    }
    assert client.delete("/_sandbox/faults").status_code == 204
    assert client.get("/_sandbox/faults").get_json() == {"faults": []}


# --- Control endpoints ---------------------------------------------------------------------------


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
        "meta": dict.fromkeys(
            ("campaigns", "adsets", "adimages", "advideos", "adcreatives", "ads"), []
        ),
        "tiktok": dict.fromkeys(("campaigns", "adgroups", "images", "videos", "ads"), []),
        "google": dict.fromkeys(
            (
                "campaign_budgets",
                "campaigns",
                "campaign_criteria",
                "ad_groups",
                "assets",
                "ad_group_ads",
            ),
            [],
        ),
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


# --- Over real HTTP ------------------------------------------------------------------------------


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


# --- Locations: every country, under each platform's own ids; nothing that is not a place. -------


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
