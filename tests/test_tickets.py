"""Tickets: opening one (structured, type-checked settings and the platform name), the
workflow with its audit trail and version checks, settings edits and deletes, the HTML pages
a trafficker works in (new/edit forms, ticket page with htmx moves, the filtered list), and two
people moving the same ticket at the same moment.

Pages are read with a small HTML tree parser so the tests look at what a user sees: the
inputs of a form, the error under each field, flashes, the move buttons and the list rows.
"""

import html
import re
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from omnitraffick.models import RequestType, Role, Ticket, TicketEvent, TicketStatus, User
from omnitraffick.services import qa
from omnitraffick.services import settings as ticket_settings
from omnitraffick.services import tickets as service
from omnitraffick.services.errors import Conflict, ValidationError
from tests.conftest import PASSWORD
from tests.html import Node, parse

S = TicketStatus

# DESIGN.md's "Ticket workflow", written out independently of the code.
DESIGN_MOVES = {
    (S.DRAFT, S.QA_TESTING),
    (S.QA_TESTING, S.READY_FOR_API),
    (S.QA_TESTING, S.QA_FAILED),
    (S.QA_FAILED, S.DRAFT),
    (S.QA_FAILED, S.QA_TESTING),
    (S.READY_FOR_API, S.TRAFFICKED_SUCCESS),
    (S.READY_FOR_API, S.FAILED),
    (S.READY_FOR_API, S.DRAFT),
    (S.FAILED, S.READY_FOR_API),
    (S.FAILED, S.DRAFT),
}
ALLOWED_MOVES = sorted(
    ((source, target) for source, targets in service.TRANSITIONS.items() for target in targets),
    key=str,
)
REFUSED_MOVES = sorted(
    ((source, target) for source in S for target in S if target not in service.TRANSITIONS[source]),
    key=str,
)

FULL_SETTINGS = {
    "objective": "traffic",
    "budget_type": "daily",
    "budget_amount": "1,500.5",
    "flight_start": "2026-03-01",
    "flight_end": "2026-03-31",
    "landing_url": "https://example.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch",
    "initial_status": "active",
}
CLEANED_SETTINGS = {
    "objective": "TRAFFIC",
    "budget_type": "DAILY",
    "budget_amount": "1500.50",
    "flight_start": "2026-03-01",
    "flight_end": "2026-03-31",
    "landing_url": "https://example.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch",
    "initial_status": "ACTIVE",
}


def valid_settings(platform_name: str = "DIS_US_META_2026_MoanaLaunch") -> dict:
    """CREATE_CAMPAIGN settings that pass every pre-flight QA rule for the Moana campaign:
    daily 10.00 for ten days starting a month from today (QA refuses flights in the past),
    https landing URL with utm_source, utm_medium and utm_campaign = the platform name."""
    start = datetime.now(UTC).date() + timedelta(days=30)
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "10.00",
        "flight_start": start.isoformat(),
        "flight_end": (start + timedelta(days=9)).isoformat(),
        "landing_url": (
            "https://example.com/moana?utm_source=social&utm_medium=paid"
            f"&utm_campaign={platform_name}"
        ),
        "initial_status": "PAUSED",
    }


def assert_passing_report(ticket) -> None:
    """The ticket's QA report holds one passing finding per rule."""
    report = ticket.qa_report
    assert [f["rule"] for f in report] == [r.code for r in qa.RULES]
    assert all(f["passed"] for f in report), [f for f in report if not f["passed"]]


# --- reading pages -------------------------------------------------------------------------------


def text_of(response) -> str:
    """The visible text of a page, tags dropped and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def field_errors(doc: Node) -> dict[str, str]:
    """The error shown under each form field, by field name."""
    return {
        node.attrs["id"].removesuffix("-help"): node.text
        for node in doc.find_all("small", cls="field-error")
    }


def flashes(doc: Node) -> list[tuple[str, str]]:
    """(category, text) of each flash message on the page."""
    found = []
    for node in doc.walk():
        if "flash" in node.classes:
            category = next(c.removeprefix("flash-") for c in node.classes if c != "flash")
            found.append((category, node.text))
    return found


def list_rows(doc: Node) -> list[str]:
    """The platform names in the ticket list, in the order shown."""
    body = doc.find("tbody")
    rows = body.find_all("tr") if body else []
    return [row.find("td").text for row in rows if "empty" not in row.find("td").classes]


def panel_moves(doc: Node) -> list[str]:
    """The moves the status panel offers, as target statuses."""
    return doc.by_id("status-panel").values("to_status")


def fragment_headers() -> dict:
    return {"HX-Request": "true"}


# --- database helpers ----------------------------------------------------------------------------


def as_utc(value: datetime) -> datetime:
    """A timestamp read back from either database, as an aware UTC datetime."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def reload(db, ticket_id) -> Ticket | None:
    """The ticket as it is in the database now (not what this session holds)."""
    db.session.expire_all()
    return db.session.get(Ticket, ticket_id)


def events_of(db, ticket_id) -> list[TicketEvent]:
    db.session.expire_all()
    return db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.created_at, TicketEvent.id)
    ).all()


def ticket_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Ticket))


def snapshot(db, ticket_id) -> tuple:
    """Everything a refused request must leave alone."""
    ticket = reload(db, ticket_id)
    return (
        ticket.status,
        ticket.version,
        dict(ticket.payload_config),
        ticket.qa_failure_reason,
        ticket.external_platform_id,
        as_utc(ticket.status_changed_at),
        len(events_of(db, ticket_id)),
    )


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def open_ticket(db, moana, meta):
    """Open a ticket through the service (Moana on Meta unless told) and commit."""

    def make(campaign=None, channel=None, request_type="CREATE_CAMPAIGN", settings=None, **kw):
        ticket = service.create_ticket(
            campaign_id=(campaign or moana).id,
            channel_id=(channel or meta).id,
            request_type=request_type,
            settings=FULL_SETTINGS if settings is None else settings,
            **kw,
        )
        db.session.commit()
        return ticket

    return make


