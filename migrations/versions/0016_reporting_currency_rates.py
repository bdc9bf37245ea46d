"""Workspace settings (agency name, logo, reporting currency) and dated exchange rates

Revision ID: 0016_reporting_currency_rates
Revises: 0015_team_board
Create Date: 2026-12-02 14:00:00

`workspace_settings` holds the workspace's one row; `exchange_rates` the euro reference
rates (per euro, as the ECB publishes them) by date and currency, imported from an ECB CSV
file or entered by an admin.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_reporting_currency_rates"
down_revision = "0015_team_board"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "workspace_settings",
        sa.Column("agency_name", sa.String(length=120), nullable=False),
        sa.Column("reporting_currency", sa.String(length=3), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace_settings")),
    )
    op.create_table(
        "exchange_rates",
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rates_rate_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_exchange_rates_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rates")),
        sa.UniqueConstraint("rate_date", "currency", name=op.f("uq_exchange_rates_rate_date")),
    )
    op.create_index(op.f("ix_exchange_rates_rate_date"), "exchange_rates", ["rate_date"])


def downgrade():
    op.drop_index(op.f("ix_exchange_rates_rate_date"), table_name="exchange_rates")
    op.drop_table("exchange_rates")
    op.drop_table("workspace_settings")
