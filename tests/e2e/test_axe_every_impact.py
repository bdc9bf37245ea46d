"""axe-core finds nothing at all, of any impact, on every page type as each role, on the board
after a move and on forms that came back with errors (issue 23: "zero violations of any
impact"). The serious-only audit in test_accessibility_flows.py shares its page list and
sign-in; this file holds the stricter bar.
"""

import uuid

import pytest
from playwright.sync_api import Page, expect

from . import test_accessibility_flows as serious_only
from .test_accessibility_flows import FORMS, audit, page_urls, sign_in
from .test_board_flows import card, cards, make_board

# The same browser page as the serious-only audit: axe-core added despite the app's CSP.
audited = serious_only.audited


def every_violation(page: Page, where: str) -> list[str]:
    """Every axe-core violation on the page as it is now, whatever its impact.

    axe-core's rule "label-content-name-mismatch" (an accessible name must contain the
    visible text, WCAG 2.5.3) is experimental and off by default: it is switched on here.
    https://dequeuniversity.com/rules/axe/4.10/label-content-name-mismatch
    """
    return audit(
        page, where, impacts=None, rules={"label-content-name-mismatch": {"enabled": True}}
    )


def visit(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    page.wait_for_load_state("load")
    return every_violation(page, url)


@pytest.mark.parametrize("role", ["admin", "trafficker", "viewer"])
def test_no_page_has_any_violation(audited: Page, live_sql, role):
    found = visit(audited, "/login")
    sign_in(audited, role)
    for url in page_urls(live_sql, role):
        found += visit(audited, url)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("role", ["admin", "trafficker"])
def test_forms_with_errors_have_no_violation(audited: Page, role):
    sign_in(audited, role)
    found = []
    for url, button in FORMS[role]:
        audited.goto(url)
        audited.get_by_role("button", name=button).click()
        audited.wait_for_load_state("load")
        found += every_violation(audited, f"{url} with errors")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("role", ["admin", "trafficker"])
def test_the_board_after_a_move_has_no_violation(audited: Page, live_sql, role):
    sign_in(audited, role)
    board = make_board(live_sql, "QA_TESTING", "DRAFT")
    testing = board.ticket_ids[0]
    audited.goto(board.url)
    moving = card(audited, testing)
    moving.get_by_role("combobox", name=f"Move {board.platform_name} to…").select_option(
        "READY_FOR_API"
    )
    moving.get_by_role("button", name="Move").click()
    landed = cards(audited, "READY_FOR_API").locator(".card").first
    expect(landed).to_have_id(f"ticket-{uuid.UUID(testing)}")
    expect(landed).to_be_focused()
    found = every_violation(audited, "/board/ after a move")
    assert not found, "\n".join(found)
