"""The board's idle refresh with compression on: the browser holds the columns as they came
(Brotli or gzip, whose ETag Flask-Compress suffixes with ":br" or ":gzip") and sends that tag
back; an unchanged board still answers 304 with no body, without rendering the columns."""

import pytest

from omnitraffick.views import board as board_view
from tests.tickets.helpers import fragment_headers


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_an_idle_compressed_poll_answers_304_with_no_body(
    client, trafficker, board, monkeypatch, coding
):
    headers = fragment_headers() | {"Accept-Encoding": coding}
    first = client.get("/board/", headers=headers)
    assert first.status_code == 200
    assert first.headers["Content-Encoding"] == coding
    assert first.headers["ETag"].endswith(f':{coding}"')
    assert "Accept-Encoding" in first.headers["Vary"]

    rendered = []
    monkeypatch.setattr(
        board_view, "board_context", lambda *a, **k: rendered.append(1) or pytest.fail("rendered")
    )
    again = client.get("/board/", headers=headers | {"If-None-Match": first.headers["ETag"]})

    assert (again.status_code, again.data, rendered) == (304, b"", [])
    assert "Content-Encoding" not in again.headers
    # The tag the browser holds, as it holds it: its cached body stays the one it uses.
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_compressed_poll_after_a_move_gets_the_new_columns(client, trafficker, board, db):
    headers = fragment_headers() | {"Accept-Encoding": "gzip"}
    first = client.get("/board/", headers=headers)
    board["draft"].title = "Moved on"
    board["draft"].version += 1
    db.session.commit()

    again = client.get("/board/", headers=headers | {"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    assert again.headers["Content-Encoding"] == "gzip"
