"""The endpoints: markets, brands, channels, campaigns and tickets, each with CRUD."""

import re
from dataclasses import dataclass

from flask import g, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..auth import admin_required as admin_only
from ..auth import editor_required as editors
from ..extensions import csrf, db
from ..models import (
    Brand,
    Campaign,
    CampaignStatus,
    Channel,
    Market,
    PlatformSend,
    Ticket,
)
from ..services import campaigns, queries, reference, tickets, tokens, trafficking
from ..services.errors import Unauthorized, ValidationError
from . import bp
from .body import json_body
from .openapi import document
from .resources import (
    brand_json,
    campaign_json,
    channel_json,
    market_json,
    send_json,
    ticket_json,
)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
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
    path = re.sub(r"<(?:\w+:)?\w+>", "{id}", rule.rule.removeprefix(bp.url_prefix))
    operation = document()["paths"].get(path, {}).get(request.method.lower())
    if operation is None:
        return None
    allowed = {p["name"] for p in operation.get("parameters", ()) if p.get("in") == "query"}
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise ValidationError(
            f"Unknown query parameter {', '.join(repr(n) for n in unknown)}.",
            errors=queries.unknown_parameters(unknown, allowed),
        )
    return None


def listing(page: queries.Page, serialize):
    """A page of rows as a JSON array, with the total in X-Total-Count."""
    response = jsonify([serialize(row) for row in page.items])
    response.headers["X-Total-Count"] = str(page.total)
    return response


def created(body: dict):
    db.session.commit()
    return jsonify(body), 201


def no_content():
    db.session.commit()
    return "", 204


# --- reference data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceResource:
    """One kind of reference data and the services that keep it."""

    name: str
    model: type
    serialize: object
    fields: dict[str, str]  # field -> body kind
    required: tuple[str, ...]
    rows: queries.TableSpec  # how the list is searched and ordered
    create: object
    update: object
    delete: object


REFERENCE = [
    ReferenceResource(
        "markets",
        Market,
        market_json,
        dict.fromkeys(("code", "country", "region", "currency"), "string"),
        ("code", "country", "region", "currency"),
        queries.MARKETS,
        reference.create_market,
        reference.update_market,
        reference.delete_market,
    ),
    ReferenceResource(
        "brands",
        Brand,
        brand_json,
        {
            "name": "string",
            "internal_code": "string",
            "daily_budget_ceiling": "nullable_decimal",
            "lifetime_budget_ceiling": "nullable_decimal",
            "ceiling_currency": "nullable_string",
        },
        ("name", "internal_code"),
        queries.BRANDS,
        reference.create_brand,
        reference.update_brand,
        reference.delete_brand,
    ),
    ReferenceResource(
        "channels",
        Channel,
        channel_json,
        dict.fromkeys(("platform_name", "api_identifier"), "string"),
        ("platform_name", "api_identifier"),
        queries.CHANNELS,
        reference.create_channel,
        reference.update_channel,
        reference.delete_channel,
    ),
]


def _register_reference(res: ReferenceResource) -> None:

    def list_rows():
        query = queries.parse_table(request.args, res.rows, res.rows.api).check()
        return listing(queries.table_page(query), res.serialize)

    def create_row():
        data = json_body(res.fields, required=res.required)
        row = res.create(**{name: data.get(name) for name in res.fields})
        return created(res.serialize(row))

    def get_row(row_id):
        return jsonify(res.serialize(reference.get_or_404(res.model, row_id)))

    def update_row(row_id):
        row = reference.get_or_404(res.model, row_id)
        data = json_body(res.fields)
        values = {name: data.get(name, getattr(row, name)) for name in res.fields}
        res.update(row, **values)
        db.session.commit()
        return jsonify(res.serialize(row))

    def delete_row(row_id):
        res.delete(reference.get_or_404(res.model, row_id))
        return no_content()

    prefix = f"/{res.name}"
    bp.add_url_rule(prefix, f"list_{res.name}", list_rows, methods=["GET"])
    bp.add_url_rule(prefix, f"create_{res.name}", admin_only(create_row), methods=["POST"])
    bp.add_url_rule(f"{prefix}/<uuid:row_id>", f"get_{res.name}", get_row, methods=["GET"])
    bp.add_url_rule(
        f"{prefix}/<uuid:row_id>", f"update_{res.name}", admin_only(update_row), methods=["PUT"]
    )
    bp.add_url_rule(
        f"{prefix}/<uuid:row_id>", f"delete_{res.name}", admin_only(delete_row), methods=["DELETE"]
    )


for _resource in REFERENCE:
    _register_reference(_resource)


# --- campaigns --------------------------------------------------------------------------------

CAMPAIGN_FIELDS = {
    "brand_id": "uuid",
    "market_id": "uuid",
    "campaign_name": "string",
    "year": "year",
    "budget": "decimal",
    "status": "string",
}
CAMPAIGN_FIXED = ("id", "name", "campaign_name", "brand_id", "market_id", "year", "created_at")


def _campaign_query():
    return select(Campaign).options(joinedload(Campaign.brand), joinedload(Campaign.market))


def _load_campaign(campaign_id) -> Campaign:
    campaign = db.session.scalar(_campaign_query().where(Campaign.id == campaign_id))
    if campaign is None:
        reference.get_or_404(Campaign, campaign_id)
    return campaign


@bp.get("/campaigns")
def list_campaigns():
    """Campaigns, newest first, filtered by brand, market, status, year and name text."""
    query = queries.parse_campaigns(request.args, queries.CAMPAIGN_API).check()
    return listing(queries.campaign_page(query), campaign_json)


