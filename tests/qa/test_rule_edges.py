"""Pre-flight QA at the edges a planner meets: a one-day flight, a budget under one unit, an
update that is not counted against the campaign budget, an open-ended sibling, a brand with
one ceiling of two, and a campaign whose stored name is not a taxonomy name."""

from decimal import Decimal

import pytest

from omnitraffick.models import Campaign, TicketStatus
from omnitraffick.services import qa
from tests.qa.helpers import (
    UPDATE_BUDGET,
    assert_only_failure,
    create_settings,
    failed,
    findings_of,
    landing_url,
    set_ceilings,
)


def test_a_one_day_flight_passes_qa(ticket_for):
    # Start equal to end is one day of spend: 100.00 a day counts 100.00, not 0 and not 200.
    settings = create_settings(flight_start="2026-02-14", flight_end="2026-02-14")

    findings = findings_of(ticket_for(settings))

    assert failed(findings) == set(), {c: findings[c].message for c in failed(findings)}
    assert qa.planned_spend(settings) == Decimal("100.00")


def test_a_one_day_flight_counts_one_day_against_the_campaign_budget(ticket_for):
    settings = create_settings(
        budget_amount="10000.01", flight_start="2026-02-14", flight_end="2026-02-14"
    )

    findings = findings_of(ticket_for(settings))

    assert not findings["campaign_budget"].passed
    assert "up to $10,000.01, more than its budget of $10,000.00" in (
        findings["campaign_budget"].message
    )


def test_a_flight_that_ends_before_it_starts_plans_no_spend():
    settings = create_settings(flight_start="2026-02-14", flight_end="2026-02-13")
    assert qa.planned_spend(settings) is None


@pytest.mark.parametrize("amount", ["0.50", "0.01"])
def test_a_budget_under_one_dollar_is_still_positive(ticket_for, amount):
    settings = create_settings(budget_type="LIFETIME", budget_amount=amount)

    findings = findings_of(ticket_for(settings))

    assert findings["budget_positive"].passed, findings["budget_positive"].message
    assert findings["budget_positive"].message == "OK"


@pytest.mark.parametrize("amount", ["0", "0.00", "-0.50"])
def test_a_zero_or_negative_budget_is_not_positive(ticket_for, amount):
    settings = create_settings(budget_type="LIFETIME", budget_amount=amount)

    findings = findings_of(ticket_for(settings))

    assert not findings["budget_positive"].passed
    assert findings["budget_positive"].message == "Budget amount must be greater than zero."


def test_an_update_budget_ticket_is_not_counted_against_the_campaign_budget(ticket_for):
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)
    # A lifetime budget five times the campaign's, with a flight: its spend could be counted.
    update = create_settings(budget_type="LIFETIME", budget_amount="50000.00")

    findings = findings_of(
        ticket_for(update, request_type=UPDATE_BUDGET), created_object_id="120000000000"
    )

    assert findings["campaign_budget"].passed
    assert findings["campaign_budget"].message == "OK"


def test_an_open_ended_sibling_adds_nothing_it_cannot_know(ticket_for, tiktok):
    # The sibling's daily budget has no end: its spend is unknown, not counted. Mine takes the
    # whole campaign budget and passes; one cent more does not.
    ticket_for(create_settings(flight_end=None), channel=tiktok, status=TicketStatus.READY_FOR_API)
    whole = create_settings(budget_type="LIFETIME", budget_amount="10000.00")
    assert findings_of(ticket_for(whole))["campaign_budget"].passed

    over = create_settings(budget_type="LIFETIME", budget_amount="10000.01")
    findings = findings_of(ticket_for(over))
    assert not findings["campaign_budget"].passed
    assert "up to $10,000.01" in findings["campaign_budget"].message


def test_an_open_ended_ticket_of_its_own_is_not_checked_against_the_campaign_budget(ticket_for):
    # 400.00 a day would be over the budget after 25 days; with no end it warns instead.
    findings = findings_of(ticket_for(create_settings(budget_amount="400.00", flight_end=None)))

    assert findings["campaign_budget"].passed
    assert not findings["open_ended"].passed


@pytest.mark.parametrize(
    ("ceilings", "budget_type", "amount"),
    [
        ({"daily": "50"}, "LIFETIME", "2500.00"),  # no lifetime ceiling: nothing to be over
        ({"lifetime": "500"}, "DAILY", "100.00"),  # no daily ceiling
    ],
)
def test_a_brand_with_one_ceiling_leaves_the_other_budget_type_free(
    db, ticket_for, brand, ceilings, budget_type, amount
):
    set_ceilings(db, brand, **ceilings)

    findings = findings_of(
        ticket_for(create_settings(budget_type=budget_type, budget_amount=amount))
    )

    assert failed(findings) == set(), {c: findings[c].message for c in failed(findings)}


@pytest.mark.parametrize(
    ("ceilings", "budget_type", "amount", "reads"),
    [
        (
            {"daily": "50"},
            "DAILY",
            "100.00",
            "daily budget $100.00 is over Disney's daily ceiling of $50.00",
        ),
        (
            {"lifetime": "500"},
            "LIFETIME",
            "500.01",
            "lifetime budget $500.01 is over Disney's lifetime ceiling of $500.00",
        ),
    ],
)
def test_a_brand_with_one_ceiling_holds_its_budget_type_to_it(
    db, ticket_for, brand, ceilings, budget_type, amount, reads
):
    set_ceilings(db, brand, **ceilings)

    findings = findings_of(
        ticket_for(create_settings(budget_type=budget_type, budget_amount=amount))
    )

    assert_only_failure(findings, "brand_ceiling", reads)


@pytest.mark.parametrize("ceilings", [{"daily": "50"}, {"lifetime": "500"}])
def test_one_ceiling_in_another_currency_is_enough_to_warn(
    db, ticket_for, make_campaign, brand, jp, ceilings
):
    set_ceilings(db, brand, **ceilings)
    japan = make_campaign(brand=brand, market=jp, budget="10000000")
    name = "DIS_JP_META_2026_MoanaLaunch"
    ticket = ticket_for(
        create_settings(budget_amount="100000", landing_url=landing_url(name)), on=japan
    )

    findings = findings_of(ticket)

    assert_only_failure(findings, "brand_ceiling_currency", "Disney's ceilings are in USD")


@pytest.mark.parametrize("stored", ["DIS_US_MULTI_2026_Frozen Two", "dis_us_multi_2026_Frozen"])
def test_taxonomy_fails_when_the_campaigns_stored_name_is_not_a_taxonomy_name(
    db, ticket_for, brand, us, stored
):
    # The campaigns service never writes such a row; inserted directly to reach the rule.
    broken = Campaign(
        name=stored,
        campaign_name="MoanaLaunch",
        brand_id=brand.id,
        market_id=us.id,
        year=2026,
        budget=Decimal("10000"),
    )
    db.session.add(broken)
    db.session.commit()
    ticket = ticket_for(on=broken)

    ctx = qa.context_for(ticket, created_object_id=None)
    [problem] = qa.check_taxonomy(ctx)

    assert problem == f"{stored!r} is not a taxonomy name."
    findings = {f.rule: f for f in qa.run(ctx)}
    # The one problem is reported once, by the taxonomy rule; QA still runs every rule.
    assert not findings["taxonomy"].passed
    assert findings["taxonomy"].severity == qa.BLOCK
    assert findings["utm_campaign"].passed
