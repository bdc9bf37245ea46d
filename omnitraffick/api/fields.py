"""The kinds of field the API reads and writes, each with its checks, messages and JSON Schema.

A request field (`Input` and its kinds) checks what the API has always checked itself: the
JSON type, NUL characters, blanks in a required field, a UUID's form, an integer's range.
It hands the value on as sent (a JSON number stays a number, an id a string); the service
that takes it parses it and applies the business rules, in the words the pages use too. The
JSON Schema a field documents (`Input.openapi`) also states those rules where a schema can
(code patterns, country and currency enums, lengths, ranges), so that a client, and
schemathesis, can tell valid data from invalid without asking.

Answer fields are marshmallow's own, plus `Time` (models.iso) and `Money`
(currencies.amount_text).
"""

import uuid
from decimal import Decimal

from marshmallow import fields, missing

from ..models import iso
from ..services import currencies, taxonomy

# --- JSON Schema fragments --------------------------------------------------------------------

# No text may hold NUL (\u0000): no database stores it, so the app refuses it (422).
NO_NUL = r"^[^\x00]*$"
# What Python's str.strip() removes (the services trim with it), as the inside of a regex
# character class: ECMA-262's \s differs (it leaves \x1c-\x1f and \x85, and takes \ufeff).
SPACES = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
BLANKS = rf"[{SPACES}]*"
# A character that is neither blank nor NUL.
TEXT = rf"[^{SPACES}\x00]"
CODE_RULES = (
    f"ASCII letters, digits and single underscores between them, at most "
    f"{taxonomy.MAX_CODE_LENGTH} characters; upper-cased and trimmed when saved."
)
# Up to 15 digits (MAX_BUDGET), optionally with thousands separators, and up to 3 decimals.
AMOUNT_PATTERN = (
    rf"^{BLANKS}(?:[0-9]{{1,15}}|[0-9]{{1,3}}(?:,[0-9]{{3}}){{1,4}})(?:\.[0-9]{{0,3}})?{BLANKS}$"
)
DECIMAL_PATTERN = r"^[0-9]+(?:\.[0-9]+)?$"
UUID_EXAMPLE = "3f2b8c1e-5d4a-4c7b-9e1f-0a2b3c4d5e6f"
INT32 = (-(2**31), 2**31 - 1)


def string(description: str | None = None, **keywords) -> dict:
    schema = {"type": "string", **keywords}
    if description:
        schema["description"] = description
    return schema


def enum_of(enum_cls, description: str | None = None) -> dict:
    return string(description, enum=[member.value for member in enum_cls])


def any_case(enum_cls, description: str) -> dict:
    return enum_of(enum_cls, f"{description} Case-insensitive; stored upper-case.")


def trimmed_text(label: str, max_length: int) -> dict:
    """Free text that is trimmed, may not be blank and is at most `max_length` once trimmed."""
    return string(
        f"{label}; trimmed, 1 to {max_length} characters.",
        pattern=rf"^{BLANKS}{TEXT}(?:[^\x00]{{0,{max_length - 2}}}{TEXT})?{BLANKS}$",
    )


def code(label: str, example: str, reserved: str | None = None) -> dict:
    """A taxonomy code; the lookaheads cap its length and refuse a reserved word."""
    n = taxonomy.MAX_CODE_LENGTH
    refuse = ""
    if reserved:
        letters = "".join(f"[{c.upper()}{c.lower()}]" for c in reserved)
        refuse = rf"(?!{BLANKS}{letters}{BLANKS}$)"
    return string(
        f"{label}: {CODE_RULES}",
        pattern=(
            rf"^{refuse}{BLANKS}(?=[A-Za-z0-9_]{{1,{n}}}{BLANKS}$)"
            rf"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*{BLANKS}$"
        ),
        examples=[example],
    )


def amount(description: str = "") -> dict:
    """A money amount in a request: a JSON number or a decimal string."""
    maximum = int(currencies.MAX_BUDGET)
    return {
        "description": (
            f"{description} A number or a decimal string (commas are ignored), 0 to "
            f"{maximum:,}, with no more decimals than the market's currency has "
            "(2 for USD, 0 for JPY, 3 for KWD); otherwise 422."
        ).strip(),
        "anyOf": [
            {"type": "number", "minimum": 0, "maximum": maximum},
            string(pattern=AMOUNT_PATTERN),
        ],
        "examples": ["1500.00", 1500],
    }


# --- request fields ---------------------------------------------------------------------------


