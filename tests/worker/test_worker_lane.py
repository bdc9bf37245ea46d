"""A real Celery worker traffics tickets for all three platforms through Redis.

The app here only queues (JOBS=celery); every HTTP call to the sandbox is made by the
worker process, which also retries a server error along the way.
"""

import os
import signal
import time

import requests

from omnitraffick.extensions import db
from omnitraffick.models import (
    AttemptOutcome,
    Channel,
    RequestType,
    Role,
    SendAttempt,
    Ticket,
    TicketStatus,
)
from omnitraffick.services import reference, tokens, users
from omnitraffick.services.campaigns import create_campaign
from tests.processes import children

SETTINGS = {
    "objective": "TRAFFIC",
    "budget_type": "DAILY",
    "budget_amount": "250.00",
    "flight_start": "2027-05-01",
    "flight_end": "2027-05-31",
    "landing_url": "https://www.disney.com/moana",
    "initial_status": "PAUSED",
}


def wait_for(app, ids, timeout=90.0):
    """Wait until no ticket in `ids` is being sent; return them."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            rows = db.session.query(Ticket).filter(Ticket.id.in_(ids)).all()
            if all(t.sending_since is None for t in rows) or time.monotonic() > deadline:
                return {t.id: (t.status, t.external_platform_id, t.send_error) for t in rows}
        time.sleep(0.2)


def test_a_worker_traffics_tickets_for_every_platform(lane, sandbox_server):
    app, _, worker_log = lane
    requests.post(f"{sandbox_server}/_sandbox/reset", timeout=5).raise_for_status()
    # One server error on the way: the worker backs off and tries again.
    requests.post(
        f"{sandbox_server}/_sandbox/faults",
        json={"platform": "tiktok", "status": 500, "path_contains": "campaign/create"},
        timeout=5,
    ).raise_for_status()
    with app.app_context():
        user = users.create_user("lane@example.com", "worker lane password", Role.TRAFFICKER)
        _, token = tokens.create_token(user, "lane")
        brand = reference.create_brand(name="Disney", internal_code="DIS")
        market = reference.create_market(code="US", country="US", region="NA", currency="USD")
        channels = [
            reference.create_channel(platform_name=name, api_identifier=code)
            for name, code in (("Meta", "META"), ("TikTok", "TIKTOK"), ("Google Ads", "GOOGLE"))
        ]
        campaign = create_campaign(
            brand_id=brand.id,
            market_id=market.id,
            campaign_name="WorkerLane",
            year=2026,
            budget="9000",
        )
        creates = []
        for channel in channels:
            ticket = Ticket(
                campaign=campaign,
                channel=channel,
                request_type=RequestType.CREATE_CAMPAIGN,
                payload_config=dict(SETTINGS),
                status=TicketStatus.READY_FOR_API,
            )
            db.session.add(ticket)
            creates.append(ticket)
        db.session.commit()
        create_ids = [t.id for t in creates]
        channel_ids = [c.id for c in channels]
        campaign_id = campaign.id

    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    for ticket_id in create_ids:
        response = client.post(f"/api/v1/tickets/{ticket_id}/send", headers=auth)
        assert response.status_code == 202, response.text
        assert response.get_json()["state"] == "QUEUED"  # the worker, not this process, sends

    results = wait_for(app, create_ids)
    for status, platform_id, error in results.values():
        assert status is TicketStatus.TRAFFICKED_SUCCESS, error
        assert platform_id

    # Then a budget update on each platform, against the campaigns the creates made.
    with app.app_context():
        updates = []
        for channel_id in channel_ids:
            ticket = Ticket(
                campaign_id=campaign_id,
                channel_id=channel_id,
                request_type=RequestType.UPDATE_BUDGET,
                payload_config={"budget_type": "DAILY", "budget_amount": "400.00"},
                status=TicketStatus.READY_FOR_API,
            )
            db.session.add(ticket)
            updates.append(ticket)
        db.session.commit()
        update_ids = [t.id for t in updates]
    for ticket_id in update_ids:
        assert client.post(f"/api/v1/tickets/{ticket_id}/send", headers=auth).status_code == 202
    for status, _, error in wait_for(app, update_ids).values():
        assert status is TicketStatus.TRAFFICKED_SUCCESS, error

    objects = requests.get(f"{sandbox_server}/_sandbox/objects", timeout=5).json()
    assert len(objects["meta"]["campaigns"]) == 1
    assert int(objects["meta"]["campaigns"][0]["daily_budget"]) == 40000
    assert len(objects["tiktok"]["campaigns"]) == 1
    assert float(objects["tiktok"]["campaigns"][0]["budget"]) == 400
    assert len(objects["google"]["campaigns"]) == 1
    with app.app_context():
        retried = db.session.query(SendAttempt).filter_by(outcome=AttemptOutcome.RETRY).count()
    assert retried == 1
    assert "omnitraffick.job" in worker_log.read_text()


def test_a_pool_process_that_dies_mid_send_hands_its_job_back_at_once(lane, sandbox_server):
    """The prefork pool notices a dead process and gives its job back to the queue; the next
    run waits out the silent heartbeat, takes the send over and finishes it, once."""
    app, worker, worker_log = lane
    requests.post(f"{sandbox_server}/_sandbox/reset", timeout=5).raise_for_status()
    # The job hangs in its first call (the check for an existing campaign) ...
    requests.post(
        f"{sandbox_server}/_sandbox/faults",
        json={"platform": "meta", "method": "GET", "path_contains": "/campaigns", "delay": 45},
        timeout=5,
    ).raise_for_status()
    with app.app_context():
        user = users.create_user("pool@example.com", "worker lane password", Role.TRAFFICKER)
        _, token = tokens.create_token(user, "lane")
        brand = reference.create_brand(name="Pixar", internal_code="PIX")
        market = reference.create_market(code="JP", country="JP", region="APAC", currency="JPY")
        channel = db.session.query(Channel).filter_by(api_identifier="META").one()
        campaign = create_campaign(
            brand_id=brand.id,
            market_id=market.id,
            campaign_name="PoolDeath",
            year=2027,
            budget="1000000",
        )
        ticket = Ticket(
            campaign=campaign,
            channel=channel,
            request_type=RequestType.CREATE_CAMPAIGN,
            payload_config=dict(SETTINGS, budget_amount="25000"),
            status=TicketStatus.READY_FOR_API,
        )
        db.session.add(ticket)
        db.session.commit()
        ticket_id, name = ticket.id, ticket.platform_name

    response = app.test_client().post(
        f"/api/v1/tickets/{ticket_id}/send", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + 20
    while requests.get(f"{sandbox_server}/_sandbox/faults", timeout=5).json()["faults"]:
        assert time.monotonic() < deadline, "the job never reached the platform"
        time.sleep(0.1)

    # ... and the pool process running it is killed.
    for pid in children(worker.pid):
        os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()

    [(status, platform_id, error)] = wait_for(app, [ticket_id], timeout=60).values()
    assert status is TicketStatus.TRAFFICKED_SUCCESS, error
    # Back at once: no wait for Redis' visibility timeout (12 s here), only for the heartbeat.
    assert time.monotonic() - killed < 12
    objects = requests.get(f"{sandbox_server}/_sandbox/objects", timeout=5).json()
    assert [c["id"] for c in objects["meta"]["campaigns"] if c["name"] == name] == [platform_id]
    assert "taking over from a run whose heartbeat stopped" in worker_log.read_text()
