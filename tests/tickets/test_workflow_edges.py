"""The ticket workflow at the edges mutation testing found unheld: the longest reason and
platform id, versions that are not numbers, a write that loses a race at flush time, a ticket
being sent, the brand's usual declaration, the default due date, the history of a settings
edit, and the platform id an UPDATE ticket acts on."""

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from omnitraffick.models import SendState, Ticket, TicketChange, utcnow
from omnitraffick.services import tickets as service
from omnitraffick.services.errors import Conflict, ValidationError
from tests.support import sending
from tests.tickets.helpers import FULL_SETTINGS, S

# --- the longest reason and platform id ------------------------------------------------------


def test_a_qa_failure_reason_of_2000_characters_is_kept_and_one_more_is_refused(
    db, open_ticket, put
):
    ticket = put(open_ticket(), S.QA_TESTING)

    with pytest.raises(ValidationError, match="under 2,000 characters") as refused:
        service.move_ticket(ticket, "QA_FAILED", actor=None, reason="x" * 2001)
    assert refused.value.field == "qa_failure_reason"
    assert ticket.status is S.QA_TESTING

    service.move_ticket(ticket, "QA_FAILED", actor=None, reason="x" * 2000)
    db.session.commit()
    assert ticket.status is S.QA_FAILED
    assert ticket.qa_failure_reason == "x" * 2000


def test_a_platform_id_of_255_characters_is_kept_and_one_more_is_refused(db, open_ticket, put):
    ticket = put(open_ticket(), S.READY_FOR_API)

    with pytest.raises(ValidationError, match="Platform id is too long") as refused:
        service.move_ticket(
            ticket, "TRAFFICKED_SUCCESS", actor=None, external_platform_id="9" * 256
        )
    assert refused.value.field == "external_platform_id"
    assert ticket.status is S.READY_FOR_API

    service.move_ticket(ticket, "TRAFFICKED_SUCCESS", actor=None, external_platform_id="9" * 255)
    db.session.commit()
    assert ticket.external_platform_id == "9" * 255


# --- versions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["two", "1.5", [1], {"v": 1}])
def test_a_version_that_is_not_a_whole_number_is_refused_by_name(open_ticket, version):
    ticket = open_ticket()

    with pytest.raises(ValidationError, match="Version must be a whole number.") as refused:
        service.move_ticket(ticket, "QA_TESTING", actor=None, version=version)

    assert refused.value.field == "version"
    assert ticket.status is S.DRAFT


def test_an_edit_that_loses_the_race_at_the_flush_is_a_conflict_and_writes_nothing(db, open_ticket):
    ticket = open_ticket()
    # Someone else's write lands between this request's read and its flush.
    db.session.execute(
        update(Ticket).where(Ticket.id == ticket.id).values(version=Ticket.version + 1),
        execution_options={"synchronize_session": False},
    )

    with pytest.raises(Conflict, match="Someone else changed this ticket at the same moment"):
        service.update_settings(ticket, {**FULL_SETTINGS, "budget_amount": "99"})

    db.session.rollback()
    assert db.session.get(Ticket, ticket.id).payload_config["budget_amount"] == "1500.50"


# --- a ticket being sent --------------------------------------------------------------------


def test_a_ticket_being_sent_cannot_be_moved(db, open_ticket, put):
    ticket = put(open_ticket(), S.READY_FOR_API)
    sending(db, ticket, utcnow())

    with pytest.raises(Conflict, match="This ticket is being sent to Meta") as refused:
        service.move_ticket(ticket, "DRAFT", actor=None)

    assert refused.value.field == "status"
    assert ticket.status is S.READY_FOR_API


def test_a_ticket_whose_send_was_lost_moves_and_the_send_is_closed(db, open_ticket, put):
    ticket = put(open_ticket(), S.READY_FOR_API)
    lost = sending(db, ticket, utcnow() - timedelta(hours=2))

    service.move_ticket(ticket, "DRAFT", actor=None)
    db.session.commit()

    assert ticket.status is S.DRAFT
    assert ticket.sending_since is None
    assert lost.state is SendState.FAILED


def test_a_ticket_not_being_sent_moves(db, open_ticket, put):
    ticket = put(open_ticket(), S.READY_FOR_API)

    service.move_ticket(ticket, "DRAFT", actor=None)

    assert ticket.status is S.DRAFT


