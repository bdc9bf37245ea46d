"""Where the focus goes after each htmx swap, and the keyboard on the board (issue 23):
the board is one Tab stop per card, the arrow keys go between cards and columns, a card moved
with the keyboard keeps the focus in its new column and the move is said in the one live
region; sorting puts the focus on the first row; Escape closes a menu."""

import re
import uuid

from playwright.sync_api import Page, expect

from .keyboard import choose, focused, tab_to
from .test_board_flows import card, cards, make_board, open_board


def test_the_board_is_one_tab_stop_per_card_and_arrows_go_between_columns(
    page: Page, login, live_sql
):
    login("trafficker")
    board = make_board(live_sql, "QA_TESTING", "QA_TESTING", "DRAFT")
    first, second, draft = board.ticket_ids
    open_board(page, board)

    # The first Tab reaches "Skip to board", which lands on the board's current card.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to board")).to_be_focused()
    page.keyboard.press("Enter")
    expect(card(page, draft)).to_be_focused()  # Draft is the first column
    # Only that card is in the Tab order; the other cards' controls are not.
    expect(page.locator('#board .card[tabindex="0"]')).to_have_count(1)
    other = card(page, first)
    assert other.locator("a, button, select, input").evaluate_all(
        "els => els.every(el => el.tabIndex === -1)"
    ), "a card that is not the current one still has controls in the Tab order"

    # Right arrow: the QA testing column; down arrow: its next card; left arrow: back.
    page.keyboard.press("ArrowRight")
    expect(card(page, first)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(card(page, second)).to_be_focused()
    page.keyboard.press("Home")
    expect(card(page, first)).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(card(page, draft)).to_be_focused()
    page.keyboard.press("ArrowRight")

    # Tab goes into the current card: its own title, then its "Move to…" menu.
    moving = card(page, first)
    page.keyboard.press("Tab")
    assert moving.evaluate("el => el.contains(document.activeElement)"), focused(page)
    menu = moving.get_by_role("combobox", name=f"Move {board.platform_name} to…")
    tab_to(page, menu, limit=6)
    choose(page, menu, "Ready for API")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    # The card lands in its new column with the focus, and the move is said once.
    landed = cards(page, "READY_FOR_API").locator(f"#ticket-{uuid.UUID(first)}")
    expect(landed).to_be_visible()
    expect(landed).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(f"{board.platform_name}: now in Ready for API.")
    expect(page.locator('#board .card[tabindex="0"]')).to_have_count(1)


def test_sorting_a_list_puts_the_focus_on_its_first_row(page: Page, login, live_sql):
    login("viewer")
    make_board(live_sql, "DRAFT")
    page.goto("/campaigns/")
    sort = page.locator("#results th a.sort", has_text="Budget")
    tab_to(page, sort)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=budget"))
    first_row = page.locator("#results tbody tr").first
    expect(first_row).to_be_focused()
    # Sorting again (the header is a new element now) does the same.
    tab_to(page, page.locator("#results th a.sort", has_text="Budget"), backwards=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"dir=desc"))
    expect(page.locator("#results tbody tr").first).to_be_focused()


def test_escape_closes_the_reference_data_menu(page: Page, login):
    login("viewer")
    menu = page.locator("details.dropdown", has_text="Reference data")
    summary = menu.locator("summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Markets")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()


def test_a_refused_move_on_the_ticket_page_focuses_the_field_to_fix(page: Page, login, live_sql):
    login("trafficker")
    board = make_board(live_sql, "QA_TESTING")
    (ticket_id,) = board.ticket_ids
    page.goto(f"/tickets/{uuid.UUID(ticket_id)}")
    panel = page.locator("#status-panel")
    ask = panel.locator("summary", has_text="QA failed")
    tab_to(page, ask)
    page.keyboard.press("Enter")
    reason = panel.get_by_label("What did QA find?")
    page.keyboard.press("Tab")
    expect(reason).to_be_focused()
    page.keyboard.type("   ")  # only spaces: the browser lets it through, the server refuses
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(panel.get_by_role("alert")).to_be_visible()
    reason = page.locator("#status-panel").get_by_label("What did QA find?")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_attribute("aria-describedby", "status-error")


def test_paging_a_list_puts_the_focus_on_the_new_page_s_first_row(page: Page, login, live_sql):
    login("viewer")
    board = make_board(live_sql, *["DRAFT"] * 51)  # one more than a page of 50
    page.goto(f"/tickets/?campaign={board.campaign_id}")
    expect(page.locator("#results tbody tr")).to_have_count(50)
    tab_to(page, page.get_by_role("link", name="Next →"), limit=400)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_be_focused()
