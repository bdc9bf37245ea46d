"""Sending tickets to the platforms, over real HTTP against the local platform sandbox: pages."""

from datetime import timedelta

import pytest

from omnitraffick.models import (
    RequestType,
    SendState,
    TicketStatus,
    utcnow,
)
from omnitraffick.services import tickets, trafficking
from omnitraffick.services.errors import Conflict
from tests.html import parse
from tests.trafficking.helpers import READY, reload, send

# --- pages ---------------------------------------------------------------------------------------


def test_ticket_page_offers_the_send_and_says_it_is_the_sandbox(
    client, db, editor, sandbox, ready, meta
):
    ticket = ready(meta)
    page = parse(client.get(f"/tickets/{ticket.id}").text)
    assert "Send to Meta (sandbox)" in page.find("button", "send-button").text
    assert "local platform sandbox" in page.find(cls="connection").text


def test_a_send_in_progress_polls_and_the_panel_updates_when_it_ends(
    client, db, editor, sandbox, ready, meta
):
    ticket = ready(meta)
    queued = trafficking.queue_send(ticket, actor=editor)
    db.session.commit()
    version = reload(db, ticket).version
    panel = client.get(f"/tickets/{ticket.id}/status?version={version}")
    assert "Sending to Meta sandbox" in panel.text
    assert "every 1s" in panel.text
    assert "HX-Trigger" not in panel.headers
    history = parse(panel.text).by_id("history")  # swapped in too, to show attempts live
    assert history.attrs["hx-swap-oob"] == "true"
    assert "Send to Meta Sandbox · queued" in history.text
    status_panel = parse(panel.text).by_id("status-panel")
    assert status_panel.find("button", "send-button") is None  # no second send
    assert status_panel.find(cls="moves") is None  # and no moves
    trafficking.run_send(queued.id)
    panel = client.get(f"/tickets/{ticket.id}/status?version={version}")
    assert "Trafficked success" in panel.text
    assert panel.headers["HX-Trigger"] == "ticket-changed"
    assert 'hx-swap-oob="true"' in panel.text  # the history comes along
    assert reload(db, ticket).external_platform_id in panel.text
    assert "every 1s" not in panel.text


def test_board_card_sends_and_watches(client, db, editor, sandbox, ready, meta):
    ticket = ready(meta)
    board = parse(client.get("/board/").text)
    button = board.by_id(f"ticket-{ticket.id}").find("button", "send-go")
    assert button.text == "Send to Meta sandbox"
    queued = trafficking.queue_send(ticket, actor=editor)
    db.session.commit()
    card = client.get(f"/tickets/{ticket.id}/card", query_string={"board": ""}).text
    assert "Sending to Meta" in card and "X-Card-Watch" in card
    watch = client.get(f"/tickets/{ticket.id}/card", query_string={"board": "", "watch": "1"})
    assert watch.status_code == 204
    trafficking.run_send(queued.id)
    watch = client.get(f"/tickets/{ticket.id}/card", query_string={"board": "", "watch": "1"})
    assert watch.status_code == 200
    assert watch.headers["HX-Reswap"] == "delete"
    assert 'hx-swap-oob="afterbegin:#cards-TRAFFICKED_SUCCESS"' in watch.text


