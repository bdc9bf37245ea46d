"""Users, passwords and login throttling."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginFailure, Role, User, utcnow
from .errors import Duplicate, Throttled, ValidationError

MIN_PASSWORD_LENGTH = 8


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


# Compared against when the email is unknown, so a miss takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


def normalize_email(email: str | None) -> str:
    email = (email or "").strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise ValidationError("Enter a valid email address.", "email")
    return email


def create_user(email: str, password: str, role: Role | str, name: str = "") -> User:
    """Create a user with a hashed password."""
    email = normalize_email(email)
    try:
        role = Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ValidationError(f"Role must be one of: {choices}.", "role") from None
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters.", "password"
        )
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise Duplicate(f"A user with email {email} already exists.", "email")
    user = User(email=email, name=name.strip(), role=role, password_hash=_hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str, address: str, *, limits: dict) -> User:
    """Return the user these credentials belong to, throttling repeated failures.

    `limits` holds the LOGIN_* settings. Failures are counted per account and per address
    over a sliding window, so neither guessing one password nor spraying many accounts
    from one address gets far.
    """
    email = (email or "").strip().lower()
    since = utcnow() - timedelta(seconds=limits["LOGIN_THROTTLE_WINDOW_SECONDS"])
    recent = select(func.count(LoginFailure.id)).where(LoginFailure.created_at >= since)
    by_account = db.session.scalar(recent.where(LoginFailure.email == email))
    by_address = db.session.scalar(recent.where(LoginFailure.address == address))
    if (
        by_account >= limits["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or by_address >= limits["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        minutes = limits["LOGIN_THROTTLE_WINDOW_SECONDS"] // 60
        raise Throttled(
            f"Too many failed logins. Wait {minutes} minutes before trying again, "
            "or ask an admin to reset your password."
        )
    user = db.session.scalar(select(User).where(User.email == email))
    stored = user.password_hash if user is not None else _DUMMY_HASH
    if not check_password_hash(stored, password or "") or user is None or not user.active:
        db.session.add(LoginFailure(email=email[:254], address=address[:64]))
        db.session.flush()
        raise ValidationError("Wrong email or password.")
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    return user


def update_user(user: User, *, name: str, role: Role | str, active: bool, acting: User) -> User:
    """Change a user's name, role or access; admins cannot lock themselves out."""
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError("Choose a valid role.", "role") from None
    if user.id == acting.id and (role is not Role.ADMIN or not active):
        raise ValidationError("You cannot remove your own admin access.", "role")
    user.name, user.role, user.active = (name or "").strip()[:120], role, active
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Replace a user's password."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters.", "password"
        )
    user.password_hash = _hash(password)
    db.session.flush()