@bp.post("/campaigns")
@editors
def create_campaign():
    """Create a campaign; its name is generated from the taxonomy."""
    data = json_body(CAMPAIGN_FIELDS, required=("brand_id", "market_id", "campaign_name", "budget"))
    campaign = campaigns.create_campaign(
        brand_id=data["brand_id"],
        market_id=data["market_id"],
        campaign_name=data["campaign_name"],
        year=data.get("year"),
        budget=data["budget"],
        status=data.get("status", CampaignStatus.DRAFT.value),
        created_by=current_user,
    )
    return created(campaign_json(campaign))


@bp.get("/campaigns/<uuid:campaign_id>")
def get_campaign(campaign_id):
    return jsonify(campaign_json(_load_campaign(campaign_id)))


@bp.put("/campaigns/<uuid:campaign_id>")
@editors
def update_campaign(campaign_id):
    """Change budget and/or status; every other field is fixed with the name."""
    campaign = _load_campaign(campaign_id)
    data = request.get_json(silent=True)
    if isinstance(data, dict):  # a body that is not an object is refused by json_body below
        fixed = sorted(set(data) & set(CAMPAIGN_FIXED))
        if fixed:
            raise ValidationError(
                f"{', '.join(fixed)} cannot change: a campaign's name, brand, market and year "
                "are fixed when it is created. Only budget and status can change.",
                errors={name: ["This field cannot change."] for name in fixed},
            )
    data = json_body({"budget": "decimal", "status": "string"})
    campaigns.update_campaign(campaign, budget=data.get("budget"), status=data.get("status"))
    db.session.commit()
    return jsonify(campaign_json(campaign))


@bp.delete("/campaigns/<uuid:campaign_id>")
@editors
def delete_campaign(campaign_id):
    campaigns.delete_campaign(_load_campaign(campaign_id))
    return no_content()


# --- tickets ----------------------------------------------------------------------------------

TICKET_CREATE_FIELDS = {
    "campaign_id": "uuid",
    "channel_id": "uuid",
    "request_type": "string",
    "payload_config": "object",
}
TICKET_UPDATE_FIELDS = {
    "status": "string",
    "external_platform_id": "nullable_string",
    "qa_failure_reason": "nullable_string",
    "version": "integer",
    "payload_config": "object",
}


def _ticket_query():
    return select(Ticket).options(joinedload(Ticket.campaign), joinedload(Ticket.channel))


def _load_ticket(ticket_id) -> Ticket:
    ticket = db.session.scalar(_ticket_query().where(Ticket.id == ticket_id))
    if ticket is None:
        reference.get_or_404(Ticket, ticket_id)
    return ticket


@bp.get("/tickets")
def list_tickets():
    """Tickets, most recently moved first, filtered by status, campaign and channel."""
    query = queries.parse_tickets(request.args, queries.TICKET_API).check()
    return listing(queries.ticket_page(query), ticket_json)


@bp.post("/tickets")
@editors
def create_ticket():
    """Open a DRAFT ticket."""
    data = json_body(TICKET_CREATE_FIELDS, required=("campaign_id", "channel_id", "request_type"))
    ticket = tickets.create_ticket(
        campaign_id=data["campaign_id"],
        channel_id=data["channel_id"],
        request_type=data["request_type"],
        settings=data.get("payload_config") or {},
        created_by=current_user,
    )
    return created(ticket_json(ticket))


@bp.get("/tickets/<uuid:ticket_id>")
def get_ticket(ticket_id):
    return jsonify(ticket_json(_load_ticket(ticket_id)))


@bp.put("/tickets/<uuid:ticket_id>")
@editors
def update_ticket(ticket_id):
    """Move a ticket and/or change its settings, under the workflow's rules."""
    ticket = _load_ticket(ticket_id)
    data = json_body(TICKET_UPDATE_FIELDS)
    tickets.update_ticket(
        ticket,
        actor=current_user,
        version=data.get("version"),
        status=data.get("status"),
        settings=data.get("payload_config"),
        reason=data.get("qa_failure_reason"),
        external_platform_id=data.get("external_platform_id"),
    )
    db.session.commit()
    return jsonify(ticket_json(ticket))


@bp.get("/tickets/<uuid:ticket_id>/payload")
def ticket_payload(ticket_id):
    """The exact platform requests this ticket becomes; 422 lists every problem."""
    ticket = _load_ticket(ticket_id)
    return jsonify(tickets.platform_request(ticket).to_dict())


@bp.post("/tickets/<uuid:ticket_id>/send")
@editors
def send_ticket(ticket_id):
    """Queue a send of a READY_FOR_API ticket to its platform: 202 and the send.

    The ticket moves to TRAFFICKED_SUCCESS or FAILED by itself when the platform has
    answered; GET /tickets/{id}/sends shows each HTTP call made on the way.
    """
    ticket = _load_ticket(ticket_id)
    # No body at all is "send it"; anything else, blanks included, must be a JSON object.
    data = json_body({"version": "integer"}) if request.get_data() else {}
    send = trafficking.start_send(ticket, actor=current_user, version=data.get("version"))
    response = jsonify(send_json(send))
    response.status_code = 202
    response.headers["Location"] = f"/api/v1/tickets/{ticket_id}/sends"
    return response


@bp.get("/tickets/<uuid:ticket_id>/sends")
def ticket_sends(ticket_id):
    """Every send of a ticket, newest first, with their attempts."""
    ticket = _load_ticket(ticket_id)
    sends = db.session.scalars(
        select(PlatformSend)
        .where(PlatformSend.ticket_id == ticket.id)
        .order_by(PlatformSend.requested_at.desc())
        .options(selectinload(PlatformSend.attempts))
    ).all()
    return jsonify([send_json(send) for send in sends])


@bp.delete("/tickets/<uuid:ticket_id>")
@editors
def delete_ticket(ticket_id):
    tickets.delete_ticket(_load_ticket(ticket_id))
    return no_content()
