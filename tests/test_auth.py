"""Login, logout, roles and CSRF (throttling and sessions: tests/security/)."""

import re

import pytest

from omnitraffick.models import Role
from tests.conftest import PASSWORD
from tests.html import csrf_token

PAGES = ["/", "/markets/", "/brands/", "/channels/", "/users/", "/markets/new", "/nowhere"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_login_page_is_public(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Sign in" in response.text


def test_login_then_logout(client, make_user):
    user = make_user(Role.TRAFFICKER)
    response = client.post(
        "/login?next=/brands/", data={"email": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/brands/"
    assert client.get("/brands/").status_code == 200

    response = client.post("/logout", follow_redirects=True)
    assert "You are signed out" in response.text
    assert client.get("/brands/").status_code == 302


def test_wrong_password_shows_an_error(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "nope nope"})
    assert response.status_code == 401
    assert "Wrong email or password." in response.text
    assert client.get("/markets/").status_code == 302


def test_unknown_email_gets_the_same_error(client):
    response = client.post("/login", data={"email": "who@example.com", "password": "whatever1"})
    assert response.status_code == 401
    assert "Wrong email or password." in response.text


def test_empty_login_form_is_refused(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert "This field is required." in response.text


def test_next_never_leaves_the_site(client, make_user):
    user = make_user()
    response = client.post(
        "/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_disabled_user_cannot_sign_in(client, make_user, db):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


@pytest.mark.parametrize("role", [Role.VIEWER, Role.TRAFFICKER])
@pytest.mark.parametrize(
    "method,path",
    [("get", "/markets/new"), ("post", "/markets/new"), ("get", "/users/"), ("get", "/brands/new")],
)
def test_only_admins_change_reference_data(client, login, role, method, path):
    login(role)
    response = getattr(client, method)(path, data={"code": "XX"})
    assert response.status_code == 403
    assert "Your role does not allow this" in response.text


def test_viewer_cannot_delete(client, login, make_market):
    market = make_market()
    login(Role.VIEWER)
    assert client.post(f"/markets/{market.id}/delete").status_code == 403
    assert client.get("/markets/").status_code == 200
    assert market.code in client.get("/markets/").text


def test_viewer_sees_no_edit_buttons(client, login, make_market):
    make_market()
    login(Role.VIEWER)
    page = client.get("/markets/").text
    assert "New market" not in page
    assert "Edit" not in page


def test_form_without_csrf_token_is_refused(client, make_user, csrf_on):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.text


def _token(html: str) -> str:
    return csrf_token(html)


def test_state_change_needs_the_csrf_token(client, make_user, make_market, csrf_on):
    user, market = make_user(Role.ADMIN), make_market()
    token = _token(client.get("/login").text)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})

    refused = client.post(f"/markets/{market.id}/delete", headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert market.code in client.get("/markets/").text

    # htmx sends the token in a header, from the page's <body hx-headers>.
    page = client.get("/markets/").text
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    accepted = client.post(f"/markets/{market.id}/delete", headers={"X-CSRFToken": header_token})
    assert accepted.status_code == 302
    assert "No markets" in client.get("/markets/").text
