"""A send outlives the job that ran it: heartbeats, takeover, and the job that was taken over.

A running send touches its heartbeat at every step and while it waits. Another delivery of
its job takes it over only when the heartbeat has gone silent (the worker died), resumes from
what the platform already returned, and fences off the old run: should that run wake up, its
next write finds the send is no longer its own and it stops without writing.
"""

from datetime import timedelta

import pytest
from sqlalchemy import update

from omnitraffick import jobs
from omnitraffick.models import (
    AttemptOutcome,
    PlatformSend,
    SendAttempt,
    SendState,
    Ticket,
    TicketStatus,
    utcnow,
)
from omnitraffick.services import trafficking

READY = TicketStatus.READY_FOR_API


def settings():
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "10.00",
        "flight_start": "2031-03-01",
        "flight_end": "2031-03-31",
        "landing_url": "https://www.disney.com/moana?utm_campaign=x",
        "initial_status": "PAUSED",
    }


@pytest.fixture
def queued(db, sandbox, make_ticket, make_user, moana, meta):
    """A READY Meta ticket with a send queued for it (not yet run)."""
    ticket = make_ticket(campaign=moana, channel=meta)
    ticket.payload_config, ticket.status = settings(), READY
    db.session.commit()
    send = trafficking.queue_send(ticket, actor=make_user())
    db.session.commit()
    return send


def set_send(db, send_id, **values):
    db.session.execute(update(PlatformSend).where(PlatformSend.id == send_id).values(**values))
    db.session.commit()


def reload(db, model, id_):
    db.session.commit()
    db.session.expire_all()
    return db.session.get(model, id_)


def test_a_running_send_with_a_live_heartbeat_is_left_to_its_job(db, sandbox, queued):
    started = utcnow() - timedelta(minutes=30)  # long, but alive: it beat a second ago
    set_send(db, queued.id, state=SendState.RUNNING, started_at=started, heartbeat_at=utcnow())

    assert trafficking.run_send(queued.id) is jobs.Outcome.LOOK_AGAIN
    assert sandbox.requests() == []
    assert reload(db, PlatformSend, queued.id).state is SendState.RUNNING


def test_a_running_send_whose_heartbeat_stopped_is_taken_over(db, sandbox, queued):
    """Its worker died a minute and a half ago, although the send began only two minutes ago."""
    set_send(
        db,
        queued.id,
        state=SendState.RUNNING,
        started_at=utcnow() - timedelta(minutes=2),
        heartbeat_at=utcnow() - timedelta(seconds=90),
    )
    assert trafficking.run_send(queued.id) is jobs.Outcome.DONE
    send = reload(db, PlatformSend, queued.id)
    assert send.state is SendState.SUCCEEDED
    assert send.ticket.status is TicketStatus.TRAFFICKED_SUCCESS


def test_a_finished_send_delivered_again_is_done_without_a_call(db, sandbox, queued):
    trafficking.run_send(queued.id)
    calls = len(sandbox.requests())
    assert trafficking.run_send(queued.id) is jobs.Outcome.DONE
    assert len(sandbox.requests()) == calls


def test_the_heartbeat_is_touched_while_a_send_waits_out_a_long_retry_after(
    app, db, sandbox, queued
):
    sandbox.fault(platform="meta", status=429, retry_after=25, path_contains="/campaigns")
    beats = []

    def sleep(seconds):
        beats.append(seconds)

    app.config["SEND_HEARTBEAT_SECONDS"] = 10
    try:
        trafficking.run_send(queued.id, sleep=sleep)
    finally:
        app.config["SEND_HEARTBEAT_SECONDS"] = 10.0
    # 25 s of waiting in beats of at most 10 s, each followed by a heartbeat.
    assert beats == [10, 10, 5]
    assert reload(db, PlatformSend, queued.id).state is SendState.SUCCEEDED


def test_a_run_that_was_taken_over_stops_and_writes_nothing_more(db, sandbox, queued):
    """The first run pauses (a 500, then a backoff) and, while it sleeps, is judged dead and
    taken over. When it wakes, its next write is refused; the new run's result stands."""
    sandbox.fault(platform="meta", status=500, path_contains="/campaigns")
    taken_over = []

    def sleep(_seconds):
        if not taken_over:
            set_send(db, queued.id, started_at=utcnow(), heartbeat_at=utcnow())
            taken_over.append(True)

    assert trafficking.run_send(queued.id, sleep=sleep) is jobs.Outcome.DONE
    send = reload(db, PlatformSend, queued.id)
    # Still RUNNING under the new run's claim: the first run neither failed nor finished it.
    assert send.state is SendState.RUNNING
    assert send.ticket.status is READY
    outcomes = [
        a.outcome for a in db.session.query(SendAttempt).order_by(SendAttempt.created_at).all()
    ]
    # The read of the account's minimum budgets, the lookup's 500, then nothing: no retry,
    # no create, no failure was written.
    assert outcomes == [AttemptOutcome.OK, AttemptOutcome.RETRY]
    assert [r["method"] for r in sandbox.requests("meta")] == ["GET", "GET"]


def test_the_celery_job_looks_again_later_when_another_run_holds_the_send(
    app, db, queued, monkeypatch
):
    set_send(
        db,
        queued.id,
        state=SendState.RUNNING,
        started_at=utcnow(),
        heartbeat_at=utcnow(),
    )
    queued_again = []
    monkeypatch.setattr(jobs.celery, "flask_app", app, raising=False)
    monkeypatch.setattr(jobs.run_job, "apply_async", lambda **kwargs: queued_again.append(kwargs))
    app.config["CELERY_QUEUE"] = "omnitraffick"
    jobs.run_job.run("send", str(queued.id))
    assert queued_again == [
        {
            "args": ["send", str(queued.id)],
            "countdown": app.config["SEND_HEARTBEAT_TIMEOUT_SECONDS"],
            "queue": "omnitraffick",
        }
    ]


def test_a_stale_send_is_judged_by_its_heartbeat(app, db, queued):
    send = reload(db, PlatformSend, queued.id)
    send.state, send.started_at = SendState.RUNNING, utcnow() - timedelta(hours=1)
    send.heartbeat_at = utcnow()
    assert not trafficking.is_stale(send)
    send.heartbeat_at = utcnow() - timedelta(seconds=61)
    assert trafficking.is_stale(send)
    db.session.rollback()
    assert reload(db, Ticket, send.ticket_id).status is READY
