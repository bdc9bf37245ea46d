"""The JSON API at /api/v1: DESIGN.md's "JSON API" contract, endpoint by endpoint: tickets."""

import uuid

import pytest
from sqlalchemy import select

from omnitraffick.models import (
    Role,
    TicketEvent,
    TicketStatus,
)
from omnitraffick.services import qa
from tests.api.helpers import (
    CLEANED_SETTINGS,
    FULL_SETTINGS,
    TICKET_KEYS,
    Api,
    assert_error,
    assert_timestamp,
    assert_uuid,
    ids,
    move,
    new_id,
    qa_settings,
    set_status,
)

# --- tickets -------------------------------------------------------------------------------------


def test_create_ticket_returns_the_full_resource(make_user, bearer, client, moana, meta):
    user = make_user(Role.TRAFFICKER)
    api = Api(client, bearer(user=user))
    response = api.post(
        "/tickets",
        {
            "campaign_id": str(moana.id),
            "channel_id": str(meta.id),
            "request_type": "create_campaign",
            "payload_config": FULL_SETTINGS,
        },
    )
    assert response.status_code == 201, response.text
    ticket = response.get_json()
    assert set(ticket) == TICKET_KEYS
    for key in ("id", "campaign_id", "channel_id", "created_by_id"):
        assert_uuid(ticket[key])
    for key in ("created_at", "updated_at", "status_changed_at"):
        assert_timestamp(ticket[key])
    assert ticket["campaign_id"] == str(moana.id)
    assert ticket["channel_id"] == str(meta.id)
    assert ticket["created_by_id"] == str(user.id)
    assert ticket["request_type"] == "CREATE_CAMPAIGN"
    assert ticket["payload_config"] == CLEANED_SETTINGS
    assert ticket["status"] == "DRAFT"
    assert ticket["external_platform_id"] is None
    assert ticket["qa_failure_reason"] is None
    assert ticket["qa_report"] is None  # pre-flight QA has not run yet
    assert isinstance(ticket["version"], int)
    assert ticket["platform_name"] == "DIS_US_META_2026_MoanaLaunch"
    assert ticket["sending"] is False and ticket["sending_since"] is None
    assert ticket["platform_ids"] is None and ticket["send_error"] is None
    assert api.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_a_draft_ticket_may_have_no_settings_yet(admin, moana, meta):
    ticket = admin.create(
        "tickets",
        {"campaign_id": str(moana.id), "channel_id": str(meta.id), "request_type": "UPDATE_BUDGET"},
    )
    assert ticket["payload_config"] == {}


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"campaign_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"}, ["campaign_id"]),
        ({"channel_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"}, ["channel_id"]),
        (
            {
                "campaign_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69",
                "channel_id": "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a6a",
                "request_type": "LAUNCH",
            },
            ["campaign_id", "channel_id", "request_type"],
        ),
        ({"campaign_id": "not-a-uuid"}, ["campaign_id"]),
        ({"channel_id": 12}, ["channel_id"]),
        ({"campaign_id": None}, ["campaign_id"]),
        ({"request_type": "LAUNCH"}, ["request_type"]),
        ({"request_type": 5}, ["request_type"]),
        ({"request_type": ""}, ["request_type"]),
        ({"payload_config": []}, ["payload_config"]),
        ({"payload_config": "objective=REACH"}, ["payload_config"]),
        ({"payload_config": {"colour": "red"}}, ["payload_config"]),
        ({"payload_config": {"budget_amount": "lots"}}, ["budget_amount"]),
        ({"payload_config": {"budget_amount": "-1"}}, ["budget_amount"]),
        ({"payload_config": {"objective": "WIN"}}, ["objective"]),
        ({"payload_config": {"flight_start": "31/03/2026"}}, ["flight_start"]),
        ({"payload_config": {"landing_url": "example.com"}}, ["landing_url"]),
        ({"payload_config": {"objective": ["REACH"]}}, ["objective"]),
        (
            {"payload_config": {"objective": "WIN", "budget_type": "ALWAYS"}},
            ["objective", "budget_type"],
        ),
        ({"status": "READY_FOR_API"}, ["status"]),
    ],
)
def test_create_ticket_validation_is_422_per_field(admin, moana, meta, change, fields):
    body = {
        "campaign_id": str(moana.id),
        "channel_id": str(meta.id),
        "request_type": "CREATE_CAMPAIGN",
    } | change
    assert_error(admin.post("/tickets", body), 422, *fields)
    assert admin.get("/tickets").headers["X-Total-Count"] == "0"


