"""Issue 19, item by item, in the browser: what tests/e2e/test_team_flows.py and
test_board_flows.py do not already show. A card someone else moves while I drag it snaps
back at once, saying who moved it.
"""

# The fixtures come from test_board_flows.py; tests name them as parameters.
# ruff: noqa: F811

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from .conftest import USERS
from .test_board_flows import (  # noqa: F401 (a fixture)
    REFRESH_TIMEOUT,
    _sql_time,
    card,
    cards,
    drag,
    expect_counts,
    make_board,
    open_board,
    other_page,
    set_settings,
    sign_in,
    valid_settings,
)


def hold(page: Page, source) -> None:
    """Pick a card up with the mouse and keep it in hand (SortableJS's pointer fallback)."""
    grip = source.locator(".card-badges").bounding_box()
    x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 4, y + 4, steps=4)
    page.mouse.move(x + 60, y + 40, steps=8)


def test_a_card_moved_by_someone_else_while_i_drag_it_snaps_back_at_once(
    page: Page, other_page: Page, login, live_sql, screenshot
):
    login("admin")
    board = make_board(live_sql, "DRAFT", "QA_TESTING")
    draft, _testing = board.ticket_ids
    open_board(page, board)
    sign_in(other_page, "admin")
    open_board(other_page, board)
    moves: list[str] = []
    page.on("request", lambda r: r.url.endswith("/move") and moves.append(r.url))

    # I pick the draft up and keep it in my hand...
    hold(page, card(page, draft))
    expect(page.locator("#board")).to_have_attribute("data-dragging", "1")

    # ...while the other person moves it (QA fails it: no settings, an unknown channel).
    mine = card(other_page, draft)
    mine.locator("select[name=to_status]").select_option("QA_TESTING")
    mine.get_by_role("button", name="Move").click()
    expect(card(other_page, draft)).to_have_attribute("data-status", "QA_FAILED")

    # Within the second the drag ends by itself: the card is where it is now, saying why,
    # though my mouse button is still down.
    moved = cards(page, "QA_FAILED").locator(f"#ticket-{uuid.UUID(draft)}")
    expect(moved).to_have_count(1, timeout=2500)
    expect(page.locator("#board")).not_to_have_attribute("data-dragging", "1")
    error = moved.locator(".card-error")
    expect(error).to_contain_text("moved this ticket to QA failed")
    expect(error).to_contain_text("while you had it")
    expect(cards(page, "DRAFT").locator(".card")).to_have_count(0)
    expect_counts(page, QA_TESTING=1, QA_FAILED=1)
    screenshot(page, "board-stale-drag")

    # Letting go afterwards does nothing: no move was ever sent from this page.
    page.mouse.move(400, 300, steps=4)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert moves == []
    expect(moved).to_have_attribute("data-status", "QA_FAILED")


def test_a_drop_with_an_old_version_puts_the_card_where_it_is_now(
    page: Page, other_page: Page, login, live_sql
):
    login("admin")
    board = make_board(live_sql, "DRAFT", "QA_TESTING")
    draft, _testing = board.ticket_ids
    open_board(page, board)
    # The check made while dragging never gets through: the drop is what the server judges.
    page.route("**/card?*version=*", lambda route: route.abort())
    sign_in(other_page, "admin")
    open_board(other_page, board)
    mine = card(other_page, draft)
    mine.locator("select[name=to_status]").select_option("QA_TESTING")
    mine.get_by_role("button", name="Move").click()
    expect(card(other_page, draft)).to_have_attribute("data-status", "QA_FAILED")

    with page.expect_response(lambda r: r.url.endswith("/move")) as answer:
        drag(page, card(page, draft), "QA_TESTING")
    assert answer.value.status == 409

    moved = cards(page, "QA_FAILED").locator(f"#ticket-{uuid.UUID(draft)}")
    expect(moved).to_have_count(1)
    expect(moved.locator(".card-error")).to_contain_text("moved this ticket to QA failed")
    expect(card(page, draft)).to_have_count(1)
    expect_counts(page, QA_TESTING=1, QA_FAILED=1)


# --- item 1: owners, due dates, aging --------------------------------------------------------


def user_id(live_sql, email: str) -> str:
    ((found,),) = live_sql("SELECT id FROM users WHERE email = ?", (email,))
    return found


