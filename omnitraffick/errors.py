"""Map domain errors and HTTP errors to responses: the one place that does so."""

from contextlib import suppress

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db, login_manager
from .services.errors import (
    Conflict,
    DomainError,
    Duplicate,
    Forbidden,
    NotFound,
    Throttled,
    TooLarge,
    Unauthorized,
    Unavailable,
    Unsupported,
    ValidationError,
)

TITLES = {
    400: "That request could not be understood",
    401: "Please sign in",
    403: "You don't have access to this",
    404: "Not found",
    405: "That action isn't allowed here",
    409: "That clashes with the current state",
    415: "That kind of file cannot be read here",
    413: "That upload is too large",
    422: "Some input needs fixing",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "OmniTraffick is unavailable for a moment",
}
# The HTTP status of each kind of domain error: services raise them, and pages and the API
# answer with these statuses. A kind not listed answers as its nearest listed ancestor.
STATUS_OF = {
    DomainError: 400,
    ValidationError: 422,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Duplicate: 400,
    Conflict: 409,
    TooLarge: 413,
    Unsupported: 415,
    Throttled: 429,
    Unavailable: 503,
}


def http_status(err: DomainError) -> int:
    """The HTTP status a domain error is answered with (STATUS_OF)."""
    return next(STATUS_OF[kind] for kind in type(err).__mro__ if kind in STATUS_OF)


# What a 503 asks clients to wait before trying again.
RETRY_AFTER_SECONDS = 30
# The database cannot be reached, or refused to go on (a lost connection, a full pool, a
# locked SQLite file): the request may well work a little later.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


def wants_json() -> bool:
    return request.path.startswith("/api/v1/")


def error_response(status: int, message: str, errors: dict | None = None):
    """Render an error as JSON for the API, or as a friendly page for people."""
    if wants_json():
        body = {"detail": message}
        if errors:
            body["errors"] = errors
        response = make_response(jsonify(body), status)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="OmniTraffick API"'
    else:
        title = TITLES.get(status, "Error")
        page = render_template("errors/error.html", status=status, title=title, message=message)
        response = make_response(page, status)
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def error_headers(err: DomainError) -> dict[str, str]:
    """Headers an error's response carries: when to try again after a 429."""
    retry_after = getattr(err, "retry_after", None)
    return {"Retry-After": str(retry_after)} if retry_after is not None else {}


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        db.session.rollback()
        response = error_response(http_status(err), err.message, getattr(err, "errors", None))
        response.headers.update(error_headers(err))
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        return error_response(
            400,
            "This form has expired or was not sent from OmniTraffick. "
            "Reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        messages = {
            403: "Your role does not allow this. Ask an admin if you need access.",
            404: "There is nothing at this address. It may have been deleted.",
            413: f"The request body is larger than {_megabytes(request.max_content_length)}.",
        }
        response = error_response(err.code or 500, messages.get(err.code, err.description))
        if err.code == 405 and getattr(err, "valid_methods", None):
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    for exception in DATABASE_UNAVAILABLE:
        app.register_error_handler(exception, database_unavailable)

    @app.errorhandler(InternalServerError)
    def server_error(err):
        db.session.rollback()
        return error_response(
            500, "The error has been logged. Try again, or tell the team what you did."
        )


def _megabytes(size: int | None) -> str:
    return f"{(size or 0) / (1024 * 1024):g} MB"


def database_unavailable(err: SQLAlchemyError):
    """503 with Retry-After: the database is down or busy, not the request at fault."""
    current_app.logger.warning("Database unavailable: %s", getattr(err, "orig", None) or err)
    # The connection may be gone already; the session is discarded at teardown anyway.
    with suppress(SQLAlchemyError):
        db.session.rollback()
    # The page must not ask the database who is signed in (it would fail again), nor read
    # the user's expired attributes: it renders as for a visitor.
    g._login_user = login_manager.anonymous_user()
    return error_response(
        503,
        "OmniTraffick cannot reach its database right now. "
        f"Try again in {RETRY_AFTER_SECONDS} seconds.",
    )
