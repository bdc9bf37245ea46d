"""Trafficking: READY_FOR_API tickets go to their platforms' APIs and the ids come back.

    send = queue_send(ticket, actor=user)   # checks; the caller commits
    jobs.dispatch(SEND_JOB, send.id)        # Celery, a job thread, or inline (tests)
    run_send(send.id)                       # the job: requests, retries, results

Connections (live, sandbox or off) come from the environment: see connections.py.
"""

from ..send_state import abandon, active_send, is_sending, is_stale, send_is_fresh
from . import audit
from .connections import PLATFORMS, Connection, connection_for
from .sender import OBJECT_NAMES, Policy, run_send
from .sends import (
    SEND_JOB,
    connection_of,
    queue_send,
    ready_tickets,
    send_again,
    send_all_ready,
    start_send,
)

__all__ = [
    "audit",
    "SEND_JOB",
    "OBJECT_NAMES",
    "PLATFORMS",
    "Connection",
    "Policy",
    "abandon",
    "active_send",
    "connection_for",
    "connection_of",
    "is_sending",
    "is_stale",
    "queue_send",
    "ready_tickets",
    "run_send",
    "send_again",
    "send_all_ready",
    "send_is_fresh",
    "start_send",
]
