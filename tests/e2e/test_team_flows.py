"""Two people on one board, in two browsers: Ann (admin) hands a ticket to Bea (trafficker)
with a comment that mentions her; Bea's bell rings within the refresh, the email reaches a
real local SMTP server and the webhook a local receiver; Bea sends the ticket to QA, it
fails and the card says why; she fixes it, it is trafficked, and Ann hears. A saved view
with swimlanes by market survives a reload; WIP limits show on the column heads.

This module runs its own server (the suite's shares one without SMTP), with email going to
aiosmtpd and the workspace webhook to a receiver in this process.
"""

import json
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect

from tests import processes

from .conftest import ARTIFACTS, PASSWORD, USERS, _flask
from .test_board_flows import card, make_board, set_settings, valid_settings

BEA = "bea@e2e.test"
REFRESH_TIMEOUT = 9000  # the bell polls every 4 s
DELIVERY_TIMEOUT = 15  # seconds for a job to email and post


class Inbox:
    def __init__(self):
        self.messages: list[str] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope.content.decode())
        self.arrived.set()
        return "250 Message accepted for delivery"


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies.append(json.loads(body))
        self.server.arrived.set()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def hook_receiver() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.bodies, server.arrived = [], threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def team_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("team") / "team.sqlite3"


@pytest.fixture(scope="module")
def team_server(team_db, inbox, live_sandbox) -> Iterator[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TEST_DATABASE_URL", "REDIS_URL")
        and not key.startswith(("META_", "TIKTOK_", "GOOGLE_ADS_", "SMTP_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{team_db}",
        SECRET_KEY="e2e-secret-key-not-for-production",
        FLASK_APP="wsgi.py",
        PLATFORM_SANDBOX_URL=live_sandbox,
        OMNITRAFFICK_INSECURE_COOKIES="1",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(inbox.port),
        PUBLIC_URL="http://omnitraffick.example",
    )
    _flask(env, "db", "upgrade")
    _flask(env, "users", "create", USERS["admin"], "--role", "admin", "--password", PASSWORD)
    _flask(env, "users", "create", BEA, "--role", "trafficker", "--password", PASSWORD)
    log = team_db.parent / "gunicorn.log"
    base_url, proc = processes.start_gunicorn(env, log, workers=2, access_log=True)
    yield base_url
    processes.stop(proc)


@pytest.fixture(scope="module")
def team_sql(team_db) -> Callable[..., list[tuple]]:
    import sqlite3

    def run(sql: str, params: tuple = ()) -> list[tuple]:
        conn = sqlite3.connect(team_db, timeout=10)
        try:
            with conn:
                return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    return run


@pytest.fixture
def person(browser: Browser, team_server: str) -> Iterator[Callable[[str, str], Page]]:
    """A signed-in browser of its own per person (no shared cookies)."""
    contexts = []

    def open_as(email: str, name: str) -> Page:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=team_server)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.errors = errors
        page.goto("/login?next=/board/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Board", level=1)).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        assert not context.pages or not any(p.errors for p in context.pages)
        context.close()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def bell_count(page: Page):
    return page.locator("#bell .bell-count")


def test_assign_mention_notify_fail_fix_traffic(
    person, team_sql, inbox, hook_receiver, team_server
):
    board = make_board(team_sql, "DRAFT", platform="META")
    (ticket_id,) = board.ticket_ids
    broken = valid_settings(board.platform_name) | {
        "landing_url": "https://www.example.com/launch"  # no utm_campaign: QA fails
    }
    set_settings(team_sql, ticket_id, broken)
    ann = person(USERS["admin"], "Ann")
    bea = person(BEA, "Bea")
    expect(bell_count(bea)).to_have_count(0)

    # Ann sets up the team webhook, then hands the ticket to Bea with a mention.
    ann.goto("/settings/webhook")
    ann.get_by_label("Webhook URL").fill(f"http://127.0.0.1:{hook_receiver.server_port}/hook")
    ann.get_by_role("button", name="Save").click()
    expect(ann.locator("#webhook-secret")).to_be_visible()

    ann.goto(f"/tickets/{uuid.UUID(ticket_id)}")
    ann.locator("select[name=assignee_id]").select_option(label=BEA)
    ann.get_by_role("button", name="Save owner").click()
    expect(ann.locator("#owner-name")).to_have_text(BEA)
    box = ann.get_by_label("Comment")
    box.fill("Over to you @be")
    option = ann.locator(".mention-option", has_text=BEA)
    expect(option).to_be_visible()
    option.click()
    expect(box).to_have_value(f"Over to you @{BEA} ")
    box.press_sequentially("please check the URL")
    ann.get_by_role("button", name="Post comment").click()
    expect(ann.locator(".timeline-comment .mention")).to_have_text(f"@{BEA}")
    shoot(ann, "team-ticket-page")

    # Bea's bell rings within the refresh; the email and the webhook arrive.
    expect(bell_count(bea)).to_have_text("2", timeout=REFRESH_TIMEOUT)
    assert inbox.arrived.wait(DELIVERY_TIMEOUT)
    assert any(f"To: {BEA}" in m for m in inbox.messages)
    assert hook_receiver.arrived.wait(DELIVERY_TIMEOUT)
    assert any(b["omnitraffick"]["event"] == "ASSIGNED" for b in hook_receiver.bodies)

    # "My tickets" shows it with Bea's initials; she drops it on QA and it fails, saying why.
    bea.get_by_role("link", name="My tickets").click()
    mine = card(bea, ticket_id)
    expect(mine.locator(".card-owner")).to_have_text("B")
    mine.locator("select[name=to_status]").select_option("QA_TESTING")
    mine.get_by_role("button", name="Move").click()
    expect(card(bea, ticket_id)).to_have_attribute("data-status", "QA_FAILED")
    expect(card(bea, ticket_id).locator(".qa-note")).to_contain_text("utm_campaign")
    expect(bea.locator("#board-notice")).to_contain_text("QA failed")
    shoot(bea, "team-board-qa-failed")

    # She fixes the landing URL; the stale failure goes; QA passes; she sends it.
    bea.goto(f"/tickets/{uuid.UUID(ticket_id)}/edit")
    bea.get_by_label("Landing URL").fill(valid_settings(board.platform_name)["landing_url"])
    bea.get_by_role("button", name="Save settings").click()
    expect(bea.locator(".qa-reason")).to_have_count(0)
    bea.get_by_role("button", name="QA testing").click()
    expect(bea.locator(".current-status")).to_contain_text("Ready for API")
    bea.get_by_role("button", name="Send to Meta").click()
    expect(bea.locator(".current-status")).to_contain_text("Trafficked success", timeout=20000)

    # Ann, who handed it over, heard that it failed QA and now that it was trafficked.
    ann.goto("/board/")
    expect(bell_count(ann)).to_have_text("2", timeout=REFRESH_TIMEOUT)
    ann.locator("#bell").click()
    expect(ann.locator(".notification.unread").first).to_contain_text("was trafficked")


