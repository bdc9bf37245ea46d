"""Markets: where campaigns run, and in which currency their budgets are kept."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from ..auth import admin_required
from ..extensions import db
from ..models import Market
from ..services import queries, reference
from ..services.countries import country_choices
from ..services.errors import Conflict, DomainError
from ..web import form_error, form_status, render

bp = Blueprint("markets", __name__, url_prefix="/markets")


class MarketForm(FlaskForm):
    code = StringField("Code", validators=[InputRequired()], description="e.g. US, UK, DE_AT")
    country = SelectField("Country", validators=[InputRequired()], validate_choice=False)
    region = StringField("Region", validators=[InputRequired()], description="e.g. NA, EMEA")
    currency = StringField(
        "Currency", validators=[InputRequired()], description="ISO 4217, e.g. USD"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service validates the code; an unknown one comes back with its message.
        self.country.choices = [("", "Choose a country")] + list(country_choices())

    def values(self) -> dict:
        return {name: self[name].data for name in ("code", "country", "region", "currency")}


def get_market_or_404(market_id) -> Market:
    return reference.get_or_404(Market, market_id)


@bp.get("/")
def index():
    """List markets, searchable and sortable."""
    query = queries.parse_table(request.args, queries.MARKETS)
    page = queries.table_page(query)
    return render(
        "markets/index.html",
        "markets/_table.html",
        page=page,
        query=query,
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    """Create a market."""
    form = MarketForm()
    if form.validate_on_submit():
        try:
            market = reference.create_market(**form.values())
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Market {market.code} created.", "success")
            return redirect(url_for(".index"))
    return render("markets/form.html", form=form, market=None, status=form_status(form))


@bp.route("/<uuid:market_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(market_id):
    """Change a market."""
    market = get_market_or_404(market_id)
    form = MarketForm(obj=market)
    if form.validate_on_submit():
        try:
            reference.update_market(market, **form.values())
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Market {market.code} saved.", "success")
            return redirect(url_for(".index"))
    return render("markets/form.html", form=form, market=market, status=form_status(form))


@bp.post("/<uuid:market_id>/delete")
@admin_required
def delete(market_id):
    """Delete a market that no campaign uses."""
    market = get_market_or_404(market_id)
    try:
        reference.delete_market(market)
    except Conflict as err:
        db.session.rollback()
        flash(err.message, "error")
        form = MarketForm(obj=market)
        return render("markets/form.html", form=form, market=market, status=409)
    db.session.commit()
    flash(f"Market {market.code} deleted.", "success")
    return redirect(url_for(".index"))
