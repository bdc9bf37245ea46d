"""Index campaigns for the list: newest first, and search by any part of the name

Revision ID: 0002_campaign_list_indexes
Revises: 0001_initial
Create Date: 2026-11-26 04:40:00

"""

from alembic import op

revision = "0002_campaign_list_indexes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_campaigns_created_at", "campaigns", ["created_at"])
    if op.get_bind().dialect.name == "postgresql":
        # Trigram index: ILIKE '%part%' searches without scanning every campaign.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_campaigns_name_search",
        "campaigns",
        ["name"],
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )


def downgrade():
    op.drop_index("ix_campaigns_name_search", table_name="campaigns")
    op.drop_index("ix_campaigns_created_at", table_name="campaigns")
