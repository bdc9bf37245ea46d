"""Configuration: an embedded SQLite default, PostgreSQL through DATABASE_URL."""

import os
import secrets
from pathlib import Path


def _instance_secret(instance_path: Path) -> str:
    """Return the embedded default's secret key, generating it once."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: Path, overrides: dict) -> dict:
    """Build the app config from the environment, then apply `overrides`."""
    database_url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{instance_path / 'omnitraffick.sqlite3'}"
    )
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    return {
        "SECRET_KEY": secret or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Failed logins allowed per account and per address inside the window.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
        "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
        "LOGIN_THROTTLE_WINDOW_SECONDS": 15 * 60,
        "PASSWORD_HASH_METHOD": "scrypt",
    } | overrides
