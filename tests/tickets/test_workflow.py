"""Tickets: opening one (structured, type-checked settings and the platform name), the workflow
with its audit trail and version checks, settings edits and deletes, the HTML pages a trafficker
works in (new/edit forms, ticket page with htmx moves, the filtered list), and two people moving
the same ticket at the same moment: Service: the workflow; Service: settings edits and deletes.
"""

from datetime import UTC, datetime

import pytest

from omnitraffick.errors import http_status
from omnitraffick.models import Role
from omnitraffick.services import qa
from omnitraffick.services import tickets as service
from omnitraffick.services.errors import Conflict, ValidationError
from tests.tickets.helpers import (
    ALLOWED_MOVES,
    DESIGN_MOVES,
    REFUSED_MOVES,
    S,
    as_utc,
    assert_passing_report,
    events_of,
    needs_for,
    reload,
    snapshot,
    valid_settings,
)

# --- Service: the workflow -----------------------------------------------------------------------


def test_the_transitions_table_is_the_workflow_in_design_md():
    assert set(ALLOWED_MOVES) == DESIGN_MOVES
    assert service.TRANSITIONS[S.TRAFFICKED_SUCCESS] == ()
    assert set(service.TRANSITIONS) == set(S)


@pytest.mark.parametrize(("source", "target"), ALLOWED_MOVES, ids=lambda s: s.value)
def test_every_allowed_move_works_and_is_recorded(db, open_ticket, put, make_user, source, target):
    user = make_user(Role.TRAFFICKER, name="Tess")
    ticket = put(open_ticket(settings=valid_settings()), source)
    before = {event.id for event in events_of(db, ticket.id)}
    version = ticket.version
    needs = needs_for(target)
    reason = needs.get("reason") or "Client changed the brief."

    event = service.move_ticket(
        ticket,
        target.value,
        actor=user,
        version=version,
        reason=reason,
        external_platform_id=needs.get("external_platform_id"),
    )
    db.session.commit()

    saved = reload(db, ticket.id)
    # QA runs on the way in: a valid ticket passes straight on to READY_FOR_API.
    landed = S.READY_FOR_API if target is S.QA_TESTING else target
    assert saved.status is landed
    assert saved.version == version + 1
    assert as_utc(saved.status_changed_at) > datetime(2026, 1, 2, tzinfo=UTC)
    new = [e for e in events_of(db, ticket.id) if e.id not in before]
    assert new[-1].id == event.id
    assert (new[0].from_status, new[0].to_status) == (source, target)
    assert new[0].actor_id == user.id
    assert new[0].reason == reason
    assert as_utc(new[-1].created_at) == as_utc(saved.status_changed_at)
    if target is S.QA_TESTING:
        assert len(new) == 2
        assert (new[1].from_status, new[1].to_status) == (S.QA_TESTING, S.READY_FOR_API)
        assert new[1].actor_id == user.id
        n = len(qa.RULES)
        assert new[1].reason == f"Pre-flight QA: {n} of {n} rules passed."
        assert saved.qa_failure_reason is None
        assert_passing_report(saved)
    else:
        assert len(new) == 1


@pytest.mark.parametrize(("source", "target"), REFUSED_MOVES, ids=lambda s: s.value)
def test_every_other_move_is_refused_naming_the_allowed_moves(
    db, open_ticket, put, make_user, source, target
):
    user = make_user(Role.TRAFFICKER)
    ticket = put(open_ticket(), source)
    before = snapshot(db, ticket.id)

    with pytest.raises(Conflict) as caught:
        service.move_ticket(ticket, target, actor=user, version=ticket.version, **needs_for(target))

    err = caught.value
    assert http_status(err) == 409
    assert "Allowed moves" in err.message
    assert service.label(target) in err.message
    for allowed in service.TRANSITIONS[source]:
        assert service.label(allowed) in err.message
    db.session.rollback()
    assert snapshot(db, ticket.id) == before


def test_trafficked_success_is_final(db, open_ticket, put):
    ticket = put(open_ticket(), S.TRAFFICKED_SUCCESS, external_platform_id="123")

    assert service.allowed_moves(ticket) == ()
    for target in S:
        with pytest.raises(Conflict) as caught:
            service.move_ticket(ticket, target, actor=None, **needs_for(target))
        assert "none, it is final" in caught.value.message
    db.session.rollback()
    assert reload(db, ticket.id).status is S.TRAFFICKED_SUCCESS