def test_a_saved_view_with_market_lanes_survives_a_reload(person, team_sql):
    make_board(team_sql, "DRAFT", "READY_FOR_API")
    make_board(team_sql, "DRAFT")
    bea = person(BEA, "Bea")

    with bea.expect_response(lambda response: "lanes=market" in response.url):
        bea.get_by_label("Swimlanes").select_option("market")
    # On a loaded machine a refresh can land just after the filters' answer; the next one
    # carries the lanes too (the URL now has them).
    expect(bea.locator(".board-lanes")).to_be_visible(timeout=REFRESH_TIMEOUT)
    bea.locator(".save-view summary").click()
    bea.get_by_label("View name").fill("By market")
    bea.get_by_role("button", name="Save view").click()
    expect(bea.locator(".view-link.current")).to_have_text("By market")
    bea.reload()
    expect(bea.locator(".board-lanes .lane").first).to_be_visible()
    expect(bea.get_by_label("Swimlanes")).to_have_value("market")
    shoot(bea, "team-board-lanes")


def test_wip_limits_show_on_the_board_and_keys_move_between_cards(person, team_sql):
    make_board(team_sql, "QA_FAILED", "QA_FAILED")
    ann = person(USERS["admin"], "Ann")

    ann.goto("/board/limits")
    ann.get_by_label("QA failed", exact=True).fill("1")
    ann.get_by_role("button", name="Save").click()
    ann.goto("/board/")
    head = ann.locator("section.column-qa_failed")
    expect(head.locator(".wip-limit")).to_contain_text("/ 1")
    expect(head.locator(".over-limit-note")).to_be_visible()

    ann.locator("body").press("j")
    expect(ann.locator(".card").first).to_be_focused()
    ann.keyboard.press("j")
    expect(ann.locator(".card").nth(1)).to_be_focused()
    ann.keyboard.press("?")
    expect(ann.locator("#board-keys")).to_be_visible()
    shoot(ann, "team-board-wip")


def test_a_card_moved_with_the_keyboard_keeps_the_focus(person, team_sql):
    data = make_board(team_sql, "DRAFT")
    (ticket_id,) = data.ticket_ids
    bea = person(BEA, "Bea")
    bea.goto(data.url)

    moved = card(bea, ticket_id)
    moved.focus()
    bea.keyboard.press("m")
    menu = moved.locator("select[name=to_status]")
    expect(menu).to_be_focused()
    menu.select_option("QA_TESTING")
    bea.keyboard.press("Tab")  # to the card's "Move" button
    bea.keyboard.press("Enter")

    expect(card(bea, ticket_id)).not_to_have_attribute("data-status", "DRAFT")
    expect(card(bea, ticket_id)).to_be_focused()


def test_at_390_px_the_navigation_is_one_line_and_columns_snap(browser, team_server):
    context = browser.new_context(viewport={"width": 390, "height": 800}, base_url=team_server)
    page = context.new_page()
    page.goto("/login?next=/board/")
    page.get_by_label("Email").fill(BEA)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Board", level=1)).to_be_visible()

    links = page.locator(".nav-links > li")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    # One line: every item spans a common horizontal band (items differ in height).
    assert max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes), boxes
    snap = page.locator("#board").evaluate("el => getComputedStyle(el).scrollSnapType")
    assert snap.startswith("x")
    shoot(page, "team-board-390")
    context.close()