@pytest.fixture
def put(db):
    """Put a ticket into a status directly, as if earlier moves had happened, an hour ago."""

    def put_in(ticket, status, **fields):
        ticket.status = S(status)
        ticket.status_changed_at = datetime(2026, 1, 1, tzinfo=UTC)
        for name, value in fields.items():
            setattr(ticket, name, value)
        db.session.commit()
        return ticket

    return put_in


@pytest.fixture
def sign_in(client, make_user):
    """Sign a named user with `role` in on the test client and return the user."""

    def log_in(role=Role.TRAFFICKER, name="Tess Trafficker"):
        user = make_user(role, name=name)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text
        return user

    return log_in


@pytest.fixture
def trafficker(sign_in):
    return sign_in(Role.TRAFFICKER)


@pytest.fixture
def viewer(sign_in):
    return sign_in(Role.VIEWER, name="Vic Viewer")


def move_inputs(to_status, version, **fields) -> dict:
    """What a move form posts."""
    return {"to_status": to_status, "version": str(version)} | fields


def needs_for(target: TicketStatus) -> dict:
    """The input a move to `target` needs."""
    if target is S.QA_FAILED:
        return {"reason": "Landing URL has no utm_campaign."}
    if target is S.TRAFFICKED_SUCCESS:
        return {"external_platform_id": "120210000000001"}
    return {}


# =================================================================================================
# Service: opening a ticket
# =================================================================================================


def test_create_opens_a_draft_with_the_platform_name_and_a_creation_event(
    db, moana, meta, make_user
):
    user = make_user(Role.TRAFFICKER, name="Tess")
    assert moana.name == "DIS_US_MULTI_2026_MoanaLaunch"

    ticket = service.create_ticket(
        campaign_id=moana.id,
        channel_id=meta.id,
        request_type=RequestType.CREATE_CAMPAIGN,
        settings=FULL_SETTINGS,
        created_by=user,
    )
    db.session.commit()

    saved = reload(db, ticket.id)
    assert saved.status is S.DRAFT
    assert saved.version == 1
    assert saved.platform_name == "DIS_US_META_2026_MoanaLaunch"
    assert saved.created_by_id == user.id
    assert saved.payload_config == CLEANED_SETTINGS
    assert saved.external_platform_id is None and saved.qa_failure_reason is None
    [event] = events_of(db, ticket.id)
    assert (event.from_status, event.to_status) == (None, S.DRAFT)
    assert event.actor_id == user.id
    assert event.reason is None
    assert as_utc(event.created_at) == as_utc(saved.status_changed_at)


def test_create_accepts_ids_as_strings_and_request_types_in_any_case(db, moana, tiktok):
    ticket = service.create_ticket(
        campaign_id=str(moana.id),
        channel_id=str(tiktok.id),
        request_type=" update_budget ",
        settings={"budget_type": "LIFETIME", "budget_amount": "250"},
    )
    db.session.commit()

    saved = reload(db, ticket.id)
    assert saved.request_type is RequestType.UPDATE_BUDGET
    assert saved.platform_name == "DIS_US_TIKTOK_2026_MoanaLaunch"
    assert saved.payload_config == {"budget_type": "LIFETIME", "budget_amount": "250.00"}
    [event] = events_of(db, ticket.id)
    assert event.actor_id is None


@pytest.mark.parametrize("bad_id", [uuid.uuid4(), str(uuid.uuid4()), "not-a-uuid", "", None])
def test_create_lists_every_unknown_reference_and_bad_request_type_at_once(db, bad_id):
    with pytest.raises(ValidationError) as caught:
        service.create_ticket(
            campaign_id=bad_id, channel_id=bad_id, request_type="CREATE_EVERYTHING"
        )

    err = caught.value
    assert err.status_code == 422
    assert set(err.errors) == {"campaign_id", "channel_id", "request_type"}
    assert "campaign" in err.errors["campaign_id"][0].lower()
    assert "channel" in err.errors["channel_id"][0].lower()
    assert "CREATE_CAMPAIGN, UPDATE_BUDGET, UPDATE_STATUS" in err.errors["request_type"][0]
    for messages in err.errors.values():
        assert messages[0] in err.message
    db.session.rollback()
    assert ticket_count(db) == 0


@pytest.mark.parametrize("field_name", ["campaign_id", "channel_id", "request_type"])
def test_create_names_only_the_field_at_fault(db, moana, meta, field_name):
    values = {"campaign_id": moana.id, "channel_id": meta.id, "request_type": "CREATE_CAMPAIGN"}
    values[field_name] = str(uuid.uuid4()) if field_name != "request_type" else "DELETE"

    with pytest.raises(ValidationError) as caught:
        service.create_ticket(**values)

    assert set(caught.value.errors) == {field_name}
    db.session.rollback()
    assert ticket_count(db) == 0


