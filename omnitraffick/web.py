"""Helpers the HTML views share: htmx fragments and form errors.

Lists (their filters, sort and pages) are read and applied by services/queries.py.
"""

from flask import make_response, render_template, request
from flask_wtf import FlaskForm

from .extensions import db
from .services.errors import DomainError

# Methods that read and never change: no CSRF token, no body to read, no write transaction.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_fragment_request() -> bool:
    """Whether htmx asked for a fragment (not a boosted page or a history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
        and headers.get("HX-Request-Type") != "full"
    )


def render(template: str, partial: str | None = None, status: int = 200, **context):
    """Render the full page, or just `partial` when htmx asks for a fragment."""
    name = partial if partial and is_fragment_request() else template
    response = make_response(render_template(name, **context), status)
    response.vary.add("HX-Request")
    return response


def form_error(form: FlaskForm, err: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    db.session.rollback()
    field = getattr(err, "errors", None) or {}
    if field:
        for name, messages in field.items():
            target = form[name].errors if name in form else form.form_errors
            target.extend(messages)
    elif err.field and err.field in form:
        form[err.field].errors.append(err.message)
    else:
        form.form_errors.append(err.message)


def form_status(form: FlaskForm) -> int:
    """422 when a submitted form comes back with errors, 200 otherwise."""
    return 422 if form.is_submitted() and (form.errors or form.form_errors) else 200
