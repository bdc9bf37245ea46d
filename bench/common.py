"""Shared benchmark plumbing: throwaway databases, a signed-in client, timing."""

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
from sqlalchemy import text

from omnitraffick import create_app
from omnitraffick.demo import seed_demo
from omnitraffick.extensions import db
from omnitraffick.testing import RequestClient, temporary_database

DEFAULT_PG = "postgresql+psycopg://root@127.0.0.1:5432/test"


def databases() -> list[tuple[str, str | None]]:
    """The databases to run against: SQLite always, PostgreSQL unless BENCH_SKIP_PG is set."""
    found = [("SQLite", None)]
    if not os.environ.get("BENCH_SKIP_PG"):
        found.append(("PostgreSQL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)))
    return found


@contextmanager
def bench_app(base_url: str | None) -> Iterator:
    """A migrated app on a fresh database, inside an app context."""
    with tempfile.TemporaryDirectory() as folder, temporary_database(base_url, Path(folder)) as url:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": url,
                "WTF_CSRF_ENABLED": False,
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            }
        )
        app.test_client_class = RequestClient  # each request in its own context, as served
        with app.app_context():
            flask_migrate.upgrade()
            yield app
            db.session.remove()
            db.engine.dispose()


def seed(n_campaigns: int, per_campaign: int) -> float:
    """Seed the demo data set (campaigns that exist are kept), then fresh planner statistics
    and, on PostgreSQL, a vacuum, as autovacuum (or SQLite's ANALYZE) would give a live
    database a minute later; the seconds it took."""
    start = time.perf_counter()
    seed_demo(n_campaigns, per_campaign)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # The visibility map lets index-only scans skip the table, as on a live database.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - start


def signed_in_client(app, email: str = "admin@omnitraffick.test", password="omnitraffick-demo"):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.status_code
    return client


def measure(label: str, request: Callable[[], object], n: int = 200, warmup: int = 10) -> dict:
    """Time `request` n times (after a warm-up) and print p50/p95 in milliseconds.

    Beside the wall-clock times it prints the median CPU time this process spent per request
    (the app's own work, without the database server's): on a machine other jobs share, the
    wall clock waits for the CPU, while the CPU time stays close to what the code costs.
    """
    for _ in range(warmup):
        request()
    times, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = request()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code < 400, (label, response.status_code)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    cpu_p50 = statistics.median(cpu)
    print(
        f"  {label:<44} n={n:<4} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
        f"   (app CPU p50 {cpu_p50:6.1f} ms)",
        flush=True,
    )
    return {"label": label, "p50": p50, "p95": p95, "cpu_p50": cpu_p50}