@pytest.mark.parametrize(
    ("settings", "field_name", "message"),
    [
        ({"objective": "SALES"}, "objective", "Objective must be one of AWARENESS"),
        ({"objective": ["TRAFFIC"]}, "objective", "Objective has the wrong type"),
        ({"budget_type": "WEEKLY"}, "budget_type", "Budget type must be one of DAILY, LIFETIME"),
        ({"flight_start": "2026-13-01"}, "flight_start", "must be a date like 2026-03-31"),
        ({"flight_end": "31/03/2026"}, "flight_end", "must be a date like 2026-03-31"),
        ({"landing_url": "ftp://example.com/x"}, "landing_url", "full web address"),
        ({"landing_url": "javascript:alert(1)"}, "landing_url", "full web address"),
        ({"landing_url": "example.com/page"}, "landing_url", "full web address"),
        ({"budget_amount": "-5"}, "budget_amount", "cannot be negative"),
        ({"budget_amount": "10.999"}, "budget_amount", "Budgets in USD take at most 2 decimals"),
        ({"budget_amount": "lots"}, "budget_amount", "must be a number"),
        ({"budget_amount": True}, "budget_amount", "wrong type"),
        ({"initial_status": "DELETED"}, "initial_status", "Create as must be one of ACTIVE"),
    ],
)
def test_create_type_checks_the_settings(db, moana, meta, settings, field_name, message):
    with pytest.raises(ValidationError) as caught:
        service.create_ticket(
            campaign_id=moana.id,
            channel_id=meta.id,
            request_type="CREATE_CAMPAIGN",
            settings=settings,
        )

    err = caught.value
    assert err.status_code == 422
    assert list(err.errors) == [field_name]
    assert message in err.errors[field_name][0]
    db.session.rollback()
    assert ticket_count(db) == 0


def test_create_reports_every_bad_setting_at_once(db, moana, meta):
    with pytest.raises(ValidationError) as caught:
        service.create_ticket(
            campaign_id=moana.id,
            channel_id=meta.id,
            request_type="CREATE_CAMPAIGN",
            settings={
                "objective": "SALES",
                "budget_amount": "-1",
                "flight_start": "2026-13-01",
                "landing_url": "not a url",
            },
        )

    errors = caught.value.errors
    assert set(errors) == {"objective", "budget_amount", "flight_start", "landing_url"}
    assert all(len(messages) == 1 for messages in errors.values())


def test_budget_precision_follows_the_market_currency(db, frozen, meta):
    with pytest.raises(ValidationError) as caught:
        service.create_ticket(
            campaign_id=frozen.id,
            channel_id=meta.id,
            request_type="UPDATE_BUDGET",
            settings={"budget_type": "DAILY", "budget_amount": "100.5"},
        )
    assert "Budgets in JPY take no decimals" in caught.value.errors["budget_amount"][0]
    db.session.rollback()

    ticket = service.create_ticket(
        campaign_id=frozen.id,
        channel_id=meta.id,
        request_type="UPDATE_BUDGET",
        settings={"budget_type": "DAILY", "budget_amount": "100000"},
    )
    assert ticket.payload_config["budget_amount"] == "100000"


@pytest.mark.parametrize("settings", [{"colour": "red"}, {"budget": "10", "objective": "REACH"}])
def test_create_refuses_unknown_settings_naming_them(db, moana, meta, settings):
    with pytest.raises(ValidationError) as caught:
        service.create_ticket(
            campaign_id=moana.id,
            channel_id=meta.id,
            request_type="CREATE_CAMPAIGN",
            settings=settings,
        )

    err = caught.value
    assert err.field == "payload_config"
    unknown = next(name for name in settings if name not in ticket_settings.ALL_FIELDS)
    assert unknown in err.errors["payload_config"][0]
    db.session.rollback()
    assert ticket_count(db) == 0


@pytest.mark.parametrize(
    ("request_type", "settings", "kept"),
    [
        (
            "UPDATE_STATUS",
            {"target_status": "active", "objective": "REACH", "budget_amount": "5"},
            {"target_status": "ACTIVE"},
        ),
        (
            "UPDATE_BUDGET",
            {"budget_type": "daily", "budget_amount": "50", "landing_url": "https://x.example"},
            {"budget_type": "DAILY", "budget_amount": "50.00"},
        ),
        (
            "CREATE_CAMPAIGN",
            {"objective": "reach", "target_status": "ACTIVE"},
            {"objective": "REACH", "initial_status": "PAUSED"},
        ),
    ],
)
def test_only_the_request_types_own_settings_are_kept(
    db, open_ticket, request_type, settings, kept
):
    ticket = open_ticket(request_type=request_type, settings=settings)

    assert reload(db, ticket.id).payload_config == kept


def test_a_new_campaign_is_created_paused_unless_told(db, open_ticket):
    paused = open_ticket(settings={"objective": "REACH"})
    active = open_ticket(settings={"objective": "REACH", "initial_status": "ACTIVE"})
    budget = open_ticket(request_type="UPDATE_BUDGET", settings={"budget_amount": "1"})

    assert reload(db, paused.id).payload_config["initial_status"] == "PAUSED"
    assert reload(db, active.id).payload_config["initial_status"] == "ACTIVE"
    assert "initial_status" not in reload(db, budget.id).payload_config


def test_a_draft_may_be_incomplete_and_says_what_is_missing(db, open_ticket):
    empty = open_ticket(settings={"objective": "  ", "landing_url": ""})
    lifetime = open_ticket(settings={"budget_type": "LIFETIME", "budget_amount": "900"})
    status = open_ticket(request_type="UPDATE_STATUS", settings={})
    complete = open_ticket()

    assert reload(db, empty.id).payload_config == {"initial_status": "PAUSED"}
    missing = ticket_settings.missing_settings
    assert missing(RequestType.CREATE_CAMPAIGN, empty.payload_config) == [
        "Objective",
        "Budget type",
        "Budget amount",
        "Flight start",
        "Landing URL",
    ]
    assert "Flight end" in missing(RequestType.CREATE_CAMPAIGN, lifetime.payload_config)
    assert missing(RequestType.UPDATE_STATUS, status.payload_config) == ["Set status to"]
    assert missing(RequestType.CREATE_CAMPAIGN, complete.payload_config) == []


# =================================================================================================
# Service: the workflow
# =================================================================================================


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
    assert err.status_code == 409
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
    assert err.status_code == 422
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
    assert ticket.qa_failure_reason  # what QA found stays until QA runs again


