"""Notifications by email and by the workspace webhook, sent by a job after the commit.

`notifications.notify` queues each new notification's id on the session; when the session
commits, the ids are ready, and `dispatch_ready()` (after each request and each job) hands
them to the job runner as DELIVER_JOB. The job sends what the user chose: an email through
the SMTP server the environment names, and a signed POST to the workspace webhook. Each goes
in the delivery log once (one row per notification and channel), so a job run twice never
sends twice.

A webhook that answers 429 or 5xx, or not at all, is tried again by a new job
(RETRY_JOB, "<delivery id>:<try number>") that the job runner starts after a doubling wait,
up to WEBHOOK_MAX_ATTEMPTS tries: no job sleeps between tries, and a worker that restarts
meanwhile loses nothing queued on Celery. Each try is a row of `delivery_attempts`, claimed
once per delivery and number, so a try handed out twice is made once; the settings page
lists every try.
"""

import hashlib
import hmac
import json
import logging
import secrets
import smtplib
import time
import uuid
from datetime import timedelta
from email.message import EmailMessage

import requests
from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import jobs
from ..extensions import db
from ..models import (
    DeliveryAttempt,
    DeliveryState,
    Notification,
    NotificationDelivery,
    Ticket,
    Webhook,
    utcnow,
)
from . import notifications
from .errors import ValidationError

log = logging.getLogger(__name__)

DELIVER_JOB = "deliver-notification"
RETRY_JOB = "retry-webhook-delivery"
LOG_SIZE = 50  # deliveries the settings page lists
SIGNATURE_HEADER = "X-OmniTraffick-Signature"
TIMESTAMP_HEADER = "X-OmniTraffick-Timestamp"


# --- after the commit ----------------------------------------------------------------------------


@event.listens_for(Session, "after_commit")
def _committed(session) -> None:
    pending = session.info.pop(notifications.PENDING, None)
    if pending:
        session.info.setdefault(notifications.READY, []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session) -> None:
    session.info.pop(notifications.PENDING, None)


def dispatch_ready() -> None:
    """Start a delivery job for each notification committed since the last call."""
    if not db.session.registry.has():  # no database session this request: nothing committed
        return
    ready = db.session.info.pop(notifications.READY, None) or []
    for note_id in ready:
        try:
            jobs.dispatch(DELIVER_JOB, note_id)
        except jobs.DispatchError:
            log.exception("could not queue the delivery of notification %s", note_id)


# --- the job -------------------------------------------------------------------------------------


def run_delivery(argument: str) -> None:
    """Send one notification by email and webhook, as its user chose."""
    note = db.session.scalar(
        select(Notification)
        .where(Notification.id == uuid.UUID(argument))
        .options(
            joinedload(Notification.user),
            joinedload(Notification.ticket).joinedload(Ticket.campaign),
            joinedload(Notification.ticket).joinedload(Ticket.channel),
        )
    )
    if note is None:
        return
    wants = notifications.channels_for(note.user, note.kind)
    config = current_app.config
    if "email" in wants and config["SMTP_HOST"]:
        delivery = _claim(note, "email", note.user.email)
        if delivery is not None:
            _finish(delivery, _send_email, note)
    hook = active_webhook()
    if "webhook" in wants and hook is not None:
        delivery = _claim(note, "webhook", hook.url)
        if delivery is not None:
            _try_webhook(delivery, 1, hook)


def run_retry(argument: str) -> None:
    """Try a webhook delivery again: "<delivery id>:<try number>"."""
    delivery_id, _, number = argument.partition(":")
    delivery = db.session.scalar(
        select(NotificationDelivery)
        .where(NotificationDelivery.id == uuid.UUID(delivery_id))
        .options(joinedload(NotificationDelivery.notification).joinedload(Notification.user))
    )
    if delivery is None or delivery.state is not DeliveryState.QUEUED:
        return  # deleted, or settled by an earlier run of this try
    hook = active_webhook()
    if hook is None or hook.url != delivery.target:
        delivery.state, delivery.next_try_at = DeliveryState.FAILED, None
        delivery.message = "The team webhook was changed or turned off before the next try."
        delivery.finished_at = utcnow()
        db.session.commit()
        return
    _try_webhook(delivery, int(number), hook)


def _claim(note: Notification, channel: str, target: str) -> NotificationDelivery | None:
    """The (notification, channel) row, made by this run; None if another run has it."""
    delivery = NotificationDelivery(notification=note, channel=channel, target=target)
    db.session.add(delivery)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another run of this job has it
        return None
    return delivery


def _finish(delivery: NotificationDelivery, send, note: Notification) -> None:
    """Send once and write down how it went."""
    try:
        send(note, delivery)
    except Exception as err:  # every failure ends in the log, whatever raised it
        log.warning("%s delivery of %s failed: %s", delivery.channel, note.id, err)
        delivery.state, delivery.message = DeliveryState.FAILED, str(err)[:2000]
    else:
        delivery.state = DeliveryState.SENT
    delivery.finished_at = utcnow()
    db.session.commit()


class _Retry(Exception):
    """A try the receiver may take later: 429, 5xx or no answer."""