@pytest.mark.parametrize("reason", [None, "", "   \n "])
def test_qa_failed_needs_a_reason(db, open_ticket, put, reason):
    ticket = put(open_ticket(), S.QA_TESTING)
    before = snapshot(db, ticket.id)

    with pytest.raises(ValidationError) as caught:
        service.move_ticket(ticket, S.QA_FAILED, actor=None, reason=reason)

    err = caught.value
    assert http_status(err) == 422
    assert err.field == "qa_failure_reason"
    assert "qa_failure_reason" in err.errors
    db.session.rollback()
    assert snapshot(db, ticket.id) == before


def test_qa_failed_stores_the_reason_and_passing_qa_clears_it(db, open_ticket, put):
    ticket = put(open_ticket(settings=valid_settings()), S.QA_TESTING)

    service.move_ticket(ticket, S.QA_FAILED, actor=None, reason="  No landing URL.  ")
    db.session.commit()

    saved = reload(db, ticket.id)
    assert saved.qa_failure_reason == "No landing URL."
    assert events_of(db, ticket.id)[-1].reason == "No landing URL."

    # Back to QA: the rules pass, so the ticket goes on to READY_FOR_API by itself.
    service.move_ticket(saved, S.QA_TESTING, actor=None)
    db.session.commit()
    saved = reload(db, ticket.id)
    assert saved.status is S.READY_FOR_API
    assert saved.qa_failure_reason is None


def test_changing_settings_drops_the_qa_report_that_judged_the_old_ones(db, open_ticket):
    broken = valid_settings() | {"landing_url": "http://example.com/moana"}
    ticket = open_ticket(settings=broken)
    service.move_ticket(ticket, S.QA_TESTING, actor=None)
    db.session.commit()
    ticket = reload(db, ticket.id)
    assert ticket.status is S.QA_FAILED and ticket.qa_report

    service.update_settings(ticket, dict(ticket.payload_config))  # the same settings again
    db.session.commit()
    assert reload(db, ticket.id).qa_report  # nothing changed: the report still holds

    service.update_settings(ticket, valid_settings())
    db.session.commit()
    ticket = reload(db, ticket.id)
    assert ticket.qa_report is None
    assert ticket.qa_failure_reason is None  # the failure judged the old settings (issue 19)


@pytest.mark.parametrize("platform_id", [None, "", "   "])
def test_trafficked_success_needs_the_platform_id(db, open_ticket, put, platform_id):
    ticket = put(open_ticket(), S.READY_FOR_API)
    before = snapshot(db, ticket.id)

    with pytest.raises(ValidationError) as caught:
        service.move_ticket(
            ticket, S.TRAFFICKED_SUCCESS, actor=None, external_platform_id=platform_id
        )

    assert caught.value.field == "external_platform_id"
    assert http_status(caught.value) == 422
    db.session.rollback()
    assert snapshot(db, ticket.id) == before


def test_trafficked_success_stores_the_platform_id(db, open_ticket, put):
    ticket = put(open_ticket(), S.READY_FOR_API)

    service.move_ticket(
        ticket, S.TRAFFICKED_SUCCESS, actor=None, external_platform_id=" 120210000000001 "
    )
    db.session.commit()

    assert reload(db, ticket.id).external_platform_id == "120210000000001"


@pytest.mark.parametrize("stale", [1, "1", 0, 99])
def test_a_move_from_a_stale_page_is_a_conflict_and_changes_nothing(
    db, open_ticket, make_user, stale
):
    user = make_user(Role.TRAFFICKER)
    ticket = open_ticket(settings=valid_settings())
    service.move_ticket(ticket, S.QA_TESTING, actor=user, version=1)
    db.session.commit()
    ticket = reload(db, ticket.id)
    assert ticket.status is S.READY_FOR_API
    assert ticket.version > 1
    before = snapshot(db, ticket.id)

    # The other page still thinks it is version 1 (DRAFT) and pulls it to QA_FAILED.
    with pytest.raises(Conflict) as caught:
        service.move_ticket(
            ticket, S.QA_FAILED, actor=user, version=stale, reason="Wrong objective."
        )

    err = caught.value
    assert http_status(err) == 409
    assert "changed by someone else" in err.message
    assert "Ready for API" in err.message
    db.session.rollback()
    assert snapshot(db, ticket.id) == before


def test_the_current_version_may_be_given_as_text(db, open_ticket):
    ticket = open_ticket(settings=valid_settings())

    service.move_ticket(ticket, "qa_testing", actor=None, version="1")
    db.session.commit()

    saved = reload(db, ticket.id)
    assert saved.status is S.READY_FOR_API
    assert saved.version > 1


