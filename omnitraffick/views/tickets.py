"""Tickets: the list, the structured new/edit form, the ticket page and workflow moves."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth import editor_required
from ..errors import http_status
from ..extensions import db
from ..models import (
    Campaign,
    Channel,
    RequestType,
    Ticket,
    TicketStatus,
)
from ..services import campaigns, naming, queries, tickets, trafficking, utm
from ..services import settings as ticket_settings
from ..services.errors import Conflict, DomainError, ValidationError
from ..services.translators import TranslationError
from ..web import form_error, form_status, is_fragment_request, render
from . import ads as ad_views
from . import board
from .team import team_context
from .ticket_queries import filter_options, load_ticket, uuid_or_none

bp = Blueprint("tickets", __name__, url_prefix="/tickets")


@bp.context_processor
def _category_help() -> dict:
    """What each special ad category covers, for the form's one-line explanations."""
    return {"category_help": {c.value: text for c, text in ticket_settings.CATEGORY_HELP.items()}}


def _choices(enum_cls, blank: str | None = None):
    options = [SelectChoice("", blank)] if blank else []
    return options + [SelectChoice(m.value, m.value.replace("_", " ").title()) for m in enum_cls]


class CommaListField(StringField):
    """A list of short codes typed as one comma-separated line ("HU, AT")."""

    def _value(self) -> str:
        if isinstance(self.data, list):
            return ", ".join(str(item) for item in self.data)
        return super()._value()


