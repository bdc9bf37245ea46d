"""A bulk move runs a fixed number of SQL statements and keeps every single-move rule."""

import pytest
from sqlalchemy import func, select

from omnitraffick.models import RequestType, Role, Ticket, TicketEvent, TicketStatus
from tests.html import parse

URL = "/bulk/tickets"


def _tickets(db, make_ticket, make_channel, campaign, count):
    """`count` tickets of `campaign`: mostly Draft CREATE tickets on their own channel, one
    UPDATE ticket whose CREATE was trafficked, and one Ready ticket that cannot go to QA."""
    made = [make_ticket(campaign=campaign, channel=make_channel()) for _ in range(count - 2)]
    created = made[0]
    created.status, created.external_platform_id = TicketStatus.TRAFFICKED_SUCCESS, "23851"
    update = make_ticket(
        campaign=campaign, channel=created.channel, request_type=RequestType.UPDATE_BUDGET
    )
    ready = make_ticket(campaign=campaign, channel=make_channel())
    ready.status = TicketStatus.READY_FOR_API
    db.session.commit()
    return made[1:] + [update, ready, created]


def _move(client, ids):
    response = client.post(URL, data={"ids": ids, "action": "move", "to_status": "QA_TESTING"})
    assert response.status_code == 200, response.text
    return parse(response.text)


@pytest.mark.long
def test_a_bulk_move_runs_as_many_statements_for_300_tickets_as_for_5(
    client, db, login, make_campaign, make_ticket, make_channel, count_queries
):
    login(Role.TRAFFICKER)
    counts = []
    for size in (5, 300):
        campaign = make_campaign(campaign_name=f"Bulk{size}")
        ids = [str(t.id) for t in _tickets(db, make_ticket, make_channel, campaign, size)]
        with count_queries() as statements:
            page = _move(client, ids)
        counts.append(len(statements))
        # Every ticket but the Ready one and the trafficked one moved.
        assert page.find(id="bulk-done").text == str(size - 2)
        assert page.find(id="bulk-refused").text == "2"
    assert counts[0] == counts[1], counts


def test_a_refused_ticket_is_untouched_and_the_others_are_saved_in_one_go(
    client, db, login, make_campaign, make_ticket, make_channel
):
    login(Role.TRAFFICKER)
    chosen = _tickets(db, make_ticket, make_channel, make_campaign(), 6)
    ready, created = chosen[-2], chosen[-1]
    versions = {t.id: t.version for t in chosen}
    page = _move(client, [str(t.id) for t in chosen])

    rows = [
        [td.text for td in tr.find_all("td")]
        for tr in page.find("table", cls="bulk-results").find_all("tr")[1:]
    ]
    assert [outcome for _, outcome, _ in rows] == ["done"] * 4 + ["refused"] * 2
    assert "Ready for API ticket cannot move to QA testing" in rows[4][2]
    db.session.expire_all()
    # The refused ones keep their status, version and history.
    assert db.session.get(Ticket, ready.id).status is TicketStatus.READY_FOR_API
    assert db.session.get(Ticket, ready.id).version == versions[ready.id]
    assert db.session.get(Ticket, created.id).status is TicketStatus.TRAFFICKED_SUCCESS
    refused = select(func.count()).select_from(TicketEvent)
    assert db.session.scalar(refused.where(TicketEvent.ticket_id.in_([ready.id, created.id]))) == 0
    # The moved ones: QA ran (empty settings fail it), two history entries each, version bumped.
    for ticket in chosen[:4]:
        saved = db.session.get(Ticket, ticket.id)
        assert saved.status is TicketStatus.QA_FAILED
        assert saved.version == versions[ticket.id] + 1
        assert sorted(e.to_status.value for e in saved.events) == ["QA_FAILED", "QA_TESTING"]
