"""The data model: reference data, campaigns, tickets and their audit trail, users."""

import enum
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .services.taxonomy import MULTI_CHANNEL, NameParts, parse_name, ticket_platform_name
from .services.timezones import suggested_zone


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive ones, in UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    """A stored time as ISO 8601 with its UTC offset, for machines (API, CSV)."""
    return None if value is None else as_utc(value).isoformat()


class Role(enum.StrEnum):
    ADMIN = "admin"
    TRAFFICKER = "trafficker"
    VIEWER = "viewer"


class CampaignStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    COMPLETED = "COMPLETED"


class TicketStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    QA_TESTING = "QA_TESTING"
    QA_FAILED = "QA_FAILED"
    READY_FOR_API = "READY_FOR_API"
    TRAFFICKED_SUCCESS = "TRAFFICKED_SUCCESS"
    FAILED = "FAILED"


class SendState(enum.StrEnum):
    """Where a send of a ticket to its platform stands."""

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class AttemptOutcome(enum.StrEnum):
    """What one HTTP call of a send came to."""

    OK = "OK"  # the platform did what was asked
    FOUND = "FOUND"  # the object already existed on the platform: not created again
    NOT_FOUND = "NOT_FOUND"  # a check for an existing object found none
    RETRY = "RETRY"  # rate limited, a server error or no answer: tried again after a wait
    FAILED = "FAILED"  # refused, or out of attempts


class RequestType(enum.StrEnum):
    CREATE_CAMPAIGN = "CREATE_CAMPAIGN"
    UPDATE_BUDGET = "UPDATE_BUDGET"
    UPDATE_STATUS = "UPDATE_STATUS"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as VARCHAR plus a CHECK constraint: portable and easy to migrate.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class UUIDMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class User(UUIDMixin, TimestampMixin, UserMixin, db.Model):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"), default=Role.VIEWER)
    active: Mapped[bool] = mapped_column(default=True)
    # What reaches the user how: {"ASSIGNED": ["app", "email", "webhook"], ...}; None: all.
    notify_prefs: Mapped[dict | None] = mapped_column(JSON)

    # Not stored: the signed-in session this request runs under (services/sessions.py sets
    # both when a session starts or is loaded). None for API token requests.
    session_secret = None
    current_session_id = None

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies.

        It is the secret of a server-side session, not the user's id, so that revoking the
        session row signs out every cookie that carries it.
        """
        if self.session_secret is None:
            raise RuntimeError("Start a session (services.sessions.start) before login_user().")
        return self.session_secret

    # UserMixin compares users by get_id(), which is now per session: compare rows instead.
    def __eq__(self, other):
        return isinstance(other, User) and self.id == other.id

    __hash__ = object.__hash__

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def can_edit(self) -> bool:
        """Whether the user may change campaigns and tickets."""
        return self.role in (Role.ADMIN, Role.TRAFFICKER)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(UUIDMixin, db.Model):
    """A personal API token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so a user can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… {self.name}>"


class UserSession(UUIDMixin, db.Model):
    """A signed-in browser; only the SHA-256 digest of its secret is stored."""

    __tablename__ = "user_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Updated now and then, not on every request (see services/sessions.py).
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # As they were at sign-in, so the user can tell their sessions apart.
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.user_id} from {self.address}>"


