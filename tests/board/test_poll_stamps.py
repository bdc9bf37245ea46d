"""The board's refresh between workers: the workspace's stamps are kept (in the app on
PostgreSQL, on each database connection on SQLite) until a write is committed anywhere
(services/stamps.py), so an idle refresh reads nothing but the signed-in session, and a move
made through another worker (`other_worker`) re-renders the next refresh."""

from sqlalchemy import text

from tests.board.helpers import S, board_move
from tests.tickets.helpers import fragment_headers


def commits_anywhere(db) -> str:
    """What moves when anyone commits: PostgreSQL's snapshot is the whole server's (another
    test worker's commits move it too); each SQLite database is a file of its own."""
    if db.engine.dialect.name != "postgresql":
        return ""
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT pg_current_snapshot()::text")).scalar_one()


def test_an_idle_refresh_reads_nothing_but_the_signed_in_session(
    db, client, trafficker, board, count_queries
):
    first = client.get("/board/", headers=fragment_headers())
    again = fragment_headers() | {"If-None-Match": first.headers["ETag"]}
    # A commit elsewhere between two refreshes rightly makes the second read the stamps
    # again: refresh until two came with nothing committed in between.
    for _ in range(50):
        before = commits_anywhere(db)
        client.get("/board/", headers=again)  # the stamps are read once
        with count_queries() as statements:
            idle = client.get("/board/", headers=again)
        if commits_anywhere(db) == before:
            break

    assert idle.status_code == 304
    assert [s for s in statements if s.strip() != "BEGIN"] == [statements[-1]]
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
