"""Fixtures: one migrated database per run (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

import gc
import os
import re
import uuid
from contextlib import contextmanager
from decimal import Decimal

import flask_migrate
import pytest
from flask import has_app_context
from sqlalchemy import event

from omnitraffick import create_app, testing
from omnitraffick.config import PLATFORM_VARIABLES
from omnitraffick.extensions import db as _db
from omnitraffick.models import Role
from omnitraffick.services import reference, users
from tests.support import empty_tables

PASSWORD = "correct horse battery"


def pytest_collection_finish(session):
    """Spare the garbage collector what lives for the whole run.

    Collection leaves a large heap that stays (modules, test items, the schemathesis and
    Hypothesis structures) which every full collection would walk again, and the tests
    allocate at a rate that starts a young collection every 700 objects: 8% of the CPU time
    of tests/api, reference, campaigns and board went on collections that found little.
    Freezing the collected heap and collecting less often brings that to 3%; what is garbage
    is still collected.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


@pytest.hookimpl(trylast=True)  # after any shuffle: the order stays random apart from this
def pytest_collection_modifyitems(items):
    """Run the tests marked `long` first: started last, one would keep its worker busy while
    the others sat idle at the end of the run."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@contextmanager
def temporary_database(folder):
    """A new empty database: SQLite, or PostgreSQL when TEST_DATABASE_URL is set."""
    with testing.temporary_database(
        os.environ.get("TEST_DATABASE_URL"), folder, durable=False
    ) as url:
        yield url


def make_test_app(database_url: str, **overrides):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # Jobs run before the request that queued them answers; no platform is connected
            # unless a test says so (the `sandbox` fixture), whatever the environment holds.
            "JOBS": "inline",
            "REDIS_URL": None,
            "PLATFORM_SANDBOX_URL": None,
            **dict.fromkeys(PLATFORM_VARIABLES),
            "SEND_BACKOFF_SECONDS": 0.01,
            "SEND_TIMEOUT_SECONDS": 2.0,
            **overrides,
        }
    )


class Client(testing.RequestClient):
    """Requests as a server runs them, with the test's own session handing over to them.

    The test's session commits before each request: the request (another session, on
    another connection) sees what the test set up, and the test's next read starts a new
    transaction that sees what the request wrote. (A SQLite reader keeps the snapshot its
    transaction began with; PostgreSQL would show committed rows anyway.)
    """

    def open(self, *args, **kwargs):
        if has_app_context():  # a request from a thread of its own has no test session
            _db.session.commit()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    with temporary_database(tmp_path_factory.mktemp("db")) as url:
        app = make_test_app(url)
        app.test_client_class = Client
        with app.app_context():
            flask_migrate.upgrade()
        yield app
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture
def make_app(app):
    """Another app, configured with `overrides`, on the suite's database unless `database_url`
    says otherwise (e.g. one that cannot be reached)."""
    made = []

    def make(database_url: str | None = None, **overrides):
        other = make_test_app(database_url or app.config["SQLALCHEMY_DATABASE_URI"], **overrides)
        other.test_client_class = Client
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(app):
    """Give each test an app context and empty tables afterwards."""
    with app.app_context():
        yield _db
        _db.session.remove()
        empty_tables(_db.engine, _db.metadata)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def other_worker(make_app, make_user):
    """The test client of a second app on the suite's database, signed in as a trafficker: a
    second gunicorn worker, with its own copies of what a process keeps between requests."""
    user = make_user(Role.TRAFFICKER)
    client = make_app().test_client()
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    )
    return client


@pytest.fixture
def csrf_on(app):
    """Turn CSRF protection on for one test, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def make_user(db):
    def make(role=Role.ADMIN, email=None, password=PASSWORD, name=""):
        user = users.create_user(
            email or f"{role}-{uuid.uuid4().hex[:6]}@example.com", password, role, name
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client, make_user):
    """Sign a new user with `role` in on the test client and return the user."""

    def log_in(role=Role.ADMIN, **user_fields):
        user = make_user(role, **user_fields)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text
        return user

    return log_in


@pytest.fixture
def sign_in(login):
    """`login`, by default as a trafficker named Tess Trafficker."""

    def log_in(role=Role.TRAFFICKER, name="Tess Trafficker"):
        return login(role, name=name)

    return log_in


@pytest.fixture
def trafficker(sign_in):
    return sign_in(Role.TRAFFICKER)


@pytest.fixture
def viewer(sign_in):
    return sign_in(Role.VIEWER, name="Vic Viewer")


@pytest.fixture
def make_market(db):
    counter = iter(range(10_000))

    def make(code=None, currency="USD", country="US", region="NA"):
        market = reference.create_market(
            code=code or f"M{next(counter)}", country=country, region=region, currency=currency
        )
        db.session.commit()
        return market

    return make


