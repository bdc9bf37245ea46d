"""The kanban board: columns with counts, cards with badges and a keyboard "Move to…" control,
filters in the URL, the capped TRAFFICKED_SUCCESS column, moves made on the board (the card
moves and every count updates out of band), and fixed SQL query counts however many tickets
there are: The board; Moving on the board; A fixed number of SQL queries.
"""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from omnitraffick.services import tickets as service
from tests.board.helpers import (
    COLUMNS,
    DIS_META,
    DIS_TIKTOK,
    PIX_META,
    PIX_TIKTOK,
    S,
    badges,
    board_move,
    card_of,
    cards,
    counts,
    fresh_request,
    move_choices,
    oob_counts,
    queries_for,
    seed,
    titles,
)
from tests.html import parse, text_of
from tests.tickets.helpers import (
    as_utc,
    fragment_headers,
    reload,
    snapshot,
)

# --- The board -----------------------------------------------------------------------------------


def test_the_board_shows_a_column_per_status_with_counts_and_cards(client, trafficker, board):
    response = client.get("/board/")

    assert response.status_code == 200
    doc = parse(response)
    sections = doc.find_all("section", cls="column")
    assert [section.attrs["data-status"] for section in sections] == COLUMNS
    assert [section.find("h2").text for section in sections] == [
        "Draft",
        "QA testing",
        "QA failed",
        "Ready for API",
        "Trafficked success",
        "Failed",
    ]
    assert counts(doc) == dict.fromkeys(COLUMNS, 1)
    assert titles(doc, "DRAFT") == [DIS_META]
    assert titles(doc, "QA_TESTING") == [DIS_TIKTOK]
    assert titles(doc, "QA_FAILED") == [PIX_TIKTOK]
    assert titles(doc, "READY_FOR_API") == [PIX_META]
    assert titles(doc, "TRAFFICKED_SUCCESS") == [PIX_META]
    assert titles(doc, "FAILED") == [DIS_META]


def test_a_card_shows_its_name_badges_and_only_the_moves_allowed_now(client, trafficker, board):
    doc = parse(client.get("/board/"))

    for ticket in board.values():
        card = card_of(doc, ticket)
        assert card.attrs["data-status"] == ticket.status.value
        assert card.attrs["data-version"] == str(ticket.version)
        title = card.find("a", cls="card-title")
        assert title.attrs["href"] == f"/tickets/{ticket.id}"
        assert title.text == ticket.platform_name
        assert move_choices(card) == [s.value for s in service.TRANSITIONS[ticket.status]]
    ready = card_of(doc, board["ready"])
    assert badges(ready) == ["PIX", "JP", "META"]
    assert badges(card_of(doc, board["qa"])) == ["DIS", "US", "TIKTOK"]
    control = ready.find("select", name="to_status")
    assert control.attrs["aria-label"] == f"Move {PIX_META} to…"
    assert control.find("option").text == "Move to…"
    assert [o.text for o in control.find_all("option")][1:] == [
        "Trafficked success",
        "Failed",
        "Draft",
    ]
    form = ready.find("form", cls="move-form")
    assert form.attrs["hx-post"] == f"/tickets/{board['ready'].id}/move"
    assert form.find("input", name="board") is not None
    # Finished work cannot move: no control at all.
    assert move_choices(card_of(doc, board["done"])) == []


def test_a_viewer_sees_the_board_without_move_controls(client, viewer, board):
    doc = parse(client.get("/board/"))

    assert counts(doc) == dict.fromkeys(COLUMNS, 1)
    assert len(cards(doc)) == 6
    assert doc.find("select", name="to_status") is None