class LoginThrottle(UUIDMixin, db.Model):
    """Failed sign-ins of one account (email) from one address: how many, and the latest.

    One row per pair so that concurrent attempts of a pair queue on its row lock.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("email", "address"),)

    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<LoginThrottle {self.email} from {self.address}: {self.failures}>"


def _country_zone(context) -> str:
    return suggested_zone(context.get_current_parameters().get("country")) or "UTC"


class Market(UUIDMixin, TimestampMixin, db.Model):
    __tablename__ = "markets"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    # ISO 3166-1 alpha-2 code.
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    # IANA time zone (services/timezones.py): flights run from local midnight to 23:59:59.
    # Left unset, the country's suggested zone, as migration 0012 gave existing markets.
    time_zone: Mapped[str] = mapped_column(String(64), default=_country_zone)

    def __repr__(self) -> str:
        return f"<Market {self.code}>"


class Brand(UUIDMixin, TimestampMixin, db.Model):
    __tablename__ = "brands"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    internal_code: Mapped[str] = mapped_column(String(16), unique=True)
    # Pre-flight QA blocks tickets whose budget goes over these (in ceiling_currency).
    daily_budget_ceiling: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    lifetime_budget_ceiling: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    ceiling_currency: Mapped[str | None] = mapped_column(String(3))
    # The special ad categories (services/settings.py) its new campaigns declare unless a
    # ticket says otherwise; None or [] for none.
    special_ad_categories: Mapped[list[str] | None] = mapped_column(JSON)

    # The brand's creative library, by file name; read-only here (services/creatives.py adds
    # and deletes). Pre-flight QA reads it once per brand to name the creatives that fit.
    creatives: Mapped[list["Creative"]] = relationship(
        order_by="(Creative.original_name, Creative.id)", viewonly=True
    )

    def __repr__(self) -> str:
        return f"<Brand {self.internal_code}>"


class Channel(UUIDMixin, TimestampMixin, db.Model):
    __tablename__ = "channels"

    platform_name: Mapped[str] = mapped_column(String(100))
    api_identifier: Mapped[str] = mapped_column(String(16), unique=True)
    # Days before a flight starts that its ticket is due (set by an admin); None: no default.
    lead_days: Mapped[int | None] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"<Channel {self.api_identifier}>"


class Campaign(UUIDMixin, TimestampMixin, db.Model):
    __tablename__ = "campaigns"
    __table_args__ = (
        # The list, newest first, ties broken by id; the board's refresh reads the latest
        # write (migration 0021).
        Index("ix_campaigns_created_id", "created_at", "id"),
        Index("ix_campaigns_updated_at", "updated_at"),
        Index("ix_campaigns_budget", "budget"),
        # A budget order ranks each market's largest first (services/queries.py).
        Index("ix_campaigns_market_budget", "market_id", "budget", "id"),
        CheckConstraint("budget >= 0", name="budget_non_negative"),
        CheckConstraint("year >= 2000 AND year <= 2100", name="year_range"),
    )

    name: Mapped[str] = mapped_column(String(255))
    campaign_name: Mapped[str] = mapped_column(String(255))
    brand_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("brands.id"), index=True)
    market_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("markets.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    budget: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal("0"))
    status: Mapped[CampaignStatus] = mapped_column(
        _enum(CampaignStatus, "campaign_status"), default=CampaignStatus.DRAFT, index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The campaign naming convention version that made the name (1: the built-in default).
    naming_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Where the channel part (MULTI) starts in the name, so each ticket's platform name swaps
    # in its channel's code; -1 when the convention has no channel part (the platform name
    # is the name). None for names made before conventions were versioned (the default's).
    channel_at: Mapped[int | None] = mapped_column(Integer)
    # Pick-list values chosen for the name, by list code: {"SUBBRAND": "FROZEN"}.
    name_picks: Mapped[dict | None] = mapped_column(JSON)
    # The free-text part as the name holds it (None for names made before conventions).
    name_text: Mapped[str | None] = mapped_column(String(255))

    brand: Mapped[Brand] = relationship()
    market: Mapped[Market] = relationship()
    created_by: Mapped[User | None] = relationship()
    tickets: Mapped[list["Ticket"]] = relationship(back_populates="campaign")

    @property
    def name_parts(self):
        """The name decoded into brand, market, channel, year and campaign parts."""
        if self.naming_version != 1:
            # Made by an organisation's own convention: the parts it was made from.
            return NameParts(
                self.brand.internal_code,
                self.market.code,
                MULTI_CHANNEL,
                self.year,
                self.name_text or "",
            )
        return parse_name(
            self.name, brand_codes={self.brand.internal_code}, market_codes={self.market.code}
        )

    def __repr__(self) -> str:
        return f"<Campaign {self.name}>"


# Names that differ only in letter case are duplicates, on every database.
Index("uq_campaigns_name_ci", func.lower(Campaign.name), unique=True)
# Search by any part of the name: a trigram index on PostgreSQL (a plain one on SQLite).
Index(
    "ix_campaigns_name_search",
    Campaign.name,
    postgresql_using="gin",
    postgresql_ops={"name": "gin_trgm_ops"},
)


def platform_name_of(campaign: Campaign, code: str) -> str:
    """A campaign's name on one channel: its name with the channel's code."""
    return ticket_platform_name(campaign.name, campaign.channel_at, code)


class Ticket(UUIDMixin, TimestampMixin, db.Model):
    __tablename__ = "tickets"
    __table_args__ = (
        # The board reads each column newest-moved first.
        Index("ix_tickets_status_changed", "status", "status_changed_at"),
        # Its swimlanes count tickets per status by campaign (brand, market), channel or
        # owner from these indexes alone (migration 0019).
        Index("ix_tickets_campaign_status", "campaign_id", "status"),
        Index("ix_tickets_channel_status", "channel_id", "status"),
        Index("ix_tickets_assignee_status", "assignee_id", "status"),
        # The board's refresh reads the latest write and the versions' sum (migration 0021).
        Index("ix_tickets_updated_at", "updated_at"),
        Index("ix_tickets_version", "version"),
    )

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    request_type: Mapped[RequestType] = mapped_column(_enum(RequestType, "request_type"))
    payload_config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[TicketStatus] = mapped_column(
        _enum(TicketStatus, "ticket_status"), default=TicketStatus.DRAFT, index=True
    )
    external_platform_id: Mapped[str | None] = mapped_column(String(255))
    qa_failure_reason: Mapped[str | None] = mapped_column(Text)
    # The latest pre-flight QA run: one finding per rule (see services/qa.py).
    qa_report: Mapped[list | None] = mapped_column(JSON)
    # Bumped on every change; a move made from a stale page is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Set while a send to the platform is queued or running; one send at a time.
    sending_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Every object the last successful send made or changed, by kind:
    # {"campaign_id": "1202...", "adset_id": "1202..."}.
    platform_ids: Mapped[dict | None] = mapped_column(JSON)
    # Why the last send failed, in a sentence; cleared by the next send.
    send_error: Mapped[str | None] = mapped_column(Text)
    # Who owns the ticket now, and the day it must be trafficked by.
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Who handed it to its owner: told, with the owner, what becomes of it.
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(Date)

    # SQLAlchemy checks and bumps `version` on every UPDATE, so a concurrent change makes
    # the later flush fail instead of overwriting silently.
    __mapper_args__ = {"version_id_col": version}

    campaign: Mapped[Campaign] = relationship(back_populates="tickets")
    channel: Mapped[Channel] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
    comments: Mapped[list["TicketComment"]] = relationship(
        back_populates="ticket", order_by="TicketComment.created_at", cascade="all, delete-orphan"
    )
    changes: Mapped[list["TicketChange"]] = relationship(
        back_populates="ticket", order_by="TicketChange.created_at", cascade="all, delete-orphan"
    )
    events: Mapped[list["TicketEvent"]] = relationship(
        back_populates="ticket", order_by="TicketEvent.created_at", cascade="all, delete-orphan"
    )
    sends: Mapped[list["PlatformSend"]] = relationship(
        back_populates="ticket", order_by="PlatformSend.requested_at", cascade="all, delete-orphan"
    )
    ads: Mapped[list["TicketAd"]] = relationship(
        back_populates="ticket", order_by="TicketAd.position", cascade="all, delete-orphan"
    )

    @property
    def platform_name(self) -> str:
        """The name sent to the platform: the campaign's name with this channel's code."""
        return platform_name_of(self.campaign, self.channel.api_identifier)

    def __repr__(self) -> str:
        return f"<Ticket {self.id} {self.status}>"


class TicketEvent(UUIDMixin, db.Model):
    """One status change of a ticket: the audit trail."""

    __tablename__ = "ticket_events"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[TicketStatus | None] = mapped_column(_enum(TicketStatus, "from_status"))
    to_status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus, "to_status"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

    # Not stored: what the move said beyond doing it (a column went over its WIP limit).
    warning = None

    def __repr__(self) -> str:
        return f"<TicketEvent {self.from_status}->{self.to_status}>"


class PlatformSend(UUIDMixin, db.Model):
    """One send of a ticket to its platform: a job, with every HTTP call it made."""

    __tablename__ = "platform_sends"
    __table_args__ = (
        # At most one send per ticket is queued or running, whatever the race.
        Index(
            "uq_platform_sends_active",
            "ticket_id",
            unique=True,
            sqlite_where=text("state IN ('QUEUED', 'RUNNING')"),
            postgresql_where=text("state IN ('QUEUED', 'RUNNING')"),
        ),
        # And at most one per campaign and channel: two sends of one campaign to one
        # platform could both find no object by its name and both create it.
        Index(
            "uq_platform_sends_active_campaign_channel",
            "campaign_id",
            "channel_id",
            unique=True,
            sqlite_where=text("state IN ('QUEUED', 'RUNNING')"),
            postgresql_where=text("state IN ('QUEUED', 'RUNNING')"),
        ),
    )

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    # The ticket's campaign and channel, copied so the index above can hold them.
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[SendState] = mapped_column(
        _enum(SendState, "send_state"), default=SendState.QUEUED
    )
    # "sandbox" or "live", and the base URL (never a credential).
    target: Mapped[str] = mapped_column(String(16))
    base_url: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Touched by the running job at every step and while it waits: a RUNNING send whose
    # heartbeat stopped lost its worker, and another delivery of the job takes it over.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The ids the platform returned so far, by placeholder name: a re-run resumes from them.
    progress: Mapped[dict | None] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="sends")
    requested_by: Mapped[User | None] = relationship()
    attempts: Mapped[list["SendAttempt"]] = relationship(
        back_populates="send", order_by="SendAttempt.created_at", cascade="all, delete-orphan"
    )

    @property
    def created_at(self) -> datetime:
        """When it was asked for: sends sort among the ticket's history entries by it."""
        return self.requested_at

    @property
    def in_flight(self) -> bool:
        return self.state in (SendState.QUEUED, SendState.RUNNING)

    def __repr__(self) -> str:
        return f"<PlatformSend {self.id} {self.state}>"


