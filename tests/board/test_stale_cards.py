"""A card someone else changed while I held it: the board asks while I drag (the card
endpoint with the version I see answers 204, or the card as it is now, where it is now, with
who moved it), and a drop made with an old version answers the same way, refused."""

from omnitraffick.services import tickets as service
from tests.board.helpers import S, board_move, card_of, oob_counts
from tests.html import parse
from tests.tickets.helpers import fragment_headers


def check(client, ticket, version, status, board=""):
    return client.get(
        f"/tickets/{ticket.id}/card",
        query_string={"board": board, "version": version, "status": status},
        headers=fragment_headers(),
    )


def test_an_unchanged_card_answers_204(db, client, trafficker, board):
    ticket = board["draft"]

    response = check(client, ticket, ticket.version, "DRAFT")

    assert response.status_code == 204
    assert response.data == b""


def test_a_card_moved_meanwhile_goes_to_its_column_saying_who_moved_it(
    db, client, trafficker, make_user, board
):
    ticket = board["qa"]
    seen = ticket.version
    other = make_user(name="Ola Other", email="ola@example.com")
    service.move_ticket(ticket, "READY_FOR_API", actor=other)
    db.session.commit()

    response = check(client, ticket, seen, "QA_TESTING")

    assert response.status_code == 200
    assert response.headers["HX-Reswap"] == "delete"
    doc = parse(response)
    [wrapper] = doc.find_all("div", hx_swap_oob="afterbegin:#cards-READY_FOR_API")
    card = wrapper.find("article", id=f"ticket-{ticket.id}")
    assert card.attrs["data-status"] == "READY_FOR_API"
    assert card.attrs["data-version"] == str(ticket.version)
    error = card.find("p", cls="card-error").text
    assert error.startswith("Ola Other moved this ticket to Ready for API")
    assert "while you had it" in error
    assert oob_counts(doc)["READY_FOR_API"] == 2 and oob_counts(doc)["QA_TESTING"] == 0


def test_a_card_changed_in_place_comes_back_in_place_with_its_new_version(
    db, client, trafficker, make_user, board
):
    ticket = board["draft"]
    seen = ticket.version
    other = make_user(name="Ola Other", email="ola@example.com")
    service.update_settings(ticket, {"objective": "TRAFFIC"}, actor=other)
    db.session.commit()

    response = check(client, ticket, seen, "DRAFT")

    assert response.status_code == 200
    assert "HX-Reswap" not in response.headers
    card = card_of(parse(response), ticket)
    assert card.attrs["data-version"] == str(ticket.version)
    assert "changed by someone else (Ola Other" in card.find("p", cls="card-error").text


def test_a_drop_with_an_old_version_is_refused_and_the_card_goes_where_it_is(
    db, client, trafficker, make_user, board
):
    ticket = board["qa"]
    seen = ticket.version
    other = make_user(name="Ola Other", email="ola@example.com")
    service.move_ticket(ticket, "QA_FAILED", actor=other, reason="No landing URL")
    db.session.commit()

    response = board_move(client, ticket, "READY_FOR_API", version=seen, from_status="QA_TESTING")

    assert response.status_code == 409
    assert response.headers["HX-Reswap"] == "delete"
    [wrapper] = parse(response).find_all("div", hx_swap_oob="afterbegin:#cards-QA_FAILED")
    error = wrapper.find("p", cls="card-error").text
    assert error.startswith("Ola Other moved this ticket to QA failed")
    db.session.expire_all()
    assert db.session.get(type(ticket), ticket.id).status is S.QA_FAILED
