"""One campaign, one object per platform: QA, the send checks and the database all hold it.

A hostile probe sent six READY CREATE_CAMPAIGN tickets of one campaign and channel in
parallel (18 requests) and got three identical Meta campaigns. Each layer is shown here:
pre-flight QA refuses a second CREATE ticket, a send refuses one whose twin was trafficked
or is being sent, and a unique index refuses two sends in flight for one campaign and channel
even when every check in Python was passed at the same moment.
"""

import threading

import pytest

from omnitraffick.models import PlatformSend, RequestType, Role, Ticket, TicketStatus
from omnitraffick.services import tickets, trafficking
from omnitraffick.services import tokens as tokens_service
from omnitraffick.services.errors import Conflict
from omnitraffick.services.trafficking import sends

READY = TicketStatus.READY_FOR_API


def settings():
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "10.00",
        "flight_start": "2031-03-01",
        "flight_end": "2031-03-31",
        "landing_url": "https://www.disney.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch"
        "&utm_source=meta&utm_medium=paid_social",
        "initial_status": "PAUSED",
    }


@pytest.fixture
def create_ticket(db, make_ticket, moana, meta):
    def make(status=TicketStatus.DRAFT):
        ticket = make_ticket(campaign=moana, channel=meta)
        ticket.payload_config = settings()
        ticket.status = status
        db.session.commit()
        return ticket

    return make


@pytest.fixture
def editor(make_user):
    return make_user(Role.TRAFFICKER)


def reload(db, ticket_id) -> Ticket:
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Ticket, ticket_id)


# --- pre-flight QA ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "says"),
    [
        (READY, "is Ready for API"),
        (TicketStatus.TRAFFICKED_SUCCESS, "created it (id 1202)"),
    ],
)
def test_qa_fails_a_second_create_ticket_for_the_same_campaign_and_platform(
    db, editor, create_ticket, first, says
):
    holder = create_ticket(first)
    holder.external_platform_id = "1202" if first is TicketStatus.TRAFFICKED_SUCCESS else None
    second = create_ticket()
    tickets.move_ticket(second, "QA_TESTING", actor=editor)
    db.session.commit()

    assert second.status is TicketStatus.QA_FAILED
    assert f"Another CREATE_CAMPAIGN ticket of this campaign on Meta {says}" in (
        second.qa_failure_reason
    )
    assert "UPDATE_BUDGET or UPDATE_STATUS ticket instead" in second.qa_failure_reason
    finding = next(f for f in second.qa_report if f["rule"] == "one_create")
    assert finding["severity"] == "block" and not finding["passed"]


def test_qa_passes_a_create_ticket_whose_twin_failed_or_is_a_draft(db, editor, create_ticket):
    create_ticket(TicketStatus.FAILED)
    create_ticket(TicketStatus.DRAFT)
    ticket = create_ticket()
    tickets.move_ticket(ticket, "QA_TESTING", actor=editor)
    db.session.commit()
    assert ticket.status is READY, ticket.qa_failure_reason


def test_qa_lets_update_tickets_follow_a_trafficked_create(db, editor, create_ticket, make_ticket):
    holder = create_ticket(TicketStatus.TRAFFICKED_SUCCESS)
    holder.external_platform_id = "120210000000001"
    update = make_ticket(
        campaign=holder.campaign, channel=holder.channel, request_type=RequestType.UPDATE_STATUS
    )
    update.payload_config = {"target_status": "ACTIVE"}
    db.session.commit()
    tickets.move_ticket(update, "QA_TESTING", actor=editor)
    db.session.commit()
    assert update.status is READY, update.qa_failure_reason


# --- the send -------------------------------------------------------------------------------


def test_a_create_ticket_whose_twin_was_trafficked_is_not_sent(db, editor, sandbox, create_ticket):
    first, second = create_ticket(READY), create_ticket(READY)
    trafficking.start_send(first, actor=editor)
    assert reload(db, first.id).status is TicketStatus.TRAFFICKED_SUCCESS
    second = reload(db, second.id)
    with pytest.raises(Conflict, match="created it \\(id \\d+\\)"):
        trafficking.queue_send(second, actor=editor)
    db.session.rollback()
    assert len(sandbox.objects()["meta"]["campaigns"]) == 1


def test_the_database_refuses_a_second_send_in_flight_even_past_every_check(
    db, editor, sandbox, create_ticket, monkeypatch
):
    """As if both requests ran their checks at the same moment, before either had queued."""
    first, second = create_ticket(READY), create_ticket(READY)
    monkeypatch.setattr(sends, "_sibling_in_flight", lambda ticket: False)
    trafficking.queue_send(first, actor=editor)
    db.session.commit()
    with pytest.raises(Conflict, match="Another ticket of this campaign is being sent to Meta"):
        trafficking.queue_send(second, actor=editor)
    db.session.rollback()
    assert db.session.query(PlatformSend).count() == 1
    assert reload(db, second.id).sending_since is None


def test_six_twins_sent_in_parallel_make_one_campaign(app, db, sandbox, create_ticket, make_user):
    """The probe: six READY CREATE tickets, each sent three times at once (18 requests)."""
    _, token = tokens_service.create_token(make_user(Role.TRAFFICKER), "probe")
    db.session.commit()
    twins = [create_ticket(READY) for _ in range(6)]
    ids = [t.id for t in twins]
    start = threading.Barrier(18)
    answers: list[int] = []

    def press_send(ticket_id):
        client = app.test_client()
        start.wait(10)
        response = client.post(
            f"/api/v1/tickets/{ticket_id}/send", headers={"Authorization": f"Bearer {token}"}
        )
        answers.append(response.status_code)

    threads = [threading.Thread(target=press_send, args=(i,)) for i in ids for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not any(thread.is_alive() for thread in threads)
    assert sorted(set(answers)) == [202, 409], answers
    objects = sandbox.objects()["meta"]
    assert len(objects["campaigns"]) == 1
    assert len(objects["adsets"]) == 1
    statuses = [reload(db, i).status for i in ids]
    assert statuses.count(TicketStatus.TRAFFICKED_SUCCESS) == 1
    assert statuses.count(READY) == 5
    assert db.session.query(PlatformSend).filter(PlatformSend.state == "SUCCEEDED").count() == 1
