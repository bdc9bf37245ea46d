"""Security headers on every response, HTTPS-only cookies, and trusted proxies."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from omnitraffick.config import load_config
from omnitraffick.models import Brand, ImportJob, Ticket, TicketAd, TicketAdCreative
from omnitraffick.services import creatives, team
from tests.conftest import PASSWORD
from tests.html import parse

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def assert_security_headers(response):
    where = f"{response.request.method} {response.request.path} -> {response.status_code}"
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (where, name)
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    for directive, value in CSP_DIRECTIVES.items():
        assert policy.get(directive) == value, (where, directive)
    # Nothing inline is allowed to run or style.
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"], where
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"], where


@pytest.fixture
def open_rows(make_ticket, moana, meta):
    """One row of everything, so pages show real content."""
    ticket = make_ticket(campaign=moana, channel=meta)
    return {
        "campaign_id": moana.id,
        "ticket_id": ticket.id,
        "market_id": moana.market_id,
        "brand_id": moana.brand_id,
        "channel_id": meta.id,
    }


def page_urls(app, login_user, rows):
    """The URL of every page (GET route outside the API), with ids of real rows."""
    ids = rows | {"user_id": login_user.id}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/v1/", "/static/")):
            continue
        yield re.sub(r"<uuid:(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)


@pytest.mark.long
def test_every_page_sends_the_security_headers_and_nothing_inline(
    app, client, db, login, open_rows, tmp_path, monkeypatch
):
    user = login()
    # A creative with its file stored, so its file and thumbnail routes answer too.
    monkeypatch.setitem(app.config, "CREATIVE_STORAGE_DIR", str(tmp_path))
    brand = db.session.get(Brand, open_rows["brand_id"])
    png = io.BytesIO()
    Image.new("RGB", (600, 600)).save(png, "PNG")
    png.seek(0)
    [creative] = creatives.upload(brand, [creatives.Upload("a.png", png)], user)
    open_rows = open_rows | {"creative_id": creative.id}
    ticket = db.session.get(Ticket, open_rows["ticket_id"])
    comment = team.add_comment(ticket, "Hello", author=user)  # its author may open its form
    # An ad showing that creative: the ticket page lists it, its form opens.
    ad = TicketAd(position=1, name_text="Hero", placements=["meta_feed"])
    ad.creative_links.append(TicketAdCreative(creative=creative))
    ticket.ads.append(ad)
    db.session.flush()
    open_rows = open_rows | {"ad_id": ad.id}
    # An import running in the background: its page shows the progress bar.
    job = ImportJob(created_by_id=user.id, total_rows=5000, on_error="abort", sheet="brand\n")
    db.session.add(job)
    db.session.commit()
    urls = list(page_urls(app, user, open_rows | {"comment_id": comment.id, "job_id": job.id}))
    assert len(urls) > 30
    for url in urls:
        with client.get(url) as response:  # closes streamed downloads
            assert response.status_code in (200, 302), (url, response.status_code)
            assert_security_headers(response)
            if response.mimetype != "text/html":
                continue
            page = parse(response)
        for node in page.walk():
            # What the policy would block, so browsers would silently drop.
            assert not (node.tag == "script" and "src" not in node.attrs), (url, node)
            assert node.tag != "style", (url, node)
            assert "style" not in node.attrs, (url, node)
            assert not any(name.startswith("on") for name in node.attrs), (url, node)
            assert not node.attrs.get("href", "").startswith("javascript:"), (url, node)


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [
        ("/login", False),
        ("/board/", False),  # the redirect to the login page
        ("/static/js/app.js", False),
        ("/no/such/page", True),
        ("/campaigns/export.csv", True),
        ("/api/v1/openapi.json", False),
        ("/api/v1/markets", False),  # 401
        ("/api/v1/markets", True),
    ],
)
def test_other_responses_send_them_too(client, login, path, signed_in):
    if signed_in:
        login()
    with client.get(path) as response:  # closes streamed files
        assert_security_headers(response)


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers

    secure = client.get("/login", base_url="https://ot.example.com")

    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_a_header_a_response_sets_itself_is_kept_and_sent_once(make_app):
    app = make_app()

    @app.after_request  # registered last, so it runs before the app's own hooks
    def framed(response):
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    response = app.test_client().get("/login", base_url="https://ot.example.com")

    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Strict-Transport-Security") == ["max-age=31536000"]
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]


# --- cookies ----------------------------------------------------------------------------------


@pytest.fixture
def production_env(monkeypatch):
    """No environment variable that would relax the production defaults."""
    for name in ("OMNITRAFFICK_INSECURE_COOKIES", "FLASK_DEBUG", "TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("env", "overrides", "secure"),
    [
        ({}, {}, True),
        ({"OMNITRAFFICK_INSECURE_COOKIES": "1"}, {}, False),
        ({"OMNITRAFFICK_INSECURE_COOKIES": "0"}, {}, True),
        ({"FLASK_DEBUG": "1"}, {}, False),
        ({}, {"TESTING": True}, False),
    ],
    ids=["production", "insecure-asked-for", "insecure-off", "debug", "testing"],
)
def test_cookies_are_https_only_unless_developing(
    production_env, tmp_path: Path, env, overrides, secure
):
    for name, value in env.items():
        production_env.setenv(name, value)

    config = load_config(tmp_path, {"SECRET_KEY": "k", **overrides})

    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["REMEMBER_COOKIE_SECURE"] is secure


def test_a_production_login_sets_secure_session_and_remember_cookies(
    production_env, make_app, make_user
):
    user = make_user()
    browser = make_app(TESTING=False).test_client()

    response = browser.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "remember": "y"},
        base_url="https://ot.example.com",
    )

    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "remember_token"}
    for cookie in cookies.values():
        attributes = {part.strip().lower() for part in cookie.split(";")}
        assert {"secure", "httponly"} <= attributes, cookie


# --- proxies ----------------------------------------------------------------------------------


def fail_logins(browser, address: str, times: int):
    """Use up someone@example.com's free failures from `address` (as forwarded)."""
    for _ in range(times):
        response = browser.post(
            "/login",
            data={"email": "someone@example.com", "password": "wrong-password"},
            headers={"X-Forwarded-For": address},
        )
        assert response.status_code == 401, response.status_code


