"""Tickets: opening one (structured, type-checked settings and the platform name), the workflow
with its audit trail and version checks, settings edits and deletes, the HTML pages a trafficker
works in (new/edit forms, ticket page with htmx moves, the filtered list), and two people moving
the same ticket at the same moment: HTML: opening a ticket; HTML: the ticket page and its moves.
"""

import pytest
from sqlalchemy import select

from omnitraffick.models import Ticket
from omnitraffick.services import tickets as service
from tests.html import parse, text_of
from tests.support import UNKNOWN_ID
from tests.tickets.helpers import (
    S,
    fragment_headers,
    move_inputs,
    new_form,
    panel_moves,
    reload,
    snapshot,
    ticket_count,
    valid_settings,
)

# --- HTML: opening a ticket ----------------------------------------------------------------------


def test_a_ticket_opened_from_the_campaign_page_lands_on_its_own_page(
    db, client, trafficker, moana, meta, tiktok
):
    campaign_page = parse(client.get(f"/campaigns/{moana.id}"))
    link = campaign_page.find("a", href=f"/tickets/new?campaign_id={moana.id}")
    assert link is not None and link.text == "New ticket"

    form_page = client.get(link.attrs["href"])
    assert form_page.status_code == 200
    doc = parse(form_page)
    assert "DIS_US_MULTI_2026_MoanaLaunch" in text_of(form_page)
    assert doc.values("campaign_id") == [str(moana.id)]
    assert set(doc.options("channel_id")) == {str(meta.id), str(tiktok.id)}
    assert doc.selected("initial_status") == "PAUSED"

    response = client.post(link.attrs["href"], data=new_form(meta, campaign_id=str(moana.id)))

    assert response.status_code == 302, text_of(response)
    ticket = db.session.scalars(select(Ticket)).one()
    assert response.headers["Location"] == f"/tickets/{ticket.id}"
    assert ticket.created_by_id == trafficker.id
    page = client.get(response.headers["Location"])
    doc = parse(page)
    assert doc.find("h1").text == "DIS_US_META_2026_MoanaLaunch"
    assert ("success", "Ticket DIS_US_META_2026_MoanaLaunch opened as Draft.") in doc.flashes
    settings = doc.find("dl", cls="settings-list").text
    # Settings read as words, not the codes the API keeps (TRAFFIC, DAILY).
    for shown in ("Traffic", "Daily", "$1,500.50", "2026-03-01", "https://example.com/moana"):
        assert shown in settings
    history = doc.by_id("history")
    assert "Opened as Draft" in history.text
    assert "Tess Trafficker" in history.text


def test_typing_an_existing_campaign_name_opens_the_ticket(db, client, trafficker, moana, meta):
    response = client.post(
        "/tickets/new",
        data=new_form(meta, campaign=" dis_us_multi_2026_moanalaunch ", campaign_id=""),
    )

    assert response.status_code == 302, text_of(response)
    assert db.session.scalars(select(Ticket.campaign_id)).all() == [moana.id]


def test_typing_an_unknown_campaign_name_shows_an_error_and_saves_nothing(
    db, client, trafficker, moana, meta
):
    response = client.post(
        "/tickets/new", data=new_form(meta, campaign="DIS_US_MULTI_2026_Nope", campaign_id="")
    )

    assert response.status_code == 422
    doc = parse(response)
    assert "No campaign has that name" in doc.field_errors["campaign"]
    # What was typed is still there.
    assert doc.values("campaign") == ["DIS_US_MULTI_2026_Nope"]
    assert doc.values("budget_amount") == ["1500.50"]
    assert doc.selected("channel_id") == str(meta.id)
    assert ticket_count(db) == 0


@pytest.mark.parametrize("campaign_id", ["not-a-uuid", str(UNKNOWN_ID)])
def test_a_junk_campaign_id_in_the_form_is_an_error_not_a_crash(
    db, client, trafficker, meta, campaign_id
):
    response = client.get(f"/tickets/new?campaign_id={campaign_id}")
    assert response.status_code in (200, 404)

    response = client.post(
        f"/tickets/new?campaign_id={campaign_id}",
        data=new_form(meta, campaign_id=campaign_id),
    )

    assert response.status_code == 422
    assert "campaign" in parse(response).field_errors
    assert ticket_count(db) == 0


def test_the_new_form_shows_every_bad_setting_under_its_field(db, client, trafficker, moana, meta):
    response = client.post(
        "/tickets/new",
        data=new_form(
            meta,
            campaign_id=str(moana.id),
            channel_id="",
            budget_amount="12.345",
            flight_start="2026-13-01",
            landing_url="ftp://example.com",
        ),
    )

    assert response.status_code == 422
    errors = parse(response).field_errors
    assert "Choose a channel" in errors["channel_id"]
    assert ticket_count(db) == 0
    # Once the channel is chosen, the settings are checked and each shows its own message.
    response = client.post(
        "/tickets/new",
        data=new_form(
            meta,
            campaign_id=str(moana.id),
            budget_amount="12.345",
            flight_start="2026-13-01",
            landing_url="ftp://example.com",
        ),
    )
    assert response.status_code == 422
    errors = parse(response).field_errors
    assert "at most 2 decimals" in errors["budget_amount"]
    assert "date like" in errors["flight_start"]
    assert "full web address" in errors["landing_url"]
    assert ticket_count(db) == 0


