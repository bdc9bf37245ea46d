"""Campaigns: the list, the live-previewed new form, the campaign page, edit and delete."""

from collections import defaultdict
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired

from ..auth import editor_required
from ..extensions import db
from ..models import Brand, Campaign, CampaignStatus, Market, Ticket, TicketStatus
from ..services import campaigns, naming, queries, rates, reference
from ..services.countries import country_name
from ..services.currencies import amount_text
from ..services.errors import Conflict, DomainError
from ..web import form_error, form_status, is_fragment_request, render

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


class CampaignForm(FlaskForm):
    # Both are reported at once when left empty (the service would stop at the first).
    brand_id = SelectField(
        "Brand", validators=[InputRequired("Choose a brand.")], validate_choice=False
    )
    market_id = SelectField(
        "Market", validators=[InputRequired("Choose a market.")], validate_choice=False
    )
    year = StringField("Year", default=lambda: str(date.today().year))
    campaign_name = StringField(
        "Campaign name",
        validators=[InputRequired()],
        description="Letters and digits are kept as typed; spaces and symbols are dropped.",
    )
    budget = StringField("Budget", validators=[InputRequired()], default="0")
    status = SelectField(
        "Status",
        choices=[SelectChoice(s.value, s.value.title()) for s in campaigns.INITIAL_STATUSES],
        default=CampaignStatus.DRAFT.value,
        validate_choice=False,
    )

    def load_choices(self) -> None:
        brands = db.session.execute(
            select(Brand.id, Brand.name, Brand.internal_code).order_by(Brand.name)
        )
        markets = db.session.execute(
            select(Market.id, Market.code, Market.country, Market.currency).order_by(Market.code)
        )
        self.brand_id.choices = [SelectChoice("", "Choose a brand…")] + [
            SelectChoice(str(id_), f"{name} ({code})") for id_, name, code in brands
        ]
        self.market_id.choices = [SelectChoice("", "Choose a market…")] + [
            SelectChoice(str(id_), f"{code} — {country_name(country)} ({currency})")
            for id_, code, country, currency in markets
        ]


class EditCampaignForm(FlaskForm):
    budget = StringField("Budget", validators=[InputRequired()])
    status = SelectField("Status", validate_choice=False)


def get_campaign_or_404(campaign_id) -> Campaign:
    return reference.get_or_404(Campaign, campaign_id)


def ticket_counts(campaign_ids) -> dict:
    """Tickets per status for each campaign, in one query."""
    counts: dict = defaultdict(dict)
    if campaign_ids:
        rows = db.session.execute(
            select(Ticket.campaign_id, Ticket.status, func.count())
            .where(Ticket.campaign_id.in_(campaign_ids))
            .group_by(Ticket.campaign_id, Ticket.status)
        )
        for campaign_id, status, n in rows:
            counts[campaign_id][status] = n
    return counts


@bp.get("/")
def index():
    """List campaigns with search, filters, sorting and pages, all in the URL."""
    query = queries.parse_campaigns(request.args)
    # Ranked by budget across currencies: at which rates, said on the page with the amounts.
    conversion = rates.conversion() if query.sort == "budget" else None
    context = {"query": query, "conversion": conversion}
    market_ids = None
    if not is_fragment_request():
        # The filter bar is only on the full page; a budget order reuses its market ids.
        context["markets"] = db.session.execute(
            select(Market.id, Market.code).order_by(Market.code)
        ).all()
        market_ids = [id_ for id_, _ in context["markets"]]
    page = queries.campaign_page(query, conversion.per_euro() if conversion else None, market_ids)
    context["page"] = page
    context["counts"] = ticket_counts([c.id for c in page.items])
    if not is_fragment_request():
        context["brands"] = db.session.execute(
            select(Brand.id, Brand.name).order_by(Brand.name)
        ).all()
        # Two look-ups of the year index (SQLite reads every row for both in one aggregate).
        first, last = db.session.execute(
            select(
                select(func.min(Campaign.year)).scalar_subquery(),
                select(func.max(Campaign.year)).scalar_subquery(),
            )
        ).one()
        context["years"] = list(range(last, first - 1, -1)) if first else []
    return render(
        "campaigns/index.html",
        "campaigns/_table.html",
        statuses=list(CampaignStatus),
        ticket_statuses=list(TicketStatus),
        **context,
    )


