"""What a trafficker sees on the kanban board: dragging cards, the keyboard "Move to…"
control, moves that need a word from the user, and the board refreshing itself.

The live server is shared by the whole session, so every test makes its own brand, market,
channel and campaign (with codes nobody else uses) and opens the board filtered to that
campaign, so it only ever sees its own cards.
"""

import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import ARTIFACTS, PASSWORD, USERS

STATUSES = ("DRAFT", "QA_TESTING", "QA_FAILED", "READY_FOR_API", "TRAFFICKED_SUCCESS", "FAILED")
LABELS = {
    "DRAFT": "Draft",
    "QA_TESTING": "QA testing",
    "QA_FAILED": "QA failed",
    "READY_FOR_API": "Ready for API",
    "TRAFFICKED_SUCCESS": "Trafficked success",
    "FAILED": "Failed",
}
PLATFORM_NAMES = {"META": "Meta", "TIKTOK": "TikTok", "GOOGLE": "Google Ads"}
# The board polls every 4 s; a change made elsewhere must show within about 5 s.
REFRESH_TIMEOUT = 8000


def _sql_time(minutes_ago: float = 0) -> str:
    """A timestamp the way SQLAlchemy stores it in SQLite (UTC, no offset)."""
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


@dataclass(frozen=True)
class BoardData:
    """A campaign made for one test, with its tickets (hex ids, in the order asked for)."""

    campaign_id: uuid.UUID
    campaign_name: str
    channel_code: str
    ticket_ids: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"/board/?campaign={self.campaign_id}"

    @property
    def platform_name(self) -> str:
        return self.campaign_name.replace("_MULTI_", f"_{self.channel_code}_")


def platform_channel(live_sql: Callable[..., list[tuple]], code: str) -> str:
    """The id (hex) of the channel whose api_identifier is `code` (META, TIKTOK, GOOGLE),
    made on first use. api_identifier is unique, so tests share these channels."""
    now = _sql_time()
    live_sql(
        "INSERT OR IGNORE INTO channels (id, platform_name, api_identifier, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?)",
        (uuid.uuid4().hex, PLATFORM_NAMES[code], code, now, now),
    )
    ((channel_id,),) = live_sql("SELECT id FROM channels WHERE api_identifier = ?", (code,))
    return channel_id


def valid_settings(platform_name: str) -> dict:
    """CREATE_CAMPAIGN settings that pass every pre-flight QA rule: daily 50.00 (TikTok's
    minimum) for a ten-day flight starting next week (500.00, within the campaign's 1,000), an https
    landing URL with utm_source, utm_medium and utm_campaign = the ticket's platform name."""
    start = date.today() + timedelta(days=7)
    query = f"utm_source=ads&utm_medium=paid_social&utm_campaign={platform_name}"
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "50.00",
        "flight_start": start.isoformat(),
        "flight_end": (start + timedelta(days=9)).isoformat(),
        "landing_url": f"https://www.example.com/launch?{query}",
        "initial_status": "PAUSED",
    }


def set_settings(live_sql: Callable[..., list[tuple]], ticket_id: str, settings: dict) -> None:
    live_sql(
        "UPDATE tickets SET payload_config = ? WHERE id = ?", (json.dumps(settings), ticket_id)
    )


