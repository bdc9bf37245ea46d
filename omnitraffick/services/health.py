"""Readiness: can this process serve requests, i.e. do the services it needs answer?"""

import logging

import redis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

log = logging.getLogger(__name__)
# A probe that waits longer than a load balancer's check is no use to it.
TIMEOUT_SECONDS = 2.0


def database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as err:
        log.warning("readiness: the database does not answer: %s", getattr(err, "orig", err))
        db.session.rollback()
        return False
    return True


def redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError) as err:
        log.warning("readiness: Redis does not answer: %s", err)
        return False
    finally:
        client.close()


def readiness(redis_url: str | None) -> dict[str, bool]:
    """Whether each service the app needs answers: the database, and Redis when jobs go
    through it (REDIS_URL)."""
    checks = {"database": database_answers()}
    if redis_url:
        checks["redis"] = redis_answers(redis_url)
    return checks
