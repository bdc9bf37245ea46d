"""Readable for people who see less well (issue 23): the focus ring stands out at least 3:1
against what is behind it on every kind of control (WCAG 2.2 1.4.11, non-text contrast:
https://www.w3.org/WAI/WCAG22/Understanding/non-text-contrast.html), and no text on a board
card is smaller than 12 px."""

import re

from playwright.sync_api import Page

from .keyboard import tab_to
from .test_board_flows import card, make_board, open_board


def luminance(rgb: str) -> float:
    """Relative luminance of a CSS rgb()/rgba() colour (WCAG 2 formula)."""
    r, g, b = (int(c) / 255 for c in re.findall(r"[\d.]+", rgb)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ring(page: Page) -> tuple[str, float, str]:
    """(outline colour, outline width in px, colour behind the focused element)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            let behind = 'rgb(255, 255, 255)';
            for (let a = el.parentElement; a; a = a.parentElement) {
                const bg = getComputedStyle(a).backgroundColor;
                if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { behind = bg; break; }
            }
            return [style.outlineColor, parseFloat(style.outlineWidth), behind];
        }"""
    )


def test_the_focus_ring_is_at_least_3_to_1_on_every_kind_of_control(page: Page, login, live_sql):
    login("trafficker")
    board = make_board(live_sql, "READY_FOR_API")
    (ticket_id,) = board.ticket_ids
    open_board(page, board)
    ticket_card = card(page, ticket_id)
    targets = [
        page.get_by_role("link", name="Skip to board"),
        page.locator(".topbar a.logo"),
        page.get_by_label("Search platform names"),
        page.get_by_label("Brand", exact=True),
        ticket_card,
        ticket_card.locator("a.card-title"),
        ticket_card.get_by_role("button", name=re.compile("^Send ")),
        ticket_card.get_by_role("combobox", name=re.compile("^Move ")),
    ]
    weak = []
    for target in targets:
        tab_to(page, target, limit=200)
        color, width, behind = ring(page)
        ratio = contrast(color, behind)
        if width < 2 or ratio < 3:
            weak.append(f"{target}: {width}px {color} on {behind} = {ratio:.2f}:1")
    assert not weak, "\n".join(weak)


def test_no_text_on_a_board_card_is_under_12_px(page: Page, login, live_sql):
    login("trafficker")
    board = make_board(live_sql, "READY_FOR_API", "QA_TESTING", "FAILED")
    open_board(page, board)
    small = page.evaluate(
        """() => {
            const found = [];
            for (const el of document.querySelectorAll('#board .card, #board .card *')) {
                const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                const size = parseFloat(getComputedStyle(el).fontSize);
                if (own && size < 12) found.push(`${el.tagName}.${el.className}: ${size}px`);
            }
            return found;
        }"""
    )
    assert not small, "\n".join(small)
