"""The endpoints: markets, brands, channels, campaigns and tickets, each with CRUD.

Each view reads its body with a request schema (`bp.arguments`) and answers with an answer
schema (`bp.response`); its docstring, those schemas and `answers` make its part of the
OpenAPI document.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps

from flask import current_app, g, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..auth import admin_required as admin_only
from ..auth import editor_required as editors
from ..extensions import csrf, db
from ..models import Brand, Campaign, Channel, Market, PlatformSend, Ticket
from ..services import (
    campaigns,
    imports,
    naming,
    queries,
    reference,
    spreadsheets,
    tickets,
    tokens,
    trafficking,
)
from ..services.errors import TooLarge, Unauthorized, Unsupported, ValidationError
from ..web import SAFE_METHODS
from . import bp, schemas
from .spec import ERRORS, TOTAL_COUNT, answers, openapi_path, served

csrf.exempt(bp)


@bp.before_request
def authenticate():
    """A bearer token, or the browser session (which must then send its CSRF token)."""
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        user = tokens.authenticate(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise Unauthorized("Invalid or revoked API token.")
        g._login_user = user  # Flask-Login's current user for this request
        if db.session.dirty:
            db.session.commit()  # the token's "last used" time, now and then
        return None
    g.pop("_login_user", None)  # never inherit a user from an earlier request's token
    if request.endpoint == "api.openapi":
        return None
    if not current_user.is_authenticated:
        raise Unauthorized("Authentication required: send Authorization: Bearer <token>.")
    if request.method not in SAFE_METHODS:
        csrf.protect()
    return None


@bp.before_request
def refuse_unknown_query_parameters():
    """A query parameter the operation does not document is a 422, not silently ignored."""
    rule = request.url_rule
    if rule is None or not request.args:
        return None
    allowed = served().query_parameters.get((openapi_path(rule.rule), request.method.lower()))
    if allowed is None:
        return None
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise ValidationError(
            f"Unknown query parameter {', '.join(repr(n) for n in unknown)}.",
            errors=queries.unknown_parameters(unknown, allowed),
        )
    return None


def with_row(load: Callable):
    """Hand the view the row its URL names: a 404 comes before the body is read."""

    def decorator(view):
        @wraps(view)
        def wrapped(**url_values):
            (row_id,) = url_values.values()
            return view(load(row_id))

        return wrapped

    return decorator


def listing(page: queries.Page):
    """A page of rows, with the total in X-Total-Count."""
    return page.items, {"X-Total-Count": str(page.total)}


def no_content():
    db.session.commit()
    return current_app.response_class(status=204)


WRITERS = {admin_only: "admin", editors: "admin or trafficker"}
# The errors operations answer with, besides those every operation may give (spec.py).
LIST_ERRORS = {401: None, 422: "A query argument is invalid."}
ONE_ERRORS = {401: None, 404: None}
WRITE_ERRORS = {400: None, 401: None, 403: None, 413: None, 422: None}


def documented(summary: str, description: str = "", role=None, filters=None):
    """An operation's summary and description (plus who may call it), and its query."""
    doc = {"summary": summary}
    if role is not None:
        description = f"{description} Needs role {WRITERS[role]}.".strip()
    if description:
        doc["description"] = description
    if filters is not None:
        doc["parameters"] = [{"in": "query", "schema": filters}]
    return bp.doc(**doc)


# --- the document -----------------------------------------------------------------------------


@bp.get("/openapi.json", tags=["Meta"])
@documented("This document", "Needs no authentication.")
@bp.doc(operationId="getOpenApi", security=[])
@answers({401: "An Authorization header was sent, but the token is invalid."})
@bp.response(200, {"type": "object"}, description="The OpenAPI 3.1 document.")
def openapi():
    """The OpenAPI 3.1 document; needs no authentication."""
    return jsonify(served().document)


# --- reference data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceResource:
    """One kind of reference data: its schemas, the services that keep it, its wording."""

    name: str  # "markets"
    noun: str  # "market"
    model: type
    schema: type[schemas.Row]
    create_schema: type[schemas.Request]
    update_schema: type[schemas.Request]
    filters: type[schemas.Paging]
    rows: queries.TableSpec  # how the list is searched and ordered
    create: Callable
    update: Callable
    delete: Callable
    order: str
    duplicate: str  # what makes a create or an update a duplicate (400)
    update_409: str
    delete_409: str


