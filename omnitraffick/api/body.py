"""Reading and checking JSON request bodies (query arguments: services/queries.py)."""

import uuid
from decimal import Decimal

from flask import request
from flask.json.provider import DefaultJSONProvider

from ..services.errors import DomainError, ValidationError


class BadRequest(DomainError):
    status_code = 400


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing a document nested too deeply for the parser with a 400.

    The parser recurses per level and raises RecursionError (not the ValueError that
    `get_json` turns into a 400) on a body such as 100,000 `[`; every reader of a JSON body,
    the API's and Flask-WTF's alike, parses through here.
    """

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise BadRequest(
                "The JSON body is nested too deeply to read "
                "(no OmniTraffick request needs more than a few levels)."
            ) from None


# Field kinds a body may hold, and what each accepts.
KINDS = {
    "string": (str,),
    "uuid": (str,),
    "integer": (int,),
    "decimal": (str, int, float),
    "year": (int, str),
    "object": (dict,),
    "nullable_string": (str, type(None)),
    "nullable_decimal": (str, int, float, type(None)),
}
KIND_NAMES = {
    "string": "a string",
    "uuid": "a UUID string",
    "integer": "an integer",
    "decimal": 'a decimal number or string, e.g. "1500.00"',
    "year": "a four-digit year",
    "object": "an object",
    "nullable_string": "a string or null",
    "nullable_decimal": "a decimal number or string, or null",
}


def json_body(fields: dict[str, str], required: tuple[str, ...] = ()) -> dict:
    """The request's JSON object, with unknown fields, wrong types and gaps refused (422)."""
    data = request.get_json(silent=True)
    if data is None and request.get_data().strip() != b"null":
        raise BadRequest("The body must be valid JSON (Content-Type: application/json).")
    if not isinstance(data, dict):
        raise ValidationError("The body must be a JSON object.")
    errors: dict[str, list[str]] = {}
    for name in sorted(set(data) - set(fields)):
        errors[name] = [f"Unknown field {name!r}; allowed: {', '.join(sorted(fields))}."]
    for name in required:
        if data.get(name) in (None, ""):
            errors.setdefault(name, []).append(f"{name} is required.")
    for name, kind in fields.items():
        if name not in data or name in errors:
            continue
        value = data[name]
        if kind in ("integer", "year") and isinstance(value, float) and value.is_integer():
            value = data[name] = int(value)  # 1.0 is the integer 1 in JSON
        if _holds_nul(value):
            errors[name] = [f"{name} cannot contain NUL (\\u0000) characters."]
            continue
        if isinstance(value, bool) or not isinstance(value, KINDS[kind]):
            errors[name] = [f"{name} must be {KIND_NAMES[kind]}."]
            continue
        if kind == "nullable_decimal" and isinstance(value, str) and not value.strip():
            errors[name] = [f"{name} must be a number; send null to clear it."]
        elif kind == "uuid":
            try:
                uuid.UUID(value)
            except ValueError:
                errors[name] = [f"{name} must be a UUID, e.g. 3f2b8c1e-..."]
        elif (
            kind in ("decimal", "nullable_decimal")
            and isinstance(value, float)
            and not Decimal(str(value)).is_finite()
        ):
            errors[name] = [f"{name} must be a finite number."]
        elif kind == "integer" and not -(2**31) <= value < 2**31:
            errors[name] = [f"{name} is out of range."]
    if errors:
        message = " ".join(m for ms in errors.values() for m in ms)
        raise ValidationError(message, errors=errors)
    return data


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False
