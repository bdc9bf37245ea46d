"""Channels: the ad platforms tickets are trafficked to."""

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from ..auth import admin_required
from ..extensions import db
from ..models import Channel
from ..services import queries, reference, trafficking
from ..services.errors import Conflict, DomainError
from ..web import form_error, form_status, render

bp = Blueprint("channels", __name__, url_prefix="/channels")


class ChannelForm(FlaskForm):
    platform_name = StringField(
        "Platform name", validators=[InputRequired()], description="e.g. Meta"
    )
    api_identifier = StringField(
        "API identifier",
        validators=[InputRequired()],
        description="Used in platform names and to pick the translator, e.g. META",
    )

    def values(self) -> dict:
        return {
            "platform_name": self.platform_name.data,
            "api_identifier": self.api_identifier.data,
        }


def get_channel_or_404(channel_id) -> Channel:
    return reference.get_or_404(Channel, channel_id)


@bp.get("/")
def index():
    """List channels, searchable and sortable."""
    query = queries.parse_table(request.args, queries.CHANNELS)
    page = queries.table_page(query)
    return render(
        "channels/index.html",
        "channels/_table.html",
        page=page,
        query=query,
        connection_for=lambda code: trafficking.connection_for(code, current_app.config),
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    """Create a channel."""
    form = ChannelForm()
    if form.validate_on_submit():
        try:
            channel = reference.create_channel(**form.values())
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Channel {channel.api_identifier} created.", "success")
            return redirect(url_for(".index"))
    return render("channels/form.html", form=form, channel=None, status=form_status(form))


@bp.route("/<uuid:channel_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(channel_id):
    """Change a channel."""
    channel = get_channel_or_404(channel_id)
    form = ChannelForm(obj=channel)
    if form.validate_on_submit():
        try:
            reference.update_channel(channel, **form.values())
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"Channel {channel.api_identifier} saved.", "success")
            return redirect(url_for(".index"))
    return render("channels/form.html", form=form, channel=channel, status=form_status(form))


@bp.post("/<uuid:channel_id>/delete")
@admin_required
def delete(channel_id):
    """Delete a channel that no ticket uses."""
    channel = get_channel_or_404(channel_id)
    try:
        reference.delete_channel(channel)
    except Conflict as err:
        db.session.rollback()
        flash(err.message, "error")
        form = ChannelForm(obj=channel)
        return render("channels/form.html", form=form, channel=channel, status=409)
    db.session.commit()
    flash(f"Channel {channel.api_identifier} deleted.", "success")
    return redirect(url_for(".index"))