@pytest.mark.parametrize("platform_id", [None, "", "   "])
def test_trafficked_success_needs_the_platform_id(db, open_ticket, put, platform_id):
    ticket = put(open_ticket(), S.READY_FOR_API)
    before = snapshot(db, ticket.id)

    with pytest.raises(ValidationError) as caught:
        service.move_ticket(
            ticket, S.TRAFFICKED_SUCCESS, actor=None, external_platform_id=platform_id
        )

    assert caught.value.field == "external_platform_id"
    assert caught.value.status_code == 422
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
    assert err.status_code == 409
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


# =================================================================================================
# Service: settings edits and deletes
# =================================================================================================


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

    assert caught.value.status_code == 409
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


# =================================================================================================
# HTML: opening a ticket
# =================================================================================================


def new_form(channel, **fields) -> dict:
    """A complete new-ticket form for `channel`."""
    return {
        "channel_id": str(channel.id),
        "request_type": "CREATE_CAMPAIGN",
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "1500.50",
        "flight_start": "2026-03-01",
        "flight_end": "2026-03-31",
        "landing_url": "https://example.com/moana",
        "initial_status": "PAUSED",
        "target_status": "",
    } | fields


def test_a_ticket_opened_from_the_campaign_page_lands_on_its_own_page(
    db, client, trafficker, moana, meta, tiktok
):
    campaign_page = parse(client.get(f"/campaigns/{moana.id}"))
    link = campaign_page.find("a", href=f"/tickets/new?campaign_id={moana.id}")
    assert link is not None and link.text == "New ticket"

    form_page = client.get(link.attrs["href"])
    assert form_page.status_code == 200
    doc = parse(form_page)
    assert "DIS_US_MULTI_2026_MoanaLaunch" in text_of(form_page)
    assert doc.values("campaign_id") == [str(moana.id)]
    assert set(doc.options("channel_id")) == {str(meta.id), str(tiktok.id)}
    assert doc.selected("initial_status") == "PAUSED"

    response = client.post(link.attrs["href"], data=new_form(meta, campaign_id=str(moana.id)))

    assert response.status_code == 302, text_of(response)
    ticket = db.session.scalars(select(Ticket)).one()
    assert response.headers["Location"] == f"/tickets/{ticket.id}"
    assert ticket.created_by_id == trafficker.id
    page = client.get(response.headers["Location"])
    doc = parse(page)
    assert doc.find("h1").text == "DIS_US_META_2026_MoanaLaunch"
    assert ("success", "Ticket DIS_US_META_2026_MoanaLaunch opened as Draft.") in flashes(doc)
    settings = doc.find("dl", cls="settings-list").text
    for shown in ("TRAFFIC", "DAILY", "$1,500.50", "2026-03-01", "https://example.com/moana"):
        assert shown in settings
    history = doc.by_id("history")
    assert "Opened as Draft" in history.text
    assert "Tess Trafficker" in history.text


def test_typing_an_existing_campaign_name_opens_the_ticket(db, client, trafficker, moana, meta):
    response = client.post(
        "/tickets/new",
        data=new_form(meta, campaign=" dis_us_multi_2026_moanalaunch ", campaign_id=""),
    )

    assert response.status_code == 302, text_of(response)
    assert db.session.scalars(select(Ticket.campaign_id)).all() == [moana.id]


def test_typing_an_unknown_campaign_name_shows_an_error_and_saves_nothing(
    db, client, trafficker, moana, meta
):
    response = client.post(
        "/tickets/new", data=new_form(meta, campaign="DIS_US_MULTI_2026_Nope", campaign_id="")
    )

    assert response.status_code == 422
    doc = parse(response)
    assert "No campaign has that name" in field_errors(doc)["campaign"]
    # What was typed is still there.
    assert doc.values("campaign") == ["DIS_US_MULTI_2026_Nope"]
    assert doc.values("budget_amount") == ["1500.50"]
    assert doc.selected("channel_id") == str(meta.id)
    assert ticket_count(db) == 0


@pytest.mark.parametrize("campaign_id", ["not-a-uuid", str(uuid.uuid4())])
def test_a_junk_campaign_id_in_the_form_is_an_error_not_a_crash(
    db, client, trafficker, meta, campaign_id
):
    response = client.get(f"/tickets/new?campaign_id={campaign_id}")
    assert response.status_code in (200, 404)

    response = client.post(
        f"/tickets/new?campaign_id={campaign_id}",
        data=new_form(meta, campaign_id=campaign_id),
    )

    assert response.status_code == 422
    assert "campaign" in field_errors(parse(response))
    assert ticket_count(db) == 0


def test_the_new_form_shows_every_bad_setting_under_its_field(db, client, trafficker, moana, meta):
    response = client.post(
        "/tickets/new",
        data=new_form(
            meta,
            campaign_id=str(moana.id),
            channel_id="",
            budget_amount="12.345",
            flight_start="2026-13-01",
            landing_url="ftp://example.com",
        ),
    )

    assert response.status_code == 422
    errors = field_errors(parse(response))
    assert "Choose a channel" in errors["channel_id"]
    assert ticket_count(db) == 0
    # Once the channel is chosen, the settings are checked and each shows its own message.
    response = client.post(
        "/tickets/new",
        data=new_form(
            meta,
            campaign_id=str(moana.id),
            budget_amount="12.345",
            flight_start="2026-13-01",
            landing_url="ftp://example.com",
        ),
    )
    assert response.status_code == 422
    errors = field_errors(parse(response))
    assert "at most 2 decimals" in errors["budget_amount"]
    assert "date like" in errors["flight_start"]
    assert "full web address" in errors["landing_url"]
    assert ticket_count(db) == 0


