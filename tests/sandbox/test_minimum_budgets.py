"""The sandbox refuses budgets under the platforms' minimums, with the platforms' own errors.

- Meta serves the ad account's minimums at GET /act_{id}/minimum_budgets
  (https://developers.facebook.com/docs/marketing-api/reference/ad-account/minimum_budgets,
  fields https://developers.facebook.com/docs/marketing-api/reference/minimum-budget) and
  refuses a lower budget with code 100, "Budget Is Too Low" (the figures:
  https://www.facebook.com/business/help/203183363050448).
- TikTok: $50 a day for a campaign (https://ads.tiktok.com/help/article/budget?lang=en).
- Google Ads: CampaignBudgetError NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT and
  BUDGET_BELOW_PER_DAY_MINIMUM with its BudgetPerDayMinimumErrorDetails
  (https://developers.google.com/google-ads/api/reference/rpc/v26/CampaignBudgetErrorEnum.CampaignBudgetError,
  https://developers.google.com/google-ads/api/reference/rpc/v26/BudgetPerDayMinimumErrorDetails).
"""

from datetime import UTC, datetime

import pytest

from omnitraffick.sandbox import create_sandbox
from tests.sandbox.helpers import (
    ACCOUNT,
    META_AUTH,
    create_meta_campaign,
    google_budget,
    google_campaign,
    google_errors,
    google_mutate,
    google_post,
    meta_adset,
    meta_campaign,
    meta_error,
    stored,
    tiktok_campaign,
    tiktok_post,
)

NOW = datetime(2026, 1, 10, tzinfo=UTC)


def sandbox(**config):
    return create_sandbox({"CLOCK": lambda: NOW, **config}).test_client()


# --- Meta --------------------------------------------------------------------------------------


def test_meta_serves_the_ad_accounts_minimum_budgets_in_its_currency():
    usd = sandbox().get(f"{ACCOUNT}/minimum_budgets", headers=META_AUTH)
    assert usd.status_code == 200
    assert usd.get_json()["data"] == [
        {
            "currency": "USD",
            "min_daily_budget_imp": 100,
            "min_daily_budget_high_freq": 500,
            "min_daily_budget_video_views": 500,
            "min_daily_budget_low_freq": 4000,
        }
    ]
    # An account in forints (whole units) at 360 HUF to the dollar: half the USD figures.
    huf = sandbox(META_CURRENCY="HUF", META_USD_RATE="360").get(
        f"{ACCOUNT}/minimum_budgets", headers=META_AUTH
    )
    [row] = huf.get_json()["data"]
    assert row["currency"] == "HUF"
    assert (row["min_daily_budget_imp"], row["min_daily_budget_low_freq"]) == (180, 7200)


def test_meta_refuses_a_campaign_budget_under_the_least_any_ad_set_needs():
    client = sandbox()

    error = meta_error(
        client.post(f"{ACCOUNT}/campaigns", json=meta_campaign(daily_budget=99), headers=META_AUTH)
    )

    assert error["code"] == 100
    assert error["message"] == "(#100) Invalid parameter"
    assert error["error_user_title"] == "Budget Is Too Low"
    assert "must be at least 1.00 USD" in error["error_user_msg"]
    assert stored(client, "meta", "campaigns") == []


def test_meta_refuses_an_ad_set_its_campaign_budget_cannot_pay_the_minimum_of():
    client = sandbox()
    campaign_id = create_meta_campaign(client, daily_budget=499)  # enough for reach only

    error = meta_error(
        client.post(
            f"{ACCOUNT}/adsets",
            json=meta_adset(
                campaign_id,
                optimization_goal="LINK_CLICKS",
                destination_type="WEBSITE",
            ),
            headers=META_AUTH,
        )
    )

    assert error["error_user_title"] == "Budget Is Too Low"
    assert "must be at least 5.00 USD" in error["error_user_msg"]
    reach = client.post(f"{ACCOUNT}/adsets", json=meta_adset(campaign_id), headers=META_AUTH)
    assert reach.status_code == 200, reach.get_json()


def test_meta_holds_a_lifetime_budget_to_the_minimum_of_every_day():
    client = sandbox()
    campaign_id = create_meta_campaign(client, daily_budget=None, lifetime_budget=2999)
    month = {"start_time": "2026-12-01T00:00:00+0000", "end_time": "2026-12-30T23:59:59+0000"}

    error = meta_error(
        client.post(f"{ACCOUNT}/adsets", json=meta_adset(campaign_id, **month), headers=META_AUTH)
    )

    assert "must be at least 30.00 USD" in error["error_user_msg"]