class SendAttempt(UUIDMixin, db.Model):
    """One HTTP call a send made: when, what, the platform's answer and what came of it."""

    __tablename__ = "send_attempts"

    send_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("platform_sends.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    step: Mapped[int] = mapped_column(Integer)  # which of the translation's requests
    attempt: Mapped[int] = mapped_column(Integer)  # which try of that request
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(500))
    http_status: Mapped[int | None] = mapped_column(Integer)  # None: no answer
    outcome: Mapped[AttemptOutcome] = mapped_column(_enum(AttemptOutcome, "attempt_outcome"))
    message: Mapped[str] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)

    send: Mapped[PlatformSend] = relationship(back_populates="attempts")

    def __repr__(self) -> str:
        return f"<SendAttempt {self.method} {self.path} {self.http_status} {self.outcome}>"


class TicketComment(UUIDMixin, db.Model):
    """A comment on a ticket: plain text, shown in its timeline."""

    __tablename__ = "ticket_comments"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    ticket: Mapped[Ticket] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<TicketComment {self.id} on {self.ticket_id}>"


class NotificationKind(enum.StrEnum):
    """Why a user is told about a ticket."""

    ASSIGNED = "ASSIGNED"
    MENTIONED = "MENTIONED"
    QA_FAILED = "QA_FAILED"
    SEND_FAILED = "SEND_FAILED"
    TRAFFICKED = "TRAFFICKED"


