"""Tickets: opening one (structured, type-checked settings and the platform name), the workflow
with its audit trail and version checks, settings edits and deletes, the HTML pages a trafficker
works in (new/edit forms, ticket page with htmx moves, the filtered list), and two people moving
the same ticket at the same moment: HTML: editing settings and deleting; HTML: the ticket list;
Two people moving the same ticket at the same moment.
"""

import threading

import pytest

from omnitraffick.errors import http_status
from omnitraffick.models import Role, Ticket, User
from omnitraffick.services import qa
from omnitraffick.services import tickets as service
from omnitraffick.services.errors import Conflict
from tests.html import parse, text_of
from tests.support import wait_for_lock_waiter
from tests.tickets.helpers import (
    DIS_META,
    DIS_TIKTOK,
    PIX_META,
    S,
    edit_form,
    events_of,
    fragment_headers,
    list_rows,
    move_inputs,
    reload,
    snapshot,
    valid_settings,
)

# --- HTML: editing settings and deleting ---------------------------------------------------------


def test_the_edit_form_shows_the_settings_and_saves_changes_in_draft(
    db, client, trafficker, open_ticket
):
    ticket = open_ticket()

    doc = parse(client.get(f"/tickets/{ticket.id}/edit"))
    assert doc.selected("objective") == "TRAFFIC"
    assert doc.selected("budget_type") == "DAILY"
    assert doc.values("budget_amount") == ["1500.50"]
    assert doc.values("version") == ["1"]

    response = client.post(f"/tickets/{ticket.id}/edit", data=edit_form(1))

    assert response.status_code == 302, text_of(response)
    assert response.headers["Location"] == f"/tickets/{ticket.id}"
    saved = reload(db, ticket.id)
    assert saved.payload_config == {
        "objective": "REACH",
        "budget_type": "LIFETIME",
        "budget_amount": "2000.00",
        "flight_start": "2026-04-01",
        "flight_end": "2026-04-30",
        "landing_url": "https://example.com/new",
        "initial_status": "ACTIVE",
    }
    assert saved.version == 2
    assert saved.status is S.DRAFT


def test_a_bad_setting_on_the_edit_form_shows_under_its_field(db, client, trafficker, open_ticket):
    ticket = open_ticket()
    before = snapshot(db, ticket.id)

    response = client.post(
        f"/tickets/{ticket.id}/edit", data=edit_form(1, landing_url="www.example.com")
    )

    assert response.status_code == 422
    assert "full web address" in parse(response).field_errors["landing_url"]
    assert snapshot(db, ticket.id) == before


def test_settings_of_a_ticket_ready_for_the_api_cannot_be_edited(
    db, client, trafficker, open_ticket, put
):
    ticket = put(open_ticket(), S.READY_FOR_API)
    before = snapshot(db, ticket.id)

    response = client.post(f"/tickets/{ticket.id}/edit", data=edit_form(ticket.version))

    assert response.status_code == 409
    assert "Settings can only change while a ticket is Draft or QA failed" in text_of(response)
    assert snapshot(db, ticket.id) == before


def test_a_stale_edit_form_is_a_conflict(db, client, trafficker, open_ticket):
    ticket = open_ticket()  # FULL_SETTINGS fail QA, so the ticket stays editable
    service.move_ticket(ticket, S.QA_TESTING, actor=None)
    db.session.commit()
    assert reload(db, ticket.id).status is S.QA_FAILED
    before = snapshot(db, ticket.id)

    response = client.post(f"/tickets/{ticket.id}/edit", data=edit_form(1))

    assert response.status_code == 409
    assert "changed by someone else" in text_of(response)
    assert snapshot(db, ticket.id) == before


def test_the_ticket_page_shows_the_pre_flight_qa_table(db, client, trafficker, open_ticket):
    ticket = open_ticket()  # FULL_SETTINGS: flight in the past, over the campaign budget
    qa_panel = parse(client.get(f"/tickets/{ticket.id}")).by_id("qa-panel")
    assert "Pre-flight QA" in qa_panel.text
    assert qa_panel.find("table") is None  # no run yet

    client.post(
        f"/tickets/{ticket.id}/move", data=move_inputs("QA_TESTING", 1), headers=fragment_headers()
    )
    assert reload(db, ticket.id).status is S.QA_FAILED

    for url in (f"/tickets/{ticket.id}", f"/tickets/{ticket.id}/qa"):
        qa_panel = parse(client.get(url)).by_id("qa-panel")
        assert "Pre-flight QA" in qa_panel.find("h2").text
        rows = qa_panel.find("table", cls="qa-table").find("tbody").find_all("tr")
        assert len(rows) == len(qa.RULES)
        blocking = [row for row in rows if "qa-block" in row.classes]
        assert len(blocking) >= 2
        text = qa_panel.text
        assert "✕ blocks" in text and "✓ passed" in text
        assert "The flight ended at 2026-03-31 23:59:59" in text