@pytest.mark.parametrize(
    ("target", "version", "field_name"),
    [("SHIPPED", 1, "status"), ("", 1, "status"), ("QA_TESTING", "one", "version")],
)
def test_a_bad_target_or_version_is_a_validation_error(
    db, open_ticket, target, version, field_name
):
    ticket = open_ticket()
    before = snapshot(db, ticket.id)

    with pytest.raises(ValidationError) as caught:
        service.move_ticket(ticket, target, actor=None, version=version)

    assert caught.value.field == field_name
    db.session.rollback()
    assert snapshot(db, ticket.id) == before


def test_the_history_records_every_move_in_order(db, open_ticket, make_user):
    tess = make_user(Role.TRAFFICKER, name="Tess")
    quinn = make_user(Role.TRAFFICKER, name="Quinn")
    # FULL_SETTINGS fail QA: the flight is in the past and goes over the campaign budget.
    ticket = open_ticket(created_by=tess)

    service.move_ticket(ticket, S.QA_TESTING, actor=tess)
    service.move_ticket(ticket, S.DRAFT, actor=quinn)
    service.update_settings(ticket, valid_settings())
    service.move_ticket(ticket, S.QA_TESTING, actor=tess)
    db.session.commit()

    events = events_of(db, ticket.id)
    history = [(e.from_status, e.to_status, e.actor_id) for e in events]
    assert history == [
        (None, S.DRAFT, tess.id),
        (S.DRAFT, S.QA_TESTING, tess.id),
        (S.QA_TESTING, S.QA_FAILED, tess.id),
        (S.QA_FAILED, S.DRAFT, quinn.id),
        (S.DRAFT, S.QA_TESTING, tess.id),
        (S.QA_TESTING, S.READY_FOR_API, tess.id),
    ]
    reasons = [e.reason for e in events]
    assert [reasons[i] for i in (0, 1, 3, 4)] == [None] * 4
    assert reasons[2].startswith("Pre-flight QA:")
    assert "Blocking: " in reasons[2]
    assert "[flight]" in reasons[2]
    assert "[campaign_budget]" in reasons[2]
    n = len(qa.RULES)
    assert reasons[5] == f"Pre-flight QA: {n} of {n} rules passed."
    # Opened, to QA (and on), back to draft, settings edit, to QA (and on).
    assert reload(db, ticket.id).version == 5


@pytest.mark.parametrize("channel_name", ["meta", "tiktok", "google"])
def test_a_valid_ticket_passes_qa_and_goes_on_to_ready_for_api(
    request, db, open_ticket, make_user, channel_name
):
    tess = make_user(Role.TRAFFICKER, name="Tess")
    channel = request.getfixturevalue(channel_name)
    name = f"DIS_US_{channel.api_identifier}_2026_MoanaLaunch"
    # TikTok's minimum campaign budget is $50 a day (tests/test_platform_minimums.py).
    minimum = {"budget_amount": "50.00"} if channel_name == "tiktok" else {}
    ticket = open_ticket(channel=channel, settings=valid_settings(name) | minimum)
    assert ticket.platform_name == name

    event = service.move_ticket(ticket, S.QA_TESTING, actor=tess, version=1)
    db.session.commit()

    saved = reload(db, ticket.id)
    assert (saved.status, saved.version) == (S.READY_FOR_API, 2)
    assert saved.qa_failure_reason is None
    assert_passing_report(saved)
    assert all(f["message"] == "OK" for f in saved.qa_report)
    history = [(e.from_status, e.to_status, e.actor_id) for e in events_of(db, ticket.id)]
    assert history[1:] == [
        (S.DRAFT, S.QA_TESTING, tess.id),
        (S.QA_TESTING, S.READY_FOR_API, tess.id),
    ]
    n = len(qa.RULES)
    assert event.reason == f"Pre-flight QA: {n} of {n} rules passed."
    assert event.to_status is S.READY_FOR_API