def test_campaign_suggestions_match_what_was_typed(
    client, trafficker, moana, frozen, make_campaign
):
    make_campaign(brand=moana.brand, market=moana.market, campaign_name="Encanto", year=2027)

    response = client.get("/tickets/campaign-options?campaign=DIS")

    assert response.status_code == 200
    assert "<html" not in response.text
    options = [node.attrs["value"] for node in parse(response).find_all("option")]
    assert sorted(options) == ["DIS_US_MULTI_2026_MoanaLaunch", "DIS_US_MULTI_2027_Encanto"]
    frozen_options = parse(client.get("/tickets/campaign-options?campaign=frozen"))
    assert [node.attrs["value"] for node in frozen_options.find_all("option")] == [frozen.name]
    assert parse(client.get("/tickets/campaign-options?campaign=%25")).find_all("option") == []
    assert parse(client.get("/tickets/campaign-options?campaign=D")).find_all("option") == []


# =================================================================================================
# HTML: the ticket page and its moves
# =================================================================================================


@pytest.mark.parametrize("status", list(S), ids=lambda s: s.value)
def test_the_ticket_page_offers_the_moves_allowed_now(client, trafficker, open_ticket, put, status):
    ticket = put(open_ticket(), status, external_platform_id="123")

    response = client.get(f"/tickets/{ticket.id}")

    assert response.status_code == 200
    doc = parse(response)
    assert panel_moves(doc) == [s.value for s in service.TRANSITIONS[status]]
    for form in doc.by_id("status-panel").find_all("form"):
        assert form.attrs["hx-post"] == f"/tickets/{ticket.id}/move"
        assert form.find("input", name="version").attrs["value"] == str(ticket.version)
    if status is S.TRAFFICKED_SUCCESS:
        assert "This ticket is final." in doc.by_id("status-panel").text


def test_a_viewer_sees_the_ticket_but_no_moves(client, viewer, open_ticket):
    ticket = open_ticket()

    response = client.get(f"/tickets/{ticket.id}")

    assert response.status_code == 200
    doc = parse(response)
    assert doc.find("h1").text == "DIS_US_META_2026_MoanaLaunch"
    assert panel_moves(doc) == []
    assert doc.find("a", href=f"/tickets/{ticket.id}/edit") is None


def test_the_page_says_what_a_draft_still_needs(client, trafficker, open_ticket):
    ticket = open_ticket(settings={"objective": "REACH"})

    text = text_of(client.get(f"/tickets/{ticket.id}"))

    assert "Still needed before QA: Budget type, Budget amount, Flight start, Landing URL." in text


def test_an_htmx_move_swaps_the_status_panel_and_the_history(db, client, trafficker, open_ticket):
    ticket = open_ticket(settings=valid_settings())

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("QA_TESTING", 1),
        headers=fragment_headers(),
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.headers["HX-Trigger"] == "ticket-changed"  # the QA panel reloads itself
    doc = parse(response)
    panel = doc.by_id("status-panel")
    # QA passed in the same request: the ticket is already Ready for API.
    assert "Ready for API" in panel.find("p", cls="current-status").text
    saved = reload(db, ticket.id)
    assert saved.status is S.READY_FOR_API
    # The panel carries the version the next move must send.
    assert f"version {saved.version}" in panel.text
    assert panel_moves(doc) == ["TRAFFICKED_SUCCESS", "FAILED", "DRAFT"]
    history = doc.find("ol", id="history", hx_swap_oob="true")
    assert history is not None
    entries = history.find_all("li")
    assert len(entries) == 3
    assert "QA testing → Ready for API" in entries[0].text
    assert "Pre-flight QA:" in entries[0].text
    assert "Draft → QA testing" in entries[1].text
    assert "Tess Trafficker" in entries[0].text
    assert "Tess Trafficker" in entries[1].text


def test_a_refused_htmx_move_says_why_in_the_panel(db, client, trafficker, open_ticket):
    ticket = open_ticket()
    before = snapshot(db, ticket.id)

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("READY_FOR_API", 1),
        headers=fragment_headers(),
    )

    assert response.status_code == 409
    doc = parse(response)
    alert = doc.by_id("status-panel").find("p", role="alert")
    assert "cannot move to Ready for API" in alert.text
    assert "Allowed moves: QA testing." in alert.text
    assert doc.find("ol", id="history") is None
    assert snapshot(db, ticket.id) == before


def test_an_htmx_move_from_a_stale_page_is_a_conflict(db, client, trafficker, open_ticket, put):
    ticket = put(open_ticket(), S.QA_TESTING)
    before = snapshot(db, ticket.id)

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("READY_FOR_API", 1),
        headers=fragment_headers(),
    )

    assert response.status_code == 409
    assert "changed by someone else" in parse(response).by_id("status-panel").text
    assert snapshot(db, ticket.id) == before


def test_qa_failed_without_a_reason_opens_the_reason_form(db, client, trafficker, open_ticket, put):
    ticket = put(open_ticket(), S.QA_TESTING)
    before = snapshot(db, ticket.id)

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("QA_FAILED", ticket.version, qa_failure_reason="  "),
        headers=fragment_headers(),
    )

    assert response.status_code == 422
    doc = parse(response)
    panel = doc.by_id("status-panel")
    assert "a reason is required" in panel.find("p", role="alert").text
    opened = panel.find_all("details", open=True)
    assert len(opened) == 1
    assert opened[0].find("textarea", name="qa_failure_reason") is not None
    assert opened[0].values("to_status") == ["QA_FAILED"]
    assert snapshot(db, ticket.id) == before

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("QA_FAILED", ticket.version, qa_failure_reason="Wrong landing page."),
        headers=fragment_headers(),
    )
    assert response.status_code == 200
    doc = parse(response)
    assert "QA found: Wrong landing page." in doc.by_id("status-panel").text
    assert "Wrong landing page." in doc.find("ol", id="history").find("li").text
    assert reload(db, ticket.id).qa_failure_reason == "Wrong landing page."


