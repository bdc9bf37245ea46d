"""Issue 19, item by item, in the browser: what tests/e2e/test_team_flows.py and
test_board_flows.py do not already show. A card someone else moves while I drag it snaps
back at once, saying who moved it.
"""

# The fixtures come from test_board_flows.py; tests name them as parameters.
# ruff: noqa: F811

import uuid

from playwright.sync_api import Page, expect

from .test_board_flows import (  # noqa: F401 (a fixture)
    card,
    cards,
    drag,
    expect_counts,
    make_board,
    open_board,
    other_page,
    sign_in,
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
