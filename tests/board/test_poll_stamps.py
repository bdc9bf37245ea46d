"""The board's refresh between workers: the workspace's stamps are kept (in the app on
PostgreSQL, on each database connection on SQLite) until a write is committed anywhere
(services/stamps.py), so an idle refresh reads nothing but the signed-in session, and a move
made through another worker (`other_worker`) re-renders the next refresh."""

from tests.board.helpers import S, board_move
from tests.tickets.helpers import fragment_headers


def test_an_idle_refresh_reads_nothing_but_the_signed_in_session(
    client, trafficker, board, count_queries
):
    first = client.get("/board/", headers=fragment_headers())
    again = fragment_headers() | {"If-None-Match": first.headers["ETag"]}
    # A commit anywhere (on PostgreSQL, another test worker's too) rightly makes a refresh
    # read the stamps again, and on SQLite each pooled connection keeps its own: refresh
    # until one came with the stamps kept.
    only_session = False
    for _ in range(50):
        client.get("/board/", headers=again)  # the stamps are read at most once
        with count_queries() as statements:
            idle = client.get("/board/", headers=again)
        assert idle.status_code == 304
        only_session = [s for s in statements if s.strip() != "BEGIN"] == [statements[-1]]
        if only_session:
            break

    assert only_session
    assert "user_sessions" in statements[-1]


def test_a_move_in_one_worker_refreshes_the_board_of_another(
    db, client, other_worker, trafficker, board
):
    first = other_worker.get("/board/", headers=fragment_headers())
    again = fragment_headers() | {"If-None-Match": first.headers["ETag"]}
    assert other_worker.get("/board/", headers=again).status_code == 304

    assert board_move(client, board["draft"], "QA_TESTING").status_code == 200

    refreshed = other_worker.get("/board/", headers=again)
    assert refreshed.status_code == 200
    assert board["draft"].status is not S.DRAFT
