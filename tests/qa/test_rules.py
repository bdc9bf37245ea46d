"""Pre-flight QA: each rule passing and failing, severities, and several failures together: The
registry and a valid ticket; taxonomy; translator; budget_positive; campaign_budget; open_ended
(warn); flight; landing URL and UTM; brand ceilings; budget_type_kept.
"""

from datetime import date
from decimal import Decimal

import pytest

from omnitraffick.models import Campaign, TicketStatus
from omnitraffick.services import qa
from tests.qa.helpers import (
    TODAY,
    UPDATE_BUDGET,
    UPDATE_STATUS,
    WARN_RULES,
    assert_only_failure,
    create_settings,
    failed,
    findings_of,
    landing_url,
    set_ceilings,
)

# --- The registry and a valid ticket -------------------------------------------------------------


def test_registry_holds_every_rule_once_with_a_severity():
    codes = [r.code for r in qa.RULES]
    assert len(codes) == len(set(codes))
    assert set(codes) == {
        "taxonomy",
        "one_create",
        "translator",
        "budget_positive",
        "campaign_budget",
        "open_ended",
        "flight",
        "landing_https",
        "utm_campaign",
        "utm_source_medium",
        "utm_mapping",
        "brand_ceiling",
        "brand_ceiling_currency",
        "budget_type_kept",
        "flight_started",
        "platform_minimum",
        "platform_minimum_unknown",
        "compliance_political",
        "ad_creative_specs",
        "ad_text_cut_off",
        "ad_complete",
        "ad_landing",
        "ads_present",
    }
    assert {
        "open_ended",
        "utm_source_medium",
        "brand_ceiling_currency",
        "flight_started",
        "platform_minimum_unknown",
        "ad_text_cut_off",
        "ads_present",
    } == WARN_RULES
    assert all(r.title for r in qa.RULES)


def test_valid_meta_create_ticket_passes_every_rule(ticket_for):
    ticket = ticket_for()
    assert ticket.platform_name == "DIS_US_META_2026_MoanaLaunch"

    findings = qa.run(qa.context_for(ticket, created_object_id=None, today=TODAY))

    assert [f.rule for f in findings] == [r.code for r in qa.RULES]
    assert all(f.passed and f.message == "OK" for f in findings), [
        (f.rule, f.message) for f in findings if not f.passed
    ]
    assert qa.blocking(findings) == []
    n = len(qa.RULES)
    assert qa.summary(findings) == f"Pre-flight QA: {n} of {n} rules passed."
    assert findings[0].to_dict() == {
        "rule": "taxonomy",
        "title": findings[0].title,
        "severity": "block",
        "passed": True,
        "message": "OK",
    }


@pytest.mark.parametrize(
    ("channel", "objective"),
    [("tiktok", "TRAFFIC"), ("google", "TRAFFIC"), ("tiktok", "AWARENESS")],
)
def test_valid_tickets_for_other_platforms_pass(request, ticket_for, channel, objective):
    code = request.getfixturevalue(channel).api_identifier
    name = f"DIS_US_{code}_2026_MoanaLaunch"
    ticket = ticket_for(
        create_settings(objective=objective, landing_url=landing_url(name)),
        channel=request.getfixturevalue(channel),
    )

    findings = findings_of(ticket)

    assert failed(findings) == set(), {c: findings[c].message for c in failed(findings)}


def test_context_for_defaults_today_to_the_current_date(ticket_for):
    ctx = qa.context_for(ticket_for(), created_object_id=None)
    assert isinstance(ctx.today, date)
    assert ctx.currency == "USD"
    assert ctx.settings == create_settings()


# --- taxonomy ------------------------------------------------------------------------------------


