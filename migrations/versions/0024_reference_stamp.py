"""A count of writes to the reference data, kept by the database itself

Revision ID: 0024_reference_stamp
Revises: 0023_ticket_ads
Create Date: 2026-12-03 14:20:00

`reference_stamp` holds one row whose `version` goes up by one with every insert, update or
delete of brands, markets, channels, naming conventions and pick-lists: triggers add it in the
writing transaction, whoever writes (the app, a migration, psql). Each process keeps those
tables' rows between requests and reads the count with every signed-in request
(services/stamps.py); a count other than the one it filled its copy at means: read them again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_reference_stamp"
down_revision = "0023_ticket_ads"
branch_labels = None
depends_on = None

TABLES = ("brands", "markets", "channels", "naming_conventions", "pick_lists")
BUMP = "UPDATE reference_stamp SET version = version + 1"


def upgrade():
    op.create_table(
        "reference_stamp",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_reference_stamp_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_stamp")),
    )
    op.execute("INSERT INTO reference_stamp (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        # Once per statement: a statement that writes a thousand markets counts once.
        op.execute(
            "CREATE FUNCTION bump_reference_stamp() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_reference_stamp"
                f" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_stamp()"
            )
    else:  # SQLite has row triggers only
        for table in TABLES:
            for action in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_reference_stamp_{action.lower()}"
                    f" AFTER {action} ON {table} BEGIN {BUMP}; END"
                )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_reference_stamp ON {table}")
        op.execute("DROP FUNCTION bump_reference_stamp()")
    else:
        for table in TABLES:
            for action in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_reference_stamp_{action}")
    op.drop_table("reference_stamp")
