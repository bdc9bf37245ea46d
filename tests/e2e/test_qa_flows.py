"""Pre-flight QA as a trafficker meets it on the ticket page: moving a ticket to QA testing
runs every rule and moves it on by itself, to Ready for API or to QA failed saying why, and
the page shows the rules' results and the request the platform will get.

Tickets go to the shared META, TIKTOK and GOOGLE channels (api_identifier is unique, and
only those have a translator); each test still makes its own brand, market and campaign.
"""

import json
import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from .test_board_flows import (
    BoardData,
    cards,
    make_board,
    open_board,
    set_settings,
    ticket_row,
    valid_settings,
)

# What QA blocks in the bad ticket below, by rule title.
BAD_RULES = (
    "Budget is positive",
    "The flight is sane and not over",
    "The landing page is served over HTTPS",
    "utm_campaign equals the platform name",
)


def bad_settings() -> dict:
    """Settings with several blocking problems: a zero budget, a flight that starts in the
    past and ends before it starts, a plain-http landing URL without any utm tags."""
    start = date.today() - timedelta(days=10)
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "0",
        "flight_start": start.isoformat(),
        "flight_end": (start - timedelta(days=3)).isoformat(),
        "landing_url": "http://www.example.com/launch",
        "initial_status": "PAUSED",
    }


def open_ticket(page: Page, board: BoardData, ticket_id: str) -> None:
    page.goto(f"/tickets/{uuid.UUID(ticket_id)}")
    expect(page.get_by_role("heading", name=board.platform_name, level=1)).to_be_visible()


def current_status(page: Page):
    return page.locator("#status-panel .current-status .tcount")


def press_qa_testing(page: Page) -> None:
    """Press the status panel's "QA testing" button and wait for the server's answer."""
    button = page.locator("#status-panel").get_by_role("button", name="QA testing", exact=True)
    with page.expect_response(lambda r: r.url.endswith("/move")) as answer:
        button.click()
    assert answer.value.status == 200


@pytest.mark.parametrize("platform", ["META", "TIKTOK", "GOOGLE"])
def test_valid_ticket_passes_qa_and_goes_on_to_ready_for_api(
    page: Page, login, live_sql, screenshot, platform
):
    login("admin")
    board = make_board(live_sql, "DRAFT", platform=platform)
    (ticket_id,) = board.ticket_ids
    set_settings(live_sql, ticket_id, valid_settings(board.platform_name))
    open_ticket(page, board, ticket_id)
    expect(current_status(page)).to_have_text("Draft")
    qa_panel = page.get_by_role("region", name="Pre-flight QA")
    expect(qa_panel).to_contain_text("QA runs when the ticket moves to QA testing")
    expect(qa_panel.locator("table")).to_have_count(0)

    press_qa_testing(page)

    # One press: QA testing ran every rule and passed the ticket on.
    expect(current_status(page)).to_have_text("Ready for API")
    expect(page.locator("#status-panel .qa-reason")).to_have_count(0)
    rows = qa_panel.locator("tbody tr")
    expect(rows.first).to_be_visible()
    n = rows.count()
    assert n >= 8, f"only {n} QA rules shown"
    expect(qa_panel.locator("tbody tr.qa-pass")).to_have_count(n)
    expect(qa_panel.locator("tbody td", has_text="✓ passed")).to_have_count(n)
    for title in BAD_RULES:
        expect(qa_panel.locator("tbody tr", has_text=title)).to_contain_text("✓ passed")
    history = page.locator("#history li")
    expect(history.first.locator(".timeline-move")).to_have_text("QA testing → Ready for API")
    expect(history.first.locator(".timeline-reason")).to_have_text(
        f"Pre-flight QA: {n} of {n} rules passed."
    )
    expect(history.nth(1).locator(".timeline-move")).to_have_text("Draft → QA testing")
    screenshot(page, f"ticket-qa-passed-{platform.lower()}")

    status, _version, reason = ticket_row(live_sql, ticket_id)
    assert (status, reason) == ("READY_FOR_API", None)
    ((report,),) = live_sql("SELECT qa_report FROM tickets WHERE id = ?", (ticket_id,))
    assert len(json.loads(report)) == n

    # The board agrees.
    open_board(page, board)
    expect(cards(page, "READY_FOR_API").locator(f"#ticket-{uuid.UUID(ticket_id)}")).to_have_count(1)


