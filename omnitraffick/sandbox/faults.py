"""Faults a test asks for: errors, slow answers and lost responses on platform requests.

A fault is consumed by the first platform request it matches (oldest fault first), `times`
times; with `after`, that many matching requests go through untouched first (so a test can
fail the second ad's create and not the first). Each platform module turns a fault into an
error in its own shape.
"""

from dataclasses import asdict, dataclass

PLATFORM_CHOICES = ("meta", "tiktok", "google", "*")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
FIELDS = (
    "platform",
    "path_contains",
    "method",
    "status",
    "times",
    "after",
    "retry_after",
    "delay",
    "after_effect",
    "message",
)
# A client under test should time out long before this; a larger delay is a typo.
MAX_DELAY_SECONDS = 60.0


class FaultSpecError(ValueError):
    """A fault request that cannot be used."""


@dataclass
class Fault:
    id: int
    platform: str = "*"
    path_contains: str | None = None
    method: str | None = None
    status: int | None = None
    times: int = 1
    after: int = 0
    retry_after: int | None = None
    delay: float | None = None
    after_effect: bool = False
    message: str | None = None

    def matches(self, platform: str, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        return (
            self.platform in ("*", platform)
            and (self.method is None or self.method == method)
            and (self.path_contains is None or self.path_contains in path)
        )

    def to_dict(self) -> dict:
        return asdict(self)


def parse_fault(data: object) -> dict:
    """Check a fault request and return its fields with defaults filled in."""
    if not isinstance(data, dict):
        raise FaultSpecError("The body must be a JSON object.")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise FaultSpecError(f"Unknown field(s): {', '.join(unknown)}. Known: {', '.join(FIELDS)}.")

    platform = data.get("platform", "*")
    if platform not in PLATFORM_CHOICES:
        raise FaultSpecError(f"platform must be one of {', '.join(PLATFORM_CHOICES)}.")
    path_contains = _optional_text(data, "path_contains")
    method = _optional_text(data, "method")
    if method is not None:
        method = method.upper()
        if method not in METHODS:
            raise FaultSpecError(f"method must be one of {', '.join(METHODS)}.")
    status = _optional_int(data, "status", minimum=400)
    if status is not None and status > 599:
        raise FaultSpecError("status must be an HTTP error status, 400 to 599.")
    times = _optional_int(data, "times", minimum=1)
    after = _optional_int(data, "after", minimum=0)
    retry_after = _optional_int(data, "retry_after", minimum=0)
    delay = data.get("delay")
    if delay is not None:
        if isinstance(delay, bool) or not isinstance(delay, int | float):
            raise FaultSpecError("delay must be a number of seconds.")
        if not 0 <= delay <= MAX_DELAY_SECONDS:
            raise FaultSpecError(f"delay must be between 0 and {MAX_DELAY_SECONDS:g} seconds.")
        delay = float(delay)
    after_effect = data.get("after_effect", False)
    if not isinstance(after_effect, bool):
        raise FaultSpecError("after_effect must be true or false.")
    message = _optional_text(data, "message")

    if status is None and not delay:
        raise FaultSpecError("A fault needs a status, a delay, or both.")
    if retry_after is not None and status is None:
        raise FaultSpecError("retry_after is sent with an error status; give a status too.")
    return {
        "platform": platform,
        "path_contains": path_contains,
        "method": method,
        "status": status,
        "times": 1 if times is None else times,
        "after": after or 0,
        "retry_after": retry_after,
        "delay": delay,
        "after_effect": after_effect,
        "message": message,
    }


def _optional_text(data: dict, name: str) -> str | None:
    value = data.get(name)
    if value is not None and (not isinstance(value, str) or not value):
        raise FaultSpecError(f"{name} must be a non-empty string.")
    return value


def _optional_int(data: dict, name: str, minimum: int) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FaultSpecError(f"{name} must be an integer, at least {minimum}.")
    return value
