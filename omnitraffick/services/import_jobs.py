"""Large spreadsheet imports run as jobs, with their progress and report kept in the database.

An import of more rows than IMPORT_JOB_ROWS (1,000 by default) would hold a web worker for
seconds (10,000 rows: about 3 s of checks and 6 s of writing), so the page queues it through
the job runner and polls its row in `import_jobs` for the progress bar; any web process can
answer. The dry run stays in the request: 10,000 rows take about 3 s and nothing is written.

The job first checks every row (a read-only transaction, its progress saved as it goes),
then writes the `create` rows, the ticket histories and its own report in one transaction:
either all of it is there or none of it. A failure leaves nothing half-saved and says why.
"""

import logging
import uuid
from datetime import UTC, datetime, timedelta

from flask import g

from .. import jobs
from ..extensions import db
from ..models import ImportJob, User, utcnow
from . import imports, spreadsheets
from .errors import DomainError, NotFound

log = logging.getLogger(__name__)

IMPORT_JOB = "import-campaigns"
# Progress is saved after this many rows are checked.
PROGRESS_EVERY = 500
FINISHED = ("done", "failed")
# A job unfinished after this long lost its process (10,000 rows take well under a minute):
# it wrote nothing, since it writes in one transaction, and is shown as failed.
LOST_AFTER = timedelta(minutes=10)


def start(
    sheet: str, total_rows: int, remap: dict | None, on_error, actor: User | None
) -> ImportJob:
    """Save the sheet as a queued job, commit, and hand it to the job runner."""
    job = ImportJob(
        created_by_id=actor.id if actor is not None else None,
        total_rows=total_rows,
        on_error=imports.parse_on_error(on_error).value,
        sheet=sheet,
        remap=remap,
    )
    db.session.add(job)
    db.session.commit()
    try:
        jobs.dispatch(IMPORT_JOB, job.id)
    except jobs.DispatchError as err:
        _fail(job.id, err.args[0])
    return db.session.get(ImportJob, job.id)


def get(job_id: uuid.UUID, actor: User) -> ImportJob:
    """The job, for the person who started it (others are told it is not there)."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.created_by_id != actor.id:
        raise NotFound("No such import.")
    if job.state not in FINISHED and _aware(job.created_at) < utcnow() - LOST_AFTER:
        _fail(
            job.id,
            "This import stopped before it finished (its worker was lost, e.g. in a restart); "
            "nothing was imported. Import the sheet again.",
        )
    return job


def _aware(moment: datetime) -> datetime:
    """SQLite hands back times without their zone; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def percent(job: ImportJob) -> int:
    """How far along: checking the rows is the first half, writing them the second."""
    if job.state in FINISHED:
        return 100
    if job.state == "writing":
        return 50
    return (50 * job.checked_rows) // max(job.total_rows, 1)


def run_import_job(argument: str) -> None:
    """The job: check every row, then write the valid ones and the report in one go."""
    job_id = uuid.UUID(argument)
    job = db.session.get(ImportJob, job_id)
    if job is None or job.state != "queued":
        return  # gone, or already run (a job handed out twice)
    job.state = "checking"
    db.session.commit()
    immediate = g.get("sqlite_immediate")
    try:
        # Checking only reads: on SQLite it must not hold the write lock, so that its
        # progress can be saved meanwhile (on another connection, see `_progress`).
        g.sqlite_immediate = False
        table = spreadsheets.read_text(job.sheet, max_rows=imports.MAX_ROWS)
        report = imports.dry_run(
            table, job.remap, job.on_error, progress=lambda n: _progress(job_id, n)
        )
        db.session.rollback()  # end the read: the write begins a transaction of its own
        g.sqlite_immediate = True
        job = db.session.get(ImportJob, job_id)
        job.checked_rows, job.state = job.total_rows, "writing"
        db.session.commit()
        report.dry_run = False
        if not report.blocked:
            imports.write(report, job.created_by)
        job.report = to_dict(report)
        job.state, job.finished_at = "done", utcnow()
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        _fail(job_id, err.message)
    except Exception:
        db.session.rollback()
        log.exception("import job %s failed", job_id)
        _fail(job_id, "The import failed unexpectedly; nothing was imported. Try again.")
        raise
    finally:
        if immediate is None:
            g.pop("sqlite_immediate", None)
        else:
            g.sqlite_immediate = immediate


def _progress(job_id: uuid.UUID, checked: int) -> None:
    """Save how many rows are checked, on a connection of its own: committed at once and
    seen by every web process, whatever the job's own transaction holds."""
    if checked % PROGRESS_EVERY:
        return
    table = ImportJob.__table__
    with db.engine.begin() as connection:
        connection.execute(table.update().where(table.c.id == job_id).values(checked_rows=checked))


def _fail(job_id: uuid.UUID, message: str) -> None:
    job = db.session.get(ImportJob, job_id)
    job.state, job.message, job.finished_at = "failed", message, utcnow()
    db.session.commit()


def to_dict(report: imports.Report) -> dict:
    """What the result page shows of a report, as JSON."""
    return {
        "dry_run": report.dry_run,
        "on_error": report.on_error.value,
        "header": report.header,
        "ignored": report.ignored,
        "kind": report.kind,
        "written": report.written,
        "rows": [
            {
                "row": r.row,
                "outcome": r.outcome.value,
                "name": r.name,
                "errors": r.errors,
                "campaign_id": str(r.campaign_id) if r.campaign_id else None,
                "channel_id": str(r.ticket["channel_id"]) if r.ticket else None,
            }
            for r in report.rows
        ],
    }


def from_dict(data: dict) -> imports.Report:
    """The report `to_dict` saved, as the result page shows it."""
    rows = [
        imports.RowResult(
            row["row"],
            [],
            outcome=imports.Outcome(row["outcome"]),
            name=row["name"],
            errors=row["errors"],
            ticket={"channel_id": row["channel_id"]} if row["channel_id"] else None,
            campaign_id=uuid.UUID(row["campaign_id"]) if row["campaign_id"] else None,
        )
        for row in data["rows"]
    ]
    return imports.Report(
        data["dry_run"],
        imports.OnError(data["on_error"]),
        data["header"],
        rows,
        data["ignored"],
        data["kind"],
        written=data["written"],
    )
