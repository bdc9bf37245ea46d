"""Naming governance pages: conventions and their editor, pick-lists, the decoder, the audit."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from ..auth import admin_required, editor_required
from ..csv_export import csv_response
from ..extensions import db
from ..models import PickList
from ..services import conventions as conv
from ..services import naming
from ..services.errors import DomainError, NotFound, ValidationError
from ..services.trafficking import audit as name_audit
from ..web import form_error, form_status, render

bp = Blueprint("naming", __name__, url_prefix="/naming")


# --- conventions ----------------------------------------------------------------------------


class SegmentForm(Form):
    kind = SelectField(
        "Segment",
        choices=[SelectChoice("", "(unused)")]
        + [SelectChoice(k, v) for k, v in conv.KINDS.items()],
        validate_choice=False,
    )
    max_length = IntegerField("Max length", validators=[Optional()])
    casing = SelectField(
        "Casing",
        choices=[SelectChoice(k, v) for k, v in conv.CASINGS.items()],
        validate_choice=False,
    )
    list = SelectField("Pick-list", choices=[SelectChoice("", "—")], validate_choice=False)


class ConventionForm(FlaskForm):
    separator = SelectField(
        "Separator", choices=[SelectChoice(s, s) for s in conv.SEPARATORS], validate_choice=False
    )
    segments = FieldList(FormField(SegmentForm), min_entries=conv.MAX_SEGMENTS)

    def fill(self, convention: conv.Convention) -> None:
        self.separator.data = convention.separator
        for row, segment in zip(self.segments, convention.segments, strict=False):
            row.kind.data = segment.kind
            row.max_length.data = segment.max_length if segment.kind == "text" else None
            row.casing.data = segment.casing
            row.list.data = segment.list

    def load_choices(self, lists) -> None:
        choices = [SelectChoice("", "—")] + [
            SelectChoice(code, f"{pl.label} ({code})") for code, pl in lists.items()
        ]
        for row in self.segments:
            row.list.choices = choices

    def segment_data(self) -> list[dict]:
        return [
            {
                "kind": row.kind.data,
                "max_length": row.max_length.data,
                "casing": row.casing.data,
                "list": row.list.data,
            }
            for row in self.segments
            if row.kind.data
        ]


@bp.get("/")
def index():
    """Every level's current convention and its versions."""
    lists = naming.pick_lists()
    levels = [(level, label, naming.versions(level)) for level, label in conv.LEVELS.items()]
    return render("naming/index.html", levels=levels, lists=lists)


def _editor(level: str, form: ConventionForm, status: int = 200, preview=None):
    lists = naming.pick_lists()
    form.load_choices(lists)
    current = naming.current(level)
    return render(
        "naming/edit.html",
        status=status,
        form=form,
        level=level,
        label=conv.LEVELS[level],
        current=current,
        preview=preview or _preview(level, form),
    )


def _preview(level: str, form: ConventionForm) -> dict:
    """The sample name and impact of what the editor holds, or why it cannot be used."""
    try:
        proposed = naming.draft(level, form.separator.data or "_", form.segment_data())
    except ValidationError as err:
        return {"ok": False, "message": err.message}
    impact = naming.impact(proposed)
    return {
        "ok": True,
        "sample": naming.sample_name(proposed),
        "pattern": proposed.pattern(),
        "version": proposed.version,
        "impact": impact,
        "level": level,
    }


@bp.route("/conventions/edit", methods=["GET", "POST"])
@admin_required
def edit():
    """Edit a level's convention (?level=campaign|adset|ad); saving makes a new version."""
    level = naming.check_level(request.args.get("level"))
    form = ConventionForm()
    if request.method == "GET":
        form.fill(naming.current(level))
    elif form.validate():
        try:
            saved = naming.save_convention(
                level, form.separator.data, form.segment_data(), current_user
            )
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(
                f"{conv.LEVELS[level]} convention version {saved.version} saved: "
                f"{saved.pattern()}. Names made before keep their version.",
                "success",
            )
            return redirect(url_for("naming.index"))
    return _editor(level, form, form_status(form))


@bp.get("/conventions/preview")
@admin_required
def preview():
    """The sample name and impact count for the editor's current state (htmx)."""
    level = naming.check_level(request.args.get("level"))
    form = ConventionForm(formdata=request.args, meta={"csrf": False})
    return render("naming/_sample.html", "naming/_sample.html", preview=_preview(level, form))


# --- pick-lists -----------------------------------------------------------------------------


