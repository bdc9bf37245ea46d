"""Users, passwords and login throttling."""

import math
import uuid
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginThrottle, Role, User, as_utc, utcnow
from . import sessions
from .errors import Duplicate, Throttled, ValidationError

MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = User.__table__.c.name.type.length


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    """Compared against when the email is unknown, so a miss costs what a wrong password
    costs: same method, same work factor."""
    return generate_password_hash("not a real password", method=method)


def normalize_email(email: str | None) -> str:
    email = (email or "").strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise ValidationError("Enter a valid email address.", "email")
    return email


def _clean_name(name: str | None) -> str:
    name = (name or "").strip()
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"Name must be at most {MAX_NAME_LENGTH} characters (this one has {len(name)}).",
            "name",
        )
    return name


def _check_password_rules(password: str | None, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.", field)


def create_user(email: str, password: str, role: Role | str, name: str = "") -> User:
    """Create a user with a hashed password."""
    email = normalize_email(email)
    name = _clean_name(name)
    try:
        role = Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ValidationError(f"Role must be one of: {choices}.", "role") from None
    _check_password_rules(password)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise Duplicate(f"A user with email {email} already exists.", "email")
    user = User(email=email, name=name, role=role, password_hash=_hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, name: str, role: Role | str, active: bool, acting: User) -> User:
    """Change a user's name, role or access; admins cannot lock themselves out.

    Taking access away ends the user's sessions, so giving it back later does not revive
    them.
    """
    name = _clean_name(name)
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError("Choose a valid role.", "role") from None
    if user.id == acting.id and (role is not Role.ADMIN or not active):
        raise ValidationError("You cannot remove your own admin access.", "role")
    if user.active and not active:
        sessions.revoke_all(user)
    user.name, user.role, user.active = name, role, active
    db.session.flush()
    return user


def set_password(user: User, password: str, *, keep_session: uuid.UUID | None = None) -> None:
    """Replace a user's password and end their sessions but `keep_session`.

    Whoever knew the old password may hold a session; only the one making the change
    (when it is the user's own) stays signed in.
    """
    _check_password_rules(password)
    user.password_hash = _hash(password)
    sessions.revoke_all(user, keep=keep_session)
    db.session.flush()


def change_own_password(
    user: User, current: str, new: str, *, keep_session: uuid.UUID | None
) -> None:
    """Let a signed-in user replace their password, proving they know the current one."""
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationError("That is not your current password.", "current_password")
    _check_password_rules(new, "new_password")
    set_password(user, new, keep_session=keep_session)


# Login throttling (OWASP Authentication and Credential Stuffing cheat sheets): failures are
# counted per account *and address*, so an attacker's failures never lock the owner out from
# an address that has not failed, and delays grow instead of locking for a fixed time.


_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _locked_pair(email: str, address: str) -> LoginThrottle:
    """The throttle row of this account and address, made if need be and locked until the
    transaction ends, so that concurrent attempts of one pair take turns (SQLite's
    BEGIN IMMEDIATE already serialises them)."""
    insert = _INSERT[db.session.get_bind().dialect.name]
    db.session.execute(
        insert(LoginThrottle)
        .values(id=uuid.uuid4(), email=email, address=address, failures=0, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["email", "address"])
    )
    return db.session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.email == email, LoginThrottle.address == address)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _forget_before(now: datetime, limits: dict) -> datetime:
    return now - timedelta(seconds=limits["LOGIN_FAILURE_MEMORY_SECONDS"])


def _failing_addresses(email: str, since: datetime) -> int:
    return db.session.scalar(
        select(func.count(LoginThrottle.id)).where(
            LoginThrottle.email == email,
            LoginThrottle.failures > 0,
            LoginThrottle.last_failure_at >= since,
        )
    )


