"""Notification settings: what reaches each user how, and the workspace webhook (admins)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

from ..auth import admin_required
from ..errors import http_status
from ..extensions import db
from ..models import NotificationKind
from ..services import deliveries, notifications
from ..services.errors import DomainError
from ..web import render

bp = Blueprint("notify_settings", __name__, url_prefix="/settings")


class PreferencesForm(FlaskForm):
    """The checkboxes are read from the form as `<KIND>` -> channels."""


class WebhookForm(FlaskForm):
    url = StringField(
        "Webhook URL",
        render_kw={"type": "url", "placeholder": "https://hooks.slack.com/services/…"},
        description="A Slack or Microsoft Teams incoming webhook; blank: none",
    )
    active = BooleanField("Send notifications to it", default=True)
    new_secret = BooleanField("Make a new signing secret")


@bp.route("/notifications", methods=["GET", "POST"])
def preferences():
    """Choose, for each kind of notification, whether it comes in the app, by email, to the
    workspace's webhook."""
    form = PreferencesForm()
    status = 200
    if form.validate_on_submit():
        chosen = {kind.value: request.form.getlist(kind.value) for kind in NotificationKind}
        try:
            notifications.set_preferences(current_user, chosen)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "error")
            status = http_status(err)
        else:
            db.session.commit()
            flash("Notification settings saved.", "success")
            return redirect(url_for(".preferences"))
    elif form.is_submitted():
        flash("The form has expired; reload the page.", "error")
        status = 400
    return render(
        "notifications/settings.html",
        form=form,
        kinds=list(NotificationKind),
        labels=notifications.KIND_LABELS,
        channels=notifications.CHANNELS,
        chosen={k: notifications.channels_for(current_user, k) for k in NotificationKind},
        status=status,
    )


@bp.route("/webhook", methods=["GET", "POST"])
@admin_required
def webhook():
    """The workspace webhook: its URL, signing secret and delivery log."""
    hook = deliveries.the_webhook()
    form = WebhookForm(
        data={"url": hook.url, "active": hook.active} if hook and request.method == "GET" else None
    )
    status = 200
    if form.validate_on_submit():
        try:
            deliveries.save_webhook(
                form.url.data, active=form.active.data, new_secret=form.new_secret.data
            )
        except DomainError as err:
            db.session.rollback()
            form.url.errors.append(err.message)
            status = http_status(err)
        else:
            db.session.commit()
            flash("Webhook saved.", "success")
            return redirect(url_for(".webhook"))
    elif form.is_submitted():
        form.form_errors.append("The form has expired; reload the page.")
        status = 400
    return render(
        "notifications/webhook.html",
        form=form,
        hook=deliveries.the_webhook(),
        log=deliveries.recent_deliveries(),
        signature_header=deliveries.SIGNATURE_HEADER,
        timestamp_header=deliveries.TIMESTAMP_HEADER,
        status=status,
    )
