"""Sending tickets to the platform sandbox over real HTTP: the round-trip a trafficker waits
for when jobs run inline, and what queueing costs the request when they run in threads."""

import threading
import time

from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from omnitraffick.demo import seed_demo
from omnitraffick.extensions import db
from omnitraffick.models import Channel, PlatformSend, SendState, Ticket, TicketStatus
from omnitraffick.sandbox import create_sandbox

from .common import measure, signed_in_client

CAMPAIGNS = 3000
SENDS = 60


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def run(app) -> None:
    server = make_server("127.0.0.1", 0, create_sandbox(), threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _run(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()


def _run(app, sandbox_url: str) -> None:
    app.config.update(PLATFORM_SANDBOX_URL=sandbox_url, JOBS="inline")
    seed_demo(CAMPAIGNS, 3)
    db.session.commit()
    ready = {
        code: list(
            db.session.scalars(
                select(Ticket.id)
                .join(Ticket.channel)
                .where(Ticket.status == TicketStatus.READY_FOR_API, Channel.api_identifier == code)
                .order_by(Ticket.id)
            )
        )
        for code in ("META", "TIKTOK", "GOOGLE")
    }
    db.session.remove()
    print(f"Sends to the sandbox ({', '.join(f'{k} {len(v)} ready' for k, v in ready.items())})")
    client = signed_in_client(app, "trafficker@omnitraffick.test")

    def sender(ids):
        queue = iter(ids)

        def send():
            ticket_id = next(queue)
            return client.post(f"/tickets/{ticket_id}/send", headers={"HX-Request": "true"})

        return send

    for code, label in (
        ("META", "Meta: minimum budgets + 2 lookups + campaign + ad set"),
        ("TIKTOK", "TikTok: 2 lookups + campaign + ad group"),
        ("GOOGLE", "Google: 3 lookups + budget, campaign, location"),
    ):
        measure(f"send round-trip, inline ({label})", sender(ready[code]), n=SENDS, warmup=5)

    # Thread mode: the request only queues; the jobs finish in the background.
    app.config["JOBS"] = "thread"
    rest = [i for ids in ready.values() for i in ids[SENDS + 5 :]]
    measure("send request, jobs in threads (queue only)", sender(rest), n=SENDS, warmup=5)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        active = db.session.scalar(
            select(db.func.count(PlatformSend.id)).where(
                PlatformSend.state.in_((SendState.QUEUED, SendState.RUNNING))
            )
        )
        db.session.commit()
        if not active:
            break
        time.sleep(0.1)
    failed = db.session.scalar(
        select(db.func.count(PlatformSend.id)).where(PlatformSend.state == SendState.FAILED)
    )
    print(f"  all background sends finished; {failed} failed", flush=True)
    db.session.remove()
