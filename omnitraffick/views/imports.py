"""Spreadsheet import: paste cells or upload CSV/XLSX, see every row's outcome, then import."""

import csv
import io
import uuid

from flask import Blueprint, current_app, make_response, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, TextAreaField

from ..auth import editor_required
from ..csv_export import csv_response
from ..errors import http_status
from ..extensions import db
from ..services import import_jobs, imports, spreadsheets
from ..services.errors import DomainError, ValidationError
from ..web import render

bp = Blueprint("imports", __name__, url_prefix="/imports")
LIMITS = (
    f"At most {imports.MAX_ROWS:,} rows and {imports.MAX_BYTES // (1024 * 1024)} MB per import."
)


def limits() -> str:
    return (
        f"{LIMITS} An import of more than {current_app.config['IMPORT_JOB_ROWS']:,} rows runs "
        "in the background with a progress bar."
    )


# The dry run lists every error row, and this many of the others.
SHOWN_ROWS = 500


class ImportForm(FlaskForm):
    paste = TextAreaField(
        "Paste cells",
        description="Copy the rows, header included, from Excel or Google Sheets and paste "
        "them here (or type CSV).",
    )
    upload = FileField("…or upload a CSV or XLSX file")
    # The sheet as the last dry run read it (CSV text): what "Import" imports.
    table = HiddenField()
    on_error = RadioField(
        "Rows with errors",
        choices=[
            SelectChoice(imports.OnError.ABORT.value, "Block the import while any row has one"),
            SelectChoice(imports.OnError.SKIP.value, "Skip them: import the valid rows only"),
        ],
        default=imports.OnError.ABORT.value,
    )


for _column in imports.COLUMNS:
    setattr(ImportForm, f"map_{_column}", SelectField(_column, validate_choice=False))


@bp.before_app_request
def allow_import_bodies():
    """An import's form holds a whole sheet: allow it (before anything reads the body)."""
    if request.blueprint == bp.name:
        request.max_content_length = imports.MAX_BYTES + 64 * 1024
        request.max_form_memory_size = imports.MAX_BYTES


def table_text(table: spreadsheets.Table) -> str:
    """The sheet as CSV text, blank rows kept so row numbers stay those of the file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    line = table.numbers[0] - 1 if table.numbers else 1
    for number, row in zip(table.numbers, table.rows, strict=True):
        for _ in range(number - line - 1):
            writer.writerow([])
        writer.writerow(row)
        line = number
    return buffer.getvalue()


def read_form(form: ImportForm) -> spreadsheets.Table:
    """The sheet the form carries: an upload, pasted cells, or the last dry run's."""
    upload = form.upload.data
    if upload is not None and getattr(upload, "filename", ""):
        return spreadsheets.read(upload.read(), upload.filename, max_rows=imports.MAX_ROWS)
    text = form.paste.data or form.table.data or ""
    if not text.strip():
        raise ValidationError("Paste some rows or choose a file to import.", "paste")
    return spreadsheets.read_text(text, max_rows=imports.MAX_ROWS)


def remap(form: ImportForm, table: spreadsheets.Table) -> dict[str, str] | None:
    """The columns the person picked, once the form shows them; None: match by header."""
    if not form.table.data or form.paste.data or (form.upload.data and form.upload.data.filename):
        return None  # a new sheet: its own headers decide
    picked = {c: form[f"map_{c}"].data for c in imports.COLUMNS if form[f"map_{c}"].raw_data}
    return picked or None


def show_columns(form: ImportForm, table: spreadsheets.Table, chosen: dict[str, str]) -> None:
    options = [SelectChoice("", "— not in the file —")] + [
        SelectChoice(h, h) for h in table.header if h
    ]
    for column in imports.COLUMNS:
        field = form[f"map_{column}"]
        field.choices = options
        field.data = chosen.get(column, "")