# --- QA's failure reason ----------------------------------------------------------------------


def test_back_to_draft_after_failing_qa_keeps_what_qa_found(db, open_ticket, put):
    ticket = put(open_ticket(), S.QA_TESTING)
    service.move_ticket(ticket, "QA_FAILED", actor=None, reason="Wrong landing page")

    service.move_ticket(ticket, "DRAFT", actor=None)

    assert ticket.qa_failure_reason == "Wrong landing page"


def test_passing_qa_clears_the_last_failure(db, open_ticket, put):
    ticket = put(open_ticket(), S.QA_TESTING, qa_failure_reason="Wrong landing page")

    service.move_ticket(ticket, "READY_FOR_API", actor=None)

    assert ticket.qa_failure_reason is None


# --- the brand's usual declaration ----------------------------------------------------------


def test_a_create_ticket_starts_from_its_brands_declaration(db, open_ticket, dis):
    dis.special_ad_categories = ["HOUSING"]
    db.session.commit()

    ticket = open_ticket(settings=dict(FULL_SETTINGS))

    assert ticket.payload_config["special_ad_categories"] == ["HOUSING"]


def test_a_create_ticket_that_says_its_declaration_keeps_it(db, open_ticket, dis):
    dis.special_ad_categories = ["HOUSING"]
    db.session.commit()

    ticket = open_ticket(settings={**FULL_SETTINGS, "special_ad_categories": []})

    assert not ticket.payload_config.get("special_ad_categories")


def test_an_update_ticket_does_not_take_the_brands_declaration(db, open_ticket, dis):
    dis.special_ad_categories = ["HOUSING"]
    db.session.commit()

    ticket = open_ticket(request_type="UPDATE_STATUS", settings={"target_status": "PAUSED"})

    assert "special_ad_categories" not in ticket.payload_config


# --- due dates --------------------------------------------------------------------------------


def test_a_new_ticket_is_due_its_channels_lead_time_before_the_flight(db, open_ticket, meta):
    meta.lead_days = 3
    db.session.commit()

    ticket = open_ticket()  # the flight starts on 2026-03-01

    assert ticket.due_date == date(2026, 2, 26)


def test_a_due_date_given_when_opening_wins_over_the_lead_time(db, open_ticket, meta):
    meta.lead_days = 3
    db.session.commit()

    ticket = open_ticket(due_date="2026-02-10")

    assert ticket.due_date == date(2026, 2, 10)


# --- the history of a settings edit -----------------------------------------------------------


def test_a_settings_edit_writes_each_changed_field_to_the_history(db, open_ticket, make_user):
    editor = make_user()
    ticket = open_ticket()

    service.update_settings(
        ticket, {**FULL_SETTINGS, "budget_amount": "2000", "flight_end": "2026-04-30"}, actor=editor
    )
    db.session.commit()

    changes = {
        (c.field, c.old_value, c.new_value, c.actor_id)
        for c in db.session.query(TicketChange).filter_by(ticket_id=ticket.id)
    }
    assert changes == {
        ("Budget amount", "1500.50", "2000.00", editor.id),
        ("Flight end", "2026-03-31", "2026-04-30", editor.id),
    }


# --- the platform object an UPDATE ticket changes ---------------------------------------------


def test_an_update_ticket_acts_on_the_object_its_create_ticket_made(
    db, open_ticket, put, moana, frozen, meta, tiktok
):
    put(open_ticket(), S.TRAFFICKED_SUCCESS, external_platform_id="120000000001")
    # Neither of these made the Meta campaign of Moana.
    put(open_ticket(channel=tiktok), S.TRAFFICKED_SUCCESS, external_platform_id="1800000002")
    put(open_ticket(campaign=frozen, settings={}), S.TRAFFICKED_SUCCESS, external_platform_id="3")
    put(open_ticket(), S.FAILED, external_platform_id="120000000004")
    update_ = put(
        open_ticket(request_type="UPDATE_STATUS", settings={"target_status": "PAUSED"}),
        S.TRAFFICKED_SUCCESS,
        external_platform_id="120000000005",
    )

    assert service.created_object_id(update_) == "120000000001"
    # Loaded for a bulk move by (campaign, channel): each pair its own trafficked CREATE's id.
    found = service.created_object_ids([update_])
    assert found[(moana.id, meta.id)] == "120000000001"
    assert found[(moana.id, tiktok.id)] == "1800000002"
    assert (frozen.id, meta.id) not in found  # another campaign's


