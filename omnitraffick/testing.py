"""Throwaway databases and a server-like test client, for the test suite and the benchmarks."""

import uuid
from contextlib import contextmanager
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def temporary_database(base_url: str | None, folder: Path, *, durable: bool = True):
    """Yield the URL of a new, empty database.

    Without `base_url` it is a SQLite file in `folder`. With a PostgreSQL `base_url` a
    uniquely named database is created next to it and dropped afterwards, so two runs
    never collide. A database that need not be `durable` (the tests') does not wait for the
    disk at each commit; the benchmarks' does, as in production.
    """
    if not base_url:
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex}.sqlite3'}"
        return
    url = make_url(base_url)
    name = f"ot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        if not durable:  # the test suite's: its commits need not wait for the disk
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class RequestClient(FlaskClient):
    """A test client whose requests each run in their own app context, as under a server.

    Flask reuses an app context that is already active, and tests and benchmarks keep one
    open throughout: requests would share their database session and `g`, and a streamed
    body would be read from a session that a server has long closed. Here the app runs in a
    fresh app context that is popped (its session removed) as soon as the app returns its
    response, before the first byte of the body is read, as under gunicorn.
    """

    def run_wsgi_app(self, environ, buffered=False):
        app = self.application
        if self.preserve_context:  # `with client:` keeps the request's own contexts
            return super().run_wsgi_app(environ, buffered)

        def in_fresh_context(environ, start_response):
            with app.app_context():
                return app(environ, start_response)

        self.application = in_fresh_context
        try:
            return super().run_wsgi_app(environ, buffered)
        finally:
            self.application = app