def test_create_ticket_names_every_missing_field(admin):
    assert_error(admin.post("/tickets", {}), 422, "campaign_id", "channel_id", "request_type")


def test_ticket_list_filters(admin, trafficker, open_ticket, make_campaign, make_channel, moana):
    tiktok = make_channel(api_identifier="TIKTOK", platform_name="TikTok")
    frozen = make_campaign(campaign_name="Frozen")
    a = open_ticket()
    b = open_ticket(channel=tiktok)
    c = open_ticket(campaign=frozen)
    # Moved to QA_TESTING, pre-flight QA fails it at once: it has no settings.
    assert move(trafficker, b, "QA_TESTING")["status"] == "QA_FAILED"

    def found(query: str) -> set[str]:
        response = admin.get(f"/tickets?{query}")
        assert response.status_code == 200, response.text
        assert response.headers["X-Total-Count"] == str(len(response.get_json()))
        return ids(response.get_json())

    assert found("") == ids([a, b, c])
    assert found("status=QA_FAILED") == ids([b])
    assert found("status=QA_TESTING") == set()
    assert found("status=draft") == ids([a, c])
    assert found(f"campaign_id={moana.id}") == ids([a, b])
    assert found(f"channel_id={tiktok.id}") == ids([b])
    assert found(f"campaign_id={moana.id}&status=DRAFT") == ids([a])
    assert found(f"campaign_id={new_id()}") == set()
    # Most recently moved first.
    assert admin.get("/tickets?limit=1").get_json()[0]["id"] == b["id"]
    assert admin.get("/tickets?limit=2&offset=2").headers["X-Total-Count"] == "3"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("status=ACTIVE", "status"),
        ("campaign_id=nope", "campaign_id"),
        ("channel_id=1", "channel_id"),
    ],
)
def test_ticket_list_refuses_bad_filters(admin, query, field):
    assert_error(admin.get(f"/tickets?{query}"), 422, field)


def test_put_ticket_walks_the_workflow_and_records_who_moved_it(
    db, make_user, bearer, client, open_ticket
):
    user = make_user(Role.TRAFFICKER)
    api = Api(client, bearer(user=user))
    # FULL_SETTINGS flies in March 2026 and its landing URL has no UTM tags: QA fails it.
    ticket = open_ticket(payload_config=FULL_SETTINGS)
    versions = [ticket["version"]]

    ticket = move(api, ticket, "QA_TESTING", version=ticket["version"])
    assert ticket["status"] == "QA_FAILED"
    assert "utm_campaign" in ticket["qa_failure_reason"]
    versions.append(ticket["version"])

    ticket = move(api, ticket, "DRAFT")
    assert ticket["status"] == "DRAFT"
    ticket = api.update("tickets", ticket["id"], {"payload_config": qa_settings()})
    ticket = move(api, ticket, "QA_TESTING")
    assert ticket["status"] == "READY_FOR_API"
    assert ticket["qa_failure_reason"] is None
    versions.append(ticket["version"])

    no_id = api.put(f"/tickets/{ticket['id']}", {"status": "TRAFFICKED_SUCCESS"})
    assert_error(no_id, 422, "external_platform_id")
    ticket = move(api, ticket, "trafficked_success", external_platform_id="120210000000001")
    assert ticket["status"] == "TRAFFICKED_SUCCESS"
    assert ticket["external_platform_id"] == "120210000000001"
    assert_timestamp(ticket["status_changed_at"])
    versions.append(ticket["version"])
    assert versions == sorted(set(versions)), "every change bumps the version"
    assert api.get(f"/tickets/{ticket['id']}").get_json() == ticket

    events = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == uuid.UUID(ticket["id"]))
        .order_by(TicketEvent.created_at)
    ).all()
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, TicketStatus.DRAFT),
        (TicketStatus.DRAFT, TicketStatus.QA_TESTING),
        (TicketStatus.QA_TESTING, TicketStatus.QA_FAILED),
        (TicketStatus.QA_FAILED, TicketStatus.DRAFT),
        (TicketStatus.DRAFT, TicketStatus.QA_TESTING),
        (TicketStatus.QA_TESTING, TicketStatus.READY_FOR_API),
        (TicketStatus.READY_FOR_API, TicketStatus.TRAFFICKED_SUCCESS),
    ]
    assert all(e.actor_id == user.id for e in events[1:])
    assert events[2].reason.startswith("Pre-flight QA:") and "Blocking:" in events[2].reason
    everything = len(qa.RULES)
    assert events[5].reason.startswith(f"Pre-flight QA: {everything} of {everything} rules passed")