REFERENCE = [
    ReferenceResource(
        "markets",
        "market",
        Market,
        schemas.Market,
        schemas.MarketCreate,
        schemas.MarketUpdate,
        schemas.MarketFilters,
        queries.MARKETS,
        reference.create_market,
        reference.update_market,
        reference.delete_market,
        order="Markets by code.",
        duplicate="the code is taken",
        update_409="The code or currency cannot change: campaigns use the market.",
        delete_409="A market that campaigns use cannot be deleted (409).",
    ),
    ReferenceResource(
        "brands",
        "brand",
        Brand,
        schemas.Brand,
        schemas.BrandCreate,
        schemas.BrandUpdate,
        schemas.BrandFilters,
        queries.BRANDS,
        reference.create_brand,
        reference.update_brand,
        reference.delete_brand,
        order="Brands by name.",
        duplicate="the name or code is taken",
        update_409="The code cannot change: campaigns use the brand.",
        delete_409="A brand that campaigns use cannot be deleted (409).",
    ),
    ReferenceResource(
        "channels",
        "channel",
        Channel,
        schemas.Channel,
        schemas.ChannelCreate,
        schemas.ChannelUpdate,
        schemas.ChannelFilters,
        queries.CHANNELS,
        reference.create_channel,
        reference.update_channel,
        reference.delete_channel,
        order="Channels by platform name.",
        duplicate="the code is taken",
        update_409="The code cannot change: tickets use the channel.",
        delete_409="A channel that tickets use cannot be deleted (409).",
    ),
]


def _register_reference(res: ReferenceResource) -> None:
    rows, row = f"/{res.name}", f"/{res.name}/<uuid:row_id>"
    tags = ["Reference data"]
    load = with_row(partial(reference.get_or_404, res.model))
    duplicate = f"{ERRORS[400]} Or a duplicate: {res.duplicate}."
    fields = list(res.create_schema().fields)

    @bp.get(rows, endpoint=f"list_{res.name}", tags=tags)
    @documented(
        f"List {res.name}", f"{res.order} The total is in `X-Total-Count`.", filters=res.filters
    )
    @answers(LIST_ERRORS)
    @bp.response(
        200, res.schema(many=True), description=f"A page of {res.name}.", headers=TOTAL_COUNT
    )
    def list_rows():
        query = queries.parse_table(request.args, res.rows, res.rows.api).check()
        return listing(queries.table_page(query))

    @bp.post(rows, endpoint=f"create_{res.noun}", tags=tags)
    @admin_only
    @documented(f"Create a {res.noun}", role=admin_only)
    @answers(WRITE_ERRORS | {400: duplicate})
    @bp.arguments(res.create_schema)
    @bp.response(201, res.schema, description=f"The new {res.noun}.")
    def create_row(data):
        row = res.create(**{name: data.get(name) for name in fields})
        db.session.commit()
        return row

    @bp.get(row, endpoint=f"get_{res.noun}", tags=tags)
    @documented(f"Get a {res.noun}")
    @answers(ONE_ERRORS)
    @bp.response(200, res.schema, description=f"The {res.noun}.")
    @load
    def get_row(row):
        return row

    @bp.put(row, endpoint=f"update_{res.noun}", tags=tags)
    @admin_only
    @documented(f"Change a {res.noun}", role=admin_only)
    @answers(WRITE_ERRORS | {400: duplicate, 404: None, 409: res.update_409})
    @load
    @bp.arguments(res.update_schema)
    @bp.response(200, res.schema, description=f"The {res.noun} as saved.")
    def update_row(row, data):
        res.update(row, **{name: data.get(name, getattr(row, name)) for name in fields})
        db.session.commit()
        return row

    @bp.delete(row, endpoint=f"delete_{res.noun}", tags=tags)
    @admin_only
    @documented(f"Delete a {res.noun}", res.delete_409, role=admin_only)
    @answers(ONE_ERRORS | {403: None, 409: res.delete_409})
    @bp.response(204, description="Deleted.")
    @load
    def delete_row(row):
        res.delete(row)
        return no_content()


for _resource in REFERENCE:
    _register_reference(_resource)


# --- campaigns --------------------------------------------------------------------------------

CAMPAIGNS = ["Campaigns"]


def _load_campaign(campaign_id) -> Campaign:
    campaign = db.session.scalar(
        select(Campaign)
        .options(joinedload(Campaign.brand), joinedload(Campaign.market))
        .where(Campaign.id == campaign_id)
    )
    if campaign is None:
        reference.get_or_404(Campaign, campaign_id)
    return campaign


