"""Saved views (private or shared), swimlanes by brand, market, channel or owner, WIP limits per
column (the count as n / limit, a column over it marked, soft limits warn and hard ones refuse),
and what a move on the board says: QA's verdict, a column over its limit.
"""

from datetime import UTC, datetime

import pytest

from omnitraffick.models import BoardColumn, Role, SavedView, TicketStatus
from omnitraffick.services import board_settings
from omnitraffick.services import tickets as service
from tests.board.helpers import board_move, cards, counts
from tests.conftest import PASSWORD
from tests.html import parse, text_of
from tests.tickets.helpers import reload

S = TicketStatus
COMPLETE = {
    "objective": "REACH",
    "budget_type": "DAILY",
    "budget_amount": "1500",
    "flight_start": "2031-03-01",
    "landing_url": "https://example.com/?utm_campaign=DIS_US_META_2026_MoanaLaunch",
}


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
    def make(campaign=None, channel=None, status=S.DRAFT, settings=None):
        ticket = service.create_ticket(
            campaign_id=(campaign or moana).id,
            channel_id=(channel or meta).id,
            request_type="CREATE_CAMPAIGN",
            settings=settings or {"objective": "REACH"},
        )
        ticket.status = status
        db.session.commit()
        return ticket

    return make


# --- saved views ----------------------------------------------------------------------------------


def test_a_saved_view_keeps_filters_and_lanes_and_opens_from_the_board(client, db, signed_in, us):
    signed_in()

    saved = client.post(
        "/board/views",
        data={"name": "US by market", "board": f"market={us.id}&lanes=market&show_draft=60"},
    )

    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/board/?market={us.id}&lanes=market")
    page = parse(client.get("/board/"))
    [link] = page.find("nav", cls="saved-views").find_all("a", cls="view-link")
    assert link.text.strip() == "US by market"
    reopened = parse(client.get(link.attrs["href"]))
    assert reopened.find(cls="board-lanes") is not None
    assert reopened.find("nav", cls="saved-views").find("a", aria_current="true") is not None


def test_private_views_stay_private_and_shared_ones_reach_the_team(
    client, db, signed_in, make_user
):
    owner = make_user(Role.TRAFFICKER, name="Olga Owner")
    board_settings.save_view(owner, "Mine only", "q=Moana", shared=False)
    board_settings.save_view(owner, "For the team", "lanes=brand", shared=True)
    db.session.commit()
    signed_in(Role.VIEWER, name="Vic")

    names = [a.text for a in parse(client.get("/board/")).find_all("a", cls="view-link")]

    assert len(names) == 1 and names[0].startswith("For the team")
    assert "Olga Owner" in names[0]
    view = db.session.query(SavedView).filter_by(name="For the team").one()
    assert client.post(f"/board/views/{view.id}/delete").status_code == 403
    assert db.session.query(SavedView).count() == 2


def test_a_view_needs_a_name_and_saving_a_name_again_replaces_it(client, db, signed_in):
    me = signed_in()

    client.post("/board/views", data={"name": "  ", "board": "q=x"})
    assert db.session.query(SavedView).count() == 0
    client.post("/board/views", data={"name": "Mine", "board": "q=first"})
    client.post("/board/views", data={"name": "Mine", "board": "q=second", "shared": "y"})

    db.session.expire_all()
    [view] = db.session.query(SavedView).filter_by(user_id=me.id).all()
    assert (view.query, view.shared) == ("q=second", True)
    assert client.post(f"/board/views/{view.id}/delete").status_code == 302
    assert db.session.query(SavedView).count() == 0


# --- swimlanes ------------------------------------------------------------------------------------


def test_swimlanes_by_market_split_the_cards_and_count_each_lane(
    client, db, signed_in, open_ticket, moana, frozen, meta, tiktok
):
    signed_in()
    us_draft = open_ticket(moana, meta)
    open_ticket(moana, tiktok, S.READY_FOR_API)
    jp_draft = open_ticket(frozen, meta)

    page = parse(client.get("/board/?lanes=market"))

    lanes = page.find_all("section", cls="lane")
    assert [lane.attrs["aria-label"] for lane in lanes] == ["JP", "US"]
    jp, us = lanes
    assert [c.attrs["id"] for c in cards(jp)] == [f"ticket-{jp_draft.id}"]
    assert {c.attrs["id"] for c in cards(us)} >= {f"ticket-{us_draft.id}"}
    assert counts(page)["DRAFT"] == 2
    us_counts = [n.text for n in us.find_all("span", cls="lane-count")]
    assert us_counts == ["1", "0", "0", "1", "0", "0"]


def test_bad_lanes_are_named_and_ignored(client, db, signed_in, open_ticket):
    signed_in()
    open_ticket()

    response = client.get("/board/?lanes=planet")

    assert response.status_code == 200
    assert "lanes must be one of brand, market, channel, assignee." in text_of(response)
    assert parse(response).find(cls="board-lanes") is None