def make_board(
    live_sql: Callable[..., list[tuple]], *statuses: str, platform: str | None = None
) -> BoardData:
    """Insert a brand, market, channel and campaign with fresh codes, and one
    CREATE_CAMPAIGN ticket per status given (the first is the most recently moved).

    With `platform` (META, TIKTOK or GOOGLE) the tickets go to that platform's shared
    channel, so pre-flight QA can translate them; otherwise to a fresh channel no
    translator knows."""
    suffix = uuid.uuid4().hex[:6].upper()
    brand_code, market_code, channel_code = f"B{suffix}", f"M{suffix}", f"C{suffix}"
    brand_id, market_id, channel_id, campaign_id = (uuid.uuid4() for _ in range(4))
    now = _sql_time()
    live_sql(
        "INSERT INTO brands (id, name, internal_code, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (brand_id.hex, f"Board Brand {suffix}", brand_code, now, now),
    )
    live_sql(
        "INSERT INTO markets (id, code, country, region, currency, time_zone, created_at,"
        " updated_at)"
        " VALUES (?, ?, ?, 'NA', 'USD', 'America/New_York', ?, ?)",
        (market_id.hex, market_code, "US", now, now),
    )
    if platform:
        channel_code, channel_hex = platform, platform_channel(live_sql, platform)
    else:
        channel_hex = channel_id.hex
        live_sql(
            "INSERT INTO channels (id, platform_name, api_identifier, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (channel_hex, f"Board Channel {suffix}", channel_code, now, now),
        )
    year = date.today().year
    typed = f"Board{suffix}"
    name = f"{brand_code}_{market_code}_MULTI_{year}_{typed}"
    live_sql(
        "INSERT INTO campaigns (id, name, campaign_name, brand_id, market_id, year, budget,"
        " status, created_by_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, 1000, 'DRAFT', NULL, ?, ?)",
        (campaign_id.hex, name, typed, brand_id.hex, market_id.hex, year, now, now),
    )
    ticket_ids = []
    for i, status in enumerate(statuses):
        ticket_id = uuid.uuid4().hex
        moved = _sql_time(minutes_ago=10 + i)
        live_sql(
            "INSERT INTO tickets (id, campaign_id, channel_id, request_type, payload_config,"
            " status, external_platform_id, qa_failure_reason, version, status_changed_at,"
            " created_by_id, created_at, updated_at)"
            " VALUES (?, ?, ?, 'CREATE_CAMPAIGN', ?, ?, NULL, NULL, 1, ?, NULL, ?, ?)",
            (ticket_id, campaign_id.hex, channel_hex, json.dumps({}), status, moved, now, now),
        )
        live_sql(
            "INSERT INTO ticket_events (id, ticket_id, actor_id, from_status, to_status, reason,"
            " created_at) VALUES (?, ?, NULL, NULL, ?, NULL, ?)",
            (uuid.uuid4().hex, ticket_id, status, moved),
        )
        ticket_ids.append(ticket_id)
    return BoardData(campaign_id, name, channel_code, tuple(ticket_ids))


def ticket_row(live_sql, ticket_id: str) -> tuple:
    """(status, version, qa_failure_reason) of a ticket, straight from the database."""
    (row,) = live_sql(
        "SELECT status, version, qa_failure_reason FROM tickets WHERE id = ?", (ticket_id,)
    )
    return row


def card(page: Page, ticket_id: str) -> Locator:
    """A ticket's card, wherever it is on the board (the page id is the dashed uuid)."""
    return page.locator(f"#ticket-{uuid.UUID(ticket_id)}")


def cards(page: Page, status: str) -> Locator:
    """A column's list of cards."""
    return page.locator(f"#cards-{status}")


def move_options(ticket_card: Locator) -> Locator:
    """The moves a card's "Move to…" menu offers (not its "Move to…" placeholder)."""
    return ticket_card.locator("select[name=to_status] option:not([disabled])")


def count(page: Page, status: str) -> Locator:
    return page.locator(f"#count-{status}")


def expect_counts(page: Page, **counts: int) -> None:
    """Every column's count badge; columns not named hold nothing."""
    for status in STATUSES:
        expect(count(page, status)).to_have_text(str(counts.get(status, 0)))


def open_board(page: Page, board: BoardData) -> None:
    """Open the board filtered to the test's campaign, with drag and drop ready."""
    page.goto(board.url)
    expect(page.get_by_role("heading", name="Board", level=1)).to_be_visible()
    expect(page.locator(".filter-chip")).to_contain_text(board.campaign_name)
    # board.js marks each list once SortableJS has been attached to it.
    expect(page.locator(".cards[data-sortable]")).to_have_count(len(STATUSES))