@bp.get("/campaigns", tags=CAMPAIGNS)
@documented(
    "List campaigns",
    "Campaigns, newest first. The total is in `X-Total-Count`.",
    filters=schemas.CampaignFilters,
)
@answers(LIST_ERRORS)
@bp.response(
    200, schemas.Campaign(many=True), description="A page of campaigns.", headers=TOTAL_COUNT
)
def list_campaigns():
    """Campaigns, newest first, filtered by brand, market, status, year and name text."""
    query = queries.parse_campaigns(request.args, queries.CAMPAIGN_API).check()
    return listing(queries.campaign_page(query))


@bp.post("/campaigns", tags=CAMPAIGNS)
@editors
@documented(
    "Create a campaign",
    "The name is generated from the taxonomy: BRAND_MARKET_MULTI_YEAR_CampaignName. "
    "Ids that point at no row are a 422.",
    role=editors,
)
@answers(
    {
        400: f"{ERRORS[400]} Or a duplicate: a campaign with the same name (ignoring case) exists.",
        401: None,
        403: None,
        413: None,
        422: None,
    }
)
@bp.arguments(schemas.CampaignCreate)
@bp.response(201, schemas.Campaign, description="The new campaign.")
def create_campaign(data):
    """Create a campaign; its name is generated from the taxonomy."""
    campaign = campaigns.create_campaign(**data, created_by=current_user)
    db.session.commit()
    return campaign


@bp.get("/campaigns/<uuid:campaign_id>", tags=CAMPAIGNS)
@documented("Get a campaign")
@answers(ONE_ERRORS)
@bp.response(200, schemas.Campaign, description="The campaign.")
@with_row(_load_campaign)
def get_campaign(campaign):
    return campaign


@bp.put("/campaigns/<uuid:campaign_id>", tags=CAMPAIGNS)
@editors
@documented("Change a campaign", "Only budget and status change.", role=editors)
@answers(WRITE_ERRORS | {404: None, 409: "That status move is not allowed."})
@with_row(_load_campaign)
@bp.arguments(schemas.CampaignUpdate)
@bp.response(200, schemas.Campaign, description="The campaign as saved.")
def update_campaign(campaign, data):
    """Change budget and/or status; every other field is fixed with the name."""
    campaigns.update_campaign(campaign, budget=data.get("budget"), status=data.get("status"))
    db.session.commit()
    return campaign


CAMPAIGN_DELETE = (
    "A campaign whose tickets have all stayed DRAFT can be deleted, with them; otherwise 409."
)


@bp.delete("/campaigns/<uuid:campaign_id>", tags=CAMPAIGNS)
@editors
@documented("Delete a campaign", CAMPAIGN_DELETE, role=editors)
@answers(ONE_ERRORS | {403: None, 409: CAMPAIGN_DELETE})
@bp.response(204, description="Deleted.")
@with_row(_load_campaign)
def delete_campaign(campaign):
    campaigns.delete_campaign(campaign)
    return no_content()


# --- tickets ----------------------------------------------------------------------------------

TICKETS = ["Tickets"]


def _load_ticket(ticket_id) -> Ticket:
    ticket = db.session.scalar(
        select(Ticket)
        .options(joinedload(Ticket.campaign), joinedload(Ticket.channel))
        .where(Ticket.id == ticket_id)
    )
    if ticket is None:
        reference.get_or_404(Ticket, ticket_id)
    return ticket


load_ticket = with_row(_load_ticket)


@bp.get("/tickets", tags=TICKETS)
@documented(
    "List tickets",
    "Tickets, most recently moved first. The total is in `X-Total-Count`.",
    filters=schemas.TicketFilters,
)
@answers(LIST_ERRORS)
@bp.response(200, schemas.Ticket(many=True), description="A page of tickets.", headers=TOTAL_COUNT)
def list_tickets():
    """Tickets, most recently moved first, filtered by status, campaign and channel."""
    query = queries.parse_tickets(request.args, queries.TICKET_API).check()
    return listing(queries.ticket_page(query))


@bp.post("/tickets", tags=TICKETS)
@editors
@documented("Create a ticket", "Opens a DRAFT ticket for one channel of a campaign.", editors)
@answers(WRITE_ERRORS)
@bp.arguments(schemas.TicketCreate)
@bp.response(201, schemas.Ticket, description="The new ticket.")
def create_ticket(data):
    """Open a DRAFT ticket."""
    ticket = tickets.create_ticket(
        campaign_id=data["campaign_id"],
        channel_id=data["channel_id"],
        request_type=data["request_type"],
        settings=data.get("payload_config") or {},
        created_by=current_user,
        assignee_id=data.get("assignee_id"),
        due_date=data.get("due_date"),
    )
    db.session.commit()
    return ticket


