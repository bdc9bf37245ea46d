"""Index campaigns by market and budget: a budget order ranks each market's largest first

Revision ID: 0020_campaign_market_budget
Revises: 0019_lanes_and_delivery_tries
Create Date: 2026-12-02 18:00:00

"""

from alembic import op

revision = "0020_campaign_market_budget"
down_revision = "0019_lanes_and_delivery_tries"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_campaigns_market_budget", "campaigns", ["market_id", "budget", "id"])


def downgrade():
    op.drop_index("ix_campaigns_market_budget", table_name="campaigns")