def drag(page: Page, source: Locator, status: str) -> None:
    """Drag a card into a column with the mouse, the way a person does.

    SortableJS runs with forceFallback (pointer events, not native drag and drop), so the
    pointer has to press on the card, move a little to start the drag, then travel in steps
    to the target list and let go there.
    """
    grip = source.locator(".card-badges").bounding_box()
    target = cards(page, status).bounding_box()
    assert grip and target, "card or column not on screen"
    x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 4, y + 4, steps=4)
    tx = target["x"] + target["width"] / 2
    ty = target["y"] + min(target["height"] / 2, 40)
    page.mouse.move(tx, ty, steps=20)
    page.mouse.move(tx + 2, ty + 2, steps=2)
    page.mouse.up()


def sign_in(page: Page, role: str = "admin") -> None:
    """Sign in on a page of a context other than the `page` fixture's."""
    page.goto("/login?next=/board/")
    page.get_by_label("Email").fill(USERS[role])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Board", level=1)).to_be_visible()


@pytest.fixture
def other_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A second, separate browser context (another person at another desk)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(f"JavaScript error: {err}"))
    page.on(
        "response",
        lambda r: r.status >= 500 and problems.append(f"{r.status} {r.request.method} {r.url}"),
    )
    yield page
    context.close()
    assert not problems, "\n".join(problems)


def test_drag_draft_to_qa_testing_lands_in_ready_for_api_and_sticks_after_reload(
    page: Page, login, live_sql, screenshot
):
    login("admin")
    board = make_board(live_sql, "DRAFT", "DRAFT", "QA_TESTING", platform="META")
    moving, staying, testing = board.ticket_ids
    set_settings(live_sql, moving, valid_settings(board.platform_name))
    open_board(page, board)
    expect(cards(page, "DRAFT").locator(".card")).to_have_count(2)
    expect_counts(page, DRAFT=2, QA_TESTING=1)
    expect(card(page, moving).locator(".card-title")).to_have_text(board.platform_name)
    screenshot(page, "board-before-move")

    with page.expect_response(lambda r: r.url.endswith("/move")) as answer:
        drag(page, card(page, moving), "QA_TESTING")
    assert answer.value.status == 200

    # Pre-flight QA ran in the same request and passed: the card goes straight on to
    # Ready for API, at the top of that column, and the counts follow.
    landed = cards(page, "READY_FOR_API").locator(".card").first
    expect(landed).to_have_id(f"ticket-{uuid.UUID(moving)}")
    expect(landed).to_have_attribute("data-status", "READY_FOR_API")
    expect(cards(page, "READY_FOR_API").locator(".card")).to_have_count(1)
    expect(cards(page, "QA_TESTING").locator(f"#ticket-{uuid.UUID(moving)}")).to_have_count(0)
    expect(cards(page, "DRAFT").locator(".card")).to_have_count(1)
    expect(card(page, moving)).to_have_count(1)  # moved, not copied
    expect(card(page, staying)).to_have_attribute("data-status", "DRAFT")
    expect_counts(page, DRAFT=1, QA_TESTING=1, READY_FOR_API=1)
    expect(page.locator(".card-error")).to_have_count(0)
    # Its "Move to…" menu now offers what Ready for API allows.
    expect(move_options(card(page, moving))).to_have_text(["Trafficked success", "Failed", "Draft"])
    status, _version, reason = ticket_row(live_sql, moving)
    assert (status, reason) == ("READY_FOR_API", None)
    assert ticket_row(live_sql, testing)[:2] == ("QA_TESTING", 1)
    screenshot(page, "board")

    page.reload()
    expect(cards(page, "READY_FOR_API").locator(f"#ticket-{uuid.UUID(moving)}")).to_have_count(1)
    expect(cards(page, "DRAFT").locator(".card")).to_have_count(1)
    expect_counts(page, DRAFT=1, QA_TESTING=1, READY_FOR_API=1)
    events = live_sql(
        "SELECT from_status, to_status, reason FROM ticket_events WHERE ticket_id = ?"
        " ORDER BY created_at",
        (moving,),
    )
    assert [e[:2] for e in events] == [
        (None, "DRAFT"),
        ("DRAFT", "QA_TESTING"),
        ("QA_TESTING", "READY_FOR_API"),
    ]
    assert re.fullmatch(r"Pre-flight QA: (\d+) of \1 rules passed\.", events[-1][2])
    ((report,),) = live_sql("SELECT qa_report FROM tickets WHERE id = ?", (moving,))
    findings = json.loads(report)
    assert findings and all(f["passed"] for f in findings), findings


