"""At 390 px (a phone) no page scrolls sideways: `document.documentElement.scrollWidth` stays
within the viewport on every page type each role opens (issue 23; the portfolio report, the
ticket page and the campaign report used to be 837, 682 and 411 px wide). Wide tables scroll
inside their own region instead, which the keyboard can reach and which says what it holds."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_accessibility_flows import page_urls, sign_in

WIDTH = 390


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, base_url=live_server, is_mobile=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"JavaScript error: {err}"))
    yield page
    context.close()
    assert not errors, "\n".join(errors)


def too_wide(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= WIDTH:
        return []
    culprits = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 1)
            .filter(el => {
                for (let a = el.parentElement; a; a = a.parentElement) {
                    const overflow = getComputedStyle(a).overflowX;
                    if (['auto', 'scroll', 'hidden'].includes(overflow)) return false;
                }
                return true;
            })
            .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className)""",
        WIDTH,
    )
    return [f"{url} is {width} px wide at {WIDTH} px: {', '.join(culprits)}"]


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_no_page_scrolls_sideways_at_390_px(phone: Page, live_sql, role):
    found = too_wide(phone, "/login")
    sign_in(phone, role)
    for url in page_urls(live_sql, role):
        found += too_wide(phone, url)
    assert not found, "\n".join(found)


def test_a_wide_table_scrolls_in_a_region_the_keyboard_reaches(phone: Page, live_sql):
    sign_in(phone, "admin")
    phone.goto("/reports/")
    region = phone.get_by_role("region", name="Budget by brand")
    expect(region).to_be_visible()
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: no scroll"
    region.focus()
    phone.keyboard.press("ArrowRight")
    expect(region).to_be_focused()
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
