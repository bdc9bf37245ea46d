"""Campaign list, search and the live name preview over 50,000 campaigns."""

import os

from sqlalchemy import select

from omnitraffick.extensions import db
from omnitraffick.models import Brand, CampaignStatus, Market

from .common import measure, seed, signed_in_client

CAMPAIGNS = int(os.environ.get("BENCH_CAMPAIGNS", 50_000))


def run(app) -> None:
    took = seed(CAMPAIGNS, 1)
    print(f"Campaigns ({CAMPAIGNS:,}, seeded in {took:.1f} s)")
    brand = db.session.scalar(select(Brand).where(Brand.internal_code == "NIKE"))
    market = db.session.scalar(select(Market).where(Market.code == "JP"))
    db.session.remove()
    client = signed_in_client(app)
    filtered = (
        f"/campaigns/?brand={brand.id}&status={CampaignStatus.ACTIVE.value}&sort=budget&dir=desc"
    )
    preview = (
        f"/campaigns/preview?brand_id={brand.id}&market_id={market.id}&year=2026"
        "&campaign_name=Spring+Refresh+2"
    )
    measure("campaign list, first page", lambda: client.get("/campaigns/"))
    measure(
        "campaign list, htmx fragment, page 3",
        lambda: client.get("/campaigns/?page=3", headers={"HX-Request": "true"}),
    )
    measure("campaign list, brand + status filter", lambda: client.get(filtered))
    measure("campaign search 'summersale'", lambda: client.get("/campaigns/?q=summersale"))
    measure("name preview", lambda: client.get(preview, headers={"HX-Request": "true"}))
