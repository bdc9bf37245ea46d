"""Helpers shared by test files that are not fixtures."""

import time
import uuid

from sqlalchemy import insert, text

from omnitraffick.models import (
    Campaign,
    PlatformSend,
    ReferenceStamp,
    RequestType,
    SendState,
    Ticket,
    TicketStatus,
)

# An id no row has: fixed, so that every test worker collects the same parametrized tests.
UNKNOWN_ID = uuid.UUID("5a1e0000-0000-4000-8000-000000000404")


def empty_tables(engine, metadata) -> None:
    """Delete every row of every table, children first, in one transaction and one round trip
    (a statement each would cost a test more than most tests take).

    The reference stamp's one row stays: it counts writes, and the deletes count too (a
    process's copy of the reference data made in one test is not used in the next).
    """
    quote = engine.dialect.identifier_preparer.quote
    deletes = "".join(
        f"DELETE FROM {quote(t.name)};"
        for t in reversed(metadata.sorted_tables)
        if t.name != ReferenceStamp.__tablename__
    )
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":  # its driver runs one statement per execute() call
            conn.connection.driver_connection.executescript(f"BEGIN;{deletes}COMMIT;")
        else:
            conn.exec_driver_sql(deletes)
            conn.commit()


def wait_for_lock_waiter(engine, timeout: float = 10.0) -> bool:
    """On PostgreSQL, wait until another session of this database waits on a lock; say if one did.

    The barrier for race tests: session A holds a row or index entry and B's statement queues
    behind it. Only then does A commit, so B's wait is certain rather than hoped for after a
    sleep. SQLite has no such view (a writer there queues at BEGIN): answers False at once.
    """
    if engine.dialect.name != "postgresql":
        return False
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            if conn.execute(query).scalar():
                return True
            conn.rollback()
            time.sleep(0.01)
    return False


def insert_campaigns_with_tickets(db, rows: list[dict], channel) -> None:
    """Insert campaign `rows` and two CREATE_CAMPAIGN tickets each on `channel`, their statuses
    cycling through the workflow: one INSERT per table, so hundreds of rows take milliseconds."""
    statuses = list(TicketStatus)
    db.session.execute(insert(Campaign), rows)
    tickets = [
        {
            "id": uuid.uuid4(),
            "campaign_id": row["id"],
            "channel_id": channel.id,
            "request_type": RequestType.CREATE_CAMPAIGN,
            "payload_config": {},
            "status": statuses[(k + j) % len(statuses)],
        }
        for k, row in enumerate(rows)
        for j in range(2)
    ]
    db.session.execute(insert(Ticket), tickets)
    db.session.commit()


def sending(db, ticket, requested_at, state=SendState.QUEUED, **fields) -> PlatformSend:
    """A send of `ticket` requested at `requested_at`, in `state`, holding the ticket as a
    real one does (to a sandbox no one listens on), committed."""
    send = PlatformSend(
        ticket=ticket,
        campaign_id=ticket.campaign_id,
        channel_id=ticket.channel_id,
        requested_at=requested_at,
        state=state,
        target="sandbox",
        base_url="http://127.0.0.1:1",
        **fields,
    )
    db.session.add(send)
    ticket.sending_since = requested_at
    db.session.commit()
    return send
