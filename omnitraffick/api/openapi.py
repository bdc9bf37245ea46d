"""The OpenAPI 3.1 document for /api/v1, served at /api/v1/openapi.json.

The document is built by small helpers from the same enums and limits the services use, so
it cannot drift from them. Paths are relative to the one server, `/api/v1`.
"""

from dataclasses import dataclass, field
from functools import cache

from flask import jsonify

from ..models import AttemptOutcome, CampaignStatus, RequestType, SendState, TicketStatus
from ..services import campaigns, currencies, taxonomy
from ..services.countries import country_choices
from ..services.currencies import active_currencies
from ..services.settings import BudgetType, DeliveryStatus, Objective
from . import bp

MAX_BODY = "1 MB"
MAX_LIMIT, DEFAULT_LIMIT, MAX_OFFSET = 500, 50, 10**9
# What gunicorn (the HTTP server) refuses before the app sees the request: its defaults
# limit_request_line, limit_request_fields and limit_request_field_size.
MAX_REQUEST_LINE, MAX_HEADERS, MAX_HEADER_SIZE = 4094, 100, 8190

DESCRIPTION = f"""\
The JSON API of OmniTraffick: reference data (markets, brands, channels), campaigns and
tickets. Scripts can do with it everything the UI does with them, under the same rules.

## Authentication
Send a personal API token in every request: `Authorization: Bearer <token>`.
Create one with `flask tokens create EMAIL [--name NAME]` (the token is printed once, on its
own last line) or on your profile page, where tokens can also be listed and revoked.
A token acts as its user: viewers can read, traffickers and admins can change campaigns and
tickets, and only admins can change reference data. A signed-in browser session works too,
but must send its CSRF token (`X-CSRFToken`) with every request that changes something.
This document itself needs no authentication.

## Requests and responses
Bodies are JSON objects (`Content-Type: application/json`, at most {MAX_BODY}); field names
are the column names and ids are UUID strings. Unknown fields are refused, and so is text
holding NUL (`\\u0000`) anywhere, in a body or a query argument. Timestamps are
ISO 8601 with a time zone (UTC); budgets are decimal strings with the market currency's
number of decimals (`"1500.00"`, `"1500"` for JPY). Lists take `limit` (1 to {MAX_LIMIT},
default {DEFAULT_LIMIT}) and `offset`, return a JSON array and send the total number of
matching rows in the `X-Total-Count` header.

## Errors
Every error is a JSON object: `{{"detail": "what went wrong"}}`, plus, when particular
fields are at fault, `"errors": {{"field": ["message", ...]}}`.

- 200 OK, 201 Created (with the new row), 202 Accepted (a send queued), 204 No Content
  (deleted).
- 400: malformed JSON, or JSON nested too deeply; a duplicate (campaign name, market code,
  brand name or code, channel code); a browser session without a valid CSRF token. A request
  line longer than {MAX_REQUEST_LINE:,} bytes is refused by the HTTP server before the app
  sees it, with an HTML page.
- 401: no token, or an invalid or revoked one (with `WWW-Authenticate: Bearer`).
- 403: your role may not do this.
- 404: no row with that id (also for an id that is not a UUID).
- 405: that method is not allowed on that path.
- 409: clashes with the current state: an illegal ticket or campaign status move, a stale
  ticket `version`, deleting or recoding a row that others use.
- 413: the body is larger than {MAX_BODY}.
- 422: the body or a query argument fails validation, an id in it points at no row, or a
  query parameter the operation does not take. Rules no schema states are 422s too, naming
  the field: a budget with more decimals than its currency has, a ceiling without its
  currency, an `external_platform_id` or `qa_failure_reason` without a status move.
- 431: more than {MAX_HEADERS} request headers, or one longer than {MAX_HEADER_SIZE:,} bytes:
  refused by the HTTP server, with an HTML page.
- 503: the database (or, to send a ticket, the job queue) cannot be reached right now; try
  again after `Retry-After` seconds.

Every operation may answer 400, 422, 431 and 503 as above; each lists the others it can.
"""

# No text may hold NUL (\u0000): no database stores it, so the app refuses it (422).
NO_NUL = r"^[^\x00]*$"
# A character that is neither blank nor NUL. (What Python's str.strip() removes is what
# ECMA-262's \s matches, for all practical input.)
TEXT = r"[^\s\x00]"
CODE_RULES = (
    f"ASCII letters, digits and single underscores between them, at most "
    f"{taxonomy.MAX_CODE_LENGTH} characters; upper-cased and trimmed when saved."
)


