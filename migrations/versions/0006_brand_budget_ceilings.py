"""Add per-brand daily and lifetime budget ceilings for pre-flight QA

Revision ID: 0006_brand_budget_ceilings
Revises: 0005_campaign_budget_index
Create Date: 2026-11-26 06:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006_brand_budget_ceilings"
down_revision = "0005_campaign_budget_index"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("brands") as batch:
        batch.add_column(sa.Column("daily_budget_ceiling", sa.Numeric(18, 3), nullable=True))
        batch.add_column(sa.Column("lifetime_budget_ceiling", sa.Numeric(18, 3), nullable=True))
        batch.add_column(sa.Column("ceiling_currency", sa.String(length=3), nullable=True))


def downgrade():
    with op.batch_alter_table("brands") as batch:
        batch.drop_column("ceiling_currency")
        batch.drop_column("lifetime_budget_ceiling")
        batch.drop_column("daily_budget_ceiling")