def _seconds_to_wait(pair: LoginThrottle, now: datetime, limits: dict) -> int:
    """How long this pair must wait before its next attempt (0: it may try now)."""
    if pair.failures == 0:
        return 0  # never hold back an address that has not failed for this account
    free = limits["LOGIN_FREE_FAILURES"]
    under_attack = (
        _failing_addresses(pair.email, _forget_before(now, limits))
        >= limits["LOGIN_ATTACK_ADDRESSES"]
    )
    if under_attack:
        free = min(free, limits["LOGIN_FREE_FAILURES_UNDER_ATTACK"])
    beyond = pair.failures - free
    if beyond < 0:
        return 0
    # The exponent is bounded so a long attack cannot build a huge integer.
    delay = min(
        limits["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** min(beyond, 32),
        limits["LOGIN_MAX_DELAY_SECONDS"],
    )
    remaining = (as_utc(pair.last_failure_at) - now).total_seconds() + delay
    return math.ceil(remaining) if remaining > 0 else 0


def _in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def authenticate(email: str, password: str, address: str, *, limits: dict) -> User:
    """Return the user these credentials belong to, throttling repeated failures.

    `limits` holds the LOGIN_* settings. An account and address pair gets a few failures
    for free, then waits LOGIN_FIRST_DELAY_SECONDS, doubling with each further failure up
    to LOGIN_MAX_DELAY_SECONDS. While the account fails from many addresses, those
    addresses get fewer free failures. Unknown emails are throttled and hashed alike, so
    neither the answer nor its timing tells whether an account exists.
    """
    email = (email or "").strip().lower()[:254]
    address = (address or "unknown")[:64]
    now = utcnow()
    forget_before = _forget_before(now, limits)
    pair = _locked_pair(email, address)
    if pair.last_failure_at is not None and as_utc(pair.last_failure_at) < forget_before:
        pair.failures = 0
    wait = _seconds_to_wait(pair, now, limits)
    if wait:
        raise Throttled(
            "Too many failed sign-ins for this account from your address. "
            f"Wait {_in_words(wait)} and try again, or ask an admin to clear the sign-in "
            "throttle.",
            retry_after=wait,
        )
    method = current_app.config["PASSWORD_HASH_METHOD"]
    user = db.session.scalar(select(User).where(User.email == email))
    stored = user.password_hash if user is not None else _dummy_hash(method)
    if not check_password_hash(stored, password or "") or user is None or not user.active:
        pair.failures += 1
        pair.last_failure_at = now
        _forget_old_failures(forget_before)
        db.session.flush()
        raise ValidationError("Wrong email or password.")
    db.session.delete(pair)
    db.session.flush()
    return user


def _forget_old_failures(before: datetime) -> None:
    """Drop a batch of pairs whose last failure is older than the memory.

    SKIP LOCKED (PostgreSQL) leaves pairs that an attempt holds right now to a later
    attempt instead of waiting for them, which could deadlock two attempts.
    """
    stale = (
        select(LoginThrottle.id)
        .where(LoginThrottle.last_failure_at < before)
        .limit(100)
        .with_for_update(skip_locked=True)
    )
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.id.in_(stale)))


def recent_failures(user: User, *, limits: dict) -> tuple[int, int]:
    """Failed sign-ins for `user` the throttle still remembers, and from how many addresses."""
    since = _forget_before(utcnow(), limits)
    failures, addresses = db.session.execute(
        select(
            func.coalesce(func.sum(LoginThrottle.failures), 0), func.count(LoginThrottle.id)
        ).where(
            LoginThrottle.email == user.email,
            LoginThrottle.failures > 0,
            LoginThrottle.last_failure_at >= since,
        )
    ).one()
    return int(failures), addresses


def clear_throttle(user: User) -> int:
    """Forget every failed sign-in for `user`, from every address; returns how many."""
    failures = db.session.scalar(
        select(func.coalesce(func.sum(LoginThrottle.failures), 0)).where(
            LoginThrottle.email == user.email
        )
    )
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.email == user.email))
    return int(failures)