def test_illegal_drag_snaps_back_with_the_reason(page: Page, login, live_sql, screenshot):
    login("admin")
    board = make_board(live_sql, "DRAFT", "TRAFFICKED_SUCCESS")
    (draft, done) = board.ticket_ids
    open_board(page, board)
    expect_counts(page, DRAFT=1, TRAFFICKED_SUCCESS=1)

    with page.expect_response(lambda r: r.url.endswith("/move")) as answer:
        drag(page, card(page, draft), "TRAFFICKED_SUCCESS")
    assert answer.value.status == 409

    refused = cards(page, "DRAFT").locator(f"#ticket-{uuid.UUID(draft)}")
    expect(refused).to_have_count(1)
    error = refused.locator(".card-error")
    expect(error).to_have_text(
        "A Draft ticket cannot move to Trafficked success. Allowed moves: QA testing."
    )
    expect(error).to_have_attribute("role", "alert")
    expect(refused).to_have_class(re.compile(r"\bcard-refused\b"))
    expect(refused).to_have_attribute("data-status", "DRAFT")
    expect(cards(page, "TRAFFICKED_SUCCESS").locator(".card")).to_have_count(1)
    expect(card(page, done)).to_have_attribute("data-status", "TRAFFICKED_SUCCESS")
    expect_counts(page, DRAFT=1, TRAFFICKED_SUCCESS=1)
    # The refused card still offers only the allowed move, not the one it was dragged to.
    expect(move_options(refused)).to_have_text(["QA testing"])
    assert ticket_row(live_sql, draft)[:2] == ("DRAFT", 1)
    screenshot(page, "board-refused")


def test_keyboard_move_to_control(page: Page, login, live_sql):
    login("admin")
    board = make_board(live_sql, "QA_TESTING", "DRAFT")
    testing, draft = board.ticket_ids
    open_board(page, board)
    expect_counts(page, QA_TESTING=1, DRAFT=1)

    moving = card(page, testing)
    menu = moving.get_by_role("combobox", name=f"Move {board.platform_name} to…")
    expect(move_options(moving)).to_have_text(["Ready for API", "QA failed"])
    menu.focus()
    expect(menu).to_be_focused()
    menu.select_option("READY_FOR_API")
    expect(menu).to_have_value("READY_FOR_API")
    # Tab from the menu reaches its "→" button; Enter presses it.
    page.keyboard.press("Tab")
    go = moving.get_by_role("button", name="Move")
    expect(go).to_be_focused()
    page.keyboard.press("Enter")

    landed = cards(page, "READY_FOR_API").locator(".card").first
    expect(landed).to_have_id(f"ticket-{uuid.UUID(testing)}")
    expect(cards(page, "QA_TESTING").locator(".card")).to_have_count(0)
    expect_counts(page, READY_FOR_API=1, DRAFT=1)
    expect(card(page, draft)).to_have_attribute("data-status", "DRAFT")
    assert ticket_row(live_sql, testing)[:2] == ("READY_FOR_API", 2)

    # The moved card's own control works again from its new column.
    menu = card(page, testing).get_by_role("combobox", name=f"Move {board.platform_name} to…")
    expect(move_options(card(page, testing))).to_have_text(
        ["Trafficked success", "Failed", "Draft"]
    )
    menu.focus()
    menu.select_option("DRAFT")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(cards(page, "DRAFT").locator(".card").first).to_have_id(f"ticket-{uuid.UUID(testing)}")
    expect_counts(page, DRAFT=2)


