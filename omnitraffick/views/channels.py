"""Channels: the ad platforms tickets are trafficked to, and where their sends go."""

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import InputRequired

from ..services import queries, reference, trafficking
from .reference_data import Column, Kind, blueprint


class ChannelForm(FlaskForm):
    platform_name = StringField(
        "Platform name", validators=[InputRequired()], description="e.g. Meta"
    )
    api_identifier = StringField(
        "API identifier",
        validators=[InputRequired()],
        description="Used in platform names and to pick the translator, e.g. META",
    )
    lead_days = StringField(
        "Lead time (days)",
        render_kw={"inputmode": "numeric"},
        description="A ticket is due this many days before its flight starts; blank: no default",
    )
    utm_source = StringField(
        "utm_source", description="Lowercase, e.g. facebook; blank with utm_medium: no mapping"
    )
    utm_medium = StringField("utm_medium", description="Lowercase, e.g. paid_social")
    utm_extra = TextAreaField(
        "Further parameters",
        description="One per line, e.g. utm_source_platform = meta_ads (utm_id, utm_term, "
        "utm_content, utm_source_platform, utm_creative_format, utm_marketing_tactic)",
        render_kw={"rows": 2},
    )
    utm_content_adset = BooleanField("utm_content is the ad set / ad group name", default=True)
    utm_lowercase_names = BooleanField("Names in lowercase too (utm_campaign, utm_content)")


def _connections() -> dict:
    """How the list says where each channel's sends go (live, sandbox or nowhere)."""
    config = current_app.config
    return {"connection_for": lambda code: trafficking.connection_for(code, config)}


CHANNELS = Kind(
    name="channels",
    noun="channel",
    table=queries.CHANNELS,
    columns=(
        Column("Platform", "platform_name"),
        Column("API identifier", "api_identifier", "code"),
        Column("Sends go to", "api_identifier", "connection", sortable=False),
    ),
    search_placeholder="Search platform or code",
    form=ChannelForm,
    layout=(
        (None, ("platform_name", "api_identifier", "lead_days")),
        ("UTM parameters of landing URLs", ("utm_source", "utm_medium")),
        (None, ("utm_extra",)),
        (None, ("utm_content_adset", "utm_lowercase_names")),
    ),
    initial=reference.utm_fields,
    # Messages and the page title name the code; the form's heading, the platform.
    called=lambda channel: channel.api_identifier,
    heading=lambda channel: channel.platform_name,
    create=reference.create_channel,
    update=reference.update_channel,
    delete=reference.delete_channel,
    list_context=_connections,
)

bp = blueprint(CHANNELS)