def test_a_manual_qa_failed_move_needs_a_reason(db, trafficker, open_ticket):
    ticket = set_status(db, trafficker, open_ticket(), TicketStatus.QA_TESTING)

    no_reason = trafficker.put(f"/tickets/{ticket['id']}", {"status": "QA_FAILED"})
    assert_error(no_reason, 422, "qa_failure_reason")
    blank = {"status": "QA_FAILED", "qa_failure_reason": " "}
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", blank), 422, "qa_failure_reason")
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket

    ticket = move(trafficker, ticket, "QA_FAILED", qa_failure_reason="Landing URL 404s")
    assert (ticket["status"], ticket["qa_failure_reason"]) == ("QA_FAILED", "Landing URL 404s")
    event = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == uuid.UUID(ticket["id"]))
        .order_by(TicketEvent.created_at.desc())
    ).first()
    assert (event.to_status, event.reason) == (TicketStatus.QA_FAILED, "Landing URL 404s")


def test_put_qa_testing_fails_a_bad_ticket_with_every_blocking_problem(db, trafficker, open_ticket):
    ticket = open_ticket(
        payload_config={
            "objective": "TRAFFIC",
            "budget_type": "DAILY",
            "budget_amount": "10",
            "flight_start": "2020-01-01",
            "flight_end": "2020-01-31",
            "landing_url": "http://www.disney.com/moana?utm_campaign=Wrong",
            "initial_status": "PAUSED",
        }
    )

    response = trafficker.put(
        f"/tickets/{ticket['id']}", {"status": "QA_TESTING", "version": ticket["version"]}
    )

    assert response.status_code == 200, response.text
    body = response.get_json()
    assert body["status"] == "QA_FAILED"
    assert body["version"] > ticket["version"]
    report = {finding["rule"]: finding for finding in body["qa_report"]}
    assert set(report) == {r.code for r in qa.RULES}
    for finding in body["qa_report"]:
        assert set(finding) == {"rule", "title", "severity", "passed", "message"}
    failed_blocks = {c for c, f in report.items() if not f["passed"] and f["severity"] == "block"}
    assert {"flight", "landing_https", "utm_campaign"} <= failed_blocks
    # The reason names every blocking problem, not only the first.
    for code in failed_blocks:
        assert f"[{report[code]['title']}] {report[code]['message']}" in body["qa_failure_reason"]
    assert "The flight ended at 2020-01-31" in body["qa_failure_reason"]
    assert "not https" in body["qa_failure_reason"]
    assert "utm_campaign is Wrong" in body["qa_failure_reason"]
    # A failed warning is reported but is not a reason.
    assert report["utm_source_medium"]["passed"] is False
    assert report["utm_source_medium"]["message"] not in body["qa_failure_reason"]
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == body

    events = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == uuid.UUID(ticket["id"]))
        .order_by(TicketEvent.created_at)
    ).all()
    assert [(e.from_status, e.to_status) for e in events[1:]] == [
        (TicketStatus.DRAFT, TicketStatus.QA_TESTING),
        (TicketStatus.QA_TESTING, TicketStatus.QA_FAILED),
    ]