def test_trafficked_success_asks_for_the_platform_id(db, client, trafficker, open_ticket, put):
    ticket = put(open_ticket(), S.READY_FOR_API)

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("TRAFFICKED_SUCCESS", ticket.version),
        headers=fragment_headers(),
    )

    assert response.status_code == 422
    [opened] = parse(response).by_id("status-panel").find_all("details", open=True)
    assert opened.find("input", name="external_platform_id") is not None
    assert reload(db, ticket.id).status is S.READY_FOR_API


def test_a_move_without_htmx_redirects_back_with_a_flash(db, client, trafficker, open_ticket):
    ticket = open_ticket(settings=valid_settings())

    response = client.post(f"/tickets/{ticket.id}/move", data=move_inputs("QA_TESTING", 1))

    assert response.status_code == 302
    assert response.headers["Location"] == f"/tickets/{ticket.id}"
    doc = parse(client.get(response.headers["Location"]))
    # QA ran and passed: the flash names where the ticket ended up.
    assert ("success", "Moved to Ready for API.") in flashes(doc)
    saved = reload(db, ticket.id)
    assert saved.status is S.READY_FOR_API

    response = client.post(
        f"/tickets/{ticket.id}/move", data=move_inputs("QA_FAILED", saved.version)
    )
    assert response.status_code == 302
    doc = parse(client.get(response.headers["Location"]))
    [(category, message)] = [f for f in flashes(doc) if f[0] == "error"]
    assert "Allowed moves" in message
    assert reload(db, ticket.id).status is S.READY_FOR_API


