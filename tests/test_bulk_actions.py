"""Bulk actions on chosen tickets, and tickets for several channels of a campaign at once."""

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from omnitraffick.models import Role, Ticket, TicketEvent, TicketStatus
from omnitraffick.services import bulk
from tests.html import parse

URL = "/bulk/tickets"


@pytest.fixture
def editor(login):
    return login(Role.TRAFFICKER)


def results(response) -> list[tuple[str, str, str]]:
    page = parse(response.text)
    return [
        tuple(td.text for td in tr.find_all("td"))
        for tr in page.find("table", cls="bulk-results").find_all("tr")[1:]
    ]


def set_status(db, tickets, status):
    for ticket in tickets:
        ticket.status = status
    db.session.commit()


def test_a_bulk_move_of_50_tickets_to_qa_reports_each_outcome(
    client, db, editor, moana, meta, make_ticket, make_channel
):
    drafts = [make_ticket(campaign=moana, channel=make_channel()) for _ in range(48)]
    done = [make_ticket(campaign=moana, channel=make_channel()) for _ in range(2)]
    set_status(db, done, TicketStatus.TRAFFICKED_SUCCESS)
    ids = [str(t.id) for t in drafts + done]

    response = client.post(URL, data={"ids": ids, "action": "move", "to_status": "QA_TESTING"})
    assert response.status_code == 200, response.text
    rows = results(response)
    assert len(rows) == 50
    assert parse(response.text).find(id="bulk-done").text == "48"
    assert parse(response.text).find(id="bulk-refused").text == "2"
    for _name, outcome, message in rows[:48]:
        assert outcome == "done"
        # Empty settings: pre-flight QA sends each one on to QA failed, saying why.
        assert message.startswith("Moved: Draft → QA failed.")
    for _name, outcome, message in rows[48:]:
        assert outcome == "refused"
        assert "Trafficked success ticket cannot move to QA testing" in message
    db.session.expire_all()
    statuses = db.session.scalars(
        select(Ticket.status).where(Ticket.id.in_([t.id for t in drafts]))
    )
    assert set(statuses) == {TicketStatus.QA_FAILED}
    # The same history a single move writes (into QA testing, then QA's verdict), per ticket.
    events = db.session.scalar(select(func.count()).select_from(TicketEvent))
    assert events == 48 * 2


def test_select_all_matching_the_filters(client, db, editor, moana, frozen, meta, make_ticket):
    mine = [make_ticket(campaign=moana, channel=meta).id for _ in range(3)]
    other = make_ticket(campaign=frozen, channel=meta)
    response = client.post(
        URL,
        data={
            "all_matching": "1",
            "filters": f"campaign={moana.id}",
            "origin": "board",
            "action": "delete",
        },
    )
    assert response.status_code == 200
    assert len(results(response)) == 3
    db.session.expire_all()
    assert db.session.scalars(select(Ticket.id)).all() == [other.id]
    assert all(db.session.get(Ticket, ticket_id) is None for ticket_id in mine)


def test_deleting_drafts_refuses_the_others(client, db, editor, moana, meta, make_ticket):
    draft, ready = make_ticket(campaign=moana, channel=meta), make_ticket(campaign=moana)
    set_status(db, [ready], TicketStatus.READY_FOR_API)
    response = client.post(URL, data={"ids": [str(draft.id), str(ready.id)], "action": "delete"})
    (_, first, _), (_, second, why) = results(response)
    assert (first, second) == ("done", "refused")
    assert "Only Draft tickets can be deleted" in why


def test_export_downloads_only_the_chosen_tickets(client, editor, moana, meta, make_ticket):
    chosen = make_ticket(campaign=moana, channel=meta)
    make_ticket(campaign=moana)
    response = client.post(URL, data={"ids": [str(chosen.id)], "action": "export"})
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 2 and rows[1][0] == "DIS_US_META_2026_MoanaLaunch"


def test_nothing_chosen_or_bad_input_is_refused_clearly(client, editor, moana):
    empty = client.post(
        URL, data={"action": "move", "to_status": "QA_TESTING", "origin": "tickets"}
    )
    assert empty.status_code == 302 and empty.location.startswith("/tickets/")
    bad = client.post(URL, data={"ids": ["nope"], "action": "move", "to_status": "QA_TESTING"})
    assert bad.status_code == 422 and "is not a ticket id" in bad.text
    no_status = client.post(URL, data={"ids": [str(moana.id)], "action": "move"})
    assert no_status.status_code == 422


