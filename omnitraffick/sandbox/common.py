"""Helpers the three platform stand-ins share."""

import json
import secrets
from datetime import UTC, datetime

from flask import current_app, g, has_app_context, request

from .store import Store


def current_store() -> Store:
    """The store of the sandbox app handling this request."""
    return current_app.extensions["omnitraffick_sandbox"]


def json_object_body() -> dict | None:
    """The request body parsed as a JSON object, or None when it is not one."""
    try:
        data = json.loads(request.get_data(as_text=True))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def record_created(identifier: str) -> None:
    """Note an object this request created, for the request log."""
    g.setdefault("created_ids", []).append(identifier)


def random_token(length: int = 22) -> str:
    """A random URL-safe string, like the trace and request ids the platforms send."""
    return secrets.token_urlsafe(length)[:length]


def utc_now() -> datetime:
    """Now, by the sandbox app's CLOCK when its config has one (tests freeze it)."""
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    return (clock() if clock else datetime.now(UTC)).astimezone(UTC)


def is_number(value: object) -> bool:
    """True for JSON numbers; JSON booleans are ints in Python and do not count."""
    return isinstance(value, int | float) and not isinstance(value, bool)