def test_bad_ticket_fails_qa_with_every_blocking_problem(page: Page, login, live_sql, screenshot):
    login("admin")
    board = make_board(live_sql, "DRAFT", platform="META")
    (ticket_id,) = board.ticket_ids
    set_settings(live_sql, ticket_id, bad_settings())
    open_ticket(page, board, ticket_id)

    press_qa_testing(page)

    expect(current_status(page)).to_have_text("QA failed")
    found = page.locator("#status-panel .qa-reason")
    expect(found).to_contain_text("QA found:")
    for title in BAD_RULES:
        expect(found).to_contain_text(f"[{title}]")
    expect(found).to_contain_text("before it starts")
    expect(found).to_contain_text("The landing URL is not https")

    qa_panel = page.get_by_role("region", name="Pre-flight QA")
    for title in BAD_RULES:
        expect(qa_panel.locator("tbody tr", has_text=title)).to_contain_text("✕ blocks")
    blocking = qa_panel.locator("tbody tr.qa-block")
    assert blocking.count() >= len(BAD_RULES)
    # A warning is shown too, but is not what sent the ticket back.
    expect(qa_panel.locator("tbody tr", has_text="utm_source and utm_medium")).to_contain_text(
        "! warning"
    )
    expect(found).not_to_contain_text("utm_source and utm_medium")
    history = page.locator("#history li")
    expect(history.first.locator(".timeline-move")).to_have_text("QA testing → QA failed")
    expect(history.first.locator(".timeline-reason")).to_contain_text("Blocking:")
    screenshot(page, "ticket-qa-failed")

    status, _version, reason = ticket_row(live_sql, ticket_id)
    assert status == "QA_FAILED"
    for title in BAD_RULES:
        assert f"[{title}]" in reason

    # Still visible after a reload, and the ticket's settings may be edited again.
    page.reload()
    expect(current_status(page)).to_have_text("QA failed")
    expect(page.locator("#status-panel .qa-reason")).to_contain_text("[Budget is positive]")
    expect(qa_panel.locator("tbody tr.qa-block")).to_have_count(blocking.count())
    expect(page.get_by_role("button", name="Edit settings")).to_be_visible()

    # The board shows it under QA failed.
    open_board(page, board)
    expect(cards(page, "QA_FAILED").locator(f"#ticket-{uuid.UUID(ticket_id)}")).to_have_count(1)

    # And the campaign report lists the problems under its QA results.
    page.goto(f"/campaigns/{board.campaign_id}/report?version=internal")
    qa_results = page.locator("section", has=page.get_by_role("heading", name="QA results"))
    expect(qa_results).to_contain_text("Budget is positive")
    expect(qa_results).to_contain_text("The flight is sane")


def test_platform_request_panel_shows_the_meta_calls(page: Page, login, live_sql):
    login("admin")
    board = make_board(live_sql, "DRAFT", "DRAFT", platform="META")
    good, bad = board.ticket_ids
    set_settings(live_sql, good, valid_settings(board.platform_name))
    set_settings(live_sql, bad, {"budget_type": "DAILY"})

    open_ticket(page, board, good)
    panel = page.get_by_role("region", name="Platform request")
    lines = panel.locator(".payload-line")
    expect(lines).to_have_count(2)
    expect(lines.first.locator(".method")).to_have_text("POST")
    expect(lines.first.locator("code")).to_have_text(
        re.compile(r"^/v[\d.]+/act_\{ad_account_id\}/campaigns$")
    )
    expect(lines.nth(1).locator(".method")).to_have_text("POST")
    expect(lines.nth(1).locator("code")).to_have_text(
        re.compile(r"^/v[\d.]+/act_\{ad_account_id\}/adsets$")
    )
    body = json.loads(panel.locator("#payload-1").inner_text())
    assert board.platform_name in json.dumps(body)

    # A ticket that is missing settings says what keeps it from becoming a request.
    open_ticket(page, board, bad)
    panel = page.get_by_role("region", name="Platform request")
    expect(panel.locator(".payload-line")).to_have_count(0)
    expect(panel).to_contain_text("cannot become a")
    expect(panel.locator("ul.problems li").first).to_be_visible()
