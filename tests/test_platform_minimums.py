"""Platform minimums and past starts: QA blocks what the platform would refuse, saying the
rule, the amount in the ticket's currency and the fix; the sandbox refuses the same way.

- TikTok: at least $50 a campaign and $20 an ad group a day, documented in USD only:
  https://ads.tiktok.com/help/article/budget?lang=en
- Google Ads refuses a start day in the past (DateRangeError.CANNOT_SET_DATE_TO_PAST):
  https://developers.google.com/google-ads/api/reference/rpc/v26/DateRangeErrorEnum.DateRangeError
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from omnitraffick.models import RequestType
from omnitraffick.sandbox import GOOGLE_ACCESS_TOKEN, SANDBOX_CREDENTIALS, create_sandbox
from omnitraffick.services import qa
from omnitraffick.services.settings import BudgetType
from omnitraffick.services.translators import TranslationInput, translate
from omnitraffick.services.translators.tiktok import minimum_budget

NOW = datetime(2026, 1, 10, tzinfo=UTC)


@pytest.fixture
def ticket_in(db, make_market, make_campaign, make_ticket, tiktok):
    """A TikTok CREATE ticket in a market of `currency`, with these settings."""

    def make(currency, country, channel=None, **overrides):
        market = make_market(currency=currency, country=country)
        ticket = make_ticket(
            campaign=make_campaign(market=market, budget="100000000"), channel=channel or tiktok
        )
        name = ticket.platform_name
        ticket.payload_config = {
            "objective": "TRAFFIC",
            "budget_type": "DAILY",
            "flight_start": "2026-02-01",
            "flight_end": "2026-02-10",
            "landing_url": f"https://example.com/?utm_source=a&utm_medium=b&utm_campaign={name}",
            "initial_status": "PAUSED",
        } | overrides
        db.session.commit()
        return ticket

    return make


def minimum_finding(ticket):
    [finding] = [
        f for f in qa.run(qa.context_for(ticket, None, now=NOW)) if f.rule == "platform_minimum"
    ]
    return finding


def test_a_tiktok_daily_budget_under_the_minimum_is_blocked_in_its_own_currency(ticket_in):
    finding = minimum_finding(ticket_in("USD", "US", budget_amount="40.00"))

    assert not finding.passed and finding.severity == qa.BLOCK
    assert finding.message == (
        "TikTok needs at least $50.00 a day for a campaign; this ticket has $40.00. "
        "Raise the budget to $50.00 or more."
    )
    assert minimum_finding(ticket_in("USD", "US", budget_amount="50.00")).passed


def test_a_tiktok_lifetime_budget_covers_the_ad_group_minimum_every_day(ticket_in):
    # Ten days × $20 = $200 is more than the $50 campaign minimum: the stricter one counts.
    short = ticket_in("USD", "US", budget_type="LIFETIME", budget_amount="150.00")
    enough = ticket_in("USD", "US", budget_type="LIFETIME", budget_amount="200.00")

    finding = minimum_finding(short)

    assert "TikTok needs at least $200.00 in total for a 10-day campaign" in finding.message
    assert "this ticket has $150.00" in finding.message
    assert minimum_finding(enough).passed


def test_the_minimum_is_only_claimed_in_the_currency_tiktok_documents(ticket_in, google):
    assert minimum_finding(ticket_in("USD", "US", channel=google, budget_amount="1.00")).passed
    # No minimum is published for HUF (or JPY, IDR...): nothing is claimed, QA warns instead
    # (tests/test_platform_minimums_all.py).
    assert minimum_finding(ticket_in("HUF", "HU", budget_amount="1000")).passed
    assert minimum_budget(BudgetType.DAILY, "HUF", None) is None
    assert minimum_budget(BudgetType.DAILY, "IDR", None) is None
    assert minimum_budget(BudgetType.LIFETIME, "USD", 2) == Decimal(50)
    assert minimum_budget(BudgetType.LIFETIME, "USD", 3) == Decimal(60)


def test_an_update_under_the_minimum_is_blocked_too(ticket_in, db):
    ticket = ticket_in("USD", "US", budget_amount="20.00")
    ticket.request_type = RequestType.UPDATE_BUDGET
    ticket.payload_config = {"budget_type": "DAILY", "budget_amount": "20.00"}
    db.session.commit()

    assert "TikTok needs at least $50.00 a day" in minimum_finding(ticket).message


# --- the sandbox ------------------------------------------------------------------------------

TIKTOK = SANDBOX_CREDENTIALS["TIKTOK"]
GOOGLE = SANDBOX_CREDENTIALS["GOOGLE"]
TIKTOK_API = "/tiktok/open_api/v1.3"


def requests_for(channel, currency, country, **settings):
    data = TranslationInput(
        platform_name=f"DIS_{country}_{channel}_2026_Launch",
        request_type=RequestType.CREATE_CAMPAIGN,
        settings={
            "objective": "TRAFFIC",
            "budget_type": "DAILY",
            "budget_amount": "60",
            "flight_start": "2026-02-01",
            "flight_end": "2026-02-10",
            "landing_url": "https://example.com/",
            "initial_status": "ACTIVE",
        }
        | settings,
        currency=currency,
        country=country,
        time_zone="Asia/Tokyo" if country == "JP" else "America/New_York",
    )
    return [r.body for r in translate(channel, data).requests]


def tiktok_post(client, path, body):
    body = body | {"advertiser_id": TIKTOK["advertiser_id"]}
    headers = {"Access-Token": TIKTOK["access_token"]}
    return client.post(f"{TIKTOK_API}{path}", json=body, headers=headers).get_json()


def test_the_tiktok_sandbox_refuses_a_budget_under_the_minimum_of_its_currency():
    # TikTok publishes no JPY figure: the advertiser's own minimum is configured.
    config = {"TIKTOK_CURRENCY": "JPY", "TIKTOK_MINIMUM_BUDGETS": {"JPY": (5000, 2000)}}
    client = create_sandbox({"CLOCK": lambda: NOW, **config}).test_client()
    [campaign, _] = requests_for("TIKTOK", "JPY", "JP", budget_amount="4999")

    refused = tiktok_post(client, "/campaign/create/", campaign)

    assert refused["code"] == 40002
    assert refused["message"] == (
        "Invalid parameter: budget must be at least 5000 JPY (the campaign minimum budget)."
    )
    assert tiktok_post(client, "/campaign/create/", campaign | {"budget": 5000})["code"] == 0


def test_the_tiktok_sandbox_refuses_a_schedule_that_started_in_the_past():
    client = create_sandbox({"CLOCK": lambda: datetime(2026, 2, 3, tzinfo=UTC)}).test_client()
    [campaign, adgroup] = requests_for("TIKTOK", "USD", "US")
    made = tiktok_post(client, "/campaign/create/", campaign)

    refused = tiktok_post(
        client, "/adgroup/create/", adgroup | {"campaign_id": made["data"]["campaign_id"]}
    )

    assert refused["code"] == 40002
    assert "schedule_start_time cannot be earlier than the current time" in refused["message"]


def test_the_google_sandbox_refuses_a_start_day_in_the_past():
    client = create_sandbox({"CLOCK": lambda: datetime(2026, 2, 3, 12, tzinfo=UTC)}).test_client()
    headers = {
        "Authorization": f"Bearer {GOOGLE_ACCESS_TOKEN}",
        "developer-token": GOOGLE["developer_token"],
    }
    customer = f"/google/v26/customers/{GOOGLE['customer_id']}"
    [budget, campaign, _] = requests_for("GOOGLE", "USD", "US")
    made = client.post(f"{customer}/campaignBudgets:mutate", json=budget, headers=headers)
    assert made.status_code == 200, made.get_json()
    create = campaign["operations"][0]["create"]
    create["campaignBudget"] = made.get_json()["results"][0]["resourceName"]

    refused = client.post(f"{customer}/campaigns:mutate", json=campaign, headers=headers)

    assert refused.status_code == 400
    [error] = refused.get_json()["error"]["details"][0]["errors"]
    assert error["errorCode"] == {"dateRangeError": "CANNOT_SET_DATE_TO_PAST"}
    assert error["location"]["fieldPathElements"][-1]["fieldName"] == "start_date_time"