class Notification(UUIDMixin, db.Model):
    """Something a user is told in the app (the bell), newest first."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind, "notification_kind"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    ticket: Mapped[Ticket | None] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.kind} for {self.user_id}>"


class DeliveryState(enum.StrEnum):
    QUEUED = "QUEUED"
    SENT = "SENT"
    FAILED = "FAILED"


class Webhook(UUIDMixin, TimestampMixin, db.Model):
    """The workspace's outgoing webhook (Slack or Microsoft Teams); one per workspace."""

    __tablename__ = "webhooks"

    url: Mapped[str] = mapped_column(String(2000))
    # Signs every body with HMAC-SHA256 so the receiver can tell it came from us.
    secret: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Webhook {self.url}>"


class NotificationDelivery(UUIDMixin, db.Model):
    """One notification sent by email or webhook: where, how it went, each try counted."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (UniqueConstraint("notification_id", "channel"),)

    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(16))  # "email" or "webhook"
    target: Mapped[str] = mapped_column(String(2000))  # the address or the URL
    state: Mapped[DeliveryState] = mapped_column(
        _enum(DeliveryState, "delivery_state"), default=DeliveryState.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    http_status: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the job runner tries a webhook again after a failed try (None: no try waiting).
    next_try_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    notification: Mapped[Notification] = relationship()
    tries: Mapped[list["DeliveryAttempt"]] = relationship(
        back_populates="delivery",
        order_by="DeliveryAttempt.number",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<NotificationDelivery {self.channel} {self.state}>"


class DeliveryAttempt(UUIDMixin, db.Model):
    """One try of a delivery: each is its own job run, and (delivery, number) is claimed once."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notification_deliveries.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    http_status: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(Text)

    delivery: Mapped[NotificationDelivery] = relationship(back_populates="tries")

    def __repr__(self) -> str:
        return f"<DeliveryAttempt {self.number} {self.http_status}>"