def test_taxonomy_fails_when_the_name_year_differs_from_the_campaign(db, ticket_for, brand, us):
    # The campaigns service never writes such a row; inserted directly to reach the rule.
    stale = Campaign(
        name="DIS_US_MULTI_2025_MoanaLaunch",
        campaign_name="MoanaLaunch",
        brand_id=brand.id,
        market_id=us.id,
        year=2026,
        budget=Decimal("10000"),
    )
    db.session.add(stale)
    db.session.commit()
    name = "DIS_US_META_2025_MoanaLaunch"
    ticket = ticket_for(create_settings(landing_url=landing_url(name)), on=stale)

    findings = findings_of(ticket)

    assert_only_failure(findings, "taxonomy", "year part is 2025, expected 2026")


def test_taxonomy_fails_when_the_name_brand_is_not_the_campaigns(
    db, ticket_for, brand, us, make_brand
):
    make_brand(name="Pixar", internal_code="PIX")
    other = Campaign(
        name="PIX_US_MULTI_2026_MoanaLaunch",
        campaign_name="MoanaLaunch",
        brand_id=brand.id,
        market_id=us.id,
        year=2026,
        budget=Decimal("10000"),
    )
    db.session.add(other)
    db.session.commit()
    name = "PIX_US_META_2026_MoanaLaunch"
    ticket = ticket_for(create_settings(landing_url=landing_url(name)), on=other)

    findings = findings_of(ticket)

    assert not findings["taxonomy"].passed
    assert findings["taxonomy"].severity == qa.BLOCK


# --- translator ----------------------------------------------------------------------------------


def test_translator_fails_for_an_objective_the_platform_does_not_support(ticket_for, tiktok):
    name = "DIS_US_TIKTOK_2026_MoanaLaunch"
    ticket = ticket_for(
        create_settings(objective="ENGAGEMENT", landing_url=landing_url(name)), channel=tiktok
    )

    findings = findings_of(ticket)

    assert_only_failure(findings, "translator", "ENGAGEMENT")


def test_translator_lists_every_missing_setting(ticket_for):
    ticket = ticket_for(create_settings(objective=None, flight_start=None))

    findings = findings_of(ticket)

    assert not findings["translator"].passed
    message = findings["translator"].message
    assert "Objective is required." in message
    assert "Flight start is required." in message


def test_translator_reports_all_problems_in_one_message(ticket_for, tiktok):
    name = "DIS_US_TIKTOK_2026_MoanaLaunch"
    ticket = ticket_for(
        create_settings(
            objective="ENGAGEMENT",
            budget_type="LIFETIME",
            flight_end=None,
            landing_url=landing_url(name),
        ),
        channel=tiktok,
    )

    message = findings_of(ticket)["translator"].message

    assert "ENGAGEMENT" in message
    assert "A lifetime budget needs a flight end date." in message


# --- budget_positive -----------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0", "0.00"])
def test_budget_positive_fails_for_zero(ticket_for, amount):
    findings = findings_of(ticket_for(create_settings(budget_amount=amount)))

    assert not findings["budget_positive"].passed
    assert findings["budget_positive"].message == "Budget amount must be greater than zero."
    assert findings["budget_positive"].severity == qa.BLOCK


def test_budget_positive_fails_without_an_amount(ticket_for):
    findings = findings_of(ticket_for(create_settings(budget_amount=None)))

    assert findings["budget_positive"].message == "Budget amount is required."


def test_budget_positive_does_not_apply_to_status_updates(ticket_for):
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)
    ticket = ticket_for({"target_status": "ACTIVE"}, request_type=UPDATE_STATUS)

    findings = findings_of(ticket, created_object_id="120000000000")

    assert failed(findings) == set(), {c: findings[c].message for c in failed(findings)}


# --- campaign_budget -----------------------------------------------------------------------------


def test_campaign_budget_counts_daily_budget_times_flight_days(ticket_for):
    # 400.00 a day for the 28 days of February is 11,200.00, over the 10,000.00 budget.
    findings = findings_of(ticket_for(create_settings(budget_amount="400.00")))

    assert_only_failure(findings, "campaign_budget", "up to $11,200.00", "budget of $10,000.00")


def test_campaign_budget_passes_at_exactly_the_budget(ticket_for):
    findings = findings_of(
        ticket_for(create_settings(budget_type="LIFETIME", budget_amount="10000.00"))
    )

    assert findings["campaign_budget"].passed


