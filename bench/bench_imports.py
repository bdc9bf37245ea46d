"""Spreadsheet import (dry run and import, 200 and 10,000 rows) and a bulk move of 500 tickets,
timed as one request each through the app, with the SQL statements each ran."""

import os
import time
from contextlib import contextmanager

from sqlalchemy import event, select

from omnitraffick.demo import seed_demo
from omnitraffick.extensions import db
from omnitraffick.models import Brand, Channel, Market, Ticket, TicketStatus, User
from omnitraffick.services import tokens

from .common import signed_in_client

SIZES = [int(n) for n in os.environ.get("BENCH_IMPORT_ROWS", "200,5000,10000").split(",")]
BULK_MOVE = int(os.environ.get("BENCH_BULK_MOVE", 500))
HEADER = "brand,market,year,campaign_name,budget,channel,objective,budget_type,budget_amount,"
HEADER += "flight_start,flight_end,landing_url"


@contextmanager
def counting():
    """Count the SQL statements run (one executemany counts once)."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def sheet(rows: int, tag: str, brands, markets, channels) -> bytes:
    lines = [HEADER]
    for n in range(rows):
        brand, market = brands[n % len(brands)], markets[n % len(markets)]
        channel = channels[n % len(channels)]
        lines.append(
            f"{brand},{market},2027,Bench {tag} {n},10000,{channel},AWARENESS,DAILY,100,"
            "2027-03-01,2027-03-31,https://example.com/landing"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def timed(label: str, call) -> object:
    with counting() as statements:
        start = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, (label, response.status_code, response.text[:300])
    print(f"  {label:<44} {elapsed:7.2f} s   {len(statements):>5} SQL statements", flush=True)
    return response


def run(app) -> None:
    seed_demo(300, 3)
    db.session.commit()
    brands = list(db.session.scalars(select(Brand.internal_code)))
    markets = list(db.session.scalars(select(Market.code).where(Market.currency != "JPY")))
    channels = list(db.session.scalars(select(Channel.api_identifier)))
    trafficker = db.session.scalar(select(User).where(User.email.startswith("trafficker@")))
    _, token = tokens.create_token(trafficker, "bench")
    db.session.commit()
    db.session.remove()
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    print("Spreadsheet import (API, CSV body, every row with a ticket)")
    for rows in SIZES:
        body = sheet(rows, str(rows), brands, markets, channels)

        def post(dry: str, body=body):
            return api.post(
                f"/api/v1/imports/campaigns?dry_run={dry}",
                data=body,
                content_type="text/csv",
                headers=headers,
            )

        timed(f"dry run, {rows:,} rows", lambda: post("true"))
        report = timed(f"import, {rows:,} rows", lambda: post("false")).get_json()
        assert report["summary"]["create"] == rows, report["summary"]
        again = timed(f"import again (all exist), {rows:,} rows", lambda: post("false"))
        assert again.get_json()["summary"]["exists"] == rows

    drafts = [
        str(ticket_id)
        for ticket_id in db.session.scalars(
            select(Ticket.id).where(Ticket.status == TicketStatus.DRAFT).limit(BULK_MOVE)
        )
    ]
    db.session.remove()
    client = signed_in_client(app, "trafficker@omnitraffick.test")
    print(f"Bulk move ({len(drafts)} Draft tickets to QA testing, QA run on each)")
    timed(
        f"bulk move of {len(drafts)} tickets",
        lambda: client.post(
            "/bulk/tickets",
            data={"ids": drafts, "action": "move", "to_status": "QA_TESTING", "origin": "board"},
        ),
    )
