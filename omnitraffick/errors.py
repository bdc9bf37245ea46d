"""Map domain errors and HTTP errors to responses: the one place that does so."""

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .services.errors import DomainError

TITLES = {
    400: "That request could not be understood",
    401: "Please sign in",
    403: "You don't have access to this",
    404: "Not found",
    405: "That action isn't allowed here",
    409: "That clashes with the current state",
    413: "That upload is too large",
    422: "Some input needs fixing",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


def wants_json() -> bool:
    return request.path.startswith("/api/v1/")


def error_response(status: int, message: str, errors: dict | None = None):
    """Render an error as JSON for the API, or as a friendly page for people."""
    if wants_json():
        body = {"detail": message}
        if errors:
            body["errors"] = errors
        response = jsonify(body)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="OmniTraffick API"'
        return response, status
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def error_headers(err: DomainError) -> dict[str, str]:
    """Headers an error's response carries: when to try again after a 429."""
    retry_after = getattr(err, "retry_after", None)
    return {"Retry-After": str(retry_after)} if retry_after is not None else {}


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        db.session.rollback()
        response, status = error_response(
            err.status_code, err.message, getattr(err, "errors", None)
        )
        return response, status, error_headers(err)

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
            413: "The request body is larger than 1 MB.",
        }
        response, status = error_response(err.code or 500, messages.get(err.code, err.description))
        if err.code == 405 and getattr(err, "valid_methods", None):
            response = make_response(response, status)
            response.headers["Allow"] = ", ".join(err.valid_methods)
            return response
        return response, status

    @app.errorhandler(InternalServerError)
    def server_error(err):
        db.session.rollback()
        return error_response(
            500, "The error has been logged. Try again, or tell the team what you did."
        )
