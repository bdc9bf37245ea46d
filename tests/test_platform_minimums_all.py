"""Platform minimum budgets per platform, level and currency: QA blocks a budget the platform's
documented minimum refuses, names the rule and the fix in the ticket's currency, and says so
plainly where the platform documents no figure.

- TikTok: "Campaign level: Budget must exceed $50", "Ad group level: Budget must exceed $20",
  a lifetime ad group budget at least $20 x scheduled days; in USD only:
  https://ads.tiktok.com/help/article/budget?lang=en
- Meta: "About minimum budgets" ($1 a day for impressions, $5 for clicks, likes, video views
  or post engagement, $40 for low-frequency events, in USD for accounts in USD, EUR, JPY...;
  half of it for other currencies; a lifetime budget needs the daily minimum on every day):
  https://www.facebook.com/business/help/203183363050448 and the ad account's own figures,
  https://developers.facebook.com/docs/marketing-api/reference/ad-account/minimum_budgets
  (fields https://developers.facebook.com/docs/marketing-api/reference/minimum-budget)
- Google Ads: an amount must be a multiple of the currency's minimum unit
  (CampaignBudgetError.NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT,
  https://developers.google.com/google-ads/api/reference/rpc/v26/CampaignBudgetErrorEnum.CampaignBudgetError)
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from omnitraffick.models import RequestType, TicketStatus
from omnitraffick.services import qa, rates
from omnitraffick.services.settings import Objective
from omnitraffick.services.translators import meta
from omnitraffick.services.translators.base import PlatformRequest

NOW = datetime(2026, 1, 10, tzinfo=UTC)


@pytest.fixture
def ticket_in(db, make_market, make_campaign, make_ticket):
    """A CREATE ticket for `channel` in a market of `currency`, with these settings."""

    def make(channel, currency, country, **overrides):
        market = make_market(currency=currency, country=country)
        ticket = make_ticket(
            campaign=make_campaign(market=market, budget="100000000"), channel=channel
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


def findings(ticket):
    return {f.rule: f for f in qa.run(qa.context_for(ticket, None, now=NOW))}


# --- TikTok ------------------------------------------------------------------------------------


def test_tiktok_has_no_documented_figure_in_yen_and_qa_says_so_without_blocking(ticket_in, tiktok):
    result = findings(ticket_in(tiktok, "JPY", "JP", budget_amount="4000"))

    assert result["platform_minimum"].passed
    warning = result["platform_minimum_unknown"]
    assert not warning.passed and warning.severity == qa.WARN
    assert warning.message == (
        "TikTok publishes its minimum budgets in USD only ($50.00 a day for a campaign, "
        "$20.00 a day for an ad group) and gives no figure in JPY, so this ticket's ¥4,000 is "
        "not checked. See the minimum in the advertiser's TikTok Ads Manager before sending; "
        "TikTok refuses a budget under it."
    )
    assert qa.blocking(list(result.values())) == []


def test_a_tiktok_budget_in_usd_is_checked_and_not_warned_about(ticket_in, tiktok):
    result = findings(ticket_in(tiktok, "USD", "US", budget_amount="49.99"))

    assert result["platform_minimum_unknown"].passed
    assert result["platform_minimum"].message.startswith(
        "TikTok needs at least $50.00 a day for a campaign; this ticket has $49.99."
    )


# --- Meta --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("objective", "least", "goal"),
    [
        ("REACH", "1.00", "impressions or reach"),
        ("AWARENESS", "1.00", "impressions or reach"),
        ("TRAFFIC", "5.00", "clicks or engagement"),
        ("VIDEO_VIEWS", "5.00", "video views"),
        ("CONVERSIONS", "40.00", "conversions or app installs"),
    ],
)
def test_a_meta_daily_budget_under_the_documented_minimum_is_blocked(
    ticket_in, meta, objective, least, goal
):
    under = Decimal(least) - Decimal("0.01")
    settings = {"objective": objective}
    finding = findings(ticket_in(meta, "USD", "US", budget_amount=str(under), **settings))[
        "platform_minimum"
    ]

    assert not finding.passed and finding.severity == qa.BLOCK
    assert finding.message == (
        f"Meta needs at least ${least} a day for an ad set optimised for {goal}; this ticket "
        f"has ${under}. Raise the budget to ${least} or more."
    )
    enough = ticket_in(meta, "USD", "US", budget_amount=least, **settings)
    assert findings(enough)["platform_minimum"].passed


def test_a_meta_lifetime_budget_needs_the_daily_minimum_on_every_day(ticket_in, meta):
    ticket = ticket_in(
        meta,
        "USD",
        "US",
        objective="CONVERSIONS",
        budget_type="LIFETIME",
        budget_amount="399.00",
    )

    assert findings(ticket)["platform_minimum"].message == (
        "Meta needs at least $400.00 in total for a 10-day ad set optimised for conversions or "
        "app installs ($40.00 a day); this ticket has $399.00. Raise the budget to $400.00 or "
        "more."
    )


def test_a_meta_budget_update_is_held_to_the_minimum_of_the_campaigns_objective(
    db, ticket_in, make_ticket, meta
):
    created = ticket_in(meta, "USD", "US", budget_amount="50.00")
    created.status = TicketStatus.TRAFFICKED_SUCCESS
    created.external_platform_id = "120000000000001"
    update = make_ticket(
        campaign=created.campaign, channel=meta, request_type=RequestType.UPDATE_BUDGET
    )
    update.payload_config = {"budget_type": "DAILY", "budget_amount": "4.00"}
    db.session.commit()

    result = qa.run(qa.context_for(update, "120000000000001", now=NOW))

    [finding] = [f for f in result if f.rule == "platform_minimum"]
    assert finding.message.startswith(
        "Meta needs at least $5.00 a day for an ad set optimised for clicks or engagement"
    )


def test_a_meta_budget_in_another_currency_without_a_rate_is_left_to_the_send(ticket_in, meta):
    # Meta lists its figures in USD and converts them for each ad account; with no exchange
    # rate QA has nothing to compare with, and the send reads the account's /minimum_budgets
    # before making anything.
    result = findings(ticket_in(meta, "EUR", "DE", budget_amount="1.00"))

    assert result["platform_minimum"].passed
    assert result["platform_minimum_unknown"].passed


@pytest.fixture
def rates_of_30_november(db):
    """ECB reference rates per euro: 1.0500 USD, 160.00 JPY."""
    rates.enter_rate("2026-11-30", "USD", "1.0500")
    rates.enter_rate("2026-11-30", "JPY", "160.00")
    db.session.commit()


def test_a_meta_budget_in_yen_is_held_to_the_usd_minimum_converted_at_the_latest_rate(
    ticket_in, meta, rates_of_30_november
):
    # $5.00 a day for clicks = 5 / 1.05 * 160 = ¥761.90..., rounded to the yen: ¥762.
    result = findings(ticket_in(meta, "JPY", "JP", budget_amount="700"))

    assert result["platform_minimum"].message == (
        "Meta needs at least ¥762 a day for an ad set optimised for clicks or engagement "
        "(Meta states $5.00 a day; converted at the rate of 2026-11-30, and checked against the "
        "ad account's own figure when it is sent); this ticket has ¥700. Raise the budget to "
        "¥762 or more."
    )
    assert findings(ticket_in(meta, "JPY", "JP", budget_amount="762"))["platform_minimum"].passed


def test_a_meta_lifetime_budget_in_yen_needs_the_converted_minimum_on_every_day(
    ticket_in, meta, rates_of_30_november
):
    ticket = ticket_in(meta, "JPY", "JP", budget_type="LIFETIME", budget_amount="7000")

    message = findings(ticket)["platform_minimum"].message
    assert message.startswith(
        "Meta needs at least ¥7,620 in total for a 10-day ad set optimised for clicks or "
        "engagement (¥762 a day: Meta states $5.00 a day; converted at the rate of 2026-11-30"
    )


def test_the_documented_meta_figures_depend_on_the_account_currency():
    field = meta.minimum_field(Objective.TRAFFIC)
    assert field == "min_daily_budget_high_freq"
    assert meta.usd_minimum(field, "USD") == Decimal("5.00")
    assert meta.usd_minimum(field, "EUR") == Decimal("5.00")
    # Accounts in the other currencies have half of it.
    assert meta.usd_minimum(field, "HUF") == Decimal("2.50")
    assert meta.usd_minimum("min_daily_budget_imp", "BRL") == Decimal("0.50")


def _meta_requests(amount: int, goal: str, budget_field="daily_budget", end=None):
    campaign = PlatformRequest(
        "POST", "/v27.0/act_{ad_account_id}/campaigns", {budget_field: amount}, ""
    )
    adset_body = {"optimization_goal": goal, "start_time": "2026-03-01T00:00:00+0100"}
    if end:
        adset_body["end_time"] = end
    return [campaign, PlatformRequest("POST", "/v27.0/act_{ad_account_id}/adsets", adset_body, "")]


def test_the_send_judges_the_budget_by_the_ad_accounts_answer_in_its_currency():
    translator = meta.MetaTranslator()
    check = translator.budget_check(_meta_requests(1200, "LINK_CLICKS"))
    assert check.filled({"ad_account_id": "42"}).path == "/v27.0/act_42/minimum_budgets"
    answer = {"data": [{"currency": "HUF", "min_daily_budget_high_freq": 1500}]}

    assert check.judge(answer) == (
        "Meta needs at least HUF1,500 a day for an ad set optimised for clicks or engagement "
        "in this ad account (its /minimum_budgets); this ticket has HUF1,200. Raise the budget "
        "to HUF1,500 or more; nothing was created or changed."
    )
    assert translator.budget_check(_meta_requests(1500, "LINK_CLICKS")).judge(answer) is None


def test_a_lifetime_budget_at_send_covers_each_day_of_the_ad_set():
    requests = _meta_requests(3000, "REACH", "lifetime_budget", end="2026-03-31T23:59:59+0200")
    check = meta.MetaTranslator().budget_check(requests)
    answer = {"data": [{"currency": "USD", "min_daily_budget_imp": 100}]}

    assert "at least $31.00 for 31 days" in check.judge(answer)


# --- Google Ads --------------------------------------------------------------------------------


def test_a_google_budget_that_is_not_a_multiple_of_the_currencys_unit_is_blocked(ticket_in, google):
    result = findings(ticket_in(google, "JPY", "JP", budget_amount="5000.5"))

    # Reported once, by the budget rule (the translator rule leaves out what it reports).
    finding = result["budget_positive"]
    assert not finding.passed and finding.severity == qa.BLOCK
    assert finding.message == "Budget amount 5000.5 has more decimals than JPY has (0)."
    assert findings(ticket_in(google, "JPY", "JP", budget_amount="5000"))["budget_positive"].passed


def test_meta_minimum_helpers_cover_every_objective_meta_supports():
    for objective in meta.OBJECTIVES:
        assert meta.minimum_field(objective) in meta.USD_MINIMUMS
