"""Campaigns: the service rules (taxonomy name, uniqueness, budget, status moves, delete), the HTML
pages a trafficker uses (new form with live name preview, list, campaign page, edit, delete),
fixed SQL query counts on the list, and two people creating the same name at once. Fixtures
shared by the files of this folder.
"""

import pytest

from omnitraffick.models import (
    CampaignStatus,
)
from omnitraffick.services import campaigns as service


@pytest.fixture
def kw(make_market):
    return make_market(code="KW", currency="KWD", country="Kuwait", region="MEA")


@pytest.fixture
def create(db, dis, us):
    """Create a campaign through the service (Disney, US, 2026 unless told) and commit."""

    def make(**fields):
        values = {
            "brand_id": dis.id,
            "market_id": us.id,
            "campaign_name": "Moana Launch!",
            "year": 2026,
            "budget": "1500.50",
        }
        campaign = service.create_campaign(**(values | fields))
        db.session.commit()
        return campaign

    return make


@pytest.fixture
def with_status(db):
    """Put a campaign into a status directly, as if earlier moves had happened."""

    def put(campaign, status):
        campaign.status = CampaignStatus(status)
        db.session.commit()
        return campaign

    return put


@pytest.fixture
def portfolio(db, create, with_status, dis, pix, us, jp):
    """Five campaigns over two brands, two markets, two years and all statuses."""
    made = {
        "moana": create(campaign_name="Moana Launch", budget="1500.50"),
        "frozen": with_status(
            create(campaign_name="Frozen Teaser", market_id=jp.id, budget="200000"), "ACTIVE"
        ),
        "cars": with_status(
            create(campaign_name="Cars Relaunch", brand_id=pix.id, year=2027, budget="10"),
            "PAUSED",
        ),
        "toy": with_status(
            create(
                campaign_name="Toy Story Summer",
                brand_id=pix.id,
                market_id=jp.id,
                budget="50000",
            ),
            "ACTIVE",
        ),
        "up": with_status(
            with_status(create(campaign_name="Up Again", year=2025, budget="999"), "ACTIVE"),
            "COMPLETED",
        ),
    }
    return {key: c.name for key, c in made.items()}
