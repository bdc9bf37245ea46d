"""The API's resources, declared once: what each request takes and what each answer holds.

Per resource, one schema per direction: `Market` is how a market is answered (and documented),
`MarketCreate` what POST reads (and documents), `MarketUpdate` what PUT reads. A request
schema checks the body as the API always has (fields.py) and names every problem at once; an
answer schema serialises the row. The OpenAPI document is generated from these same classes
(spec.py), their docstrings included, so it cannot drift from what the API does.

List parameters (`...Filters`) are parsed by services/queries.py, the one parser of every
list's filters and paging; their schemas here declare them for the document, and the
unknown-parameter check reads that document.
"""

from marshmallow import RAISE, Schema, fields, pre_load
from marshmallow import ValidationError as SchemaError
from marshmallow.validate import Range

from ..models import (
    AttemptOutcome,
    CampaignStatus,
    RequestType,
    SendState,
    TicketStatus,
)
from ..services import campaigns, conventions, imports, naming, queries, taxonomy
from ..services.countries import country_choices
from ..services.currencies import active_currencies
from ..services.errors import ValidationError
from ..services.settings import BudgetType, DeliveryStatus, Objective, SpecialCategory
from .fields import (
    BLANKS,
    DECIMAL_PATTERN,
    NO_NUL,
    UUID_EXAMPLE,
    Amount,
    Id,
    Money,
    Object,
    StringMap,
    Strings,
    Text,
    Time,
    Whole,
    Year,
    amount,
    any_case,
    code,
    string,
    trimmed_text,
)


def about(description: str | None = None, *examples, **keywords) -> dict:
    """Field metadata: a description, examples and other JSON Schema keywords."""
    metadata = dict(keywords)
    if description:
        metadata["description"] = description
    if examples:
        metadata["examples"] = list(examples)
    return metadata


# --- requests ---------------------------------------------------------------------------------


class Request(Schema):
    """A request body: a closed object, every problem named at once."""

    class Meta:
        unknown = RAISE

    # An update: every field may be left out, and keeps its value then.
    every_field_optional = False
    # The body may be left out altogether (an empty request), as if it were {}.
    body_optional = False
    # JSON Schema for rules across fields, added to the document.
    openapi: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.every_field_optional:
            for field in self.fields.values():
                field.required = False

    def handle_error(self, error, data, *, many, **kwargs):
        """Unknown fields first (saying which are allowed), then the required fields that are
        missing, then the others, each in declaration order: as the API has always listed them.
        """
        messages = error.normalized_messages()
        declared = list(self.load_fields)
        allowed = ", ".join(sorted(declared))
        ordered = {
            name: [f"Unknown field {name!r}; allowed: {allowed}."]
            for name in sorted(set(messages) - set(declared))
        }
        missing = [n for n in declared if self.fields[n].required and data.get(n) in (None, "")]
        for name in missing + [n for n in declared if n not in missing]:
            if name in messages:
                ordered[name] = messages[name]
        raise SchemaError(ordered)


# --- answers ----------------------------------------------------------------------------------


class Answer(Schema):
    """What the API answers: every field is always there (null where it says so)."""

    class Meta:
        unknown = RAISE


def uuid_field(**kwargs) -> fields.UUID:
    return fields.UUID(metadata=about(None, UUID_EXAMPLE), **kwargs)


class Row(Answer):
    id = uuid_field()
    created_at = Time()
    updated_at = Time()


class Error(Schema):
    """An error: what went wrong, and which fields are at fault."""

    class Meta:
        unknown = RAISE

    detail = fields.String(required=True, metadata=about("What went wrong, in plain words."))
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata=about("Messages per field at fault."),
    )


# --- lists ------------------------------------------------------------------------------------


def _filter(field_cls, description: str, **keywords):
    """A list filter; sent empty (`?status=`), it filters nothing, as from an HTML form."""
    return field_cls(
        metadata=about(f"{description} Empty: no filter.", allow_empty=True, **keywords)
    )


def _search(searched: str):
    return fields.String(
        metadata=about(
            f"Only rows whose {searched} contains this text (ignoring case).", pattern=NO_NUL
        )
    )


