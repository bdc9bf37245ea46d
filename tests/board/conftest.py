"""The kanban board: columns with counts, cards with badges and a keyboard "Move to…" control,
filters in the URL, the capped TRAFFICKED_SUCCESS column, moves made on the board (the card
moves and every count updates out of band), and fixed SQL query counts however many tickets
there are. Fixtures shared by the files of this folder.
"""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from omnitraffick.services import tickets as service
from tests.board.helpers import S


@pytest.fixture
def open_ticket(db, moana, meta):
    """Open a ticket (Moana on Meta unless told), put it in `status` directly, and commit."""
    minutes = itertools.count()

    def make(campaign=None, channel=None, status=S.DRAFT, **fields):
        ticket = service.create_ticket(
            campaign_id=getattr(campaign or moana, "id", campaign),
            channel_id=getattr(channel or meta, "id", channel),
            request_type="CREATE_CAMPAIGN",
            settings={"objective": "REACH", "budget_type": "DAILY", "budget_amount": "1500"},
        )
        ticket.status = S(status)
        # Later tickets entered their column later: they sit higher in it.
        ticket.status_changed_at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            minutes=next(minutes)
        )
        for name, value in fields.items():
            setattr(ticket, name, value)
        db.session.commit()
        return ticket

    return make


@pytest.fixture
def board(open_ticket, moana, frozen, meta, tiktok):
    """One ticket in every column, across two brands, two markets and two channels."""
    return {
        "draft": open_ticket(moana, meta, S.DRAFT),
        "qa": open_ticket(moana, tiktok, S.QA_TESTING),
        "qa_failed": open_ticket(frozen, tiktok, S.QA_FAILED, qa_failure_reason="No URL"),
        "ready": open_ticket(frozen, meta, S.READY_FOR_API),
        "done": open_ticket(frozen, meta, S.TRAFFICKED_SUCCESS, external_platform_id="120"),
        "failed": open_ticket(moana, meta, S.FAILED),
    }


@pytest.fixture
def many(db, make_brand, make_market, make_campaign, meta, tiktok, moana, dis):
    """Ids for the seed: the Disney US campaign plus three of other brands and markets."""
    others = [
        make_campaign(brand=make_brand(), market=make_market(), campaign_name=f"Camp{n}")
        for n in range(3)
    ]
    return {
        "campaigns": [moana.id, *(campaign.id for campaign in others)],
        "channels": [meta.id, tiktok.id],
        "dis": dis.id,
        "moana": moana.id,
        "meta": meta.id,
    }