def test_viewers_see_no_boxes_and_cannot_act(client, login, moana, meta, make_ticket):
    ticket = make_ticket(campaign=moana, channel=meta)
    login(Role.VIEWER)
    page = parse(client.get("/board/").text)
    assert page.find("input", cls="card-select") is None
    assert page.find(id="bulk-form") is None
    refused = client.post(URL, data={"ids": [str(ticket.id)], "action": "delete"})
    assert refused.status_code == 403


def test_the_board_and_list_offer_boxes_and_select_all(client, editor, moana, meta, make_ticket):
    for _ in range(3):
        make_ticket(campaign=moana, channel=meta)
    board = parse(client.get("/board/").text)
    assert len(board.find_all("input", cls="card-select")) == 3
    assert "Select all 3 matching these filters" in board.find("label", cls="bulk-all").text
    listing = parse(client.get("/tickets/").text)
    assert len(listing.find_all("input", data_bulk_item=True)) == 3
    assert listing.find(id="bulk-form") is not None


def test_a_campaign_gets_tickets_for_three_channels_in_one_step(
    client, db, editor, moana, meta, tiktok, google
):
    url = f"/bulk/campaigns/{moana.id}/tickets"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={
            "channels": [str(meta.id), str(tiktok.id), str(google.id)],
            "split": "even",
            "total_budget": "1000",
            "objective": "AWARENESS",
            "budget_type": "LIFETIME",
            "flight_start": "2026-03-01",
            "flight_end": "2026-03-31",
            "landing_url": "https://example.com/moana",
        },
    )
    assert response.status_code == 302, response.text
    made = db.session.scalars(select(Ticket).where(Ticket.campaign_id == moana.id)).all()
    assert len(made) == 3
    amounts = sorted(Decimal(t.payload_config["budget_amount"]) for t in made)
    assert amounts == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert {t.payload_config["objective"] for t in made} == {"AWARENESS"}
    assert {t.status for t in made} == {TicketStatus.DRAFT}


def test_percentages_must_add_up_to_100_or_nothing_is_made(client, db, editor, moana, meta, tiktok):
    url = f"/bulk/campaigns/{moana.id}/tickets"
    data = {
        "channels": [str(meta.id), str(tiktok.id)],
        "split": "percent",
        f"percent_{meta.id}": "60",
        f"percent_{tiktok.id}": "30",
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    assert "add up to 90; they must add up to 100" in parse(refused.text).find(role="alert").text
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0
    data[f"percent_{tiktok.id}"] = "40"
    assert client.post(url, data=data).status_code == 302
    amounts = {
        t.channel_id: t.payload_config["budget_amount"] for t in db.session.scalars(select(Ticket))
    }
    assert amounts == {meta.id: "600.00", tiktok.id: "400.00"}  # of moana's 1000 budget


def test_split_budget_keeps_the_total_in_minor_units():
    parts = bulk.split_budget(Decimal("100"), [Decimal(100) / 3] * 3, "JPY")
    assert parts == [Decimal("34"), Decimal("33"), Decimal("33")]
    assert sum(parts) == 100


def test_campaigns_chosen_on_the_list_are_exported_or_deleted(
    client, db, editor, moana, frozen, meta, make_ticket
):
    started = make_ticket(campaign=frozen, channel=meta)
    set_status(db, [started], TicketStatus.QA_FAILED)
    listing = parse(client.get("/campaigns/").text)
    assert len(listing.find_all("input", data_bulk_item=True)) == 2
    ids = [str(moana.id), str(frozen.id)]
    export = client.post("/bulk/campaigns", data={"ids": ids[:1], "action": "export"})
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["DIS_US_MULTI_2026_MoanaLaunch"]
    response = client.post("/bulk/campaigns", data={"ids": ids, "action": "delete"})
    assert response.status_code == 200
    (_, first, _), (_, second, why) = results(response)
    assert (first, second) == ("done", "refused")
    assert "1 of its tickets has left DRAFT" in why