def test_an_update_ticket_without_a_trafficked_create_acts_on_nothing(db, open_ticket, put):
    put(open_ticket(), S.READY_FOR_API)
    update_ = open_ticket(request_type="UPDATE_STATUS", settings={"target_status": "PAUSED"})

    assert service.created_object_id(update_) is None
    assert service.created_object_ids([update_]) == {}


def test_a_create_ticket_acts_on_no_earlier_object(db, open_ticket, put):
    put(open_ticket(), S.TRAFFICKED_SUCCESS, external_platform_id="120000000001")
    create = open_ticket()

    assert service.created_object_id(create) is None
    assert service.created_object_ids([create]) == {}


# --- who changed the ticket last (a card dragged from a stale copy says so) ------------------


def test_the_last_change_is_the_latest_of_moves_and_field_edits(db, open_ticket, make_user):
    creator, editor, mover = make_user(), make_user(), make_user()
    ticket = open_ticket(created_by=creator)
    assert service.last_change(ticket)[::2] == (creator, S.DRAFT)  # opened: a move to Draft

    service.update_settings(ticket, {**FULL_SETTINGS, "budget_amount": "2000"}, actor=editor)
    db.session.commit()
    who, when, moved_to = service.last_change(ticket)
    assert (who, moved_to) == (editor, None)  # an edit, not a move

    service.move_ticket(ticket, "QA_TESTING", actor=mover)
    db.session.commit()
    who, when, moved_to = service.last_change(ticket)
    assert who == mover
    assert moved_to in (S.READY_FOR_API, S.QA_FAILED)


def test_a_move_and_an_edit_at_the_same_instant_read_as_the_move(db, open_ticket, make_user):
    editor = make_user()
    ticket = open_ticket()
    [opened] = ticket.events
    ticket.changes.append(
        TicketChange(
            actor=editor,
            field="Budget amount",
            old_value="1",
            new_value="2",
            created_at=opened.created_at,
        )
    )
    db.session.commit()

    assert service.last_change(ticket)[2] is S.DRAFT


# --- one API write: owner, due date, settings and status under one version -------------------


def test_one_write_may_change_only_the_owner(db, open_ticket, make_user):
    owner = make_user()
    ticket = open_ticket()

    service.update_ticket(ticket, actor=owner, assignee_id=str(owner.id))

    assert ticket.assignee == owner
    assert ticket.due_date is None
    assert ticket.status is S.DRAFT


def test_one_write_may_change_only_the_due_date(db, open_ticket, make_user):
    ticket = open_ticket()

    service.update_ticket(ticket, actor=make_user(), due_date="2026-02-20")

    assert ticket.due_date == date(2026, 2, 20)
    assert ticket.assignee is None


@pytest.mark.parametrize(
    ("field", "value"), [("reason", "Wrong URL"), ("external_platform_id", "120000000001")]
)
def test_a_reason_or_platform_id_without_a_move_is_refused(db, open_ticket, field, value):
    ticket = open_ticket()

    # "draft" is where the ticket is: not a move.
    with pytest.raises(ValidationError, match="is set together with a status move"):
        service.update_ticket(ticket, actor=None, status="draft", **{field: value})

    assert ticket.status is S.DRAFT
    assert ticket.qa_failure_reason is None and ticket.external_platform_id is None


def test_one_write_may_move_and_edit_together(db, open_ticket, put):
    ticket = put(open_ticket(), S.QA_FAILED)

    service.update_ticket(
        ticket, actor=None, settings={**FULL_SETTINGS, "budget_amount": "10"}, status=" draft "
    )

    assert ticket.status is S.DRAFT
    assert ticket.payload_config["budget_amount"] == "10.00"


def test_a_bad_owner_and_a_bad_due_date_are_both_named_and_nothing_changes(db, open_ticket):
    ticket = open_ticket()

    with pytest.raises(ValidationError) as refused:
        service.set_owner(ticket, actor=None, assignee_id="not-a-uuid", due_date="someday")

    assert set(refused.value.errors) == {"assignee_id", "due_date"}
    assert "assignee_id must be a UUID." in refused.value.message
    assert ticket.assignee is None and ticket.due_date is None
