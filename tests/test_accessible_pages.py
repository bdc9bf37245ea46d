"""What keyboard and screen-reader users get from the pages themselves (issue 23): an error
summary that links to each invalid field and every required choice reported at once; each
message tied to its field; skip links and one polite live region on every page; an h1 on the
sign-in page; the ticket status panel's heading and what it says when it changes."""

from sqlalchemy import func, select

from omnitraffick.models import Campaign, Role, TicketStatus
from tests.html import parse


def test_an_empty_brand_and_market_are_both_reported_in_the_summary(
    client, db, trafficker, dis, us
):
    response = client.post(
        "/campaigns/new",
        data={"brand_id": "", "market_id": "", "campaign_name": "", "budget": "", "year": "2026"},
    )

    assert response.status_code == 422
    page = parse(response)
    summary = page.find(cls="error-summary")
    assert summary is not None and summary.attrs["tabindex"] == "-1"
    assert "autofocus" in summary.attrs  # the focus starts on what to fix
    title = page.by_id(summary.attrs["aria-labelledby"])
    assert title.text == "4 problems to fix"
    links = [(a.attrs["href"], a.text) for a in summary.find_all("a")]
    assert links == [
        ("#brand_id", "Brand: Choose a brand."),
        ("#market_id", "Market: Choose a market."),
        ("#campaign_name", "Campaign name: This field is required."),
        ("#budget", "Budget: This field is required."),
    ]
    # Each message sits under its field, and the field points at it.
    for name, message in (("brand_id", "Choose a brand."), ("market_id", "Choose a market.")):
        control = page.by_id(name)
        assert control.attrs["aria-invalid"] == "true"
        assert page.by_id(control.attrs["aria-describedby"]).text == message
    assert page.field_errors["brand_id"] == "Choose a brand."
    # Nothing was saved.
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_a_field_with_a_hint_keeps_the_hint_tied_until_it_has_an_error(client, trafficker):
    page = parse(client.get("/campaigns/new"))
    name = page.by_id("campaign_name")
    assert page.by_id(name.attrs["aria-describedby"]).text.startswith("Letters and digits")
    assert page.find(cls="error-summary") is None
    assert "aria-invalid" not in name.attrs


def test_a_form_level_refusal_is_one_alert_that_takes_the_focus(client, make_user):
    user = make_user(Role.VIEWER)
    response = client.post("/login", data={"email": user.email, "password": "wrong-one"})
    page = parse(response)
    alert = page.find(role="alert")
    assert alert.text == "Wrong email or password."
    assert "error-summary" in alert.classes and "autofocus" in alert.attrs


def test_the_sign_in_page_has_an_h1_and_a_skip_link(client):
    page = parse(client.get("/login"))
    assert [h.text for h in page.find_all("h1")] == ["OmniTraffick"]
    skip = page.find("a", cls="skip-link")
    assert (skip.attrs["href"], skip.text) == ("#content", "Skip to content")
    assert page.by_id("content").tag == "main"


def test_every_page_has_one_polite_live_region(client, trafficker):
    for url in ("/board/", "/campaigns/", "/tickets/", "/reports/", "/markets/"):
        page = parse(client.get(url))
        regions = page.find_all(role="status") + page.find_all(**{"aria-live": "polite"})
        announcers = {id(n._tag) for n in regions if n.attrs.get("id") == "announcer"}
        assert len(announcers) == 1, url
        announcer = page.by_id("announcer")
        assert announcer.attrs["aria-live"] == "polite" and announcer.text == ""


def test_the_board_and_the_lists_offer_skip_links_to_what_they_hold(client, trafficker):
    for url, wanted in (
        ("/board/", ["Skip to board", "Skip to filters", "Skip to content"]),
        ("/tickets/", ["Skip to filters", "Skip to results", "Skip to content"]),
        ("/campaigns/", ["Skip to filters", "Skip to results", "Skip to content"]),
    ):
        page = parse(client.get(url))
        skips = page.find_all("a", cls="skip-link")
        assert [a.text for a in skips] == wanted, url
        for a in skips:
            assert page.by_id(a.attrs["href"].removeprefix("#")) is not None, (url, a)


def test_the_logo_link_is_named_by_its_visible_text(client, trafficker):
    logo = parse(client.get("/board/")).find("a", cls="logo")
    assert logo.text == "OmniTraffick"  # the "OT" mark is drawn by CSS, with no text


def test_the_tickets_page_title_is_only_its_title(client, trafficker):
    page = parse(client.get("/tickets/"))
    assert page.find("title").text == "Tickets · OmniTraffick"


def test_the_status_panel_has_a_heading_and_says_its_status(client, trafficker, make_ticket):
    ticket = make_ticket()
    page = parse(client.get(f"/tickets/{ticket.id}"))
    panel = page.by_id("status-panel")
    heading = page.by_id(panel.attrs["aria-labelledby"])
    assert (heading.tag, heading.text, heading.attrs["tabindex"]) == ("h2", "Status", "-1")
    assert "data-focus" in heading.attrs
    assert panel.attrs["data-announce"] == "Status: Draft."
    assert ticket.status is TicketStatus.DRAFT