def test_campaign_suggestions_match_what_was_typed(
    client, trafficker, moana, frozen, make_campaign
):
    make_campaign(brand=moana.brand, market=moana.market, campaign_name="Encanto", year=2027)

    response = client.get("/tickets/campaign-options?campaign=DIS")

    assert response.status_code == 200
    assert "<html" not in response.text
    options = [node.attrs["value"] for node in parse(response).find_all("option")]
    assert sorted(options) == ["DIS_US_MULTI_2026_MoanaLaunch", "DIS_US_MULTI_2027_Encanto"]
    frozen_options = parse(client.get("/tickets/campaign-options?campaign=frozen"))
    assert [node.attrs["value"] for node in frozen_options.find_all("option")] == [frozen.name]
    assert parse(client.get("/tickets/campaign-options?campaign=%25")).find_all("option") == []
    assert parse(client.get("/tickets/campaign-options?campaign=D")).find_all("option") == []


# --- HTML: the ticket page and its moves ---------------------------------------------------------


@pytest.mark.parametrize("status", list(S), ids=lambda s: s.value)
def test_the_ticket_page_offers_the_moves_allowed_now(client, trafficker, open_ticket, put, status):
    ticket = put(open_ticket(), status, external_platform_id="123")

    response = client.get(f"/tickets/{ticket.id}")

    assert response.status_code == 200
    doc = parse(response)
    assert panel_moves(doc) == [s.value for s in service.TRANSITIONS[status]]
    for form in doc.by_id("status-panel").find_all("form"):
        assert form.attrs["hx-post"] == f"/tickets/{ticket.id}/move"
        assert form.find("input", name="version").attrs["value"] == str(ticket.version)
    if status is S.TRAFFICKED_SUCCESS:
        assert "This ticket is final." in doc.by_id("status-panel").text


def test_a_viewer_sees_the_ticket_but_no_moves(client, viewer, open_ticket):
    ticket = open_ticket()

    response = client.get(f"/tickets/{ticket.id}")

    assert response.status_code == 200
    doc = parse(response)
    assert doc.find("h1").text == "DIS_US_META_2026_MoanaLaunch"
    assert panel_moves(doc) == []
    assert doc.find("a", href=f"/tickets/{ticket.id}/edit") is None


def test_the_page_says_what_a_draft_still_needs(client, trafficker, open_ticket):
    ticket = open_ticket(settings={"objective": "REACH"})

    text = text_of(client.get(f"/tickets/{ticket.id}"))

    assert "Still needed before QA: Budget type, Budget amount, Flight start, Landing URL." in text


def test_an_htmx_move_swaps_the_status_panel_and_the_history(db, client, trafficker, open_ticket):
    ticket = open_ticket(settings=valid_settings())

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("QA_TESTING", 1),
        headers=fragment_headers(),
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.headers["HX-Trigger"] == "ticket-changed"  # the QA panel reloads itself
    doc = parse(response)
    panel = doc.by_id("status-panel")
    # QA passed in the same request: the ticket is already Ready for API.
    assert "Ready for API" in panel.find("p", cls="current-status").text
    saved = reload(db, ticket.id)
    assert saved.status is S.READY_FOR_API
    # The panel carries the version the next move must send.
    assert f"version {saved.version}" in panel.text
    assert panel_moves(doc) == ["TRAFFICKED_SUCCESS", "FAILED", "DRAFT"]
    history = doc.find("ol", id="history", hx_swap_oob="true")
    assert history is not None
    entries = history.find_all("li")
    assert len(entries) == 3
    assert "QA testing → Ready for API" in entries[0].text
    assert "Pre-flight QA:" in entries[0].text
    assert "Draft → QA testing" in entries[1].text
    assert "Tess Trafficker" in entries[0].text
    assert "Tess Trafficker" in entries[1].text


def test_a_refused_htmx_move_says_why_in_the_panel(db, client, trafficker, open_ticket):
    ticket = open_ticket()
    before = snapshot(db, ticket.id)

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("READY_FOR_API", 1),
        headers=fragment_headers(),
    )

    assert response.status_code == 409
    doc = parse(response)
    alert = doc.by_id("status-panel").find("p", role="alert")
    assert "cannot move to Ready for API" in alert.text
    assert "Allowed moves: QA testing." in alert.text
    assert doc.find("ol", id="history") is None
    assert snapshot(db, ticket.id) == before