def test_campaign_budget_adds_up_the_campaigns_counted_create_tickets(ticket_for, tiktok, google):
    lifetime = create_settings(budget_type="LIFETIME", budget_amount="5000.00")
    ticket_for(lifetime, channel=tiktok, status=TicketStatus.READY_FOR_API)
    # 100.00 a day for 28 days: 2,800.00.
    ticket_for(create_settings(), channel=google, status=TicketStatus.TRAFFICKED_SUCCESS)
    # Mine: 100.00 a day for 28 days, 2,800.00; 10,600.00 in all.
    ticket = ticket_for()

    findings = findings_of(ticket)

    assert_only_failure(findings, "campaign_budget", "up to $10,600.00")


def test_campaign_budget_ignores_draft_and_failed_siblings_and_other_campaigns(
    ticket_for, tiktok, google, make_campaign, brand, us
):
    huge = create_settings(budget_type="LIFETIME", budget_amount="50000.00")
    ticket_for(huge, channel=tiktok)  # DRAFT
    ticket_for(huge, channel=google, status=TicketStatus.QA_FAILED)
    other = make_campaign(brand=brand, market=us, campaign_name="Frozen", budget="100000")
    ticket_for(huge, on=other, status=TicketStatus.READY_FOR_API)
    # Updates do not count against the budget either.
    ticket_for(huge, channel=tiktok, request_type=UPDATE_BUDGET, status=TicketStatus.READY_FOR_API)

    findings = findings_of(ticket_for())

    assert findings["campaign_budget"].passed


def test_campaign_budget_counts_siblings_in_qa_testing(ticket_for, tiktok):
    lifetime = create_settings(budget_type="LIFETIME", budget_amount="9000.00")
    ticket_for(lifetime, channel=tiktok, status=TicketStatus.QA_TESTING)

    findings = findings_of(ticket_for())

    assert not findings["campaign_budget"].passed


def test_campaign_budget_only_applies_to_create_tickets(ticket_for):
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)
    ticket = ticket_for(
        {"budget_type": "DAILY", "budget_amount": "400.00"}, request_type=UPDATE_BUDGET
    )

    findings = findings_of(ticket, created_object_id="120000000000")

    assert findings["campaign_budget"].passed


# --- open_ended (warn) ---------------------------------------------------------------------------


def test_open_ended_warns_for_a_daily_budget_without_flight_end(ticket_for):
    findings = findings_of(ticket_for(create_settings(flight_end=None)))

    assert_only_failure(findings, "open_ended", "keeps spending")
    assert findings["open_ended"].severity == qa.WARN
    assert qa.blocking(list(findings.values())) == []


def test_open_ended_does_not_warn_for_a_budget_update_of_a_flight_with_an_end(ticket_for):
    # The flight (with its end) belongs to the CREATE ticket; an UPDATE_BUDGET ticket only
    # holds budget_type and budget_amount (settings.FIELDS), so it can never carry flight_end.
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)  # flight 2026-02-01..2026-02-28
    ticket = ticket_for(
        {"budget_type": "DAILY", "budget_amount": "150.00"}, request_type=UPDATE_BUDGET
    )

    findings = findings_of(ticket, created_object_id="120000000000")

    assert findings["open_ended"].passed, findings["open_ended"].message


def test_open_ended_does_not_apply_to_lifetime_budgets(ticket_for):
    findings = findings_of(ticket_for(create_settings(budget_type="LIFETIME")))

    assert findings["open_ended"].passed


# --- flight --------------------------------------------------------------------------------------


def test_flight_fails_when_it_ends_before_it_starts(ticket_for):
    ticket = ticket_for(create_settings(flight_start="2026-02-10", flight_end="2026-02-01"))

    findings = findings_of(ticket)

    assert not findings["flight"].passed
    assert "ends (2026-02-01) before it starts (2026-02-10)" in findings["flight"].message


