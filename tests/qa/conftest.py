"""Pre-flight QA: each rule passing and failing, severities, and several failures together.
Fixtures shared by the files of this folder.
"""

import pytest

from tests.qa.helpers import CREATE, create_settings


@pytest.fixture
def brand(make_brand):
    return make_brand(name="Disney", internal_code="DIS")


@pytest.fixture
def campaign(make_campaign, brand, us):
    return make_campaign(brand=brand, market=us, budget="10000")


@pytest.fixture
def ticket_for(db, make_ticket, campaign, meta):
    """A ticket with its settings and status set directly; Meta CREATE on the US campaign."""

    def make(settings=None, *, channel=None, request_type=CREATE, status=None, on=None):
        ticket = make_ticket(
            campaign=on or campaign, channel=channel or meta, request_type=request_type
        )
        ticket.payload_config = create_settings() if settings is None else settings
        if status is not None:
            ticket.status = status
        db.session.commit()
        return ticket

    return make
