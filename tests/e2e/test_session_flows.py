"""Sessions in a real browser: the profile lists them and signs out the others."""

import re

from playwright.sync_api import Browser, Page, expect

from .conftest import PASSWORD, VIEWER_EMAIL


def test_signing_out_other_sessions_from_the_profile(
    browser: Browser, live_server: str, page: Page, login, screenshot
):
    phone = browser.new_context(base_url=live_server).new_page()
    phone.goto("/login")
    phone.get_by_label("Email").fill(VIEWER_EMAIL)
    phone.get_by_label("Password", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", name="Board", level=1)).to_be_visible()

    login("viewer")
    page.goto("/profile")
    sessions = page.locator("#sessions tbody tr")
    expect(sessions.filter(has_text="this browser")).to_have_count(1)
    screenshot(page, "profile-sessions")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign out other sessions").click()
    expect(page.get_by_text(re.compile(r"Signed out \d+ other sessions?\."))).to_be_visible()
    expect(sessions).to_have_count(1)

    phone.goto("/markets/")
    expect(phone).to_have_url(re.compile(r"/login"))
    phone.context.close()
