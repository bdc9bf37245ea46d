"""Signed-in sessions, kept on the server so that they can be listed and ended.

A session's secret travels in the Flask session cookie (and the remember-me cookie) as
Flask-Login's user id; the database keeps only its SHA-256 digest. Ending a session sets
`revoked_at`, after which every cookie that carries its secret is refused.
"""

import secrets
import uuid
from datetime import timedelta
from functools import cache

from sqlalchemy import Select, bindparam, func, select, update

from ..extensions import db
from ..models import User, UserSession, as_utc, utcnow
from . import stamps
from .tokens import digest

# "Last seen" is a hint for the user, not an audit log: writing it on every request would
# turn every page view into a write.
TOUCH_INTERVAL = timedelta(minutes=5)


def start(user: User, *, user_agent: str | None, address: str | None) -> UserSession:
    """Open a session for `user`; its secret is on `user.session_secret` for login_user()."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(
        user_id=user.id,
        digest=digest(secret),
        created_at=now,
        last_seen_at=now,
        # Shown to help tell sessions apart; longer user agents carry nothing more useful.
        user_agent=(user_agent or "")[:255],
        address=(address or "")[:64],
    )
    db.session.add(row)
    db.session.flush()
    user.session_secret, user.current_session_id = secret, row.id
    return row


@cache
def _live_session(dialect: str) -> Select:
    """The user and session of a secret's digest, with the numbers of services/stamps.py (built
    once: it runs on every request)."""
    return (
        select(User, UserSession, *stamps.columns(dialect))
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.digest == bindparam("digest"),
            UserSession.revoked_at.is_(None),
            User.active.is_(True),
        )
    )


def load(secret: str) -> User | None:
    """The active user whose live session has this secret, in one query; else None.

    Marks the session seen when it last was more than TOUCH_INTERVAL ago, which leaves the
    database session dirty for the caller to commit.
    """
    if not secret or len(secret) > 100:
        return None
    statement = _live_session(db.engine.dialect.name)
    found = db.session.execute(statement, {"digest": digest(secret)}).first()
    if found is None:
        return None
    user, row, *numbers = found
    stamps.remember(*numbers)
    user.session_secret, user.current_session_id = secret, row.id
    now = utcnow()
    if now - as_utc(row.last_seen_at) > TOUCH_INTERVAL:
        row.last_seen_at = now
    return user


def active_sessions(user: User) -> list[UserSession]:
    """The user's sessions that have not been ended, most recently seen first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
            .order_by(UserSession.last_seen_at.desc(), UserSession.id)
        )
    )


def count_active(user: User) -> int:
    return db.session.scalar(
        select(func.count(UserSession.id)).where(
            UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
        )
    )


def revoke(session_id: uuid.UUID | None) -> None:
    """End one session (a sign-out)."""
    if session_id is not None:
        db.session.execute(
            update(UserSession)
            .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all(user: User, *, keep: uuid.UUID | None = None) -> int:
    """End every session of `user` but `keep`; returns how many were ended."""
    stmt = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep)
    return db.session.execute(stmt).rowcount
