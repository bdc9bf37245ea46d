"""A database that cannot be reached is a 503 with Retry-After on every route, never a 500."""

import re
import uuid

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from omnitraffick.extensions import db as _db
from omnitraffick.models import Market
from tests.conftest import Client, make_test_app
from tests.html import parse

from .conftest import api_operations, assert_documented, url_with_id

# Routes that never touch the database: they answer as usual.
NO_DATABASE = {"static", "api.openapi", "health.healthz", "health.readyz"}
UNREACHABLE = {
    # Nothing listens on port 1: the connection is refused at once.
    "postgresql": lambda tmp_path: "postgresql+psycopg://root@127.0.0.1:1/none",
    # A file in a folder that does not exist cannot be opened (or created).
    "sqlite": lambda tmp_path: f"sqlite:///{tmp_path / 'missing' / 'omnitraffick.sqlite3'}",
}


def assert_unavailable_page(response):
    assert response.status_code == 503, (response.request.path, response.status_code)
    assert int(response.headers["Retry-After"]) > 0
    assert response.mimetype == "text/html"
    page = parse(response)
    assert page.find("h1").text == "OmniTraffick is unavailable for a moment"
    assert "cannot reach its database" in page.text


def assert_unavailable_json(response):
    assert response.status_code == 503, (response.request.path, response.status_code)
    assert int(response.headers["Retry-After"]) > 0
    assert "cannot reach its database" in response.get_json()["detail"]


def every_route(app):
    """(method, URL, endpoint) of every route but the API, with made-up ids."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NO_DATABASE or rule.rule.startswith("/api/v1/"):
            continue
        url = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url, rule.endpoint


@pytest.fixture(scope="module", params=sorted(UNREACHABLE))
def down(request, tmp_path_factory):
    """The app pointed at a database that cannot be reached.

    One per module and kind of database, not per test: making an app takes longer than most
    of these tests, and nothing here changes it (with no database it keeps no state).
    """
    other = make_test_app(UNREACHABLE[request.param](tmp_path_factory.mktemp("down")))
    other.test_client_class = Client
    yield other
    with other.app_context():
        _db.engine.dispose()


def test_every_page_is_a_503_page_for_a_signed_in_user_when_the_database_is_down(
    client, login, down
):
    login()
    cookie = client.get_cookie("session")
    browser = down.test_client()
    browser.set_cookie("session", cookie.value)

    routes = list(every_route(down))
    assert len(routes) > 40
    for method, url, _ in routes:
        assert_unavailable_page(browser.open(url, method=method))


def test_signing_in_is_a_503_page_when_the_database_is_down(down):
    browser = down.test_client()
    # The form itself needs no database.
    assert browser.get("/login").status_code == 200

    response = browser.post("/login", data={"email": "a@example.com", "password": "whatever1"})

    assert_unavailable_page(response)


@pytest.mark.parametrize(("method", "path"), api_operations("GET", "POST", "PUT", "DELETE"))
def test_every_api_route_is_a_503_in_json_when_the_database_is_down(down, bearer, method, path):
    url = path.replace("{id}", str(uuid.uuid4()))
    # The token is checked first (the document needs no database, but a token sent with it
    # is checked too).
    response = down.test_client().open(url, method=method, json={}, headers=bearer)

    assert_unavailable_json(response)
    assert_documented(response, method, path)


@pytest.fixture
def failing(db):
    """Make every statement matching `pattern` fail as a lost connection would, until
    `restore()`."""
    listeners = []

    def fail_on(pattern: str):
        def lose_connection(conn, cursor, statement, parameters, context, executemany):
            if re.search(pattern, statement):
                raise OperationalError(statement, parameters, ConnectionError("server closed"))

        event.listen(db.engine, "before_cursor_execute", lose_connection)
        listeners.append(lose_connection)

    def restore():
        while listeners:
            event.remove(db.engine, "before_cursor_execute", listeners.pop())

    fail_on.restore = restore
    yield fail_on
    restore()


def test_a_query_failing_mid_request_is_a_503_page(client, login, moana, failing):
    login()
    failing(r"\bcampaigns\b")

    response = client.get("/campaigns/")

    assert_unavailable_page(response)
    # The page does not show the signed-in user's menu: that would need the database.
    assert parse(response).find("header") is None


def test_a_query_failing_mid_request_is_a_503_in_json(client, bearer, rows, failing):
    failing(r"\bcampaigns\b")

    response = client.get(url_with_id("/api/v1/campaigns/{id}", rows), headers=bearer)

    assert_unavailable_json(response)


def test_a_write_failing_mid_request_is_a_503_and_saves_nothing(client, bearer, db, failing):
    failing(r"^INSERT INTO markets\b")

    response = client.post(
        "/api/v1/markets",
        json={"code": "US", "country": "US", "region": "NA", "currency": "USD"},
        headers=bearer,
    )

    assert_unavailable_json(response)
    failing.restore()
    assert db.session.scalar(select(func.count(Market.id))) == 0
