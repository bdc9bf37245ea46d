"""Personal API tokens: created once, shown once, stored as digests, revocable."""

import hashlib
import secrets
from datetime import UTC, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import ApiToken, User, utcnow
from .errors import NotFound, ValidationError

PREFIX = "ot_"


def digest(token: str) -> str:
    """The SHA-256 hex digest stored in place of a secret (API tokens, sessions)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the token itself (shown only now)."""
    name = (name or "").strip() or "API token"
    if len(name) > 100:
        raise ValidationError("Token name must be at most 100 characters.", "name")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, name=name, digest=digest(token), prefix=token[:10])
    db.session.add(row)
    db.session.flush()
    return row, token


@cache
def _live_token() -> Select:
    """The live token of a digest with its user, in one statement (built once: every API
    request runs it)."""
    return (
        select(ApiToken)
        .options(joinedload(ApiToken.user, innerjoin=True))
        .where(ApiToken.digest == bindparam("digest"), ApiToken.revoked_at.is_(None))
    )


def authenticate(token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(_live_token(), {"digest": digest(token)})
    if row is None or not row.user.active:
        return None
    now = utcnow()
    last = row.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    # Note use now and then, not on every call: a read should rarely have to write.
    if last is None or now - last > timedelta(minutes=10):
        row.last_used_at = now
    return row.user


def user_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
        )
    )


def revoke_token(user: User, token_id) -> ApiToken:
    """Revoke one of the user's own tokens."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound("No such token.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db.session.flush()
    return row