class TicketForm(FlaskForm):
    campaign = StringField(
        "Campaign",
        description="Start typing a campaign name",
        render_kw={"list": "campaign-options", "autocomplete": "off"},
    )
    campaign_id = HiddenField()
    channel_id = SelectField("Channel", validate_choice=False)
    request_type = SelectField(
        "Request", choices=_choices(RequestType), validate_choice=False, default="CREATE_CAMPAIGN"
    )
    objective = SelectField(
        "Objective", choices=_choices(ticket_settings.Objective, "—"), validate_choice=False
    )
    budget_type = SelectField(
        "Budget type", choices=_choices(ticket_settings.BudgetType, "—"), validate_choice=False
    )
    budget_amount = StringField("Budget amount", render_kw={"inputmode": "decimal"})
    flight_start = StringField("Flight start", render_kw={"type": "date"})
    flight_end = StringField(
        "Flight end", render_kw={"type": "date"}, description="Required for a lifetime budget"
    )
    landing_url = StringField(
        "Landing URL",
        render_kw={"type": "url", "placeholder": "https://"},
        description="Apply UTM parameters sets utm_campaign (the platform name) and the "
        "channel's utm_source and utm_medium",
    )
    initial_status = SelectField(
        "Create as",
        choices=_choices(ticket_settings.DeliveryStatus),
        default="PAUSED",
        validate_choice=False,
    )
    target_status = SelectField(
        "Set status to",
        choices=_choices(ticket_settings.DeliveryStatus, "—"),
        validate_choice=False,
    )
    special_ad_categories = SelectMultipleField(
        "Special ad categories",
        choices=[
            SelectChoice(c.value, label) for c, label in ticket_settings.CATEGORY_LABELS.items()
        ],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    special_ad_category_countries = CommaListField(
        "Declared for countries",
        description="ISO codes, e.g. HU, AT; left empty, the market's country",
    )

    def settings(self) -> dict:
        return {name: self[name].data for name in ticket_settings.ALL_FIELDS}


class SendForm(FlaskForm):
    version = HiddenField()
    board = HiddenField()  # set when sent from a board card
    again = HiddenField()  # "1": a FAILED ticket goes back to Ready for API and is sent


class MoveForm(FlaskForm):
    to_status = SelectField("Move to", validate_choice=False)
    version = HiddenField()
    qa_failure_reason = TextAreaField("Reason")
    external_platform_id = StringField("Platform id")
    board = HiddenField()  # the board's query string, to recount its columns
    from_status = HiddenField()  # the status the board showed: was it moved meanwhile?


@bp.get("/")
def index():
    """List tickets with filters in the URL."""
    query = queries.parse_tickets(request.args)
    page = queries.ticket_page(query)
    context = {} if is_fragment_request() else filter_options(query)
    return render(
        "tickets/index.html",
        "tickets/_table.html",
        page=page,
        query=query,
        statuses=list(TicketStatus),
        **context,
    )


@bp.get("/campaign-options")
def campaign_options():
    """Campaign names matching what the user typed, for the new-ticket form."""
    q = request.args.get("campaign", "").strip()
    names = []
    if len(q) >= 2:
        names = db.session.scalars(
            select(Campaign.name)
            .where(queries.contains(Campaign.name, q))
            .order_by(Campaign.name)
            .limit(20)
        ).all()
    return render("tickets/_campaign_options.html", "tickets/_campaign_options.html", names=names)


def _channel_choices(form: TicketForm) -> None:
    form.channel_id.choices = [SelectChoice("", "Choose a channel…")] + [
        SelectChoice(str(id_), f"{name} ({code})")
        for id_, name, code in db.session.execute(
            select(Channel.id, Channel.platform_name, Channel.api_identifier).order_by(
                Channel.platform_name
            )
        )
    ]


def _chosen_campaign(form: TicketForm) -> Campaign | None:
    """The campaign picked by id (from a campaign page) or typed by name."""
    if form.campaign_id.data:
        campaign_id = uuid_or_none(form.campaign_id.data)
        return db.session.get(Campaign, campaign_id) if campaign_id else None
    if form.campaign.data:
        return campaigns.find_by_name(form.campaign.data.strip())
    return None


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    """Open a ticket for one channel of a campaign."""
    form = TicketForm()
    if request.method == "GET" and request.args.get("campaign_id"):
        form.campaign_id.data = request.args["campaign_id"]
    _channel_choices(form)
    campaign = _chosen_campaign(form)
    if request.method == "GET" and campaign is not None:
        # The brand's usual declaration, ticked for the trafficker to confirm or change.
        form.special_ad_categories.data = campaign.brand.special_ad_categories or []
    if request.form.get("apply_utm"):
        channel_id = uuid_or_none(form.channel_id.data or "")
        channel = db.session.get(Channel, channel_id) if channel_id else None
        return _apply_utm(
            form,
            campaign,
            channel,
            lambda status: render("tickets/new.html", form=form, campaign=campaign, status=status),
        )
    if form.validate_on_submit():
        try:
            if campaign is None:
                raise ValidationError(
                    "No campaign has that name; pick one from the suggestions.", "campaign"
                )
            ticket = tickets.create_ticket(
                campaign_id=campaign.id,
                channel_id=form.channel_id.data,
                request_type=form.request_type.data,
                settings=form.settings(),
                created_by=current_user,
            )
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Ticket {ticket.platform_name} opened as Draft.", "success")
            return redirect(url_for(".show", ticket_id=ticket.id))
    return render("tickets/new.html", form=form, campaign=campaign, status=form_status(form))


def _apply_utm(form: TicketForm, campaign: Campaign | None, channel: Channel | None, page):
    """Fill the form's landing URL with its UTM parameters (services/utm.py); saves nothing.

    Answers with the landing URL's field for htmx, else the whole form (`page(status)`).
    """
    status, note = 200, None
    if not form.validate_on_submit():
        form.landing_url.errors.append("The form has expired; reload the page.")
        status = 400
    else:
        try:
            if campaign is None:
                raise ValidationError("Choose the campaign first: utm_campaign is its name.")
            if channel is None:
                raise ValidationError("Choose the channel first: its mapping sets utm_source.")
            form.landing_url.data = utm.apply(campaign, channel, form.settings())
        except ValidationError as err:
            form.landing_url.errors.append(err.message)
            status = 422
        else:
            note = _utm_note(channel)
    if is_fragment_request():
        return render("tickets/_landing_url.html", form=form, utm_note=note, status=status)
    if note:
        flash(note, "info")
    return page(status)


def _utm_note(channel: Channel) -> str:
    code = channel.api_identifier
    if utm.mapping_for(channel.id) is None:
        return (
            f"utm_campaign applied; {code} has no UTM mapping yet (an admin sets utm_source and "
            "utm_medium on the channel's page). Save to keep it."
        )
    return f"UTM parameters applied with {code}'s mapping. Save to keep them."


@bp.get("/<uuid:ticket_id>")
def show(ticket_id):
    """The ticket page: settings, platform name, history and the moves allowed now."""
    ticket = load_ticket(ticket_id, comments=True)
    return render(
        "tickets/show.html",
        ticket=ticket,
        **_ticket_context(ticket),
        **team_context(ticket),
        **ad_views.section_context(ticket),
    )


def _payload_context(ticket: Ticket) -> dict:
    try:
        return {"translation": tickets.platform_request(ticket), "problem": None}
    except TranslationError as err:
        return {"translation": None, "problem": err}


def _names_context(ticket: Ticket, settings=None) -> dict:
    """The ticket's platform name and its ad set / ad group name (or why it cannot be made)."""
    try:
        platform_name = ticket.platform_name
    except DomainError:
        platform_name = None
    adset_name, adset_problem = naming.adset_name_for(ticket, settings)
    return {
        "platform_name": platform_name,
        "adset_name": adset_name or platform_name,
        "adset_problem": adset_problem,
    }


@bp.get("/<uuid:ticket_id>/names")
def names(ticket_id):
    """The platform and ad set / ad group names for the settings the edit form holds (htmx)."""
    ticket = load_ticket(ticket_id)
    settings = {**(ticket.payload_config or {}), **request.args.to_dict()}
    context = _names_context(ticket, settings)
    return render("tickets/_names.html", "tickets/_names.html", ticket=ticket, **context)


def _ticket_context(ticket: Ticket) -> dict:
    return {
        **_payload_context(ticket),
        **_names_context(ticket),
        "connection": trafficking.connection_of(ticket),
        "sending": trafficking.is_sending(ticket),
        "object_names": trafficking.OBJECT_NAMES,
        "moves": tickets.allowed_moves(ticket),
        "missing": ticket_settings.missing_settings(ticket.request_type, ticket.payload_config),
        "labels": ticket_settings.LABELS,
        "fields": ticket_settings.FIELDS[ticket.request_type],
        "editable": ticket.status in tickets.EDITABLE,
    }


@bp.route("/<uuid:ticket_id>/edit", methods=["GET", "POST"])
@editor_required
def edit(ticket_id):
    """Change a ticket's settings while it is DRAFT or QA_FAILED."""
    ticket = load_ticket(ticket_id)
    form = TicketForm(data=ticket.payload_config if request.method == "GET" else None)
    version = request.form.get("version", ticket.version)
    status = 200
    if request.form.get("apply_utm"):
        return _apply_utm(
            form,
            ticket.campaign,
            ticket.channel,
            lambda status: render(
                "tickets/edit.html",
                form=form,
                ticket=ticket,
                version=version,
                status=status,
                **_names_context(ticket, form.settings()),
            ),
        )
    if form.validate_on_submit():
        try:
            tickets.update_settings(ticket, form.settings(), version=version, actor=current_user)
        except DomainError as err:
            form_error(form, err)
            status = http_status(err)
            ticket = load_ticket(ticket_id)
        else:
            db.session.commit()
            flash("Settings saved.", "success")
            return redirect(url_for(".show", ticket_id=ticket.id))
    elif request.method == "GET" and ticket.status not in tickets.EDITABLE:
        flash(f"Settings are locked while the ticket is {tickets.label(ticket.status)}.", "info")
    status = status if status != 200 else form_status(form)
    return render(
        "tickets/edit.html",
        form=form,
        ticket=ticket,
        version=version,
        status=status,
        **_names_context(ticket, form.settings() if request.method == "POST" else None),
    )


@bp.post("/<uuid:ticket_id>/move")
@editor_required
def move(ticket_id):
    """Move a ticket; answers with the updated status panel, or board card and columns."""
    ticket = load_ticket(ticket_id)
    form = MoveForm()
    on_board = "board" in request.form
    error, asking, status, notice = None, None, 200, None
    if not form.validate_on_submit():
        error, status = "The form has expired; reload the page.", 400
    else:
        try:
            event = tickets.move_ticket(
                ticket,
                form.to_status.data,
                actor=current_user,
                version=form.version.data,
                reason=form.qa_failure_reason.data,
                external_platform_id=form.external_platform_id.data,
            )
        except ValidationError as err:
            db.session.rollback()
            error, status = err.message, 422
            # A move that needs a reason or a platform id asks for it inline.
            if err.field in ("qa_failure_reason", "external_platform_id"):
                asking = tickets.parse_status(form.to_status.data)
                if err.field not in request.form:
                    error = None  # first time asking: nothing to complain about yet
        except Conflict as err:
            db.session.rollback()
            error, status = err.message, 409
            if on_board and is_fragment_request() and _stale(ticket_id, form.version.data):
                # Someone else changed it while it was being dragged: it goes where it is
                # now, saying who moved it (the board's own check usually got there first).
                return board.render_stale(
                    load_ticket(ticket_id), form.board.data, form.from_status.data, status=409
                )
        else:
            db.session.commit()
            notice = _move_notice(ticket, form.to_status.data, event.warning)
    if status != 200:
        ticket = load_ticket(ticket_id)
    if not is_fragment_request():
        # Without JavaScript the move was a plain form post: go back where it came from.
        if status == 200:
            flash(f"Moved to {tickets.label(ticket.status)}.", "success")
            if notice:
                flash(notice, "info")
        else:
            flash(error or "That move needs a reason or a platform id.", "error")
        if on_board:
            return redirect(url_for("board.index") + "?" + (form.board.data or "").lstrip("?"))
        return redirect(url_for(".show", ticket_id=ticket.id))
    if on_board:
        return board.render_move(ticket, form.board.data, error, asking, status, notice=notice)
    # An UPDATE ticket's request depends on what the campaign's CREATE ticket got, so the
    # other panels refresh after a move.
    return _status_panel(ticket, error=error, status=status, changed=status == 200, asking=asking)


def _stale(ticket_id, version) -> bool:
    """Whether the ticket's version is no longer the one the page was showing."""
    current = tickets.current_version(ticket_id)
    return current is not None and str(current) != str(version or "").strip()


def _move_notice(ticket: Ticket, asked: str, warning: str | None) -> str | None:
    """What to tell after a move: what QA decided, and a column over its WIP limit."""
    said = []
    if str(asked).strip().upper() == TicketStatus.QA_TESTING.value:
        if ticket.status is TicketStatus.QA_FAILED:
            said.append(f"QA failed {ticket.platform_name}: {ticket.qa_failure_reason}")
        elif ticket.status is TicketStatus.READY_FOR_API:
            said.append(f"QA passed: {ticket.platform_name} is Ready for API.")
    if warning:
        said.append(warning)
    return " ".join(said) or None


@bp.post("/<uuid:ticket_id>/send")
@editor_required
def send(ticket_id):
    """Send a Ready for API ticket to its platform (or a Failed one again).

    Answers with the status panel, or the board card, showing the send in progress; both
    poll until the platform has answered.
    """
    ticket = load_ticket(ticket_id)
    form = SendForm()
    on_board = "board" in request.form
    error, status = None, 200
    if not form.validate_on_submit():
        error, status = "The form has expired; reload the page.", 400
    else:
        try:
            send_now = trafficking.send_again if form.again.data == "1" else trafficking.start_send
            send_now(ticket, actor=current_user, version=form.version.data)
        except DomainError as err:
            db.session.rollback()
            error, status = err.message, http_status(err)
    ticket = load_ticket(ticket_id)
    if not is_fragment_request():
        if error:
            flash(error, "error")
        elif ticket.sending_since:
            flash(f"Sending to {ticket.channel.platform_name}…", "info")
        if on_board:
            return redirect(url_for("board.index") + "?" + (form.board.data or "").lstrip("?"))
        return redirect(url_for(".show", ticket_id=ticket.id))
    if on_board:
        if error is None and ticket.status is not TicketStatus.READY_FOR_API:
            # The platform answered already: the card moves to its new column.
            return board.render_move(ticket, form.board.data, None, None, 200)
        return board.render_card(ticket, form.board.data or "", error=error, status=status)
    return _status_panel(ticket, error=error, status=status, changed=error is None)


@bp.get("/<uuid:ticket_id>/status")
def status(ticket_id):
    """The status panel as it is now; a send in progress polls it until it ends."""
    ticket = load_ticket(ticket_id)
    seen = request.args.get("version", "")
    # While the send runs, the history comes along too: each attempt shows as it happens.
    return _status_panel(
        ticket, changed=seen != str(ticket.version), history=trafficking.is_sending(ticket)
    )


def _status_panel(
    ticket: Ticket, *, error=None, status=200, changed=False, asking=None, history=False
):
    response = render(
        "tickets/_status_panel.html",
        "tickets/_status_panel.html",
        ticket=ticket,
        error=error,
        asking=asking,
        oob_history=changed or history,
        status=status,
        **_ticket_context(ticket),
    )
    if changed:
        # The request panel and QA panel depend on the status too.
        response.headers["HX-Trigger"] = "ticket-changed"
    return response


@bp.get("/<uuid:ticket_id>/payload")
def payload(ticket_id):
    """The platform request panel, as the ticket is now."""
    ticket = load_ticket(ticket_id, ads=True)
    return render(
        "tickets/_payload.html", "tickets/_payload.html", ticket=ticket, **_payload_context(ticket)
    )


@bp.get("/<uuid:ticket_id>/qa")
def qa(ticket_id):
    """The pre-flight QA panel, as the ticket is now."""
    ticket = load_ticket(ticket_id)
    return render("tickets/_qa.html", "tickets/_qa.html", ticket=ticket)


@bp.get("/<uuid:ticket_id>/card")
def card(ticket_id):
    """One board card, as it is now (e.g. to close an inline form).

    `watch=1` is a card polling while its send is in progress: nothing (204) until the
    platform has answered, then the card moves to its new column.
    """
    board_query = request.args.get("board", "")
    seen = request.args.get("version")
    if seen is not None:
        # A card being dragged asks whether someone else changed it meanwhile: no (204),
        # or the card where it is now, with who moved it, so the drag ends at once.
        current = tickets.current_version(ticket_id)
        if current is not None and str(current) == seen.strip():
            return "", 204
        return board.render_stale(load_ticket(ticket_id), board_query, request.args.get("status"))
    ticket = load_ticket(ticket_id)
    if request.args.get("watch") == "1":
        if trafficking.is_sending(ticket):
            return "", 204
        if ticket.status is not TicketStatus.READY_FOR_API:
            return board.render_move(ticket, board_query, None, None, 200)
    return board.render_card(ticket, board_query)


@bp.post("/<uuid:ticket_id>/delete")
@editor_required
def delete(ticket_id):
    """Delete a ticket that never left DRAFT."""
    ticket = load_ticket(ticket_id)
    campaign_id = ticket.campaign_id
    try:
        tickets.delete_ticket(ticket)
    except Conflict as err:
        db.session.rollback()
        flash(err.message, "error")
        ticket = load_ticket(ticket_id, ads=True)
        return render(
            "tickets/show.html",
            ticket=ticket,
            status=409,
            **_ticket_context(ticket),
            **team_context(ticket),
            **ad_views.section_context(ticket),
        )
    db.session.commit()
    flash("Draft ticket deleted.", "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))