class Paging(Schema):
    """A page of a list: `limit` rows from `offset` (services/queries.py reads them)."""

    limit = fields.Integer(
        load_default=queries.DEFAULT_LIMIT,
        validate=Range(1, queries.MAX_LIMIT),
        metadata=about("How many rows to return."),
    )
    offset = fields.Integer(
        load_default=0,
        validate=Range(0, queries.MAX_OFFSET),
        metadata=about("How many rows to skip."),
    )


class MarketFilters(Paging):
    q = _search("code, country or region")


class BrandFilters(Paging):
    q = _search("name or internal code")


class ChannelFilters(Paging):
    q = _search("platform name or API identifier")


class CampaignFilters(Paging):
    brand_id = _filter(fields.UUID, "Only those of this brand.")
    market_id = _filter(fields.UUID, "Only those of this market.")
    status = _filter(
        fields.String,
        "Only campaigns with this status (any case).",
        enum=[s.value for s in CampaignStatus],
    )
    year = _filter(fields.String, "Only campaigns of this year.", pattern=r"^[0-9]{4}$")
    q = _search("generated name")


class TicketFilters(Paging):
    status = _filter(
        fields.String,
        "Only tickets with this status (any case).",
        enum=[s.value for s in TicketStatus],
    )
    campaign_id = _filter(fields.UUID, "Only those of this campaign.")
    channel_id = _filter(fields.UUID, "Only those of this channel.")
    assignee_id = _filter(fields.UUID, "Only those this user owns.")


# --- markets ----------------------------------------------------------------------------------

CURRENCIES = sorted(active_currencies())


class Market(Row):
    """A market: a country, its region and the currency budgets are in."""

    code = fields.String(metadata=about("Upper-case market code.", "US"))
    country = fields.String(metadata=about("ISO 3166-1 alpha-2 code.", "HU"))
    region = fields.String()
    currency = fields.String(metadata=about("ISO 4217 code.", "USD"))
    time_zone = fields.String(
        metadata=about(
            "IANA time zone: flights run from 00:00 to 23:59:59 local time here.",
            "Europe/Budapest",
        )
    )


class MarketCreate(Request):
    """A new market."""

    code = Text(required=True, metadata=code("Market code", "US"))
    country = Text(
        required=True,
        metadata=string(
            "An ISO 3166-1 alpha-2 country code; case-insensitive. The alpha-3 code or the "
            "English name is accepted too; the alpha-2 code is stored.",
            enum=[country for country, _ in country_choices()],
        ),
    )
    region = Text(required=True, metadata=trimmed_text("Region", 100))
    currency = Text(
        required=True,
        metadata=string("An ISO 4217 currency in use today; case-insensitive.", enum=CURRENCIES),
    )
    time_zone = Text(
        metadata=string(
            "An IANA time zone of the country (e.g. Europe/Budapest). Left out, a country with "
            "one zone gets it and a country with several gets its most populous city's zone; "
            "a zone of another country is a 422."
        )
    )


class MarketUpdate(MarketCreate):
    """Fields left out keep their values. The code cannot change once campaigns use the
    market, nor the currency (409)."""

    every_field_optional = True


# --- brands -----------------------------------------------------------------------------------


def _ceiling_currency(brand) -> str:
    return brand.ceiling_currency


class Brand(Row):
    """A brand, with the budget ceilings pre-flight QA holds its tickets to."""

    name = fields.String()
    internal_code = fields.String(metadata=about("Upper-case brand code."))
    daily_budget_ceiling = Money(
        _ceiling_currency,
        "Pre-flight QA blocks daily budgets above this (decimal string).",
        allow_none=True,
    )
    lifetime_budget_ceiling = Money(
        _ceiling_currency,
        "Pre-flight QA blocks lifetime budgets above this (decimal string).",
        allow_none=True,
    )
    ceiling_currency = fields.String(
        allow_none=True, metadata=about("ISO 4217 currency of the ceilings.")
    )
    special_ad_categories = fields.List(
        fields.String(metadata=about(enum=[c.value for c in SpecialCategory])),
        allow_none=True,
        metadata=about(
            "The special ad categories the brand's new CREATE_CAMPAIGN tickets start from "
            "(set on the brand's page); null for none."
        ),
    )


