"""Configuration: an embedded SQLite default, PostgreSQL through DATABASE_URL."""

import os
import secrets
import shlex
from pathlib import Path

from flask.helpers import get_debug_flag


def _instance_secret(instance_path: Path) -> str:
    """Return the embedded default's secret key, generating it once."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


# Platform credentials and endpoints, read from the environment only (never stored in the
# database, never shown): see services/trafficking/connections.py and the README.
PLATFORM_VARIABLES = (
    "META_ACCESS_TOKEN",
    "META_AD_ACCOUNT_ID",
    "META_PIXEL_ID",
    "META_APPLICATION_ID",
    "META_DSA_BENEFICIARY",
    "META_DSA_PAYOR",
    "META_PAGE_ID",
    "META_API_BASE_URL",
    "TIKTOK_ACCESS_TOKEN",
    "TIKTOK_ADVERTISER_ID",
    "TIKTOK_PIXEL_ID",
    "TIKTOK_IDENTITY_ID",
    "TIKTOK_IDENTITY_TYPE",
    "TIKTOK_API_BASE_URL",
    "GOOGLE_ADS_DEVELOPER_TOKEN",
    "GOOGLE_ADS_CLIENT_ID",
    "GOOGLE_ADS_CLIENT_SECRET",
    "GOOGLE_ADS_REFRESH_TOKEN",
    "GOOGLE_ADS_CUSTOMER_ID",
    "GOOGLE_ADS_LOGIN_CUSTOMER_ID",
    "GOOGLE_ADS_API_BASE_URL",
    "GOOGLE_ADS_TOKEN_URL",
)


# The fake credentials the local platform sandbox accepts, and that channels without
# credentials of their own send with when PLATFORM_SANDBOX_URL is set. They reach no real
# ad platform. (The sandbox reads them from here; the app never imports the sandbox.)
SANDBOX_CREDENTIALS = {
    "META": {
        "access_token": "sandbox-meta-token",
        "ad_account_id": "1000000001",
        "pixel_id": "2000000001",
        "application_id": "3000000001",
        "dsa_beneficiary": "OmniTraffick Sandbox",
        "dsa_payor": "OmniTraffick Sandbox",
        "page_id": "4000000001",
    },
    "TIKTOK": {
        "access_token": "sandbox-tiktok-token",
        "advertiser_id": "7000000000000000001",
        "pixel_id": "7100000000000000001",
        "identity_id": "7200000000000000001",
        "identity_type": "CUSTOMIZED_USER",
    },
    "GOOGLE": {
        "developer_token": "sandbox-developer-token",
        "client_id": "sandbox-client-id",
        "client_secret": "sandbox-client-secret",
        "refresh_token": "sandbox-refresh-token",
        "customer_id": "1234567890",
    },
}

# What the sandbox's OAuth token endpoint hands out. It never expires, so a client may
# also be configured with it directly and skip the token exchange.
SANDBOX_GOOGLE_ACCESS_TOKEN = "sandbox-google-access-token"


def _number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _trusted_proxies() -> int:
    """How many proxies in front of the app may set X-Forwarded-*; 0 trusts none."""
    value = os.environ.get("TRUSTED_PROXIES", "").strip()
    if not value:
        return 0
    if not (value.isascii() and value.isdigit()):
        raise RuntimeError(
            f"TRUSTED_PROXIES must be the number of proxies in front of the app (e.g. 1), "
            f"not {value!r}."
        )
    return int(value)


def load_config(instance_path: Path, overrides: dict) -> dict:
    """Build the app config from the environment, then apply `overrides`."""
    database_url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{instance_path / 'omnitraffick.sqlite3'}"
    )
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = os.environ.get("REDIS_URL") or None
    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    config = {
        "SECRET_KEY": secret or _instance_secret(instance_path),
        # `flask check-deploy` refuses a key kept in a file on one machine for PostgreSQL.
        "SECRET_KEY_FROM_INSTANCE": not secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Login throttling per account and address (services/users.py, README): free
        # failures, then a delay that doubles per failure up to the maximum; an account
        # failing from LOGIN_ATTACK_ADDRESSES addresses leaves those addresses fewer free
        # failures. Failures older than the memory are forgotten.
        "LOGIN_FREE_FAILURES": int(_number("LOGIN_FREE_FAILURES", 5)),
        "LOGIN_FIRST_DELAY_SECONDS": _number("LOGIN_FIRST_DELAY_SECONDS", 30.0),
        "LOGIN_MAX_DELAY_SECONDS": _number("LOGIN_MAX_DELAY_SECONDS", 15 * 60.0),
        "LOGIN_ATTACK_ADDRESSES": int(_number("LOGIN_ATTACK_ADDRESSES", 5)),
        "LOGIN_FREE_FAILURES_UNDER_ATTACK": int(_number("LOGIN_FREE_FAILURES_UNDER_ATTACK", 1)),
        "LOGIN_FAILURE_MEMORY_SECONDS": _number("LOGIN_FAILURE_MEMORY_SECONDS", 24 * 3600.0),
        "PASSWORD_HASH_METHOD": "scrypt",
        # Jobs: Celery workers through Redis when REDIS_URL is set ("celery"); otherwise a
        # small thread pool inside each web process ("thread"). Tests use "inline".
        "REDIS_URL": redis_url,
        "JOBS": os.environ.get("OMNITRAFFICK_JOBS") or ("celery" if redis_url else "thread"),
        "CELERY_QUEUE": os.environ.get("CELERY_QUEUE", "omnitraffick"),
        # A spreadsheet import (not its dry run) of more rows than this runs as a job.
        "IMPORT_JOB_ROWS": int(_number("IMPORT_JOB_ROWS", 1000)),
        # The creative library: where uploaded files are kept, the most one upload (all its
        # files together) may carry, and how many files one upload may hold.
        "CREATIVE_STORAGE_DIR": os.environ.get("CREATIVE_STORAGE_DIR")
        or str(instance_path / "creatives"),
        "CREATIVE_MAX_BYTES": int(_number("CREATIVE_MAX_BYTES", 200 * 1024 * 1024)),
        "CREATIVE_MAX_FILES": int(_number("CREATIVE_MAX_FILES", 20)),
        # Channels without credentials of their own send to this local platform sandbox.
        "PLATFORM_SANDBOX_URL": os.environ.get("PLATFORM_SANDBOX_URL") or None,
        # Sending: tries per request, backoff with jitter, the longest Retry-After honoured,
        # the HTTP timeout, and when a send that never finished counts as abandoned.
        "SEND_MAX_ATTEMPTS": int(_number("SEND_MAX_ATTEMPTS", 5)),
        "SEND_BACKOFF_SECONDS": _number("SEND_BACKOFF_SECONDS", 1.0),
        "SEND_BACKOFF_MAX_SECONDS": _number("SEND_BACKOFF_MAX_SECONDS", 30.0),
        "SEND_MAX_RETRY_AFTER_SECONDS": _number("SEND_MAX_RETRY_AFTER_SECONDS", 120.0),
        "SEND_TIMEOUT_SECONDS": _number("SEND_TIMEOUT_SECONDS", 30.0),
        "SEND_STALE_AFTER_SECONDS": _number("SEND_STALE_AFTER_SECONDS", 15 * 60.0),
        # A running send touches its heartbeat this often; silent this long, its worker is
        # gone and another delivery of the job takes it over (resuming, never repeating).
        "SEND_HEARTBEAT_SECONDS": _number("SEND_HEARTBEAT_SECONDS", 10.0),
        "SEND_HEARTBEAT_TIMEOUT_SECONDS": _number("SEND_HEARTBEAT_TIMEOUT_SECONDS", 60.0),
        # Redis hands an unacknowledged job to another worker after this long: a worker
        # killed outright (not just one of its processes) gives its jobs back then.
        "CELERY_VISIBILITY_TIMEOUT": _number("CELERY_VISIBILITY_TIMEOUT", 300.0),
        # Notification email: the SMTP server (none: no email is sent), its account, and
        # STARTTLS (or SMTP_SSL for a TLS-only port); MAIL_FROM is the sender.
        "SMTP_HOST": os.environ.get("SMTP_HOST") or None,
        "SMTP_PORT": int(_number("SMTP_PORT", 587)),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS"),
        "SMTP_SSL": _flag("SMTP_SSL"),
        "SMTP_TIMEOUT_SECONDS": _number("SMTP_TIMEOUT_SECONDS", 10.0),
        "MAIL_FROM": os.environ.get("MAIL_FROM") or "OmniTraffick <no-reply@omnitraffick.invalid>",
        # Links in emails and webhook messages start with this (e.g. https://ads.example.com).
        "PUBLIC_URL": (os.environ.get("PUBLIC_URL") or "").rstrip("/") or None,
        # The workspace webhook: tries per notification, the wait before the second (doubling),
        # and how long to wait for the receiver.
        "WEBHOOK_MAX_ATTEMPTS": int(_number("WEBHOOK_MAX_ATTEMPTS", 3)),
        "WEBHOOK_BACKOFF_SECONDS": _number("WEBHOOK_BACKOFF_SECONDS", 2.0),
        "WEBHOOK_TIMEOUT_SECONDS": _number("WEBHOOK_TIMEOUT_SECONDS", 10.0),
        **{name: os.environ.get(name) or None for name in PLATFORM_VARIABLES},
        # Behind proxies: how many may set X-Forwarded-For/-Proto/-Host (0: ignore them).
        "TRUSTED_PROXIES": _trusted_proxies(),
    } | overrides
    # Session and remember-me cookies go over HTTPS only, unless the app runs for
    # development or tests, or plain-http serving is asked for (`make run` on 127.0.0.1).
    insecure = (
        _flag("OMNITRAFFICK_INSECURE_COOKIES")
        or config.get("TESTING")
        or config.get("DEBUG", get_debug_flag())
    )
    config.setdefault("SESSION_COOKIE_SECURE", not insecure)
    config.setdefault("REMEMBER_COOKIE_SECURE", config["SESSION_COOKIE_SECURE"])
    # A database server may have closed a pooled connection (a restart): each is tested
    # before use. A SQLite file has no server to lose.
    config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        {"pool_pre_ping": not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")},
    )
    return config


# --- what `flask check-deploy` refuses ------------------------------------------------------

MIN_SECRET_LENGTH = 32


def gunicorn_workers(environ: dict) -> int | None:
    """The worker count gunicorn will use, as far as the environment tells: WEB_CONCURRENCY,
    or -w/--workers in GUNICORN_CMD_ARGS (the command line wins, as in gunicorn)."""
    args = shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    for n, arg in enumerate(args):
        value = None
        if arg in ("-w", "--workers") and n + 1 < len(args):
            value = args[n + 1]
        elif arg.startswith("--workers="):
            value = arg.removeprefix("--workers=")
        elif arg.startswith("-w") and arg[2:].isdigit():
            value = arg[2:]
        if value is not None and value.isdigit():
            return int(value)
    value = environ.get("WEB_CONCURRENCY", "").strip()
    return int(value) if value.isdigit() else None


def deploy_problems(config: dict, *, workers: int, behind_proxy: bool) -> list[str]:
    """Why this configuration is unsafe to serve in production; empty when it is not."""
    problems = []
    if config.get("DEBUG"):
        problems.append(
            "Debug mode is on (FLASK_DEBUG): an error page would let anyone run code on the "
            "server. Unset FLASK_DEBUG."
        )
    if config.get("TESTING"):
        problems.append("TESTING is on: errors propagate instead of answering. Turn it off.")
    if not config.get("WTF_CSRF_ENABLED", True):
        problems.append("CSRF protection is off (WTF_CSRF_ENABLED). Turn it on.")
    postgres = config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    if config.get("SECRET_KEY_FROM_INSTANCE") and postgres:
        problems.append(
            "SECRET_KEY is not set: the key generated into instance/secret_key is different on "
            "every machine that serves the PostgreSQL database, so sessions break between "
            "them. Set SECRET_KEY, e.g. python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    elif len(config.get("SECRET_KEY") or "") < MIN_SECRET_LENGTH:
        problems.append(
            f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters: sessions could be "
            "forged. Set a long random one, e.g. secrets.token_hex(32)."
        )
    if not postgres and workers > 1:
        problems.append(
            f"SQLite under {workers} gunicorn workers: every writer queues for one file lock "
            "and times out under load. Use PostgreSQL (DATABASE_URL), or one worker."
        )
    insecure = [
        name
        for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY")
        if not config.get(name)
    ]
    if insecure:
        problems.append(
            f"Cookies are not protected ({', '.join(insecure)} off): the session could travel "
            "over plain http or be read by scripts. Unset OMNITRAFFICK_INSECURE_COOKIES and "
            "serve over HTTPS."
        )
    if behind_proxy and not config.get("TRUSTED_PROXIES"):
        problems.append(
            "Behind a proxy without TRUSTED_PROXIES: every client looks like the proxy (one "
            "login throttle for everyone) and HTTPS is not recognised. Set TRUSTED_PROXIES to "
            "the number of proxies in front of the app, e.g. 1."
        )
    return problems
