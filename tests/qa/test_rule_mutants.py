"""Pre-flight QA where mutation testing found rules no test held: a flight that starts the day
QA runs, a flight that is over, settings QA cannot read, the channel's UTM mapping, a name made
by an organisation's own convention, and a problem two rules would both report."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from omnitraffick.models import Role, TicketStatus
from omnitraffick.services import campaigns, naming, qa, utm
from tests.qa.helpers import (
    TODAY,
    UPDATE_STATUS,
    assert_only_failure,
    create_settings,
    failed,
    findings_of,
    landing_url,
    set_ceilings,
)

# --- flight and flight_started ---------------------------------------------------------------


def test_a_flight_that_starts_the_day_qa_runs_has_not_started_yet(ticket_for):
    # QA as of a day runs at 00:00 that day in the market: a flight starting that day starts
    # at that instant, so nothing of it is lost yet and there is nothing to warn about.
    settings = create_settings(flight_start=TODAY.isoformat(), flight_end="2026-01-31")

    findings = findings_of(ticket_for(settings))

    assert failed(findings) == set(), {c: findings[c].message for c in failed(findings)}
    assert findings["flight_started"].message == "OK"


def test_qa_as_of_a_day_runs_at_midnight_in_the_market(ticket_for):
    ticket = ticket_for()

    ctx = qa.context_for(ticket, None, today=TODAY)

    assert ctx.now == datetime.combine(TODAY, time(0), ZoneInfo("America/New_York"))
    assert ctx.today == TODAY


def test_a_flight_that_is_over_is_blocked_and_not_also_warned_about(ticket_for):
    # QA runs on 2026-01-10: a December flight ended weeks ago.
    settings = create_settings(flight_start="2025-12-01", flight_end="2025-12-31")

    findings = findings_of(ticket_for(settings))

    assert_only_failure(findings, "flight", "The flight ended at 2025-12-31 23:59:59", "Move")
    assert findings["flight_started"].passed  # the block says it all; no warning on top


def test_a_flight_that_started_yesterday_is_warned_about(ticket_for):
    settings = create_settings(flight_start="2026-01-09", flight_end="2026-01-31")

    findings = findings_of(ticket_for(settings))

    assert_only_failure(findings, "flight_started", "The flight started on 2026-01-09")


# --- settings QA cannot read ------------------------------------------------------------------


def test_a_status_update_has_no_budget_to_hold_against_the_brand_ceilings(db, ticket_for, brand):
    set_ceilings(db, brand, daily="50", lifetime="500")
    ticket_for(status=TicketStatus.TRAFFICKED_SUCCESS)

    update = ticket_for({"status": "ACTIVE"}, request_type=UPDATE_STATUS)
    findings = findings_of(update, created_object_id="120000000000")

    assert findings["brand_ceiling"].passed
    assert findings["brand_ceiling_currency"].passed
    assert findings["campaign_budget"].passed


def test_a_budget_that_is_not_a_number_is_reported_not_counted(db, ticket_for, brand):
    set_ceilings(db, brand, daily="50", lifetime="500")

    findings = findings_of(ticket_for(create_settings(budget_amount="lots")))

    assert not findings["budget_positive"].passed
    assert "lots" in findings["budget_positive"].message
    # Nothing to add up or compare: the budget rule says what is wrong.
    assert findings["campaign_budget"].passed
    assert findings["brand_ceiling"].passed


@pytest.mark.parametrize(
    "flight_start",
    [
        "2026-02-30",  # no such day
        ["2026-02-01"],  # a list where a date belongs
        None,  # no start at all
    ],
    ids=["no-such-day", "a-list", "missing"],
)
def test_a_flight_start_that_is_not_a_date_is_reported_not_planned(ticket_for, flight_start):
    settings = create_settings(budget_type="DAILY")
    settings["flight_start"] = flight_start
    if flight_start is None:
        del settings["flight_start"]

    findings = findings_of(ticket_for(settings))

    assert qa.planned_spend(settings) is None
    assert findings["campaign_budget"].passed  # a spend it cannot plan is not guessed
    assert findings["flight_started"].passed
    assert not findings["translator"].passed, findings["translator"].message
    assert "start" in findings["translator"].message.lower()


# --- the channel's UTM mapping ---------------------------------------------------------------

NAME = "DIS_US_META_2026_MoanaLaunch"


def mapped(db, meta):
    utm.save_mapping(meta, utm.UtmSettings("facebook", "paid_social"))
    db.session.commit()


def test_with_a_mapping_every_parameter_off_it_is_named_once(db, ticket_for, meta):
    mapped(db, meta)
    # utm_source wrong, utm_medium missing, utm_campaign wrong, utm_content wrong.
    url = landing_url(utm_campaign="Other", utm_source="fb", utm_medium=None, utm_content="X")

    findings = findings_of(ticket_for(create_settings(landing_url=url)))

    assert failed(findings) == {"utm_campaign", "utm_mapping"}
    assert findings["utm_campaign"].message == f"utm_campaign is Other; it should be {NAME}."
    assert findings["utm_mapping"].message == (
        "utm_source is fb; META's UTM mapping makes it facebook. "
        "The landing URL has no utm_medium; META's UTM mapping makes it paid_social. "
        f"utm_content is X; META's UTM mapping makes it {NAME}. "
        '"Apply UTM parameters" in the ticket\'s settings sets them.'
    )


def test_with_a_mapping_a_missing_utm_campaign_is_its_own_rules(db, ticket_for, meta):
    mapped(db, meta)
    url = landing_url(utm_campaign=None, utm_source="facebook", utm_content=NAME)

    findings = findings_of(ticket_for(create_settings(landing_url=url)))

    assert_only_failure(findings, "utm_campaign", f"no utm_campaign; it should be {NAME}.")
    assert findings["utm_mapping"].message == "OK"


def test_with_a_mapping_only_a_wrong_utm_content_is_blocked(db, ticket_for, meta):
    mapped(db, meta)
    url = landing_url(utm_source="facebook", utm_content="Spring")

    findings = findings_of(ticket_for(create_settings(landing_url=url)))

    assert_only_failure(findings, "utm_mapping", "utm_content is Spring; META's UTM mapping")
    assert findings["utm_source_medium"].passed  # the mapping's rule took the warning over


def test_with_a_mapping_the_url_it_builds_passes(db, ticket_for, meta):
    mapped(db, meta)
    url = landing_url(utm_source="facebook", utm_content=NAME)

    findings = findings_of(ticket_for(create_settings(landing_url=url)))

    assert failed(findings) == set(), {c: findings[c].message for c in failed(findings)}
    assert findings["utm_mapping"].message == "OK"


# --- a name made by the organisation's own convention ---------------------------------------


@pytest.fixture
def convention_campaign(db, make_user, brand, us):
    """A campaign named by an own convention (brand-market-channel-text-year)."""
    segments = [
        {"kind": "brand"},
        {"kind": "market"},
        {"kind": "channel"},
        {"kind": "text", "max_length": 40, "casing": "pascal"},
        {"kind": "year"},
    ]
    naming.save_convention("campaign", "-", segments, make_user(Role.ADMIN))
    campaign = campaigns.create_campaign(
        brand_id=brand.id, market_id=us.id, campaign_name="Spring", year=2026, budget="10000"
    )
    db.session.commit()
    assert campaign.naming_version != 1
    return campaign


def convention_url(ticket):
    return landing_url(utm_campaign=ticket.platform_name)


def test_a_convention_name_that_matches_its_campaign_passes(db, ticket_for, convention_campaign):
    ticket = ticket_for(on=convention_campaign)
    ticket.payload_config = create_settings(landing_url=convention_url(ticket))
    db.session.commit()

    findings = findings_of(ticket)

    assert ticket.platform_name == "DIS-US-META-Spring-2026"
    assert findings["taxonomy"].passed, findings["taxonomy"].message


def test_a_convention_name_with_another_brands_code_names_the_part(
    db, ticket_for, convention_campaign, make_brand
):
    make_brand(name="Pixar", internal_code="PIX")
    # Stored as another brand's name (the campaigns service never writes one; set directly).
    convention_campaign.name = "PIX-US-MULTI-Spring-2026"
    db.session.commit()
    ticket = ticket_for(on=convention_campaign)
    ticket.payload_config = create_settings(landing_url=convention_url(ticket))
    db.session.commit()

    findings = findings_of(ticket)

    assert not findings["taxonomy"].passed
    assert findings["taxonomy"].message == "The name's brand part is PIX, expected DIS."


def test_a_convention_name_that_does_not_decode_says_why(db, ticket_for, convention_campaign):
    convention_campaign.name = "DIS-US-MULTI-Spring"  # no year
    db.session.commit()
    ticket = ticket_for(on=convention_campaign)

    findings = findings_of(ticket)

    assert not findings["taxonomy"].passed
    assert findings["taxonomy"].message != "OK"
    assert "expected" not in findings["taxonomy"].message


# --- one problem, one line, and still a failure ---------------------------------------------


def test_a_rule_whose_problem_an_earlier_rule_reported_still_fails(ticket_for, monkeypatch):
    # Two rules that find the same thing: the line is shown once, under the first, and the
    # second rule fails all the same (it is not shown as passed).
    same = "The landing page answers 404."
    monkeypatch.setattr(
        qa,
        "RULES",
        [
            qa.Rule("first", "First", qa.BLOCK, lambda ctx: [same]),
            qa.Rule("second", "Second", qa.WARN, lambda ctx: [same, same]),
        ],
    )

    findings = findings_of(ticket_for())

    assert findings["first"].message == same and not findings["first"].passed
    assert findings["second"].message == same and not findings["second"].passed


def test_without_an_ad_set_name_the_mapping_checks_all_but_utm_content(
    db, ticket_for, meta, make_user
):
    # Ad set names by a convention that needs the flight's month; the flight has no start,
    # so the name (and the utm_content it would give) cannot be made: the translator says why.
    segments = [
        {"kind": "brand"},
        {"kind": "month"},
        {"kind": "text", "max_length": 40, "casing": "pascal"},
    ]
    naming.save_convention("adset", "_", segments, make_user(Role.ADMIN))
    mapped(db, meta)
    settings = create_settings(landing_url=landing_url(utm_source="fb", utm_content="Any"))
    del settings["flight_start"]

    findings = findings_of(ticket_for(settings))

    assert "The ad set / ad group name cannot be made" in findings["translator"].message
    assert findings["utm_mapping"].message == (
        "utm_source is fb; META's UTM mapping makes it facebook. "
        '"Apply UTM parameters" in the ticket\'s settings sets them.'
    )
