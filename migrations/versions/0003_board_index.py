"""Index tickets by status and time of the last move, for the board's columns

Revision ID: 0003_board_index
Revises: 0002_campaign_list_indexes
Create Date: 2026-11-26 04:50:00

"""

from alembic import op

revision = "0003_board_index"
down_revision = "0002_campaign_list_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_tickets_status_changed", "tickets", ["status", "status_changed_at"])


def downgrade():
    op.drop_index("ix_tickets_status_changed", table_name="tickets")