@bp.route("/campaigns", methods=["GET", "POST"])
@editor_required
def campaigns():
    """Import campaigns and tickets: a dry run first, then the import."""
    form = ImportForm()
    context = {"form": form, "limits": limits(), "columns": imports.COLUMNS}
    context["descriptions"] = imports.DESCRIPTIONS
    if not form.is_submitted():
        return render("imports/campaigns.html", **context)
    if not form.validate():
        return render("imports/campaigns.html", status=400, error=_expired(form), **context)
    dry = request.form.get("action") != "import"
    table = None
    try:
        table = read_form(form)
        chosen = remap(form, table)
        if not dry and len(table.rows) > current_app.config["IMPORT_JOB_ROWS"]:
            job = import_jobs.start(
                table_text(table), len(table.rows), chosen, form.on_error.data, current_user
            )
            return redirect(url_for("imports.job", job_id=job.id), 303)
        report = imports.run(
            table, chosen, dry=dry, on_error=form.on_error.data, actor=current_user
        )
    except DomainError as err:
        db.session.rollback()
        if table is not None:
            form.table.data = table_text(table)
            form.paste.data = ""
            show_columns(form, table, _matched(table, remap(form, table)))
        context |= {"error": err, "column_errors": getattr(err, "errors", {}) or {}}
        return render("imports/campaigns.html", status=http_status(err), **context)
    if report.written:
        db.session.commit()
    form.table.data = table_text(table)
    form.paste.data = ""
    show_columns(form, table, _matched(table, chosen))
    return render(
        "imports/campaigns.html",
        status=422 if report.blocked and not dry else 200,
        report=report,
        shown=_shown(report),
        **context,
    )


@bp.get("/jobs/<uuid:job_id>")
@editor_required
def job(job_id: uuid.UUID):
    """A queued import: its progress bar while it runs, then the report an import shows."""
    found = import_jobs.get(job_id, current_user)
    if found.state not in import_jobs.FINISHED:
        return render("imports/job.html", job=found, percent=import_jobs.percent(found))
    form = ImportForm(formdata=None)
    form.table.data = found.sheet
    form.on_error.data = found.on_error
    table = spreadsheets.read_text(found.sheet, max_rows=imports.MAX_ROWS)
    show_columns(form, table, _matched(table, found.remap))
    context = {"form": form, "limits": limits(), "columns": imports.COLUMNS}
    context["descriptions"] = imports.DESCRIPTIONS
    if found.report is None:
        error = DomainError(found.message or "The import failed; nothing was imported.")
        return render("imports/campaigns.html", error=error, **context)
    report = import_jobs.from_dict(found.report)
    return render("imports/campaigns.html", report=report, shown=_shown(report), **context)


@bp.get("/jobs/<uuid:job_id>/progress")
@editor_required
def job_progress(job_id: uuid.UUID):
    """The progress bar the job page polls; once the job ends, htmx loads its report."""
    found = import_jobs.get(job_id, current_user)
    if found.state in import_jobs.FINISHED:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url_for("imports.job", job_id=job_id)
        return response
    return render("imports/_job_progress.html", job=found, percent=import_jobs.percent(found))


@bp.post("/campaigns/errors.csv")
@editor_required
def error_rows():
    """The rows with errors, as the file had them plus what to fix, to correct and re-upload."""
    form = ImportForm()
    if not form.validate():
        raise ValidationError(_expired(form))
    table = read_form(form)
    report = imports.dry_run(table, remap(form, table))
    header, rows = imports.error_rows(report)
    return csv_response("import-errors.csv", header, rows)


@bp.get("/campaigns/template.csv")
def template():
    """An empty sheet with every column, and one example row."""
    return csv_response(
        "campaign-import-template.csv", list(imports.COLUMNS), [imports.TEMPLATE_EXAMPLE]
    )


def _matched(table: spreadsheets.Table, chosen: dict[str, str] | None) -> dict[str, str]:
    """Which header each column reads from now (as far as it can be matched)."""
    try:
        mapping = imports.match_columns(table.header, chosen)
    except ValidationError:
        if chosen is not None:
            return chosen
        keys = {imports.normalize_header(h): h for h in table.header}
        return {c: keys[c] for c in imports.COLUMNS if c in keys}
    return {column: table.header[index] for column, index in mapping.items()}


def _shown(report: imports.Report) -> list[imports.RowResult]:
    errors = [r for r in report.rows if r.outcome is imports.Outcome.ERROR]
    others = [r for r in report.rows if r.outcome is not imports.Outcome.ERROR]
    return sorted(errors + others[:SHOWN_ROWS], key=lambda r: r.row)


def _expired(form: ImportForm) -> str:
    return (
        "This form has expired; reload the page and try again."
        if "csrf_token" in form.errors
        else " ".join(m for ms in form.errors.values() for m in ms)
    )
