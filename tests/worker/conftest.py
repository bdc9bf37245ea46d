"""Fixtures for the worker lane: a migrated database, a Celery worker process, the sandbox.

Every test in this folder is marked `worker` (`make test-worker` runs them). The worker is
started exactly as production starts it (`flask worker`), against the Redis at REDIS_URL
(default redis://127.0.0.1:6379/0), on a queue of its own so runs never collide.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import flask_migrate
import pytest
import redis

from omnitraffick.extensions import db as _db
from tests.conftest import make_test_app, temporary_database

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.worker)


@pytest.fixture(scope="session")
def lane(tmp_path_factory, sandbox_server):
    """The app (queueing through Celery) and a running worker sharing one database."""
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
        )
        with app.app_context():
            flask_migrate.upgrade()
        env = {
            **os.environ,
            "FLASK_APP": "wsgi.py",
            "DATABASE_URL": url,
            "SECRET_KEY": "worker-lane",
            "REDIS_URL": REDIS_URL,
            "CELERY_QUEUE": queue,
            "PLATFORM_SANDBOX_URL": sandbox_server,
            "SEND_BACKOFF_SECONDS": "0.05",
        }
        log = (folder / "worker.log").open("w")
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "--concurrency", "4"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield app, folder / "worker.log"
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            log.close()
            with app.app_context():
                _db.engine.dispose()
            redis.Redis.from_url(REDIS_URL).delete(queue)


@pytest.fixture(autouse=True)
def db():
    """Override the suite's database fixture: the lane has its own database."""
    yield None
