"""UTM mappings: each channel's utm_source, utm_medium and further parameters

Revision ID: 0018_utm_mappings
Revises: 0017_import_jobs
Create Date: 2026-12-02 17:55:00

An admin sets per channel what the UTM builder (services/utm.py) puts in a ticket's landing
URL besides the names: one row per channel, gone with its channel.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_utm_mappings"
down_revision = "0017_import_jobs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "utm_mappings",
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("utm_source", sa.String(length=100), nullable=False),
        sa.Column("utm_medium", sa.String(length=100), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("content_from_adset", sa.Boolean(), nullable=False),
        sa.Column("lowercase_names", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_utm_mappings_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_utm_mappings")),
        sa.UniqueConstraint("channel_id", name=op.f("uq_utm_mappings_channel_id")),
    )


def downgrade():
    op.drop_table("utm_mappings")
