"""The portfolio report and the campaign CSV export over 50,000 campaigns."""

import os
import time
import tracemalloc

from sqlalchemy import select, text

from omnitraffick.demo import seed_demo
from omnitraffick.extensions import db
from omnitraffick.models import Market
from omnitraffick.services import rates

from .common import measure, signed_in_client

CAMPAIGNS = int(os.environ.get("BENCH_CAMPAIGNS", 50_000))


def run(app) -> None:
    start = time.perf_counter()
    seed_demo(CAMPAIGNS, 1)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    db.session.remove()
    print(f"Reports ({CAMPAIGNS:,} campaigns, seeded in {time.perf_counter() - start:.1f} s)")
    client = signed_in_client(app)
    measure("portfolio report, everything", lambda: client.get("/reports/"), n=200)
    measure(
        "portfolio report, ACTIVE in 2026",
        lambda: client.get("/reports/?status=ACTIVE&year=2026"),
        n=200,
    )

    # With a day of exchange rates for every market's currency, budgets are ranked and
    # totalled in the reporting currency.
    codes = sorted(set(db.session.scalars(select(Market.currency))) - {"EUR"})
    values = ", ".join(f"{1 + n / 10:.4f}" for n in range(len(codes)))
    rates.import_rates(f"Date, {', '.join(codes)}, \n30 November 2026, {values}, \n")
    db.session.commit()
    db.session.remove()
    measure("portfolio report in EUR, everything", lambda: client.get("/reports/"), n=200)
    measure(
        "campaign list sorted by budget in EUR, first page",
        lambda: client.get("/campaigns/?sort=budget&dir=desc"),
        n=200,
    )

    # The export streams: memory stays flat however many rows go out.
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get("/campaigns/export.csv")
    size = sum(len(chunk) for chunk in response.response)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  campaign CSV export: {size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s, "
        f"peak Python memory {peak / 1e6:.1f} MB (streamed, {response.is_streamed=})"
    )
