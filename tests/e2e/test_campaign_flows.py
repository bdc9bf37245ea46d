"""What an editor sees when they name, create, edit, list and delete campaigns in a browser.

The live server is shared by the whole session, so every test makes its own brand and market
(with codes nobody else uses) and only looks at campaigns carrying them.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import Locator, Page, expect

from .conftest import ADMIN_EMAIL
from .test_reference_flows import create_brand, create_market, field

CAMPAIGN_URL = re.compile(r"/campaigns/([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})$")


@dataclass(frozen=True)
class Refs:
    """A brand and a market made for one test."""

    brand_code: str
    brand_name: str
    market_code: str
    country: str  # its name; the market is made in Ecuador
    currency: str

    @property
    def brand_option(self) -> str:
        return f"{self.brand_name} ({self.brand_code})"

    @property
    def market_option(self) -> str:
        return f"{self.market_code} — {self.country} ({self.currency})"

    def name(self, typed: str, year: int | None = None) -> str:
        """The generated name a campaign of this brand and market gets."""
        return f"{self.brand_code}_{self.market_code}_MULTI_{year or date.today().year}_{typed}"


def make_refs(page: Page, currency: str = "USD") -> Refs:
    """Create a brand and a market with fresh codes through the reference-data UI."""
    suffix = uuid.uuid4().hex[:6].upper()
    refs = Refs(f"B{suffix}", f"Brand {suffix}", f"M{suffix}", "Ecuador", currency)
    create_brand(page, refs.brand_name, refs.brand_code.lower())
    create_market(page, refs.market_code.lower(), "EC", "NA", currency.lower())
    return refs


def choose_brand_and_market(page: Page, refs: Refs) -> None:
    field(page, "Brand").select_option(label=refs.brand_option)
    field(page, "Market").select_option(label=refs.market_option)


def create_campaign(
    page: Page, refs: Refs, typed: str, budget: str = "0", status: str = "Draft"
) -> str:
    """Create a campaign through the form; return its page's URL."""
    page.goto("/campaigns/new")
    choose_brand_and_market(page, refs)
    field(page, "Campaign name").fill(typed)
    field(page, "Budget").fill(budget)
    field(page, "Status").select_option(label=status)
    page.get_by_role("button", name="Create campaign").click()
    expect(page).to_have_url(CAMPAIGN_URL)
    expect(page.locator(".flash-success")).to_contain_text("created.")
    return page.url


def campaign_id(url: str) -> str:
    match = CAMPAIGN_URL.search(url)
    assert match, url
    return match.group(1)


def preview(page: Page) -> Locator:
    return page.locator("#name-preview")


def result_rows(page: Page) -> Locator:
    return page.locator("#results tbody tr")


def result_names(page: Page) -> Locator:
    return page.locator("#results tbody tr td:first-child")


def test_preview_follows_typing_without_reload(page: Page, login, live_sql, screenshot):
    login("admin")
    refs = make_refs(page)
    year = date.today().year
    page.goto("/campaigns/new")
    page.evaluate("window.__e2eSamePage = true")
    expect(field(page, "Year")).to_have_value(str(year))
    expect(field(page, "Status")).to_have_value("DRAFT")
    expect(preview(page).locator(".preview-state")).to_have_text(
        "Choose a brand and a market to see the name."
    )

    choose_brand_and_market(page, refs)  # the selects ask for the preview too
    expect(preview(page).locator(".preview-state")).not_to_have_text(
        "Choose a brand and a market to see the name."
    )

    # Typing key by key asks the server for the name once the user pauses, not per key.
    preview_requests: list[str] = []
    page.on("request", lambda r: "/campaigns/preview" in r.url and preview_requests.append(r.url))
    field(page, "Campaign name").press_sequentially("Moana Launch!")
    expect(preview(page).locator(".preview-name")).to_have_text(refs.name("MoanaLaunch"))
    expect(preview(page).locator(".preview-prefix")).to_have_text(
        f"{refs.brand_code}_{refs.market_code}_MULTI_{year}_"
    )
    expect(preview(page).locator("mark.preview-typed")).to_have_text("MoanaLaunch")
    expect(preview(page).locator(".preview-state")).to_contain_text("Name is available")
    expect(preview(page).locator(".name-preview")).to_have_class(re.compile(r"\bpreview-valid\b"))
    expect(preview(page)).to_contain_text("Budget is in USD.")
    assert 1 <= len(preview_requests) < len("Moana Launch!"), preview_requests
    screenshot(page, "campaign-new-preview")

    field(page, "Campaign name").fill("!!!")
    state = preview(page).locator(".preview-state")
    expect(state).to_contain_text("Invalid:")
    expect(state).to_contain_text("needs at least one letter A-Z or digit")
    expect(preview(page).locator("mark.preview-typed")).to_have_count(0)
    screenshot(page, "campaign-new-invalid")

    field(page, "Campaign name").fill("Moana Launch!")
    field(page, "Year").fill("2031")
    expect(preview(page).locator(".preview-name")).to_have_text(refs.name("MoanaLaunch", 2031))
    expect(preview(page).locator(".preview-state")).to_contain_text("Name is available")

    field(page, "Year").fill("31")
    expect(preview(page).locator(".preview-state")).to_contain_text(
        "Invalid: Year must be four digits"
    )

    assert page.evaluate("window.__e2eSamePage") is True, "the page was reloaded"
    expect(page).to_have_url(re.compile(r"/campaigns/new$"))  # nothing was submitted
    saved = live_sql(
        "SELECT COUNT(*) FROM campaigns WHERE brand_id IN"
        " (SELECT id FROM brands WHERE internal_code = ?)",
        (refs.brand_code,),
    )
    assert saved == [(0,)], "previewing saved a campaign"


