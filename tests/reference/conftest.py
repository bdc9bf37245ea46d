"""Reference data (markets, brands, channels): the HTML views an admin uses, and the services.
Fixtures shared by the files of this folder.
"""

import pytest

from tests.reference.helpers import BRANDS, CREATE, MARKETS, SAMPLE_ROWS


@pytest.fixture
def admin(login):
    return login()


@pytest.fixture
def make_row(db, make_market, make_brand, make_channel):
    """Create a row of `kind`, with the given code or a generated one."""

    def make(kind, code=None, **values):
        if kind is MARKETS:
            return make_market(code=code, **values)
        if kind is BRANDS:
            return make_brand(internal_code=code, **values)
        return make_channel(api_identifier=code, **values)

    return make


@pytest.fixture
def make_sample_rows(db):
    def make(kind):
        for values in SAMPLE_ROWS[kind]:
            CREATE[kind](**values)
        db.session.commit()

    return make


@pytest.fixture
def use_row(make_campaign, make_ticket):
    """Make `times` campaigns (markets, brands) or tickets (channels) reference `row`."""

    def use(kind, row, times):
        for i in range(times):
            if kind is MARKETS:
                make_campaign(market=row, campaign_name=f"Launch{i}")
            elif kind is BRANDS:
                make_campaign(brand=row, campaign_name=f"Launch{i}")
            else:
                make_ticket(channel=row)

    return use


@pytest.fixture
def sixty_markets(make_market):
    for i in range(60):
        make_market(code=f"M{i:02d}", country="US")