def test_the_board_needs_a_login(client, board):
    response = client.get("/board/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brand={dis}", {"DRAFT": [DIS_META], "QA_TESTING": [DIS_TIKTOK], "FAILED": [DIS_META]}),
        (
            "market={jp}",
            {
                "QA_FAILED": [PIX_TIKTOK],
                "READY_FOR_API": [PIX_META],
                "TRAFFICKED_SUCCESS": [PIX_META],
            },
        ),
        ("channel={tiktok}", {"QA_TESTING": [DIS_TIKTOK], "QA_FAILED": [PIX_TIKTOK]}),
        ("campaign={moana}&channel={meta}", {"DRAFT": [DIS_META], "FAILED": [DIS_META]}),
        ("q=_TIKTOK_", {"QA_TESTING": [DIS_TIKTOK], "QA_FAILED": [PIX_TIKTOK]}),
        (
            "q=frozen3&channel={meta}",
            {"READY_FOR_API": [PIX_META], "TRAFFICKED_SUCCESS": [PIX_META]},
        ),
        ("q=_MULTI_", {}),
        ("brand={dis}&market={jp}", {}),
    ],
)
def test_filters_in_the_url_narrow_cards_and_counts(
    client, viewer, board, dis, jp, meta, tiktok, moana, query, expected
):
    url = "/board/?" + query.format(
        dis=dis.id, jp=jp.id, meta=meta.id, tiktok=tiktok.id, moana=moana.id
    )

    response = client.get(url)

    assert response.status_code == 200
    doc = parse(response)
    for status in COLUMNS:
        assert titles(doc, status) == expected.get(status, [])
    assert counts(doc) == {s: len(expected.get(s, [])) for s in COLUMNS}


def test_the_filter_bar_shows_the_filters_in_the_url(client, viewer, board, dis, moana):
    doc = parse(client.get(f"/board/?brand={dis.id}&campaign={moana.id}&q=Moana"))

    bar = doc.find("form", cls="filters")
    assert bar.selected("brand") == str(dis.id)
    assert bar.values("q") == ["Moana"]
    assert bar.values("campaign") == [str(moana.id)]
    assert "Campaign DIS_US_MULTI_2026_MoanaLaunch" in bar.text


@pytest.mark.parametrize(
    "query",
    [
        "brand=nope&market=1&channel=%27&campaign=%01",
        "q=%25&status=WHATEVER",
        "show_trafficked_success=abc&show_draft=-3",
        "show_trafficked_success=%D9%A3",
        "show_draft=99999999999999999999",
    ],
)
def test_junk_board_filters_do_not_error(client, viewer, board, query):
    response = client.get("/board/?" + query)

    assert response.status_code == 200
    assert len(parse(response).find_all("section", cls="column")) == 6


def test_htmx_gets_the_columns_only(client, viewer, board, dis):
    response = client.get(f"/board/?brand={dis.id}", headers=fragment_headers())

    assert response.status_code == 200
    assert "<html" not in response.text
    doc = parse(response)
    assert doc.find("form", cls="filters") is None
    assert doc.by_id("board-columns-inner") is not None
    assert counts(doc)["DRAFT"] == 1
    assert counts(doc)["READY_FOR_API"] == 0


def test_finished_work_shows_the_20_most_recent_with_show_more(
    db, client, viewer, moana, frozen, meta, tiktok
):
    seed(db, [moana.id, frozen.id], [meta.id, tiktok.id], per_status=45)

    doc = parse(client.get("/board/"))

    column = doc.find("section", data_status="TRAFFICKED_SUCCESS")
    assert counts(doc)["TRAFFICKED_SUCCESS"] == 45
    shown = cards(doc, "TRAFFICKED_SUCCESS")
    assert len(shown) == 20
    # The most recent first: the seed moved ticket n in at minute n.
    moved_in = [
        as_utc(reload(db, uuid.UUID(card.attrs["id"].removeprefix("ticket-"))).status_changed_at)
        for card in shown
    ]
    assert [when.minute for when in moved_in] == list(range(44, 24, -1))
    more = column.find("a", cls="show-more")
    assert more is not None
    assert more.text == "Show more (25 older)"
    assert more.attrs["hx-get"] == more.attrs["href"]
    asked = int(re.search(r"show_trafficked_success=(\d+)", more.attrs["href"])[1])
    assert asked > 20
    assert len(cards(parse(client.get(more.attrs["href"])), "TRAFFICKED_SUCCESS")) == min(asked, 45)

    doc = parse(client.get("/board/?show_trafficked_success=40"))
    assert len(cards(doc, "TRAFFICKED_SUCCESS")) == 40
    more = doc.find("section", data_status="TRAFFICKED_SUCCESS").find("a", cls="show-more")
    assert more.text == "Show more (5 older)"

    doc = parse(client.get("/board/?show_trafficked_success=45"))
    assert len(cards(doc, "TRAFFICKED_SUCCESS")) == 45
    assert doc.find("section", data_status="TRAFFICKED_SUCCESS").find("a", cls="show-more") is None