def test_a_bad_ticket_fails_qa_listing_every_blocking_problem(db, open_ticket, make_user):
    tess = make_user(Role.TRAFFICKER, name="Tess")
    settings = valid_settings() | {
        "flight_start": "2020-01-10",
        "flight_end": "2020-01-01",
        "landing_url": "http://example.com/moana?utm_campaign=WRONG",
    }
    ticket = open_ticket(settings=settings)

    event = service.move_ticket(ticket, S.QA_TESTING, actor=tess, version=1)
    db.session.commit()

    saved = reload(db, ticket.id)
    assert (saved.status, saved.version) == (S.QA_FAILED, 2)
    report = {f["rule"]: f for f in saved.qa_report}
    assert list(report) == [r.code for r in qa.RULES]
    blocked = {code for code, f in report.items() if not f["passed"] and f["severity"] == "block"}
    assert {"flight", "landing_https", "utm_campaign"} <= blocked
    assert not report["utm_source_medium"]["passed"]  # a warning: reported, not blocking
    reason = saved.qa_failure_reason
    for code in blocked:
        assert f"[{report[code]['title']}]" in reason
        assert report[code]["message"] in reason
    assert "ends (2020-01-01) before it starts (2020-01-10)" in reason
    assert "not https" in reason
    assert "utm_campaign is WRONG" in reason
    assert "utm_source" not in reason
    history = [(e.from_status, e.to_status, e.actor_id) for e in events_of(db, ticket.id)]
    assert history[1:] == [
        (S.DRAFT, S.QA_TESTING, tess.id),
        (S.QA_TESTING, S.QA_FAILED, tess.id),
    ]
    assert event.reason.startswith("Pre-flight QA:")
    assert "Blocking: " in event.reason
    assert "[flight]" in event.reason and "[utm_campaign]" in event.reason
    # A failed ticket can be fixed in place and sent back to QA.
    assert service.allowed_moves(saved) == (S.DRAFT, S.QA_TESTING)


# --- Service: settings edits and deletes ---------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.QA_FAILED])
def test_settings_are_editable_in_draft_and_qa_failed(db, open_ticket, put, status):
    ticket = put(open_ticket(), status)
    version = ticket.version

    service.update_settings(ticket, {"objective": "reach", "budget_amount": "99"}, version=version)
    db.session.commit()

    saved = reload(db, ticket.id)
    assert saved.payload_config == {
        "objective": "REACH",
        "budget_amount": "99.00",
        "initial_status": "PAUSED",
    }
    assert saved.version == version + 1


@pytest.mark.parametrize("status", [S.QA_TESTING, S.READY_FOR_API, S.TRAFFICKED_SUCCESS, S.FAILED])
def test_settings_are_locked_in_every_other_status(db, open_ticket, put, status):
    ticket = put(open_ticket(), status)
    before = snapshot(db, ticket.id)

    with pytest.raises(Conflict) as caught:
        service.update_settings(ticket, {"objective": "REACH"}, version=ticket.version)

    assert http_status(caught.value) == 409
    assert service.label(status) in caught.value.message
    db.session.rollback()
    assert snapshot(db, ticket.id) == before


def test_a_settings_edit_from_a_stale_page_is_a_conflict(db, open_ticket):
    ticket = open_ticket()
    service.update_settings(ticket, {"objective": "REACH"}, version=1)
    db.session.commit()
    before = snapshot(db, ticket.id)

    with pytest.raises(Conflict) as caught:
        service.update_settings(ticket, {"objective": "LEADS"}, version=1)

    assert "changed by someone else" in caught.value.message
    db.session.rollback()
    assert snapshot(db, ticket.id) == before


def test_a_settings_edit_is_type_checked_and_changes_nothing_when_refused(db, open_ticket):
    ticket = open_ticket()
    before = snapshot(db, ticket.id)

    with pytest.raises(ValidationError) as caught:
        service.update_settings(ticket, {"flight_end": "2026-02-30", "budget_amount": "-3"})

    assert set(caught.value.errors) == {"flight_end", "budget_amount"}
    db.session.rollback()
    assert snapshot(db, ticket.id) == before


def test_only_a_draft_can_be_deleted_and_its_history_goes_with_it(db, open_ticket, put):
    draft = open_ticket()
    service.delete_ticket(draft)
    db.session.commit()

    assert reload(db, draft.id) is None
    assert events_of(db, draft.id) == []


@pytest.mark.parametrize("status", [s for s in S if s is not S.DRAFT])
def test_a_ticket_that_left_draft_cannot_be_deleted(db, open_ticket, put, status):
    ticket = put(open_ticket(), status)

    with pytest.raises(Conflict) as caught:
        service.delete_ticket(ticket)

    assert "Only Draft tickets can be deleted" in caught.value.message
    db.session.rollback()
    assert reload(db, ticket.id) is not None
