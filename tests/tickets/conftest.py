"""Tickets: opening one (structured, type-checked settings and the platform name), the workflow
with its audit trail and version checks, settings edits and deletes, the HTML pages a trafficker
works in (new/edit forms, ticket page with htmx moves, the filtered list), and two people moving
the same ticket at the same moment. Fixtures shared by the files of this folder.
"""

from datetime import UTC, datetime

import pytest

from omnitraffick.services import tickets as service
from tests.tickets.helpers import FULL_SETTINGS, S


@pytest.fixture
def open_ticket(db, moana, meta):
    """Open a ticket through the service (Moana on Meta unless told) and commit."""

    def make(campaign=None, channel=None, request_type="CREATE_CAMPAIGN", settings=None, **kw):
        ticket = service.create_ticket(
            campaign_id=(campaign or moana).id,
            channel_id=(channel or meta).id,
            request_type=request_type,
            settings=FULL_SETTINGS if settings is None else settings,
            **kw,
        )
        db.session.commit()
        return ticket

    return make


@pytest.fixture
def put(db):
    """Put a ticket into a status directly, as if earlier moves had happened, an hour ago."""

    def put_in(ticket, status, **fields):
        ticket.status = S(status)
        ticket.status_changed_at = datetime(2026, 1, 1, tzinfo=UTC)
        for name, value in fields.items():
            setattr(ticket, name, value)
        db.session.commit()
        return ticket

    return put_in


@pytest.fixture
def three_tickets(open_ticket, put, moana, frozen, meta, tiktok):
    """DIS_US_META (DRAFT), DIS_US_TIKTOK (QA_TESTING), PIX_JP_META (DRAFT)."""
    open_ticket(campaign=moana, channel=meta)
    put(open_ticket(campaign=moana, channel=tiktok), S.QA_TESTING)
    open_ticket(campaign=frozen, channel=meta, settings={})
