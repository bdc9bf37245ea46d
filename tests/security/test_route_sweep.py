"""The probe's sweeps, kept running: every route of the app, as an attacker would walk it.

Routes come from the app's URL map, so a new route is swept the day it is added; a route
with a path parameter the sweep cannot fill fails here until `ROWS` learns it.
- A viewer is refused (403) on every route that changes something.
- With CSRF protection on (as in production), a signed-in admin's change without the token
  is refused (400) on every HTML form and on the API with a session cookie.
- Script and markup typed into every free-text field come back escaped on every page and
  every htmx fragment, and so does a search query.
- `next` after signing in never leaves the site.
"""

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from werkzeug.routing import Rule

from omnitraffick.models import (
    Creative,
    CreativeKind,
    ImportJob,
    RequestType,
    Role,
    Ticket,
    TicketAd,
    TicketAdCreative,
    TicketStatus,
)
from omnitraffick.services import board_settings, campaigns, reference, team, tickets, tokens
from omnitraffick.services.errors import ValidationError
from tests.conftest import PASSWORD
from tests.html import csrf_token, parse

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Routes every signed-in person may use for themselves, whatever their role.
SELF_SERVICE = {
    "auth.login",
    "auth.logout",
    "auth.profile",
    "auth.change_password",
    "auth.revoke_other_sessions",
    "auth.revoke_token",
    # one's own notifications, notification settings and saved views of the board
    "team.mark_read",
    "notify_settings.preferences",
    "board.save_view",
    "board.delete_view",
}
# Routes that need no sign-in at all.
PUBLIC = {"auth.login", "static"}
# POSTs that only read: names pasted or uploaded to be checked (issue 17).
READ_ONLY_POSTS = {"naming.decoder", "api.validate_names"}
XSS = '"><script>alert("xss")</script><img src=x onerror=alert(1)>'
URL_XSS = 'https://example.com/?q="><script>alert(1)</script>'
XSS_MARKERS = ("<script>alert(", "onerror=alert(", "src=x onerror")


@dataclass
class Rows:
    """One row of each kind, so every path parameter can be filled."""

    ids: dict[str, str]

    def url(self, rule: Rule) -> str:
        values = {}
        for name in rule.arguments:
            key = _row_key(rule, name)
            if key not in self.ids:
                pytest.fail(f"The sweep cannot fill <{name}> of {rule.rule}: add a row for it.")
            values[name] = self.ids[key]
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:[a-z]+:)?{name}>", value, path)
        return path


def _row_key(rule: Rule, name: str) -> str:
    if name == "row_id":  # the API's reference resources: /api/v1/<kind>/<row_id>
        return {"markets": "market_id", "brands": "brand_id", "channels": "channel_id"}[
            rule.rule.split("/")[3]
        ]
    if name == "filename":
        return "static_file"
    return name


def swept_rules(app) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def writes(app) -> list[tuple[Rule, str]]:
    return [
        (rule, method)
        for rule in swept_rules(app)
        for method in sorted(rule.methods & WRITE_METHODS)
        if rule.endpoint not in PUBLIC
    ]


def reads(app) -> list[Rule]:
    return [
        rule
        for rule in swept_rules(app)
        if "GET" in rule.methods and rule.endpoint not in ("static", "auth.login")
    ]


@pytest.fixture
def rows(db, make_user) -> Rows:
    """A row of every kind, each free-text field holding markup."""
    admin = make_user(Role.ADMIN, name=XSS[:100])
    brand = reference.create_brand(name=f"Brand {XSS}"[:120], internal_code="XSS")
    market = reference.create_market(code="XS", country="US", region=XSS[:100], currency="USD")
    channel = reference.create_channel(platform_name=XSS[:100], api_identifier="META")
    campaign = campaigns.create_campaign(
        brand_id=brand.id,
        market_id=market.id,
        campaign_name=f"Launch {XSS}",
        year=2030,
        budget="1000",
        created_by=admin,
    )
    ticket = tickets.create_ticket(
        campaign_id=campaign.id,
        channel_id=channel.id,
        request_type=RequestType.CREATE_CAMPAIGN,
        settings={"landing_url": URL_XSS, "objective": "TRAFFIC"},
        created_by=admin,
    )
    failed = tickets.create_ticket(
        campaign_id=campaign.id,
        channel_id=channel.id,
        request_type=RequestType.UPDATE_STATUS,
        created_by=admin,
    )
    failed.status = TicketStatus.QA_TESTING
    tickets.move_ticket(failed, "QA_FAILED", actor=admin, reason=f"Bad {XSS}")
    token, _ = tokens.create_token(admin, f"Script {XSS}"[:100])
    comment = team.add_comment(ticket, f"Comment {XSS} @{admin.email}", author=admin)
    view = board_settings.save_view(admin, f"View {XSS}"[:80], "q=x", shared=True)
    row = {"row": 2, "outcome": "error", "name": XSS, "errors": {"market": XSS}}
    job = ImportJob(
        created_by_id=admin.id,
        state="done",
        on_error="abort",
        sheet=f"brand,market\nDIS,{XSS}\n",
        report={
            "dry_run": False,
            "on_error": "abort",
            "header": ["brand", "market"],
            "ignored": [],
            "kind": "CSV",
            "written": False,
            "rows": [row | {"campaign_id": None, "channel_id": None}],
        },
    )
    db.session.add(job)
    # A creative whose file name holds markup (its file is not stored: its routes answer 404).
    creative = Creative(
        brand=brand,
        kind=CreativeKind.IMAGE,
        original_name=f"{XSS}.png",
        stored_key="sweep/creative.png",
        mime_type="image/png",
        width=1080,
        height=1080,
        aspect_ratio="1:1",
        size_bytes=1000,
    )
    db.session.add(creative)
    # An ad of the ticket, its texts holding markup, showing that creative.
    ad = TicketAd(
        position=1,
        name_text=f"Hero {XSS}"[:120],
        placements=["meta_feed"],
        primary_text=f"Sail {XSS}",
        headline=XSS,
        call_to_action="LEARN_MORE",
        landing_url=URL_XSS,
    )
    ad.creative_links.append(TicketAdCreative(creative=creative))
    ticket.ads.append(ad)
    db.session.commit()
    return Rows(
        {
            "brand_id": str(brand.id),
            "market_id": str(market.id),
            "channel_id": str(channel.id),
            "campaign_id": str(campaign.id),
            "ticket_id": str(ticket.id),
            "user_id": str(admin.id),
            "token_id": str(token.id),
            "comment_id": str(comment.id),
            "view_id": str(view.id),
            "job_id": str(job.id),
            "creative_id": str(creative.id),
            "ad_id": str(ad.id),
            "static_file": "css/app.css",
        }
    )


