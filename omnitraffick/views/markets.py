"""Markets: where campaigns run, and in which currency their budgets are kept."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from ..services import queries, reference
from ..services.countries import country_choices
from ..services.timezones import zone_choices
from .reference_data import Column, Kind, blueprint


class MarketForm(FlaskForm):
    code = StringField("Code", validators=[InputRequired()], description="e.g. US, UK, DE_AT")
    country = SelectField("Country", validators=[InputRequired()], validate_choice=False)
    region = StringField("Region", validators=[InputRequired()], description="e.g. NA, EMEA")
    currency = StringField(
        "Currency", validators=[InputRequired()], description="ISO 4217, e.g. USD"
    )
    time_zone = SelectField(
        "Time zone",
        validate_choice=False,
        description="IANA zone; flights run from 00:00 to 23:59:59 here. Leave it on "
        '"The country\'s only zone" for a country with one.',
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service validates the code; an unknown one comes back with its message.
        self.country.choices = [("", "Choose a country")] + list(country_choices())
        # Likewise the zone, which must be one of the country's.
        self.time_zone.choices = [("", "The country's only zone")] + [
            (zone, zone) for zone in zone_choices()
        ]


MARKETS = Kind(
    name="markets",
    noun="market",
    table=queries.MARKETS,  # its search finds countries by name too
    columns=(
        Column("Code", "code", "code"),
        Column("Country", "country", "country"),
        Column("Region", "region"),
        Column("Currency", "currency"),
        Column("Time zone", "time_zone", sortable=False),
    ),
    search_placeholder="Search code, country or region",
    form=MarketForm,
    layout=((None, ("code", "currency")), (None, ("country", "region")), (None, ("time_zone",))),
    called=lambda market: market.code,
    create=reference.create_market,
    update=reference.update_market,
    delete=reference.delete_market,
)

bp = blueprint(MARKETS)
