"""Reference-data list pages with a few thousand brands."""

from sqlalchemy import insert

from omnitraffick.demo import seed_demo
from omnitraffick.extensions import db
from omnitraffick.models import Brand

from .common import measure, signed_in_client

BRANDS = 5_000


def run(app) -> None:
    seed_demo(0, 0)
    db.session.execute(
        insert(Brand),
        [{"name": f"Brand {i:05d}", "internal_code": f"BR{i:05d}"} for i in range(BRANDS)],
    )
    db.session.commit()
    client = signed_in_client(app)
    print(f"Reference data ({BRANDS:,} brands)")
    measure("brands list, first page", lambda: client.get("/brands/"))
    measure(
        "brands list, sorted by code desc, page 40",
        lambda: client.get("/brands/?sort=internal_code&dir=desc&page=40"),
    )
    measure("brands search 'BR012'", lambda: client.get("/brands/?q=BR012"))
