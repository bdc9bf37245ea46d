"""The profile page: API tokens created, shown once, listed and revoked."""

from omnitraffick.models import Role
from tests.html import parse


def test_create_token_shows_it_once_and_it_works(client, login):
    user = login(Role.TRAFFICKER)
    page = client.post("/profile", data={"name": "nightly sync"})
    assert page.status_code == 200
    token = parse(page).by_id("new-token").text
    assert "shown only once" in page.text

    again = client.get("/profile").text
    assert token not in again
    assert "nightly sync" in again
    assert token[:10] in again  # the prefix, to tell tokens apart

    api = client.application.test_client()
    response = api.get("/api/v1/markets", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert user.email in client.get("/profile").text


def test_revoked_token_stops_working(client, login, db):
    login(Role.ADMIN)
    page = client.post("/profile", data={"name": "temp"}).text
    doc = parse(page)
    token = doc.by_id("new-token").text
    [revoke] = [f for f in doc.find_all("form") if f.attrs["action"].endswith("/revoke")]
    token_id = revoke.attrs["action"].split("/")[-2]

    response = client.post(f"/profile/tokens/{token_id}/revoke", follow_redirects=True)
    assert "revoked" in response.text

    api = client.application.test_client()
    refused = api.get("/api/v1/markets", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert refused.get_json() == {"detail": "Invalid or revoked API token."}


def test_cannot_revoke_someone_elses_token(client, login, make_user, db):
    from omnitraffick.services import tokens

    other = make_user(Role.ADMIN)
    row, _ = tokens.create_token(other, "theirs")
    db.session.commit()
    login(Role.ADMIN)
    assert client.post(f"/profile/tokens/{row.id}/revoke").status_code == 404


def test_token_name_too_long_is_refused(client, login):
    login(Role.VIEWER)
    response = client.post("/profile", data={"name": "x" * 101})
    assert response.status_code == 422
    assert "new-token" not in response.text
