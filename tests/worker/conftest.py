"""Fixtures for the worker lane: a migrated database, Celery worker processes, the sandbox.

Every test in this folder is marked `worker` (`make test-worker` runs them). Workers and app
nodes are started exactly as production starts them (`flask worker`, gunicorn), against the
Redis at REDIS_URL (default redis://127.0.0.1:6379/0), on a queue of their own so runs never
collide. Heartbeats and Redis' visibility timeout are short here, so that a worker killed
mid-run is noticed in seconds rather than minutes.
"""

import os
import uuid
from pathlib import Path

import flask_migrate
import pytest
import redis

from omnitraffick.extensions import db as _db
from tests.conftest import make_test_app, temporary_database
from tests.processes import start_worker, stop

HERE = Path(__file__).resolve().parent
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Short enough to watch a takeover in a test, long enough for a send between heartbeats.
TIMINGS = {
    "SEND_BACKOFF_SECONDS": "0.05",
    "SEND_HEARTBEAT_SECONDS": "0.5",
    "SEND_HEARTBEAT_TIMEOUT_SECONDS": "3",
    "CELERY_VISIBILITY_TIMEOUT": "12",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.worker)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, sandbox_server):
    """A database, a Redis queue and the environment app nodes and workers share.

    Yields (app, env, folder): `app` queues through Celery like a web node; start workers
    and nodes with `env`; logs go to `folder`.
    """
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as err:
        pytest.fail(f"The worker lane needs Redis at {REDIS_URL}: {err}")
    queue = f"omnitraffick-test-{uuid.uuid4().hex[:8]}"
    folder = tmp_path_factory.mktemp("worker")
    with temporary_database(folder) as url:
        app = make_test_app(
            url,
            JOBS="celery",
            REDIS_URL=REDIS_URL,
            CELERY_QUEUE=queue,
            PLATFORM_SANDBOX_URL=sandbox_server,
            SEND_HEARTBEAT_TIMEOUT_SECONDS=float(TIMINGS["SEND_HEARTBEAT_TIMEOUT_SECONDS"]),
        )
        with app.app_context():
            flask_migrate.upgrade()
        env = {
            **{k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"},
            "FLASK_APP": "wsgi.py",
            "DATABASE_URL": url,
            "SECRET_KEY": "worker-lane",
            "REDIS_URL": REDIS_URL,
            "CELERY_QUEUE": queue,
            "PLATFORM_SANDBOX_URL": sandbox_server,
            **TIMINGS,
        }
        try:
            yield app, env, folder
        finally:
            with app.app_context():
                _db.engine.dispose()
            redis.Redis.from_url(REDIS_URL).delete(queue)


@pytest.fixture(scope="module")
def lane(cluster):
    """The app (queueing through Celery) and one running worker; yields (app, worker, log)."""
    app, env, folder = cluster
    log = folder / "worker.log"
    worker = start_worker(env, log)
    try:
        yield app, worker, log
    finally:
        stop(worker)


@pytest.fixture(autouse=True)
def db():
    """Override the suite's database fixture: the lane has its own database."""
    yield None
