"""The JSON API at /api/v1: DESIGN.md's "JSON API" contract, endpoint by endpoint: tokens from the
command line; CSRF: browser sessions versus tokens; the whole job with nothing but a token.
"""

import hashlib
import threading
import uuid

from sqlalchemy import func, select, text

from omnitraffick.models import (
    ApiToken,
    Channel,
    Role,
    Ticket,
)
from omnitraffick.services import tokens
from tests.api.helpers import (
    REFERENCE_BODIES,
    Api,
    _header_token,
    _login_with_csrf,
    assert_error,
    qa_settings,
)

# --- tokens from the command line ----------------------------------------------------------------


def test_flask_tokens_create_prints_a_working_token_and_stores_only_a_digest(
    app, db, client, make_user
):
    user = make_user(Role.TRAFFICKER, email="ana@example.com")
    result = app.test_cli_runner().invoke(
        args=["tokens", "create", "Ana@Example.com", "--name", "nightly sync"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    token = lines[-1]
    assert token == token.strip() and " " not in token and len(token) >= 32
    assert "nightly sync" in result.output and token not in "\n".join(lines[:-1])

    api = Api(client, {"Authorization": f"Bearer {token}"})
    assert api.get("/markets").status_code == 200
    assert_error(api.post("/markets", REFERENCE_BODIES["markets"]), 403)  # a trafficker

    db.session.expire_all()
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.name == "nightly sync"
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    stored = db.session.execute(text("SELECT * FROM api_tokens")).all()
    assert len(stored) == 1
    assert all(token not in str(value) for value in stored[0])


def test_flask_tokens_create_without_a_name_and_for_an_admin(app, client, make_user):
    make_user(Role.ADMIN, email="root@example.com")
    result = app.test_cli_runner().invoke(args=["tokens", "create", "root@example.com"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    api = Api(client, {"Authorization": f"Bearer {token}"})
    assert api.post("/markets", REFERENCE_BODIES["markets"]).status_code == 201


def test_flask_tokens_create_for_an_unknown_email_fails_clearly(app, db):
    result = app.test_cli_runner().invoke(args=["tokens", "create", "nobody@example.com"])
    assert result.exit_code != 0
    assert "No user with email nobody@example.com" in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_a_token_use_is_recorded_even_on_reads(db, client, make_user):
    """The profile page shows when each token was last used; a read-only script counts."""
    user = make_user(Role.VIEWER)
    row, token = tokens.create_token(user, "dashboard")
    db.session.commit()
    token_id = row.id
    responses = []
    # In a thread of its own the request has its own app context and database session, as in
    # production: what it does not commit is gone when it ends.
    worker = threading.Thread(
        target=lambda: responses.append(
            Api(client, {"Authorization": f"Bearer {token}"}).get("/markets").status_code
        )
    )
    worker.start()
    worker.join()
    assert responses == [200]
    db.session.rollback()  # end this session's read transaction to see the request's commits
    assert db.session.get(ApiToken, token_id).last_used_at is not None


# --- CSRF: browser sessions versus tokens --------------------------------------------------------


def test_a_browser_session_needs_the_csrf_token_to_write(client, make_user, us, csrf_on):
    _login_with_csrf(client, make_user(Role.ADMIN))
    session = Api(client)
    listed = session.get("/markets")
    assert listed.status_code == 200
    assert listed.headers["X-Total-Count"] == "1"

    body = REFERENCE_BODIES["markets"]
    refused = session.post("/markets", body)
    assert "expired" in assert_error(refused, 400)["detail"]
    assert_error(session.put(f"/markets/{us.id}", {"country": "USA"}), 400)
    assert_error(session.delete(f"/markets/{us.id}"), 400)
    assert_error(session.post("/markets", body, headers={"X-CSRFToken": "forged"}), 400)
    assert session.get("/markets").headers["X-Total-Count"] == "1"

    csrf = {"X-CSRFToken": _header_token(client.get("/markets/").text)}
    assert session.post("/markets", body, headers=csrf).status_code == 201
    assert session.put(f"/markets/{us.id}", {"country": "USA"}, headers=csrf).status_code == 200
    assert session.delete(f"/markets/{us.id}", headers=csrf).status_code == 204
    assert [m["code"] for m in session.get("/markets").get_json()] == ["GB"]


def test_token_requests_need_no_csrf_token(admin, us, csrf_on):
    assert admin.post("/markets", REFERENCE_BODIES["markets"]).status_code == 201
    assert admin.update("markets", str(us.id), {"country": "USA"})["country"] == "US"
    assert admin.delete(f"/markets/{us.id}").status_code == 204


def test_a_browser_session_still_has_its_role(client, make_user, us, csrf_on):
    _login_with_csrf(client, make_user(Role.VIEWER))
    csrf = {"X-CSRFToken": _header_token(client.get("/markets/").text)}
    response = Api(client).delete(f"/markets/{us.id}", headers=csrf)
    assert_error(response, 403)


# --- the whole job with nothing but a token ------------------------------------------------------


def test_a_script_with_only_a_token_traffics_a_campaign(app, db, make_user):
    user = make_user(Role.ADMIN)
    _, token = tokens.create_token(user, "script")
    db.session.commit()
    script = Api(app.test_client(use_cookies=False), {"Authorization": f"Bearer {token}"})

    market = script.create(
        "markets", {"code": "JP", "country": "Japan", "region": "APAC", "currency": "JPY"}
    )
    brand = script.create("brands", {"name": "Disney", "internal_code": "DIS"})
    channel = script.create("channels", {"platform_name": "TikTok", "api_identifier": "TIKTOK"})
    campaign = script.create(
        "campaigns",
        {
            "brand_id": brand["id"],
            "market_id": market["id"],
            "campaign_name": "Moana Launch",
            "year": 2026,
            "budget": 1500000,
        },
    )
    assert campaign["name"] == "DIS_JP_MULTI_2026_MoanaLaunch"
    assert campaign["budget"] == "1500000"
    campaign = script.update("campaigns", campaign["id"], {"status": "ACTIVE"})

    ticket = script.create(
        "tickets",
        {
            "campaign_id": campaign["id"],
            "channel_id": channel["id"],
            "request_type": "CREATE_CAMPAIGN",
            # 50,000 JPY a day for 28 days: 1,400,000, within the campaign's budget.
            "payload_config": qa_settings("DIS_JP_TIKTOK_2026_MoanaLaunch", budget_amount="50000"),
        },
    )
    assert ticket["platform_name"] == "DIS_JP_TIKTOK_2026_MoanaLaunch"
    assert ticket["payload_config"]["budget_amount"] == "50000"
    # Pre-flight QA passes it, so QA_TESTING moves on to READY_FOR_API in the same request.
    for status, extra, reached in (
        ("QA_TESTING", {}, "READY_FOR_API"),
        ("TRAFFICKED_SUCCESS", {"external_platform_id": "1790000000000001"}, None),
    ):
        ticket = script.update(
            "tickets", ticket["id"], {"status": status, "version": ticket["version"], **extra}
        )
        assert ticket["status"] == (reached or status), ticket["qa_failure_reason"]
    # Every rule passes but one warning: TikTok publishes no minimum budget in JPY.
    failed = [f["rule"] for f in ticket["qa_report"] if not f["passed"]]
    assert failed == ["platform_minimum_unknown"], ticket["qa_report"]

    read_back = script.get(f"/tickets/{ticket['id']}").get_json()
    assert read_back == ticket
    assert read_back["status"] == "TRAFFICKED_SUCCESS"
    assert read_back["external_platform_id"] == "1790000000000001"
    assert read_back["created_by_id"] == str(user.id)
    done = script.get(f"/tickets?status=TRAFFICKED_SUCCESS&campaign_id={campaign['id']}")
    assert [t["id"] for t in done.get_json()] == [ticket["id"]]
    assert script.get("/campaigns?status=ACTIVE&q=moana").get_json() == [
        script.get(f"/campaigns/{campaign['id']}").get_json()
    ]
    # The campaign's work has left DRAFT, so it stays, and so do its market and channel.
    assert_error(script.delete(f"/campaigns/{campaign['id']}"), 409)
    assert_error(script.delete(f"/markets/{market['id']}"), 409)
    assert_error(script.delete(f"/channels/{channel['id']}"), 409)


def test_ticket_payload_is_the_platform_request(admin, rows, db):
    """GET /tickets/{id}/payload returns what the channel's translator builds, or 422."""

    ticket = db.session.get(Ticket, uuid.UUID(rows["tickets"]))
    channel = db.session.get(Channel, ticket.channel_id)
    channel.api_identifier = "META"
    ticket.payload_config = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "150.50",
        "flight_start": "2031-03-01",
        "landing_url": "https://example.com/?utm_campaign=x",
        "initial_status": "PAUSED",
    }
    db.session.commit()

    response = admin.get(f"/tickets/{ticket.id}/payload")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["channel"] == "META"
    assert [r["method"] for r in body["requests"]] == ["POST", "POST"]
    assert body["requests"][0]["path"].endswith("/act_{ad_account_id}/campaigns")
    assert body["requests"][0]["body"]["status"] == "PAUSED"

    ticket.payload_config = {"budget_type": "LIFETIME"}
    db.session.commit()
    refused = admin.get(f"/tickets/{ticket.id}/payload")
    assert refused.status_code == 422
    problems = [m for ms in refused.get_json()["errors"].values() for m in ms]
    assert len(problems) >= 2  # every problem, not the first one only
    assert "budget_amount" in refused.get_json()["errors"]


def test_ticket_payload_of_an_unknown_ticket_is_404(admin):
    assert admin.get(f"/tickets/{uuid.uuid4()}/payload").status_code == 404


def test_brand_budget_ceilings_round_trip(admin):
    created = admin.post(
        "/brands",
        {
            "name": "Ceilinged",
            "internal_code": "CEIL",
            "daily_budget_ceiling": "500",
            "lifetime_budget_ceiling": 20000,
            "ceiling_currency": "usd",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["daily_budget_ceiling"] == "500.00"
    assert body["lifetime_budget_ceiling"] == "20000.00"
    assert body["ceiling_currency"] == "USD"

    refused = admin.post(
        "/brands",
        {
            "name": "Bad",
            "internal_code": "BAD",
            "daily_budget_ceiling": "-1",
            "ceiling_currency": "XYZ",
        },
    )
    assert refused.status_code == 422
    assert "ceiling_currency" in refused.get_json()["errors"]
