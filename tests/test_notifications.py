"""Notifications: who is told what (assigned, mentioned, their ticket fails QA, fails to send
or is trafficked), the bell and the list, each user's choice of app / email / webhook, email
through a real local SMTP server (aiosmtpd), and the workspace webhook that Slack and Teams
accept, signed with HMAC, retried, and written in the delivery log.
"""

import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from omnitraffick.models import (
    DeliveryState,
    Notification,
    NotificationDelivery,
    NotificationKind,
    Role,
    TicketStatus,
)
from omnitraffick.services import deliveries, notifications, team
from omnitraffick.services import tickets as service
from tests.conftest import PASSWORD
from tests.html import parse, text_of
from tests.tickets.helpers import fragment_headers

K = NotificationKind


# --- a mail server and a webhook receiver ---------------------------------------------------------


class Inbox:
    """aiosmtpd's handler: every message the server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    # aiosmtpd's start() connects to the port it was given, so it needs a real one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://ads.example.com")
    yield inbox
    controller.stop()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))
        status = self.server.answers.pop(0) if self.server.answers else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"busy")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(db, app, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received, server.answers = [], []
    # shutdown() waits for serve_forever() to look up: every 0.5 s by default, a test's worth.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    monkeypatch.setitem(app.config, "WEBHOOK_BACKOFF_SECONDS", 0.01)
    deliveries.save_webhook(f"http://127.0.0.1:{server.server_port}/hook", active=True)
    db.session.commit()
    yield server
    server.shutdown()
    server.server_close()


# --- people ------------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, make_user):
    def sign(role=Role.TRAFFICKER, name="Ann Assigner", email="ann@example.com"):
        user = make_user(role, name=name, email=email)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        return user

    return sign


@pytest.fixture
def bea(make_user):
    return make_user(Role.TRAFFICKER, name="Bea Builder", email="bea@example.com")


@pytest.fixture
def ticket(db, moana, meta):
    made = service.create_ticket(
        campaign_id=moana.id, channel_id=meta.id, request_type="CREATE_CAMPAIGN"
    )
    db.session.commit()
    return made


def assign(client, ticket, user):
    response = client.post(
        f"/tickets/{ticket.id}/owner",
        data={"assignee_id": str(user.id), "due_date": "", "version": ticket.version},
        headers=fragment_headers(),
    )
    assert response.status_code == 200, text_of(response)


def notes_of(db, user) -> list[Notification]:
    db.session.expire_all()
    return (
        db.session.query(Notification)
        .filter_by(user_id=user.id)
        .order_by(Notification.created_at)
        .all()
    )


# --- who is told what -----------------------------------------------------------------------------


def test_the_owner_and_the_assigner_hear_what_becomes_of_a_ticket(
    client, db, signed_in, bea, ticket
):
    ann = signed_in()
    assign(client, ticket, bea)

    # Bea moves it to QA herself: it fails (no settings), and Ann, who handed it over, hears.
    service.move_ticket(ticket, "QA_TESTING", actor=bea)
    db.session.commit()
    assert ticket.status is TicketStatus.QA_FAILED
    # Ann moves it on by hand until it is trafficked; Bea, the owner, hears each outcome.
    service.move_ticket(ticket, "DRAFT", actor=ann)
    ticket.status = TicketStatus.READY_FOR_API
    db.session.commit()
    service.move_ticket(ticket, "FAILED", actor=ann)
    service.move_ticket(ticket, "READY_FOR_API", actor=ann)
    service.move_ticket(ticket, "TRAFFICKED_SUCCESS", actor=ann, external_platform_id="120")
    db.session.commit()

    assert [n.kind for n in notes_of(db, bea)] == [K.ASSIGNED, K.SEND_FAILED, K.TRAFFICKED]
    assert [n.kind for n in notes_of(db, ann)] == [K.QA_FAILED]
    assert notes_of(db, bea)[-1].message == f"{ticket.platform_name} was trafficked."


def test_nobody_is_told_about_what_they_did_themselves(db, make_user, ticket):
    ann = make_user(Role.TRAFFICKER, name="Ann")
    team.assign(ticket, ann, actor=ann)
    team.add_comment(ticket, "note to self @" + ann.email, author=ann)
    db.session.commit()

    assert notes_of(db, ann) == []


# --- the bell and the list ------------------------------------------------------------------------


def test_the_bell_counts_unread_and_the_list_marks_them_read(
    client, db, signed_in, make_user, bea, ticket
):
    ann = make_user(Role.TRAFFICKER, name="Ann Assigner", email="ann@example.com")
    team.assign(ticket, bea, actor=ann)
    team.add_comment(ticket, "@bea have a look", author=ann)
    db.session.commit()
    client.post("/login", data={"email": bea.email, "password": PASSWORD})

    bell = parse(client.get("/notifications/bell", headers=fragment_headers())).by_id("bell")
    assert bell.find(cls="bell-count").text == "2"
    assert bell.attrs["aria-label"] == "Notifications: 2 unread"

    page = parse(client.get("/notifications/"))
    items = page.find_all("li", cls="notification")
    assert [i.find(cls="notification-message").text for i in items] == [
        f"Ann Assigner mentioned you on {ticket.platform_name}: @bea have a look",
        f"Ann Assigner assigned {ticket.platform_name} to you.",
    ]
    first = items[0].attrs["id"].removeprefix("notification-")

    opened = client.post("/notifications/read", data={"notification": first, "open": "1"})
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/tickets/{ticket.id}")
    bell = parse(client.get("/notifications/bell", headers=fragment_headers())).by_id("bell")
    assert bell.find(cls="bell-count").text == "1"

    client.post("/notifications/read", data={})
    bell = parse(client.get("/notifications/bell", headers=fragment_headers())).by_id("bell")
    assert bell.find(cls="bell-count") is None
    # Pages draw the bell empty; it fetches its count when it loads.
    assert parse(client.get("/board/")).by_id("bell").attrs["hx-trigger"] == "load, every 4s"


def test_nobody_marks_someone_elses_notification(client, db, signed_in, make_user, bea, ticket):
    ann = make_user(Role.TRAFFICKER, name="Ann")
    team.assign(ticket, bea, actor=ann)
    db.session.commit()
    [note] = notes_of(db, bea)
    signed_in(email="carl@example.com", name="Carl")

    assert (
        client.post("/notifications/read", data={"notification": str(note.id)}).status_code == 404
    )
    assert client.post("/notifications/read", data={"notification": "junk"}).status_code == 404
    assert notes_of(db, bea)[0].read_at is None


# --- what reaches whom how ------------------------------------------------------------------------


def test_a_user_chooses_what_reaches_them_how(client, db, signed_in, make_user, ticket):
    me = signed_in(email="me@example.com", name="Me")
    form = parse(client.get("/settings/notifications"))
    assert form.find("input", id="pref-ASSIGNED-email").attrs.get("checked") is not None

    saved = client.post(
        "/settings/notifications", data={"ASSIGNED": ["email"], "MENTIONED": ["app", "webhook"]}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert notifications.channels_for(me, K.ASSIGNED) == {"email"}
    assert notifications.channels_for(me, K.TRAFFICKED) == set()

    other = make_user(Role.TRAFFICKER)
    team.assign(ticket, me, actor=other)
    db.session.commit()
    [note] = notes_of(db, me)
    assert note.read_at is not None  # recorded, but the bell stays quiet: no "app"
    bad = client.post("/settings/notifications", data={"ASSIGNED": ["pigeon"]})
    assert bad.status_code == 422
    assert "Unknown way to notify: pigeon" in text_of(bad)


# --- email and webhook ----------------------------------------------------------------------------


def test_an_assignment_is_emailed_and_posted_signed_to_the_webhook(
    client, db, signed_in, bea, ticket, smtp, receiver
):
    signed_in()
    assign(client, ticket, bea)

    [(recipients, content)] = smtp.messages
    mail = email.message_from_string(content, policy=email.policy.default)
    assert recipients == ["bea@example.com"]
    assert (
        mail["Subject"].strip()
        == f"[OmniTraffick] Ann Assigner assigned {ticket.platform_name} to you."
    )
    assert f"https://ads.example.com/tickets/{ticket.id}" in mail.get_content()

    [(headers, body)] = receiver.received
    posted = json.loads(body)
    assert posted["text"].startswith(f"Ann Assigner assigned {ticket.platform_name} to you.")
    assert posted["@type"] == "MessageCard" and posted["summary"]
    assert posted["omnitraffick"]["event"] == "ASSIGNED"
    hook = deliveries.the_webhook()
    timestamp = headers[deliveries.TIMESTAMP_HEADER]
    assert headers[deliveries.SIGNATURE_HEADER] == deliveries.signature(
        hook.secret, timestamp, body
    )
    db.session.expire_all()
    states = {(d.channel, d.state) for d in db.session.query(NotificationDelivery)}
    assert states == {("email", DeliveryState.SENT), ("webhook", DeliveryState.SENT)}


def test_a_busy_receiver_is_tried_again_and_the_log_says_so(
    client, db, signed_in, login, bea, ticket, receiver
):
    receiver.answers = [503, 503, 200]
    signed_in()
    assign(client, ticket, bea)

    assert len(receiver.received) == 3
    db.session.expire_all()
    [delivery] = db.session.query(NotificationDelivery).all()
    assert (delivery.state, delivery.attempts, delivery.http_status) == (
        DeliveryState.SENT,
        3,
        200,
    )


def test_a_receiver_that_keeps_failing_is_logged_as_failed_on_the_settings_page(
    client, db, signed_in, make_user, bea, ticket, receiver
):
    receiver.answers = [500, 500, 500]
    signed_in()
    assign(client, ticket, bea)
    client.post("/logout")
    admin = make_user(Role.ADMIN, email="admin@example.com")
    client.post("/login", data={"email": admin.email, "password": PASSWORD})

    page = parse(client.get("/settings/webhook"))

    row = page.find("tr", cls="delivery-failed")
    assert row is not None
    assert "3 tries" in row.text and "Gave up after 3 tries" in row.text


def test_only_an_admin_sets_the_webhook_and_a_bad_url_is_refused(client, db, signed_in, make_user):
    signed_in()
    assert client.get("/settings/webhook").status_code == 403
    client.post("/logout")
    admin = make_user(Role.ADMIN, email="admin@example.com")
    client.post("/login", data={"email": admin.email, "password": PASSWORD})

    bad = client.post("/settings/webhook", data={"url": "ftp://x", "active": "y"})
    assert bad.status_code == 422
    assert "must be an http(s) address" in text_of(bad)
    assert deliveries.the_webhook() is None

    good = client.post(
        "/settings/webhook", data={"url": "https://hooks.example.com/x", "active": "y"}
    )
    assert good.status_code == 302
    db.session.expire_all()
    assert deliveries.the_webhook().url == "https://hooks.example.com/x"
