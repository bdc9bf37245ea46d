"""The board's 4-second refresh as a browser makes it, CSRF protection on and time passing: an
unchanged board answers 304 with no body, seconds and hours later, and the forms on the cards
it keeps still move tickets."""

import time

import pytest

from tests.board.helpers import S, board_move
from tests.html import csrf_token
from tests.tickets.helpers import fragment_headers


@pytest.fixture
def later(monkeypatch):
    """The clock, moved forward by `later(seconds)`. The steps stay within one UTC day (the
    token's stamp), whatever time the test runs at: late in the day they start just after
    the next midnight. (The clock only ever moves forward, as a real one does.)"""
    now = time.time()
    left_today = 86400 - now % 86400
    start = now if left_today > 7 * 3600 else now + left_today + 60

    def move(seconds):
        monkeypatch.setattr(time, "time", lambda: start + seconds)

    move(0)
    return move


def test_an_idle_board_answers_304_seconds_and_hours_later(
    client, trafficker, csrf_on, board, later
):
    first = client.get("/board/", headers=fragment_headers())
    etag = first.headers["ETag"]

    answers = []
    for seconds in (5, 3600, 6 * 3600):
        later(seconds)
        again = client.get("/board/", headers=fragment_headers() | {"If-None-Match": etag})
        answers.append((again.status_code, again.data))

    assert first.status_code == 200
    assert answers == [(304, b"")] * 3


def test_the_kept_board_still_moves_a_ticket_hours_later(client, trafficker, csrf_on, board, later):
    token = csrf_token(client.get("/board/", headers=fragment_headers()))
    later(6 * 3600)

    moved = board_move(client, board["draft"], "QA_TESTING", csrf_token=token)

    assert moved.status_code == 200, moved.text
    assert board["draft"].status is not S.DRAFT


def test_a_move_changes_the_refresh(client, trafficker, csrf_on, board, later):
    first = client.get("/board/", headers=fragment_headers())
    token = csrf_token(first)
    board_move(client, board["draft"], "QA_TESTING", csrf_token=token)

    again = client.get(
        "/board/", headers=fragment_headers() | {"If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]


def test_the_next_day_the_refresh_renders_with_that_days_token(
    client, trafficker, csrf_on, board, later
):
    first = client.get("/board/", headers=fragment_headers())
    later(86400)  # the same time tomorrow: the token is signed with the day it is made

    again = client.get(
        "/board/", headers=fragment_headers() | {"If-None-Match": first.headers["ETag"]}
    )
    moved = board_move(client, board["draft"], "QA_TESTING", csrf_token=csrf_token(again))

    assert again.status_code == 200
    assert csrf_token(again) != csrf_token(first)
    assert moved.status_code == 200, moved.text