def chosen_picks(source, lists) -> dict[str, str]:
    """The pick-list values the form's pick_<CODE> selects hold."""
    return {pl.code: source.get(f"pick_{pl.code}", "") for pl in lists}


@bp.get("/preview")
def preview():
    """The generated name for what the new-campaign form holds right now."""
    result = campaigns.preview_name(
        request.args.get("brand_id"),
        request.args.get("market_id"),
        request.args.get("year"),
        request.args.get("campaign_name"),
        chosen_picks(request.args, naming.campaign_pick_lists()),
    )
    # The form's Create button comes along out of band: disabled while the name is taken.
    return render("campaigns/_preview.html", "campaigns/_preview.html", preview=result, oob=True)


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    """Create a campaign."""
    form = CampaignForm()
    form.load_choices()
    pick_lists = naming.campaign_pick_lists()
    picks = chosen_picks(request.form, pick_lists)
    if form.validate_on_submit():
        try:
            campaign = campaigns.create_campaign(
                brand_id=form.brand_id.data,
                market_id=form.market_id.data,
                campaign_name=form.campaign_name.data,
                year=form.year.data,
                budget=form.budget.data,
                status=form.status.data,
                created_by=current_user,
                name_picks=picks,
            )
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Campaign {campaign.name} created.", "success")
            return redirect(url_for(".show", campaign_id=campaign.id))
    result = campaigns.preview_name(
        form.brand_id.data, form.market_id.data, form.year.data, form.campaign_name.data, picks
    )
    return render(
        "campaigns/new.html",
        form=form,
        preview=result,
        status=form_status(form),
        pick_lists=pick_lists,
        picks=picks,
    )


@bp.get("/<uuid:campaign_id>")
def show(campaign_id):
    """The campaign page: decoded name, budget, status, tickets, who created it."""
    return render("campaigns/show.html", campaign=load_campaign_page(campaign_id))


def load_campaign_page(campaign_id, *extra_options) -> Campaign:
    """A campaign with everything its page shows, in a fixed number of queries."""
    campaign = db.session.scalar(
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(
            joinedload(Campaign.brand),
            joinedload(Campaign.market),
            joinedload(Campaign.created_by),
            selectinload(Campaign.tickets).joinedload(Ticket.channel),
            *extra_options,
        )
    )
    if campaign is None:
        abort(404)
    return campaign


@bp.route("/<uuid:campaign_id>/edit", methods=["GET", "POST"])
@editor_required
def edit(campaign_id):
    """Change a campaign's budget and status (nothing else can change)."""
    campaign = get_campaign_or_404(campaign_id)
    form = EditCampaignForm(obj=campaign, status=campaign.status.value)
    form.status.choices = [
        SelectChoice(s.value, s.value.title()) for s in campaigns.allowed_statuses(campaign)
    ]
    if request.method == "GET":
        form.budget.data = amount_text(campaign.budget, campaign.market.currency)
    if form.validate_on_submit():
        try:
            campaigns.update_campaign(campaign, budget=form.budget.data, status=form.status.data)
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Campaign {campaign.name} saved.", "success")
            return redirect(url_for(".show", campaign_id=campaign.id))
    return render("campaigns/edit.html", form=form, campaign=campaign, status=form_status(form))


@bp.post("/<uuid:campaign_id>/delete")
@editor_required
def delete(campaign_id):
    """Delete a campaign none of whose tickets has left DRAFT."""
    campaign = get_campaign_or_404(campaign_id)
    name = campaign.name
    try:
        campaigns.delete_campaign(campaign)
    except Conflict as err:
        db.session.rollback()
        flash(err.message, "error")
        return render("campaigns/show.html", campaign=load_campaign_page(campaign_id), status=409)
    db.session.commit()
    flash(f"Campaign {name} deleted.", "success")
    return redirect(url_for(".index"))
