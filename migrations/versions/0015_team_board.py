"""A board for a team: ticket owners and due dates, channel lead times, comments, notifications

Revision ID: 0015_team_board
Revises: 0013_naming_conventions
Create Date: 2026-12-02 14:00:00

`tickets` gets `assignee_id` (who owns it), `assigned_by_id` and `due_date`; `channels` gets
`lead_days`, the days before a flight's start its tickets are due. `ticket_comments` holds the
conversation on a ticket, `notifications` what the bell tells each user; `users.notify_prefs`
what reaches each user how, `webhooks` the workspace's outgoing webhook and
`notification_deliveries` the log of emails and webhook posts; `saved_views` the board's
named filters and `board_columns` each column's WIP limit; `ticket_changes` the field-level
history (a setting, the owner or the due date: old -> new, who, when).
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0015_team_board"
down_revision = "0013_naming_conventions"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a constraint to a table; the column carries its reference (and a
        # batch copy of tickets would have to reflect the campaigns' expression index).
        for column in ("assignee_id", "assigned_by_id"):
            op.execute(
                f"ALTER TABLE tickets ADD COLUMN {column} CHAR(32) "
                f"CONSTRAINT fk_tickets_{column}_users REFERENCES users (id)"
            )
    else:
        for column in ("assignee_id", "assigned_by_id"):
            op.add_column("tickets", sa.Column(column, sa.Uuid(), nullable=True))
            op.create_foreign_key(
                op.f(f"fk_tickets_{column}_users"), "tickets", "users", [column], ["id"]
            )
    op.add_column("tickets", sa.Column("due_date", sa.Date(), nullable=True))
    op.create_index(op.f("ix_tickets_assignee_id"), "tickets", ["assignee_id"])
    op.add_column("channels", sa.Column("lead_days", sa.Integer(), nullable=True))

    op.create_table(
        "ticket_comments",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_ticket_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_comments_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_comments")),
    )
    op.create_index(op.f("ix_ticket_comments_ticket_id"), "ticket_comments", ["ticket_id"])

    op.create_table(
        "notifications",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "ASSIGNED",
                "MENTIONED",
                "QA_FAILED",
                "SEND_FAILED",
                "TRAFFICKED",
                name="notification_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_notifications_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_notifications_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(op.f("ix_notifications_ticket_id"), "notifications", ["ticket_id"])
    op.create_index("ix_notifications_user_read", "notifications", ["user_id", "read_at"])

    op.add_column("users", sa.Column("notify_prefs", sa.JSON(), nullable=True))
    op.create_table(
        "webhooks",
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "notification_deliveries",
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "QUEUED",
                "SENT",
                "FAILED",
                name="delivery_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_deliveries_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_deliveries")),
        sa.UniqueConstraint(
            "notification_id",
            "channel",
            name=op.f("uq_notification_deliveries_notification_id"),
        ),
    )
    op.create_index(
        op.f("ix_notification_deliveries_created_at"), "notification_deliveries", ["created_at"]
    )
    op.create_table(
        "saved_views",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("query", sa.String(length=2000), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_saved_views_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_saved_views_user_id")),
    )
    op.create_table(
        "ticket_changes",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_ticket_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_changes_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_changes")),
    )
    op.create_index(op.f("ix_ticket_changes_ticket_id"), "ticket_changes", ["ticket_id"])
    op.create_table(
        "board_columns",
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "QA_TESTING",
                "QA_FAILED",
                "READY_FOR_API",
                "TRAFFICKED_SUCCESS",
                "FAILED",
                name="column_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("wip_limit", sa.Integer(), nullable=True),
        sa.Column("hard", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("status", name=op.f("pk_board_columns")),
    )


def downgrade():
    op.drop_table("board_columns")
    op.drop_index(op.f("ix_ticket_changes_ticket_id"), table_name="ticket_changes")
    op.drop_table("ticket_changes")
    op.drop_table("saved_views")
    op.drop_index(
        op.f("ix_notification_deliveries_created_at"), table_name="notification_deliveries"
    )
    op.drop_table("notification_deliveries")
    op.drop_table("webhooks")
    op.execute("ALTER TABLE users DROP COLUMN notify_prefs")
    op.drop_index("ix_notifications_user_read", table_name="notifications")
    op.drop_index(op.f("ix_notifications_ticket_id"), table_name="notifications")
    op.drop_table("notifications")
    op.drop_index(op.f("ix_ticket_comments_ticket_id"), table_name="ticket_comments")
    op.drop_table("ticket_comments")
    op.execute("ALTER TABLE channels DROP COLUMN lead_days")
    op.drop_index(op.f("ix_tickets_assignee_id"), table_name="tickets")
    if op.get_bind().dialect.name != "sqlite":
        for column in ("assignee_id", "assigned_by_id"):
            op.drop_constraint(op.f(f"fk_tickets_{column}_users"), "tickets", type_="foreignkey")
            op.drop_column("tickets", column)
        op.drop_column("tickets", "due_date")
        return
    # SQLite drops a column that holds a reference only by copying the table. Reflecting
    # tickets reflects the campaigns it refers to, whose expression index SQLAlchemy cannot
    # reflect (and says so); the copy does not need that index.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        with op.batch_alter_table("tickets", recreate="always") as batch_op:
            batch_op.drop_column("assignee_id")
            batch_op.drop_column("assigned_by_id")
            batch_op.drop_column("due_date")
