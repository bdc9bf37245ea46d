"""axe-core audits every page type, signed in as an admin, a trafficker and a viewer: no
serious or critical violation anywhere, including the board after a move and forms with
errors.

axe-core comes from npm (package.json's devDependencies, node_modules/axe-core) and is put
into each page by the test itself, never served by the app or fetched from a CDN; the
browser context bypasses the app's Content-Security-Policy for that one script.
"""

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import PASSWORD, ROOT, USERS
from .test_report_flows import make_report_campaign

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture
def audited(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page whose context lets the test add axe-core despite the app's CSP."""
    assert AXE.exists(), "axe-core is missing: run `make install` (npm ci)"
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, base_url=live_server, bypass_csp=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"JavaScript error: {err}"))
    page.on(
        "response",
        lambda r: r.status >= 500 and errors.append(f"{r.status} {r.request.method} {r.url}"),
    )
    yield page
    context.close()
    assert not errors, "\n".join(errors)


def sign_in(page: Page, role: str) -> None:
    page.goto("/login?next=/markets/")
    page.get_by_label("Email").fill(USERS[role])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Markets", level=1)).to_be_visible()


def audit(page: Page, where: str, impacts=SERIOUS, rules: dict | None = None) -> list[str]:
    """The axe-core violations of `impacts` (all when None) on the page as it is now, with
    axe's `rules` option switching rules on or off."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (rules) => {
            const result = await axe.run(document, {resultTypes: ['violations'], rules});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ')),
            }));
        }""",
        rules or {},
    )
    return [
        f"{where}: [{v['impact']}] {v['id']}: {v['help']} at {'; '.join(v['nodes'])}"
        for v in violations
        if impacts is None or v["impact"] in impacts
    ]


def visit_and_audit(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    page.wait_for_load_state("load")
    return audit(page, url)


def page_urls(live_sql, role: str) -> list[str]:
    """One URL of every page type the role can open, with real rows behind them."""
    data = make_report_campaign(live_sql)
    ticket_id, market_id, brand_id, channel_id = live_sql(
        "SELECT t.id, c.market_id, c.brand_id, t.channel_id FROM tickets t"
        " JOIN campaigns c ON c.id = t.campaign_id WHERE c.id = ? LIMIT 1",
        (data.campaign_id.hex,),
    )[0]
    ticket, campaign = uuid.UUID(ticket_id), data.campaign_id
    urls = [
        "/board/",
        "/campaigns/",
        "/campaigns/?sort=budget&dir=desc",
        f"/campaigns/{campaign}",
        f"/campaigns/{campaign}/report",
        f"/campaigns/{campaign}/report?version=internal",
        "/tickets/",
        f"/tickets/{ticket}",
        "/reports/",
        "/reports/?year=20x6",
        "/markets/",
        "/brands/",
        "/channels/",
        "/naming/",
        "/naming/lists",
        "/naming/decoder",
        "/creatives/",
        f"/creatives/brands/{uuid.UUID(brand_id)}",
        "/notifications/",
        "/settings/notifications",
        "/api/",
        "/profile",
        "/no-such-page",
    ]
    if role in ("admin", "trafficker"):
        urls += [
            "/campaigns/new",
            f"/campaigns/{campaign}/edit",
            "/tickets/new",
            f"/tickets/{ticket}/edit",
            f"/bulk/campaigns/{campaign}/tickets",
            "/imports/campaigns",
            "/naming/audit",
        ]
    if role == "admin":
        (user_id,) = live_sql("SELECT id FROM users WHERE email = ?", (USERS["viewer"],))[0]
        urls += [
            "/board/limits",
            "/naming/conventions/edit",
            "/naming/lists/edit",
            "/settings/webhook",
            "/markets/new",
            f"/markets/{uuid.UUID(market_id)}/edit",
            f"/brands/{uuid.UUID(brand_id)}/edit",
            f"/channels/{uuid.UUID(channel_id)}/edit",
            "/users/",
            "/users/new",
            f"/users/{uuid.UUID(user_id)}/edit",
            "/settings/",
        ]
    return urls


@pytest.mark.parametrize("role", ["admin", "trafficker", "viewer"])
def test_no_page_has_a_serious_or_critical_violation(audited: Page, live_sql, role):
    found = visit_and_audit(audited, "/login")
    sign_in(audited, role)
    for url in page_urls(live_sql, role):
        found += visit_and_audit(audited, url)
    assert not found, "\n".join(found)


FORMS = {
    "admin": [
        ("/campaigns/new", "Create campaign"),
        ("/tickets/new", "Open ticket"),
        ("/markets/new", "Create market"),
        ("/users/new", "Create user"),
        ("/settings/", "Save rate"),
    ],
    "trafficker": [
        ("/campaigns/new", "Create campaign"),
        ("/tickets/new", "Open ticket"),
        ("/naming/decoder", "Check names"),
    ],
}


@pytest.mark.parametrize("role", ["admin", "trafficker"])
def test_forms_with_errors_and_the_live_preview_pass(audited: Page, live_sql, role):
    sign_in(audited, role)
    found = []
    for url, button in FORMS[role]:
        audited.goto(url)
        audited.get_by_role("button", name=button).click()
        audited.wait_for_load_state("load")
        found += audit(audited, f"{url} with errors")
    # The live preview in each of its states: a bad year, then a complete name.
    data = make_report_campaign(live_sql)
    audited.goto("/campaigns/new")
    ((market_id,),) = live_sql(
        "SELECT market_id FROM campaigns WHERE id = ?", (data.campaign_id.hex,)
    )
    audited.get_by_label("Brand").select_option(value=str(data.brand_id))
    audited.get_by_label("Market").select_option(value=str(uuid.UUID(market_id)))
    audited.get_by_label("Year").fill("20x6")
    expect(audited.locator("#name-preview")).to_contain_text("Year must be four digits")
    found += audit(audited, "/campaigns/new with a bad year")
    assert not found, "\n".join(found)