CEILING = "Optional budget ceiling for pre-flight QA, in ceiling_currency; null clears it."


def _needs_currency(ceiling: str) -> dict:
    """A ceiling that is set needs ceiling_currency, a currency in use today (without a
    ceiling, the currency is not used, and left unset)."""
    return {
        "if": {"required": [ceiling], "properties": {ceiling: {"not": {"type": "null"}}}},
        "then": {
            "required": ["ceiling_currency"],
            "properties": {"ceiling_currency": {"enum": CURRENCIES}},
        },
    }


class BrandCreate(Request):
    """A new brand; the ceilings are optional."""

    name = Text(required=True, metadata=trimmed_text("Brand name, unique ignoring case", 120))
    internal_code = Text(required=True, metadata=code("Brand code, used in names", "DIS"))
    daily_budget_ceiling = Amount(allow_none=True, metadata=about(CEILING))
    lifetime_budget_ceiling = Amount(allow_none=True, metadata=about(CEILING))
    ceiling_currency = Text(
        allow_none=True,
        metadata=about(
            "The ISO 4217 currency of the ceilings, one in use today; required when a ceiling "
            "is set, and left unset without one."
        ),
    )
    openapi = {
        "allOf": [
            _needs_currency("daily_budget_ceiling"),
            _needs_currency("lifetime_budget_ceiling"),
        ]
    }


class BrandUpdate(BrandCreate):
    """Fields left out keep their values; a used code cannot change (409)."""

    every_field_optional = True


# --- channels ---------------------------------------------------------------------------------


class Channel(Row):
    """A channel: an ad platform tickets are sent to."""

    platform_name = fields.String(metadata=about(None, "Meta"))
    api_identifier = fields.String(metadata=about("Upper-case channel code.", "META"))
    lead_days = fields.Integer(
        allow_none=True,
        metadata=about("Days before a flight starts that its tickets are due; null: no default."),
    )


class ChannelCreate(Request):
    """A new channel."""

    platform_name = Text(required=True, metadata=trimmed_text("Platform name", 100))
    api_identifier = Text(
        required=True,
        metadata=code(
            f"Channel code, used in names and to pick the platform translator; "
            f"{taxonomy.MULTI_CHANNEL} is reserved",
            "META",
            reserved=taxonomy.MULTI_CHANNEL,
        ),
    )
    lead_days = Whole(
        allow_none=True,
        metadata=about(
            "Days before a flight starts that a new ticket is due (0 to 365); null: no default.",
            minimum=0,
            maximum=365,
        ),
    )


class ChannelUpdate(ChannelCreate):
    """Fields left out keep their values; a used code cannot change (409)."""

    every_field_optional = True


# --- campaigns --------------------------------------------------------------------------------


class NameParts(Answer):
    """The generated name decoded into its parts."""

    brand = fields.String()
    market = fields.String()
    channel = fields.String(metadata=about(None, taxonomy.MULTI_CHANNEL))
    year = fields.Integer()
    campaign = fields.String()


class Campaign(Row):
    """A campaign, named by the taxonomy."""

    name = fields.String(
        metadata=about(
            "Generated: BRAND_MARKET_MULTI_YEAR_CampaignName; unique, never changes.",
            "DIS_US_MULTI_2026_MoanaLaunch",
        )
    )
    campaign_name = fields.String(metadata=about("The name as typed."))
    brand_id = uuid_field()
    market_id = uuid_field()
    year = fields.Integer(metadata=about(minimum=taxonomy.MIN_YEAR))
    budget = Money(
        lambda campaign: campaign.market.currency,
        "A non-negative decimal string with the currency's number of decimals.",
    )
    currency = fields.String(
        attribute="market.currency", metadata=about("The market's ISO 4217 currency.")
    )
    status = fields.Enum(CampaignStatus, by_value=fields.String)
    created_by_id = uuid_field(allow_none=True)
    name_parts = fields.Nested(NameParts)