def test_behind_trusted_proxies_the_forwarded_address_and_scheme_count(make_app):
    app = make_app(TRUSTED_PROXIES=1, LOGIN_FREE_FAILURES=3)
    browser = app.test_client()
    limit = app.config["LOGIN_FREE_FAILURES"]

    fail_logins(browser, "203.0.113.9", limit)

    # The throttle counts the client's address that the proxy forwarded ...
    blocked = browser.post(
        "/login",
        data={"email": "someone@example.com", "password": "wrong-password"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert blocked.status_code == 429
    other = browser.post(
        "/login",
        data={"email": "someone@example.com", "password": "wrong-password"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert other.status_code == 401
    # ... and the scheme: the proxy terminated HTTPS.
    secure = browser.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in secure.headers


def test_without_trusted_proxies_forwarded_headers_are_ignored(make_app):
    app = make_app(LOGIN_FREE_FAILURES=3)
    assert app.config["TRUSTED_PROXIES"] == 0
    browser = app.test_client()
    limit = app.config["LOGIN_FREE_FAILURES"]

    fail_logins(browser, "203.0.113.9", limit)

    # A made-up X-Forwarded-For does not dodge the throttle: the address is the peer's.
    dodge = browser.post(
        "/login",
        data={"email": "someone@example.com", "password": "wrong-password"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert dodge.status_code == 429
    spoofed = browser.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


def test_trusted_proxies_must_be_a_number(production_env, tmp_path):
    production_env.setenv("TRUSTED_PROXIES", "yes")

    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES must be the number of proxies"):
        load_config(tmp_path, {"SECRET_KEY": "k"})
