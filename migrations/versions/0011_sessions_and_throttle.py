"""Server-side sessions that can be revoked; login throttling per account and address

Revision ID: 0011_sessions_and_throttle
Revises: 0010_one_send_per_campaign
Create Date: 2026-12-03 09:00:00

`user_sessions` holds one row per signed-in browser (the digest of its secret), so that
signing out, a password change or an admin can end it. `login_throttles` replaces
`login_failures`: one row per account and address with its failure count, which the new
throttle reads and locks. Failures already recorded carry over, grouped per pair.

Cookies issued before this upgrade name a user, not a session: everyone signs in again.
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011_sessions_and_throttle"
down_revision = "0010_one_send_per_campaign"
branch_labels = None
depends_on = None

failures_table = sa.table(
    "login_failures",
    sa.column("email", sa.String()),
    sa.column("address", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade():
    op.create_table(
        "user_sessions",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=255), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("digest", name=op.f("uq_user_sessions_digest")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"])

    throttles = op.create_table(
        "login_throttles",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttles")),
        sa.UniqueConstraint("email", "address", name=op.f("uq_login_throttles_email")),
    )
    op.create_index(
        op.f("ix_login_throttles_last_failure_at"), "login_throttles", ["last_failure_at"]
    )

    conn = op.get_bind()
    pairs = conn.execute(
        sa.select(
            failures_table.c.email,
            failures_table.c.address,
            sa.func.count(),
            sa.func.max(failures_table.c.created_at),
        ).group_by(failures_table.c.email, failures_table.c.address)
    ).all()
    now = datetime.now(UTC)
    if pairs:
        op.bulk_insert(
            throttles,
            [
                {
                    "id": uuid.uuid4(),
                    "email": email,
                    "address": address,
                    "failures": count,
                    "last_failure_at": last,
                    "created_at": now,
                }
                for email, address, count, last in pairs
            ],
        )

    op.drop_index(op.f("ix_login_failures_address"), table_name="login_failures")
    op.drop_index(op.f("ix_login_failures_email"), table_name="login_failures")
    op.drop_table("login_failures")


def downgrade():
    # The old throttle only looked back 15 minutes and counted single failures: the counts
    # are not carried back, which at worst forgets a few failed sign-ins.
    op.create_table(
        "login_failures",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(op.f("ix_login_failures_address"), "login_failures", ["address"])
    op.create_index(op.f("ix_login_failures_email"), "login_failures", ["email"])

    op.drop_index(op.f("ix_login_throttles_last_failure_at"), table_name="login_throttles")
    op.drop_table("login_throttles")
    op.drop_index(op.f("ix_user_sessions_user_id"), table_name="user_sessions")
    op.drop_table("user_sessions")
