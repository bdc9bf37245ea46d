"""Domain errors. One place (omnitraffick.errors) maps them to HTTP."""


class DomainError(Exception):
    """A rule refused the request; `field` names the input at fault, if one is."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """Input that fails validation, optionally with one message per field."""

    status_code = 422

    def __init__(self, message: str, field: str | None = None, errors: dict | None = None):
        super().__init__(message, field)
        self.errors = errors or ({field: [message]} if field else {})


class Unauthorized(DomainError):
    """No one is signed in, or the credentials are no good."""

    status_code = 401


class Forbidden(DomainError):
    """Signed in, but the user's role does not allow this."""

    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Duplicate(DomainError):
    status_code = 400


class Conflict(DomainError):
    """The request clashes with the current state: a row in use, a stale page, a bad move."""

    status_code = 409


class Throttled(DomainError):
    """Too many attempts: `retry_after` says in how many seconds the next one is allowed."""

    status_code = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """A service the request needs (e.g. the job queue) cannot be reached right now."""

    status_code = 503