class CampaignCreate(Request):
    """A new campaign; its name is generated from the taxonomy."""

    brand_id = Id(required=True, metadata=about("The brand (422 if there is none)."))
    market_id = Id(required=True, metadata=about("The market (422 if there is none)."))
    campaign_name = Text(
        required=True,
        metadata=string(
            "Letters and numbers of any script, transliterated to ASCII (Café -> Cafe); "
            "spaces, symbols and emoji are dropped. 1 to "
            f"{taxonomy.MAX_CAMPAIGN_PART_LENGTH} letters and digits must be left (or the "
            "campaign convention's own maximum). A name that differs from an existing one "
            "only in letter case is a duplicate (400).",
            pattern=r"^[^\x00]*[^\W_][^\x00]*$",
            examples=["Moana Launch"],
        ),
    )
    year = Year()
    budget = Amount(required=True, metadata=about("The campaign budget."))
    status = Text(
        load_default=CampaignStatus.DRAFT.value,
        metadata=string(
            "A new campaign starts as DRAFT (default) or ACTIVE; case-insensitive.",
            enum=[s.value for s in campaigns.INITIAL_STATUSES],
        ),
    )
    name_picks = StringMap(
        metadata=about(
            "The values of the campaign convention's pick-list segments, by list code "
            '(e.g. {"SUBBRAND": "FROZEN"}); needed only when the convention has pick-lists.'
        )
    )


class CampaignUpdate(Request):
    """Only budget and status change; sending any other field (for example campaign_name or
    year) is a 422 that names it."""

    # What is fixed with the name when the campaign is made.
    FIXED = ("id", "name", "campaign_name", "brand_id", "market_id", "year", "created_at")

    budget = Amount(metadata=about("The new budget."))
    status = Text(
        metadata=any_case(
            CampaignStatus,
            "DRAFT -> ACTIVE -> PAUSED <-> ACTIVE, ACTIVE or PAUSED -> COMPLETED; "
            "any other move is a 409.",
        )
    )

    @pre_load
    def refuse_fixed_fields(self, data, **kwargs):
        """A fixed field is refused on its own, before anything else is checked."""
        fixed = sorted(set(data) & set(self.FIXED))
        if fixed:
            raise ValidationError(
                f"{', '.join(fixed)} cannot change: a campaign's name, brand, market and year "
                "are fixed when it is created. Only budget and status can change.",
                errors={name: ["This field cannot change."] for name in fixed},
            )
        return data


# --- tickets ----------------------------------------------------------------------------------


def settings(*, request: bool) -> dict:
    """A ticket's platform settings (checked by services/settings.py); in a request each may
    also be null or blank (not set)."""
    values = {
        "objective": any_case(Objective, "The campaign objective."),
        "budget_type": any_case(BudgetType, "Daily or lifetime budget."),
        "budget_amount": (
            amount("The budget on the platform.")
            if request
            else string("A decimal string.", pattern=DECIMAL_PATTERN)
        ),
        "flight_start": string("First day, YYYY-MM-DD.", format="date"),
        "flight_end": string("Last day, YYYY-MM-DD.", format="date"),
        "landing_url": string(
            "An http(s) address, at most 2,000 characters.",
            format="uri",
            pattern=rf"^{BLANKS}[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#\x00]+[^\s\x00]*{BLANKS}$",
            maxLength=2000,
        ),
        "initial_status": any_case(
            DeliveryStatus, "The status the platform object is created with; default PAUSED."
        ),
        "target_status": any_case(DeliveryStatus, "The status to set (UPDATE_STATUS)."),
        "special_ad_categories": {
            "description": (
                "The special ad categories the campaign declares (CREATE_CAMPAIGN); none when "
                "left out. A request may also send one comma-separated string."
            ),
            "anyOf": [
                {"type": "array", "items": any_case(SpecialCategory, "A category.")},
                *([string("Comma-separated categories.", pattern=NO_NUL)] if request else []),
            ],
        },
        "special_ad_category_countries": {
            "description": (
                "ISO 3166-1 alpha-2 codes of the countries the declaration applies to; the "
                "market's country when left out. A request may also send one comma-separated "
                "string."
            ),
            "anyOf": [
                {"type": "array", "items": string("A country code.", pattern=NO_NUL)},
                *([string("Comma-separated country codes.", pattern=NO_NUL)] if request else []),
            ],
        },
    }
    if request:
        values = {
            name: {
                "description": schema.pop("description", ""),
                "anyOf": [schema, {"type": "null"}, string(pattern=rf"^{BLANKS}$")],
            }
            for name, schema in values.items()
        }
    return {
        "type": "object",
        "properties": values,
        "additionalProperties": False,
        "description": (
            "Platform settings. CREATE_CAMPAIGN uses objective, budget_type, budget_amount, "
            "flight_start, flight_end, landing_url, initial_status and the compliance "
            "declaration (special_ad_categories, special_ad_category_countries); "
            "UPDATE_BUDGET uses budget_type and budget_amount; UPDATE_STATUS uses "
            "target_status. A DRAFT ticket may be incomplete; QA reports what is missing. "
            "Blank values are left out, and so are settings that the request type does not use."
        ),
    }


