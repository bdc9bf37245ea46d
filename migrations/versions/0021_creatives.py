"""The creative library: each brand's images and videos, with the properties read from them

Revision ID: 0021_creatives
Revises: 0020_campaign_market_budget
Create Date: 2026-12-03 08:00:00

The files live in the creative storage (the instance folder by default); `creatives` says
what each one is: kind, pixel size, ratio, bytes, duration, who uploaded it and when.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_creatives"
down_revision = "0020_campaign_market_budget"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "creatives",
        sa.Column("brand_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "image",
                "video",
                name="creative_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_key", sa.String(length=255), nullable=False),
        sa.Column("thumbnail_key", sa.String(length=255), nullable=True),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("aspect_ratio", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("duration_seconds", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("uploaded_by_id", sa.Uuid(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_creatives_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_creatives_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_creatives")),
        sa.UniqueConstraint("stored_key", name=op.f("uq_creatives_stored_key")),
    )
    op.create_index(
        "ix_creatives_brand_uploaded", "creatives", ["brand_id", "uploaded_at"], unique=False
    )


def downgrade():
    op.drop_index("ix_creatives_brand_uploaded", table_name="creatives")
    op.drop_table("creatives")