class SavedView(UUIDMixin, db.Model):
    """A board's filters and swimlanes saved under a name, for its owner or the whole team."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(2000))  # the board's query string
    shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<SavedView {self.name}>"


class BoardColumn(db.Model):
    """A board column's work-in-progress limit, set by an admin."""

    __tablename__ = "board_columns"

    status: Mapped[TicketStatus] = mapped_column(
        _enum(TicketStatus, "column_status"), primary_key=True
    )
    wip_limit: Mapped[int | None] = mapped_column(Integer)
    # Hard: a move into a full column is refused; soft: it goes through with a warning.
    hard: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<BoardColumn {self.status} {self.wip_limit}>"


class TicketChange(UUIDMixin, db.Model):
    """One field of a ticket changed (a setting, its owner, its due date): old -> new."""

    __tablename__ = "ticket_changes"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(64))  # what people call it: "Landing URL"
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="changes")
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<TicketChange {self.field}>"


class WorkspaceSettings(UUIDMixin, TimestampMixin, db.Model):
    """The workspace's one row: the agency's name and logo, and the reporting currency."""

    __tablename__ = "workspace_settings"

    agency_name: Mapped[str] = mapped_column(String(120), default="")
    reporting_currency: Mapped[str] = mapped_column(String(3), default="EUR")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(32))  # image/png or image/jpeg

    def __repr__(self) -> str:
        return f"<WorkspaceSettings {self.agency_name!r} {self.reporting_currency}>"


class ExchangeRate(UUIDMixin, db.Model):
    """One euro reference rate: how many units of `currency` one euro bought on `rate_date`.

    Rates are kept as the ECB publishes them (per euro), whatever the reporting currency:
    an amount converts from A to B as amount / rate(A) * rate(B), the euro's rate being 1.
    """

    __tablename__ = "exchange_rates"
    __table_args__ = (
        UniqueConstraint("rate_date", "currency"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )

    rate_date: Mapped[date] = mapped_column(Date, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    source: Mapped[str] = mapped_column(String(16))  # "ecb-file" or "entered"
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<ExchangeRate {self.rate_date} EUR/{self.currency} {self.rate}>"


class NamingConvention(UUIDMixin, db.Model):
    """One version of one level's naming convention (version 1 of each is built in)."""

    __tablename__ = "naming_conventions"
    __table_args__ = (UniqueConstraint("level", "version"),)

    level: Mapped[str] = mapped_column(String(16))  # campaign, adset, ad
    version: Mapped[int] = mapped_column(Integer)
    separator: Mapped[str] = mapped_column(String(1))
    # Ordered segments: [{"kind": "brand"}, {"kind": "text", "max_length": 40, ...}, ...]
    segments: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<NamingConvention {self.level} v{self.version}>"


class PickList(UUIDMixin, TimestampMixin, db.Model):
    """Controlled values a name segment takes, each with a code and a label."""

    __tablename__ = "pick_lists"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    # "" or the segment whose value picks the allowed values: brand, market, ... or a list.
    depends_on: Mapped[str] = mapped_column(String(16), default="")
    # [{"code": "FROZEN", "label": "Frozen", "parent": "DIS"}, ...]
    values: Mapped[list] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"<PickList {self.code}>"


class ReferenceStamp(db.Model):
    """One row counting the writes to brands, markets, channels, naming conventions and
    pick-lists: database triggers add one in every transaction that writes them (migration
    0024), and processes keep those tables between requests while it holds (services/stamps.py).
    """

    __tablename__ = "reference_stamp"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


class NameAudit(UUIDMixin, db.Model):
    """One check of the names live on the platforms against the conventions."""

    __tablename__ = "name_audits"

    requested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # One row per name read: {"channel", "level", "platform_id", "name", "valid", "ours",
    # "version", "problems", "suggestion"}.
    results: Mapped[list | None] = mapped_column(JSON)
    # Channels that could not be read, with why: {"TIKTOK": "..."}.
    errors: Mapped[dict | None] = mapped_column(JSON)

    requested_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<NameAudit {self.requested_at}>"


class ImportJob(UUIDMixin, db.Model):
    """A spreadsheet import too large to run inside a request, run by the job runner.

    The sheet waits here for the job; any web process reads the progress and, once the
    job ends, the report (every row's outcome) from this row.
    """

    __tablename__ = "import_jobs"

    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # queued → checking → writing → done (or failed, with `message`).
    state: Mapped[str] = mapped_column(String(16), default="queued")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    checked_rows: Mapped[int] = mapped_column(Integer, default=0)
    on_error: Mapped[str] = mapped_column(String(8))
    # The sheet as CSV text, and the columns the person picked (None: match by header).
    sheet: Mapped[str] = mapped_column(Text)
    remap: Mapped[dict | None] = mapped_column(JSON)
    report: Mapped[dict | None] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(Text)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ImportJob {self.id} {self.state} {self.checked_rows}/{self.total_rows}>"


class UtmMapping(UUIDMixin, TimestampMixin, db.Model):
    """A channel's UTM parameters, set by an admin: what services/utm.py builds URLs from."""

    __tablename__ = "utm_mappings"

    channel_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), unique=True
    )
    utm_source: Mapped[str] = mapped_column(String(100))
    utm_medium: Mapped[str] = mapped_column(String(100))
    # Further fixed parameters, in order: [["utm_id", "spring26"], ...].
    extra: Mapped[list | None] = mapped_column(JSON)
    # utm_content carries the ad set / ad group name.
    content_from_adset: Mapped[bool] = mapped_column(default=True)
    # utm_campaign and utm_content in lowercase too (the names keep their case otherwise).
    lowercase_names: Mapped[bool] = mapped_column(default=False)

    channel: Mapped[Channel] = relationship()

    def __repr__(self) -> str:
        return f"<UtmMapping {self.utm_source}/{self.utm_medium}>"