@pytest.fixture
def make_brand(db):
    counter = iter(range(10_000))

    def make(name=None, internal_code=None):
        n = next(counter)
        brand = reference.create_brand(
            name=name or f"Brand {n}", internal_code=internal_code or f"B{n}"
        )
        db.session.commit()
        return brand

    return make


@pytest.fixture
def make_channel(db):
    counter = iter(range(10_000))

    def make(api_identifier=None, platform_name="Meta"):
        channel = reference.create_channel(
            platform_name=platform_name, api_identifier=api_identifier or f"C{next(counter)}"
        )
        db.session.commit()
        return channel

    return make


@pytest.fixture
def make_campaign(db, make_brand, make_market):
    """Insert a campaign row directly (the campaigns service has its own tests)."""
    from omnitraffick.models import Campaign
    from omnitraffick.services import taxonomy

    def make(brand=None, market=None, campaign_name="MoanaLaunch", year=2026, budget="1000"):
        brand, market = brand or make_brand(), market or make_market()
        name = taxonomy.build_name(
            brand.internal_code, market.code, taxonomy.MULTI_CHANNEL, campaign_name, year
        )
        campaign = Campaign(
            name=name,
            campaign_name=campaign_name,
            brand_id=brand.id,
            market_id=market.id,
            year=year,
            budget=Decimal(budget),
        )
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return make


@pytest.fixture
def make_ticket(db, make_campaign, make_channel):
    from omnitraffick.models import RequestType, Ticket

    def make(campaign=None, channel=None, request_type=RequestType.CREATE_CAMPAIGN):
        ticket = Ticket(
            campaign_id=(campaign or make_campaign()).id,
            channel_id=(channel or make_channel()).id,
            request_type=request_type,
            payload_config={},
        )
        db.session.add(ticket)
        db.session.commit()
        return ticket

    return make


# Named rows most test modules share.


@pytest.fixture
def dis(make_brand):
    return make_brand(name="Disney", internal_code="DIS")


@pytest.fixture
def pix(make_brand):
    return make_brand(name="Pixar", internal_code="PIX")


@pytest.fixture
def us(make_market):
    return make_market(code="US", currency="USD", country="US", region="NA")


@pytest.fixture
def jp(make_market):
    return make_market(code="JP", currency="JPY", country="JP", region="APAC")


@pytest.fixture
def meta(make_channel):
    return make_channel(api_identifier="META", platform_name="Meta")


@pytest.fixture
def tiktok(make_channel):
    return make_channel(api_identifier="TIKTOK", platform_name="TikTok")


@pytest.fixture
def google(make_channel):
    return make_channel(api_identifier="GOOGLE", platform_name="Google Ads")


@pytest.fixture
def moana(make_campaign, dis, us):
    return make_campaign(brand=dis, market=us, campaign_name="MoanaLaunch", year=2026)


@pytest.fixture
def frozen(make_campaign, pix, jp):
    return make_campaign(brand=pix, market=jp, campaign_name="Frozen3", year=2026)


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA)", statement):
                statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(_db.engine, "before_cursor_execute", record)

    return counting


@pytest.fixture(scope="session")
def sandbox_server():
    """The platform sandbox, served over real HTTP on a free port for the whole run."""
    import threading

    from werkzeug.serving import make_server

    from omnitraffick.sandbox import create_sandbox

    server = make_server("127.0.0.1", 0, create_sandbox(), threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def sandbox(app, sandbox_server):
    """Every platform channel points at a freshly reset sandbox for this test.

    Returns a small helper: `sandbox.fault(...)`, `sandbox.objects()`, `sandbox.requests()`.
    """
    import requests

    class Sandbox:
        url = sandbox_server

        def fault(self, **fault):
            response = requests.post(f"{self.url}/_sandbox/faults", json=fault, timeout=5)
            assert response.status_code == 201, response.text
            return response.json()

        def objects(self):
            return requests.get(f"{self.url}/_sandbox/objects", timeout=5).json()

        def requests(self, platform=None):
            params = {"platform": platform} if platform else None
            response = requests.get(f"{self.url}/_sandbox/requests", params=params, timeout=5)
            return response.json()["requests"]

    requests.post(f"{sandbox_server}/_sandbox/reset", timeout=5).raise_for_status()
    app.config["PLATFORM_SANDBOX_URL"] = sandbox_server
    yield Sandbox()
    app.config["PLATFORM_SANDBOX_URL"] = None


@pytest.fixture
def rows(make_ticket, moana, meta) -> dict[str, str]:
    """One existing row of each API resource, by the collection's name: its id."""
    ticket = make_ticket(campaign=moana, channel=meta)
    return {
        "markets": str(moana.market_id),
        "brands": str(moana.brand_id),
        "channels": str(meta.id),
        "campaigns": str(moana.id),
        "tickets": str(ticket.id),
    }
