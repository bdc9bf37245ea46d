"""Index tickets for the board's swimlane counts; each webhook try is a row of its own

Revision ID: 0019_lanes_and_delivery_tries
Revises: 0018_utm_mappings
Create Date: 2026-12-02 18:10:00

The board split into swimlanes counts tickets per status by campaign (for brands and
markets), channel or owner: indexes on (key, status) answer those counts without reading a
ticket row, and replace the single-column indexes on the same keys. A webhook delivery is
tried again by a new job of the job runner; `delivery_attempts` keeps each try (claimed once
per delivery and number), and `next_try_at` when the next one is due.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_lanes_and_delivery_tries"
down_revision = "0018_utm_mappings"
branch_labels = None
depends_on = None

SWIMLANE_KEYS = ("campaign_id", "channel_id", "assignee_id")


def upgrade():
    for key in SWIMLANE_KEYS:
        name = key.removesuffix("_id")
        op.create_index(f"ix_tickets_{name}_status", "tickets", [key, "status"])
        op.drop_index(f"ix_tickets_{key}", table_name="tickets")
    op.add_column(
        "notification_deliveries",
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "delivery_attempts",
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["notification_deliveries.id"],
            name=op.f("fk_delivery_attempts_delivery_id_notification_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
        sa.UniqueConstraint("delivery_id", "number", name=op.f("uq_delivery_attempts_delivery_id")),
    )


def downgrade():
    op.drop_table("delivery_attempts")
    op.execute("ALTER TABLE notification_deliveries DROP COLUMN next_try_at")
    for key in SWIMLANE_KEYS:
        name = key.removesuffix("_id")
        op.create_index(f"ix_tickets_{key}", "tickets", [key])
        op.drop_index(f"ix_tickets_{name}_status", table_name="tickets")
