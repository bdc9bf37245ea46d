"""Import campaigns (and one ticket per row) from a spreadsheet: a dry run, then one write.

Every row is judged by the rules the forms use (taxonomy codes and names, years, budgets in
the market's currency, ticket settings) and comes out as `create`, `exists` (a campaign with
the same generated name, ignoring case, is already there: skipped, so importing a file
twice creates nothing new) or `error` with a message per cell. Rows of one file that would
make the same name are errors too. The whole file is judged in a fixed number of queries,
and the rows to create are written in one transaction of one statement per table.
"""

import enum
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (
    Brand,
    Campaign,
    CampaignStatus,
    Channel,
    Market,
    RequestType,
    Ticket,
    TicketEvent,
    TicketStatus,
    User,
    utcnow,
)
from . import settings as ticket_settings
from . import taxonomy
from .currencies import parse_budget
from .errors import Conflict, ValidationError
from .spreadsheets import Table

CAMPAIGN_COLUMNS = ("brand", "market", "year", "campaign_name", "budget")
SETTING_COLUMNS = (
    "objective",
    "budget_type",
    "budget_amount",
    "flight_start",
    "flight_end",
    "landing_url",
)
COLUMNS = (*CAMPAIGN_COLUMNS, "channel", *SETTING_COLUMNS)
REQUIRED = ("brand", "market", "campaign_name", "budget")
DESCRIPTIONS = {
    "brand": "Brand code, e.g. DIS",
    "market": "Market code, e.g. US",
    "year": "Four digits; blank means this year",
    "campaign_name": "As typed; spaces and symbols are dropped from the name",
    "budget": "Campaign budget in the market's currency",
    "channel": "Optional: a channel code (META, TIKTOK, ...) to open a Draft ticket",
    "objective": "Ticket: " + ", ".join(o.value for o in ticket_settings.Objective),
    "budget_type": "Ticket: DAILY or LIFETIME",
    "budget_amount": "Ticket budget in the market's currency",
    "flight_start": "Ticket: a date like 2026-03-01",
    "flight_end": "Ticket: a date like 2026-03-31",
    "landing_url": "Ticket: https://...",
}
TEMPLATE_EXAMPLE = (
    "DIS",
    "US",
    "2026",
    "Moana Launch",
    "25000.00",
    "META",
    "AWARENESS",
    "DAILY",
    "500.00",
    "2026-03-01",
    "2026-03-31",
    "https://example.com/moana",
)
# One import reads at most this many data rows, from a body of at most this many bytes.
MAX_ROWS = 10_000
MAX_BYTES = 8 * 1024 * 1024


class Outcome(enum.StrEnum):
    CREATE = "create"
    EXISTS = "exists"
    ERROR = "error"


class OnError(enum.StrEnum):
    ABORT = "abort"  # any error row: nothing is written
    SKIP = "skip"  # the valid rows are written, the error rows left out


@dataclass
class RowResult:
    """What one row comes to; `cells` are the row as read, for the error CSV."""

    row: int
    cells: list[str]
    outcome: Outcome = Outcome.CREATE
    name: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    campaign: dict | None = None  # the campaign to insert
    ticket: dict | None = None  # the ticket to insert with it, if the row has one
    campaign_id: uuid.UUID | None = None  # once written


@dataclass
class Report:
    """An import's rows, judged; `written` once the `create` rows are saved."""

    dry_run: bool
    on_error: OnError
    header: list[str]
    rows: list[RowResult]
    ignored: list[str]
    kind: str
    written: bool = False

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(Outcome, 0)
        for result in self.rows:
            counts[result.outcome] += 1
        return {outcome.value: n for outcome, n in counts.items()}

    @property
    def blocked(self) -> bool:
        """A real import that errors stop: nothing is written."""
        return self.on_error is OnError.ABORT and self.summary["error"] > 0

    @property
    def created(self) -> list[RowResult]:
        return [r for r in self.rows if r.campaign_id is not None]


def parse_on_error(value) -> OnError:
    try:
        return OnError(str(value or OnError.ABORT).strip().lower())
    except ValueError:
        raise ValidationError("on_error must be abort or skip.", "on_error") from None


def parse_dry_run(value) -> bool:
    text = str(value if value is not None else "true").strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise ValidationError("dry_run must be true or false.", "dry_run")
    return text in ("true", "1")


