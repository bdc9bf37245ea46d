"""Tickets: opening one (structured, type-checked settings and the platform name), the workflow
with its audit trail and version checks, settings edits and deletes, the HTML pages a trafficker
works in (new/edit forms, ticket page with htmx moves, the filtered list), and two people moving
the same ticket at the same moment: Service: opening a ticket.
"""

import uuid

import pytest

from omnitraffick.errors import http_status
from omnitraffick.models import RequestType, Role
from omnitraffick.services import settings as ticket_settings
from omnitraffick.services import tickets as service
from omnitraffick.services.errors import ValidationError
from tests.support import UNKNOWN_ID
from tests.tickets.helpers import (
    CLEANED_SETTINGS,
    FULL_SETTINGS,
    S,
    as_utc,
    events_of,
    reload,
    ticket_count,
)

# --- Service: opening a ticket -------------------------------------------------------------------


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


@pytest.mark.parametrize("bad_id", [UNKNOWN_ID, str(UNKNOWN_ID), "not-a-uuid", "", None])
def test_create_lists_every_unknown_reference_and_bad_request_type_at_once(db, bad_id):
    with pytest.raises(ValidationError) as caught:
        service.create_ticket(
            campaign_id=bad_id, channel_id=bad_id, request_type="CREATE_EVERYTHING"
        )

    err = caught.value
    assert http_status(err) == 422
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
    assert http_status(err) == 422
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