def test_qa_failed_asks_for_a_reason(page: Page, login, live_sql, screenshot):
    login("admin")
    board = make_board(live_sql, "QA_TESTING")
    (ticket_id,) = board.ticket_ids
    open_board(page, board)

    with page.expect_response(lambda r: r.url.endswith("/move")) as answer:
        drag(page, card(page, ticket_id), "QA_FAILED")
    assert answer.value.status == 422

    # The card stays in QA testing and asks why, inline.
    asking = cards(page, "QA_TESTING").locator(f"#ticket-{uuid.UUID(ticket_id)}")
    form = asking.locator("form.card-ask")
    expect(form).to_be_visible()
    reason = form.get_by_label("Why did QA fail?")
    expect(reason).to_be_focused()
    expect(form.get_by_role("button", name="Move to QA failed")).to_be_visible()
    expect(asking.locator("form.move-form")).to_have_count(0)
    expect_counts(page, QA_TESTING=1)
    screenshot(page, "board-card-ask")
    asking.screenshot(path=ARTIFACTS / "board-card-ask-card.png")

    # Submitting nothing is stopped: the form stays, the ticket does not move.
    form.get_by_role("button", name="Move to QA failed").click()
    expect(form).to_be_visible()
    expect(reason).to_be_focused()
    expect(asking).to_have_attribute("data-status", "QA_TESTING")
    # Blank-looking reasons are refused by the server too; it asks again.
    reason.fill("   ")
    with page.expect_response(lambda r: r.url.endswith("/move")) as answer:
        form.get_by_role("button", name="Move to QA failed").click()
    assert answer.value.status == 422
    expect(cards(page, "QA_TESTING").locator("form.card-ask")).to_be_visible()
    assert ticket_row(live_sql, ticket_id)[:2] == ("QA_TESTING", 1)

    why = "Landing URL has no utm_campaign"
    form = cards(page, "QA_TESTING").locator("form.card-ask")
    form.get_by_label("Why did QA fail?").fill(why)
    form.get_by_role("button", name="Move to QA failed").click()

    moved = cards(page, "QA_FAILED").locator(f"#ticket-{uuid.UUID(ticket_id)}")
    expect(moved).to_have_count(1)
    expect(moved.locator("form.card-ask")).to_have_count(0)
    expect(page.locator("form.card-ask")).to_have_count(0)
    expect_counts(page, QA_FAILED=1)
    assert ticket_row(live_sql, ticket_id) == ("QA_FAILED", 2, why)

    moved.locator(".card-title").click()
    expect(page.get_by_role("heading", name=board.platform_name, level=1)).to_be_visible()
    latest = page.locator("#history li").first
    expect(latest.locator(".timeline-move")).to_have_text("QA testing → QA failed")
    expect(latest.locator(".timeline-reason")).to_have_text(why)
    expect(latest).to_contain_text(USERS["admin"])


