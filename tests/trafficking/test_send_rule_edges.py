"""Where a send stands, at the edges mutation testing found unheld: a send exactly as old as
the limits allow, and a running send whose heartbeat stopped."""

from datetime import timedelta

import pytest

from omnitraffick.models import PlatformSend, SendState, utcnow
from omnitraffick.services import send_state, trafficking
from omnitraffick.services.errors import Conflict
from omnitraffick.services.queries import TicketQuery
from omnitraffick.services.trafficking import sends
from tests.support import sending
from tests.trafficking.helpers import READY, settings

MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def now(monkeypatch):
    """The instant send_state reads as now, fixed for the test."""
    moment = utcnow()
    monkeypatch.setattr(send_state, "utcnow", lambda: moment)
    return moment


@pytest.fixture
def queued(db, ready, meta):
    """A send of a ready Meta ticket, requested at `requested_at`."""

    def make(requested_at, state=SendState.QUEUED, **fields):
        return sending(db, ready(meta), requested_at, state, **fields)

    return make


def test_a_send_queued_exactly_the_stale_limit_ago_still_holds_its_ticket(app, queued, now):
    limit = timedelta(seconds=app.config["SEND_STALE_AFTER_SECONDS"])
    send = queued(now - limit)

    assert send_state.is_sending(send.ticket)
    assert not send_state.is_stale(send)
    assert not send_state.clear_stale_send(send.ticket)
    assert send.state is SendState.QUEUED


def test_a_send_queued_a_moment_longer_ago_is_stale_and_closed(app, db, queued, now):
    limit = timedelta(seconds=app.config["SEND_STALE_AFTER_SECONDS"])
    send = queued(now - limit - MICROSECOND)

    assert not send_state.is_sending(send.ticket)
    assert send_state.is_stale(send)
    assert send_state.clear_stale_send(send.ticket)
    assert send.state is SendState.FAILED
    assert "its job was lost" in send.message
    assert send.ticket.sending_since is None
    assert send.ticket.status is READY  # it can be sent again


def test_a_running_send_whose_heartbeat_is_exactly_the_timeout_old_is_alive(app, queued, now):
    timeout = timedelta(seconds=app.config["SEND_HEARTBEAT_TIMEOUT_SECONDS"])
    send = queued(now - timedelta(hours=1), SendState.RUNNING, heartbeat_at=now - timeout)

    assert not send_state.is_stale(send)
    assert send_state.heartbeat_is_fresh(now - timeout)
    assert not send_state.heartbeat_is_fresh(now - timeout - MICROSECOND)


def test_a_running_send_whose_heartbeat_went_silent_is_stale(app, queued, now):
    timeout = timedelta(seconds=app.config["SEND_HEARTBEAT_TIMEOUT_SECONDS"])
    # Queued just now (fresh by the queue's limit), but its worker stopped beating.
    send = queued(now, SendState.RUNNING, heartbeat_at=now - timeout - MICROSECOND)

    assert send_state.is_stale(send)


def test_a_running_send_that_never_beat_is_judged_by_when_it_started(app, queued, now):
    timeout = timedelta(seconds=app.config["SEND_HEARTBEAT_TIMEOUT_SECONDS"])
    alive = queued(now, SendState.RUNNING, started_at=now - timeout)
    assert not send_state.is_stale(alive)

    alive.started_at = now - timeout - MICROSECOND
    assert send_state.is_stale(alive)

    alive.started_at = None  # never started, never beat: nothing says it lives
    assert send_state.is_stale(alive)


def test_send_all_ready_takes_the_longest_waiting_tickets_first(db, ready, meta, tiktok, google):
    # However the board is sorted, a capped "Send all ready" sends those ready the longest.
    waiting = {}
    for hours, channel in ((1, meta), (3, tiktok), (2, google)):
        ticket = ready(channel)
        ticket.status_changed_at = utcnow() - timedelta(hours=hours)
        waiting[hours] = ticket
    being_sent = ready(meta)
    being_sent.status_changed_at = utcnow() - timedelta(hours=9)
    being_sent.sending_since = utcnow()
    db.session.commit()

    chosen = trafficking.ready_tickets(TicketQuery(sort="moved", desc=True), limit=2)

    assert [t.id for t in chosen] == [waiting[3].id, waiting[2].id]


# --- one send per campaign and platform at a time --------------------------------------------


def test_a_second_ticket_of_the_campaign_waits_for_the_first_to_be_sent(db, ready, meta, queued):
    queued(utcnow())  # Moana on Meta is being sent
    second = ready(meta)

    # Refused before anything else is checked (no platform is even connected here).
    with pytest.raises(Conflict, match="Another ticket of this campaign is being sent to Meta"):
        trafficking.queue_send(second, actor=None)
    db.session.rollback()


def test_tickets_of_another_channel_or_campaign_do_not_wait(
    db, sandbox, ready, meta, tiktok, queued, make_campaign, make_ticket, dis, us
):
    queued(utcnow())  # Moana on Meta is being sent
    other_channel = ready(tiktok)
    other_campaign = make_ticket(
        campaign=make_campaign(brand=dis, market=us, campaign_name="FrozenLaunch"), channel=meta
    )
    other_campaign.payload_config, other_campaign.status = settings(), READY
    db.session.commit()

    for ticket in (other_channel, other_campaign):
        assert trafficking.queue_send(ticket, actor=None).state is SendState.QUEUED
        db.session.commit()


def test_a_lost_send_of_another_ticket_is_closed_and_this_one_goes(
    db, sandbox, ready, meta, queued
):
    lost = queued(utcnow() - timedelta(hours=2))
    second = ready(meta)

    send = trafficking.queue_send(second, actor=None)
    db.session.commit()

    assert send.state is SendState.QUEUED
    assert lost.state is SendState.FAILED and "its job was lost" in lost.message


# --- two requests at the same moment: the database's unique indexes decide ------------------


def test_the_same_ticket_sent_twice_at_the_same_moment_is_sent_once(
    db, sandbox, queued, monkeypatch
):
    other = queued(utcnow())  # the other request wrote its send after this one checked
    monkeypatch.setattr(sends, "clear_stale_send", lambda ticket: True)

    with pytest.raises(Conflict, match="This ticket is already being sent to Meta; wait for the"):
        trafficking.queue_send(other.ticket, actor=None)

    db.session.rollback()
    assert db.session.query(PlatformSend).count() == 1


def test_two_tickets_of_one_campaign_sent_at_the_same_moment_go_one_at_a_time(
    db, sandbox, ready, meta, queued, monkeypatch
):
    queued(utcnow())  # the other request wrote its send after this one checked
    second = ready(meta)
    monkeypatch.setattr(sends, "_sibling_in_flight", lambda ticket: False)

    with pytest.raises(Conflict, match="Another ticket of this campaign is being sent to Meta"):
        trafficking.queue_send(second, actor=None)

    db.session.rollback()
    assert db.session.query(PlatformSend).count() == 1
