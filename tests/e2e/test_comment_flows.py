"""Issue 19, item 2 in the browser: a comment's links are clickable and its markup is shown as
text, and its author can change it for a short while, the timeline saying it was edited."""

# The fixtures come from test_board_flows.py; tests name them as parameters.
# ruff: noqa: F811

import uuid

from playwright.sync_api import Page, expect

from .test_board_flows import make_board, sign_in  # noqa: F401 (a fixture)


def test_an_author_posts_a_comment_then_changes_it(page: Page, login, live_sql):
    login("admin")
    (ticket_id,) = make_board(live_sql, "DRAFT", platform="META").ticket_ids
    page.goto(f"/tickets/{uuid.UUID(ticket_id)}")

    page.get_by_label("Comment", exact=True).fill(
        "Brief at https://example.com/brief <b>not bold</b>"
    )
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator("#history .timeline-comment").first
    expect(comment.locator(".comment-body")).to_contain_text("<b>not bold</b>")
    expect(comment.get_by_role("link", name="https://example.com/brief")).to_have_attribute(
        "href", "https://example.com/brief"
    )

    comment.get_by_role("link", name="Change").click()
    page.get_by_label("Change your comment").fill("Brief moved to Tuesday")
    page.get_by_role("button", name="Save").click()

    comment = page.locator("#history .timeline-comment").first
    expect(comment.locator(".comment-body")).to_have_text("Brief moved to Tuesday")
    expect(comment).to_contain_text("edited")
