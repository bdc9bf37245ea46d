"""Keyboard-only helpers for the browser tests: reach a control with Tab, choose an option
with the arrow keys, and ask what has the focus. Nothing here clicks or fills."""

from playwright.sync_api import Locator, Page, expect

MAX_TABS = 120


def focused(page: Page) -> str:
    """A short description of the focused element (for assertion messages)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return 'nothing';
            const cls = typeof el.className === 'string' && el.className
                ? '.' + el.className.split(' ').join('.') : '';
            const words = (el.getAttribute('aria-label') || el.textContent || '').trim();
            const id = el.id ? '#' + el.id : '';
            return `${el.tagName.toLowerCase()}${id}${cls} "${words.slice(0, 60)}"`;
        }"""
    )


def is_focused(target: Locator) -> bool:
    return target.evaluate("el => el === document.activeElement")


def tab_to(page: Page, target: Locator, limit: int = MAX_TABS, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until `target` has the focus; return how many presses it took.
    Fails if the keyboard cannot reach it within `limit` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if is_focused(target):
            return presses
    raise AssertionError(f"{limit} x {key} never reached {target}; focus is on {focused(page)}")


def choose(page: Page, select: Locator, label: str) -> None:
    """Choose the option whose text contains `label` in the focused <select>, with the arrow
    keys only (as a keyboard user does on a closed menu)."""
    expect(select).to_be_focused()
    wanted, now = select.evaluate(
        """(el, label) => [[...el.options].findIndex(o => o.text.includes(label)),
                           el.selectedIndex]""",
        label,
    )
    assert wanted >= 0, f"no option {label!r} in {select}"
    key = "ArrowDown" if wanted > now else "ArrowUp"
    for _ in range(abs(wanted - now)):
        page.keyboard.press(key)
    expect(select.locator("option:checked")).to_contain_text(label)
