"""Pre-flight QA: each rule passing and failing, severities, and several failures together.
Fixtures shared by the files of this folder.
"""

from decimal import Decimal

import pytest

from omnitraffick.models import Creative, CreativeKind, TicketAd, TicketAdCreative
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


@pytest.fixture
def creative(db, brand):
    """A creative in Disney's library (rows as the upload makes them)."""

    def make(name, width, height, *, seconds=None, mime=None, size=200_000, of=None):
        video = seconds is not None
        row = Creative(
            brand=of or brand,
            kind=CreativeKind.VIDEO if video else CreativeKind.IMAGE,
            original_name=name,
            stored_key=f"{(of or brand).id}/{name}",
            mime_type=mime or ("video/mp4" if video else "image/jpeg"),
            width=width,
            height=height,
            aspect_ratio="",
            size_bytes=size,
            duration_seconds=Decimal(str(seconds)) if video else None,
        )
        db.session.add(row)
        db.session.commit()
        return row

    return make


@pytest.fixture
def add_ad(db):
    """An ad on a ticket; `creatives` in order; texts as the ad editor saves them."""

    def add(ticket, position=1, name_text="Hero", placements=("meta_feed",), creatives=(), **f):
        ad = TicketAd(position=position, name_text=name_text, placements=list(placements), **f)
        for n, row in enumerate(creatives, 1):
            ad.creative_links.append(TicketAdCreative(creative=row, position=n))
        ticket.ads.append(ad)
        db.session.commit()
        return ad

    return add
