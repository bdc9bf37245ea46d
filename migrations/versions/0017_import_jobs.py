"""Spreadsheet imports run as jobs: their sheet, progress and report

Revision ID: 0017_import_jobs
Revises: 0016_reporting_currency_rates
Create Date: 2026-12-02 15:10:00

A large import runs in the job runner; `import_jobs` holds its sheet until it runs, its
progress while it runs and every row's outcome once it ends, so any web process shows them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_import_jobs"
down_revision = "0016_reporting_currency_rates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_jobs",
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("checked_rows", sa.Integer(), nullable=False),
        sa.Column("on_error", sa.String(length=8), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("remap", sa.JSON(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_import_jobs_created_by_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    op.create_index(op.f("ix_import_jobs_created_by_id"), "import_jobs", ["created_by_id"])


def downgrade():
    op.drop_index(op.f("ix_import_jobs_created_by_id"), table_name="import_jobs")
    op.drop_table("import_jobs")
