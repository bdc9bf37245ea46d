"""Markets have an IANA time zone; brands have default special ad categories

Revision ID: 0012_time_zones_and_compliance
Revises: 0011_sessions_and_throttle
Create Date: 2026-12-02 14:00:00

Flights run from 00:00 to 23:59:59 in their market's zone. An existing market gets its
country's zone when the country has one (HU -> Europe/Budapest), else the zone of the
country's most populous city (US -> America/New_York), which an admin can change on the
market's page; a country with no zone data gets UTC.

A brand may carry the special ad categories its campaigns usually declare (a bank: financial
products and services); new CREATE_CAMPAIGN tickets start from them. Existing brands have
none.
"""

import sqlalchemy as sa
from alembic import op

from omnitraffick.services.timezones import suggested_zone

revision = "0012_time_zones_and_compliance"
down_revision = "0011_sessions_and_throttle"
branch_labels = None
depends_on = None

markets = sa.table(
    "markets", sa.column("id", sa.Uuid()), sa.column("country"), sa.column("time_zone")
)


def upgrade():
    with op.batch_alter_table("markets") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    for id_, country in conn.execute(sa.select(markets.c.id, markets.c.country)).all():
        zone = suggested_zone(country) or "UTC"
        conn.execute(markets.update().where(markets.c.id == id_).values(time_zone=zone))
    with op.batch_alter_table("markets") as batch:
        batch.alter_column("time_zone", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("brands") as batch:
        batch.add_column(sa.Column("special_ad_categories", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("brands") as batch:
        batch.drop_column("special_ad_categories")
    with op.batch_alter_table("markets") as batch:
        batch.drop_column("time_zone")
