"""The kanban board and a move round-trip with 20,000 tickets."""

import os

from sqlalchemy import func, select

from omnitraffick.extensions import db
from omnitraffick.models import Brand, Ticket, TicketStatus
from omnitraffick.services import board_settings

from .common import measure, seed, signed_in_client

TICKETS = int(os.environ.get("BENCH_TICKETS", 20_000))
PER_CAMPAIGN = 3


def run(app) -> None:
    took = seed(TICKETS // PER_CAMPAIGN, PER_CAMPAIGN)
    total = db.session.scalar(select(func.count(Ticket.id)))
    print(f"Board ({total:,} tickets, seeded in {took:.1f} s)")
    brand = db.session.scalar(select(Brand).where(Brand.internal_code == "DIS"))
    drafts = db.session.execute(
        select(Ticket.id, Ticket.version).where(Ticket.status == TicketStatus.DRAFT).limit(430)
    ).all()
    db.session.remove()
    client = signed_in_client(app, "trafficker@omnitraffick.test")
    filtered = f"/board/?brand={brand.id}&q=summer"
    measure("board", lambda: client.get("/board/"))
    measure("board, htmx refresh", lambda: client.get("/board/", headers={"HX-Request": "true"}))
    measure("board, filtered (brand + text)", lambda: client.get(filtered))

    moves = iter(drafts)

    def move():
        ticket_id, version = next(moves)
        return client.post(
            f"/tickets/{ticket_id}/move",
            data={"to_status": "QA_TESTING", "version": version, "board": ""},
            headers={"HX-Request": "true"},
        )

    measure("move round-trip (DRAFT -> QA_TESTING)", move, n=200, warmup=10)

    # WIP limits on every column (soft, so the moves still go through), and swimlanes.
    for status in TicketStatus:
        board_settings.set_wip_limit(status, 5_000, hard=False)
    db.session.commit()
    db.session.remove()
    measure("board with WIP limits", lambda: client.get("/board/"))
    measure("board with WIP limits, filtered", lambda: client.get(filtered))
    measure("board, swimlanes by market", lambda: client.get("/board/?lanes=market"))
    measure("move round-trip with WIP limits", move, n=200, warmup=10)
