"""Field-level history: every change to a ticket's settings, owner or due date is recorded as
old -> new with who and when, and shown in the ticket's timeline and the printed report.
"""

from omnitraffick.models import Role, TicketChange
from omnitraffick.services import tickets as service
from tests.conftest import PASSWORD
from tests.html import parse
from tests.tickets.helpers import fragment_headers


def changes_of(db, ticket) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.query(TicketChange).filter_by(ticket_id=ticket.id)
    return sorted((c.field, c.old_value, c.new_value) for c in rows)


def test_settings_owner_and_due_date_changes_are_recorded_and_shown(
    client, db, make_user, moana, meta
):
    me = make_user(Role.TRAFFICKER, name="Tess", email="tess@example.com")
    bea = make_user(Role.TRAFFICKER, name="Bea", email="bea@example.com")
    client.post("/login", data={"email": me.email, "password": PASSWORD})
    ticket = service.create_ticket(
        campaign_id=moana.id,
        channel_id=meta.id,
        request_type="CREATE_CAMPAIGN",
        settings={"objective": "REACH", "budget_type": "DAILY", "budget_amount": "100"},
    )
    db.session.commit()

    edited = client.post(
        f"/tickets/{ticket.id}/edit",
        data={
            "version": ticket.version,
            "request_type": "CREATE_CAMPAIGN",
            "objective": "TRAFFIC",
            "budget_type": "DAILY",
            "budget_amount": "100",
            "initial_status": "PAUSED",
        },
    )
    assert edited.status_code == 302
    db.session.expire_all()
    client.post(
        f"/tickets/{ticket.id}/owner",
        data={"assignee_id": str(bea.id), "due_date": "2026-09-01", "version": ticket.version},
        headers=fragment_headers(),
    )

    assert changes_of(db, ticket) == [
        ("Due date", None, "2026-09-01"),
        ("Objective", "REACH", "TRAFFIC"),
        ("Owner", None, "Bea"),
    ]
    timeline = parse(client.get(f"/tickets/{ticket.id}")).by_id("history")
    lines = [" ".join(li.text.split()) for li in timeline.find_all("li", cls="timeline-change")]
    assert any(line.startswith("Objective: REACH → TRAFFIC") and "Tess" in line for line in lines)
    assert any(line.startswith("Owner: — → Bea") for line in lines)

    report = parse(client.get(f"/campaigns/{moana.id}/report"))
    rows = [
        " ".join(tr.text.split())
        for tr in report.find("table", cls="report-changes").find_all("tr")
    ]
    assert any("Objective REACH TRAFFIC Tess" in row for row in rows)


def test_saving_the_same_settings_records_nothing(db, moana, meta):
    ticket = service.create_ticket(
        campaign_id=moana.id,
        channel_id=meta.id,
        request_type="CREATE_CAMPAIGN",
        settings={"objective": "REACH"},
    )
    db.session.commit()

    service.update_settings(ticket, {"objective": "reach"})
    db.session.commit()

    assert changes_of(db, ticket) == []