def test_a_flight_that_started_warns_that_it_starts_when_sent(ticket_for):
    # Blocking moved to flights that have ended (tests/test_flight_times.py).
    findings = findings_of(ticket_for(create_settings(flight_start="2026-01-09")))

    assert findings["flight"].passed
    assert not findings["flight_started"].passed
    assert "started on 2026-01-09" in findings["flight_started"].message


def test_flight_may_start_today(ticket_for):
    findings = findings_of(ticket_for(create_settings(flight_start=TODAY.isoformat())))

    assert findings["flight"].passed


def test_flight_start_in_the_past_is_fine_for_an_update(ticket_for):
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)
    ticket = ticket_for(
        {"budget_type": "DAILY", "budget_amount": "120.00", "flight_start": "2025-12-01"},
        request_type=UPDATE_BUDGET,
    )

    findings = findings_of(ticket, created_object_id="120000000000")

    assert findings["flight"].passed


# --- landing URL and UTM -------------------------------------------------------------------------


def test_landing_https_fails_for_http(ticket_for):
    url = landing_url(scheme="http")
    findings = findings_of(ticket_for(create_settings(landing_url=url)))

    assert_only_failure(findings, "landing_https", f"not https: {url}")


def test_utm_campaign_fails_when_missing(ticket_for):
    findings = findings_of(ticket_for(create_settings(landing_url=landing_url(None))))

    assert_only_failure(
        findings, "utm_campaign", "no utm_campaign; it should be DIS_US_META_2026_MoanaLaunch"
    )


def test_utm_campaign_fails_when_it_is_not_the_platform_name(ticket_for):
    # The campaign's multi-channel name is not this ticket's platform name.
    url = landing_url("DIS_US_MULTI_2026_MoanaLaunch")
    findings = findings_of(ticket_for(create_settings(landing_url=url)))

    assert_only_failure(
        findings,
        "utm_campaign",
        "utm_campaign is DIS_US_MULTI_2026_MoanaLaunch; it should be DIS_US_META_2026_MoanaLaunch",
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"utm_source": None}, "The landing URL has no utm_source."),
        ({"utm_medium": None}, "The landing URL has no utm_medium."),
        (
            {"utm_source": None, "utm_medium": None},
            "The landing URL has no utm_source or utm_medium.",
        ),
    ],
)
def test_utm_source_medium_warns_when_missing(ticket_for, missing, message):
    url = landing_url(**missing)
    findings = findings_of(ticket_for(create_settings(landing_url=url)))

    assert_only_failure(findings, "utm_source_medium")
    assert findings["utm_source_medium"].message == message
    assert findings["utm_source_medium"].severity == qa.WARN
    assert qa.blocking(list(findings.values())) == []


def test_url_rules_do_not_apply_without_a_landing_url(ticket_for):
    findings = findings_of(ticket_for(create_settings(landing_url=None)))

    assert {"landing_https", "utm_campaign", "utm_source_medium"} <= {
        code for code, f in findings.items() if f.passed
    }


# --- brand ceilings ------------------------------------------------------------------------------


def test_brand_ceiling_blocks_a_daily_budget_over_the_daily_ceiling(db, ticket_for, brand):
    set_ceilings(db, brand, daily="99.99", lifetime="1000000")

    findings = findings_of(ticket_for())

    assert_only_failure(
        findings,
        "brand_ceiling",
        "daily budget $100.00 is over Disney's daily ceiling of $99.99",
    )


def test_brand_ceiling_blocks_a_lifetime_budget_over_the_lifetime_ceiling(db, ticket_for, brand):
    set_ceilings(db, brand, daily="1", lifetime="2500")
    settings = create_settings(budget_type="LIFETIME", budget_amount="2500.01")

    findings = findings_of(ticket_for(settings))

    # The daily ceiling does not apply to a lifetime budget.
    assert_only_failure(
        findings,
        "brand_ceiling",
        "lifetime budget $2,500.01 is over Disney's lifetime ceiling of $2,500.00",
    )


