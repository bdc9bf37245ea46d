"""Ads on tickets: each CREATE_CAMPAIGN ticket's ads, and the creatives each ad uses

Revision ID: 0023_ticket_ads
Revises: 0022_poll_and_page_indexes
Create Date: 2026-12-03 10:40:00

`ticket_ads` holds an ad's copy, call to action, landing URL and the placements it is meant
for; `ticket_ad_creatives` the library creatives it uses, in order. A creative in use cannot
be deleted (RESTRICT); deleting a ticket deletes its ads.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_ticket_ads"
down_revision = "0022_poll_and_page_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ticket_ads",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_text", sa.String(length=120), nullable=False),
        sa.Column("placements", sa.JSON(), nullable=False),
        sa.Column("primary_text", sa.Text(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("long_headline", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("business_name", sa.String(length=120), nullable=False),
        sa.Column("call_to_action", sa.String(length=40), nullable=False),
        sa.Column("landing_url", sa.String(length=2048), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_ads_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_ads")),
        sa.UniqueConstraint("ticket_id", "position", name=op.f("uq_ticket_ads_ticket_id")),
    )
    op.create_table(
        "ticket_ad_creatives",
        sa.Column("ad_id", sa.Uuid(), nullable=False),
        sa.Column("creative_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ad_id"],
            ["ticket_ads.id"],
            name=op.f("fk_ticket_ad_creatives_ad_id_ticket_ads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["creative_id"],
            ["creatives.id"],
            name=op.f("fk_ticket_ad_creatives_creative_id_creatives"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("ad_id", "creative_id", name=op.f("pk_ticket_ad_creatives")),
    )
    op.create_index(
        op.f("ix_ticket_ad_creatives_creative_id"),
        "ticket_ad_creatives",
        ["creative_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_ticket_ad_creatives_creative_id"), table_name="ticket_ad_creatives")
    op.drop_table("ticket_ad_creatives")
    op.drop_table("ticket_ads")
