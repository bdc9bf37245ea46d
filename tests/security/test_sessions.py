"""Server-side sessions: signing out, password changes and admins end them for good."""

import re
from datetime import UTC

from sqlalchemy import select

from omnitraffick.models import Role, UserSession
from omnitraffick.services import tokens
from tests.conftest import PASSWORD
from tests.html import csrf_token, parse

from .conftest import sign_in


def signed_in(client) -> bool:
    """Whether the client's cookies still open a page (not a redirect to the login page)."""
    response = client.get("/markets/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def copy_cookies(source, target, *names) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, f"no {name} cookie"
        target.set_cookie(name, cookie.value)


def test_a_session_cookie_saved_before_logout_no_longer_works(app, client, make_user):
    user = make_user(Role.TRAFFICKER)
    assert sign_in(client, user.email).status_code == 302
    thief = app.test_client()
    copy_cookies(client, thief, "session")
    assert signed_in(thief)

    client.post("/logout")

    assert not signed_in(thief)
    assert thief.get("/markets/").headers["Location"].startswith("/login")
    api = thief.get("/api/v1/markets")
    assert api.status_code == 401


def test_a_remember_me_cookie_saved_before_logout_no_longer_works(app, client, make_user):
    user = make_user(Role.VIEWER)
    assert sign_in(client, user.email, remember="y").status_code == 302
    thief = app.test_client()
    copy_cookies(client, thief, "remember_token")  # the long-lived cookie alone
    assert signed_in(thief)

    client.post("/logout")

    assert not signed_in(thief)


def test_changing_your_password_ends_your_other_sessions_but_keeps_this_one(app, client, make_user):
    user = make_user(Role.TRAFFICKER)
    laptop, phone = client, app.test_client()
    sign_in(laptop, user.email, address="198.51.100.1")
    sign_in(phone, user.email, address="203.0.113.9")
    assert signed_in(phone)

    response = laptop.post(
        "/profile/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new secret",
            "confirm_password": "a brand new secret",
        },
        follow_redirects=True,
    )
    assert "Password changed. Your other sessions are signed out." in response.text

    assert signed_in(laptop)
    assert not signed_in(phone)
    fresh = app.test_client()
    assert sign_in(fresh, user.email, address="192.0.2.1").status_code == 401
    assert sign_in(fresh, user.email, "a brand new secret", "192.0.2.1").status_code == 302


def test_a_wrong_current_password_changes_nothing(app, client, make_user):
    user = make_user(Role.VIEWER)
    other = app.test_client()
    sign_in(client, user.email)
    sign_in(other, user.email)
    response = client.post(
        "/profile/password",
        data={
            "current_password": "not my password",
            "new_password": "a brand new secret",
            "confirm_password": "a brand new secret",
        },
    )
    assert response.status_code == 422
    assert parse(response).by_id("current_password-help").text == (
        "That is not your current password."
    )
    assert signed_in(other)


def test_an_admin_setting_a_password_ends_that_users_sessions(app, client, login, make_user):
    user = make_user(Role.VIEWER)
    users_browser = app.test_client()
    sign_in(users_browser, user.email)
    admin = login(Role.ADMIN)

    response = client.post(
        f"/users/{user.id}/edit",
        data={"role": "viewer", "active": "y", "password": "set by the admin"},
    )
    assert response.status_code == 302

    assert not signed_in(users_browser)
    assert signed_in(client), f"{admin.email} changed someone else's password, not their own"


def test_sign_out_everywhere_ends_every_session_but_not_api_tokens(
    app, client, login, make_user, db
):
    user = make_user(Role.TRAFFICKER)
    _, token = tokens.create_token(user, "nightly sync")
    db.session.commit()
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:
        sign_in(browser, user.email, remember="y")
    login(Role.ADMIN)

    page = parse(client.get(f"/users/{user.id}/edit"))
    assert "2 active sessions" in page.by_id("access").text
    response = client.post(f"/users/{user.id}/sign-out-everywhere", follow_redirects=True)
    assert f"Signed {user.email} out of 2 sessions." in response.text
    assert "0 active sessions" in parse(response).by_id("access").text

    assert not any(signed_in(browser) for browser in browsers)
    script = app.test_client().get("/api/v1/markets", headers={"Authorization": f"Bearer {token}"})
    assert script.status_code == 200


