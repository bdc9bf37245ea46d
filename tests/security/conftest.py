"""Fixtures for the hardening tests: fresh user loading per request, a controlled clock."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import g, request_started

from omnitraffick.services import sessions, users
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def fresh_g_per_request(app):
    """Start every request with an empty `g`, as production does.

    The suite's requests share the test's app context, so Flask-Login would reuse the user
    it cached in `g` (another client's, or one since signed out) and Flask-WTF the CSRF
    token of another client.
    """

    def forget(sender, **extra):
        for name in list(g):
            g.pop(name)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)


class Clock:
    """The time the session and throttle services see; moved only by the test."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    for module in (users, sessions):
        monkeypatch.setattr(module, "utcnow", clock)
    return clock


def sign_in(client, email, password=PASSWORD, address="198.51.100.7", user_agent=None, **data):
    """POST the login form from `address` (and browser `user_agent`); returns the response."""
    return client.post(
        "/login",
        data={"email": email, "password": password, **data},
        environ_base={"REMOTE_ADDR": address},
        headers={"User-Agent": user_agent} if user_agent else None,
    )
