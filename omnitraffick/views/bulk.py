"""Bulk actions on tickets chosen on the board or the ticket list, and tickets for several
channels of a campaign in one step."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from ..auth import editor_required
from ..extensions import db
from ..models import Campaign, Ticket, TicketStatus
from ..services import bulk, queries, tickets, trafficking
from ..services.errors import DomainError, ValidationError
from ..services.settings import BudgetType, Objective
from ..web import form_error, form_status, render
from .campaigns import load_campaign_page
from .reports import campaigns_csv_response, tickets_csv_response
from .ticket_queries import board_query_args

bp = Blueprint("bulk", __name__, url_prefix="/bulk")

ACTIONS = {
    "move": "Move",
    "send": "Send the ready ones",
    "delete": "Delete drafts",
    "export": "Export as CSV",
}


class BulkForm(FlaskForm):
    ids = SelectMultipleField(validate_choice=False)
    # "1": every ticket the filters below match, not only those ticked.
    all_matching = HiddenField()
    filters = HiddenField()  # the list's or board's query string
    origin = HiddenField()  # "board" or "tickets": where "Back" goes
    action = SelectField(
        choices=[SelectChoice(k, v) for k, v in ACTIONS.items()], validate_choice=False
    )
    to_status = SelectField(
        choices=[SelectChoice("", "Move to…")]
        + [SelectChoice(s.value, tickets.label(s)) for s in TicketStatus],
        validate_choice=False,
    )
    reason = TextAreaField("Reason (for QA failed)")


def _back(form: BulkForm) -> str:
    filters = (form.filters.data or "").lstrip("?")
    page = url_for("tickets.index") if form.origin.data == "tickets" else url_for("board.index")
    return page + ("?" + filters if filters else "")


def _chosen(form: BulkForm) -> list:
    if form.all_matching.data == "1":
        surface = queries.TICKET_LIST if form.origin.data == "tickets" else queries.TICKET_BOARD
        query = queries.parse_tickets(board_query_args(form.filters.data), surface)
        return bulk.matching_ids(query)
    return bulk.selected_ids(form.ids.data or [])


@bp.post("/tickets")
@editor_required
def tickets_action():
    """Apply one action to every chosen ticket and say, per ticket, what happened."""
    form = BulkForm()
    if not form.validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    ids = _chosen(form)
    if not ids:
        flash("Choose at least one ticket first.", "error")
        return redirect(_back(form))
    action = form.action.data
    if action == "export":
        return tickets_csv_response(queries.parse_tickets({}), where=(Ticket.id.in_(ids),))
    if action == "move":
        if not form.to_status.data:
            raise ValidationError("Choose the status to move the tickets to.", "to_status")
        results = bulk.move(ids, form.to_status.data, actor=current_user, reason=form.reason.data)
        title = f"Move to {tickets.label(tickets.parse_status(form.to_status.data))}"
    elif action == "delete":
        results, title = bulk.delete_drafts(ids), "Delete drafts"
    elif action == "send":
        results, title = bulk.each_ticket(ids, _send), "Send the ready ones"
    else:
        raise ValidationError(f"Unknown action; choose one of {', '.join(ACTIONS)}.", "action")
    done = sum(1 for r in results if r.done)
    return render("bulk/result.html", results=results, title=title, done=done, back=_back(form))


@bp.post("/campaigns")
@editor_required
def campaigns_action():
    """Export or delete the chosen campaigns, saying per campaign what happened."""
    form = BulkForm()
    if not form.validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    if form.all_matching.data == "1":
        query = queries.parse_campaigns(board_query_args(form.filters.data))
        ids = bulk.matching_campaign_ids(query)
    else:
        ids = bulk.selected_ids(form.ids.data or [])
    back = url_for("campaigns.index") + ("?" + form.filters.data if form.filters.data else "")
    if not ids:
        flash("Choose at least one campaign first.", "error")
        return redirect(back)
    if form.action.data == "export":
        return campaigns_csv_response(queries.parse_campaigns({}), ids)
    if form.action.data != "delete":
        raise ValidationError("Unknown action; choose export or delete.", "action")
    results = bulk.delete_campaigns(ids)
    return render(
        "bulk/result.html",
        results=results,
        title="Delete campaigns",
        done=sum(1 for r in results if r.done),
        back=back,
        noun="campaign",
    )


def _send(ticket: Ticket) -> str:
    # start_send commits the queued send itself and hands it to the job runner.
    send = trafficking.start_send(ticket, actor=current_user)
    return f"Sending to {ticket.channel.platform_name} ({send.target})."


class ChannelTicketsForm(FlaskForm):
    channels = SelectMultipleField("Channels", validate_choice=False)
    split = SelectField(
        "Split the budget",
        choices=[SelectChoice("even", "Evenly"), SelectChoice("percent", "By percentage")],
        default="even",
        validate_choice=False,
    )
    total_budget = StringField("Budget to split", description="Blank: the campaign's budget.")
    objective = SelectField(
        "Objective",
        choices=[SelectChoice("", "—")]
        + [SelectChoice(o.value, o.value.title()) for o in Objective],
        validate_choice=False,
    )
    budget_type = SelectField(
        "Budget type",
        choices=[SelectChoice("", "—")]
        + [SelectChoice(b.value, b.value.title()) for b in BudgetType],
        validate_choice=False,
    )
    flight_start = StringField("Flight start", render_kw={"type": "date"})
    flight_end = StringField("Flight end", render_kw={"type": "date"})
    landing_url = StringField("Landing URL")

    SHARED = ("objective", "budget_type", "flight_start", "flight_end", "landing_url")


@bp.route("/campaigns/<uuid:campaign_id>/tickets", methods=["GET", "POST"])
@editor_required
def channel_tickets(campaign_id):
    """Open a Draft CREATE_CAMPAIGN ticket for each chosen channel, in one step."""
    campaign = load_campaign_page(campaign_id)
    form = ChannelTicketsForm()
    channels = bulk.channel_options()
    form.channels.choices = [SelectChoice(str(c.id), c.platform_name) for c in channels]
    percents = {str(c.id): request.form.get(f"percent_{c.id}", "") for c in channels}
    percent_errors: dict = {}
    if form.validate_on_submit():
        try:
            made = bulk.tickets_for_channels(
                campaign,
                form.channels.data,
                settings={name: form[name].data for name in form.SHARED},
                total_budget=form.total_budget.data,
                percents=percents if form.split.data == "percent" else None,
                actor=current_user,
            )
        except DomainError as err:
            percent_errors = getattr(err, "errors", {}) or {}
            form_error(form, err)
            if not form.form_errors and not any(f.errors for f in form):
                form.form_errors.append(err.message)
        else:
            db.session.commit()
            names = ", ".join(t.channel.platform_name for t in made)
            flash(f"{len(made)} Draft tickets opened: {names}.", "success")
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return render(
        "bulk/channel_tickets.html",
        form=form,
        campaign=_reloaded(campaign),
        channels=channels,
        percents=percents,
        percent_errors=percent_errors,
        status=form_status(form),
    )


def _reloaded(campaign: Campaign) -> Campaign:
    """After a rollback the campaign's page data is reloaded, in the same few queries."""
    return load_campaign_page(campaign.id)
