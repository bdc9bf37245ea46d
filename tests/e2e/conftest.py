"""Fixtures for the browser suite: the real app under gunicorn, Chromium, logged-in pages.

Every test in this folder is marked `e2e` (`make e2e` runs them, `make test` skips them).
The app runs against its own temporary SQLite file, so these tests never touch the
database the rest of the suite uses.
"""

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests import processes

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

ADMIN_EMAIL = "admin@e2e.test"
VIEWER_EMAIL = "viewer@e2e.test"
PASSWORD = "e2e-password-1"
USERS = {"admin": ADMIN_EMAIL, "trafficker": "trafficker@e2e.test", "viewer": VIEWER_EMAIL}


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/e2e as `e2e`."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def db():
    """Override the suite's database fixture: the live server has its own database."""
    yield None


def _flask(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def live_db(tmp_path_factory) -> Path:
    """The SQLite file the live server uses."""
    return tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"


@pytest.fixture(scope="session")
def live_sandbox(live_db: Path) -> Iterator[str]:
    """The platform sandbox as `make run` starts it, on a free port; yields its URL."""
    url, proc = processes.start_sandbox(live_db.parent / "sandbox.log")
    yield url
    processes.stop(proc)


@pytest.fixture(scope="session")
def live_server(live_db: Path, server_log: Path, live_sandbox: str) -> Iterator[str]:
    """Serve the app with gunicorn on a free port, sending to the sandbox; yield its URL."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TEST_DATABASE_URL", "REDIS_URL")
        and not key.startswith(("META_", "TIKTOK_", "GOOGLE_ADS_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{live_db}",
        SECRET_KEY="e2e-secret-key-not-for-production",
        FLASK_APP="wsgi.py",
        PLATFORM_SANDBOX_URL=live_sandbox,
        CREATIVE_STORAGE_DIR=str(live_db.parent / "creatives"),
        # Served over plain http, as `make run` is: cookies cannot be HTTPS-only.
        OMNITRAFFICK_INSECURE_COOKIES="1",
    )
    _flask(env, "db", "upgrade")
    for role, email in USERS.items():
        _flask(env, "users", "create", email, "--role", role, "--password", PASSWORD)

    base_url, proc = processes.start_gunicorn(env, server_log, workers=2, access_log=True)
    yield base_url
    processes.stop(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server_log(live_db: Path) -> Path:
    """Where gunicorn writes its output (access log and tracebacks)."""
    return live_db.parent / "gunicorn.log"


@pytest.fixture
def page(browser: Browser, live_server: str, server_log: Path) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page.

    A JavaScript error, anything the Content-Security-Policy blocked, or a 5xx answer from the
    server fails the test: users never see either.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(f"JavaScript error: {err}"))
    page.on(
        "console",
        lambda msg: (
            "Content Security Policy" in msg.text and problems.append(f"CSP violation: {msg.text}")
        ),
    )
    page.on(
        "response",
        lambda r: r.status >= 500 and problems.append(f"{r.status} {r.request.method} {r.url}"),
    )
    yield page
    context.close()
    assert not problems, "\n".join([*problems, "server log tail:", processes.tail(server_log)])


@pytest.fixture
def login(page: Page) -> Callable[[str], Page]:
    """Sign in on `page` as "admin" or "viewer", landing on the Markets page."""

    def log_in(role: str = "admin") -> Page:
        page.goto("/login?next=/markets/")
        page.get_by_label("Email").fill(USERS[role])
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Markets", level=1)).to_be_visible()
        return page

    return log_in


@pytest.fixture
def live_sql(live_db: Path) -> Callable[..., list[tuple]]:
    """Run one SQL statement on the live server's database (for rows the UI cannot make)."""

    def run(sql: str, params: tuple = ()) -> list[tuple]:
        conn = sqlite3.connect(live_db, timeout=10)
        try:
            with conn:
                rows = conn.execute(sql, params).fetchall()
        finally:
            conn.close()
        return rows

    return run


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Page, str], Path]:
    """Save a full-page screenshot to test-artifacts/NAME.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def shoot(page: Page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return shoot