class Finding(Answer):
    rule = fields.String(metadata=about("Rule code, e.g. utm_campaign."))
    title = fields.String()
    severity = fields.String(metadata=about(enum=["block", "warn"]))
    passed = fields.Boolean()
    message = fields.String()


class Ticket(Row):
    """A ticket: one channel of a campaign, on its way through QA to the platform."""

    campaign_id = uuid_field()
    channel_id = uuid_field()
    request_type = fields.Enum(RequestType, by_value=fields.String)
    payload_config = fields.Dict(metadata=settings(request=False))
    status = fields.Enum(TicketStatus, by_value=fields.String)
    external_platform_id = fields.String(
        allow_none=True, metadata=about("Set on TRAFFICKED_SUCCESS.")
    )
    qa_failure_reason = fields.String(allow_none=True, metadata=about("Set on QA_FAILED."))
    qa_report = fields.List(
        fields.Nested(Finding),
        allow_none=True,
        metadata=about(
            "The latest pre-flight QA run (moving to QA_TESTING runs it and moves the ticket on "
            "to READY_FOR_API or QA_FAILED): one finding per rule."
        ),
    )
    version = fields.Integer(
        metadata=about("Bumped on every change; send it back to detect conflicts.")
    )
    status_changed_at = Time()
    created_by_id = uuid_field(allow_none=True)
    platform_name = fields.String(
        metadata=about(
            "The name sent to the platform: the campaign's name with this channel's code "
            "instead of MULTI.",
            "DIS_US_META_2026_MoanaLaunch",
        )
    )
    sending = fields.Function(
        lambda ticket: ticket.sending_since is not None,
        metadata=about("A send to the platform is queued or running.", type="boolean"),
    )
    sending_since = Time(allow_none=True)
    platform_ids = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        allow_none=True,
        metadata=about(
            "Every object the last send made or changed, e.g. "
            '{"campaign_id": "1202...", "adset_id": "1202..."}.'
        ),
    )
    send_error = fields.String(
        allow_none=True, metadata=about("Why the last send failed, in the platform's words.")
    )
    assignee_id = fields.UUID(
        allow_none=True, metadata=about("Who owns the ticket; null: nobody.", UUID_EXAMPLE)
    )
    due_date = fields.Date(
        allow_none=True,
        metadata=about("The day it must be trafficked by, YYYY-MM-DD; null: none."),
    )


class TicketCreate(Request):
    """A new DRAFT ticket for one channel of a campaign."""

    campaign_id = Id(required=True, metadata=about("The campaign (422 if there is none)."))
    channel_id = Id(required=True, metadata=about("The channel (422 if there is none)."))
    request_type = Text(required=True, metadata=any_case(RequestType, "What the ticket asks for."))
    payload_config = Object(metadata=settings(request=True))
    assignee_id = Id(
        allow_none=True,
        metadata=about("Who owns it: an active admin or trafficker (422 otherwise); null: nobody."),
    )
    due_date = Text(
        allow_none=True,
        metadata=about(
            "YYYY-MM-DD. Left out or null: the flight's start minus the channel's lead time.",
            format="date",
        ),
    )


