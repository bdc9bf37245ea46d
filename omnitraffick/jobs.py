"""Background jobs: Celery workers through Redis, or threads inside the web process.

- `JOBS = "celery"` (the default when REDIS_URL is set): `dispatch` puts the job on the
  Redis queue and a separate worker runs it: `make worker` (or `flask worker`). Web
  processes and workers scale on their own machines; a job survives a web restart.

  A job is acknowledged only when it ends (`task_acks_late`). Workers run the prefork pool:
  when a pool process dies mid-send, the worker hands its job back to Redis at once
  (`task_reject_on_worker_lost` works with prefork, not with threads). When a whole worker
  dies (killed, or its machine gone), Redis hands its unacknowledged jobs to another
  worker after CELERY_VISIBILITY_TIMEOUT. Either way the next run finds the send RUNNING
  with a silent heartbeat and takes it over, resuming from the ids already returned and
  checking the platform by name before each create, so nothing is made twice. A job handed
  out while its first run is still alive (a send longer than the visibility timeout) finds
  a live heartbeat, looks again later, and lets the first run finish.
- `JOBS = "thread"` (the default without Redis): a small thread pool in each web process
  runs the job. Nothing else to start, but a job in flight is lost if the process stops;
  a send left unfinished that way is closed when someone sends the ticket again.
- `JOBS = "inline"`: the job runs before `dispatch` returns (tests).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from celery import Celery
from celery.signals import worker_process_init
from flask import Flask, current_app, g

from .extensions import db

log = logging.getLogger(__name__)

celery = Celery("omnitraffick", set_as_current=False)
celery.conf.update(
    task_ignore_result=True,
    # Acknowledged when it ends; a pool process that dies hands its job back (see above).
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
_executor: ThreadPoolExecutor | None = None


class Outcome(enum.Enum):
    """What a job's run came to."""

    DONE = "done"  # ran to its end, or found nothing left to do
    LOOK_AGAIN = "look again"  # another run holds the work and is alive: check back later


class DispatchError(Exception):
    """The job could not be queued (e.g. Redis is unreachable)."""


def init_app(app: Flask) -> None:
    if app.config["JOBS"] == "celery":
        if not app.config["REDIS_URL"]:
            raise RuntimeError("JOBS=celery needs REDIS_URL (e.g. redis://127.0.0.1:6379/0).")
        celery.conf.update(
            broker_url=app.config["REDIS_URL"],
            task_default_queue=app.config["CELERY_QUEUE"],
            # How long before Redis hands out again a job whose worker went silent.
            broker_transport_options={
                "visibility_timeout": app.config["CELERY_VISIBILITY_TIMEOUT"]
            },
            # Redis down: say so within a second or two instead of hanging the request.
            task_publish_retry_policy={
                "max_retries": 2,
                "interval_start": 0,
                "interval_step": 0.2,
                "interval_max": 0.5,
            },
            broker_connection_timeout=2,
        )
        celery.flask_app = app


# The jobs there are, by name; the app factory registers each one's function. This module
# runs them and knows nothing of what they do.
JOBS: dict[str, Callable[[str], Outcome | None]] = {}


# Called after every job run (e.g. to start the jobs that what it committed calls for).
AFTER_EACH: list[Callable[[], None]] = []


def register(name: str, run: Callable[[str], Outcome | None]) -> None:
    """Make `run(argument)` the job called `name`."""
    JOBS[name] = run


def after_each(callback: Callable[[], None]) -> None:
    """Call `callback()` after every job run, in the job's app context."""
    if callback not in AFTER_EACH:
        AFTER_EACH.append(callback)


@celery.task(name="omnitraffick.job")
def run_job(name: str, argument: str) -> None:
    """The Celery task: run one job inside the worker's Flask app."""
    app = celery.flask_app
    with app.app_context():
        try:
            result = _run(name, argument)
        finally:
            db.session.remove()
    if result is Outcome.LOOK_AGAIN:
        # Another run holds the work and is alive. Keep a job on the queue that looks again
        # once that run could have died, rather than trusting it to finish.
        run_job.apply_async(
            args=[name, argument],
            countdown=app.config["SEND_HEARTBEAT_TIMEOUT_SECONDS"],
            queue=app.config["CELERY_QUEUE"],
        )


@worker_process_init.connect
def _fresh_connections(**_):
    """A forked pool process must not share the parent's database connections."""
    if getattr(celery, "flask_app", None) is not None:
        with celery.flask_app.app_context():
            db.engine.dispose(close=False)


def dispatch(name: str, argument, *, delay: float = 0) -> None:
    """Start job `name` for `argument`; what it works on must already be committed.

    `delay`: start it that many seconds from now (a retry's backoff). Celery holds the job
    until then (`countdown`); the thread runner starts a timer; inline, the caller waits.
    """
    argument = str(argument)
    mode = current_app.config["JOBS"]
    if mode == "inline":
        if delay > 0:
            time.sleep(delay)
        _run(name, argument)
    elif mode == "thread":
        app = current_app._get_current_object()
        if delay > 0:
            timer = threading.Timer(delay, _pool().submit, (_run_in_app, app, name, argument))
            timer.daemon = True  # like a queued thread job, lost if the process stops
            timer.start()
        else:
            _pool().submit(_run_in_app, app, name, argument)
    else:
        try:
            run_job.apply_async(
                args=[name, argument],
                queue=current_app.config["CELERY_QUEUE"],
                countdown=delay if delay > 0 else None,
            )
        except Exception as err:  # kombu raises many kinds: all mean "not queued"
            log.exception("could not queue job %s %s", name, argument)
            raise DispatchError(
                "The job queue (Redis) could not be reached, so nothing was sent. "
                "Try again in a moment."
            ) from err


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="omnitraffick-job")
    return _executor


def _run_in_app(app: Flask, name: str, argument: str) -> None:
    with app.app_context():
        try:
            _run(name, argument)
        except Exception:
            log.exception("job %s %s crashed", name, argument)
        finally:
            db.session.remove()


def _run(name: str, argument: str) -> Outcome | None:
    # Jobs write; on SQLite they take the write lock at BEGIN like web writes (see __init__).
    g.sqlite_immediate = True
    try:
        return JOBS[name](argument)
    finally:
        for callback in AFTER_EACH:
            callback()
