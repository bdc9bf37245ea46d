"""The app's clock: what "now" is for QA and for requests built at send time.

Tests freeze it with `app.config["CLOCK"] = lambda: <aware datetime>`; outside an app (or
with no CLOCK configured) it is the machine's UTC time.
"""

from datetime import UTC, datetime

from flask import current_app, has_app_context


def now() -> datetime:
    """The current instant, aware, in UTC."""
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    moment = clock() if clock is not None else datetime.now(UTC)
    return moment.astimezone(UTC)
