"""Ads on tickets: creatives as library rows, and CREATE_CAMPAIGN tickets to put ads on."""

import uuid

import pytest

from omnitraffick.models import Creative, CreativeKind
from omnitraffick.services import ad_editing
from omnitraffick.services import tickets as ticket_service

SETTINGS = {
    "objective": "traffic",
    "budget_type": "daily",
    "budget_amount": "1500",
    "flight_start": "2026-03-01",
    "flight_end": "2026-03-31",
    "landing_url": "https://example.com/moana",
}


@pytest.fixture
def make_creative(db):
    """A creative row of a brand's library (its files are not needed to edit ads)."""

    def make(brand, width=1080, height=1080, kind="image", name=None, mime=None, seconds=None):
        kind = CreativeKind(kind)
        key = uuid.uuid4().hex
        creative = Creative(
            brand=brand,
            kind=kind,
            original_name=name
            or f"{kind.value}-{width}x{height}.{'mp4' if kind.value == 'video' else 'jpg'}",
            stored_key=f"{brand.id.hex}/{key}.{'mp4' if kind is CreativeKind.VIDEO else 'jpg'}",
            thumbnail_key=f"{brand.id.hex}/{key}-thumb.jpg" if kind is CreativeKind.IMAGE else None,
            mime_type=mime or ("video/mp4" if kind is CreativeKind.VIDEO else "image/jpeg"),
            width=width,
            height=height,
            aspect_ratio=f"{width}:{height}",
            size_bytes=200_000,
            duration_seconds=seconds
            if seconds is not None
            else (15 if kind.value == "video" else None),
        )
        db.session.add(creative)
        db.session.commit()
        return creative

    return make


@pytest.fixture
def ad_ticket(db, moana, meta):
    """A Draft CREATE_CAMPAIGN ticket (Moana on Meta unless told) with a landing URL."""

    def make(channel=None, campaign=None, request_type="CREATE_CAMPAIGN", settings=None):
        ticket = ticket_service.create_ticket(
            campaign_id=(campaign or moana).id,
            channel_id=(channel or meta).id,
            request_type=request_type,
            settings=SETTINGS if settings is None else settings,
        )
        db.session.commit()
        return ticket

    return make


@pytest.fixture
def add(db):
    """Add an ad through the service and commit; `values` over a valid Meta feed ad."""

    def add_one(ticket, actor=None, **values):
        raw = {
            "name_text": "Hero",
            "placements": ["meta_feed"],
            "primary_text": "Sail with Moana",
            "headline": "Now in cinemas",
            "call_to_action": "LEARN_MORE",
            **values,
        }
        ad = ad_editing.add_ad(ticket, raw, actor=actor)
        db.session.commit()
        return ad

    return add_one