def test_taken_name_is_shown_before_submit(page: Page, login, live_sql, screenshot):
    login("admin")
    refs = make_refs(page)
    existing_url = create_campaign(page, refs, "Moana Launch")
    existing_name = refs.name("MoanaLaunch")

    page.goto("/campaigns/new")
    choose_brand_and_market(page, refs)
    field(page, "Campaign name").fill("moana LAUNCH")
    state = preview(page).locator(".preview-state")
    expect(state).to_contain_text("Already taken by")
    link = state.get_by_role("link", name=existing_name)
    expect(link).to_have_attribute("href", "/campaigns/" + campaign_id(existing_url))
    expect(preview(page).locator(".preview-name")).to_have_text(refs.name("moanaLAUNCH"))
    expect(page).to_have_url(re.compile(r"/campaigns/new$"))
    screenshot(page, "campaign-new-taken")

    # Create is disabled while the name is taken, saying why (the server refuses a taken
    # name anyway: tests/test_campaigns.py); still only one such campaign.
    create = page.get_by_role("button", name="Create campaign")
    expect(create).to_be_disabled()
    expect(page.locator("#create-blocked")).to_have_text("Choose another name: this one is taken.")
    field(page, "Campaign name").fill("moana LAUNCH again")
    expect(create).to_be_enabled()
    field(page, "Campaign name").fill("moana LAUNCH")
    expect(create).to_be_disabled()
    rows = live_sql(
        "SELECT COUNT(*) FROM campaigns WHERE lower(name) = ?", (existing_name.lower(),)
    )
    assert rows == [(1,)]

    preview(page).get_by_role("link", name=existing_name).click()
    expect(page).to_have_url(existing_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(existing_name)


def test_creating_a_campaign_lands_on_its_page(page: Page, login, screenshot):
    login("admin")
    refs = make_refs(page)
    year = date.today().year
    page.goto("/campaigns/new")
    choose_brand_and_market(page, refs)
    field(page, "Campaign name").fill("Moana Launch!")
    field(page, "Budget").fill("1500.50")
    expect(preview(page).locator(".preview-name")).to_have_text(refs.name("MoanaLaunch"))
    page.get_by_role("button", name="Create campaign").click()

    name = refs.name("MoanaLaunch")
    expect(page).to_have_url(CAMPAIGN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".flash-success")).to_have_text(f"Campaign {name} created.")
    parts = page.get_by_role("region", name="Name parts").locator(".part")
    expect(parts.locator(".part-label")).to_have_text(
        ["Brand", "Market", "Channel", "Year", "Campaign"]
    )
    expect(parts.locator("code")).to_have_text(
        [refs.brand_code, refs.market_code, "MULTI", str(year), "MoanaLaunch"]
    )
    expect(parts.nth(0)).to_contain_text(refs.brand_name)
    expect(parts.nth(1)).to_contain_text(refs.country)
    expect(parts.nth(4)).to_contain_text("typed as “Moana Launch!”")
    facts = page.locator("section.facts")
    expect(facts).to_contain_text("$1,500.50")
    expect(facts.locator(".status")).to_have_text("Draft")
    expect(facts).to_contain_text(f"by {ADMIN_EMAIL}")
    expect(page.get_by_text("No tickets yet.")).to_be_visible()
    screenshot(page, "campaign-page")