class TicketUpdate(Request):
    """A move and/or new settings; fields left out stay as they are."""

    status = Text(
        metadata=any_case(
            TicketStatus,
            "Move the ticket. DRAFT -> QA_TESTING -> READY_FOR_API or QA_FAILED; "
            "QA_FAILED -> DRAFT or QA_TESTING; READY_FOR_API -> TRAFFICKED_SUCCESS, "
            "FAILED or DRAFT; FAILED -> READY_FOR_API or DRAFT; TRAFFICKED_SUCCESS is "
            "final. Any other move is a 409; the current status changes nothing.",
        )
    )
    qa_failure_reason = Text(
        allow_none=True,
        metadata=about(
            "Required when moving to QA_FAILED (at most 2,000 characters); only together with "
            "a status move.",
            pattern=NO_NUL,
        ),
    )
    external_platform_id = Text(
        allow_none=True,
        metadata=about(
            "Required when moving to TRAFFICKED_SUCCESS (at most 255 characters); only "
            "together with a status move.",
            pattern=NO_NUL,
        ),
    )
    version = Whole(metadata=about("The version you last saw; if the ticket changed since: 409."))
    payload_config = Object(
        metadata=settings(request=True)
        | {"description": "Replace the settings; only while DRAFT or QA_FAILED (409)."}
    )
    assignee_id = Id(
        allow_none=True,
        metadata=about("Give the ticket to this user (told in the app); null: nobody."),
    )
    due_date = Text(allow_none=True, metadata=about("YYYY-MM-DD; null: none.", format="date"))


# --- a ticket's platform requests and its sends -----------------------------------------------


class PlatformCall(Answer):
    method = fields.String(metadata=about("HTTP method, e.g. POST."))
    path = fields.String(metadata=about("Path on the platform's host, API version included."))
    params = fields.Dict(metadata=about("Query parameters (what a GET sends), placeholders too."))
    body = fields.Dict(
        metadata=about(
            "The JSON body, placeholders in {braces}. A creative's file is never included: it "
            "shows as <bytes of hero.jpg, base64> (or, file / MD5 of) and is read from the "
            "creative library when the ticket is sent."
        )
    )
    multipart = fields.Boolean(
        metadata=about("Whether the body goes as multipart/form-data (it carries a file).")
    )
    description = fields.String()
    returns = fields.String(
        allow_none=True, metadata=about("The placeholder this call's response fills in.")
    )
    response_path = fields.List(
        fields.Raw(metadata=about(type=["string", "integer"])),
        metadata=about("Where in the response that value is."),
    )


class Payload(Answer):
    """The requests a ticket becomes, in order, as its platform's API expects them."""

    channel = fields.String(metadata=about("The channel code, e.g. META."))
    request_type = fields.String()
    api_version = fields.String(metadata=about("The platform API version the requests follow."))
    host = fields.String(metadata=about("The platform's API host."))
    requests = fields.List(fields.Nested(PlatformCall), metadata=about("Sent in this order."))
    platform_id_from = fields.String(
        allow_none=True,
        metadata=about("The placeholder whose value becomes external_platform_id."),
    )
    account_placeholders = fields.List(
        fields.String(), metadata=about("Placeholders filled from the channel's configuration.")
    )
    docs = fields.List(fields.String(metadata=about(format="uri")))
    notes = fields.List(
        fields.String(),
        metadata=about(
            "What the requests do not show: e.g. that the start time is worked out again when "
            "the ticket is sent (a start that has passed becomes the time of sending)."
        ),
    )


class SendRequest(Request):
    """Optional: the ticket version the caller saw."""

    body_optional = True

    version = Whole(metadata=about("The ticket version you last saw; if stale: 409."))


