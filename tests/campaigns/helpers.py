"""Campaigns: the service rules (taxonomy name, uniqueness, budget, status moves, delete), the HTML
pages a trafficker uses (new form with live name preview, list, campaign page, edit, delete),
fixed SQL query counts on the list, and two people creating the same name at once. Helpers
shared by the files of this folder.
"""

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import func, insert, select

from omnitraffick.models import (
    Campaign,
    CampaignStatus,
    Ticket,
)
from tests.html import Node, parse
from tests.support import insert_campaigns_with_tickets

THIS_YEAR = date.today().year


def page_of(response) -> Node:
    return parse(response)


def campaign_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Campaign))


def ticket_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Ticket))


def reload(db, campaign_id) -> Campaign | None:
    """The campaign as it is in the database now (not what this session holds)."""
    db.session.expire_all()
    return db.session.get(Campaign, campaign_id)


def new_form(brand, market, **fields) -> dict:
    """A valid new-campaign form for `brand` and `market`."""
    return {
        "brand_id": str(brand.id),
        "market_id": str(market.id),
        "year": "2026",
        "campaign_name": "Moana Launch!",
        "budget": "1500.50",
        "status": "DRAFT",
    } | fields


ALLOWED_MOVES = [
    ("DRAFT", "ACTIVE"),
    ("ACTIVE", "PAUSED"),
    ("PAUSED", "ACTIVE"),
    ("ACTIVE", "COMPLETED"),
    ("PAUSED", "COMPLETED"),
]


REFUSED_MOVES = [
    ("DRAFT", "PAUSED", ["ACTIVE"]),
    ("DRAFT", "COMPLETED", ["ACTIVE"]),
    ("ACTIVE", "DRAFT", ["PAUSED", "COMPLETED"]),
    ("PAUSED", "DRAFT", ["ACTIVE", "COMPLETED"]),
    ("COMPLETED", "DRAFT", ["none"]),
    ("COMPLETED", "ACTIVE", ["none"]),
    ("COMPLETED", "PAUSED", ["none"]),
]


def preview(client, brand, market, campaign_name, year="2026", **headers):
    return client.get(
        "/campaigns/preview",
        query_string={
            "brand_id": str(brand.id) if brand else "",
            "market_id": str(market.id) if market else "",
            "year": year,
            "campaign_name": campaign_name,
        },
        headers=headers,
    )


def previewed(response) -> tuple[str, str]:
    """The generated name the preview shows, and the part of it marked as typed."""
    doc = parse(response)
    shown, typed = doc.find("p", "preview-name"), doc.find("mark", "preview-typed")
    assert shown and typed, response.text
    return shown.text, typed.text


def list_names(client, query="", **headers) -> list[str]:
    response = client.get(f"/campaigns/?{query}", headers=headers)
    assert response.status_code == 200, response.text
    return page_of(response).names


def campaign_row(brand, market, n: int, status=CampaignStatus.DRAFT, year=2026) -> dict:
    """The columns of campaign number `n`, for a bulk INSERT."""
    return {
        "id": uuid.uuid4(),
        "name": f"{brand.internal_code}_{market.code}_MULTI_{year}_Launch{n:05d}",
        "campaign_name": f"Launch {n:05d}",
        "brand_id": brand.id,
        "market_id": market.id,
        "year": year,
        "budget": Decimal(n),
        "status": status,
    }


def bulk_campaigns(db, brand, market, count: int) -> None:
    """Insert `count` DRAFT campaigns in one statement."""
    db.session.execute(insert(Campaign), [campaign_row(brand, market, n) for n in range(count)])
    db.session.commit()


def bulk_seed(db, brands, market, channel, count: int, start: int) -> None:
    """`count` campaigns spread over `brands` and statuses, each with two tickets.

    One INSERT per table, so hundreds of rows take milliseconds.
    """
    statuses = list(CampaignStatus)
    rows = [
        campaign_row(
            brands[n // len(statuses) % len(brands)], market, n, statuses[n % len(statuses)]
        )
        for n in range(start, start + count)
    ]
    insert_campaigns_with_tickets(db, rows, channel)