def test_an_htmx_move_from_a_stale_page_is_a_conflict(db, client, trafficker, open_ticket, put):
    ticket = put(open_ticket(), S.QA_TESTING)
    before = snapshot(db, ticket.id)

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("READY_FOR_API", 1),
        headers=fragment_headers(),
    )

    assert response.status_code == 409
    assert "changed by someone else" in parse(response).by_id("status-panel").text
    assert snapshot(db, ticket.id) == before


def test_qa_failed_without_a_reason_opens_the_reason_form(db, client, trafficker, open_ticket, put):
    ticket = put(open_ticket(), S.QA_TESTING)
    before = snapshot(db, ticket.id)

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("QA_FAILED", ticket.version, qa_failure_reason="  "),
        headers=fragment_headers(),
    )

    assert response.status_code == 422
    doc = parse(response)
    panel = doc.by_id("status-panel")
    assert "a reason is required" in panel.find("p", role="alert").text
    opened = panel.find_all("details", open=True)
    assert len(opened) == 1
    assert opened[0].find("textarea", name="qa_failure_reason") is not None
    assert opened[0].values("to_status") == ["QA_FAILED"]
    assert snapshot(db, ticket.id) == before

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("QA_FAILED", ticket.version, qa_failure_reason="Wrong landing page."),
        headers=fragment_headers(),
    )
    assert response.status_code == 200
    doc = parse(response)
    assert "QA found: Wrong landing page." in doc.by_id("status-panel").text
    assert "Wrong landing page." in doc.find("ol", id="history").find("li").text
    assert reload(db, ticket.id).qa_failure_reason == "Wrong landing page."


def test_trafficked_success_asks_for_the_platform_id(db, client, trafficker, open_ticket, put):
    ticket = put(open_ticket(), S.READY_FOR_API)

    response = client.post(
        f"/tickets/{ticket.id}/move",
        data=move_inputs("TRAFFICKED_SUCCESS", ticket.version),
        headers=fragment_headers(),
    )

    assert response.status_code == 422
    [opened] = parse(response).by_id("status-panel").find_all("details", open=True)
    assert opened.find("input", name="external_platform_id") is not None
    assert reload(db, ticket.id).status is S.READY_FOR_API


def test_a_move_without_htmx_redirects_back_with_a_flash(db, client, trafficker, open_ticket):
    ticket = open_ticket(settings=valid_settings())

    response = client.post(f"/tickets/{ticket.id}/move", data=move_inputs("QA_TESTING", 1))

    assert response.status_code == 302
    assert response.headers["Location"] == f"/tickets/{ticket.id}"
    doc = parse(client.get(response.headers["Location"]))
    # QA ran and passed: the flash names where the ticket ended up.
    assert ("success", "Moved to Ready for API.") in doc.flashes
    saved = reload(db, ticket.id)
    assert saved.status is S.READY_FOR_API

    response = client.post(
        f"/tickets/{ticket.id}/move", data=move_inputs("QA_FAILED", saved.version)
    )
    assert response.status_code == 302
    doc = parse(client.get(response.headers["Location"]))
    [(category, message)] = [f for f in doc.flashes if f[0] == "error"]
    assert "Allowed moves" in message
    assert reload(db, ticket.id).status is S.READY_FOR_API


def test_a_move_needs_a_csrf_token(db, client, trafficker, csrf_on, open_ticket):
    ticket = open_ticket()

    response = client.post(
        f"/tickets/{ticket.id}/move", data=move_inputs("QA_TESTING", 1), headers=fragment_headers()
    )

    assert response.status_code == 400
    assert reload(db, ticket.id).status is S.DRAFT


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/tickets/{id}/move"),
        ("get", "/tickets/new"),
        ("post", "/tickets/new"),
        ("get", "/tickets/{id}/edit"),
        ("post", "/tickets/{id}/edit"),
        ("post", "/tickets/{id}/delete"),
    ],
)
def test_a_viewer_cannot_change_tickets(db, client, viewer, open_ticket, meta, method, path):
    ticket = open_ticket()
    before = snapshot(db, ticket.id)
    data = move_inputs("QA_TESTING", 1) | new_form(meta, campaign_id=str(ticket.campaign_id))

    response = getattr(client, method)(path.format(id=ticket.id), data=data)

    assert response.status_code == 403
    assert snapshot(db, ticket.id) == before
    assert ticket_count(db) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/tickets/{id}"),
        ("get", "/tickets/{id}/edit"),
        ("post", "/tickets/{id}/edit"),
        ("post", "/tickets/{id}/move"),
        ("post", "/tickets/{id}/delete"),
        ("get", "/tickets/{id}/card"),
    ],
)
@pytest.mark.parametrize("ticket_id", [str(UNKNOWN_ID), "not-a-uuid"])
def test_unknown_tickets_are_404(client, trafficker, method, path, ticket_id):
    response = getattr(client, method)(path.format(id=ticket_id), data=move_inputs("DRAFT", 1))

    assert response.status_code == 404


def test_pages_need_a_login(client, open_ticket):
    ticket = open_ticket()

    for path in ("/tickets/", f"/tickets/{ticket.id}", "/tickets/campaign-options?campaign=DIS"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