class PickListForm(FlaskForm):
    code = StringField("Code", description="A-Z, digits and underscores; names hold it.")
    label = StringField("Label")
    depends_on = SelectField("Depends on", validate_choice=False)
    values = TextAreaField(
        "Values",
        description="One per line: CODE = Label, or PARENT/CODE = Label when the list "
        "depends on another segment (PARENT is that segment's code).",
    )

    def load_choices(self, lists, editing: str | None = None) -> None:
        self.depends_on.choices = (
            [SelectChoice("", "Nothing")]
            + [SelectChoice(k, v) for k, v in conv.CODE_KINDS.items()]
            + [
                SelectChoice(code, f"Pick-list {pl.label}")
                for code, pl in lists.items()
                if code != editing
            ]
        )


@bp.get("/lists")
def lists():
    """The pick-lists and their values."""
    return render("naming/lists.html", lists=naming.pick_lists())


@bp.route("/lists/edit", methods=["GET", "POST"])
@admin_required
def edit_list():
    """Create a pick-list, or change the one named by ?code=."""
    code = request.args.get("code")
    row = db.session.scalar(select(PickList).where(PickList.code == code)) if code else None
    if code and row is None:
        raise NotFound(f"No pick-list {code}.")
    form = PickListForm()
    if request.method == "GET" and row is not None:
        form.code.data, form.label.data = row.code, row.label
        form.depends_on.data = row.depends_on
        form.values.data = naming.values_text(row.values)
    elif form.validate_on_submit():
        try:
            saved = naming.save_pick_list(
                code=form.code.data,
                label=form.label.data,
                depends_on=form.depends_on.data,
                values=form.values.data,
                row=row,
            )
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Pick-list {saved.code} saved.", "success")
            return redirect(url_for("naming.lists"))
    form.load_choices(naming.pick_lists(), row.code if row else None)
    return render("naming/list_form.html", status=form_status(form), form=form, row=row)


# --- the decoder ----------------------------------------------------------------------------


class DecoderForm(FlaskForm):
    names = TextAreaField("Names", description="One name per line.")
    file = FileField("…or a CSV file", description="Its `name` column, or its first column.")
    level = SelectField(
        "Level", choices=[SelectChoice(k, v) for k, v in conv.LEVELS.items()], validate_choice=False
    )


@bp.route("/decoder", methods=["GET", "POST"])
def decoder():
    """Paste or upload names and see, per name, whether it follows the conventions."""
    form = DecoderForm()
    results = None
    if form.validate_on_submit():
        try:
            names = naming.names_from_lines(form.names.data)
            upload = form.file.data
            if upload and upload.filename:
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise ValidationError("The CSV file must be UTF-8 text.", "file") from None
                names += naming.names_from_csv(text)
            if not names:
                raise ValidationError("Paste at least one name or upload a CSV.", "names")
            names = naming.clean_names(names)
            results = naming.validate_names(names, form.level.data)
        except DomainError as err:
            form_error(form, err)
    status = form_status(form)
    return render(
        "naming/decoder.html",
        "naming/_results.html",
        status=status,
        form=form,
        results=results,
    )


# --- the audit of live names ----------------------------------------------------------------

AUDIT_SHOWS = {
    "problems": "Non-compliant or not made by OmniTraffick",
    "invalid": "Non-compliant",
    "foreign": "Not made by OmniTraffick",
    "all": "Every name",
}


def _show() -> str:
    show = request.args.get("show", "problems")
    return show if show in AUDIT_SHOWS else "problems"


@bp.get("/audit")
def audit():
    """The latest audit of the names live on the platforms."""
    latest = name_audit.latest_audit()
    show = _show()
    rows = name_audit.rows_for(latest, show) if latest and latest.finished_at else []
    return render(
        "naming/audit.html",
        audit=latest,
        rows=rows,
        show=show,
        shows=AUDIT_SHOWS,
        form=FlaskForm(),
    )


@bp.post("/audit")
@editor_required
def run_audit():
    """Read the names live on every connected platform now."""
    form = FlaskForm()
    if not form.validate_on_submit():
        raise ValidationError("The form expired; reload the page and try again.")
    name_audit.start_audit(current_user)
    flash("Audit started: the names are read from every connected platform.", "success")
    return redirect(url_for("naming.audit"))


@bp.get("/audit.csv")
def audit_csv():
    """The latest audit's listed names as CSV."""
    latest = name_audit.latest_audit()
    rows = name_audit.rows_for(latest, _show()) if latest and latest.finished_at else []
    header = ["channel", "level", "platform_id", "name", "valid", "version", "made_by_omnitraffick"]
    header += ["problems", "suggestion"]
    lines = (
        [
            r["channel"],
            r["level"],
            r["platform_id"],
            r["name"],
            "yes" if r["valid"] else "no",
            r["version"] or "",
            "yes" if r["ours"] else "no",
            " ".join(r["problems"]),
            r["suggestion"] or "",
        ]
        for r in rows
    )
    return csv_response("name-audit.csv", header, lines)