def test_edit_changes_budget_and_shows_name_read_only(page: Page, login, screenshot):
    login("admin")
    refs = make_refs(page)
    url = create_campaign(page, refs, "Edit Me", budget="1500.50")
    name = refs.name("EditMe")

    page.get_by_role("button", name="Edit budget & status").click()
    expect(page).to_have_url(url + "/edit")
    facts = page.locator("dl.readonly-facts")
    expect(facts.locator("dt")).to_have_text(["Name", "Brand", "Market", "Year"])
    expect(facts.locator("dd")).to_have_text(
        [name, refs.brand_name, f"{refs.market_code} (USD)", str(date.today().year)]
    )
    form = page.locator("main form[method=post]").first
    # Only the budget, the status and the CSRF token can be sent.
    names = form.locator("input, select, textarea").evaluate_all("els => els.map(e => e.name)")
    assert sorted(names) == ["budget", "csrf_token", "status"]
    for label in ("Name", "Campaign name", "Brand", "Market", "Year"):
        expect(page.get_by_label(label, exact=True)).to_have_count(0)
    expect(field(page, "Budget")).to_have_value("1500.50")
    expect(field(page, "Status").locator("option")).to_have_text(["Draft", "Active"])
    expect(field(page, "Status")).to_have_value("DRAFT")
    screenshot(page, "campaign-edit")

    field(page, "Budget").fill("2000")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(url)
    expect(page.locator(".flash-success")).to_have_text(f"Campaign {name} saved.")
    expect(page.locator("section.facts")).to_contain_text("$2,000.00")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    # An ACTIVE campaign offers its own moves.
    page.get_by_role("button", name="Edit budget & status").click()
    field(page, "Status").select_option("ACTIVE")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("section.facts .status")).to_have_text("Active")
    page.get_by_role("button", name="Edit budget & status").click()
    expect(field(page, "Status").locator("option")).to_have_text(["Active", "Paused", "Completed"])


def test_a_forged_post_cannot_change_the_name(page: Page, login, live_sql):
    login("admin")
    refs = make_refs(page)
    other = make_refs(page, currency="EUR")
    url = create_campaign(page, refs, "Keep Name", budget="100")
    name = refs.name("KeepName")
    id_ = campaign_id(url)
    (other_brand,) = live_sql("SELECT id FROM brands WHERE internal_code = ?", (other.brand_code,))[
        0
    ]
    (other_market,) = live_sql("SELECT id FROM markets WHERE code = ?", (other.market_code,))[0]
    select_row = (
        "SELECT name, campaign_name, brand_id, market_id, year, budget FROM campaigns WHERE id = ?"
    )
    (before,) = live_sql(select_row, (uuid.UUID(id_).hex,))

    page.goto(url + "/edit")
    token = page.locator("form input[name=csrf_token]").first.input_value()
    assert token
    response = page.request.post(
        url + "/edit",
        form={
            "csrf_token": token,
            "budget": "250",
            "status": "DRAFT",
            "name": "EVIL_XX_MULTI_2099_Hacked",
            "campaign_name": "Hacked",
            "brand_id": str(uuid.UUID(other_brand)),
            "market_id": str(uuid.UUID(other_market)),
            "year": "2099",
        },
    )
    assert response.ok, response.status  # accepted (the redirect to the campaign page)
    assert response.url == url

    (after,) = live_sql(select_row, (uuid.UUID(id_).hex,))
    assert after[:5] == before[:5]  # name, typed name, brand, market and year as they were
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("section.facts")).to_contain_text("$250.00")  # only the budget moved
    parts = page.get_by_role("region", name="Name parts").locator("code")
    expect(parts).to_have_text(
        [refs.brand_code, refs.market_code, "MULTI", str(date.today().year), "KeepName"]
    )

    # A status move the rules forbid is refused with a message, also when forged.
    response = page.request.post(
        url + "/edit", form={"csrf_token": token, "budget": "250", "status": "COMPLETED"}
    )
    assert response.status == 422
    assert "cannot move to COMPLETED" in response.text()

    # Without the CSRF token nothing happens at all.
    response = page.request.post(url + "/edit", form={"budget": "1", "status": "DRAFT"})
    assert response.status in (400, 403)
    page.goto(url)
    expect(page.locator("section.facts")).to_contain_text("$250.00")
    expect(page.locator("section.facts .status")).to_have_text("Draft")


