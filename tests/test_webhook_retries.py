# The fixtures come from tests/test_notifications.py; tests name them as parameters.
# ruff: noqa: F811
"""The team webhook's retries go through the job runner: a try that the receiver may take
later (429, 5xx, no answer) ends its job and has the runner start a new one after a doubling
wait; each try is a row of its own, made once however often its job is handed out, and the
delivery log on the settings page lists every try.
"""

import threading

from omnitraffick import jobs
from omnitraffick.models import DeliveryAttempt, DeliveryState, NotificationDelivery, Role
from omnitraffick.services import deliveries
from tests.conftest import PASSWORD
from tests.html import parse
from tests.test_notifications import (  # noqa: F401 (fixtures)
    assign,
    bea,
    receiver,
    signed_in,
    ticket,
)


def the_delivery(db) -> NotificationDelivery:
    db.session.expire_all()
    [delivery] = db.session.query(NotificationDelivery).all()
    return delivery


def tries_of(db, delivery) -> list[tuple[int, int | None]]:
    rows = db.session.query(DeliveryAttempt).filter_by(delivery_id=delivery.id)
    return sorted((a.number, a.http_status) for a in rows)


def test_each_retry_is_a_new_job_started_after_a_doubling_wait(
    client, db, app, signed_in, bea, ticket, receiver, monkeypatch
):
    started = []
    dispatch = jobs.dispatch

    def spy(name, argument, *, delay=0):
        started.append((name, str(argument), delay))
        return dispatch(name, argument, delay=delay)

    monkeypatch.setattr(jobs, "dispatch", spy)
    receiver.answers = [503, 429, 200]
    signed_in()
    assign(client, ticket, bea)

    delivery = the_delivery(db)
    assert len(receiver.received) == 3
    assert (delivery.state, delivery.attempts, delivery.http_status) == (
        DeliveryState.SENT,
        3,
        200,
    )
    assert tries_of(db, delivery) == [(1, 503), (2, 429), (3, 200)]
    backoff = app.config["WEBHOOK_BACKOFF_SECONDS"]
    retries = [(arg, delay) for name, arg, delay in started if name == deliveries.RETRY_JOB]
    assert retries == [(f"{delivery.id}:2", backoff), (f"{delivery.id}:3", backoff * 2)]
    assert delivery.next_try_at is None


def test_a_retry_handed_out_twice_is_made_once(client, db, signed_in, bea, ticket, receiver):
    receiver.answers = [500, 200]
    signed_in()
    assign(client, ticket, bea)
    delivery = the_delivery(db)
    assert len(receiver.received) == 2

    # The broker hands the second try out again (a worker died before acknowledging it).
    deliveries.run_retry(f"{delivery.id}:2")
    db.session.commit()

    assert len(receiver.received) == 2
    assert tries_of(db, the_delivery(db)) == [(1, 500), (2, 200)]


def test_a_refusal_is_not_tried_again(client, db, signed_in, bea, ticket, receiver):
    receiver.answers = [400]
    signed_in()
    assign(client, ticket, bea)

    delivery = the_delivery(db)
    assert len(receiver.received) == 1
    assert delivery.state is DeliveryState.FAILED
    assert tries_of(db, delivery) == [(1, 400)]
    assert delivery.message.startswith("HTTP 400")


def test_a_webhook_turned_off_before_the_next_try_is_not_posted_to(
    client, db, signed_in, bea, ticket, receiver, monkeypatch
):
    # The runner holds the retry (as Celery's countdown or a timer would) until it is due.
    held = []
    dispatch = jobs.dispatch

    def hold(name, argument, *, delay=0):
        if name == deliveries.RETRY_JOB:
            held.append(str(argument))
            return None
        return dispatch(name, argument, delay=delay)

    monkeypatch.setattr(jobs, "dispatch", hold)
    receiver.answers = [503, 200]
    signed_in()
    assign(client, ticket, bea)
    waiting = the_delivery(db)
    assert waiting.state is DeliveryState.QUEUED and waiting.next_try_at is not None
    assert held == [f"{waiting.id}:2"]

    deliveries.save_webhook(None, active=False)
    db.session.commit()
    deliveries.run_retry(held[0])

    assert len(receiver.received) == 1
    delivery = the_delivery(db)
    assert delivery.state is DeliveryState.FAILED
    assert "turned off before the next try" in delivery.message


def test_the_thread_runner_starts_a_delayed_job_after_its_delay(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS", "thread")
    ran = threading.Event()
    monkeypatch.setitem(jobs.JOBS, "test-delayed", lambda argument: ran.set())

    jobs.dispatch("test-delayed", "x", delay=0.3)

    assert not ran.wait(0.1)  # not before its time
    assert ran.wait(10)


def test_the_settings_page_lists_every_try(client, db, signed_in, make_user, bea, ticket, receiver):
    receiver.answers = [502, 503, 504]
    signed_in()
    assign(client, ticket, bea)
    client.post("/logout")
    admin = make_user(Role.ADMIN, email="admin@example.com")
    client.post("/login", data={"email": admin.email, "password": PASSWORD})

    page = parse(client.get("/settings/webhook"))

    row = page.find("tr", cls="delivery-failed")
    tries = [li.text for li in row.find_all("li", cls="delivery-try")]
    assert len(tries) == 3
    for number, status in ((1, 502), (2, 503), (3, 504)):
        assert tries[number - 1].startswith(f"Try {number},")
        assert f"HTTP {status}" in tries[number - 1]
    assert "Gave up after 3 tries" in row.text