class CreativeKind(enum.StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class Creative(UUIDMixin, db.Model):
    """An image or video in a brand's creative library, with the properties read from it.

    The file itself (and, for images, its thumbnail) lives in the creative storage
    (services/storage.py) under `stored_key`; this row says what it is.
    """

    __tablename__ = "creatives"
    __table_args__ = (Index("ix_creatives_brand_uploaded", "brand_id", "uploaded_at"),)

    brand_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    kind: Mapped[CreativeKind] = mapped_column(_enum(CreativeKind, "creative_kind"))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_key: Mapped[str] = mapped_column(String(255), unique=True)
    thumbnail_key: Mapped[str | None] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # The reduced ratio as the person reads it ("9:16", "1.91:1" for 1200x628).
    aspect_ratio: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    # Videos only: length in seconds (milliseconds kept).
    duration_seconds: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    brand: Mapped[Brand] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Creative {self.original_name} {self.width}x{self.height}>"


class TicketAd(UUIDMixin, TimestampMixin, db.Model):
    """One ad a CREATE_CAMPAIGN ticket makes under its ad set / ad group, in `position` order.

    Its creatives are in `ticket_ad_creatives` (a Google responsive display ad takes several:
    landscape and square); a responsive search ad has none. Texts that take several values on
    a platform (Google's headlines and descriptions) hold one value per line. `landing_url`
    is as typed: the UTM builder adds its parameters when the ad is checked and sent.
    """

    __tablename__ = "ticket_ads"
    __table_args__ = (UniqueConstraint("ticket_id", "position"),)

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the ticket
    # The free-text part of the ad's name, rendered by the ad naming convention.
    name_text: Mapped[str] = mapped_column(String(120), default="")
    # creative_specs placement keys the ad is meant for: ["meta_feed", "meta_stories"].
    placements: Mapped[list] = mapped_column(JSON, default=list)
    primary_text: Mapped[str] = mapped_column(Text, default="")
    headline: Mapped[str] = mapped_column(Text, default="")
    long_headline: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    business_name: Mapped[str] = mapped_column(String(120), default="")
    call_to_action: Mapped[str] = mapped_column(String(40), default="")
    landing_url: Mapped[str] = mapped_column(String(2048), default="")

    ticket: Mapped[Ticket] = relationship(back_populates="ads")
    creatives: Mapped[list[Creative]] = relationship(
        secondary="ticket_ad_creatives", order_by="TicketAdCreative.position", viewonly=True
    )
    creative_links: Mapped[list["TicketAdCreative"]] = relationship(
        back_populates="ad", order_by="TicketAdCreative.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<TicketAd {self.position} of {self.ticket_id}>"


class TicketAdCreative(db.Model):
    """A creative an ad uses, in order. A creative in use cannot be deleted from the library."""

    __tablename__ = "ticket_ad_creatives"

    ad_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ticket_ads.id", ondelete="CASCADE"), primary_key=True
    )
    creative_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("creatives.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=1)

    ad: Mapped[TicketAd] = relationship(back_populates="creative_links")
    creative: Mapped[Creative] = relationship()