def test_owner_due_date_and_age_show_on_the_card_and_my_tickets_lists_mine(
    page: Page, login, live_sql
):
    login("admin")
    board = make_board(live_sql, "DRAFT", "QA_FAILED")
    mine, old = board.ticket_ids
    live_sql("UPDATE tickets SET status_changed_at = ? WHERE id = ?", (_sql_time(60 * 24 * 4), old))
    page.goto(f"/tickets/{uuid.UUID(mine)}")
    page.locator("select[name=assignee_id]").select_option(label=USERS["admin"])
    page.locator("input[name=due_date]").fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save owner").click()
    expect(page.locator("#owner-name")).to_have_text(USERS["admin"])
    expect(page.locator("#due-line")).to_contain_text("Overdue")

    open_board(page, board)
    owned = card(page, mine)
    expect(owned.locator(".card-owner")).to_have_text("A")
    expect(owned.locator(".due")).to_have_class(re.compile(r"\bdue-overdue\b"))
    expect(owned.locator(".due")).to_contain_text("Overdue")
    expect(card(page, old).locator(".age")).to_have_class(re.compile(r"\bage-stale\b"))
    expect(card(page, old).locator(".age")).to_contain_text("4d")
    expect(card(page, old).locator(".card-owner")).to_have_count(0)

    page.get_by_role("link", name="My tickets").click()
    expect(card(page, mine)).to_be_visible()
    expect(card(page, old)).to_have_count(0)


# --- item 3: the bell ------------------------------------------------------------------------


def test_the_bell_counts_the_unread_and_marking_them_read_clears_it(page: Page, login, live_sql):
    login("admin")
    admin = user_id(live_sql, USERS["admin"])
    live_sql("UPDATE notifications SET read_at = ? WHERE user_id = ?", (_sql_time(), admin))
    for message in ("Ola assigned X to you.", "Ola mentioned you on Y."):
        live_sql(
            "INSERT INTO notifications (id, user_id, ticket_id, actor_id, kind, message,"
            " created_at, read_at) VALUES (?, ?, NULL, NULL, 'MENTIONED', ?, ?, NULL)",
            (uuid.uuid4().hex, admin, message, _sql_time()),
        )
    page.goto("/board/")
    bell = page.locator("#bell .bell-count")
    expect(bell).to_have_text("2", timeout=REFRESH_TIMEOUT)

    page.locator("#bell").click()
    unread = page.locator(".notification.unread")
    expect(unread).to_have_count(2)
    unread.filter(has_text="mentioned you on Y").get_by_role("button", name="Mark read").click()
    expect(page.locator(".notification.unread")).to_have_count(1)
    expect(bell).to_have_text("1")
    page.get_by_role("button", name="Mark all read (1)").click()
    expect(page.locator(".notification.unread")).to_have_count(0)
    expect(page.locator("#bell .bell-count")).to_have_count(0)


# --- item 4: field history -------------------------------------------------------------------


def test_a_settings_change_shows_old_and_new_in_the_timeline(page: Page, login, live_sql):
    login("admin")
    board = make_board(live_sql, "DRAFT", platform="META")
    (ticket_id,) = board.ticket_ids
    before = valid_settings(board.platform_name)
    set_settings(live_sql, ticket_id, before)

    page.goto(f"/tickets/{uuid.UUID(ticket_id)}/edit")
    page.get_by_label("Budget amount").fill("60.00")
    page.get_by_role("button", name="Save settings").click()

    change = page.locator("#history .timeline-change").first
    expect(change).to_contain_text("Budget amount")
    expect(change.locator(".old-value")).to_contain_text("50")
    expect(change.locator(".new-value")).to_contain_text("60")
    expect(change).to_contain_text(USERS["admin"])


# --- item 6: WIP limits, soft and hard -------------------------------------------------------


def column_count(live_sql, status: str) -> int:
    ((n,),) = live_sql("SELECT count(*) FROM tickets WHERE status = ?", (status,))
    return n


