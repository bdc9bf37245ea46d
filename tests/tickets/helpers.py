"""Tickets: opening one (structured, type-checked settings and the platform name), the workflow
with its audit trail and version checks, settings edits and deletes, the HTML pages a trafficker
works in (new/edit forms, ticket page with htmx moves, the filtered list), and two people moving
the same ticket at the same moment. Helpers shared by the files of this folder.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from omnitraffick.models import Ticket, TicketEvent, TicketStatus
from omnitraffick.services import qa
from omnitraffick.services import tickets as service
from tests.html import Node

S = TicketStatus


# DESIGN.md's "Ticket workflow", written out independently of the code.
DESIGN_MOVES = {
    (S.DRAFT, S.QA_TESTING),
    (S.QA_TESTING, S.READY_FOR_API),
    (S.QA_TESTING, S.QA_FAILED),
    (S.QA_FAILED, S.DRAFT),
    (S.QA_FAILED, S.QA_TESTING),
    (S.READY_FOR_API, S.TRAFFICKED_SUCCESS),
    (S.READY_FOR_API, S.FAILED),
    (S.READY_FOR_API, S.DRAFT),
    (S.FAILED, S.READY_FOR_API),
    (S.FAILED, S.DRAFT),
}


ALLOWED_MOVES = sorted(
    ((source, target) for source, targets in service.TRANSITIONS.items() for target in targets),
    key=str,
)


REFUSED_MOVES = sorted(
    ((source, target) for source in S for target in S if target not in service.TRANSITIONS[source]),
    key=str,
)


FULL_SETTINGS = {
    "objective": "traffic",
    "budget_type": "daily",
    "budget_amount": "1,500.5",
    "flight_start": "2026-03-01",
    "flight_end": "2026-03-31",
    "landing_url": "https://example.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch",
    "initial_status": "active",
}


CLEANED_SETTINGS = {
    "objective": "TRAFFIC",
    "budget_type": "DAILY",
    "budget_amount": "1500.50",
    "flight_start": "2026-03-01",
    "flight_end": "2026-03-31",
    "landing_url": "https://example.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch",
    "initial_status": "ACTIVE",
}


def valid_settings(platform_name: str = "DIS_US_META_2026_MoanaLaunch") -> dict:
    """CREATE_CAMPAIGN settings that pass every pre-flight QA rule for the Moana campaign:
    daily 10.00 for ten days starting a month from today (QA refuses flights in the past),
    https landing URL with utm_source, utm_medium and utm_campaign = the platform name."""
    start = datetime.now(UTC).date() + timedelta(days=30)
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "10.00",
        "flight_start": start.isoformat(),
        "flight_end": (start + timedelta(days=9)).isoformat(),
        "landing_url": (
            "https://example.com/moana?utm_source=social&utm_medium=paid"
            f"&utm_campaign={platform_name}"
        ),
        "initial_status": "PAUSED",
    }


def assert_passing_report(ticket) -> None:
    """The ticket's QA report holds one passing finding per rule."""
    report = ticket.qa_report
    assert [f["rule"] for f in report] == [r.code for r in qa.RULES]
    assert all(f["passed"] for f in report), [f for f in report if not f["passed"]]


def list_rows(doc: Node) -> list[str]:
    """The platform names in the ticket list, in the order shown."""
    body = doc.find("tbody")
    rows = body.find_all("tr") if body else []
    return [row.find("td").text for row in rows if "empty" not in row.find("td").classes]


def panel_moves(doc: Node) -> list[str]:
    """The moves the status panel offers, as target statuses."""
    return doc.by_id("status-panel").values("to_status")


def fragment_headers() -> dict:
    return {"HX-Request": "true"}


def as_utc(value: datetime) -> datetime:
    """A timestamp read back from either database, as an aware UTC datetime."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def reload(db, ticket_id) -> Ticket | None:
    """The ticket as it is in the database now (not what this session holds)."""
    db.session.expire_all()
    return db.session.get(Ticket, ticket_id)


def events_of(db, ticket_id) -> list[TicketEvent]:
    db.session.expire_all()
    return db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.created_at, TicketEvent.id)
    ).all()


def ticket_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Ticket))


def snapshot(db, ticket_id) -> tuple:
    """Everything a refused request must leave alone."""
    ticket = reload(db, ticket_id)
    return (
        ticket.status,
        ticket.version,
        dict(ticket.payload_config),
        ticket.qa_failure_reason,
        ticket.external_platform_id,
        as_utc(ticket.status_changed_at),
        len(events_of(db, ticket_id)),
    )


def move_inputs(to_status, version, **fields) -> dict:
    """What a move form posts."""
    return {"to_status": to_status, "version": str(version)} | fields


def needs_for(target: TicketStatus) -> dict:
    """The input a move to `target` needs."""
    if target is S.QA_FAILED:
        return {"reason": "Landing URL has no utm_campaign."}
    if target is S.TRAFFICKED_SUCCESS:
        return {"external_platform_id": "120210000000001"}
    return {}


def new_form(channel, **fields) -> dict:
    """A complete new-ticket form for `channel`."""
    return {
        "channel_id": str(channel.id),
        "request_type": "CREATE_CAMPAIGN",
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "1500.50",
        "flight_start": "2026-03-01",
        "flight_end": "2026-03-31",
        "landing_url": "https://example.com/moana",
        "initial_status": "PAUSED",
        "target_status": "",
    } | fields


def edit_form(version, **fields) -> dict:
    return {
        "version": str(version),
        "request_type": "CREATE_CAMPAIGN",
        "objective": "REACH",
        "budget_type": "LIFETIME",
        "budget_amount": "2000",
        "flight_start": "2026-04-01",
        "flight_end": "2026-04-30",
        "landing_url": "https://example.com/new",
        "initial_status": "ACTIVE",
        "target_status": "",
    } | fields


DIS_META = "DIS_US_META_2026_MoanaLaunch"


DIS_TIKTOK = "DIS_US_TIKTOK_2026_MoanaLaunch"


PIX_META = "PIX_JP_META_2026_Frozen3"