def test_show_more_keeps_the_filters(db, client, viewer, moana, frozen, meta, dis):
    seed(db, [moana.id, frozen.id], [meta.id], per_status=50)

    doc = parse(client.get(f"/board/?brand={dis.id}"))

    assert counts(doc)["TRAFFICKED_SUCCESS"] == 25
    more = doc.find("section", data_status="TRAFFICKED_SUCCESS").find("a", cls="show-more")
    assert f"brand={dis.id}" in more.attrs["href"]
    assert "show_trafficked_success=" in more.attrs["href"]
    doc = parse(client.get(more.attrs["href"]))
    assert len(cards(doc, "TRAFFICKED_SUCCESS")) == 25
    assert {badges(card)[0] for card in cards(doc)} == {"DIS"}


# --- Moving on the board -------------------------------------------------------------------------


def test_a_board_move_deletes_the_old_card_adds_the_new_one_and_recounts(
    db, client, trafficker, board
):
    ticket = board["draft"]  # its settings are incomplete: pre-flight QA fails it
    version = ticket.version

    response = board_move(client, ticket, "QA_TESTING")

    assert response.status_code == 200, text_of(response)
    assert response.headers["HX-Reswap"] == "delete"
    assert "<html" not in response.text
    doc = parse(response)
    # QA ran in the same request: the card lands in QA failed, not QA testing.
    assert doc.find("div", hx_swap_oob="afterbegin:#cards-QA_TESTING") is None
    [wrapper] = doc.find_all("div", hx_swap_oob="afterbegin:#cards-QA_FAILED")
    card = wrapper.find("article", id=f"ticket-{ticket.id}")
    saved = reload(db, ticket.id)
    assert saved.status is S.QA_FAILED
    assert saved.version > version
    assert card.attrs["data-status"] == "QA_FAILED"
    assert card.attrs["data-version"] == str(saved.version)
    assert move_choices(card) == ["DRAFT", "QA_TESTING"]
    assert oob_counts(doc) == {
        "DRAFT": 0,
        "QA_TESTING": 1,
        "QA_FAILED": 2,
        "READY_FOR_API": 1,
        "TRAFFICKED_SUCCESS": 1,
        "FAILED": 1,
    }
    assert "[Budget is positive]" not in saved.qa_failure_reason  # 1500 is positive
    assert "The platform's API accepts the request" in saved.qa_failure_reason
    # The board now shows it there.
    assert card_of(parse(client.get("/board/")), ticket).attrs["data-status"] == "QA_FAILED"


def test_a_valid_ticket_moved_to_qa_on_the_board_lands_in_ready_for_api(
    db, client, trafficker, board
):
    ticket = board["draft"]
    start = datetime.now(UTC).date() + timedelta(days=30)
    ticket.payload_config = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "10.00",
        "flight_start": start.isoformat(),
        "flight_end": (start + timedelta(days=9)).isoformat(),
        "landing_url": (f"https://example.com/?utm_source=s&utm_medium=m&utm_campaign={DIS_META}"),
        "initial_status": "PAUSED",
    }
    db.session.commit()

    response = board_move(client, ticket, "QA_TESTING")

    assert response.status_code == 200, text_of(response)
    assert response.headers["HX-Reswap"] == "delete"
    doc = parse(response)
    [wrapper] = doc.find_all("div", hx_swap_oob="afterbegin:#cards-READY_FOR_API")
    card = wrapper.find("article", id=f"ticket-{ticket.id}")
    assert card.attrs["data-status"] == "READY_FOR_API"
    assert move_choices(card) == ["TRAFFICKED_SUCCESS", "FAILED", "DRAFT"]
    assert oob_counts(doc) == {
        "DRAFT": 0,
        "QA_TESTING": 1,
        "QA_FAILED": 1,
        "READY_FOR_API": 2,
        "TRAFFICKED_SUCCESS": 1,
        "FAILED": 1,
    }
    saved = reload(db, ticket.id)
    assert saved.status is S.READY_FOR_API
    assert saved.qa_failure_reason is None
    assert all(finding["passed"] for finding in saved.qa_report)
    assert card.attrs["data-version"] == str(saved.version)