# --- schema helpers ---------------------------------------------------------------------------


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def string(description: str | None = None, **keywords) -> dict:
    schema = {"type": "string", **keywords}
    if description:
        schema["description"] = description
    return schema


def nullable(schema: dict) -> dict:
    """The same schema, also allowing null."""
    return {**schema, "type": [schema["type"], "null"]}


def enum_of(enum_cls, description: str | None = None) -> dict:
    return string(description, enum=[member.value for member in enum_cls])


def obj(properties: dict, required: tuple | list | None = None, description: str | None = None):
    """A closed object; every property is required unless `required` says otherwise."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else list(required),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def trimmed_text(label: str, max_length: int) -> dict:
    """Free text that is trimmed, may not be blank and is at most `max_length` once trimmed."""
    return string(
        f"{label}; trimmed, 1 to {max_length} characters.",
        pattern=rf"^\s*{TEXT}(?:[^\x00]{{0,{max_length - 2}}}{TEXT})?\s*$",
    )


def code(label: str, example: str, reserved: str | None = None) -> dict:
    """A taxonomy code; the lookaheads cap its length and refuse a reserved word."""
    n = taxonomy.MAX_CODE_LENGTH
    refuse = ""
    if reserved:
        any_case = "".join(f"[{c.upper()}{c.lower()}]" for c in reserved)
        refuse = rf"(?!\s*{any_case}\s*$)"
    return string(
        f"{label}: {CODE_RULES}",
        pattern=rf"^{refuse}\s*(?=[A-Za-z0-9_]{{1,{n}}}\s*$)[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*\s*$",
        examples=[example],
    )


# Up to 15 digits (MAX_BUDGET), optionally with thousands separators, and up to 3 decimals.
AMOUNT_PATTERN = r"^\s*(?:[0-9]{1,15}|[0-9]{1,3}(?:,[0-9]{3}){1,4})(?:\.[0-9]{0,3})?\s*$"
UUID = string(format="uuid", examples=["3f2b8c1e-5d4a-4c7b-9e1f-0a2b3c4d5e6f"])
TIMESTAMP = string("ISO 8601 with time zone (UTC).", format="date-time")
DECIMAL_STRING = string(
    "A non-negative decimal string with the currency's number of decimals.",
    pattern=r"^[0-9]+(?:\.[0-9]+)?$",
    examples=["1500.00"],
)


def amount_input(description: str) -> dict:
    """A money amount in a request: a JSON number or a decimal string."""
    maximum = int(currencies.MAX_BUDGET)
    return {
        "description": (
            f"{description} A number or a decimal string (commas are ignored), 0 to "
            f"{maximum:,}, with no more decimals than the market's currency has "
            "(2 for USD, 0 for JPY, 3 for KWD); otherwise 422."
        ),
        "anyOf": [
            {"type": "number", "minimum": 0, "maximum": maximum},
            string(pattern=AMOUNT_PATTERN),
        ],
        "examples": ["1500.00", 1500],
    }


def setting(schema: dict) -> dict:
    """A ticket setting in a request: its value, or null or a blank string for "not set"."""
    value = {k: v for k, v in schema.items() if k != "description"}
    return {
        "description": schema.get("description", ""),
        "anyOf": [value, {"type": "null"}, string(pattern=r"^\s*$")],
    }


def version_input(description: str) -> dict:
    """A ticket version sent back: a 32-bit integer, as the API checks (out of range: 422)."""
    return {
        "type": "integer",
        "minimum": -(2**31),
        "maximum": 2**31 - 1,
        "description": description,
    }


def case_insensitive(enum_cls, description: str) -> dict:
    return enum_of(enum_cls, f"{description} Case-insensitive; stored upper-case.")


# --- components -------------------------------------------------------------------------------


def common_properties() -> dict:
    return {"id": UUID, "created_at": TIMESTAMP, "updated_at": TIMESTAMP}


def payload_config(*, request: bool) -> dict:
    """A ticket's platform settings; in a request each may also be null or blank (not set)."""
    values = {
        "objective": case_insensitive(Objective, "The campaign objective."),
        "budget_type": case_insensitive(BudgetType, "Daily or lifetime budget."),
        "budget_amount": (
            amount_input("The budget on the platform.")
            if request
            else string("A decimal string.", pattern=r"^[0-9]+(?:\.[0-9]+)?$")
        ),
        "flight_start": string("First day, YYYY-MM-DD.", format="date"),
        "flight_end": string("Last day, YYYY-MM-DD.", format="date"),
        "landing_url": string(
            "An http(s) address, at most 2,000 characters.",
            format="uri",
            pattern=r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#\x00]+[^\s\x00]*\s*$",
            maxLength=2000,
        ),
        "initial_status": case_insensitive(
            DeliveryStatus, "The status the platform object is created with; default PAUSED."
        ),
        "target_status": case_insensitive(DeliveryStatus, "The status to set (UPDATE_STATUS)."),
    }
    if request:
        values = {name: setting(schema) for name, schema in values.items()}
    return obj(
        values,
        required=(),
        description=(
            "Platform settings. CREATE_CAMPAIGN uses objective, budget_type, budget_amount, "
            "flight_start, flight_end, landing_url and initial_status; UPDATE_BUDGET uses "
            "budget_type and budget_amount; UPDATE_STATUS uses target_status. A DRAFT ticket "
            "may be incomplete; QA reports what is missing. Blank values are left out, and so are "
            "settings that the request type does not use."
        ),
    )