def test_a_full_column_refuses_a_move_under_a_hard_limit_and_warns_under_a_soft_one(
    page: Page, login, live_sql
):
    login("admin")
    board = make_board(live_sql, "QA_FAILED", "QA_FAILED")
    first, second = board.ticket_ids
    # The live server is shared: the limit is the column's whole count now, so it is full
    # (with one Draft of its own: a limit is at least 1, and run alone the column is empty).
    make_board(live_sql, "DRAFT")
    full = column_count(live_sql, "DRAFT")
    try:
        page.goto("/board/limits")
        page.get_by_label("Draft", exact=True).fill(str(full))
        page.locator("input[name=hard_DRAFT]").check()
        page.get_by_role("button", name="Save").click()
        open_board(page, board)

        refused = card(page, first)
        refused.locator("select[name=to_status]").select_option("DRAFT")
        refused.get_by_role("button", name="Move").click()
        expect(card(page, first).locator(".card-error")).to_contain_text("Draft is full")
        expect(card(page, first)).to_have_attribute("data-status", "QA_FAILED")

        page.goto("/board/limits")
        page.locator("input[name=hard_DRAFT]").uncheck()
        page.get_by_role("button", name="Save").click()
        open_board(page, board)
        warned = card(page, second)
        warned.locator("select[name=to_status]").select_option("DRAFT")
        warned.get_by_role("button", name="Move").click()
        expect(card(page, second)).to_have_attribute("data-status", "DRAFT")
        expect(page.locator("#board-notice")).to_contain_text("over its limit")
        expect(page.locator("section.column-draft")).to_have_class(re.compile(r"over-limit"))
    finally:
        live_sql("DELETE FROM board_columns")


# --- item 7: a big column --------------------------------------------------------------------


def test_a_big_column_shows_its_first_cards_and_more_on_demand(page: Page, login, live_sql):
    login("admin")
    board = make_board(live_sql, *["DRAFT"] * 35)
    open_board(page, board)
    column = cards(page, "DRAFT").locator(".card")
    expect(column).to_have_count(30)
    more = page.get_by_role("link", name="Show more (5 older)")
    expect(more).to_be_visible()
    more.click()
    expect(column).to_have_count(35)
    expect(page).to_have_url(re.compile(r"show_draft=60"))
    expect(page.get_by_role("link", name=re.compile("Show more"))).to_have_count(0)
    # The newest stays on top; the oldest, last.
    expect(column.first).to_have_id(f"ticket-{uuid.UUID(board.ticket_ids[0])}")
    expect(column.last).to_have_id(f"ticket-{uuid.UUID(board.ticket_ids[-1])}")


# --- item 8: rough edges ---------------------------------------------------------------------


def test_failed_and_trafficked_cards_say_what_to_do_and_what_came_back(page: Page, login, live_sql):
    login("admin")
    board = make_board(live_sql, "FAILED", "TRAFFICKED_SUCCESS", platform="META")
    failed, done = board.ticket_ids
    live_sql("UPDATE tickets SET send_error = 'Meta refused the budget.' WHERE id = ?", (failed,))
    live_sql("UPDATE tickets SET external_platform_id = '120210000' WHERE id = ?", (done,))
    open_board(page, board)

    expect(card(page, failed).locator(".failure-note")).to_have_text("Meta refused the budget.")
    expect(card(page, failed).locator("button.send-go")).to_contain_text("Send again to Meta")
    expect(card(page, done).locator(".platform-id")).to_contain_text("120210000")


def test_long_status_names_wrap_at_1366_and_the_keys_are_documented(browser, live_server, live_sql):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=live_server)
    page = context.new_page()
    try:
        sign_in(page, "admin")
        board = make_board(live_sql, "DRAFT")
        open_board(page, board)
        for status in ("TRAFFICKED_SUCCESS", "READY_FOR_API", "QA_TESTING"):
            head = page.locator(f"#head-{status}")
            expect(head).to_be_visible()
            cut = head.evaluate("el => el.scrollWidth > el.clientWidth + 1")
            assert not cut, f"{status} is cut off"
        page.locator("body").press("?")
        keys = page.locator("#board-keys")
        expect(keys).to_be_visible()
        expect(keys).to_contain_text("m")
        page.keyboard.press("Escape")
        expect(keys).not_to_be_visible()
    finally:
        context.close()


def test_a_viewer_sees_no_drag_hint_and_cannot_pick_a_card_up(page: Page, login, live_sql):
    login("viewer")
    board = make_board(live_sql, "DRAFT", "QA_TESTING")
    page.goto(board.url)
    expect(page.locator(".board-hint")).to_be_visible()
    expect(page.locator(".board-hint")).not_to_contain_text("Drag")
    expect(page.locator(".card")).to_have_count(2)
    expect(page.locator(".card[data-movable]")).to_have_count(0)
    expect(page.locator("form.move-form")).to_have_count(0)