def test_send_from_a_card_moves_it_when_the_platform_answered(
    client, db, editor, sandbox, ready, meta
):
    ticket = ready(meta)
    response = client.post(
        f"/tickets/{ticket.id}/send",
        data={"version": ticket.version, "board": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.headers["HX-Reswap"] == "delete"
    assert "cards-TRAFFICKED_SUCCESS" in response.text


def test_send_all_ready_sends_what_the_filters_show(
    client, db, editor, sandbox, ready, meta, tiktok, google, make_ticket, moana
):
    sent = [ready(meta), ready(tiktok), ready(google)]
    draft = make_ticket(campaign=moana, channel=meta)
    response = client.post("/board/send-ready", data={"board": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Sending 3 tickets to their platforms." in response.text
    assert all(reload(db, t).status is TicketStatus.TRAFFICKED_SUCCESS for t in sent)
    assert reload(db, draft).status is TicketStatus.DRAFT


def test_send_all_ready_respects_the_board_filters(
    client, db, editor, sandbox, ready, meta, tiktok
):
    on_meta, on_tiktok = ready(meta), ready(tiktok)
    client.post("/board/send-ready", data={"board": f"channel={tiktok.id}"})
    assert reload(db, on_tiktok).status is TicketStatus.TRAFFICKED_SUCCESS
    assert reload(db, on_meta).status is READY


def test_channels_page_says_where_sends_go(client, db, editor, meta, make_channel, app):
    make_channel(api_identifier="SNAP", platform_name="Snapchat")
    page = client.get("/channels/").text
    assert "Not connected" in page and "META_ACCESS_TOKEN" in page
    assert "No platform API is known for the channel SNAP" in page
    app.config["PLATFORM_SANDBOX_URL"] = "http://127.0.0.1:8001"
    try:
        page = client.get("/channels/").text
    finally:
        app.config["PLATFORM_SANDBOX_URL"] = None
    assert "Sandbox" in page and "nothing reaches the real Meta" in page


def test_history_lists_every_attempt(client, db, editor, sandbox, ready, meta):
    sandbox.fault(platform="meta", status=500, path_contains="/campaigns", method="POST")
    ticket = ready(meta)
    send(client, ticket)
    page = parse(client.get(f"/tickets/{ticket.id}").text)
    attempts = page.by_id("history").find_all("li", "attempt")
    # The account's minimum budgets, then search, 500, search, create; search and create of
    # the ad set.
    assert len(attempts) == 7
    text = page.by_id("history").text
    assert "HTTP 500" in text and "trying again" in text
    assert "/v27.0/act_1000000001/campaigns" in text


def test_one_send_per_campaign_and_platform_at_a_time(db, editor, sandbox, ready, meta):
    first, second = ready(meta), ready(meta)
    trafficking.queue_send(first, actor=editor)
    db.session.commit()
    with pytest.raises(Conflict, match="Another ticket of this campaign is being sent"):
        trafficking.queue_send(second, actor=editor)
    db.session.rollback()


def test_send_all_lists_what_it_could_not_send(client, db, editor, sandbox, ready, meta, tiktok):
    good = ready(meta)
    bad = ready(tiktok, objective="LEADS")  # TikTok tickets cannot carry lead forms
    response = client.post("/board/send-ready", data={"board": ""}, headers={"HX-Request": "true"})
    page = parse(response.text)
    notice = page.by_id("board-notice")
    assert "Sending 1 ticket to their platforms. 1 could not be sent:" in notice.text
    [refused] = notice.find_all("li")
    assert "DIS_US_TIKTOK_2026_MoanaLaunch" in refused.text
    assert "TikTok does not support the objective LEADS" in refused.text
    assert reload(db, good).status is TicketStatus.TRAFFICKED_SUCCESS
    assert reload(db, bad).status is READY


def test_a_ticket_whose_send_was_lost_can_move_and_be_sent_again(
    client, db, editor, sandbox, ready, meta
):
    ticket = ready(meta)
    lost = trafficking.queue_send(ticket, actor=editor)  # never dispatched: its job is lost
    lost.requested_at = utcnow() - timedelta(hours=1)
    ticket.sending_since = lost.requested_at
    db.session.commit()
    page = parse(client.get(f"/tickets/{ticket.id}").text)
    assert page.find("button", "send-button") is not None  # not stuck on "Sending…"
    tickets.move_ticket(ticket, "DRAFT", actor=editor)
    db.session.commit()
    db.session.refresh(lost)
    assert lost.state is SendState.FAILED
    assert reload(db, ticket).status is TicketStatus.DRAFT


def test_a_job_handed_out_again_takes_over_a_send_whose_worker_died(
    db, editor, sandbox, ready, meta
):
    ticket = ready(meta)
    send_ = trafficking.queue_send(ticket, actor=editor)
    db.session.commit()
    trafficking.run_send(send_.id)  # done: a second delivery of the same job does nothing
    requests_before = len(sandbox.requests())
    trafficking.run_send(send_.id)
    assert len(sandbox.requests()) == requests_before

    other = ready(meta, request_type=RequestType.UPDATE_STATUS)
    running = trafficking.queue_send(other, actor=editor)
    db.session.commit()
    # A worker took it and died: still RUNNING, started long ago.
    running.state, running.started_at = SendState.RUNNING, utcnow() - timedelta(hours=2)
    db.session.commit()
    trafficking.run_send(running.id)
    assert reload(db, other).status is TicketStatus.TRAFFICKED_SUCCESS
