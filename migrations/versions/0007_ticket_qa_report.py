"""Keep each ticket's latest pre-flight QA report

Revision ID: 0007_ticket_qa_report
Revises: 0006_brand_budget_ceilings
Create Date: 2026-11-26 06:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007_ticket_qa_report"
down_revision = "0006_brand_budget_ceilings"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("tickets", sa.Column("qa_report", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("tickets", "qa_report")