def test_a_move_needs_a_csrf_token(db, client, trafficker, csrf_on, open_ticket):
    ticket = open_ticket()

    response = client.post(
        f"/tickets/{ticket.id}/move", data=move_inputs("QA_TESTING", 1), headers=fragment_headers()
    )

    assert response.status_code == 400
    assert reload(db, ticket.id).status is S.DRAFT


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/tickets/{id}/move"),
        ("get", "/tickets/new"),
        ("post", "/tickets/new"),
        ("get", "/tickets/{id}/edit"),
        ("post", "/tickets/{id}/edit"),
        ("post", "/tickets/{id}/delete"),
    ],
)
def test_a_viewer_cannot_change_tickets(db, client, viewer, open_ticket, meta, method, path):
    ticket = open_ticket()
    before = snapshot(db, ticket.id)
    data = move_inputs("QA_TESTING", 1) | new_form(meta, campaign_id=str(ticket.campaign_id))

    response = getattr(client, method)(path.format(id=ticket.id), data=data)

    assert response.status_code == 403
    assert snapshot(db, ticket.id) == before
    assert ticket_count(db) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/tickets/{id}"),
        ("get", "/tickets/{id}/edit"),
        ("post", "/tickets/{id}/edit"),
        ("post", "/tickets/{id}/move"),
        ("post", "/tickets/{id}/delete"),
        ("get", "/tickets/{id}/card"),
    ],
)
@pytest.mark.parametrize("ticket_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_unknown_tickets_are_404(client, trafficker, method, path, ticket_id):
    response = getattr(client, method)(path.format(id=ticket_id), data=move_inputs("DRAFT", 1))

    assert response.status_code == 404


def test_pages_need_a_login(client, open_ticket):
    ticket = open_ticket()

    for path in ("/tickets/", f"/tickets/{ticket.id}", "/tickets/campaign-options?campaign=DIS"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


# =================================================================================================
# HTML: editing settings and deleting
# =================================================================================================


def edit_form(version, **fields) -> dict:
    return {
        "version": str(version),
        "request_type": "CREATE_CAMPAIGN",
        "objective": "REACH",
        "budget_type": "LIFETIME",
        "budget_amount": "2000",
        "flight_start": "2026-04-01",
        "flight_end": "2026-04-30",
        "landing_url": "https://example.com/new",
        "initial_status": "ACTIVE",
        "target_status": "",
    } | fields


def test_the_edit_form_shows_the_settings_and_saves_changes_in_draft(
    db, client, trafficker, open_ticket
):
    ticket = open_ticket()

    doc = parse(client.get(f"/tickets/{ticket.id}/edit"))
    assert doc.selected("objective") == "TRAFFIC"
    assert doc.selected("budget_type") == "DAILY"
    assert doc.values("budget_amount") == ["1500.50"]
    assert doc.values("version") == ["1"]

    response = client.post(f"/tickets/{ticket.id}/edit", data=edit_form(1))

    assert response.status_code == 302, text_of(response)
    assert response.headers["Location"] == f"/tickets/{ticket.id}"
    saved = reload(db, ticket.id)
    assert saved.payload_config == {
        "objective": "REACH",
        "budget_type": "LIFETIME",
        "budget_amount": "2000.00",
        "flight_start": "2026-04-01",
        "flight_end": "2026-04-30",
        "landing_url": "https://example.com/new",
        "initial_status": "ACTIVE",
    }
    assert saved.version == 2
    assert saved.status is S.DRAFT


def test_a_bad_setting_on_the_edit_form_shows_under_its_field(db, client, trafficker, open_ticket):
    ticket = open_ticket()
    before = snapshot(db, ticket.id)

    response = client.post(
        f"/tickets/{ticket.id}/edit", data=edit_form(1, landing_url="www.example.com")
    )

    assert response.status_code == 422
    assert "full web address" in field_errors(parse(response))["landing_url"]
    assert snapshot(db, ticket.id) == before


def test_settings_of_a_ticket_ready_for_the_api_cannot_be_edited(
    db, client, trafficker, open_ticket, put
):
    ticket = put(open_ticket(), S.READY_FOR_API)
    before = snapshot(db, ticket.id)

    response = client.post(f"/tickets/{ticket.id}/edit", data=edit_form(ticket.version))

    assert response.status_code == 409
    assert "Settings can only change while a ticket is Draft or QA failed" in text_of(response)
    assert snapshot(db, ticket.id) == before


def test_a_stale_edit_form_is_a_conflict(db, client, trafficker, open_ticket):
    ticket = open_ticket()  # FULL_SETTINGS fail QA, so the ticket stays editable
    service.move_ticket(ticket, S.QA_TESTING, actor=None)
    db.session.commit()
    assert reload(db, ticket.id).status is S.QA_FAILED
    before = snapshot(db, ticket.id)

    response = client.post(f"/tickets/{ticket.id}/edit", data=edit_form(1))

    assert response.status_code == 409
    assert "changed by someone else" in text_of(response)
    assert snapshot(db, ticket.id) == before


def test_the_ticket_page_shows_the_pre_flight_qa_table(db, client, trafficker, open_ticket):
    ticket = open_ticket()  # FULL_SETTINGS: flight in the past, over the campaign budget
    qa_panel = parse(client.get(f"/tickets/{ticket.id}")).by_id("qa-panel")
    assert "Pre-flight QA" in qa_panel.text
    assert qa_panel.find("table") is None  # no run yet

    client.post(
        f"/tickets/{ticket.id}/move", data=move_inputs("QA_TESTING", 1), headers=fragment_headers()
    )
    assert reload(db, ticket.id).status is S.QA_FAILED

    for url in (f"/tickets/{ticket.id}", f"/tickets/{ticket.id}/qa"):
        qa_panel = parse(client.get(url)).by_id("qa-panel")
        assert "Pre-flight QA" in qa_panel.find("h2").text
        rows = qa_panel.find("table", cls="qa-table").find("tbody").find_all("tr")
        assert len(rows) == len(qa.RULES)
        blocking = [row for row in rows if "qa-block" in row.classes]
        assert len(blocking) >= 2
        text = qa_panel.text
        assert "✕ blocks" in text and "✓ passed" in text
        assert "The flight ended at 2026-03-31 23:59:59" in text


def test_deleting_a_draft_from_its_page(db, client, trafficker, open_ticket, moana):
    ticket_id = open_ticket().id  # the row object cannot be read once its row is deleted
    doc = parse(client.get(f"/tickets/{ticket_id}"))
    assert doc.find("form", action=f"/tickets/{ticket_id}/delete") is not None

    response = client.post(f"/tickets/{ticket_id}/delete")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/campaigns/{moana.id}"
    assert reload(db, ticket_id) is None


def test_deleting_a_ticket_that_left_draft_is_refused(db, client, trafficker, open_ticket, put):
    ticket = put(open_ticket(), S.QA_TESTING)
    assert (
        parse(client.get(f"/tickets/{ticket.id}")).find(
            "form", action=f"/tickets/{ticket.id}/delete"
        )
        is None
    )

    response = client.post(f"/tickets/{ticket.id}/delete")

    assert response.status_code == 409
    assert "Only Draft tickets can be deleted" in text_of(response)
    assert reload(db, ticket.id) is not None


# =================================================================================================
# HTML: the ticket list
# =================================================================================================


@pytest.fixture
def three_tickets(open_ticket, put, moana, frozen, meta, tiktok):
    """DIS_US_META (DRAFT), DIS_US_TIKTOK (QA_TESTING), PIX_JP_META (DRAFT)."""
    open_ticket(campaign=moana, channel=meta)
    put(open_ticket(campaign=moana, channel=tiktok), S.QA_TESTING)
    open_ticket(campaign=frozen, channel=meta, settings={})


DIS_META = "DIS_US_META_2026_MoanaLaunch"
DIS_TIKTOK = "DIS_US_TIKTOK_2026_MoanaLaunch"
PIX_META = "PIX_JP_META_2026_Frozen3"


def test_the_list_shows_every_ticket_with_its_platform_name(client, viewer, three_tickets):
    response = client.get("/tickets/")

    assert response.status_code == 200
    assert sorted(list_rows(parse(response))) == sorted([DIS_META, DIS_TIKTOK, PIX_META])
    assert "3 tickets" in text_of(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=QA_TESTING", [DIS_TIKTOK]),
        ("status=draft", [DIS_META, PIX_META]),
        ("brand={pix}", [PIX_META]),
        ("market={us}", [DIS_META, DIS_TIKTOK]),
        ("channel={meta}", [DIS_META, PIX_META]),
        ("campaign={moana}", [DIS_META, DIS_TIKTOK]),
        ("q=_META_", [DIS_META, PIX_META]),
        ("q=tiktok", [DIS_TIKTOK]),
        ("q=frozen3", [PIX_META]),
        ("q=_MULTI_", []),
        ("q=%25", []),
        ("channel={meta}&brand={dis}", [DIS_META]),
        ("status=DRAFT&market={jp}&q=PIX", [PIX_META]),
        ("status=FAILED", []),
    ],
)
def test_list_filters_in_the_url_narrow_the_rows(
    client, viewer, three_tickets, dis, pix, us, jp, meta, moana, query, expected
):
    ids = {"dis": dis.id, "pix": pix.id, "us": us.id, "jp": jp.id, "meta": meta.id}
    url = "/tickets/?" + query.format(moana=moana.id, **ids)

    response = client.get(url)

    assert response.status_code == 200
    assert sorted(list_rows(parse(response))) == sorted(expected)


def test_the_list_answers_htmx_with_the_table_only(client, viewer, three_tickets, pix):
    response = client.get(f"/tickets/?brand={pix.id}", headers=fragment_headers())

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'role="search"' not in response.text
    assert list_rows(parse(response)) == [PIX_META]


@pytest.mark.parametrize(
    "query",
    [
        "status=SHIPPED",
        "brand=not-a-uuid&market=123&channel=%27%3B--&campaign=%01",
        "sort=password&dir=sideways&page=abc",
        "page=-1&sort=status&dir=asc",
        "page=99999",
        "q=" + "x" * 500,
        "q=%5C&status=",
        "brand=&market=&channel=&campaign=&q=",
    ],
)
def test_junk_filter_values_do_not_break_the_list(client, viewer, three_tickets, query):
    response = client.get("/tickets/?" + query)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")


# =================================================================================================
# Two people moving the same ticket at the same moment
# =================================================================================================


def test_two_simultaneous_moves_of_one_ticket_give_one_move_and_one_clear_conflict(
    app, db, open_ticket, make_user
):
    """Two people move the same DRAFT ticket (version 1) to QA_TESTING at the same moment.

    Each is a POST request with its own session. A loads the ticket, waits until B has loaded
    it too, moves and flushes (its UPDATE holds the row), then waits 0.3 s and commits. B moves
    once A has flushed. On PostgreSQL B's UPDATE ... WHERE version = 1 waits on A's row lock,
    then finds version 2 and updates nothing: a conflict. On SQLite a POST takes the write lock
    at BEGIN, so B queues behind A, loads version 2 and its page's version 1 is refused.
    """
    tess = make_user(Role.TRAFFICKER, name="Tess")
    quinn = make_user(Role.TRAFFICKER, name="Quinn")
    ticket_id = open_ticket(settings=valid_settings()).id
    user_ids = {"A": tess.id, "B": quinn.id}
    db.session.remove()  # the threads use sessions of their own
    on_postgresql = db.engine.dialect.name == "postgresql"

    a_loaded, b_loaded, a_flushed = threading.Event(), threading.Event(), threading.Event()
    loaded: dict[str, tuple] = {}  # what each person's page showed: (status, version)
    results: dict[str, object] = {}  # "moved", or the exception
    seconds: dict[str, float] = {}  # how long each move took

    def attempt(me, after_load, before_move, before_commit):
        with app.test_request_context(method="POST"):
            try:
                ticket = db.session.get(Ticket, ticket_id)
                actor = db.session.get(User, user_ids[me])
                loaded[me] = (ticket.status, ticket.version)
                after_load()
                before_move()
                started = time.monotonic()
                try:
                    # Each page sends the version it was rendered with: 1.
                    service.move_ticket(ticket, "QA_TESTING", actor=actor, version=1)
                finally:
                    seconds[me] = time.monotonic() - started
                before_commit()
                db.session.commit()
                results[me] = "moved"
            except Exception as err:  # noqa: BLE001 - whatever it is, the test reports it
                db.session.rollback()
                results[me] = err
            finally:
                for signal in (a_loaded, b_loaded, a_flushed):
                    signal.set()  # never leave the other thread waiting
                db.session.remove()

    def a_after_load():
        a_loaded.set()
        # On SQLite B cannot load before A commits: wait briefly, not forever.
        b_loaded.wait(5 if on_postgresql else 0.5)

    def a_before_commit():
        a_flushed.set()
        time.sleep(0.3)

    threads = [
        threading.Thread(
            target=attempt,
            name="A",
            args=("A", a_after_load, lambda: None, a_before_commit),
        ),
        threading.Thread(
            target=attempt,
            name="B",
            args=("B", b_loaded.set, lambda: a_flushed.wait(5), lambda: None),
        ),
    ]
    threads[0].start()
    assert a_loaded.wait(5)
    threads[1].start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)

    assert results["A"] == "moved", results
    error = results["B"]
    assert isinstance(error, Conflict), f"{type(error).__name__}: {error}"
    assert error.status_code == 409
    assert "someone else" in error.message.lower()
    assert "Reload" in error.message
    saved = reload(db, ticket_id)
    # A's move ran QA, which passed: one move into QA and its one follow-up, both A's.
    assert (saved.status, saved.version) == (S.READY_FOR_API, 2)
    history = [(e.from_status, e.to_status, e.actor_id) for e in events_of(db, ticket_id)]
    assert history == [
        (None, S.DRAFT, None),
        (S.DRAFT, S.QA_TESTING, tess.id),
        (S.QA_TESTING, S.READY_FOR_API, tess.id),
    ]
    if on_postgresql:
        # A real race: both loaded version 1, and B's UPDATE waited for A's commit.
        assert "at the same moment" in error.message
        assert loaded == {"A": (S.DRAFT, 1), "B": (S.DRAFT, 1)}
        assert seconds["B"] >= 0.25, seconds
    else:
        assert loaded == {"A": (S.DRAFT, 1), "B": (S.READY_FOR_API, 2)}


def test_ticket_page_shows_the_platform_request_or_every_problem(client, login, db, make_ticket):
    from omnitraffick.models import Channel

    login(Role.TRAFFICKER)
    ticket = make_ticket()
    db.session.get(Channel, ticket.channel_id).api_identifier = "TIKTOK"
    ticket.payload_config = {"budget_type": "LIFETIME", "budget_amount": "500"}
    db.session.commit()

    page = client.get(f"/tickets/{ticket.id}").text
    assert "Platform request" in page
    assert "cannot become a TikTok request yet" in page
    assert page.count("<li>") >= 2  # objective, flight end, landing URL ... all listed

    ticket.payload_config = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "500",
        "flight_start": "2031-01-01",
        "landing_url": "https://example.com/?utm_campaign=x",
    }
    db.session.commit()
    fragment = client.get(f"/tickets/{ticket.id}/payload", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment
    assert "/open_api/v1.3/campaign/create/" in fragment
    assert "&#34;budget_mode&#34;" in fragment or '"budget_mode"' in fragment