def holds_nul(value) -> bool:
    """Whether `value`, or any text inside it, holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


class Input(fields.Field):
    """A field of a request body: its JSON types, checked in the API's words.

    Its metadata is JSON Schema (description, pattern, enum, ...) laid over the kind's own.
    """

    accepts: tuple[type, ...] = (str,)  # the JSON types it takes; a boolean is never a number
    kind = "a string"  # those types, as the message names them
    schema: dict = {"type": "string"}  # the kind's JSON Schema
    default_error_messages = {
        "required": "{name} is required.",
        "invalid": "{name} must be {kind}.",
        "nul": "{name} cannot contain NUL (\\u0000) characters.",
    }

    def error(self, key: str):
        return self.make_error(key, name=self.name, kind=self.kind)

    def _validate_missing(self, value):
        # A required field sent as null or "" is as missing as one left out.
        if self.required and (value is missing or value is None or value == ""):
            raise self.error("required")
        if value is None and not self.allow_none:
            raise self.error("invalid")

    def _deserialize(self, value, attr, data, **kwargs):
        if holds_nul(value):
            raise self.error("nul")
        if isinstance(value, bool) or not isinstance(value, self.accepts):
            raise self.error("invalid")
        self.check(value)
        return value

    def check(self, value) -> None:
        """Refuse a value of the right type that the kind cannot take."""

    def openapi(self) -> dict:
        """The JSON Schema of the values this field takes."""
        schema = {**self.schema, **self.metadata}
        if self.allow_none:
            schema = _or_null(schema)
        return schema


def _or_null(schema: dict) -> dict:
    """`schema`, also allowing null."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    schema = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


class Text(Input):
    """A string; null only where `allow_none`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.allow_none:
            self.kind = "a string or null"


class Id(Input):
    """A UUID string naming a row (the service answers 422 if there is none)."""

    kind = "a UUID string"
    schema = string(format="uuid", examples=[UUID_EXAMPLE])
    default_error_messages = {"uuid": "{name} must be a UUID, e.g. 3f2b8c1e-..."}

    def check(self, value):
        try:
            uuid.UUID(value)
        except ValueError:
            raise self.error("uuid") from None


class Whole(Input):
    """A 32-bit integer; 1.0 is the integer 1 in JSON."""

    accepts = (int,)
    kind = "an integer"
    schema = {"type": "integer", "minimum": INT32[0], "maximum": INT32[1]}
    default_error_messages = {"range": "{name} is out of range."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)

    def check(self, value):
        if not INT32[0] <= value <= INT32[1]:
            raise self.error("range")


class Year(Whole):
    """A four-digit year, as a number or a string (blank: the current year)."""

    accepts = (int, str)
    kind = "a four-digit year"
    schema = {
        "description": (
            f"Four digits, {taxonomy.MIN_YEAR} to {taxonomy.MAX_YEAR}; "
            "blank or left out: the current year."
        ),
        "anyOf": [
            {"type": "integer", "minimum": taxonomy.MIN_YEAR, "maximum": taxonomy.MAX_YEAR},
            string(pattern=rf"^{BLANKS}(?:20[0-9][0-9]|2100)?{BLANKS}$"),
        ],
    }

    def check(self, value):
        """The service checks the range, in the words the form uses too."""


class Amount(Input):
    """Money: a JSON number or a decimal string (null clears it where `allow_none`)."""

    accepts = (str, int, float)
    kind = 'a decimal number or string, e.g. "1500.00"'
    default_error_messages = {
        "finite": "{name} must be a finite number.",
        "blank": "{name} must be a number; send null to clear it.",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.allow_none:
            self.kind = "a decimal number or string, or null"

    def check(self, value):
        if self.allow_none and isinstance(value, str) and not value.strip():
            raise self.error("blank")
        if isinstance(value, float) and not Decimal(str(value)).is_finite():
            raise self.error("finite")

    def openapi(self) -> dict:
        schema = amount(self.metadata.get("description", ""))
        return _or_null(schema) if self.allow_none else schema


class Strings(Input):
    """A JSON array of strings (NUL-free), handed whole to the service that reads it."""

    accepts = (list,)
    kind = "a list of strings"
    schema = {"type": "array", "items": {"type": "string", "pattern": NO_NUL}}

    def check(self, value) -> None:
        if not all(isinstance(item, str) for item in value):
            raise self.error("invalid")


class StringMap(Input):
    """A JSON object of strings by name (NUL-free), handed whole to the service."""

    accepts = (dict,)
    kind = "an object of strings"
    schema = {
        "type": "object",
        "propertyNames": {"pattern": NO_NUL},
        "additionalProperties": {"type": "string", "pattern": NO_NUL},
    }

    def check(self, value) -> None:
        if not all(isinstance(item, str) for item in value.values()):
            raise self.error("invalid")


class Object(Input):
    """A JSON object, handed whole to the service that reads it."""

    accepts = (dict,)
    kind = "an object"
    schema = {"type": "object"}


# --- answer fields ----------------------------------------------------------------------------


class Time(fields.Field):
    """A stored time as ISO 8601 with its UTC offset (models.iso)."""

    def __init__(self, description: str = "ISO 8601 with time zone (UTC).", **kwargs):
        super().__init__(metadata=string(description, format="date-time"), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


class Money(fields.Field):
    """An amount as a decimal string with its currency's decimals (currencies.amount_text);
    `currency_of(row)` says which currency."""

    def __init__(self, currency_of, description: str, **kwargs):
        metadata = string(description, pattern=DECIMAL_PATTERN, examples=["1500.00"])
        super().__init__(metadata=metadata, **kwargs)
        self.currency_of = currency_of

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else currencies.amount_text(value, self.currency_of(obj))
