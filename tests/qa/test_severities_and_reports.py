"""Pre-flight QA: each rule passing and failing, severities, and several failures together:
severities and several failures together; planned_spend; one problem, one line.
"""

from decimal import Decimal

import pytest

from omnitraffick.services import qa
from tests.qa.helpers import (
    TODAY,
    WARN_RULES,
    create_settings,
    findings_of,
    landing_url,
    set_ceilings,
)

# --- severities and several failures together ----------------------------------------------------


def test_warnings_alone_do_not_block(ticket_for, make_campaign, brand, jp, db):
    set_ceilings(db, brand, daily="50")
    japan = make_campaign(brand=brand, market=jp, budget="10000000")
    url = landing_url("DIS_JP_META_2026_MoanaLaunch", utm_source=None)
    ticket = ticket_for(
        create_settings(budget_amount="1000", flight_end=None, landing_url=url), on=japan
    )

    findings = qa.run(qa.context_for(ticket, created_object_id=None, today=TODAY))

    # A Meta ticket: the TikTok-only warning about undocumented minimums does not apply; nor
    # do the ad warnings, to a ticket without ads of a brand without creatives.
    expected = WARN_RULES - {
        "flight_started",
        "platform_minimum_unknown",
        "ad_text_cut_off",
        "ads_present",
    }
    assert {f.rule for f in findings if not f.passed} == expected
    assert qa.blocking(findings) == []
    n = len(qa.RULES)
    assert qa.summary(findings) == f"Pre-flight QA: {n - 3} of {n} rules passed, 3 warnings."


def test_a_single_warning_is_counted_in_the_singular(ticket_for):
    findings = qa.run(
        qa.context_for(ticket_for(create_settings(flight_end=None)), None, today=TODAY)
    )

    assert qa.summary(findings).endswith("rules passed, 1 warning.")


def test_several_problems_are_all_reported_and_listed_in_the_summary(db, ticket_for, brand):
    set_ceilings(db, brand, daily="50")
    ticket = ticket_for(
        create_settings(
            budget_amount="500.00",  # over the ceiling; 500 × 28 days is over the campaign budget
            flight_start="2026-01-05",  # in the past: a warning
            flight_end="2026-02-28",
            landing_url=landing_url("wrong", scheme="http", utm_medium=None),
        )
    )

    findings = qa.run(qa.context_for(ticket, created_object_id=None, today=TODAY))
    blocked = qa.blocking(findings)

    assert {f.rule for f in blocked} == {
        "campaign_budget",
        "landing_https",
        "utm_campaign",
        "brand_ceiling",
    }
    assert all(f.severity == qa.BLOCK and not f.passed for f in blocked)
    # The warning is reported too, but does not block.
    assert "utm_source_medium" in {f.rule for f in findings if not f.passed}
    summary = qa.summary(findings)
    n = len(qa.RULES)
    assert summary.startswith(f"Pre-flight QA: {n - 6} of {n} rules passed, 2 warnings. Blocking: ")
    for f in blocked:
        assert f"[{f.rule}] {f.message}" in summary
    assert "[utm_source_medium]" not in summary


def test_a_zero_budget_with_a_backwards_flight_reports_both(ticket_for):
    ticket = ticket_for(
        create_settings(budget_amount="0", flight_start="2026-03-01", flight_end="2026-02-01")
    )

    blocked = {f.rule for f in qa.blocking(findings_of(ticket).values())}

    assert {"budget_positive", "flight"} <= blocked


# --- planned_spend -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"budget_type": "LIFETIME", "budget_amount": "2500.00"}, Decimal("2500.00")),
        (
            {
                "budget_type": "LIFETIME",
                "budget_amount": "2500.00",
                "flight_start": "2026-02-01",
                "flight_end": "2026-02-28",
            },
            Decimal("2500.00"),
        ),
        (
            {
                "budget_type": "DAILY",
                "budget_amount": "100.00",
                "flight_start": "2026-02-01",
                "flight_end": "2026-02-28",
            },
            Decimal("2800.00"),
        ),
        (
            {
                "budget_type": "DAILY",
                "budget_amount": "100.00",
                "flight_start": "2026-02-01",
                "flight_end": "2026-02-01",
            },
            Decimal("100.00"),
        ),
        ({"budget_type": "DAILY", "budget_amount": "100.00", "flight_start": "2026-02-01"}, None),
        (
            {
                "budget_type": "DAILY",
                "budget_amount": "100.00",
                "flight_start": "2026-02-10",
                "flight_end": "2026-02-01",
            },
            None,
        ),
        ({"budget_type": "LIFETIME"}, None),
    ],
    ids=[
        "lifetime",
        "lifetime-ignores-flight",
        "daily-28-days",
        "daily-one-day",
        "open-ended",
        "backwards-flight",
        "no-amount",
    ],
)
def test_planned_spend(settings, expected):
    assert qa.planned_spend(settings) == expected


# --- one problem, one line -----------------------------------------------------------------------


def test_a_problem_a_rule_owns_is_not_repeated_by_the_translator_rule(ticket_for):
    """QA's budget and flight rules use the translators' own checks; the platform's finding
    lists only what is left, so the person fixing the ticket reads each problem once."""
    ticket = ticket_for(
        create_settings(budget_amount="0", flight_start="2026-03-01", flight_end="2026-02-01")
    )
    findings = findings_of(ticket)
    lines = [
        line for f in findings.values() if not f.passed for line in f.message.split(". ") if line
    ]
    assert len(lines) == len(set(lines)), lines
    assert findings["translator"].passed
    assert findings["budget_positive"].message == "Budget amount must be greater than zero."
    assert "The flight ends (2026-02-01) before it starts (2026-03-01)." in (
        findings["flight"].message
    )
