"""What a process keeps between requests, and the two numbers that say when it may not.

- **The reference stamp** counts the writes to the data every name is made of: brands,
  markets, channels, naming conventions and pick-lists. Database triggers add one to it in
  the transaction that writes them (migration 0024), whoever writes (the app, a migration,
  psql), so a reader sees the new count exactly when it sees the rows it counts.
  `reference(key, make)` keeps `make()`'s value in the app (one per process) while the count
  holds: a rename saved in one worker is read again by the next request of every other.
- **The commit marker** moves whenever a transaction that wrote anything ends, anywhere in
  the database (on PostgreSQL, anywhere on its server): PostgreSQL's current snapshot
  (`pg_current_snapshot()`: its xmax moves or its list of transactions in progress shrinks),
  or SQLite's `data_version` of this connection (moved by other connections' commits) with
  its `total_changes()` (this connection's own writes). `unchanged_since(key, make)` keeps
  `make()`'s value while the marker holds (in the app on PostgreSQL, on each connection on
  SQLite): the board's idle refresh answers from it without reading a ticket.

Both are read in the statement that loads a request's signed-in session
(`sessions.load` selects `columns()`): no request pays a round trip for them. They hold for
the transaction they were read in while it writes nothing: a flush, a bulk write, a commit or
a rollback of the session forgets them, and a transaction that wrote keeps nothing (its own
writes would count before they are committed, and may never be). Read again when forgotten,
in a statement of their own.
"""

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import Text, cast, event, false, func, literal_column, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import ReferenceStamp

_KEY = "stamps"  # in the session's info: (reference stamp, commit marker), or None: it wrote
_MEMO = "memo"  # in the app's extensions or a connection's info: {key: (marker, value)}
_COPIES = "reference_copies"  # in the app's extensions: {key: (stamp, value)}


def columns(dialect: str) -> tuple:
    """The numbers as columns of a select; `remember(*row)` takes them from its row: the
    reference stamp, the commit marker, and whether this transaction wrote."""
    stamp = select(ReferenceStamp.version).where(ReferenceStamp.id == 1).scalar_subquery()
    if dialect == "postgresql":
        marker = cast(func.pg_current_snapshot(), Text)
        # A transaction gets an id when it first writes; then nothing is kept (see above).
        wrote = func.pg_current_xact_id_if_assigned().is_not(None)
    else:
        version = (
            select(literal_column("data_version"))
            .select_from(func.pragma_data_version().table_valued("data_version"))
            .scalar_subquery()
        )
        marker = func.printf("%d|%d", version, func.total_changes())
        wrote = false()  # its own writes move total_changes(), so the marker says them
    return stamp.label("reference_stamp"), marker.label("commit_marker"), wrote.label("wrote")


def remember(reference_stamp: int | None, commit_marker: str, wrote: bool) -> None:
    """Keep the numbers a statement of this session read (with `columns()`) for its reads."""
    db.session.info[_KEY] = None if wrote else (reference_stamp, commit_marker)


def _current() -> tuple[int | None, str] | None:
    """The numbers this session's transaction may use, read now if forgotten; None while it
    has written."""
    if _KEY not in db.session.info:
        row = db.session.execute(select(*columns(db.engine.dialect.name))).one()
        remember(*row)
    return db.session.info[_KEY]


def reference(key, make: Callable[[], Any]):
    """`make()`'s value (built from reference rows only), kept in this process while the
    reference stamp holds."""
    current = _current()
    if current is None or current[0] is None:  # it wrote, or the stamp's row is gone
        return make()
    # One app per process, on one database.
    return _kept(current_app.extensions.setdefault(_COPIES, {}), key, current[0], make)


def unchanged_since(key, make: Callable[[], Any]):
    """`make()`'s value, kept while no write has been committed anywhere (and this connection
    has written nothing) since it was made: in the app on PostgreSQL, whose marker is the
    server's, on each database connection on SQLite, whose marker is the connection's."""
    current = _current()
    if current is None:
        return make()
    if db.engine.dialect.name == "postgresql":  # the server's snapshot: one for the app
        store = current_app.extensions.setdefault(_MEMO, {})
    else:  # SQLite's data_version is the connection's own
        store = db.session.connection().info.setdefault(_MEMO, {})
    return _kept(store, key, current[1], make)


def _kept(store: dict, key, token, make: Callable[[], Any]):
    """The value `store` keeps under `key` when it was made at `token`, else `make()`'s, kept."""
    found = store.get(key)
    if found is not None and found[0] == token:
        return found[1]
    value = make()
    store[key] = (token, value)
    return value


@event.listens_for(Session, "after_flush")
def _flushed(session, flush_context) -> None:
    session.info[_KEY] = None


@event.listens_for(Session, "do_orm_execute")
def _bulk_write(orm_execute_state) -> None:
    if not orm_execute_state.is_select:
        orm_execute_state.session.info[_KEY] = None


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_KEY, None)
