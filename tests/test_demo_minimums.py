"""The demo data (`make run` seeds it; the browser tests send it) meets the platforms'
minimum budgets, so a demo ticket that passed QA is one the sandbox accepts."""

from sqlalchemy import select

from omnitraffick.models import RequestType, Ticket, TicketStatus
from omnitraffick.services import qa


def test_demo_tickets_past_qa_meet_the_platform_minimums(app, db):
    result = app.test_cli_runner().invoke(
        args=["demo", "seed", "--campaigns", "60", "--tickets-per-campaign", "3"]
    )
    assert result.exit_code == 0, result.output

    ready = db.session.scalars(
        select(Ticket).where(
            Ticket.status == TicketStatus.READY_FOR_API,
            Ticket.request_type == RequestType.CREATE_CAMPAIGN,
        )
    ).all()
    assert {t.channel.api_identifier for t in ready} == {"META", "TIKTOK", "GOOGLE"}
    for ticket in ready:
        [finding] = [
            f for f in qa.run(qa.context_for(ticket, None)) if f.rule == "platform_minimum"
        ]
        assert finding.passed, (ticket.payload_config, finding.message)
