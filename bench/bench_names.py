"""The decoder (500 pasted names, the page and the API) and the convention editor's live
sample and impact count over 50,000 campaign names."""

import os
import random
import time

from sqlalchemy import select, text

from omnitraffick.demo import seed_demo
from omnitraffick.extensions import db
from omnitraffick.models import Campaign, User
from omnitraffick.services import tokens

from .common import measure, signed_in_client

CAMPAIGNS = int(os.environ.get("BENCH_CAMPAIGNS", 50_000))
NAMES = 500


def broken(name: str, rng: random.Random) -> str:
    """A name as people mistype them: lower case, a short year, spaces, a stray suffix."""
    head, _, rest = name.partition("_")
    return rng.choice(
        [
            name.lower(),
            name.replace("_2026_", "_26_").replace("_2025_", "_25_"),
            name.replace("_", " ", 1),
            f"{name}_copy",
            f"{head.lower()}_{rest} (v2)",
        ]
    )


def run(app) -> None:
    start = time.perf_counter()
    seed_demo(CAMPAIGNS, 0)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    print(f"Names ({CAMPAIGNS:,} campaigns, seeded in {time.perf_counter() - start:.1f} s)")
    rng = random.Random(17)
    sample = db.session.scalars(select(Campaign.name).limit(NAMES)).all()
    names = [n if i % 2 else broken(n, rng) for i, n in enumerate(sample)]
    assert len(names) == NAMES
    admin = db.session.scalar(select(User).where(User.email == "admin@omnitraffick.test"))
    _, token = tokens.create_token(admin, "bench")
    db.session.commit()
    db.session.remove()
    bearer = {"Authorization": f"Bearer {token}"}
    client = signed_in_client(app)
    pasted = {"names": "\n".join(names), "level": "campaign"}
    measure(
        f"decoder page, {NAMES} pasted names",
        lambda: client.post("/naming/decoder", data=pasted, headers={"HX-Request": "true"}),
        n=50,
    )
    measure(
        f"POST /api/v1/names/validate, {NAMES} names",
        lambda: client.post("/api/v1/names/validate", json={"names": names}, headers=bearer),
        n=50,
    )
    editor = {
        "separator": "-",
        "segments-0-kind": "brand",
        "segments-1-kind": "market",
        "segments-2-kind": "year",
        "segments-3-kind": "text",
        "segments-3-max_length": "40",
        "segments-3-casing": "pascal",
    }
    measure(
        f"convention editor: sample + impact over {CAMPAIGNS:,} names",
        lambda: client.get(
            "/naming/conventions/preview",
            query_string={"level": "campaign", **editor},
            headers={"HX-Request": "true"},
        ),
        n=20,
        warmup=2,
    )
