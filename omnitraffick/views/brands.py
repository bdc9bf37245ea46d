"""Brands: the advertisers campaigns are run for, with their budget ceilings for QA."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, StringField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..services import queries, reference
from ..services.settings import CATEGORY_LABELS
from .reference_data import Column, Kind, blueprint


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
    special_ad_categories = SelectMultipleField(
        "Special ad categories",
        choices=[SelectChoice(c.value, label) for c, label in CATEGORY_LABELS.items()],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description="What this brand's new campaigns declare unless a ticket says otherwise "
        "(a bank: financial products and services)",
    )


BRANDS = Kind(
    name="brands",
    noun="brand",
    table=queries.BRANDS,
    columns=(Column("Name", "name"), Column("Internal code", "internal_code", "code")),
    search_placeholder="Search name or code",
    form=BrandForm,
    layout=(
        (None, ("name", "internal_code")),
        (
            "Budget ceilings for pre-flight QA",
            ("daily_budget_ceiling", "lifetime_budget_ceiling", "ceiling_currency"),
        ),
        ("Compliance declaration by default", ("special_ad_categories",)),
    ),
    called=lambda brand: brand.name,
    create=reference.create_brand,
    update=reference.update_brand,
    delete=reference.delete_brand,
)

bp = blueprint(BRANDS)