@bp.get("/tickets/<uuid:ticket_id>", tags=TICKETS)
@documented("Get a ticket")
@answers(ONE_ERRORS)
@bp.response(200, schemas.Ticket, description="The ticket.")
@load_ticket
def get_ticket(ticket):
    return ticket


@bp.put("/tickets/<uuid:ticket_id>", tags=TICKETS)
@editors
@documented(
    "Change a ticket",
    "Moves the ticket under the workflow's rules and/or replaces its settings. Send `version` "
    "to be refused (409) if someone changed the ticket since.",
    editors,
)
@answers(
    WRITE_ERRORS
    | {
        404: None,
        409: "An illegal move, a stale version, or settings changed outside DRAFT and QA_FAILED.",
    }
)
@load_ticket
@bp.arguments(schemas.TicketUpdate)
@bp.response(200, schemas.Ticket, description="The ticket as saved.")
def update_ticket(ticket, data):
    """Move a ticket and/or change its settings, under the workflow's rules."""
    tickets.update_ticket(
        ticket,
        actor=current_user,
        version=data.get("version"),
        status=data.get("status"),
        settings=data.get("payload_config"),
        reason=data.get("qa_failure_reason"),
        external_platform_id=data.get("external_platform_id"),
        assignee_id=data.get("assignee_id", tickets.KEEP),
        due_date=data.get("due_date", tickets.KEEP),
    )
    db.session.commit()
    return ticket


@bp.get("/tickets/<uuid:ticket_id>/payload", tags=TICKETS)
@documented(
    "The platform request a ticket becomes",
    "Built by the channel's translator from the ticket's settings, exactly as the platform's "
    "API expects. A ticket that cannot be translated is a 422 whose `errors` lists every "
    "problem, keyed by the setting at fault (or payload_config).",
)
@answers(ONE_ERRORS | {422: "The ticket cannot be translated; every problem listed."})
@bp.response(200, schemas.Payload, description="The requests, in order.")
@load_ticket
def get_ticket_payload(ticket):
    """The exact platform requests this ticket becomes; 422 lists every problem."""
    return tickets.platform_request(ticket).to_dict()


@bp.post("/tickets/<uuid:ticket_id>/send", tags=TICKETS)
@editors
@documented(
    "Send a READY_FOR_API ticket to its platform",
    "Queues a job that sends the ticket's platform requests with the channel's credentials "
    "(or to the platform sandbox) and moves the ticket to TRAFFICKED_SUCCESS with "
    "external_platform_id and platform_ids, or to FAILED with send_error. 429s wait as "
    "Retry-After says, 5xx and timeouts are retried with backoff, and a create is preceded by "
    "a search so nothing is made twice. One send per ticket at a time.",
    editors,
)
@answers(
    WRITE_ERRORS
    | {
        404: None,
        409: "Not READY_FOR_API, already being sent, a stale version, or the channel is not "
        "connected (the message says which variables to set).",
        422: "The ticket cannot be translated, or the body is invalid.",
        503: "The job queue (Redis) or the database cannot be reached; nothing was queued. "
        "Try again after Retry-After seconds.",
    }
)
@load_ticket
@bp.arguments(
    schemas.SendRequest,
    required=False,
    description=(
        "Optional: no body at all, or a JSON object. Any other body (blanks included) is a "
        "400, and a JSON value that is not an object a 422."
    ),
)
@bp.response(202, schemas.Send, description="Queued.")
def send_ticket(ticket, data):
    """Queue a send of a READY_FOR_API ticket to its platform: 202 and the send.

    The ticket moves to TRAFFICKED_SUCCESS or FAILED by itself when the platform has
    answered; GET /tickets/{id}/sends shows each HTTP call made on the way.
    """
    send = trafficking.start_send(ticket, actor=current_user, version=data.get("version"))
    return send, {"Location": f"/api/v1/tickets/{ticket.id}/sends"}


@bp.get("/tickets/<uuid:ticket_id>/sends", tags=TICKETS)
@documented("Every send of a ticket, with its HTTP calls")
@answers(ONE_ERRORS)
@bp.response(200, schemas.Send(many=True), description="Newest first.")
@load_ticket
def list_ticket_sends(ticket):
    """Every send of a ticket, newest first, with their attempts."""
    return db.session.scalars(
        select(PlatformSend)
        .where(PlatformSend.ticket_id == ticket.id)
        .order_by(PlatformSend.requested_at.desc())
        .options(selectinload(PlatformSend.attempts))
    ).all()


TICKET_DELETE = "Only DRAFT tickets can be deleted (409); the others keep their audit trail."


