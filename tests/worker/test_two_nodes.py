"""Two app nodes and two workers against one database and one Redis; a worker dies mid-run.

The production shape in miniature: gunicorn serves the app twice, two `flask worker`
processes (the prefork pool) run the send jobs, all sharing the database and the Redis
queue. 200 tickets are sent at once through both app nodes; while they are being sent one
worker is killed outright, with all its processes, as when its machine goes away. Redis
hands that worker's jobs to the other after the visibility timeout, and the runs there take
over the sends whose heartbeat stopped. Every ticket must end Trafficked success or Failed
with a reason, and the sandbox must hold exactly one campaign per ticket.
"""

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from omnitraffick.extensions import db
from omnitraffick.models import (
    Channel,
    PlatformSend,
    RequestType,
    Role,
    SendState,
    Ticket,
    TicketStatus,
)
from omnitraffick.services import reference, tokens, users
from omnitraffick.services.campaigns import create_campaign
from tests.processes import kill_group, start_gunicorn, start_worker, stop

TICKETS = 200
SETTINGS = {
    "objective": "TRAFFIC",
    "budget_type": "DAILY",
    "budget_amount": "250.00",
    "flight_start": "2027-05-01",
    "flight_end": "2027-05-31",
    "landing_url": "https://www.disney.com/moana",
    "initial_status": "PAUSED",
}
NAME_KEYS = {"meta": "name", "tiktok": "campaign_name", "google": "name"}
PLATFORMS = {"META": "meta", "TIKTOK": "tiktok", "GOOGLE": "google"}
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture(scope="module")
def nodes(cluster):
    """Two gunicorn app nodes and two workers; yields (app, [url, url], [worker, worker])."""
    app, env, folder = cluster
    started = []
    try:
        urls = []
        for n in (1, 2):
            url, proc = start_gunicorn(env, folder / f"node{n}.log", workers=2)
            urls.append(url)
            started.append(proc)
        workers = [start_worker(env, folder / f"worker{n}.log") for n in (1, 2)]
        started += workers
        yield app, urls, workers, folder
    finally:
        for proc in started:
            stop(proc)


def make_tickets(app) -> tuple[str, list]:
    """200 READY CREATE tickets, each of its own campaign, over the three platforms."""
    with app.app_context():
        user = users.create_user("nodes@example.com", "two nodes password", Role.TRAFFICKER)
        _, token = tokens.create_token(user, "two nodes")
        brand = reference.create_brand(name="Disney", internal_code="DIS")
        market = reference.create_market(code="US", country="US", region="NA", currency="USD")
        channels = [
            reference.create_channel(platform_name=name, api_identifier=code)
            for name, code in (("Meta", "META"), ("TikTok", "TIKTOK"), ("Google Ads", "GOOGLE"))
        ]
        ids = []
        for i in range(TICKETS):
            campaign = create_campaign(
                brand_id=brand.id,
                market_id=market.id,
                campaign_name=f"Node{i:03d}",
                year=2027,
                budget="100000",
            )
            ticket = Ticket(
                campaign=campaign,
                channel=channels[i % 3],
                request_type=RequestType.CREATE_CAMPAIGN,
                payload_config=dict(SETTINGS),
                status=TicketStatus.READY_FOR_API,
            )
            db.session.add(ticket)
            ids.append(ticket)
        db.session.commit()
        return token, [t.id for t in ids]


def wait_until_settled(app, ids, timeout: float) -> list[tuple]:
    """Each ticket as (platform, platform name, status, send error) once all have settled."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            rows = db.session.query(Ticket).filter(Ticket.id.in_(ids)).all()
            settled = all(
                t.status in (TicketStatus.TRAFFICKED_SUCCESS, TicketStatus.FAILED) for t in rows
            )
            if settled or time.monotonic() > deadline:
                return [
                    (
                        PLATFORMS[db.session.get(Channel, t.channel_id).api_identifier],
                        t.platform_name,
                        t.status,
                        t.send_error,
                    )
                    for t in rows
                ]
        time.sleep(0.5)


def running_sends(app, log_path) -> set[str]:
    """The sends a worker's log says it started that are RUNNING now."""
    started = set(re.findall(rf"send ({UUID}): started", log_path.read_text()))
    if not started:
        return set()
    with app.app_context():
        running = db.session.scalars(
            select(PlatformSend.id).where(
                PlatformSend.id.in_([uuid.UUID(s) for s in started]),
                PlatformSend.state == SendState.RUNNING,
            )
        ).all()
        db.session.rollback()
    return {str(send_id) for send_id in running}


def test_two_nodes_send_200_tickets_while_a_worker_dies(nodes, sandbox_server):
    app, urls, workers, folder = nodes
    requests.post(f"{sandbox_server}/_sandbox/reset", timeout=5).raise_for_status()
    # Every create takes a moment, so the kill below lands while sends are running.
    requests.post(
        f"{sandbox_server}/_sandbox/faults",
        json={"method": "POST", "delay": 0.15, "times": 100_000},
        timeout=5,
    ).raise_for_status()
    token, ids = make_tickets(app)
    auth = {"Authorization": f"Bearer {token}"}

    def send(index_and_id):
        index, ticket_id = index_and_id
        base = urls[index % 2]  # both app nodes take sends
        return requests.post(f"{base}/api/v1/tickets/{ticket_id}/send", headers=auth, timeout=30)

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(send, enumerate(ids)))
    assert [a.status_code for a in answers] == [202] * TICKETS, {
        a.status_code: a.text for a in answers if a.status_code != 202
    }

    # Kill a worker while it is in the middle of sends, with most of them still to go. (On a
    # busy machine it may start after the other has already sent several, so wait for it.)
    doomed_log = folder / "worker1.log"
    deadline = time.monotonic() + 60
    while not running_sends(app, doomed_log):
        assert time.monotonic() < deadline, "the first worker never ran a send"
        time.sleep(0.02)
    kill_group(workers[0])
    orphaned = running_sends(app, doomed_log)  # a dead worker's sends stay RUNNING
    assert orphaned, "the first worker finished its sends before it was killed"

    rows = wait_until_settled(app, ids, timeout=240)
    settled = (TicketStatus.TRAFFICKED_SUCCESS, TicketStatus.FAILED)
    unsettled = [(name, status.value) for _, name, status, _ in rows if status not in settled]
    assert not unsettled, f"{len(unsettled)} tickets never settled: {unsettled[:5]}"
    no_reason = [
        name for _, name, status, error in rows if status is TicketStatus.FAILED and not error
    ]
    assert not no_reason, no_reason

    objects = requests.get(f"{sandbox_server}/_sandbox/objects", timeout=10).json()
    for platform, name, status, _ in rows:
        key = NAME_KEYS[platform]
        made = [c for c in objects[platform]["campaigns"] if c[key] == name]
        # Trafficked: exactly its one campaign. Failed: at most one, found again on a resend.
        wanted = {1} if status is TicketStatus.TRAFFICKED_SUCCESS else {0, 1}
        assert len(made) in wanted, (name, status.value, made)
    survivor_log = (folder / "worker2.log").read_text()
    taken_over = set(re.findall(rf"send ({UUID}): taking over from a run", survivor_log))
    assert orphaned <= taken_over, orphaned - taken_over