def normalize_header(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def match_columns(header: list[str], remap: dict[str, str] | None = None) -> dict[str, int]:
    """Where each column is in the file: by header name (any case), or as `remap` says.

    `remap` maps a column to the file's header for it ("" for none). A required column the
    file lacks is a 422 naming it, as is a header two columns claim.
    """
    positions = {}
    for index, name in enumerate(header):
        positions.setdefault(normalize_header(name), index)
    found, errors = {}, {}
    for column in COLUMNS:
        chosen = (remap or {}).get(column)
        if chosen is not None:
            if chosen.strip() and normalize_header(chosen) not in positions:
                errors[column] = f"The file has no column {chosen!r}."
            elif chosen.strip():
                found[column] = positions[normalize_header(chosen)]
        elif column in positions:
            found[column] = positions[column]
    taken: dict[int, str] = {}
    for column, index in found.items():
        if index in taken:
            errors[column] = f"Column {header[index]!r} is already used for {taken[index]}."
        taken.setdefault(index, column)
    for column in REQUIRED:
        if column not in found and column not in errors:
            errors[column] = f"No column for {column}: add one, or pick which column holds it."
    if errors:
        raise ValidationError(
            "Some columns cannot be matched: " + " ".join(errors.values()),
            errors={column: [message] for column, message in errors.items()},
        )
    return found


def dry_run(
    table: Table, remap: dict[str, str] | None = None, on_error=OnError.ABORT, progress=None
) -> Report:
    """Judge every row of `table`; nothing is written. `progress(n)` is called as each row
    is checked (n rows so far)."""
    mapping = match_columns(table.header, remap)
    used = set(mapping.values())
    ignored = [name for i, name in enumerate(table.header) if i not in used and name]
    rows = [
        RowResult(number, cells, errors={})
        for number, cells in zip(table.numbers, table.rows, strict=True)
    ]
    _judge(rows, mapping, progress)
    return Report(True, parse_on_error(on_error), table.header, rows, ignored, table.kind)


def run(
    table: Table,
    remap: dict[str, str] | None = None,
    *,
    dry: bool,
    on_error=OnError.ABORT,
    actor: User | None = None,
) -> Report:
    """A dry run, or the import: the `create` rows in one go, unless errors block them."""
    report = dry_run(table, remap, on_error)
    if dry or report.blocked:
        report.dry_run = dry
        return report
    write(report, actor)
    return report


def write(report: Report, actor: User | None) -> None:
    """Write the `create` rows of a judged report (see `_write`)."""
    report.dry_run = False
    _write([r for r in report.rows if r.outcome is Outcome.CREATE], actor)
    report.written = True


def _lookup(model, column, codes: set[str]) -> dict:
    if not codes:
        return {}
    return {
        getattr(row, column.key): row
        for row in db.session.scalars(select(model).where(column.in_(codes)))
    }


def _judge(rows: list[RowResult], mapping: dict[str, int], progress=None) -> None:
    def cell(result: RowResult, column: str) -> str:
        index = mapping.get(column)
        return (
            result.cells[index].strip() if index is not None and index < len(result.cells) else ""
        )

    def codes(column):
        return {cell(r, column).upper() for r in rows if cell(r, column)}

    brands = _lookup(Brand, Brand.internal_code, codes("brand"))
    markets = _lookup(Market, Market.code, codes("market"))
    channels = _lookup(Channel, Channel.api_identifier, codes("channel"))

    for checked, result in enumerate(rows, 1):
        if progress is not None:
            progress(checked)
        errors = result.errors
        found = {}
        for column, known, label in (
            ("brand", brands, "brand"),
            ("market", markets, "market"),
        ):
            code = cell(result, column)
            if not code:
                errors[column] = f"A {label} code is required."
            elif code.upper() not in known:
                errors[column] = f"No {label} has the code {code[:40]!r}."
            else:
                found[column] = known[code.upper()]
        year = typed = None
        try:
            year = taxonomy.validate_year(cell(result, "year"), "year")
        except ValidationError as err:
            errors["year"] = err.message
        try:
            typed = taxonomy.sanitize_campaign_name(cell(result, "campaign_name"), "campaign_name")
        except ValidationError as err:
            errors["campaign_name"] = err.message
        if errors:
            result.outcome = Outcome.ERROR
            continue
        brand, market = found["brand"], found["market"]
        result.name = taxonomy.build_name(
            brand.internal_code, market.code, taxonomy.MULTI_CHANNEL, typed, year
        )
        result.campaign = {
            "name": result.name,
            "campaign_name": cell(result, "campaign_name")[:255],
            "brand_id": brand.id,
            "market_id": market.id,
            "year": year,
        }
        _judge_values(result, cell, market, channels)

    _mark_existing(rows)
    _mark_collisions(rows)


def _judge_values(result: RowResult, cell, market: Market, channels: dict) -> None:
    """The budget and the ticket's settings, by the rules the forms use."""
    errors = result.errors
    try:
        result.campaign["budget"] = parse_budget(cell(result, "budget"), market.currency)
    except ValidationError as err:
        errors["budget"] = err.message
    raw = {column: cell(result, column) for column in SETTING_COLUMNS if cell(result, column)}
    code = cell(result, "channel")
    if code and code.upper() not in channels:
        errors["channel"] = f"No channel has the code {code[:40]!r}."
    elif raw and not code:
        errors["channel"] = "Ticket settings need a channel code to open the ticket for."
    try:
        cleaned = ticket_settings.clean_settings(RequestType.CREATE_CAMPAIGN, raw, market.currency)
    except ValidationError as err:
        errors.update({column: " ".join(messages) for column, messages in err.errors.items()})
    else:
        if code and code.upper() in channels:
            result.ticket = {"channel_id": channels[code.upper()].id, "payload_config": cleaned}
    if errors:
        result.outcome = Outcome.ERROR


def _mark_existing(rows: list[RowResult]) -> None:
    """Rows whose name is taken (ignoring case) are `exists`: skipped whatever else they say."""
    names = {r.name.lower() for r in rows if r.name}
    if not names:
        return
    taken = set(
        db.session.scalars(
            select(func.lower(Campaign.name)).where(func.lower(Campaign.name).in_(names))
        )
    )
    for result in rows:
        if result.name and result.name.lower() in taken:
            result.outcome, result.errors = Outcome.EXISTS, {}


def _mark_collisions(rows: list[RowResult]) -> None:
    """Rows of the file that would make the same name: every one of them is an error."""
    by_name = defaultdict(list)
    for result in rows:
        if result.name and result.outcome is not Outcome.EXISTS:
            by_name[result.name.lower()].append(result)
    for group in by_name.values():
        if len(group) < 2:
            continue
        numbers = [r.row for r in group]
        for result in group:
            others = ", ".join(str(n) for n in numbers if n != result.row)
            result.errors["campaign_name"] = (
                f"Row {others} makes the same name {result.name}; names are unique, "
                "ignoring case. Keep one row per campaign."
            )
            result.outcome = Outcome.ERROR


def _write(rows: list[RowResult], actor: User | None) -> None:
    """Insert the campaigns, tickets and ticket histories: one statement per table."""
    if not rows:
        return
    now = utcnow()
    actor_id = actor.id if actor is not None else None
    stamps = {"created_at": now, "updated_at": now}
    campaigns, tickets, events = [], [], []
    for result in rows:
        result.campaign_id = uuid.uuid4()
        campaigns.append(
            {
                **result.campaign,
                **stamps,
                "id": result.campaign_id,
                "status": CampaignStatus.DRAFT,
                "created_by_id": actor_id,
            }
        )
        if result.ticket is not None:
            ticket_id = uuid.uuid4()
            tickets.append(
                {
                    **result.ticket,
                    **stamps,
                    "id": ticket_id,
                    "campaign_id": result.campaign_id,
                    "request_type": RequestType.CREATE_CAMPAIGN,
                    "status": TicketStatus.DRAFT,
                    "status_changed_at": now,
                    "version": 1,
                    "created_by_id": actor_id,
                }
            )
            events.append(
                {
                    "id": uuid.uuid4(),
                    "ticket_id": ticket_id,
                    "actor_id": actor_id,
                    "from_status": None,
                    "to_status": TicketStatus.DRAFT,
                    "created_at": now,
                }
            )
    try:
        with db.session.begin_nested():
            for model, values in ((Campaign, campaigns), (Ticket, tickets), (TicketEvent, events)):
                if values:
                    db.session.execute(model.__table__.insert(), values)
    except IntegrityError:
        for result in rows:
            result.campaign_id = None
        raise Conflict(
            "Someone created one of these campaigns while the import ran, so nothing was "
            "imported. Run the dry run again: that row now shows as exists."
        ) from None


def error_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """The error rows as the file had them, plus a column saying what to fix."""
    header = [*report.header, "errors"]
    rows = [
        [*r.cells, " ".join(f"{column}: {message}" for column, message in r.errors.items())]
        for r in report.rows
        if r.outcome is Outcome.ERROR
    ]
    return header, rows