@bp.delete("/tickets/<uuid:ticket_id>", tags=TICKETS)
@editors
@documented("Delete a ticket", TICKET_DELETE, editors)
@answers(ONE_ERRORS | {403: None, 409: TICKET_DELETE})
@bp.response(204, description="Deleted.")
@load_ticket
def delete_ticket(ticket):
    tickets.delete_ticket(ticket)
    return no_content()


# --- imports ----------------------------------------------------------------------------------

IMPORT_FORMATS = ("text/csv", "text/plain", spreadsheets.XLSX_TYPE, "application/octet-stream")


@bp.before_app_request
def allow_import_bodies():
    """Spreadsheet imports take larger bodies than the rest of the API (set before anything
    reads the body)."""
    if request.endpoint == "api.import_campaigns":
        request.max_content_length = request.max_form_memory_size = imports.MAX_BYTES


@bp.post("/imports/campaigns", tags=["Imports"])
@editors
@documented(
    "Import campaigns (and their tickets) from a spreadsheet",
    "CSV (comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252) or XLSX, as "
    "multipart field `file` or as the body (`text/csv`, or the XLSX content type). Columns, "
    f"matched by header in any case: {', '.join(imports.COLUMNS)}; "
    f"{', '.join(imports.REQUIRED)} are required, the rest optional (channel and the ticket "
    "settings open a Draft CREATE_CAMPAIGN ticket). Every row comes back as `create`, "
    "`exists` (a campaign with the same generated name exists, ignoring case: skipped) or "
    "`error` with a message per column; rows of the file that make the same name are errors. "
    "A dry run writes nothing. An import writes every `create` row in one transaction; "
    f"with errors and on_error=abort it answers 422 with the same report and writes nothing. "
    f"At most {imports.MAX_ROWS:,} rows and {imports.MAX_BYTES // (1024 * 1024)} MB (413).",
    role=editors,
    filters=schemas.ImportOptions,
)
@bp.doc(
    requestBody={
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
)
@bp.doc(
    responses={
        422: {
            "description": "An import (dry_run=false, on_error=abort) with error rows: the "
            "report, nothing written. Or a bad query argument, a file that cannot be read, a "
            "required column missing: an error.",
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/ImportReport"},
                            {"$ref": "#/components/schemas/Error"},
                        ]
                    }
                }
            },
        }
    }
)
@answers(
    {
        401: None,
        403: None,
        409: "Someone created one of the campaigns while the import ran; nothing was written.",
        413: f"More than {imports.MAX_ROWS:,} rows, or a body over "
        f"{imports.MAX_BYTES // (1024 * 1024)} MB.",
        415: "The body is neither a multipart upload nor CSV or XLSX.",
    }
)
@bp.response(200, schemas.ImportReport, description="Every row's outcome.")
def import_campaigns():
    """Judge a spreadsheet's rows (dry run) or import them."""
    dry = imports.parse_dry_run(request.args.get("dry_run"))
    on_error = imports.parse_on_error(request.args.get("on_error"))
    table = spreadsheets.read(*_import_body(), max_rows=imports.MAX_ROWS)
    report = imports.run(table, dry=dry, on_error=on_error, actor=current_user)
    if report.blocked and not dry:
        db.session.rollback()
        return report, 422
    db.session.commit()
    return report


def _import_body() -> tuple[bytes, str]:
    """The uploaded file's bytes and name, from a multipart field or the body itself."""
    if (request.content_length or 0) > imports.MAX_BYTES:
        raise TooLarge(
            f"The upload is larger than {imports.MAX_BYTES // (1024 * 1024)} MB; split the file.",
            "file",
        )
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationError("Send the spreadsheet in the multipart field 'file'.", "file")
        return upload.read(), upload.filename or ""
    if request.mimetype not in IMPORT_FORMATS:
        raise Unsupported(
            "Send a CSV or XLSX file: multipart field 'file', or the body as text/csv "
            f"or {spreadsheets.XLSX_TYPE}."
        )
    return request.get_data(), ""


# --- names ------------------------------------------------------------------------------------


@bp.post("/names/validate", tags=["Names"])
@documented(
    "Validate and decode names",
    "One result per name, in order: valid, the convention version it follows, its parts, "
    "the first part that fails and why, and a suggested compliant name.",
)
@answers(
    {
        400: None,
        401: None,
        403: "Not answered today: every role may validate names.",
        413: None,
        422: None,
    }
)
@bp.arguments(schemas.NamesValidate)
@bp.response(200, schemas.NameResult(many=True), description="One result per name.")
def validate_names(data):
    """Validate names against the naming conventions."""
    names = naming.clean_names(data["names"])
    return [result.as_dict() for result in naming.validate_names(names, data.get("level"))]