def test_a_board_move_counts_only_what_the_board_filter_shows(
    db, client, trafficker, board, dis, pix
):
    ticket = board["ready"]  # PIX
    query = f"brand={pix.id}"

    response = board_move(client, ticket, "FAILED", board=query)

    assert response.status_code == 200
    doc = parse(response)
    assert oob_counts(doc) == {
        "DRAFT": 0,
        "QA_TESTING": 0,
        "QA_FAILED": 1,
        "READY_FOR_API": 0,
        "TRAFFICKED_SUCCESS": 1,
        "FAILED": 1,
    }
    card = doc.find("div", hx_swap_oob="afterbegin:#cards-FAILED").find("article")
    # The moved card keeps the board's filter for its next move.
    assert card.find("input", name="board").attrs["value"] == query


def test_an_illegal_board_move_returns_the_card_with_the_reason(db, client, trafficker, board):
    ticket = board["draft"]
    before = snapshot(db, ticket.id)

    response = board_move(client, ticket, "TRAFFICKED_SUCCESS", external_platform_id="1")

    assert response.status_code == 409
    assert "HX-Reswap" not in response.headers
    doc = parse(response)
    card = card_of(doc, ticket)
    assert "card-refused" in card.classes
    assert card.attrs["data-status"] == "DRAFT"
    error = card.find("p", cls="card-error")
    assert "Allowed moves: QA testing." in error.text
    assert doc.find(hx_swap_oob=True) is None
    assert snapshot(db, ticket.id) == before


def test_a_stale_board_move_is_refused_on_the_card(db, client, trafficker, board):
    ticket = board["qa"]
    before = snapshot(db, ticket.id)

    response = board_move(client, ticket, "READY_FOR_API", version=ticket.version - 1)

    assert response.status_code == 409
    error = card_of(parse(response), ticket).find("p", cls="card-error")
    assert "changed by someone else" in error.text
    assert snapshot(db, ticket.id) == before


def test_qa_failed_on_the_board_asks_for_the_reason_on_the_card(db, client, trafficker, board):
    ticket = board["qa"]
    query = "channel=" + str(ticket.channel_id)
    before = snapshot(db, ticket.id)

    response = board_move(client, ticket, "QA_FAILED", board=query)

    assert response.status_code == 422
    assert "HX-Reswap" not in response.headers
    card = card_of(parse(response), ticket)
    ask = card.find("form", cls="card-ask")
    assert ask is not None
    assert ask.find("textarea", name="qa_failure_reason") is not None
    assert ask.values("to_status") == ["QA_FAILED"]
    assert ask.values("board") == [query]
    assert ask.values("version") == [str(ticket.version)]
    assert card.find("select", name="to_status") is None  # the inline form replaces the menu
    cancel = ask.find("button", type="button")
    assert cancel.attrs["hx-get"].startswith(f"/tickets/{ticket.id}/card?board=")
    assert snapshot(db, ticket.id) == before

    response = board_move(
        client, ticket, "QA_FAILED", board=query, qa_failure_reason="Objective is wrong."
    )

    assert response.status_code == 200
    assert parse(response).find("div", hx_swap_oob="afterbegin:#cards-QA_FAILED") is not None
    saved = reload(db, ticket.id)
    assert (saved.status, saved.qa_failure_reason) == (S.QA_FAILED, "Objective is wrong.")