def test_deleting_a_draft_from_its_page(db, client, trafficker, open_ticket, moana):
    ticket_id = open_ticket().id  # the row object cannot be read once its row is deleted
    doc = parse(client.get(f"/tickets/{ticket_id}"))
    assert doc.find("form", action=f"/tickets/{ticket_id}/delete") is not None

    response = client.post(f"/tickets/{ticket_id}/delete")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/campaigns/{moana.id}"
    assert reload(db, ticket_id) is None


def test_deleting_a_ticket_that_left_draft_is_refused(db, client, trafficker, open_ticket, put):
    ticket = put(open_ticket(), S.QA_TESTING)
    assert (
        parse(client.get(f"/tickets/{ticket.id}")).find(
            "form", action=f"/tickets/{ticket.id}/delete"
        )
        is None
    )

    response = client.post(f"/tickets/{ticket.id}/delete")

    assert response.status_code == 409
    assert "Only Draft tickets can be deleted" in text_of(response)
    assert reload(db, ticket.id) is not None


# --- HTML: the ticket list -----------------------------------------------------------------------


def test_the_list_shows_every_ticket_with_its_platform_name(client, viewer, three_tickets):
    response = client.get("/tickets/")

    assert response.status_code == 200
    assert sorted(list_rows(parse(response))) == sorted([DIS_META, DIS_TIKTOK, PIX_META])
    assert "3 tickets" in text_of(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=QA_TESTING", [DIS_TIKTOK]),
        ("status=draft", [DIS_META, PIX_META]),
        ("brand={pix}", [PIX_META]),
        ("market={us}", [DIS_META, DIS_TIKTOK]),
        ("channel={meta}", [DIS_META, PIX_META]),
        ("campaign={moana}", [DIS_META, DIS_TIKTOK]),
        ("q=_META_", [DIS_META, PIX_META]),
        ("q=tiktok", [DIS_TIKTOK]),
        ("q=frozen3", [PIX_META]),
        ("q=_MULTI_", []),
        ("q=%25", []),
        ("channel={meta}&brand={dis}", [DIS_META]),
        ("status=DRAFT&market={jp}&q=PIX", [PIX_META]),
        ("status=FAILED", []),
    ],
)
def test_list_filters_in_the_url_narrow_the_rows(
    client, viewer, three_tickets, dis, pix, us, jp, meta, moana, query, expected
):
    ids = {"dis": dis.id, "pix": pix.id, "us": us.id, "jp": jp.id, "meta": meta.id}
    url = "/tickets/?" + query.format(moana=moana.id, **ids)

    response = client.get(url)

    assert response.status_code == 200
    assert sorted(list_rows(parse(response))) == sorted(expected)


def test_the_list_answers_htmx_with_the_table_only(client, viewer, three_tickets, pix):
    response = client.get(f"/tickets/?brand={pix.id}", headers=fragment_headers())

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'role="search"' not in response.text
    assert list_rows(parse(response)) == [PIX_META]


@pytest.mark.parametrize(
    "query",
    [
        "status=SHIPPED",
        "brand=not-a-uuid&market=123&channel=%27%3B--&campaign=%01",
        "sort=password&dir=sideways&page=abc",
        "page=-1&sort=status&dir=asc",
        "page=99999",
        "q=" + "x" * 500,
        "q=%5C&status=",
        "brand=&market=&channel=&campaign=&q=",
    ],
)
def test_junk_filter_values_do_not_break_the_list(client, viewer, three_tickets, query):
    response = client.get("/tickets/?" + query)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")


# --- Two people moving the same ticket at the same moment ----------------------------------------