def test_list_search_filter_sort_and_back_button(page: Page, login, screenshot):
    login("admin")
    refs = make_refs(page)
    create_campaign(page, refs, "Alpha Spring", budget="300")
    create_campaign(page, refs, "Beta Summer", budget="100", status="Active")
    create_campaign(page, refs, "Gamma Fall", budget="200")
    alpha, beta, gamma = (refs.name(t) for t in ("AlphaSpring", "BetaSummer", "GammaFall"))

    page.goto("/campaigns/")
    expect(page.get_by_role("heading", name="Campaigns", level=1)).to_be_visible()
    page.evaluate("window.__e2eSamePage = true")
    search = page.get_by_role("searchbox", name="Search campaign names")
    with page.expect_response(
        lambda r: f"q={refs.brand_code}" in r.url and r.request.headers.get("hx-request") == "true"
    ) as fragment:
        search.press_sequentially(refs.brand_code)
    assert fragment.value.status == 200
    expect(page).to_have_url(re.compile(rf"/campaigns/\?(.*&)?q={refs.brand_code}(&|$)"))
    expect(page.locator(".result-count")).to_have_text("3 campaigns")
    expect(result_names(page)).to_have_text([gamma, beta, alpha])  # newest first
    row = result_rows(page).filter(has_text=beta)
    expect(row.locator("td")).to_have_text(
        [beta, refs.brand_name, refs.market_code, str(date.today().year), "$100.00", "Active"]
        + ["none", re.compile(r"\d{4}-\d\d-\d\d")]
    )
    screenshot(page, "campaigns-list")

    page.get_by_label("Status", exact=True).select_option(label="Draft")
    expect(page).to_have_url(re.compile(r"[?&]status=DRAFT(&|$)"))
    expect(page.locator(".result-count")).to_have_text("2 campaigns")
    assert "brand=" not in page.url and "market=" not in page.url  # empty filters stay out
    expect(result_names(page)).to_have_text([gamma, alpha])
    filtered_url = page.url

    page.locator("#results thead").get_by_role("link", name="Budget").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=budget&dir=asc(&|$)"))
    expect(page.locator("#results th[aria-sort=ascending]")).to_contain_text("Budget")
    expect(result_names(page)).to_have_text([gamma, alpha])  # $200, $300
    expect(page).to_have_url(re.compile(r"[?&]status=DRAFT(&|$)"))
    ascending_url = page.url

    page.locator("#results thead").get_by_role("link", name="Budget").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=budget&dir=desc(&|$)"))
    expect(result_names(page)).to_have_text([alpha, gamma])  # $300, $200

    page.go_back()
    expect(page).to_have_url(ascending_url)
    expect(result_names(page)).to_have_text([gamma, alpha])
    page.go_back()
    expect(page).to_have_url(filtered_url)
    expect(page.locator(".result-count")).to_have_text("2 campaigns")
    expect(result_names(page)).to_have_text([gamma, alpha])
    expect(page.get_by_role("searchbox", name="Search campaign names")).to_have_value(
        refs.brand_code
    )

    # The same URL, opened afresh, renders the whole page with the filters filled in.
    page.goto(ascending_url)
    expect(page.get_by_role("heading", name="Campaigns", level=1)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search campaign names")).to_have_value(
        refs.brand_code
    )
    expect(page.get_by_label("Status", exact=True)).to_have_value("DRAFT")
    expect(result_names(page)).to_have_text([gamma, alpha])


def test_delete_draft_campaign_after_confirming(page: Page, login):
    login("admin")
    refs = make_refs(page)
    url = create_campaign(page, refs, "Short Lived")
    name = refs.name("ShortLived")

    messages: list[str] = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Delete").click()
    assert messages == [f"Delete campaign {name} and its draft tickets? This cannot be undone."]
    expect(page).to_have_url(url)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(re.compile(r"/campaigns/$"))
    expect(page.locator(".flash-success")).to_have_text(f"Campaign {name} deleted.")

    page.goto(f"/campaigns/?q={refs.brand_code}")
    expect(page.get_by_text("No campaigns match these filters.")).to_be_visible()
    response = page.goto(url)
    assert response is not None and response.status == 404
