"""Send tickets to their platforms: sends, their HTTP attempts, results on the ticket

Revision ID: 0008_platform_sends
Revises: 0007_ticket_qa_report
Create Date: 2026-11-26 07:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_platform_sends"
down_revision = "0007_ticket_qa_report"
branch_labels = None
depends_on = None

ACTIVE = sa.text("state IN ('QUEUED', 'RUNNING')")


def upgrade():
    op.add_column("tickets", sa.Column("sending_since", sa.DateTime(timezone=True)))
    op.add_column("tickets", sa.Column("platform_ids", sa.JSON()))
    op.add_column("tickets", sa.Column("send_error", sa.Text()))

    op.create_table(
        "platform_sends",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "QUEUED", "RUNNING", "SUCCEEDED", "FAILED",
                name="send_state", native_enum=False, create_constraint=True, length=32,
            ),
            nullable=False,
        ),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("base_url", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress", sa.JSON(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"],
            name=op.f("fk_platform_sends_requested_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"],
            name=op.f("fk_platform_sends_ticket_id_tickets"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_sends")),
    )
    with op.batch_alter_table("platform_sends", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_platform_sends_ticket_id"), ["ticket_id"], unique=False
        )
        batch_op.create_index(
            "uq_platform_sends_active",
            ["ticket_id"],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )

    op.create_table(
        "send_attempts",
        sa.Column("send_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "OK", "FOUND", "NOT_FOUND", "RETRY", "FAILED",
                name="attempt_outcome", native_enum=False, create_constraint=True, length=32,
            ),
            nullable=False,
        ),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["send_id"], ["platform_sends.id"],
            name=op.f("fk_send_attempts_send_id_platform_sends"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_attempts")),
    )
    with op.batch_alter_table("send_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_send_attempts_send_id"), ["send_id"], unique=False)


def downgrade():
    with op.batch_alter_table("send_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_send_attempts_send_id"))
    op.drop_table("send_attempts")
    with op.batch_alter_table("platform_sends", schema=None) as batch_op:
        batch_op.drop_index("uq_platform_sends_active")
        batch_op.drop_index(batch_op.f("ix_platform_sends_ticket_id"))
    op.drop_table("platform_sends")
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch copy of tickets would have to
    # reflect campaigns, whose expression index SQLAlchemy cannot reflect.
    for column in ("send_error", "platform_ids", "sending_since"):
        op.execute(f"ALTER TABLE tickets DROP COLUMN {column}")