def test_move_in_another_browser_shows_up_without_reload(
    page: Page, other_page: Page, login, live_sql
):
    login("admin")
    board = make_board(live_sql, "DRAFT", "QA_TESTING")
    draft, testing = board.ticket_ids
    open_board(page, board)
    expect_counts(page, DRAFT=1, QA_TESTING=1)
    page.evaluate("window.__e2eSamePage = true")

    sign_in(other_page, "admin")
    open_board(other_page, board)
    # The draft has no settings and a channel no translator knows: pre-flight QA fails it.
    drag(other_page, card(other_page, draft), "QA_TESTING")
    expect(cards(other_page, "QA_FAILED").locator(".card").first).to_have_id(
        f"ticket-{uuid.UUID(draft)}"
    )
    menu = card(other_page, testing).get_by_role("combobox")
    menu.select_option("READY_FOR_API")
    card(other_page, testing).get_by_role("button", name="Move").click()
    expect(card(other_page, testing)).to_have_attribute("data-status", "READY_FOR_API")

    # The first person's board catches up by itself.
    expect(cards(page, "QA_FAILED").locator(f"#ticket-{uuid.UUID(draft)}")).to_have_count(
        1, timeout=REFRESH_TIMEOUT
    )
    expect(cards(page, "READY_FOR_API").locator(f"#ticket-{uuid.UUID(testing)}")).to_have_count(
        1, timeout=REFRESH_TIMEOUT
    )
    expect(cards(page, "DRAFT").locator(".card")).to_have_count(0)
    expect_counts(page, QA_FAILED=1, READY_FOR_API=1)
    assert page.evaluate("window.__e2eSamePage") is True, "the page was reloaded"

    # And the refreshed cards carry the new version: moving them from here works.
    drag(page, card(page, draft), "READY_FOR_API")  # not allowed from QA failed
    expect(card(page, draft).locator(".card-error")).to_contain_text(
        "Allowed moves: Draft, QA testing."
    )
    expect(card(page, draft).locator(".card-error")).not_to_contain_text("changed by someone")
    menu = card(page, testing).get_by_role("combobox")
    menu.select_option("DRAFT")
    card(page, testing).get_by_role("button", name="Move").click()
    expect(cards(page, "DRAFT").locator(f"#ticket-{uuid.UUID(testing)}")).to_have_count(1)
    assert ticket_row(live_sql, testing)[:2] == ("DRAFT", 3)
    assert ticket_row(live_sql, draft)[0] == "QA_FAILED"


def test_refresh_leaves_an_open_reason_form_alone(page: Page, login, live_sql):
    login("admin")
    board = make_board(live_sql, "QA_TESTING", "DRAFT")
    testing, draft = board.ticket_ids
    open_board(page, board)

    drag(page, card(page, testing), "QA_FAILED")
    form = card(page, testing).locator("form.card-ask")
    expect(form).to_be_visible()
    typed = "Budget cap missing on the ad set"
    form.get_by_label("Why did QA fail?").press_sequentially(typed)
    # Focus elsewhere, so only the open form (not a focused field) holds the refresh back.
    page.get_by_role("heading", name="Board", level=1).click()
    expect(form.get_by_label("Why did QA fail?")).not_to_be_focused()

    # Meanwhile someone else moves the other ticket: a refresh would now change the board.
    live_sql(
        "UPDATE tickets SET status = 'QA_TESTING', version = version + 1,"
        " status_changed_at = ? WHERE id = ?",
        (_sql_time(), draft),
    )
    refreshes: list[str] = []
    page.on(
        "request",
        lambda r: r.method == "GET" and "/board/" in r.url and refreshes.append(r.url),
    )
    page.wait_for_timeout(6000)  # longer than the 4 s refresh period: the point of the test

    assert refreshes == [], "the board refreshed under an open form"
    expect(form).to_be_visible()
    expect(form.get_by_label("Why did QA fail?")).to_have_value(typed)
    expect(card(page, draft)).to_have_attribute("data-status", "DRAFT")  # not refreshed yet

    # Once the form is closed the refresh carries on and shows the other move.
    form.get_by_role("button", name="Cancel").click()
    expect(card(page, testing).locator("form.card-ask")).to_have_count(0)
    expect(card(page, testing).locator("form.move-form")).to_be_visible()
    expect(cards(page, "QA_TESTING").locator(f"#ticket-{uuid.UUID(draft)}")).to_have_count(
        1, timeout=REFRESH_TIMEOUT
    )
    expect_counts(page, QA_TESTING=2)
    assert ticket_row(live_sql, testing)[:2] == ("QA_TESTING", 1)
