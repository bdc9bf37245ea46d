"""Index campaigns by budget: the portfolio lists the largest first

Revision ID: 0005_campaign_budget_index
Revises: 0004_api_tokens
Create Date: 2026-11-26 05:50:00

"""

from alembic import op

revision = "0005_campaign_budget_index"
down_revision = "0004_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_campaigns_budget", "campaigns", ["budget"])


def downgrade():
    op.drop_index("ix_campaigns_budget", table_name="campaigns")
