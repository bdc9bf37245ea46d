"""Domain errors: what a service refuses, and why, in its own terms.

They carry no HTTP status: one place, omnitraffick.errors.http_status, maps each kind to
the status pages and the API answer with.
"""


class DomainError(Exception):
    """A rule refused the request; `field` names the input at fault, if one is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """Input that fails validation, optionally with one message per field."""

    def __init__(self, message: str, field: str | None = None, errors: dict | None = None):
        super().__init__(message, field)
        self.errors = errors or ({field: [message]} if field else {})


class Unauthorized(DomainError):
    """No one is signed in, or the credentials are no good."""


class Forbidden(DomainError):
    """Signed in, but the user's role does not allow this."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not the caller's to see)."""


class Duplicate(DomainError):
    """A second row with a value that must be unique."""


class Conflict(DomainError):
    """The request clashes with the current state: a row in use, a stale page, a bad move."""


class Throttled(DomainError):
    """Too many attempts: `retry_after` says in how many seconds the next one is allowed."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """A service the request needs (e.g. the job queue) cannot be reached right now."""


class TooLarge(ValidationError):
    """More rows or bytes than the service takes at once."""


class Unsupported(ValidationError):
    """Input in a format the service does not read."""
