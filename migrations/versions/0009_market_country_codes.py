"""Markets store their country as an ISO 3166-1 alpha-2 code

Revision ID: 0009_market_country_codes
Revises: 0008_platform_sends
Create Date: 2026-12-02 09:30:00

Until now the country was free text ("United States", "UK"). Each row becomes the code its
text names (by code, alpha-3 code, or English name), else the code its market code names
(market "HU" -> HU). A row that names no country stops the upgrade with the list of rows to
fix, rather than guessing.
"""

import pycountry
import sqlalchemy as sa
from alembic import op
from babel import Locale

revision = "0009_market_country_codes"
down_revision = "0008_platform_sends"
branch_labels = None
depends_on = None

# Names people used for countries in the free-text field that are not ISO or CLDR names.
LEGACY_NAMES = {
    "UK": "GB",
    "GREAT BRITAIN": "GB",
    "ENGLAND": "GB",
    "AMERICA": "US",
    "KOREA": "KR",
    "UAE": "AE",
    "HOLLAND": "NL",
    "THE NETHERLANDS": "NL",
    "CZECH REPUBLIC": "CZ",
    "TURKEY": "TR",
}

markets = sa.table(
    "markets", sa.column("id", sa.Uuid()), sa.column("code"), sa.column("country")
)


def _resolve(text: str | None) -> str | None:
    key = " ".join((text or "").replace(".", "").split()).upper()
    if not key:
        return None
    if key in LEGACY_NAMES:
        return LEGACY_NAMES[key]
    codes = {country.alpha_2 for country in pycountry.countries}
    if key in codes:
        return key
    cldr = {name.upper(): code for code, name in Locale("en").territories.items()}
    if cldr.get(key) in codes:
        return cldr[key]
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.select(markets.c.id, markets.c.code, markets.c.country)).all()
    unresolved = []
    for id_, code, country in rows:
        resolved = _resolve(country) or _resolve(code)
        if resolved is None:
            unresolved.append(f"market {code} (country {country!r})")
        elif resolved != country:
            conn.execute(markets.update().where(markets.c.id == id_).values(country=resolved))
    if unresolved:
        raise RuntimeError(
            "These markets name no ISO 3166-1 country; set each one's country to a two-letter "
            "code (UPDATE markets SET country = 'XX' WHERE code = '...') and upgrade again: "
            + "; ".join(unresolved)
        )
    with op.batch_alter_table("markets") as batch:
        batch.alter_column(
            "country", existing_type=sa.String(length=100), type_=sa.String(length=2)
        )


def downgrade():
    # The codes stay: the earlier code reads a two-letter code as that country.
    with op.batch_alter_table("markets") as batch:
        batch.alter_column(
            "country", existing_type=sa.String(length=2), type_=sa.String(length=100)
        )
