"""The OpenAPI document: valid OpenAPI 3.1, complete, and true to the running app.

Schemathesis runs against the app in-process (WSGI), with every check it has (only the
timing check is left out): every operation gets its examples, coverage cases (boundaries,
missing fields, wrong types, undeclared methods, no or bad auth) and 25 generated cases,
positive and negative; then 100 stateful scenarios of schema-valid requests follow the
links it infers between operations (create a row, then read, change and delete it), so
that use-after-free and resource-availability are checked too. All derandomized. The
checks: no 5xx, documented status codes, content types, headers and response bodies,
schema-violating requests refused, schema-valid requests accepted, auth enforced.
"""

import contextvars
import copy
import json
import re
import uuid

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from omnitraffick.api.spec import document
from omnitraffick.extensions import db as _db
from omnitraffick.models import Brand, Campaign, Channel, Market, ReferenceStamp, Role, Ticket
from omnitraffick.services import campaigns, reference, tickets, tokens, users
from tests.support import empty_tables

PREFIX = "/api/v1"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def spec(client):
    response = client.get(f"{PREFIX}/openapi.json")  # no token: the document is public
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1.")
    assert spec["info"]["title"] == "OmniTraffick API"
    assert spec["info"]["version"] == "1.0.0"
    assert spec["servers"] == [{"url": PREFIX}]
    assert spec == json.loads(json.dumps(document()))  # what the schemathesis test uses
    # The OpenAPI 3.1 meta-schema (schemathesis refuses a document that fails it) ...
    schemathesis.openapi.from_dict(spec).validate()
    # ... leaves the JSON Schemas inside unchecked: check each against draft 2020-12.
    for name, schema in spec["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name
    for section, name in re.findall(r'"\$ref": "#/components/(\w+)/(\w+)"', json.dumps(spec)):
        assert name in spec["components"][section], f"dangling $ref to {section}/{name}"


def test_document_lists_exactly_the_api_routes(app, spec):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(f"{PREFIX}/"):
            path = re.sub(r"<(?:\w+:)?\w+>", "{id}", rule.rule.removeprefix(PREFIX))
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {
        (path, method)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    assert documented == routes
    # CRUD for five resources, a ticket's platform request, sending a ticket and its sends,
    # the document itself, the spreadsheet import and validating names.
    assert len(routes) == 5 * 5 + 4 + 1 + 1


def test_every_operation_documents_its_errors(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            where = f"{method.upper()} {path}"
            codes = set(operation["responses"])
            assert "401" in codes, where
            # What any request may meet: a server limit, an unknown query parameter, a
            # database that cannot be reached (tests/security/ has a test for each).
            assert {"400", "422", "431", "503"} <= codes, where
            if path == "/openapi.json":
                assert operation["security"] == [], where
                continue
            assert "security" not in operation, where  # the global bearer requirement applies
            if method in ("post", "put", "delete"):
                assert {"400", "403"} <= codes, where
            if method in ("post", "put"):
                assert {"413", "422"} <= codes, where
                if path == "/imports/campaigns":  # a spreadsheet, not a JSON object
                    continue
                name = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                body = spec["components"]["schemas"][name.rsplit("/", 1)[1]]
                assert body["additionalProperties"] is False, where
            if "{id}" in path:
                assert "404" in codes, where
            elif method == "get":
                assert "X-Total-Count" in operation["responses"]["200"]["headers"], where
                assert "422" in codes, where


# --- the live app against the document ------------------------------------------------------


class LiveApp:
    """The app as a server runs it, for schemathesis to call: each request in a fresh context.

    Tests run inside an app context, which Flask would otherwise share with every request,
    and with it `g`, where Flask-Login keeps the user a token authenticated: a later request
    without a token would then pass as that user.
    """

    app = None

    def __call__(self, environ, start_response):
        # Schemathesis sends requests' Accept-Encoding (gzip, br) but its WSGI transport hands
        # the checks the body as it comes, undecoded: the documented bodies are the plain
        # ones (tests/test_compression.py shows a compressed one decodes to the same).
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        return contextvars.Context().run(self.app, environ, start_response)


# The admin's API token, the same in every run: schemathesis sets it on cases it generates
# while collecting the tests, before any row exists.
API_TOKEN = "ot_schemathesis-" + "0" * 32


def seed(db) -> str:
    """Reference data, campaigns and tickets, so that requests can reach real rows.

    The codes differ from the document's examples, so that those create new rows. Returns an
    admin's API token.
    """
    admin = users.create_user("schema-admin@example.com", "correct horse battery", Role.ADMIN)
    row, _ = tokens.create_token(admin, "schemathesis")
    row.digest = tokens.digest(API_TOKEN)
    gb = reference.create_market(code="GB", country="United Kingdom", region="EU", currency="GBP")
    jp = reference.create_market(code="JP", country="Japan", region="APAC", currency="JPY")
    reference.create_market(code="KW", country="Kuwait", region="MEA", currency="KWD")
    nes = reference.create_brand(name="Nestle", internal_code="NES")
    reference.create_brand(name="Acme", internal_code="ACME")
    tiktok = reference.create_channel(platform_name="TikTok", api_identifier="TIKTOK")
    snap = reference.create_channel(platform_name="Snapchat", api_identifier="SNAP")
    reference.create_channel(platform_name="Pinterest", api_identifier="PIN")
    launch = campaigns.create_campaign(
        brand_id=nes.id, market_id=gb.id, campaign_name="Spring Launch", year=2026, budget="1500"
    )
    campaigns.create_campaign(
        brand_id=nes.id, market_id=jp.id, campaign_name="Tokyo", budget=90000, status="ACTIVE"
    )
    in_qa = tickets.create_ticket(
        campaign_id=launch.id,
        channel_id=tiktok.id,
        request_type="CREATE_CAMPAIGN",
        settings={
            "objective": "AWARENESS",
            "budget_type": "DAILY",
            "budget_amount": "100",
            "flight_start": "2026-03-01",
            "landing_url": "https://example.com/spring",
        },
        created_by=admin,
    )
    tickets.move_ticket(in_qa, "QA_TESTING", actor=admin)
    tickets.create_ticket(
        campaign_id=launch.id,
        channel_id=snap.id,
        request_type="UPDATE_STATUS",
        settings={"target_status": "ACTIVE"},
        created_by=admin,
    )
    db.session.commit()
    return API_TOKEN


def existing_ids(db) -> dict[str, list[str]]:
    """Ids of the rows there are, by the item path and by the body fields that hold them."""
    # In a fixed order, so that a derandomized run picks the same rows every time.
    orders = {"markets": Market.code, "brands": Brand.internal_code}
    orders |= {"channels": Channel.api_identifier, "campaigns": Campaign.name}
    orders["tickets"] = Ticket.request_type
    ids = {
        name: [str(id_) for id_ in db.session.scalars(db.select(order.class_.id).order_by(order))]
        for name, order in orders.items()
    }
    fields = {"brand_id": "brands", "market_id": "markets"}
    fields |= {"campaign_id": "campaigns", "channel_id": "channels"}
    return {f"/{name}/{{id}}": found for name, found in ids.items()} | {
        field: ids[name] for field, name in fields.items()
    }


# Built from the document the app serves (the first test checks that they are the same).
# A copy: schemathesis writes the links it infers into the document it is given.
schema = schemathesis.openapi.from_dict(copy.deepcopy(document()))
schema.app = LIVE = LiveApp()
schema.config.generation.update(max_examples=25, deterministic=True)
# The scenarios exist to follow links between rows (make one, read, change and delete it); the
# single operations above already get negative data, and in a scenario a negative step only
# ends it: Hypothesis threw away two of every three scenarios drawn that way.
schema.config.phases.stateful.generation.update(modes=[GenerationMode.POSITIVE])
# Schema-valid data can still break a rule no schema states; `semantic_refusals` narrows
# which ones may refuse it.
acceptance = schema.config.checks.positive_data_acceptance
acceptance.expected_statuses = [*acceptance.expected_statuses, "400", "422"]
# Ids of the rows that `seed` made for the running test.
EXISTING: dict[str, list[str]] = {}


@schema.auth(refresh_interval=None)
class SeededToken:
    """The admin token `seed` makes, as schemathesis' auth (not a fixed header), so that the
    cases meant to go without authentication do."""

    def get(self, case, ctx):
        return API_TOKEN

    def set(self, case, token, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


def is_uuid(value) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Fuzz items that exist: a random id only reaches the 404 (coverage cases send those)."""
    existing = EXISTING.get(context.operation.path)
    if not existing or not is_uuid(path_parameters.get("id")):  # invalid ids stay invalid
        return st.just(path_parameters)
    return st.sampled_from([{"id": id_} for id_ in existing])


@schema.hook
def flatmap_body(context, body):
    """Point new campaigns and tickets at rows that exist, not at random ids."""
    if not isinstance(body, dict):
        return st.just(body)
    choices = {
        name: st.sampled_from(EXISTING[name])
        for name, value in body.items()
        if name in EXISTING and is_uuid(value)
    }
    if not choices:
        return st.just(body)
    return st.fixed_dictionaries(choices).map(lambda ids: {**body, **ids})


# The rules a JSON Schema cannot state, which schema-valid data may therefore break: the
# fields at fault in a 422, by operation, and the operations that can hit a duplicate (400).
CEILING_FIELDS = {"ceiling_currency", "daily_budget_ceiling", "lifetime_budget_ceiling"}
DECLARATION = ("special_ad_categories", "special_ad_category_countries")
SEMANTIC_422 = {
    # ids must point at rows; a budget takes no more decimals than the market's currency has
    # and the campaign name's letters are counted after transliteration (issue 17)
    ("POST", "/campaigns"): {"brand_id", "market_id", "budget", "campaign_name"},
    ("PUT", "/campaigns/{id}"): {"budget"},
    # (an owner must be an active admin or trafficker who exists) and a compliance declaration
    # names known categories and countries
    ("POST", "/tickets"): {
        "campaign_id",
        "channel_id",
        "budget_amount",
        "assignee_id",
        *DECLARATION,
    },
    # QA_FAILED takes a reason, TRAFFICKED_SUCCESS a platform id, and neither goes without a move
    ("PUT", "/tickets/{id}"): {
        "qa_failure_reason",
        "external_platform_id",
        "budget_amount",
        "assignee_id",
        *DECLARATION,
    },
    # a market's time zone must be one of its country's
    ("POST", "/markets"): {"time_zone"},
    ("PUT", "/markets/{id}"): {"time_zone"},
    # a ceiling needs its currency, and takes no more decimals than that currency has
    ("POST", "/brands"): {"ceiling_currency", "daily_budget_ceiling", "lifetime_budget_ceiling"},
    ("PUT", "/brands/{id}"): {
        "ceiling_currency",
        "daily_budget_ceiling",
        "lifetime_budget_ceiling",
    },
}
# 422s that judge the row the request names, not the request: a ticket that cannot be
# translated into its platform's request.
# ... and a spreadsheet's cells are judged row by row (the 422 of an aborted import).
STATE_422 = {
    ("GET", "/tickets/{id}/payload"),
    ("POST", "/tickets/{id}/send"),
    ("POST", "/imports/campaigns"),
}
DUPLICATES = {
    ("POST", "/markets"),
    ("PUT", "/markets/{id}"),
    ("POST", "/brands"),
    ("PUT", "/brands/{id}"),
    ("POST", "/channels"),
    ("PUT", "/channels/{id}"),
    ("POST", "/campaigns"),
}


def semantic_refusals(ctx, response, case):
    """Schema-valid data is refused (400 or 422) only for a rule that no schema can state."""
    meta = case.meta
    if (
        meta is None
        or not meta.generation.mode.is_positive
        or response.status_code not in (400, 422)
    ):
        return None
    key = (case.method.upper(), case.operation.path)
    body = response.json()
    if response.status_code == 400:
        duplicate = re.search(r"already exists|just taken", body["detail"])
        assert key in DUPLICATES and duplicate, f"Schema-valid request refused with 400: {body}"
    elif key not in STATE_422:
        fields = set(body.get("errors") or {"(no field)": []})
        assert fields <= SEMANTIC_422.get(key, set()), (
            f"Schema-valid request refused with 422 for {sorted(fields)}: {body}"
        )
    return None


# The rows `seed` made, by table: `reseed` puts them back as they were, ids included, in a
# few statements (the services that made them take a hundred times as long, and the stateful
# run reseeds before each of its scenarios).
SEEDED: dict = {}


def reseed(db) -> str:
    """Empty the tables, then `seed`: the rows every case starts from. Returns the token."""
    db.session.remove()
    tables = db.metadata.sorted_tables
    empty_tables(db.engine, db.metadata)
    with db.engine.begin() as conn:
        for table in tables:
            if SEEDED.get(table.name):
                conn.execute(table.insert(), SEEDED[table.name])
    if not SEEDED:
        seed(db)
        with db.engine.connect() as conn:
            for table in tables:
                if table.name != ReferenceStamp.__tablename__:  # a count, never put back
                    SEEDED[table.name] = [dict(r) for r in conn.execute(table.select()).mappings()]
    EXISTING.clear()
    EXISTING.update(existing_ids(db))
    return API_TOKEN


@pytest.fixture
def live(app, db):
    """Seeded rows and a live app; returns the headers with an admin's token."""
    token = reseed(db)
    LIVE.app = app
    yield {"Authorization": f"Bearer {token}"}
    LIVE.app = None
    EXISTING.clear()


# Every check schemathesis has, named here so that a release adding one is noticed (the next
# test fails until it is listed). All run; only max_response_time is left out: speed is what
# the benchmarks in bench/ measure, not a timed test.
CHECK_NAMES = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
]
ALL_CHECKS = [getattr(schemathesis.checks, name) for name in CHECK_NAMES]


def test_every_check_schemathesis_has_runs():
    schemathesis.checks.load_all_checks()
    assert sorted(schemathesis.checks.CHECKS.get_all_names()) == sorted(CHECK_NAMES)


@schema.parametrize()
# `live` is set up once per operation, for all of its cases: as intended. Health checks that
# time generation (and per-example deadlines) say more about a busy machine than about the
# API: the suite runs on every core, so they are off, as in the stateful run below.
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_app_conforms_to_document(case, live):
    case.call_and_validate(checks=ALL_CHECKS, additional_checks=[semantic_refusals])


class Workflow(schema.as_state_machine()):
    """Sequences the document's links allow: make a row, then read, change and delete it.

    The stateful checks (use_after_free, ensure_resource_availability) need these: a row read
    after its DELETE, a row missing right after its POST.
    """

    def setup(self):
        """Each scenario starts from the same rows, so that Hypothesis can replay it."""
        reseed(_db)

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        __tracebackhide__ = True
        case.validate_response(
            response,
            checks=ALL_CHECKS,
            additional_checks=[semantic_refusals],
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


@pytest.mark.long
def test_workflows_conform_to_document(live):
    Workflow.run(
        settings=settings(
            max_examples=100,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


def campaign(ids, **fields):
    base = {"brand_id": ids["brand_id"][0], "market_id": ids["market_id"][0]}
    return base | {"campaign_name": "Edge", "budget": 1} | fields


def ticket(ids, request_type, **settings):
    return {
        "campaign_id": ids["campaign_id"][0],
        "channel_id": ids["channel_id"][0],
        "request_type": request_type,
        "payload_config": settings,
    }


# Requests the generated ones can miss, and the status the document promises for each.
EDGE_CASES = {
    "budget -0 is zero": ("/campaigns", lambda ids: campaign(ids, budget="-0"), 201),
    "year 2026.0 is 2026": ("/campaigns", lambda ids: campaign(ids, year=2026.0), 201),
    "settings budget -0 is zero": (
        "/tickets",
        lambda ids: ticket(ids, "UPDATE_BUDGET", budget_amount="-0"),
        201,
    ),
    "bad landing URL": (
        "/tickets",
        lambda ids: ticket(ids, "CREATE_CAMPAIGN", landing_url="http://["),
        422,
    ),
    "setting of the wrong type": (
        "/tickets",
        lambda ids: ticket(ids, "UPDATE_STATUS", target_status="PAUSED", objective=[1]),
        422,
    ),
}


@pytest.mark.parametrize("name", EDGE_CASES)
def test_edge_cases_conform(name, live):
    path, make_body, expected = EDGE_CASES[name]
    case = schema[path]["POST"].Case(body=make_body(EXISTING), media_type="application/json")
    response = case.call_and_validate(headers=live)
    assert response.status_code == expected, response.text