def schemas() -> dict:
    return {
        "Error": obj(
            {
                "detail": string("What went wrong, in plain words."),
                "errors": {
                    "type": "object",
                    "description": "Messages per field at fault.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            required=("detail",),
        ),
        "Market": obj(
            common_properties()
            | {
                "code": string("Upper-case market code.", examples=["US"]),
                "country": string("ISO 3166-1 alpha-2 code.", examples=["HU"]),
                "region": string(),
                "currency": string("ISO 4217 code.", examples=["USD"]),
            }
        ),
        "MarketCreate": obj(market_inputs()),
        "MarketUpdate": obj(
            market_inputs(),
            required=(),
            description=(
                "Fields left out keep their values. The code cannot change once campaigns use "
                "the market, nor the currency (409)."
            ),
        ),
        "Brand": obj(
            common_properties()
            | {
                "name": string(),
                "internal_code": string("Upper-case brand code."),
                "daily_budget_ceiling": nullable(
                    string("Pre-flight QA blocks daily budgets above this (decimal string).")
                ),
                "lifetime_budget_ceiling": nullable(
                    string("Pre-flight QA blocks lifetime budgets above this (decimal string).")
                ),
                "ceiling_currency": nullable(string("ISO 4217 currency of the ceilings.")),
            }
        ),
        "BrandCreate": obj(brand_inputs(), required=("name", "internal_code")),
        "BrandUpdate": obj(
            brand_inputs(),
            required=(),
            description="Fields left out keep their values; a used code cannot change (409).",
        ),
        "Channel": obj(
            common_properties()
            | {
                "platform_name": string(examples=["Meta"]),
                "api_identifier": string("Upper-case channel code.", examples=["META"]),
            }
        ),
        "ChannelCreate": obj(channel_inputs()),
        "ChannelUpdate": obj(
            channel_inputs(),
            required=(),
            description="Fields left out keep their values; a used code cannot change (409).",
        ),
        "NameParts": obj(
            {
                "brand": string(),
                "market": string(),
                "channel": string(examples=[taxonomy.MULTI_CHANNEL]),
                "year": {"type": "integer"},
                "campaign": string(),
            },
            description="The generated name decoded into its parts.",
        ),
        "Campaign": obj(
            common_properties()
            | {
                "name": string(
                    "Generated: BRAND_MARKET_MULTI_YEAR_CampaignName; unique, never changes.",
                    examples=["DIS_US_MULTI_2026_MoanaLaunch"],
                ),
                "campaign_name": string("The name as typed."),
                "brand_id": UUID,
                "market_id": UUID,
                "year": {"type": "integer", "minimum": taxonomy.MIN_YEAR},
                "budget": DECIMAL_STRING,
                "currency": string("The market's ISO 4217 currency."),
                "status": enum_of(CampaignStatus),
                "created_by_id": nullable(UUID),
                "name_parts": ref("NameParts"),
            }
        ),
        "CampaignCreate": obj(
            {
                "brand_id": string("The brand (422 if there is none).", format="uuid"),
                "market_id": string("The market (422 if there is none).", format="uuid"),
                "campaign_name": string(
                    "Keeps only ASCII letters and digits for the name (1 to "
                    f"{taxonomy.MAX_CAMPAIGN_PART_LENGTH} of them); a name that differs from "
                    "an existing one only in letter case is a duplicate (400).",
                    pattern=(
                        r"^[^A-Za-z0-9\x00]*(?:[A-Za-z0-9][^A-Za-z0-9\x00]*)"
                        f"{{1,{taxonomy.MAX_CAMPAIGN_PART_LENGTH}}}$"
                    ),
                    examples=["Moana Launch"],
                ),
                "year": {
                    "description": (
                        f"Four digits, {taxonomy.MIN_YEAR} to {taxonomy.MAX_YEAR}; "
                        "blank or left out: the current year."
                    ),
                    "anyOf": [
                        {
                            "type": "integer",
                            "minimum": taxonomy.MIN_YEAR,
                            "maximum": taxonomy.MAX_YEAR,
                        },
                        string(pattern=r"^\s*(?:20[0-9][0-9]|2100)?\s*$"),
                    ],
                },
                "budget": amount_input("The campaign budget."),
                "status": string(
                    "A new campaign starts as DRAFT (default) or ACTIVE; case-insensitive.",
                    enum=[s.value for s in campaigns.INITIAL_STATUSES],
                ),
            },
            required=("brand_id", "market_id", "campaign_name", "budget"),
        ),
        "CampaignUpdate": obj(
            {
                "budget": amount_input("The new budget."),
                "status": case_insensitive(
                    CampaignStatus,
                    "DRAFT -> ACTIVE -> PAUSED <-> ACTIVE, ACTIVE or PAUSED -> COMPLETED; "
                    "any other move is a 409.",
                ),
            },
            required=(),
            description=(
                "Only budget and status change; sending any other field (for example "
                "campaign_name or year) is a 422 that names it."
            ),
        ),
        "Ticket": obj(
            common_properties()
            | {
                "campaign_id": UUID,
                "channel_id": UUID,
                "request_type": enum_of(RequestType),
                "payload_config": payload_config(request=False),
                "status": enum_of(TicketStatus),
                "external_platform_id": nullable(string("Set on TRAFFICKED_SUCCESS.")),
                "qa_failure_reason": nullable(string("Set on QA_FAILED.")),
                "qa_report": {
                    "type": ["array", "null"],
                    "description": (
                        "The latest pre-flight QA run (moving to QA_TESTING runs it and moves "
                        "the ticket on to READY_FOR_API or QA_FAILED): one finding per rule."
                    ),
                    "items": obj(
                        {
                            "rule": string("Rule code, e.g. utm_campaign."),
                            "title": string(),
                            "severity": string(enum=["block", "warn"]),
                            "passed": {"type": "boolean"},
                            "message": string(),
                        }
                    ),
                },
                "version": {
                    "type": "integer",
                    "description": "Bumped on every change; send it back to detect conflicts.",
                },
                "status_changed_at": TIMESTAMP,
                "created_by_id": nullable(UUID),
                "platform_name": string(
                    "The name sent to the platform: the campaign's name with this channel's "
                    "code instead of MULTI.",
                    examples=["DIS_US_META_2026_MoanaLaunch"],
                ),
                "sending": {
                    "type": "boolean",
                    "description": "A send to the platform is queued or running.",
                },
                "sending_since": nullable(TIMESTAMP),
                "platform_ids": {
                    "type": ["object", "null"],
                    "additionalProperties": string(),
                    "description": (
                        "Every object the last send made or changed, e.g. "
                        '{"campaign_id": "1202...", "adset_id": "1202..."}.'
                    ),
                },
                "send_error": nullable(
                    string("Why the last send failed, in the platform's words.")
                ),
            }
        ),
        "SendRequest": obj(
            {"version": version_input("The ticket version you last saw; if stale: 409.")},
            required=(),
            description="Optional: the ticket version the caller saw.",
        ),
        "Send": obj(
            {
                "id": UUID,
                "ticket_id": UUID,
                "state": enum_of(SendState),
                "target": string(enum=["live", "sandbox"]),
                "base_url": string("Where the requests go (never a credential).", format="uri"),
                "requested_at": TIMESTAMP,
                "requested_by_id": nullable(UUID),
                "started_at": nullable(TIMESTAMP),
                "finished_at": nullable(TIMESTAMP),
                "message": nullable(string("What came of it, in a sentence.")),
                "attempts": {
                    "type": "array",
                    "description": "Every HTTP call the send made, in order.",
                    "items": obj(
                        {
                            "at": TIMESTAMP,
                            "step": {"type": "integer", "description": "Which request."},
                            "attempt": {"type": "integer", "description": "Which try of it."},
                            "method": string(),
                            "path": string(),
                            "http_status": {"type": ["integer", "null"]},
                            "outcome": enum_of(AttemptOutcome),
                            "message": string(),
                            "duration_ms": {"type": "integer"},
                        }
                    ),
                },
            }
        ),
        "TicketCreate": obj(
            {
                "campaign_id": string("The campaign (422 if there is none).", format="uuid"),
                "channel_id": string("The channel (422 if there is none).", format="uuid"),
                "request_type": case_insensitive(RequestType, "What the ticket asks for."),
                "payload_config": payload_config(request=True),
            },
            required=("campaign_id", "channel_id", "request_type"),
        ),
        "TicketUpdate": obj(
            {
                "status": case_insensitive(
                    TicketStatus,
                    "Move the ticket. DRAFT -> QA_TESTING -> READY_FOR_API or QA_FAILED; "
                    "QA_FAILED -> DRAFT or QA_TESTING; READY_FOR_API -> TRAFFICKED_SUCCESS, "
                    "FAILED or DRAFT; FAILED -> READY_FOR_API or DRAFT; TRAFFICKED_SUCCESS is "
                    "final. Any other move is a 409; the current status changes nothing.",
                ),
                "qa_failure_reason": nullable(
                    string(
                        "Required when moving to QA_FAILED (at most 2,000 characters); only "
                        "together with a status move.",
                        pattern=NO_NUL,
                    )
                ),
                "external_platform_id": nullable(
                    string(
                        "Required when moving to TRAFFICKED_SUCCESS (at most 255 characters); "
                        "only together with a status move.",
                        pattern=NO_NUL,
                    )
                ),
                "version": version_input(
                    "The version you last saw; if the ticket changed since: 409."
                ),
                "payload_config": payload_config(request=True)
                | {"description": "Replace the settings; only while DRAFT or QA_FAILED (409)."},
            },
            required=(),
        ),
    }


def market_inputs() -> dict:
    return {
        "code": code("Market code", "US"),
        "country": string(
            "An ISO 3166-1 alpha-2 country code; case-insensitive. The alpha-3 code or the "
            "English name is accepted too; the alpha-2 code is stored.",
            enum=[code for code, _ in country_choices()],
        ),
        "region": trimmed_text("Region", 100),
        "currency": string(
            "An ISO 4217 currency in use today; case-insensitive.",
            enum=sorted(active_currencies()),
        ),
    }


def brand_inputs() -> dict:
    ceiling = "Optional budget ceiling for pre-flight QA, in ceiling_currency; null clears it."
    return {
        "name": trimmed_text("Brand name, unique ignoring case", 120),
        "internal_code": code("Brand code, used in names", "DIS"),
        "daily_budget_ceiling": {"anyOf": [amount_input(ceiling), {"type": "null"}]},
        "lifetime_budget_ceiling": {"anyOf": [amount_input(ceiling), {"type": "null"}]},
        "ceiling_currency": nullable(
            string(
                "ISO 4217 currency of the ceilings; required when a ceiling is set.",
                enum=sorted(active_currencies()),
            )
        ),
    }


def channel_inputs() -> dict:
    return {
        "platform_name": trimmed_text("Platform name", 100),
        "api_identifier": code(
            f"Channel code, used in names and to pick the platform translator; "
            f"{taxonomy.MULTI_CHANNEL} is reserved",
            "META",
            reserved=taxonomy.MULTI_CHANNEL,
        ),
    }


# --- parameters and responses -----------------------------------------------------------------


def query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def filter_param(name: str, schema: dict, description: str) -> dict:
    """A filter; sent empty (`?status=`), it filters nothing, as from an HTML form."""
    return query(name, schema, f"{description} Empty: no filter.") | {"allowEmptyValue": True}


PAGE_PARAMETERS = [
    query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        "How many rows to return.",
    ),
    query(
        "offset",
        {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        "How many rows to skip.",
    ),
]


def id_parameter(noun: str) -> dict:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": string(format="uuid"),
        "description": f"The {noun}'s id; anything that is not a UUID is a 404.",
    }


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def error(description: str) -> dict:
    return {"description": description, "content": json_content(ref("Error"))}


ERRORS = {
    400: "Malformed JSON or JSON nested too deeply, or a browser session without a valid CSRF "
    f"token. (A request line over {MAX_REQUEST_LINE:,} bytes: the HTTP server's HTML page.)",
    401: "No token, or an invalid or revoked one.",
    403: "Your role may not do this.",
    404: "No row with that id.",
    409: "Clashes with the current state.",
    413: f"The body is larger than {MAX_BODY}.",
    422: "Validation failed; `errors` names the fields.",
    503: "The database cannot be reached right now; try again after Retry-After seconds.",
}
# What any operation may answer, whatever it does: a request the HTTP server or the app
# refuses before the operation runs, and a database that cannot be reached.
EVERY_OPERATION = {
    400: ERRORS[400],
    422: "A query parameter the operation does not take; `errors` names it.",
    431: None,
    503: None,
}
# The HTTP server's own error pages (gunicorn's), for requests it refuses before the app.
SERVER_PAGE = {"text/html": {"schema": {"type": "string"}}}


def responses(success: dict, errors: dict[int, str | None]) -> dict:
    """The success response plus error responses; a None description takes the default.

    Every operation also gets the statuses in EVERY_OPERATION it does not describe itself.
    """
    result = dict(success)
    for status, description in sorted((EVERY_OPERATION | errors).items()):
        if status in (401, 431) or (status == 503 and description is None):
            name = {401: "Unauthorized", 431: "HeadersTooLarge", 503: "Unavailable"}[status]
            result[str(status)] = {"$ref": f"#/components/responses/{name}"}
        elif status == 503:
            result["503"] = error(description) | {"headers": RETRY_AFTER}
        else:
            result[str(status)] = error(description or ERRORS[status])
            if status == 400:
                result["400"]["content"] |= SERVER_PAGE
    return result


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def body(schema_name: str) -> dict:
    return {"required": True, "content": json_content(ref(schema_name))}


# --- operations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """One collection and its item, with what differs between them."""

    plural: str  # "markets"
    noun: str  # "market"
    schema: str  # "Market"
    tag: str
    writers: str  # who may change it
    filters: list = field(default_factory=list)
    order: str = ""
    duplicate: str | None = None  # what makes a create (or an update) a 400 duplicate
    update_can_duplicate: bool = True
    update_409: str | None = None
    delete_409: str = ""
    create_extra: str = ""
    update_extra: str = ""


def operations(res: Resource) -> dict:
    """The five operations of a resource, as two path items."""
    title = res.noun.capitalize()
    writers = f" Needs role {res.writers}."
    duplicate = f" Or a duplicate: {res.duplicate}." if res.duplicate else ""
    create_400 = ERRORS[400] + duplicate
    update_400 = ERRORS[400] + (duplicate if res.update_can_duplicate else "")
    collection = {
        "get": {
            "tags": [res.tag],
            "operationId": f"list{title}s",
            "summary": f"List {res.plural}",
            "description": f"{res.order} The total is in `X-Total-Count`.",
            "parameters": PAGE_PARAMETERS + res.filters,
            "responses": responses(
                {
                    "200": {
                        "description": f"A page of {res.plural}.",
                        "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                        "content": json_content({"type": "array", "items": ref(res.schema)}),
                    }
                },
                {401: None, 422: "A query argument is invalid."},
            ),
        },
        "post": {
            "tags": [res.tag],
            "operationId": f"create{title}",
            "summary": f"Create a {res.noun}",
            "description": (res.create_extra + writers).strip(),
            "requestBody": body(f"{res.schema}Create"),
            "responses": responses(
                {
                    "201": {
                        "description": f"The new {res.noun}.",
                        "content": json_content(ref(res.schema)),
                    }
                },
                {400: create_400, 401: None, 403: None, 413: None, 422: None},
            ),
        },
    }
    item = {
        "parameters": [id_parameter(res.noun)],
        "get": {
            "tags": [res.tag],
            "operationId": f"get{title}",
            "summary": f"Get a {res.noun}",
            "responses": responses(
                {
                    "200": {
                        "description": f"The {res.noun}.",
                        "content": json_content(ref(res.schema)),
                    }
                },
                {401: None, 404: None},
            ),
        },
        "put": {
            "tags": [res.tag],
            "operationId": f"update{title}",
            "summary": f"Change a {res.noun}",
            "description": (res.update_extra + writers).strip(),
            "requestBody": body(f"{res.schema}Update"),
            "responses": responses(
                {
                    "200": {
                        "description": f"The {res.noun} as saved.",
                        "content": json_content(ref(res.schema)),
                    }
                },
                {400: update_400, 401: None, 403: None, 404: None, 413: None, 422: None}
                | ({409: res.update_409} if res.update_409 else {}),
            ),
        },
        "delete": {
            "tags": [res.tag],
            "operationId": f"delete{title}",
            "summary": f"Delete a {res.noun}",
            "description": (res.delete_409 + writers).strip(),
            "responses": responses(
                {"204": {"description": "Deleted."}},
                {400: ERRORS[400], 401: None, 403: None, 404: None, 409: res.delete_409},
            ),
        },
    }
    return {f"/{res.plural}": collection, f"/{res.plural}/{{id}}": item}


def text_filter(searched: str) -> dict:
    return query(
        "q",
        string(pattern=NO_NUL),
        f"Only rows whose {searched} contains this text (ignoring case).",
    )


def uuid_filter(name: str, noun: str) -> dict:
    return filter_param(name, string(format="uuid"), f"Only those of this {noun}.")


RESOURCES = [
    Resource(
        "markets",
        "market",
        "Market",
        "Reference data",
        "admin",
        filters=[text_filter("code, country or region")],
        order="Markets by code.",
        duplicate="the code is taken",
        update_409="The code or currency cannot change: campaigns use the market.",
        delete_409="A market that campaigns use cannot be deleted (409).",
    ),
    Resource(
        "brands",
        "brand",
        "Brand",
        "Reference data",
        "admin",
        filters=[text_filter("name or internal code")],
        order="Brands by name.",
        duplicate="the name or code is taken",
        update_409="The code cannot change: campaigns use the brand.",
        delete_409="A brand that campaigns use cannot be deleted (409).",
    ),
    Resource(
        "channels",
        "channel",
        "Channel",
        "Reference data",
        "admin",
        filters=[text_filter("platform name or API identifier")],
        order="Channels by platform name.",
        duplicate="the code is taken",
        update_409="The code cannot change: tickets use the channel.",
        delete_409="A channel that tickets use cannot be deleted (409).",
    ),
    Resource(
        "campaigns",
        "campaign",
        "Campaign",
        "Campaigns",
        "admin or trafficker",
        filters=[
            uuid_filter("brand_id", "brand"),
            uuid_filter("market_id", "market"),
            filter_param(
                "status", enum_of(CampaignStatus), "Only campaigns with this status (any case)."
            ),
            filter_param("year", string(pattern=r"^[0-9]{4}$"), "Only campaigns of this year."),
            text_filter("generated name"),
        ],
        order="Campaigns, newest first.",
        duplicate="a campaign with the same name (ignoring case) exists",
        update_can_duplicate=False,
        create_extra=(
            "The name is generated from the taxonomy: "
            "BRAND_MARKET_MULTI_YEAR_CampaignName. Ids that point at no row are a 422."
        ),
        update_extra="Only budget and status change.",
        update_409="That status move is not allowed.",
        delete_409=(
            "A campaign whose tickets have all stayed DRAFT can be deleted, with them; "
            "otherwise 409."
        ),
    ),
    Resource(
        "tickets",
        "ticket",
        "Ticket",
        "Tickets",
        "admin or trafficker",
        filters=[
            filter_param(
                "status", enum_of(TicketStatus), "Only tickets with this status (any case)."
            ),
            uuid_filter("campaign_id", "campaign"),
            uuid_filter("channel_id", "channel"),
        ],
        order="Tickets, most recently moved first.",
        create_extra="Opens a DRAFT ticket for one channel of a campaign.",
        update_extra=(
            "Moves the ticket under the workflow's rules and/or replaces its settings. "
            "Send `version` to be refused (409) if someone changed the ticket since."
        ),
        update_409=(
            "An illegal move, a stale version, or settings changed outside DRAFT and QA_FAILED."
        ),
        delete_409="Only DRAFT tickets can be deleted (409); the others keep their audit trail.",
    ),
]


def openapi_operation() -> dict:
    return {
        "get": {
            "tags": ["Meta"],
            "operationId": "getOpenApi",
            "summary": "This document",
            "description": "Needs no authentication.",
            "security": [],
            "responses": responses(
                {
                    "200": {
                        "description": "The OpenAPI 3.1 document.",
                        "content": json_content({"type": "object"}),
                    }
                },
                {401: "An Authorization header was sent, but the token is invalid."},
            ),
        }
    }


def payload_operation() -> dict:
    request = obj(
        {
            "method": string("HTTP method, e.g. POST."),
            "path": string("Path on the platform's host, API version included."),
            "body": {"type": "object", "description": "The JSON body, placeholders in {braces}."},
            "description": string(),
            "returns": nullable(string("The placeholder this call's response fills in.")),
            "response_path": {
                "type": "array",
                "items": {"type": ["string", "integer"]},
                "description": "Where in the response that value is.",
            },
        }
    )
    payload = obj(
        {
            "channel": string("The channel code, e.g. META."),
            "request_type": string(),
            "api_version": string("The platform API version the requests follow."),
            "host": string("The platform's API host."),
            "requests": {"type": "array", "items": request, "description": "Sent in this order."},
            "platform_id_from": nullable(
                string("The placeholder whose value becomes external_platform_id.")
            ),
            "account_placeholders": {
                "type": "array",
                "items": string(),
                "description": "Placeholders filled from the channel's configuration.",
            },
            "docs": {"type": "array", "items": string(format="uri")},
        }
    )
    return {
        "get": {
            "tags": ["Tickets"],
            "operationId": "getTicketPayload",
            "summary": "The platform request a ticket becomes",
            "description": (
                "Built by the channel's translator from the ticket's settings, exactly as the "
                "platform's API expects. A ticket that cannot be translated is a 422 whose "
                "`errors` lists every problem, keyed by the setting at fault (or payload_config)."
            ),
            "parameters": [id_parameter("ticket")],
            "responses": responses(
                {
                    "200": {
                        "description": "The requests, in order.",
                        "content": json_content(payload),
                    }
                },
                {
                    401: None,
                    404: None,
                    422: "The ticket cannot be translated; every problem listed.",
                },
            ),
        }
    }


def send_operations() -> dict:
    return {
        "/tickets/{id}/send": {
            "post": {
                "tags": ["Tickets"],
                "operationId": "sendTicket",
                "summary": "Send a READY_FOR_API ticket to its platform",
                "description": (
                    "Queues a job that sends the ticket's platform requests with the channel's "
                    "credentials (or to the platform sandbox) and moves the ticket to "
                    "TRAFFICKED_SUCCESS with external_platform_id and platform_ids, or to "
                    "FAILED with send_error. 429s wait as Retry-After says, 5xx and timeouts "
                    "are retried with backoff, and a create is preceded by a search so nothing "
                    "is made twice. One send per ticket at a time."
                ),
                "parameters": [id_parameter("ticket")],
                "requestBody": {
                    "required": False,
                    "description": (
                        "Optional: no body at all, or a JSON object. Any other body (blanks "
                        "included) is a 400, and a JSON value that is not an object a 422."
                    ),
                    "content": json_content(ref("SendRequest")),
                },
                "responses": responses(
                    {"202": {"description": "Queued.", "content": json_content(ref("Send"))}},
                    {
                        400: None,
                        401: None,
                        403: None,
                        404: None,
                        409: (
                            "Not READY_FOR_API, already being sent, a stale version, or the "
                            "channel is not connected (the message says which variables to set)."
                        ),
                        413: None,
                        422: "The ticket cannot be translated, or the body is invalid.",
                        503: (
                            "The job queue (Redis) or the database cannot be reached; nothing "
                            "was queued. Try again after Retry-After seconds."
                        ),
                    },
                ),
            }
        },
        "/tickets/{id}/sends": {
            "get": {
                "tags": ["Tickets"],
                "operationId": "listTicketSends",
                "summary": "Every send of a ticket, with its HTTP calls",
                "parameters": [id_parameter("ticket")],
                "responses": responses(
                    {
                        "200": {
                            "description": "Newest first.",
                            "content": json_content({"type": "array", "items": ref("Send")}),
                        }
                    },
                    {401: None, 404: None},
                ),
            }
        },
    }


@cache
def document() -> dict:
    paths = {"/openapi.json": openapi_operation()}
    for res in RESOURCES:
        paths |= operations(res)
    paths["/tickets/{id}/payload"] = payload_operation()
    paths |= send_operations()
    return {
        "openapi": "3.1.0",
        "info": {"title": "OmniTraffick API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": "Reference data", "description": "Markets, brands and channels."},
            {"name": "Campaigns", "description": "Campaigns with generated names."},
            {"name": "Tickets", "description": "Per-channel tickets and their workflow."},
            {"name": "Meta", "description": "About the API itself."},
        ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "A personal API token from `flask tokens create EMAIL` or the profile page."
                    ),
                }
            },
            "headers": {
                "TotalCount": {
                    "description": "How many rows match, over all pages.",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 0},
                }
            },
            "responses": {
                "Unauthorized": {
                    "description": ERRORS[401],
                    "headers": {
                        "WWW-Authenticate": {
                            "description": 'Always `Bearer realm="OmniTraffick API"`.',
                            "required": True,
                            "schema": string(),
                        }
                    },
                    "content": json_content(ref("Error")),
                },
                "HeadersTooLarge": {
                    "description": (
                        f"More than {MAX_HEADERS} request headers, or one longer than "
                        f"{MAX_HEADER_SIZE:,} bytes: the HTTP server refuses the request "
                        "before the app sees it, with an HTML page."
                    ),
                    "content": SERVER_PAGE,
                },
                "Unavailable": error(ERRORS[503]) | {"headers": RETRY_AFTER},
            },
            "schemas": schemas(),
        },
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document; needs no authentication."""
    return jsonify(document())