def test_a_move_in_swimlanes_lands_the_card_in_its_lane(client, db, signed_in, open_ticket):
    signed_in()
    ticket = open_ticket(status=S.QA_FAILED)

    response = board_move(client, ticket, "DRAFT", board="lanes=market")

    assert response.status_code == 200
    oob = parse(response).find("div", hx_swap_oob=True)
    assert oob.attrs["hx-swap-oob"].startswith("afterbegin:#cards-lane-")
    page = parse(client.get("/board/?lanes=market"))
    assert page.find(id=oob.attrs["hx-swap-oob"].split("#")[1]) is not None


# --- WIP limits -----------------------------------------------------------------------------------


def test_an_admin_sets_wip_limits_and_the_board_shows_n_of_limit(client, db, login, open_ticket):
    login(Role.ADMIN)
    for _ in range(3):
        open_ticket(status=S.QA_FAILED)

    bad = client.post("/board/limits", data={"limit_QA_FAILED": "zero"})
    assert bad.status_code == 422
    assert "A WIP limit is a whole number from 1 to 10,000" in text_of(bad)
    assert db.session.query(BoardColumn).count() == 0

    saved = client.post("/board/limits", data={"limit_QA_FAILED": "2", "limit_DRAFT": "5"})
    assert saved.status_code == 302

    page = parse(client.get("/board/"))
    column = page.find("section", cls="column-qa_failed")
    assert (column.find(cls="count").text, column.find(cls="wip-limit").text.strip()) == (
        "3",
        "/ 2",
    )
    assert "over-limit" in column.classes
    assert "over-limit" not in page.find("section", cls="column-draft").classes


def test_only_an_admin_sets_wip_limits(client, signed_in):
    signed_in()
    assert client.get("/board/limits").status_code == 403


def test_a_soft_limit_warns_and_a_hard_one_refuses_with_the_reason(
    client, db, signed_in, open_ticket
):
    signed_in()
    board_settings.set_wip_limit(S.DRAFT, 1, hard=False)
    board_settings.set_wip_limit(S.READY_FOR_API, 1, hard=True)
    db.session.commit()
    open_ticket(status=S.DRAFT)
    open_ticket(status=S.READY_FOR_API)
    soft = open_ticket(status=S.QA_FAILED)
    hard = open_ticket(status=S.FAILED)

    warned = board_move(client, soft, "DRAFT")
    refused = board_move(client, hard, "READY_FOR_API")

    assert warned.status_code == 200
    assert parse(warned).by_id("board-notice").text.strip() == (
        "Draft is now over its limit: 2 / 1."
    )
    assert reload(db, soft.id).status is S.DRAFT
    assert refused.status_code == 409
    assert parse(refused).find(cls="card-error").text == (
        "Ready for API is full: 1 of its limit of 1 tickets. Move one out of it first."
    )
    assert reload(db, hard.id).status is S.FAILED


# --- what a move says -----------------------------------------------------------------------------


def test_dropping_on_qa_says_what_qa_decided(client, db, signed_in, open_ticket):
    signed_in()
    failing = open_ticket()
    passing = open_ticket(settings=COMPLETE)

    failed = board_move(client, failing, "QA_TESTING")
    passed = board_move(client, passing, "QA_TESTING")

    failed_doc = parse(failed)
    assert failed_doc.by_id("board-notice").text.strip().startswith("QA failed DIS_US_META")
    card = failed_doc.by_id(f"ticket-{failing.id}")
    assert card.attrs["data-status"] == "QA_FAILED"
    assert card.find(cls="qa-note") is not None
    assert parse(passed).by_id("board-notice").text.strip() == (
        "QA passed: DIS_US_META_2026_MoanaLaunch is Ready for API."
    )


def test_editing_a_qa_failed_ticket_clears_the_stale_failure(client, db, signed_in, open_ticket):
    signed_in()
    ticket = open_ticket()
    service.move_ticket(ticket, "QA_TESTING", actor=None)
    db.session.commit()
    assert ticket.status is S.QA_FAILED and ticket.qa_failure_reason

    client.post(
        f"/tickets/{ticket.id}/edit",
        data={"version": ticket.version, "request_type": "CREATE_CAMPAIGN"} | COMPLETE,
    )

    page = parse(client.get(f"/tickets/{ticket.id}"))
    assert page.find(cls="qa-reason") is None
    assert reload(db, ticket.id).status is S.QA_FAILED


def test_a_viewer_sees_no_drag_hint(client, signed_in, open_ticket):
    signed_in(Role.VIEWER)
    open_ticket()

    hint = parse(client.get("/board/")).find(cls="board-hint").text

    assert "Drag" not in hint and "to move" not in hint
    assert "between cards" in hint


def test_an_unchanged_board_refresh_answers_304_with_no_body(db, client, signed_in, open_ticket):
    signed_in()
    ticket = open_ticket()
    # A card under a minute old reads anew each second ("4s", "5s"), and its refresh's tag
    # with it: one that entered its column long ago changes only at a day's end.
    ticket.status_changed_at = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.commit()
    headers = {"HX-Request": "true"}

    first = client.get("/board/", headers=headers)
    again = client.get("/board/", headers=headers | {"If-None-Match": first.headers["ETag"]})
    service.move_ticket(ticket, "QA_TESTING", actor=None)
    changed = client.get("/board/", headers=headers | {"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200 and "no-cache" in first.headers["Cache-Control"]
    assert (again.status_code, again.data) == (304, b"")
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