def test_two_simultaneous_moves_of_one_ticket_give_one_move_and_one_clear_conflict(
    app, db, open_ticket, make_user
):
    """Two people move the same DRAFT ticket (version 1) to QA_TESTING at the same moment.

    Each is a POST request with its own session. A loads the ticket, waits until B has loaded
    it too, moves and flushes (its UPDATE holds the row), then waits until B's UPDATE is
    queued on that row and commits. B moves once A has flushed. On PostgreSQL B's UPDATE ...
    WHERE version = 1 waits on A's row lock, then finds version 2 and updates nothing: a
    conflict. On SQLite a POST takes the write lock
    at BEGIN, so B queues behind A, loads version 2 and its page's version 1 is refused.
    """
    tess = make_user(Role.TRAFFICKER, name="Tess")
    quinn = make_user(Role.TRAFFICKER, name="Quinn")
    ticket_id = open_ticket(settings=valid_settings()).id
    user_ids = {"A": tess.id, "B": quinn.id}
    db.session.remove()  # the threads use sessions of their own
    on_postgresql = db.engine.dialect.name == "postgresql"

    a_loaded, b_loaded, a_flushed = threading.Event(), threading.Event(), threading.Event()
    b_blocked: list[bool] = []  # whether B's UPDATE was seen waiting on A's row lock
    loaded: dict[str, tuple] = {}  # what each person's page showed: (status, version)
    results: dict[str, object] = {}  # "moved", or the exception

    def attempt(me, after_load, before_move, before_commit):
        with app.test_request_context(method="POST"):
            try:
                ticket = db.session.get(Ticket, ticket_id)
                actor = db.session.get(User, user_ids[me])
                loaded[me] = (ticket.status, ticket.version)
                after_load()
                before_move()
                # Each page sends the version it was rendered with: 1.
                service.move_ticket(ticket, "QA_TESTING", actor=actor, version=1)
                before_commit()
                db.session.commit()
                results[me] = "moved"
            except Exception as err:  # noqa: BLE001 - whatever it is, the test reports it
                db.session.rollback()
                results[me] = err
            finally:
                for signal in (a_loaded, b_loaded, a_flushed):
                    signal.set()  # never leave the other thread waiting
                db.session.remove()

    def a_after_load():
        a_loaded.set()
        # On SQLite B cannot load before A commits (it queues at BEGIN).
        if on_postgresql:
            assert b_loaded.wait(10)

    def a_before_commit():
        a_flushed.set()
        b_blocked.append(wait_for_lock_waiter(db.engine))

    threads = [
        threading.Thread(
            target=attempt,
            name="A",
            args=("A", a_after_load, lambda: None, a_before_commit),
        ),
        threading.Thread(
            target=attempt,
            name="B",
            args=("B", b_loaded.set, lambda: a_flushed.wait(5), lambda: None),
        ),
    ]
    threads[0].start()
    assert a_loaded.wait(5)
    threads[1].start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)

    assert results["A"] == "moved", results
    error = results["B"]
    assert isinstance(error, Conflict), f"{type(error).__name__}: {error}"
    assert http_status(error) == 409
    assert "someone else" in error.message.lower()
    assert "Reload" in error.message
    saved = reload(db, ticket_id)
    # A's move ran QA, which passed: one move into QA and its one follow-up, both A's.
    assert (saved.status, saved.version) == (S.READY_FOR_API, 2)
    history = [(e.from_status, e.to_status, e.actor_id) for e in events_of(db, ticket_id)]
    assert history == [
        (None, S.DRAFT, None),
        (S.DRAFT, S.QA_TESTING, tess.id),
        (S.QA_TESTING, S.READY_FOR_API, tess.id),
    ]
    if on_postgresql:
        # A real race: both loaded version 1, and B's UPDATE waited for A's commit.
        assert "at the same moment" in error.message
        assert loaded == {"A": (S.DRAFT, 1), "B": (S.DRAFT, 1)}
        assert b_blocked == [True]
    else:
        assert loaded == {"A": (S.DRAFT, 1), "B": (S.READY_FOR_API, 2)}


def test_ticket_page_shows_the_platform_request_or_every_problem(client, login, db, make_ticket):
    from omnitraffick.models import Channel

    login(Role.TRAFFICKER)
    ticket = make_ticket()
    db.session.get(Channel, ticket.channel_id).api_identifier = "TIKTOK"
    ticket.payload_config = {"budget_type": "LIFETIME", "budget_amount": "500"}
    db.session.commit()

    page = client.get(f"/tickets/{ticket.id}").text
    assert "Platform request" in page
    assert "cannot become a TikTok request yet" in page
    assert page.count("<li>") >= 2  # objective, flight end, landing URL ... all listed

    ticket.payload_config = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "500",
        "flight_start": "2031-01-01",
        "landing_url": "https://example.com/?utm_campaign=x",
    }
    db.session.commit()
    fragment = client.get(f"/tickets/{ticket.id}/payload", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment
    assert "/open_api/v1.3/campaign/create/" in fragment
    assert "&#34;budget_mode&#34;" in fragment or '"budget_mode"' in fragment
