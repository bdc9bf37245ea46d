"""The platform sandbox: Meta, TikTok and Google Ads stand-ins, faults and control endpoints:
Google Ads.
"""

import pytest

from omnitraffick.sandbox.credentials import GOOGLE_ACCESS_TOKEN
from tests.sandbox.helpers import (
    CAMPAIGN_UPDATE_MISTAKES,
    GOOGLE,
    GOOGLE_AUTH,
    create_google_campaign,
    google_budget,
    google_campaign,
    google_errors,
    google_mutate,
    google_post,
    search,
    stored,
)

# --- Google Ads ----------------------------------------------------------------------------------


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
        ("SELECT campaign.name FROM keyword_view", "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE"),
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