def test_sign_out_everywhere_is_for_admins_and_needs_a_post(client, login, make_user):
    user = make_user(Role.VIEWER)
    login(Role.TRAFFICKER)
    assert client.post(f"/users/{user.id}/sign-out-everywhere").status_code == 403
    assert client.get(f"/users/{user.id}/sign-out-everywhere").status_code == 405


def test_sign_out_everywhere_needs_the_csrf_token(app, client, make_user, csrf_on):
    admin, user = make_user(Role.ADMIN), make_user(Role.VIEWER)
    token = csrf_token(client.get("/login"))
    client.post("/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token})
    users_browser = app.test_client()
    login_page = users_browser.get("/login").text
    users_token = csrf_token(login_page)
    users_browser.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": users_token}
    )

    refused = client.post(f"/users/{user.id}/sign-out-everywhere")
    assert refused.status_code == 400
    assert signed_in(users_browser)

    form = parse(client.get(f"/users/{user.id}/edit")).find(
        "form", action=f"/users/{user.id}/sign-out-everywhere"
    )
    csrf = form.find("input", name="csrf_token").attrs["value"]
    accepted = client.post(f"/users/{user.id}/sign-out-everywhere", data={"csrf_token": csrf})
    assert accepted.status_code == 302
    assert not signed_in(users_browser)


def test_a_deactivated_user_is_out_at_once_and_stays_out_when_reactivated(
    app, client, login, make_user
):
    user = make_user(Role.TRAFFICKER)
    users_browser = app.test_client()
    sign_in(users_browser, user.email, remember="y")
    login(Role.ADMIN)

    client.post(f"/users/{user.id}/edit", data={"role": "trafficker"})  # "active" unticked
    assert not signed_in(users_browser)

    client.post(f"/users/{user.id}/edit", data={"role": "trafficker", "active": "y"})
    assert not signed_in(users_browser)  # signing in again is needed
    assert sign_in(users_browser, user.email).status_code == 302


def test_the_profile_lists_your_sessions_and_signs_out_the_others(app, client, make_user, clock):
    user = make_user(Role.VIEWER)
    phone = app.test_client()
    sign_in(phone, user.email, address="203.0.113.9", user_agent="PhoneBrowser/2.0")
    clock.advance(hours=1)
    sign_in(client, user.email, address="198.51.100.1", user_agent="DeskBrowser/1.0")

    rows = parse(client.get("/profile")).by_id("sessions").find("tbody").find_all("tr")
    cells = [[td.text for td in row.find_all("td")] for row in rows]
    assert [row[2:] for row in cells] == [
        ["198.51.100.1", "DeskBrowser/1.0"],
        ["203.0.113.9", "PhoneBrowser/2.0"],
    ]
    assert "this browser" in cells[0][0] and "this browser" not in cells[1][0]

    response = client.post("/profile/sessions/revoke-others", follow_redirects=True)
    assert "Signed out 1 other session." in response.text
    assert len(parse(response).by_id("sessions").find("tbody").find_all("tr")) == 1
    assert signed_in(client)
    assert not signed_in(phone)


def test_last_seen_is_written_every_few_minutes_not_on_every_request(client, make_user, clock, db):
    user = make_user(Role.VIEWER)
    sign_in(client, user.email)
    started = clock.now

    def last_seen():
        db.session.expire_all()
        value = db.session.scalar(select(UserSession.last_seen_at))
        return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite: naive UTC

    clock.advance(minutes=2)
    assert signed_in(client)
    assert last_seen() == started
    clock.advance(minutes=4)
    assert signed_in(client)
    assert last_seen() == clock.now


def test_the_user_loader_runs_one_query_per_request(client, make_user, count_queries, db):
    user = make_user(Role.VIEWER)
    sign_in(client, user.email)
    db.session.remove()  # start cold, as a production request does

    with count_queries() as statements:
        assert signed_in(client)

    about_users = [s for s in statements if re.search(r"\b(users|user_sessions)\b", s)]
    assert len(about_users) == 1, about_users
    assert "user_sessions" in about_users[0] and "JOIN" in about_users[0].upper()