class Attempt(Answer):
    at = Time(attribute="created_at")
    step = fields.Integer(metadata=about("Which request."))
    attempt = fields.Integer(metadata=about("Which try of it."))
    method = fields.String()
    path = fields.String()
    http_status = fields.Integer(allow_none=True)
    outcome = fields.Enum(AttemptOutcome, by_value=fields.String)
    message = fields.String()
    duration_ms = fields.Integer()


class Send(Answer):
    """A send of a ticket to its platform, with every HTTP call it made."""

    id = uuid_field()
    ticket_id = uuid_field()
    state = fields.Enum(SendState, by_value=fields.String)
    target = fields.String(metadata=about(enum=["live", "sandbox"]))
    base_url = fields.String(
        metadata=about("Where the requests go (never a credential).", format="uri")
    )
    requested_at = Time()
    requested_by_id = uuid_field(allow_none=True)
    started_at = Time(allow_none=True)
    finished_at = Time(allow_none=True)
    message = fields.String(allow_none=True, metadata=about("What came of it, in a sentence."))
    attempts = fields.List(
        fields.Nested(Attempt), metadata=about("Every HTTP call the send made, in order.")
    )


# --- imports ----------------------------------------------------------------------------------


class ImportOptions(Schema):
    """How to import (services/imports.py reads them)."""

    dry_run = fields.String(
        load_default="true",
        metadata=about(
            "true: judge every row and write nothing; false: write the `create` rows.",
            enum=["true", "false"],
        ),
    )
    on_error = fields.String(
        load_default=imports.OnError.ABORT.value,
        metadata=about(
            "abort: any error row stops the import (422, nothing written); skip: the valid "
            "rows are written and the error rows left out.",
            enum=[o.value for o in imports.OnError],
        ),
    )


# --- names --------------------------------------------------------------------------------------


class NamesValidate(Request):
    """Names to check against the naming conventions."""

    names = Strings(
        required=True,
        metadata=about(
            f"The names, at most {naming.MAX_NAMES} of {naming.MAX_NAME_LENGTH} characters.",
            ["DIS_US_MULTI_2026_MoanaLaunch"],
            maxItems=naming.MAX_NAMES,
        ),
    )
    level = Text(
        load_default="campaign",
        metadata=string(
            "The level whose conventions the names follow.", enum=list(conventions.LEVELS)
        ),
    )


class ImportSummary(Answer):
    create = fields.Integer(metadata=about("Rows that make (or would make) a campaign."))
    exists = fields.Integer(
        metadata=about("Rows whose generated name is taken (ignoring case): skipped.")
    )
    error = fields.Integer(metadata=about("Rows with at least one cell to fix."))


class ImportRow(Answer):
    row = fields.Integer(metadata=about("The row's number in the sheet (the header is 1)."))
    outcome = fields.Enum(imports.Outcome, by_value=fields.String)
    name = fields.String(
        allow_none=True,
        metadata=about("The generated campaign name; null when the row cannot make one."),
    )
    errors = fields.Dict(
        keys=fields.String(metadata=about(enum=list(imports.COLUMNS))),
        values=fields.String(),
        metadata=about("A message per column at fault (empty unless the outcome is error)."),
    )
    campaign_id = fields.UUID(
        allow_none=True,
        metadata=about("The campaign made from the row, once imported.", UUID_EXAMPLE),
    )


class ImportReport(Answer):
    """Every row's outcome: what an import does (a dry run) or did."""

    dry_run = fields.Boolean()
    summary = fields.Nested(ImportSummary)
    rows = fields.List(fields.Nested(ImportRow))


class NameResult(Answer):
    """What one name came to."""

    name = fields.String()
    valid = fields.Boolean(metadata=about("It follows one version of the level's convention."))
    version = fields.Integer(
        allow_none=True, metadata=about("The newest convention version it follows.")
    )
    parts = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata=about("Its parts by segment (brand, market, channel, year, text, lists)."),
    )
    problems = fields.List(
        fields.String(),
        metadata=about("The first part that fails against the current version, and why."),
    )
    suggestion = fields.String(
        allow_none=True, metadata=about("A close name that follows the current version.")
    )