def test_put_qa_testing_makes_a_good_ticket_ready_for_api(db, trafficker, open_ticket):
    ticket = open_ticket(payload_config=qa_settings())

    body = move(trafficker, ticket, "QA_TESTING", version=ticket["version"])

    assert body["status"] == "READY_FOR_API"
    assert body["qa_failure_reason"] is None
    assert body["version"] > ticket["version"]
    assert [f["rule"] for f in body["qa_report"]] == [r.code for r in qa.RULES]
    assert all(f["passed"] and f["message"] == "OK" for f in body["qa_report"]), body["qa_report"]
    events = db.session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == uuid.UUID(ticket["id"]))
        .order_by(TicketEvent.created_at)
    ).all()
    assert [(e.from_status, e.to_status) for e in events[1:]] == [
        (TicketStatus.DRAFT, TicketStatus.QA_TESTING),
        (TicketStatus.QA_TESTING, TicketStatus.READY_FOR_API),
    ]


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("DRAFT", "READY_FOR_API", "QA testing"),
        ("DRAFT", "TRAFFICKED_SUCCESS", "QA testing"),
        ("QA_TESTING", "DRAFT", "Ready for API, QA failed"),
        ("QA_FAILED", "READY_FOR_API", "Draft, QA testing"),
        ("READY_FOR_API", "QA_TESTING", "Trafficked success, Failed, Draft"),
        ("FAILED", "TRAFFICKED_SUCCESS", "Ready for API, Draft"),
        ("TRAFFICKED_SUCCESS", "DRAFT", "none, it is final"),
    ],
)
def test_put_ticket_refuses_an_illegal_move_naming_the_allowed_ones(
    db, admin, trafficker, open_ticket, start, target, allowed
):
    ticket = set_status(db, trafficker, open_ticket(), TicketStatus(start))
    body = assert_error(
        trafficker.put(
            f"/tickets/{ticket['id']}",
            {"status": target, "external_platform_id": "x2", "qa_failure_reason": "r"},
        ),
        409,
    )
    assert f"Allowed moves: {allowed}." in body["detail"]
    assert admin.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_put_ticket_with_a_stale_version_is_409(trafficker, open_ticket):
    ticket = open_ticket()
    stale = ticket["version"]
    # No settings yet: pre-flight QA fails it.
    ticket = move(trafficker, ticket, "QA_TESTING", version=stale)
    assert ticket["status"] == "QA_FAILED"

    body = assert_error(
        trafficker.put(f"/tickets/{ticket['id']}", {"status": "DRAFT", "version": stale}),
        409,
    )
    assert "Reload" in body["detail"]
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket

    refused = trafficker.put(
        f"/tickets/{ticket['id']}", {"payload_config": qa_settings(), "version": stale}
    )
    assert_error(refused, 409)
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket
    # Without a version there is no check; with the current one it goes through.
    ticket = trafficker.update(
        "tickets",
        ticket["id"],
        {
            "payload_config": qa_settings(),
            "status": "QA_TESTING",
            "version": ticket["version"],
        },
    )
    assert (ticket["status"], ticket["payload_config"]) == ("READY_FOR_API", qa_settings())


