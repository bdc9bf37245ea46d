"""Owners and due dates: the default from the flight's start and the channel's lead time, the
ticket page's owner panel, the API's fields, board cards (initials, due marks, aging) and
"My tickets" one click from the navigation.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from omnitraffick.models import Notification, Role, TicketStatus
from omnitraffick.services import tickets as service
from omnitraffick.services import tokens
from tests.conftest import PASSWORD
from tests.html import parse, text_of
from tests.tickets.helpers import fragment_headers, reload

S = TicketStatus
FLIGHT = {"objective": "REACH", "budget_type": "DAILY", "budget_amount": "100"}


@pytest.fixture
def signed_in(client, make_user):
    def sign(role=Role.TRAFFICKER, name="Tess Trafficker", email=None):
        user = make_user(role, name=name, email=email)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        return user

    return sign


@pytest.fixture
def open_ticket(db, moana, meta):
    def make(settings=None, **kwargs):
        ticket = service.create_ticket(
            campaign_id=moana.id,
            channel_id=meta.id,
            request_type="CREATE_CAMPAIGN",
            settings=settings or FLIGHT,
            **kwargs,
        )
        db.session.commit()
        return ticket

    return make


def api_headers(db, user) -> dict:
    _, token = tokens.create_token(user, "pytest")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


# --- due dates ------------------------------------------------------------------------------------


def test_the_due_date_defaults_to_the_flight_start_minus_the_channel_lead_time(
    db, meta, open_ticket
):
    meta.lead_days = 5
    db.session.commit()

    ticket = open_ticket(FLIGHT | {"flight_start": "2026-03-10"})

    assert ticket.due_date == date(2026, 3, 5)


def test_no_lead_time_or_no_flight_start_means_no_default(db, meta, open_ticket):
    assert open_ticket(FLIGHT | {"flight_start": "2026-03-10"}).due_date is None
    meta.lead_days = 3
    db.session.commit()
    assert open_ticket(FLIGHT).due_date is None


def test_a_default_due_date_follows_the_flight_but_a_chosen_one_stays(
    db, meta, open_ticket, make_user
):
    meta.lead_days = 2
    db.session.commit()
    follows = open_ticket(FLIGHT | {"flight_start": "2026-03-10"})
    chosen = open_ticket(FLIGHT | {"flight_start": "2026-03-10"}, due_date="2026-02-01")

    for ticket in (follows, chosen):
        service.update_settings(ticket, FLIGHT | {"flight_start": "2026-04-20"})
    db.session.commit()

    assert reload(db, follows.id).due_date == date(2026, 4, 18)
    assert reload(db, chosen.id).due_date == date(2026, 2, 1)


def test_an_admin_sets_a_channel_lead_time_on_its_form(client, db, login, meta):
    login(Role.ADMIN)

    bad = client.post(
        f"/channels/{meta.id}/edit",
        data={"platform_name": "Meta", "api_identifier": "META", "lead_days": "-3"},
    )
    assert bad.status_code == 422
    assert "Lead time must be a whole number of days from 0 to 365." in text_of(bad)

    good = client.post(
        f"/channels/{meta.id}/edit",
        data={"platform_name": "Meta", "api_identifier": "META", "lead_days": "7"},
    )
    assert good.status_code == 302
    db.session.expire_all()
    assert meta.lead_days == 7


# --- the owner panel ------------------------------------------------------------------------------


def test_assigning_on_the_ticket_page_saves_and_tells_the_new_owner(
    client, db, signed_in, make_user, open_ticket
):
    me = signed_in()
    bea = make_user(Role.TRAFFICKER, name="Bea Builder")
    ticket = open_ticket()

    page = parse(client.get(f"/tickets/{ticket.id}"))
    assert "Bea Builder" in [o.text for o in page.find("select", name="assignee_id").find_all()]

    response = client.post(
        f"/tickets/{ticket.id}/owner",
        data={"assignee_id": str(bea.id), "due_date": "2026-05-01", "version": ticket.version},
        headers=fragment_headers(),
    )

    assert response.status_code == 200
    panel = parse(response).by_id("owner-panel")
    assert panel.by_id("owner-name").text == "Bea Builder"
    saved = reload(db, ticket.id)
    assert (saved.assignee_id, saved.due_date) == (bea.id, date(2026, 5, 1))
    assert saved.assigned_by_id == me.id
    notes = db.session.query(Notification).filter_by(user_id=bea.id).all()
    assert [n.message for n in notes] == [
        f"Tess Trafficker assigned {ticket.platform_name} to you."
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("due_date", "next tuesday", "Due date must be a date as YYYY-MM-DD, e.g. 2026-03-01."),
        ("assignee_id", "not-an-id", "assignee_id must be a UUID."),
    ],
)
def test_a_bad_owner_or_due_date_is_refused_and_nothing_is_saved(
    client, db, signed_in, open_ticket, field, value, message
):
    signed_in()
    ticket = open_ticket()
    data = {"assignee_id": "", "due_date": "", "version": ticket.version} | {field: value}

    response = client.post(f"/tickets/{ticket.id}/owner", data=data, headers=fragment_headers())

    assert response.status_code == 422
    assert message in text_of(response)
    saved = reload(db, ticket.id)
    assert (saved.assignee_id, saved.due_date) == (None, None)


def test_a_viewer_can_be_neither_owner_nor_assigner(client, db, signed_in, make_user, open_ticket):
    signed_in()
    vic = make_user(Role.VIEWER, name="Vic Viewer")
    ticket = open_ticket()

    response = client.post(
        f"/tickets/{ticket.id}/owner",
        data={"assignee_id": str(vic.id), "due_date": "", "version": ticket.version},
        headers=fragment_headers(),
    )
    assert response.status_code == 422
    assert "Vic Viewer is a viewer and cannot work on tickets." in text_of(response)

    client.post("/logout")
    signed_in(Role.VIEWER, name="Other Viewer")
    assert client.post(f"/tickets/{ticket.id}/owner", data={}).status_code == 403


def test_an_owner_change_from_a_stale_page_is_refused(
    client, db, signed_in, make_user, open_ticket
):
    signed_in()
    ticket = open_ticket()
    stale = ticket.version
    service.update_settings(ticket, FLIGHT | {"flight_start": "2026-04-20"})
    db.session.commit()

    response = client.post(
        f"/tickets/{ticket.id}/owner",
        data={"assignee_id": "", "due_date": "2026-05-01", "version": stale},
        headers=fragment_headers(),
    )

    assert response.status_code == 409
    assert "changed by someone else" in text_of(response)
    assert reload(db, ticket.id).due_date is None


# --- the API --------------------------------------------------------------------------------------


def test_the_api_sets_and_answers_the_owner_and_due_date(client, db, make_user, moana, meta):
    me = make_user(Role.TRAFFICKER, name="Api User")
    bea = make_user(Role.TRAFFICKER, name="Bea Builder")
    headers = api_headers(db, me)

    created = client.post(
        "/api/v1/tickets",
        json={
            "campaign_id": str(moana.id),
            "channel_id": str(meta.id),
            "request_type": "CREATE_CAMPAIGN",
            "assignee_id": str(bea.id),
            "due_date": "2026-06-01",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["assignee_id"], body["due_date"]) == (str(bea.id), "2026-06-01")

    mine = client.get(f"/api/v1/tickets?assignee_id={bea.id}", headers=headers)
    assert [t["id"] for t in mine.json] == [body["id"]]

    cleared = client.put(
        f"/api/v1/tickets/{body['id']}",
        json={"assignee_id": None, "due_date": None, "version": body["version"]},
        headers=headers,
    )
    assert cleared.status_code == 200
    assert (cleared.json["assignee_id"], cleared.json["due_date"]) == (None, None)

    bad = client.put(
        f"/api/v1/tickets/{body['id']}", json={"due_date": "2026-13-40"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json["errors"] == {
        "due_date": ["Due date must be a date as YYYY-MM-DD, e.g. 2026-03-01."]
    }


# --- the board ------------------------------------------------------------------------------------


def test_cards_show_the_owner_initials_due_marks_and_aging(
    client, db, signed_in, make_user, open_ticket
):
    signed_in()
    bea = make_user(Role.TRAFFICKER, name="Bea van Builder")
    today = datetime.now(UTC).date()
    late = open_ticket(assignee_id=bea.id, due_date=today - timedelta(days=1))
    soon = open_ticket(due_date=today + timedelta(days=1))
    later = open_ticket(due_date=today + timedelta(days=30))
    late.status_changed_at = datetime.now(UTC) - timedelta(days=4)
    db.session.commit()

    board = parse(client.get("/board/"))

    card = board.by_id(f"ticket-{late.id}")
    assert card.find(cls="card-owner").text == "BB"
    assert card.find(cls="card-owner").attrs["title"] == "Owner: Bea van Builder"
    assert card.find(cls="due").text.startswith("Overdue")
    assert "age-stale" in card.find(cls="age").classes
    assert card.find(cls="age").text.endswith("4d")
    assert board.by_id(f"ticket-{soon.id}").find(cls="due").text.startswith("Due soon")
    later_due = board.by_id(f"ticket-{later.id}").find(cls="due")
    assert later_due.classes == ["due"] and later_due.text.startswith("Due ")
    assert board.by_id(f"ticket-{soon.id}").find(cls="card-owner") is None


def test_my_tickets_is_one_click_from_the_navigation(client, db, signed_in, open_ticket):
    me = signed_in()
    mine = open_ticket(assignee_id=me.id)
    other = open_ticket()

    nav = parse(client.get("/campaigns/")).find("ul", cls="nav-links")
    link = next(a for a in nav.find_all("a") if a.text == "My tickets")
    board = parse(client.get(link.attrs["href"]))

    assert board.find(id=f"ticket-{mine.id}") is not None
    assert board.find(id=f"ticket-{other.id}") is None
    nav = board.find("ul", cls="nav-links")
    current = [a.text for a in nav.find_all("a", aria_current="page")]
    assert current == ["My tickets"]


def test_a_card_shows_what_qa_found_and_a_trafficked_one_its_platform_id(
    client, db, signed_in, open_ticket
):
    signed_in()
    failed = open_ticket()
    failed.status, failed.qa_failure_reason = S.QA_FAILED, "[UTM] utm_campaign is missing."
    done = open_ticket()
    done.status, done.external_platform_id = S.TRAFFICKED_SUCCESS, "120211"
    broken = open_ticket()
    broken.status, broken.send_error = S.FAILED, "Meta said: token expired."
    db.session.commit()

    board = parse(client.get("/board/"))

    assert "utm_campaign is missing" in board.by_id(f"ticket-{failed.id}").find(cls="qa-note").text
    assert board.by_id(f"ticket-{done.id}").find(cls="platform-id").text == "Platform id 120211"
    again = board.by_id(f"ticket-{broken.id}").find("button", cls="send-go")
    assert again.text.startswith("Send again to Meta")


def test_after_a_move_on_the_ticket_page_the_owner_form_saves_without_a_stale_conflict(
    client, db, signed_in, make_user, open_ticket
):
    signed_in()
    bea = make_user(Role.TRAFFICKER, name="Bea Builder")
    ticket = open_ticket()
    page = parse(client.get(f"/tickets/{ticket.id}"))
    owner_version = page.by_id("owner-version").attrs["value"]

    moved = client.post(
        f"/tickets/{ticket.id}/move",
        data={"to_status": "QA_TESTING", "version": ticket.version},
        headers=fragment_headers(),
    )

    assert moved.status_code == 200
    # The move gave the ticket a new version; the owner form gets it out of band.
    fresh = parse(moved).by_id("owner-version")
    assert fresh.attrs["hx-swap-oob"] == "true"
    assert fresh.attrs["value"] == str(reload(db, ticket.id).version) != owner_version
    saved = client.post(
        f"/tickets/{ticket.id}/owner",
        data={"assignee_id": str(bea.id), "due_date": "", "version": fresh.attrs["value"]},
        headers=fragment_headers(),
    )
    assert saved.status_code == 200
    assert reload(db, ticket.id).assignee_id == bea.id
