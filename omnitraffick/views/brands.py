"""Brands: the advertisers campaigns are run for."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from ..auth import admin_required
from ..extensions import db
from ..models import Brand
from ..services import queries, reference
from ..services.errors import Conflict, DomainError
from ..web import form_error, form_status, render

bp = Blueprint("brands", __name__, url_prefix="/brands")

FIELDS = (
    "name",
    "internal_code",
    "daily_budget_ceiling",
    "lifetime_budget_ceiling",
    "ceiling_currency",
)


class BrandForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired()], description="e.g. Disney")
    internal_code = StringField(
        "Internal code", validators=[InputRequired()], description="Used in names, e.g. DIS"
    )

    daily_budget_ceiling = StringField(
        "Daily budget ceiling", description="Optional; QA blocks daily budgets above it"
    )
    lifetime_budget_ceiling = StringField(
        "Lifetime budget ceiling", description="Optional; QA blocks lifetime budgets above it"
    )
    ceiling_currency = StringField("Ceiling currency", description="ISO 4217, e.g. USD")

    def values(self) -> dict:
        return {name: self[name].data for name in FIELDS}


def get_brand_or_404(brand_id) -> Brand:
    return reference.get_or_404(Brand, brand_id)


@bp.get("/")
def index():
    """List brands, searchable and sortable."""
    query = queries.parse_table(request.args, queries.BRANDS)
    page = queries.table_page(query)
    return render(
        "brands/index.html",
        "brands/_table.html",
        page=page,
        query=query,
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    """Create a brand."""
    form = BrandForm()
    if form.validate_on_submit():
        try:
            brand = reference.create_brand(**form.values())
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Brand {brand.name} created.", "success")
            return redirect(url_for(".index"))
    return render("brands/form.html", form=form, brand=None, status=form_status(form))


@bp.route("/<uuid:brand_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(brand_id):
    """Change a brand."""
    brand = get_brand_or_404(brand_id)
    form = BrandForm(obj=brand)
    if form.validate_on_submit():
        try:
            reference.update_brand(brand, **form.values())
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Brand {brand.name} saved.", "success")
            return redirect(url_for(".index"))
    return render("brands/form.html", form=form, brand=brand, status=form_status(form))


@bp.post("/<uuid:brand_id>/delete")
@admin_required
def delete(brand_id):
    """Delete a brand that no campaign uses."""
    brand = get_brand_or_404(brand_id)
    try:
        reference.delete_brand(brand)
    except Conflict as err:
        db.session.rollback()
        flash(err.message, "error")
        return render("brands/form.html", form=BrandForm(obj=brand), brand=brand, status=409)
    db.session.commit()
    flash(f"Brand {brand.name} deleted.", "success")
    return redirect(url_for(".index"))