@pytest.mark.parametrize(
    "change",
    [{}, {"status": "QA_FAILED"}, {"status": " qa_failed "}],
    ids=["nothing", "the-current-status", "the-current-status-in-other-case"],
)
def test_put_ticket_that_changes_nothing_with_a_stale_version_is_409(
    trafficker, open_ticket, change
):
    ticket = open_ticket()
    stale = ticket["version"]
    ticket = move(trafficker, ticket, "QA_TESTING", version=stale)
    assert ticket["status"] == "QA_FAILED"

    # The caller's copy is out of date: saying "nothing changed" must not pass as current.
    body = assert_error(
        trafficker.put(f"/tickets/{ticket['id']}", {**change, "version": stale}), 409
    )
    assert "Reload" in body["detail"]
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket
    # With the current version the same request is a harmless 200.
    same = trafficker.put(f"/tickets/{ticket['id']}", {**change, "version": ticket["version"]})
    assert same.status_code == 200, same.text
    assert same.get_json() == ticket


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": "1"}, "version"),
        ({"version": 1.5}, "version"),
        ({"version": True}, "version"),
        ({"version": 2**31}, "version"),
        ({"version": -(2**31) - 1}, "version"),
        ({"status": 3}, "status"),
        ({"status": "SHIPPED"}, "status"),
        ({"external_platform_id": 120210000000001}, "external_platform_id"),
        ({"qa_failure_reason": ["bad"]}, "qa_failure_reason"),
        ({"payload_config": "x"}, "payload_config"),
        ({"payload_config": {"budget_amount": "1.234"}}, "budget_amount"),
        ({"payload_config": {"nope": 1}}, "payload_config"),
        ({"external_platform_id": "120210000000001"}, "external_platform_id"),
        ({"qa_failure_reason": "Looks wrong"}, "qa_failure_reason"),
        ({"status": "DRAFT", "external_platform_id": "1"}, "external_platform_id"),
    ],
)
def test_put_ticket_validation_is_422(admin, open_ticket, change, field):
    ticket = open_ticket()
    assert_error(admin.put(f"/tickets/{ticket['id']}", change), 422, field)
    assert admin.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_payload_config_is_editable_only_in_draft_and_qa_failed(db, trafficker, open_ticket):
    ticket = open_ticket()
    ticket = trafficker.update("tickets", ticket["id"], {"payload_config": FULL_SETTINGS})
    assert ticket["payload_config"] == CLEANED_SETTINGS

    ticket = set_status(db, trafficker, ticket, TicketStatus.QA_TESTING)
    body = assert_error(
        trafficker.put(f"/tickets/{ticket['id']}", {"payload_config": {"objective": "REACH"}}), 409
    )
    assert "Draft or QA failed" in body["detail"]

    ticket = move(trafficker, ticket, "QA_FAILED", qa_failure_reason="wrong objective")
    ticket = trafficker.update("tickets", ticket["id"], {"payload_config": {"objective": "REACH"}})
    assert ticket["payload_config"] == {"objective": "REACH", "initial_status": "PAUSED"}

    # Failed by pre-flight QA (the settings are incomplete), so editable again.
    ticket = move(trafficker, ticket, "QA_TESTING")
    assert ticket["status"] == "QA_FAILED"
    ticket = trafficker.update("tickets", ticket["id"], {"payload_config": qa_settings()})
    ticket = move(trafficker, ticket, "QA_TESTING")
    assert ticket["status"] == "READY_FOR_API"
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", {"payload_config": {}}), 409)
    ticket = move(trafficker, ticket, "TRAFFICKED_SUCCESS", external_platform_id="tt-1")
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", {"payload_config": {}}), 409)
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_put_ticket_refuses_overlong_reasons_and_platform_ids(db, trafficker, open_ticket):
    ticket = set_status(db, trafficker, open_ticket(), TicketStatus.QA_TESTING)
    too_long = {"status": "QA_FAILED", "qa_failure_reason": "x" * 2001}
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", too_long), 422, "qa_failure_reason")
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket

    ticket = move(trafficker, open_ticket(payload_config=qa_settings()), "QA_TESTING")
    assert ticket["status"] == "READY_FOR_API"
    too_long = {"status": "TRAFFICKED_SUCCESS", "external_platform_id": "1" * 256}
    assert_error(trafficker.put(f"/tickets/{ticket['id']}", too_long), 422, "external_platform_id")
    assert trafficker.get(f"/tickets/{ticket['id']}").get_json() == ticket


def test_delete_ticket_only_in_draft(admin, trafficker, open_ticket):
    draft, moved = open_ticket(), open_ticket()
    response = trafficker.delete(f"/tickets/{draft['id']}")
    assert response.status_code == 204 and response.data == b""
    assert_error(admin.get(f"/tickets/{draft['id']}"), 404)

    assert move(trafficker, moved, "QA_TESTING")["status"] == "QA_FAILED"
    assert "Draft" in assert_error(trafficker.delete(f"/tickets/{moved['id']}"), 409)["detail"]
    assert admin.get(f"/tickets/{moved['id']}").status_code == 200


def test_a_channel_used_by_tickets_cannot_be_deleted(admin, open_ticket, meta):
    open_ticket()
    body = assert_error(admin.delete(f"/channels/{meta.id}"), 409)
    assert "META" in body["detail"] and "1 ticket" in body["detail"]
    assert admin.get(f"/channels/{meta.id}").status_code == 200
