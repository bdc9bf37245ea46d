"""Throwaway databases for the test suite and the benchmarks."""

import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def temporary_database(base_url: str | None, folder: Path):
    """Yield the URL of a new, empty database.

    Without `base_url` it is a SQLite file in `folder`. With a PostgreSQL `base_url` a
    uniquely named database is created next to it and dropped afterwards, so two runs
    never collide.
    """
    if not base_url:
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex}.sqlite3'}"
        return
    url = make_url(base_url)
    name = f"ot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
