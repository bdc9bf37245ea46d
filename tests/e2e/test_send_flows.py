"""Trafficking in the browser: a ticket goes from Draft through QA to the platform sandbox
and comes back Trafficked success with the platform's id, from the ticket page and from the
board; a platform refusal ends in Failed with the platform's words, and "Send again" mends
it without making anything twice.

The live server runs with the embedded job threads and PLATFORM_SANDBOX_URL pointing at a
sandbox process, exactly as `make run` starts them.
"""

import re
import uuid

import requests
from playwright.sync_api import Page, expect

from .test_board_flows import (
    card,
    cards,
    make_board,
    open_board,
    platform_channel,
    set_settings,
    valid_settings,
)
from .test_qa_flows import current_status, open_ticket, press_qa_testing


def sandbox_objects(live_sandbox: str) -> dict:
    return requests.get(f"{live_sandbox}/_sandbox/objects", timeout=5).json()


def test_a_draft_ticket_goes_to_the_sandbox_and_comes_back_trafficked(
    page: Page, login, live_sql, live_sandbox, screenshot
):
    login("admin")
    board = make_board(live_sql, "DRAFT", platform="META")
    (ticket_id,) = board.ticket_ids
    set_settings(live_sql, ticket_id, valid_settings(board.platform_name))
    open_ticket(page, board, ticket_id)
    press_qa_testing(page)
    expect(current_status(page)).to_have_text("Ready for API")
    panel = page.locator("#status-panel")
    expect(panel.locator(".connection")).to_contain_text("local platform sandbox")

    panel.get_by_role("button", name="Send to Meta (sandbox)").click()

    expect(current_status(page)).to_have_text("Trafficked success", timeout=15_000)
    platform_id = panel.locator("code.platform-id")
    expect(platform_id).to_have_text(re.compile(r"^\d{10,}$"))
    [made] = [
        c
        for c in sandbox_objects(live_sandbox)["meta"]["campaigns"]
        if c["name"] == board.platform_name
    ]
    expect(platform_id).to_have_text(made["id"])
    expect(panel.locator(".platform-ids")).to_contain_text("Ad set")
    expect(panel.get_by_role("button", name="Copy").first).to_be_visible()
    # The history shows the move and the send with each HTTP call it made.
    history = page.locator("#history")
    expect(history.locator("li").first.locator(".timeline-move")).to_have_text(
        "Ready for API → Trafficked success"
    )
    # The ad account's minimum budgets are read first, then two searches and two creates.
    expect(history.locator(".attempt")).to_have_count(5)
    expect(history).to_contain_text("GET /v27.0/act_1000000001/minimum_budgets")
    expect(history).to_contain_text("POST /v27.0/act_1000000001/campaigns")
    screenshot(page, "ticket-trafficked-sandbox")


def test_a_board_card_is_sent_and_moves_to_trafficked(
    page: Page, login, live_sql, live_sandbox, screenshot
):
    login("admin")
    board = make_board(live_sql, "READY_FOR_API", platform="TIKTOK")
    (ticket_id,) = board.ticket_ids
    set_settings(live_sql, ticket_id, valid_settings(board.platform_name))
    open_board(page, board)
    ticket_card = card(page, ticket_id)
    expect(ticket_card.locator(".send-go")).to_be_visible()
    screenshot(page, "board-ready-to-send")

    ticket_card.get_by_role("button", name=re.compile("^Send ")).click()

    expect(
        cards(page, "TRAFFICKED_SUCCESS").locator(f"#ticket-{uuid.UUID(ticket_id)}")
    ).to_be_visible(timeout=15_000)
    expect(cards(page, "READY_FOR_API").locator(".card")).to_have_count(0)
    names = [c["campaign_name"] for c in sandbox_objects(live_sandbox)["tiktok"]["campaigns"]]
    assert names.count(board.platform_name) == 1


def test_a_refusal_fails_the_ticket_and_send_again_mends_it(
    page: Page, login, live_sql, live_sandbox, screenshot
):
    login("admin")
    board = make_board(live_sql, "READY_FOR_API", platform="GOOGLE")
    (ticket_id,) = board.ticket_ids
    set_settings(live_sql, ticket_id, valid_settings(board.platform_name))
    requests.post(
        f"{live_sandbox}/_sandbox/faults",
        json={
            "platform": "google",
            "status": 400,
            "path_contains": "campaignCriteria",
            "message": "The geo target constant is not valid.",
        },
        timeout=5,
    ).raise_for_status()
    open_ticket(page, board, ticket_id)
    panel = page.locator("#status-panel")
    panel.get_by_role("button", name="Send to Google Ads (sandbox)").click()

    expect(current_status(page)).to_have_text("Failed", timeout=15_000)
    expect(panel.locator(".send-error")).to_contain_text(
        "Google Ads refused the request to target the market's country"
    )
    expect(panel.locator(".send-error")).to_contain_text("The geo target constant is not valid")
    screenshot(page, "ticket-send-failed")

    panel.get_by_role("button", name="Send again (sandbox)").click()
    expect(current_status(page)).to_have_text("Trafficked success", timeout=15_000)
    google = sandbox_objects(live_sandbox)["google"]
    assert [c["name"] for c in google["campaigns"]].count(board.platform_name) == 1
    # The budget and campaign the failed send made were kept, not looked for or made again.
    expect(page.locator("#history")).to_contain_text("campaign customers/")
    expect(page.locator("#history")).to_contain_text("already made")


def test_send_all_sends_the_ready_column_under_the_filters(
    page: Page, login, live_sql, live_sandbox
):
    login("admin")
    board = make_board(live_sql, "READY_FOR_API", "READY_FOR_API", platform="META")
    for ticket_id in board.ticket_ids:
        set_settings(live_sql, ticket_id, valid_settings(board.platform_name))
    # The second ticket is the campaign's TikTok one.
    live_sql(
        "UPDATE tickets SET channel_id = ? WHERE id = ?",
        (platform_channel(live_sql, "TIKTOK"), board.ticket_ids[1]),
    )
    open_board(page, board)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".column-ready_for_api").get_by_role("button", name="Send all ready").click()

    expect(page.locator("#board-notice")).to_contain_text("Sending 2 tickets")
    expect(cards(page, "TRAFFICKED_SUCCESS").locator(".card")).to_have_count(2, timeout=15_000)
