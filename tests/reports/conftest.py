"""Reports: the printable campaign report, the portfolio report with its per-currency totals, and
the CSV exports of the campaign list, the ticket list and the portfolio. Fixtures shared by the
files of this folder.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from omnitraffick.models import (
    Campaign,
    CampaignStatus,
    RequestType,
    Role,
    TicketEvent,
    utcnow,
)
from omnitraffick.services import taxonomy
from omnitraffick.services import tickets as ticket_service
from tests.reports.helpers import T0, S


@pytest.fixture
def add_campaign(db):
    """Insert a campaign straight into the table, with the status and time asked for."""
    counter = iter(range(10_000))

    def add(
        brand,
        market,
        campaign_name,
        year=2026,
        budget="0",
        status=CampaignStatus.DRAFT,
        *,
        name_part=None,
    ):
        n = next(counter)
        name = taxonomy.build_name(
            brand.internal_code,
            market.code,
            taxonomy.MULTI_CHANNEL,
            name_part or campaign_name,
            year,
        )
        campaign = Campaign(
            name=name,
            campaign_name=campaign_name,
            brand_id=brand.id,
            market_id=market.id,
            year=year,
            budget=Decimal(budget),
            status=status,
            created_at=T0 + timedelta(minutes=n),
            updated_at=T0 + timedelta(minutes=n),
        )
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return add


@pytest.fixture
def add_ticket(db):
    """Open a ticket through the service (so its settings are cleaned as in the app), then
    put it in `status` directly."""

    def add(campaign, channel, status=S.DRAFT, settings=None, **columns):
        ticket = ticket_service.create_ticket(
            campaign_id=campaign.id,
            channel_id=channel.id,
            request_type=RequestType.CREATE_CAMPAIGN,
            settings=settings or {},
        )
        ticket.status = status
        for column, value in columns.items():
            setattr(ticket, column, value)
        db.session.commit()
        return ticket

    return add


@pytest.fixture
def world(db, make_brand, make_market, make_channel, add_campaign, add_ticket):
    """Two brands, campaigns in USD (two markets), EUR and JPY, and tickets in several states.

    Budgets by currency: USD 1500.50 + 999.50 + 100.00, EUR 2000.25 + 300, JPY 150000.
    """
    dis = make_brand(name="Disney", internal_code="DIS")
    pix = make_brand(name="Pixar", internal_code="PIX")
    us = make_market(code="US", currency="USD", country="United States", region="NA")
    pr = make_market(code="PR", currency="USD", country="Puerto Rico", region="NA")
    fr = make_market(code="FR", currency="EUR", country="France", region="EMEA")
    jp = make_market(code="JP", currency="JPY", country="Japan", region="APAC")
    meta = make_channel(api_identifier="META", platform_name="Meta")
    goog = make_channel(api_identifier="GOOG", platform_name="Google Ads")
    A = CampaignStatus
    c = {
        "moana_us": add_campaign(dis, us, "MoanaLaunch", 2026, "1500.50", A.ACTIVE),
        "moana_fr": add_campaign(dis, fr, "MoanaLaunch", 2026, "2000.25", A.ACTIVE),
        "frozen_jp": add_campaign(dis, jp, "Frozen", 2026, "150000", A.PAUSED),
        "toy_us": add_campaign(pix, us, "ToyStory", 2025, "999.50", A.DRAFT),
        "cars_fr": add_campaign(pix, fr, "Cars", 2026, "300", A.COMPLETED),
        "encanto_pr": add_campaign(dis, pr, "Encanto", 2026, "100", A.ACTIVE),
    }
    t = {
        "moana_us_meta": add_ticket(
            c["moana_us"],
            meta,
            S.TRAFFICKED_SUCCESS,
            {"budget_type": "daily", "budget_amount": "1,500.5", "flight_start": "2026-03-01"},
            external_platform_id="act_881",
        ),
        "moana_us_goog": add_ticket(
            c["moana_us"], goog, S.QA_FAILED, qa_failure_reason="Landing URL is a 404"
        ),
        "moana_fr_meta": add_ticket(c["moana_fr"], meta, S.DRAFT),
        "frozen_jp_meta": add_ticket(
            c["frozen_jp"],
            meta,
            S.TRAFFICKED_SUCCESS,
            {"budget_type": "lifetime", "budget_amount": "150000", "flight_end": "2026-06-30"},
            external_platform_id="jp-1",
        ),
        "toy_us_goog": add_ticket(c["toy_us"], goog, S.READY_FOR_API),
    }
    return {
        "brands": {"dis": dis, "pix": pix},
        "markets": {"us": us, "pr": pr, "fr": fr, "jp": jp},
        "channels": {"meta": meta, "goog": goog},
        "campaigns": c,
        "tickets": t,
    }


@pytest.fixture
def viewer(login):
    """Reports are for everyone signed in, viewers included."""
    return login(Role.VIEWER)


@pytest.fixture
def report_campaign(db, make_brand, make_market, make_channel, make_user, add_campaign, add_ticket):
    """DIS_US_MULTI_2026_MoanaLaunch with tickets on three channels and a QA history."""
    dis = make_brand(name="Disney", internal_code="DIS")
    us = make_market(code="US", currency="USD", country="United States", region="NA")
    tess = make_user(Role.TRAFFICKER, name="Tess Trafficker")
    meta = make_channel(api_identifier="META", platform_name="Meta")
    goog = make_channel(api_identifier="GOOG", platform_name="Google Ads")
    tiktok = make_channel(api_identifier="TTK", platform_name="TikTok")
    campaign = add_campaign(
        dis, us, "Moana launch", 2026, "1500.50", CampaignStatus.ACTIVE, name_part="MoanaLaunch"
    )
    campaign.created_by_id = tess.id
    db.session.commit()

    def open_ticket(channel, settings):
        return ticket_service.create_ticket(
            campaign_id=campaign.id,
            channel_id=channel.id,
            request_type=RequestType.CREATE_CAMPAIGN,
            settings=settings,
            created_by=tess,
        )

    meta_ticket = open_ticket(
        meta,
        {
            "budget_type": "daily",
            "budget_amount": "1000",
            "flight_start": "2026-03-01",
            "flight_end": "2026-03-31",
        },
    )
    goog_ticket = open_ticket(
        goog, {"budget_type": "lifetime", "budget_amount": "500.50", "flight_start": "2026-04-01"}
    )
    tiktok_ticket = open_ticket(tiktok, {"budget_type": "daily", "budget_amount": "250"})
    db.session.commit()

    def enter_qa_testing(ticket):
        # A move to QA_TESTING runs pre-flight QA and moves the ticket on by itself (see
        # tests/qa/ and tests/api/); this history has QA decided by hand, so the
        # ticket is put in QA_TESTING directly, with the event such a move records.
        now = utcnow()
        ticket.events.append(
            TicketEvent(actor=tess, from_status=S.DRAFT, to_status=S.QA_TESTING, created_at=now)
        )
        ticket.status, ticket.status_changed_at = S.QA_TESTING, now
        db.session.flush()

    move = ticket_service.move_ticket
    enter_qa_testing(meta_ticket)
    move(meta_ticket, S.QA_FAILED, actor=tess, reason="Landing URL has no utm_campaign")
    enter_qa_testing(goog_ticket)
    move(goog_ticket, S.READY_FOR_API, actor=tess)
    move(goog_ticket, S.TRAFFICKED_SUCCESS, actor=tess, external_platform_id="gads-4711")
    db.session.commit()
    return {
        "campaign": campaign,
        "tess": tess,
        "meta": meta_ticket,
        "goog": goog_ticket,
        "tiktok": tiktok_ticket,
    }
