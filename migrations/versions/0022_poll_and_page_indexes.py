"""Index tickets and campaigns by last write, and campaigns by creation then id

The board's refresh fingerprint reads the latest write of each and the tickets' version sum
(from an index on version alone, not the table); the list's deep pages pick their ids from
the (created_at, id) index.

Revision ID: 0022_poll_and_page_indexes
Revises: 0021_creatives
Create Date: 2026-12-03 08:00:00

"""

from alembic import op

revision = "0022_poll_and_page_indexes"
down_revision = "0021_creatives"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_tickets_updated_at", "tickets", ["updated_at"])
    op.create_index("ix_tickets_version", "tickets", ["version"])
    op.create_index("ix_campaigns_updated_at", "campaigns", ["updated_at"])
    # Replaces the index on created_at alone: the list's order breaks ties by id, and a deep
    # page picks its ids from this index without reading the table.
    op.drop_index("ix_campaigns_created_at", table_name="campaigns")
    op.create_index("ix_campaigns_created_id", "campaigns", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_campaigns_created_id", table_name="campaigns")
    op.create_index("ix_campaigns_created_at", "campaigns", ["created_at"])
    op.drop_index("ix_campaigns_updated_at", table_name="campaigns")
    op.drop_index("ix_tickets_version", table_name="tickets")
    op.drop_index("ix_tickets_updated_at", table_name="tickets")
