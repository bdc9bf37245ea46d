"""Channels: the ad platforms tickets are trafficked to, and where their sends go."""

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import StringField
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
    layout=((None, ("platform_name", "api_identifier", "lead_days")),),
    # Messages and the page title name the code; the form's heading, the platform.
    called=lambda channel: channel.api_identifier,
    heading=lambda channel: channel.platform_name,
    create=reference.create_channel,
    update=reference.update_channel,
    delete=reference.delete_channel,
    list_context=_connections,
)

bp = blueprint(CHANNELS)