@pytest.mark.parametrize(("budget_type", "amount"), [("DAILY", "100.00"), ("LIFETIME", "2500.00")])
def test_brand_ceiling_passes_at_or_under_the_ceiling(db, ticket_for, brand, budget_type, amount):
    set_ceilings(db, brand, daily="100", lifetime="2500")
    settings = create_settings(budget_type=budget_type, budget_amount=amount)

    findings = findings_of(ticket_for(settings))

    assert failed(findings) == set(), {c: findings[c].message for c in failed(findings)}


def test_brand_ceiling_also_applies_to_budget_updates(db, ticket_for, brand):
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)
    set_ceilings(db, brand, daily="150")
    ticket = ticket_for(
        {"budget_type": "DAILY", "budget_amount": "200.00"}, request_type=UPDATE_BUDGET
    )

    findings = findings_of(ticket, created_object_id="120000000000")

    assert not findings["brand_ceiling"].passed
    assert "over Disney's daily ceiling of $150.00" in findings["brand_ceiling"].message


def test_brand_ceiling_currency_warns_and_the_ceiling_is_not_applied(
    db, ticket_for, make_campaign, brand, jp
):
    # A USD ceiling that a JPY budget would be far over if the numbers were compared.
    set_ceilings(db, brand, daily="50", lifetime="500")
    japan = make_campaign(brand=brand, market=jp, budget="10000000")
    name = "DIS_JP_META_2026_MoanaLaunch"
    ticket = ticket_for(
        create_settings(budget_amount="100000", landing_url=landing_url(name)), on=japan
    )

    findings = findings_of(ticket)

    assert_only_failure(
        findings, "brand_ceiling_currency", "Disney's ceilings are in USD", "in JPY"
    )
    assert findings["brand_ceiling"].passed
    assert findings["brand_ceiling_currency"].severity == qa.WARN
    assert qa.blocking(list(findings.values())) == []


def test_brand_ceiling_currency_is_quiet_without_ceilings(ticket_for, make_campaign, brand, jp):
    japan = make_campaign(brand=brand, market=jp, budget="10000000")
    name = "DIS_JP_META_2026_MoanaLaunch"
    ticket = ticket_for(
        create_settings(budget_amount="100000", landing_url=landing_url(name)), on=japan
    )

    findings = findings_of(ticket)

    assert failed(findings) == set(), {c: findings[c].message for c in failed(findings)}


# --- budget_type_kept ----------------------------------------------------------------------------


def test_budget_type_kept_blocks_switching_daily_to_lifetime(ticket_for):
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)  # created with a daily budget
    ticket = ticket_for(
        {"budget_type": "LIFETIME", "budget_amount": "2000.00"}, request_type=UPDATE_BUDGET
    )

    findings = findings_of(ticket, created_object_id="120000000000")

    assert not findings["budget_type_kept"].passed
    assert "created with a daily budget" in findings["budget_type_kept"].message
    assert "must stay daily" in findings["budget_type_kept"].message
    assert findings["budget_type_kept"].severity == qa.BLOCK


def test_budget_type_kept_passes_when_the_type_stays(ticket_for):
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)
    ticket = ticket_for(
        {"budget_type": "DAILY", "budget_amount": "150.00"}, request_type=UPDATE_BUDGET
    )

    findings = findings_of(ticket, created_object_id="120000000000")

    assert qa.blocking(list(findings.values())) == []
    assert findings["budget_type_kept"].passed


def test_budget_type_kept_only_compares_with_the_same_channels_trafficked_create(
    ticket_for, tiktok
):
    # A lifetime CREATE on another channel, and a lifetime CREATE on Meta not trafficked yet.
    lifetime = create_settings(budget_type="LIFETIME", budget_amount="1000.00")
    ticket_for(lifetime, channel=tiktok, status=TicketStatus.TRAFFICKED_SUCCESS)
    ticket_for(lifetime, status=TicketStatus.READY_FOR_API)
    ticket = ticket_for(
        {"budget_type": "DAILY", "budget_amount": "150.00"}, request_type=UPDATE_BUDGET
    )

    findings = findings_of(ticket, created_object_id="120000000000")

    assert findings["budget_type_kept"].passed