def _try_webhook(delivery: NotificationDelivery, number: int, hook: Webhook) -> None:
    """Make try `number` of a webhook delivery, then settle it or have the runner try again."""
    attempt = DeliveryAttempt(delivery=delivery, number=number)
    db.session.add(attempt)
    delivery.attempts, delivery.next_try_at = number, None
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # this try was handed out twice; the other run makes it
        return
    config = current_app.config
    most = config["WEBHOOK_MAX_ATTEMPTS"]
    try:
        _post_webhook(delivery.notification, delivery, attempt, hook)
    except _Retry as err:
        problem = str(err)
        if number < most:
            wait = config["WEBHOOK_BACKOFF_SECONDS"] * 2 ** (number - 1)
            delivery.message = f"{problem} Trying again in {wait:g} s."
            delivery.next_try_at = utcnow() + timedelta(seconds=wait)
            db.session.commit()
            jobs.dispatch(RETRY_JOB, f"{delivery.id}:{number + 1}", delay=wait)
            return
        delivery.state = DeliveryState.FAILED
        delivery.message = f"{problem} Gave up after {most} tries."
    except Exception as err:  # refused, or anything else: the log says what
        log.warning("webhook delivery of %s failed: %s", delivery.notification_id, err)
        attempt.outcome = attempt.outcome or str(err)[:2000]
        delivery.state, delivery.message = DeliveryState.FAILED, str(err)[:2000]
    else:
        delivery.state = DeliveryState.SENT
    delivery.finished_at = utcnow()
    db.session.commit()


def link_to(note: Notification) -> str | None:
    base = current_app.config["PUBLIC_URL"]
    if base is None or note.ticket_id is None:
        return None
    return f"{base}/tickets/{note.ticket_id}"


def _send_email(note: Notification, delivery: NotificationDelivery) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = note.user.email
    message["Subject"] = f"[OmniTraffick] {note.message[:120]}"
    link = link_to(note)
    message.set_content(
        f"{note.message}\n\n"
        + (f"Open the ticket: {link}\n\n" if link else "")
        + "You get this email because of your notification settings in OmniTraffick."
    )
    delivery.attempts = 1
    smtp_class = smtplib.SMTP_SSL if config["SMTP_SSL"] else smtplib.SMTP
    timeout = config["SMTP_TIMEOUT_SECONDS"]
    with smtp_class(config["SMTP_HOST"], config["SMTP_PORT"], timeout=timeout) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(message)
    delivery.message = "Accepted by the mail server."


# --- the webhook ---------------------------------------------------------------------------------


def webhook_body(note: Notification) -> dict:
    """What both Slack and Microsoft Teams incoming webhooks take.

    Slack reads `text` (https://docs.slack.dev/tools/java-slack-sdk/guides/incoming-webhooks,
    https://api.slack.com/messaging/webhooks); a Teams incoming webhook reads a MessageCard:
    `@type`, `@context`, `summary` and `text` (https://learn.microsoft.com/en-us/microsoftteams/
    platform/webhooks-and-connectors/how-to/add-incoming-webhook). Each ignores the other's
    keys; `omnitraffick` carries the facts for receivers of our own.
    """
    link = link_to(note)
    text = note.message + (f" <{link}|Open the ticket>" if link else "")
    return {
        "text": text,
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": note.message[:200],
        "omnitraffick": {
            "event": note.kind.value,
            "notification_id": str(note.id),
            "ticket_id": str(note.ticket_id) if note.ticket_id else None,
            "user": note.user.email,
            "message": note.message,
            "url": link,
            "created_at": note.created_at.isoformat(),
        },
    }


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret, as sha256=<hex>."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _post_webhook(
    note: Notification, delivery: NotificationDelivery, attempt: DeliveryAttempt, hook: Webhook
) -> None:
    """POST the signed body once; raise _Retry when trying later may help."""
    config = current_app.config
    body = json.dumps(webhook_body(note), separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(hook.secret, timestamp, body),
    }
    try:
        response = requests.post(
            hook.url, data=body, headers=headers, timeout=config["WEBHOOK_TIMEOUT_SECONDS"]
        )
    except requests.RequestException as err:
        delivery.http_status = attempt.http_status = None
        attempt.outcome = f"No answer: {type(err).__name__}."
        raise _Retry(attempt.outcome) from None
    delivery.http_status = attempt.http_status = response.status_code
    if response.status_code < 300:
        attempt.outcome = delivery.message = f"HTTP {response.status_code}."
        return
    attempt.outcome = f"HTTP {response.status_code}: {response.text[:300]}"
    if response.status_code < 500 and response.status_code != 429:
        raise RuntimeError(attempt.outcome)  # refused: trying again will not help
    raise _Retry(attempt.outcome)


def active_webhook() -> Webhook | None:
    return db.session.scalar(select(Webhook).where(Webhook.active.is_(True)).limit(1))


def the_webhook() -> Webhook | None:
    return db.session.scalar(select(Webhook).order_by(Webhook.created_at).limit(1))


def save_webhook(url: str | None, *, active: bool, new_secret: bool = False) -> Webhook | None:
    """Set the workspace webhook's URL (blank: none) and whether it is on."""
    url = (url or "").strip()
    hook = the_webhook()
    if not url:
        if hook is not None:
            db.session.delete(hook)
            db.session.flush()
        return None
    if not url.lower().startswith(("https://", "http://")) or len(url) > 2000 or " " in url:
        raise ValidationError(
            "The webhook URL must be an http(s) address of at most 2,000 characters.", "url"
        )
    if hook is None:
        hook = Webhook(url=url, secret=secrets.token_hex(32), active=active)
        db.session.add(hook)
    else:
        hook.url, hook.active = url, active
        if new_secret:
            hook.secret = secrets.token_hex(32)
    db.session.flush()
    return hook


def recent_deliveries(limit: int = LOG_SIZE) -> list[NotificationDelivery]:
    """The delivery log, newest first."""
    return list(
        db.session.scalars(
            select(NotificationDelivery)
            .options(
                joinedload(NotificationDelivery.notification).joinedload(Notification.user),
                selectinload(NotificationDelivery.tries),
            )
            .order_by(NotificationDelivery.created_at.desc())
            .limit(limit)
        )
    )