def test_meta_refuses_lowering_a_campaign_budget_under_its_ad_sets_minimum():
    client = sandbox()
    campaign_id = create_meta_campaign(client)
    made = client.post(f"{ACCOUNT}/adsets", json=meta_adset(campaign_id), headers=META_AUTH)
    assert made.status_code == 200

    error = meta_error(
        client.post(f"/meta/v27.0/{campaign_id}", json={"daily_budget": 50}, headers=META_AUTH)
    )

    assert error["error_user_title"] == "Budget Is Too Low"
    ok = client.post(f"/meta/v27.0/{campaign_id}", json={"daily_budget": 100}, headers=META_AUTH)
    assert ok.get_json() == {"success": True}


# --- TikTok ------------------------------------------------------------------------------------


def test_tiktok_refuses_a_usd_campaign_under_fifty_dollars():
    client = sandbox()

    refused = tiktok_post(client, "campaign/create/", tiktok_campaign(budget=49.99))

    assert refused["code"] == 40002
    assert refused["message"] == (
        "Invalid parameter: budget must be at least 50 USD (the campaign minimum budget)."
    )
    assert tiktok_post(client, "campaign/create/", tiktok_campaign(budget=50))["code"] == 0


def test_tiktok_claims_no_minimum_in_a_currency_it_publishes_none_for():
    client = sandbox(TIKTOK_CURRENCY="EUR")

    assert tiktok_post(client, "campaign/create/", tiktok_campaign(budget=1))["code"] == 0


# --- Google Ads --------------------------------------------------------------------------------


def test_google_refuses_an_amount_that_is_not_a_multiple_of_the_currencys_billable_unit():
    client = sandbox()

    response = google_post(
        client,
        "campaignBudgets:mutate",
        {"operations": [{"create": google_budget(amountMicros="50005000")}]},
    )

    [error] = google_errors(response)
    assert error["errorCode"] == {"campaignBudgetError": "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"}
    assert error["location"]["fieldPathElements"][-1]["fieldName"] == "amount_micros"
    # A yen account bills whole yen: 50.01 JPY is refused, 50 JPY accepted.
    yen = sandbox(GOOGLE_CURRENCY="JPY")
    refused = google_post(
        yen,
        "campaignBudgets:mutate",
        {"operations": [{"create": google_budget(amountMicros="50010000")}]},
    )
    assert google_errors(refused)[0]["errorCode"]["campaignBudgetError"] == (
        "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"
    )
    assert google_mutate(yen, "campaignBudgets", {"create": google_budget(amountMicros="50000000")})


def test_google_refuses_a_daily_budget_under_the_per_day_minimum_with_its_details():
    client = sandbox(GOOGLE_BUDGET_PER_DAY_MINIMUM_MICROS=10_000_000)

    response = google_post(
        client,
        "campaignBudgets:mutate",
        {"operations": [{"create": google_budget(amountMicros="9990000")}]},
    )

    [error] = google_errors(response)
    assert error["errorCode"] == {"campaignBudgetError": "BUDGET_BELOW_PER_DAY_MINIMUM"}
    assert error["details"] == {
        "budgetPerDayMinimumErrorDetails": {
            "currencyCode": "USD",
            "budgetPerDayMinimumMicros": "10000000",
            "minimumBudgetAmountMicros": "10000000",
            "failedBudgetAmountMicros": "9990000",
        }
    }


def test_google_holds_a_total_budget_to_the_per_day_minimum_of_each_campaign_day():
    client = sandbox(GOOGLE_BUDGET_PER_DAY_MINIMUM_MICROS=10_000_000)
    total = google_budget(period="CUSTOM_PERIOD", amountMicros=None, totalAmountMicros="300000000")
    (budget,) = google_mutate(client, "campaignBudgets", {"create": total})

    # December 1-31 is 31 days: 310 is the least, 300 is refused.
    response = google_post(
        client, "campaigns:mutate", {"operations": [{"create": google_campaign(budget)}]}
    )

    [error] = google_errors(response)
    assert error["errorCode"] == {"campaignBudgetError": "BUDGET_BELOW_PER_DAY_MINIMUM"}
    details = error["details"]["budgetPerDayMinimumErrorDetails"]
    assert details["minimumBudgetTotalAmountMicros"] == "310000000"
    assert details["failedBudgetTotalAmountMicros"] == "300000000"


@pytest.mark.parametrize("config", [{}, {"GOOGLE_BUDGET_PER_DAY_MINIMUM_MICROS": 1_000_000}])
def test_google_accepts_a_budget_that_meets_both_rules(config):
    client = sandbox(**config)

    assert google_mutate(client, "campaignBudgets", {"create": google_budget()})