def sign_in(client, make_user, role: Role):
    user = make_user(role)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return user


def _csrf_field(html: str) -> str:
    return csrf_token(html)


# --- roles ------------------------------------------------------------------------------------


def test_a_viewer_is_refused_on_every_route_that_changes_something(app, client, make_user, rows):
    sign_in(client, make_user, Role.VIEWER)
    admitted = []
    for rule, method in writes(app):
        if rule.endpoint in SELF_SERVICE | READ_ONLY_POSTS or rule.rule.startswith("/api/"):
            continue  # the API is swept with a viewer's token below
        response = client.open(rows.url(rule), method=method)
        if response.status_code != 403:
            admitted.append(f"{method} {rule.rule} -> {response.status_code}")
    assert not admitted, admitted
    assert len(writes(app)) > 30  # the sweep saw the app, not an empty map


def test_a_viewer_token_is_refused_on_every_api_write(app, client, db, make_user, rows):
    _, token = tokens.create_token(make_user(Role.VIEWER), "viewer")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    admitted = [
        f"{method} {rule.rule} -> {response.status_code}"
        for rule, method in writes(app)
        if rule.rule.startswith("/api/") and rule.endpoint not in READ_ONLY_POSTS
        for response in [client.open(rows.url(rule), method=method, json={}, headers=headers)]
        if response.status_code != 403
    ]
    assert not admitted, admitted


# --- CSRF -------------------------------------------------------------------------------------


def test_every_change_without_the_csrf_token_is_refused(app, client, db, make_user, rows, csrf_on):
    user = make_user(Role.ADMIN)
    token = _csrf_field(client.get("/login").text)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    before = {t.id: (t.status, t.version) for t in db.session.query(Ticket)}
    accepted = []
    for rule, method in writes(app):
        if rule.endpoint in PUBLIC:
            continue
        response = client.open(
            rows.url(rule), method=method, json={} if rule.rule.startswith("/api/") else None
        )
        if response.status_code != 400 or "expired" not in response.text:
            accepted.append(f"{method} {rule.rule} -> {response.status_code}")
    assert not accepted, accepted
    db.session.expire_all()
    assert {t.id: (t.status, t.version) for t in db.session.query(Ticket)} == before


# --- escaping ---------------------------------------------------------------------------------


def injected(html: str) -> list[str]:
    """Elements and attributes the payloads would have made, had they not been escaped."""
    found = []
    for node in parse(html).walk():
        if node.tag == "script" and "alert(" in node.text:
            found.append("a <script> of ours")
        handlers = [n for n, v in node.attrs.items() if n.startswith("on") and "alert(" in v]
        if handlers:
            found.append(f"<{node.tag} {' '.join(handlers)}>")
    return found


@pytest.mark.long
@pytest.mark.parametrize("fragment", [False, True], ids=["page", "htmx-fragment"])
def test_markup_comes_back_escaped_on_every_page(app, client, make_user, rows, fragment):
    sign_in(client, make_user, Role.ADMIN)
    headers = {"HX-Request": "true"} if fragment else {}
    leaks, pages = [], 0
    for rule in reads(app):
        url = rows.url(rule)
        response = client.get(url, query_string={"q": XSS}, headers=headers)
        if response.status_code >= 500:
            leaks.append(f"{url} answered {response.status_code}")
            continue
        if response.mimetype != "text/html":
            continue  # JSON and CSV carry what was typed, as data; browsers do not render it
        pages += 1
        if found := injected(response.get_data(as_text=True)):
            leaks.append(f"{url}: {found}")
    assert not leaks, leaks
    assert pages > 25


def test_a_javascript_landing_url_is_refused(db, rows):
    ticket = db.session.get(Ticket, uuid.UUID(rows.ids["ticket_id"]))
    with pytest.raises(ValidationError, match="full web address"):
        tickets.update_settings(ticket, {"landing_url": "javascript:alert(1)"})


# --- redirects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "https:evil.example",
        "/%2F%2Fevil.example",
    ],
)
def test_signing_in_never_sends_you_off_the_site(client, make_user, target):
    user = make_user(Role.VIEWER)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # A path on this site: no host, and nothing a browser reads as one ("//x", "/\\x").
    assert urlsplit(location).netloc == "" and urlsplit(location).scheme == "", location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_unknown_ids_in_every_route_are_404_not_500(app, client, make_user, rows):
    sign_in(client, make_user, Role.ADMIN)
    missing = Rows({key: str(uuid.uuid4()) for key in rows.ids} | {"static_file": "nope.css"})
    wrong = [
        f"{rule.rule} -> {response.status_code}"
        for rule in reads(app)
        if rule.arguments
        for response in [client.get(missing.url(rule))]
        if response.status_code != 404
    ]
    assert not wrong, wrong