def test_trafficked_success_on_the_board_asks_for_the_platform_id(db, client, trafficker, board):
    ticket = board["ready"]

    response = board_move(client, ticket, "TRAFFICKED_SUCCESS")

    assert response.status_code == 422
    ask = card_of(parse(response), ticket).find("form", cls="card-ask")
    assert ask.find("input", name="external_platform_id") is not None
    assert reload(db, ticket.id).status is S.READY_FOR_API


def test_the_card_endpoint_returns_the_plain_card(client, trafficker, board, dis):
    ticket = board["draft"]

    response = client.get(f"/tickets/{ticket.id}/card", query_string={"board": f"brand={dis.id}"})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith("<article")
    assert "hx-swap-oob" not in response.text
    card = card_of(parse(response), ticket)
    assert card.find("form", cls="card-ask") is None
    assert move_choices(card) == ["QA_TESTING"]
    assert card.values("board") == [f"brand={dis.id}"]


def test_a_board_move_without_htmx_goes_back_to_the_filtered_board(
    db, client, trafficker, board, dis
):
    ticket = board["draft"]

    response = board_move(client, ticket, "QA_TESTING", board=f"brand={dis.id}", headers={})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/board/?brand={dis.id}"
    # Pre-flight QA ran and failed the incomplete ticket in the same request.
    assert reload(db, ticket.id).status is S.QA_FAILED


def test_a_viewer_cannot_move_on_the_board(db, client, viewer, board):
    ticket = board["draft"]

    response = board_move(client, ticket, "QA_TESTING")

    assert response.status_code == 403
    assert reload(db, ticket.id).status is S.DRAFT


# --- A fixed number of SQL queries ---------------------------------------------------------------


def test_the_board_runs_the_same_queries_for_12_and_600_tickets(
    db, client, trafficker, count_queries, many
):
    seed(db, many["campaigns"], many["channels"], per_status=2)  # 12 tickets, 2 per column
    filtered = f"/board/?brand={many['dis']}&q=Moana"
    client.get("/board/")  # warm up: the first request of a session may do extra work

    def measure() -> dict:
        return {
            "board": queries_for(db, client, count_queries, "/board/"),
            "filtered": queries_for(db, client, count_queries, filtered),
            "fragment": queries_for(
                db, client, count_queries, "/board/", headers=fragment_headers()
            ),
        }

    small = measure()
    # The filtered board has cards in every column too, so no column is skipped.
    assert counts(parse(client.get(filtered))) == dict.fromkeys(COLUMNS, 2)

    seed(db, many["campaigns"], many["channels"], per_status=98)  # 600 tickets in all

    large = measure()
    assert large == small
    # 14: the page also reads the columns' WIP limits and the user's saved views.
    assert small["board"] <= 14, small
    assert sum(counts(parse(client.get("/board/"))).values()) == 600
    assert sum(counts(parse(client.get(filtered))).values()) > 100


def test_a_board_move_runs_a_fixed_number_of_queries(
    db, client, trafficker, count_queries, many, open_ticket
):
    seed(db, many["campaigns"], many["channels"], per_status=2)
    client.get("/board/")

    def move_one() -> int:
        ticket = open_ticket(many["moana"], many["meta"], S.DRAFT)
        version = ticket.version
        fresh_request(db)
        with count_queries() as statements:
            response = board_move(client, ticket, "QA_TESTING", board="q=Moana", version=version)
        assert response.status_code == 200, text_of(response)
        assert response.headers["HX-Reswap"] == "delete"
        return len(statements)

    move_one()  # the process's first QA reads the naming conventions, and keeps them
    small = move_one()
    seed(db, many["campaigns"], many["channels"], per_status=98)
    large = move_one()

    assert large == small
    # A move to QA also runs pre-flight QA (the campaign, its brand, market and tickets, the
    # ad set naming convention its request names the ad set by, the ticket's ads and the
    # brand's creative library), and reads the target column's WIP limit.
    assert small <= 20, small
