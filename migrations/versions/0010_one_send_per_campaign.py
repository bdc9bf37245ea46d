"""One send at a time per campaign and channel, held by the database; send heartbeats

Revision ID: 0010_one_send_per_campaign
Revises: 0009_market_country_codes
Create Date: 2026-12-02 11:00:00

Sends copy their ticket's campaign and channel so that a partial unique index can allow one
queued or running send per campaign and channel. Were several in flight already (the race
this closes), all but the oldest are closed as FAILED with a message, and their tickets are
freed, before the index is made.
"""

import warnings
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010_one_send_per_campaign"
down_revision = "0009_market_country_codes"
branch_labels = None
depends_on = None

ACTIVE = sa.text("state IN ('QUEUED', 'RUNNING')")
CLOSED = (
    "Closed by an upgrade: another send of this campaign to this platform was in flight at the "
    "same time. Objects it made are found, not made twice, when you send again."
)

sends = sa.table(
    "platform_sends",
    sa.column("id", sa.Uuid()),
    sa.column("ticket_id", sa.Uuid()),
    sa.column("campaign_id", sa.Uuid()),
    sa.column("channel_id", sa.Uuid()),
    sa.column("state", sa.String()),
    sa.column("requested_at", sa.DateTime(timezone=True)),
    sa.column("finished_at", sa.DateTime(timezone=True)),
    sa.column("message", sa.Text()),
)
tickets = sa.table(
    "tickets",
    sa.column("id", sa.Uuid()),
    sa.column("campaign_id", sa.Uuid()),
    sa.column("channel_id", sa.Uuid()),
    sa.column("sending_since", sa.DateTime(timezone=True)),
)


@contextmanager
def _quiet():
    """SQLite's batch mode reflects the referenced tables too; it cannot reflect the
    campaigns' expression index and says so, harmlessly."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression")
        yield


def upgrade():
    with _quiet():
        _upgrade()


def _upgrade():
    with op.batch_alter_table("platform_sends") as batch:
        batch.add_column(sa.Column("campaign_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("channel_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    conn = op.get_bind()
    of_ticket = sa.select(tickets.c.campaign_id, tickets.c.channel_id).where(
        tickets.c.id == sends.c.ticket_id
    )
    conn.execute(
        sends.update().values(
            campaign_id=of_ticket.with_only_columns(tickets.c.campaign_id).scalar_subquery(),
            channel_id=of_ticket.with_only_columns(tickets.c.channel_id).scalar_subquery(),
        )
    )
    active = conn.execute(
        sa.select(sends.c.id, sends.c.ticket_id, sends.c.campaign_id, sends.c.channel_id)
        .where(sends.c.state.in_(("QUEUED", "RUNNING")))
        .order_by(sends.c.requested_at, sends.c.id)
    ).all()
    seen = set()
    for send_id, ticket_id, campaign_id, channel_id in active:
        if (campaign_id, channel_id) not in seen:
            seen.add((campaign_id, channel_id))
            continue
        conn.execute(
            sends.update()
            .where(sends.c.id == send_id)
            .values(state="FAILED", finished_at=datetime.now(UTC), message=CLOSED)
        )
        conn.execute(tickets.update().where(tickets.c.id == ticket_id).values(sending_since=None))
    with op.batch_alter_table("platform_sends") as batch:
        batch.alter_column("campaign_id", existing_type=sa.Uuid(), nullable=False)
        batch.alter_column("channel_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_foreign_key(
            "fk_platform_sends_campaign_id_campaigns", "campaigns", ["campaign_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_platform_sends_channel_id_channels", "channels", ["channel_id"], ["id"]
        )
    op.create_index(
        "uq_platform_sends_active_campaign_channel",
        "platform_sends",
        ["campaign_id", "channel_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade():
    op.drop_index("uq_platform_sends_active_campaign_channel", table_name="platform_sends")
    with _quiet(), op.batch_alter_table("platform_sends") as batch:
        batch.drop_constraint("fk_platform_sends_channel_id_channels", type_="foreignkey")
        batch.drop_constraint("fk_platform_sends_campaign_id_campaigns", type_="foreignkey")
        batch.drop_column("heartbeat_at")
        batch.drop_column("channel_id")
        batch.drop_column("campaign_id")
