"""Naming conventions per level with versions, pick-lists, and audits of live names

Revision ID: 0013_naming_conventions
Revises: 0012_time_zones_and_compliance
Create Date: 2026-12-02 14:00:00

Campaigns record the convention version that made their name (every existing name was made
by version 1, the built-in default), where the channel part sits in it, and the pick-list
values chosen. Existing names do not change.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_naming_conventions"
down_revision = "0012_time_zones_and_compliance"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "naming_conventions",
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("separator", sa.String(length=1), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_naming_conventions_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_naming_conventions")),
        sa.UniqueConstraint("level", "version", name=op.f("uq_naming_conventions_level")),
    )
    op.create_table(
        "pick_lists",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("depends_on", sa.String(length=16), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_lists")),
        sa.UniqueConstraint("code", name=op.f("uq_pick_lists_code")),
    )
    op.create_table(
        "name_audits",
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("results", sa.JSON(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_name_audits_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_audits")),
    )
    op.create_index(op.f("ix_name_audits_requested_at"), "name_audits", ["requested_at"])
    # Plain ALTER TABLE (SQLite 3.35+ drops columns too): a batch copy of `campaigns` would
    # have to reflect its expression index on lower(name), which SQLAlchemy cannot.
    op.add_column(
        "campaigns", sa.Column("naming_version", sa.Integer(), server_default="1", nullable=False)
    )
    op.add_column("campaigns", sa.Column("channel_at", sa.Integer(), nullable=True))
    op.add_column("campaigns", sa.Column("name_picks", sa.JSON(), nullable=True))
    op.add_column("campaigns", sa.Column("name_text", sa.String(length=255), nullable=True))


def downgrade():
    op.drop_column("campaigns", "name_text")
    op.drop_column("campaigns", "name_picks")
    op.drop_column("campaigns", "channel_at")
    op.drop_column("campaigns", "naming_version")
    op.drop_index(op.f("ix_name_audits_requested_at"), table_name="name_audits")
    op.drop_table("name_audits")
    op.drop_table("pick_lists")
    op.drop_table("naming_conventions")
