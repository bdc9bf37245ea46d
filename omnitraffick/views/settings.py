"""Workspace settings: the agency's name and logo, the reporting currency, exchange rates."""

from flask import Blueprint, flash, make_response, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, DecimalField, StringField
from wtforms.validators import Optional

from ..auth import admin_required
from ..errors import http_status
from ..extensions import db
from ..services import rates
from ..services.errors import DomainError
from ..web import form_error, render

bp = Blueprint("settings", __name__, url_prefix="/settings")


class WorkspaceForm(FlaskForm):
    agency_name = StringField(
        "Agency name", validators=[Optional()], description="Printed at the top of reports."
    )
    reporting_currency = StringField(
        "Reporting currency",
        description="ISO 4217 code: amounts in other currencies are converted to it.",
    )
    logo = FileField("Agency logo", description="PNG or JPEG, at most 500 KB.")
    remove_logo = BooleanField("Remove the current logo")


class ImportForm(FlaskForm):
    file = FileField(
        "ECB reference-rate CSV file",
        description="eurofxref.csv or eurofxref-hist.csv, as unzipped from the ECB's site.",
    )


class RateForm(FlaskForm):
    rate_date = DateField("Date", validators=[Optional()])
    currency = StringField("Currency", description="ISO 4217 code, e.g. USD.")
    rate = DecimalField("Units per euro", validators=[Optional()], places=None)


def _read(upload) -> bytes | None:
    """An uploaded file's bytes (None when none was chosen), its spooled copy closed at once."""
    if not upload or not upload.filename:
        return None
    try:
        return upload.read()
    finally:
        upload.close()


def _page(workspace_form=None, import_form=None, rate_form=None, status=200):
    settings = rates.workspace()
    if workspace_form is None:
        workspace_form = WorkspaceForm(
            formdata=None,
            agency_name=settings.agency_name,
            reporting_currency=settings.reporting_currency,
        )
    return render(
        "settings/index.html",
        settings=settings,
        workspace_form=workspace_form,
        import_form=import_form or ImportForm(formdata=None),
        rate_form=rate_form or RateForm(formdata=None),
        conversion=rates.conversion(settings.reporting_currency),
        history=rates.rate_history(),
        status=status,
    )


@bp.get("/")
@admin_required
def index():
    """Show the workspace settings and the exchange rates."""
    return _page()


@bp.post("/")
@admin_required
def update():
    """Save the agency's name, logo and reporting currency."""
    form = WorkspaceForm()
    status = 422  # the form did not validate (an expired form, a bad date)
    if form.validate_on_submit():
        logo = _read(form.logo.data)
        try:
            rates.update_workspace(
                form.agency_name.data or "",
                form.reporting_currency.data or "",
                logo,
                form.remove_logo.data,
            )
        except DomainError as err:
            form_error(form, err)
            status = http_status(err)
        else:
            db.session.commit()
            flash("Workspace settings saved.", "success")
            return redirect(url_for(".index"))
    return _page(workspace_form=form, status=status)


@bp.post("/rates/import")
@admin_required
def import_rates():
    """Import the rates of an ECB CSV file."""
    form = ImportForm()
    status = 422
    if form.validate_on_submit():
        try:
            text = rates.decode_upload(_read(form.file.data) or b"")
            summary = rates.import_rates(text, current_user)
        except DomainError as err:
            form.file.errors = [*form.file.errors, err.message]
            db.session.rollback()
            status = http_status(err)
        else:
            db.session.commit()
            flash(summary, "success")
            return redirect(url_for(".index"))
    return _page(import_form=form, status=status)


@bp.post("/rates")
@admin_required
def enter_rate():
    """Enter or correct one rate."""
    form = RateForm()
    status = 422
    if form.validate_on_submit():
        try:
            row = rates.enter_rate(
                form.rate_date.data, form.currency.data, form.rate.data, current_user
            )
        except DomainError as err:
            form_error(form, err)
            status = http_status(err)
        else:
            db.session.commit()
            flash(
                f"Saved: 1 EUR = {row.rate.normalize():f} {row.currency} on {row.rate_date}.",
                "success",
            )
            return redirect(url_for(".index"))
    return _page(rate_form=form, status=status)


@bp.get("/logo")
def logo():
    """The agency's logo, for reports and the settings page."""
    settings = rates.workspace()
    if not settings.logo:
        # No logo of its own yet: the app's mark stands in.
        return redirect(url_for("static", filename="favicon.svg"))
    response = make_response(settings.logo)
    response.headers["Content-Type"] = settings.logo_type
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
