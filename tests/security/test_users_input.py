"""User names: trimmed, at most 120 characters, refused with a message (never a 500)."""

from sqlalchemy import select

from omnitraffick.models import Role, User
from tests.html import parse

LONG = "N" * 121


def field_error(response, field: str) -> str:
    return parse(response).by_id(f"{field}-help").text


def test_a_new_user_with_a_name_over_120_characters_is_refused(client, login, db):
    login(Role.ADMIN)
    response = client.post(
        "/users/new",
        data={"email": "long@example.com", "name": LONG, "role": "viewer", "password": "pw-long-1"},
    )
    assert response.status_code == 422
    assert field_error(response, "name") == (
        "Name must be at most 120 characters (this one has 121)."
    )
    assert db.session.scalar(select(User).where(User.email == "long@example.com")) is None


def test_a_name_is_trimmed_before_it_is_measured(client, login, db):
    login(Role.ADMIN)
    name = "  " + "N" * 120 + "  "
    response = client.post(
        "/users/new",
        data={"email": "edge@example.com", "name": name, "role": "viewer", "password": "pw-long-1"},
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "edge@example.com"))
    assert user.name == "N" * 120


def test_renaming_a_user_to_over_120_characters_is_refused_not_truncated(
    client, login, make_user, db
):
    login(Role.ADMIN)
    user = make_user(Role.VIEWER, name="Ana")
    response = client.post(
        f"/users/{user.id}/edit", data={"name": LONG, "role": "viewer", "active": "y"}
    )
    assert response.status_code == 422
    assert "at most 120 characters" in field_error(response, "name")
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Ana"


def test_flask_users_create_refuses_a_long_name_cleanly(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "cli@example.com", "--name", LONG, "--password", "pw-long-1"]
    )
    assert result.exit_code == 1
    assert "Error: Name must be at most 120 characters (this one has 121)." in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(User).where(User.email == "cli@example.com")) is None
