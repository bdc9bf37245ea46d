"""Sending tickets to the platforms, over real HTTP against the local platform sandbox: success on
each platform; failure paths; refusals before anything is sent.
"""

import time
from datetime import timedelta

import pytest

from omnitraffick.models import (
    AttemptOutcome,
    PlatformSend,
    RequestType,
    Role,
    SendState,
    TicketStatus,
    utcnow,
)
from omnitraffick.services import tickets, trafficking
from omnitraffick.services.errors import Conflict
from tests.trafficking.helpers import READY, attempts_of, named, nothing_made, reload, send

# --- success on each platform --------------------------------------------------------------------


def test_meta_ticket_is_trafficked_with_campaign_and_ad_set_ids(
    client, db, editor, sandbox, ready, meta
):
    ticket = ready(meta)
    response = send(client, ticket)
    assert response.status_code == 302

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS
    objects = sandbox.objects()
    [campaign] = named(objects, "meta", "campaigns", "name", "DIS_US_META_2026_MoanaLaunch")
    [adset] = named(objects, "meta", "adsets", "campaign_id", campaign["id"])
    assert ticket.external_platform_id == campaign["id"]
    assert ticket.platform_ids == {"campaign_id": campaign["id"], "adset_id": adset["id"]}
    assert int(campaign["daily_budget"]) == 15000  # cents
    assert ticket.sending_since is None and ticket.send_error is None
    event = ticket.events[-1]
    assert (event.from_status, event.to_status) == (READY, TicketStatus.TRAFFICKED_SUCCESS)
    assert event.actor_id == editor.id
    assert f"created campaign {campaign['id']}" in event.reason
    assert "platform sandbox" in event.reason
    # The ad account's minimum budgets were read first (GET /act_{id}/minimum_budgets), and
    # each create was preceded by a search for an object of that name.
    outcomes = [(a.method, a.outcome) for a in attempts_of(db, ticket)]
    assert outcomes == [
        ("GET", AttemptOutcome.OK),
        ("GET", AttemptOutcome.NOT_FOUND),
        ("POST", AttemptOutcome.OK),
        ("GET", AttemptOutcome.NOT_FOUND),
        ("POST", AttemptOutcome.OK),
    ]


def test_tiktok_ticket_is_trafficked_through_the_api(client, db, sandbox, ready, tiktok, make_user):
    from omnitraffick.services import tokens

    user = make_user(Role.TRAFFICKER)
    _, token = tokens.create_token(user, "ci")
    db.session.commit()
    ticket = ready(tiktok)
    response = client.post(
        f"/api/v1/tickets/{ticket.id}/send", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 202, response.text
    body = response.get_json()
    assert body["ticket_id"] == str(ticket.id)
    assert body["target"] == "sandbox"
    assert response.headers["Location"] == f"/api/v1/tickets/{ticket.id}/sends"

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS
    objects = sandbox.objects()
    [campaign] = named(
        objects, "tiktok", "campaigns", "campaign_name", "DIS_US_TIKTOK_2026_MoanaLaunch"
    )
    [adgroup] = named(objects, "tiktok", "adgroups", "campaign_id", campaign["campaign_id"])
    assert ticket.platform_ids == {
        "campaign_id": campaign["campaign_id"],
        "adgroup_id": adgroup["adgroup_id"],
    }
    sends = client.get(
        f"/api/v1/tickets/{ticket.id}/sends", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert [s["state"] for s in sends] == ["SUCCEEDED"]
    # Look up and create the campaign, disable it (created paused), look up and create the
    # ad group.
    assert [a["http_status"] for a in sends[0]["attempts"]] == [200] * 5
    ticket_json = client.get(
        f"/api/v1/tickets/{ticket.id}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert ticket_json["external_platform_id"] == campaign["campaign_id"]
    assert ticket_json["sending"] is False


def test_google_ticket_is_trafficked_with_budget_campaign_and_location(
    client, db, editor, sandbox, ready, google
):
    ticket = ready(google)
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    objects = sandbox.objects()["google"]
    [campaign] = [c for c in objects["campaigns"] if c["name"] == "DIS_US_GOOGLE_2026_MoanaLaunch"]
    assert ticket.external_platform_id == campaign["resourceName"]
    assert len(objects["campaign_budgets"]) == 1
    assert len(objects["campaign_criteria"]) == 1
    assert set(ticket.platform_ids) == {"budget_resource_name", "campaign_resource_name"}


@pytest.mark.parametrize("channel_name", ["meta", "tiktok", "google"])
def test_update_budget_changes_the_campaign_a_create_made(
    request, client, db, editor, sandbox, ready, channel_name
):
    channel = request.getfixturevalue(channel_name)
    create = ready(channel)
    send(client, create)
    assert reload(db, create).status is TicketStatus.TRAFFICKED_SUCCESS
    update = ready(channel, RequestType.UPDATE_BUDGET)
    send(client, update)
    update = reload(db, update)
    assert update.status is TicketStatus.TRAFFICKED_SUCCESS, update.send_error
    assert update.external_platform_id == reload(db, create).external_platform_id
    objects = sandbox.objects()
    if channel_name == "meta":
        assert int(objects["meta"]["campaigns"][0]["daily_budget"]) == 30000
    elif channel_name == "tiktok":
        assert float(objects["tiktok"]["campaigns"][0]["budget"]) == 300
    else:
        assert str(objects["google"]["campaign_budgets"][0]["amountMicros"]) == "300000000"


# --- failure paths -------------------------------------------------------------------------------


def test_429_waits_as_retry_after_says_then_succeeds(client, db, editor, sandbox, ready, meta):
    sandbox.fault(platform="meta", status=429, retry_after=1, method="POST")
    ticket = ready(meta)
    started = time.monotonic()
    send(client, ticket)
    assert time.monotonic() - started >= 1.0
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS
    retried = [a for a in attempts_of(db, ticket) if a.outcome is AttemptOutcome.RETRY]
    assert [(a.http_status, a.method) for a in retried] == [(429, "POST")]
    assert "User request limit reached" in retried[0].message
    assert "trying again in 1.0 s" in retried[0].message
    assert len(sandbox.objects()["meta"]["campaigns"]) == 1


def test_a_server_error_is_retried_with_backoff(client, db, editor, sandbox, ready, tiktok):
    sandbox.fault(platform="tiktok", status=500, path_contains="campaign/create")
    ticket = ready(tiktok)
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS
    statuses = [(a.http_status, a.outcome) for a in attempts_of(db, ticket)]
    assert (500, AttemptOutcome.RETRY) in statuses
    assert len(sandbox.objects()["tiktok"]["campaigns"]) == 1


def test_server_errors_until_the_attempts_run_out_fail_the_ticket(
    app, client, db, editor, sandbox, ready, google
):
    app.config["SEND_MAX_ATTEMPTS"] = 3
    try:
        sandbox.fault(platform="google", status=503, times=10, path_contains="campaignBudgets")
        ticket = ready(google)
        send(client, ticket)
    finally:
        app.config["SEND_MAX_ATTEMPTS"] = 5
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    assert "after 3 attempts" in ticket.send_error
    assert "HTTP 503" in ticket.send_error
    assert ticket.events[-1].reason == ticket.send_error
    creates = [a for a in attempts_of(db, ticket) if a.path.endswith("campaignBudgets:mutate")]
    assert [a.outcome for a in creates] == [
        AttemptOutcome.RETRY,
        AttemptOutcome.RETRY,
        AttemptOutcome.FAILED,
    ]
    assert sandbox.objects()["google"]["campaign_budgets"] == []


def test_a_400_fails_at_once_with_the_platforms_words(client, db, editor, sandbox, ready, meta):
    sandbox.fault(
        platform="meta",
        status=400,
        path_contains="/adsets",
        method="POST",
        message="(#100) Param targeting is not valid",
    )
    ticket = ready(meta)
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    assert ticket.send_error.startswith("Meta refused the request to create the ad set:")
    assert "(#100) Param targeting is not valid" in ticket.send_error
    assert "HTTP 400" in ticket.send_error
    # The campaign made before the refusal is kept on the ticket, so people can find it.
    assert set(ticket.platform_ids) == {"campaign_id"}
    adset_posts = [
        a for a in attempts_of(db, ticket) if a.method == "POST" and a.path.endswith("/adsets")
    ]
    assert len(adset_posts) == 1


def test_a_timeout_is_retried_and_finds_what_the_slow_answer_made(
    app, client, db, editor, sandbox, ready, tiktok
):
    # TikTok takes 1.5 s to make the ad group; the sender gives up after 0.5 s, backs off
    # (at least 1 s with this base) and, before creating again, finds the ad group made.
    app.config.update(SEND_TIMEOUT_SECONDS=0.5, SEND_BACKOFF_SECONDS=2.0)
    try:
        sandbox.fault(platform="tiktok", delay=1.5, path_contains="adgroup/create")
        ticket = ready(tiktok)
        send(client, ticket)
    finally:
        app.config.update(SEND_TIMEOUT_SECONDS=2.0, SEND_BACKOFF_SECONDS=0.01)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    [timed_out] = [a for a in attempts_of(db, ticket) if a.http_status is None]
    assert timed_out.outcome is AttemptOutcome.RETRY
    assert "No answer within 0.5 s" in timed_out.message
    assert len(sandbox.objects()["tiktok"]["adgroups"]) == 1
    assert (
        ticket.platform_ids["adgroup_id"]
        == sandbox.objects()["tiktok"]["adgroups"][0]["adgroup_id"]
    )


@pytest.mark.parametrize(
    ("channel_name", "platform", "path", "kind", "key"),
    [
        ("meta", "meta", "/campaigns", "campaigns", "name"),
        ("tiktok", "tiktok", "campaign/create", "campaigns", "campaign_name"),
        ("google", "google", "campaigns:mutate", "campaigns", "name"),
    ],
)
def test_a_lost_answer_never_creates_the_campaign_twice(
    request, client, db, editor, sandbox, ready, channel_name, platform, path, kind, key
):
    # The platform makes the campaign, then the answer is lost (a 502 here).
    sandbox.fault(
        platform=platform, status=502, path_contains=path, method="POST", after_effect=True
    )
    ticket = ready(request.getfixturevalue(channel_name))
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    platform_name = f"DIS_US_{channel_name.upper()}_2026_MoanaLaunch"
    made = named(sandbox.objects(), platform, kind, key, platform_name)
    assert len(made) == 1
    found = [a for a in attempts_of(db, ticket) if a.outcome is AttemptOutcome.FOUND]
    assert len(found) == 1
    assert "already on" in found[0].message
    assert "not made again" in ticket.events[-1].reason


def test_a_lost_answer_after_a_timeout_is_found_too(app, client, db, editor, sandbox, ready, meta):
    app.config["SEND_TIMEOUT_SECONDS"] = 0.5
    try:
        sandbox.fault(
            platform="meta", delay=1.5, path_contains="/campaigns", method="POST", after_effect=True
        )
        ticket = ready(meta)
        send(client, ticket)
    finally:
        app.config["SEND_TIMEOUT_SECONDS"] = 2.0
    assert reload(db, ticket).status is TicketStatus.TRAFFICKED_SUCCESS
    assert len(sandbox.objects()["meta"]["campaigns"]) == 1


def test_sending_again_after_a_failure_reuses_what_was_made(
    client, db, editor, sandbox, ready, meta
):
    sandbox.fault(platform="meta", status=400, path_contains="/adsets", method="POST")
    ticket = ready(meta)
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    response = send(client, ticket, again="1")
    assert response.status_code == 302
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS
    assert len(sandbox.objects()["meta"]["campaigns"]) == 1
    assert len(sandbox.objects()["meta"]["adsets"]) == 1
    assert [e.to_status for e in ticket.events][-3:] == [
        TicketStatus.FAILED,
        READY,
        TicketStatus.TRAFFICKED_SUCCESS,
    ]


def test_a_retry_after_longer_than_allowed_fails_with_advice(
    client, db, editor, sandbox, ready, meta
):
    sandbox.fault(platform="meta", status=429, retry_after=3600)
    ticket = ready(meta)
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    assert "asks to wait 3600 s" in ticket.send_error


def test_bad_live_credentials_fail_with_the_platforms_message(
    app, client, db, editor, sandbox, ready, meta
):
    app.config.update(
        META_ACCESS_TOKEN="not-the-token",
        META_AD_ACCOUNT_ID="act_1000000001",
        META_API_BASE_URL=f"{sandbox.url}/meta",
    )
    try:
        ticket = ready(meta)
        send(client, ticket)
    finally:
        app.config.update(META_ACCESS_TOKEN=None, META_AD_ACCOUNT_ID=None, META_API_BASE_URL=None)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    assert "Invalid OAuth access token" in ticket.send_error
    assert reload(db, ticket).sends[-1].target == "live"


def test_google_refresh_token_refused(client, db, editor, live_google, ready, google):
    live_google("revoked")
    ticket = ready(google)
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    assert "Google refused the OAuth credentials" in ticket.send_error


def test_live_google_credentials_work_and_secrets_never_show(
    client, db, editor, live_google, ready, google
):
    ticket = ready(google)
    send(client, ticket)
    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.send_error
    page = client.get(f"/tickets/{ticket.id}").text
    channels = client.get("/channels/").text
    api = client.get(f"/api/v1/tickets/{ticket.id}/sends").text
    assert "Live" in page
    for secret in ("sandbox-developer-token", "sandbox-client-secret", "sandbox-refresh-token"):
        assert secret not in page and secret not in channels and secret not in api


# --- refusals before anything is sent ------------------------------------------------------------


def test_only_ready_tickets_can_be_sent(client, db, bearer, sandbox, make_ticket, moana, meta):
    ticket = make_ticket(campaign=moana, channel=meta)
    response = client.post(f"/api/v1/tickets/{ticket.id}/send", headers=bearer, json={})
    assert response.status_code == 409, response.text
    assert "Only tickets Ready for API can be sent" in response.get_json()["detail"]
    assert nothing_made(sandbox)


def test_viewers_cannot_send(client, db, login, sandbox, ready, meta):
    login(Role.VIEWER)
    ticket = ready(meta)
    assert send(client, ticket).status_code == 403
    assert reload(db, ticket).status is READY


def test_an_unconnected_channel_says_which_variables_to_set(client, db, editor, ready, meta):
    ticket = ready(meta)
    response = client.post(f"/tickets/{ticket.id}/send", data={}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "META_ACCESS_TOKEN" in response.text and "META_AD_ACCOUNT_ID" in response.text
    assert reload(db, ticket).status is READY
    assert db.session.query(PlatformSend).count() == 0


def test_a_ticket_needing_an_unset_pixel_is_refused(app, client, db, bearer, sandbox, ready, meta):
    app.config.update(META_ACCESS_TOKEN="token", META_AD_ACCOUNT_ID="123")
    try:
        ticket = ready(meta, objective="CONVERSIONS")
        response = client.post(f"/api/v1/tickets/{ticket.id}/send", headers=bearer, json={})
    finally:
        app.config.update(META_ACCESS_TOKEN=None, META_AD_ACCOUNT_ID=None)
    assert response.status_code == 409
    assert "META_PIXEL_ID" in response.get_json()["detail"]


def test_one_send_at_a_time(db, editor, sandbox, ready, meta):
    ticket = ready(meta)
    trafficking.queue_send(ticket, actor=editor)
    db.session.commit()
    with pytest.raises(Conflict, match="already being sent"):
        trafficking.queue_send(ticket, actor=editor)
    db.session.rollback()
    with pytest.raises(Conflict, match="being sent to Meta"):
        tickets.move_ticket(ticket, "DRAFT", actor=editor)
    db.session.rollback()
    assert db.session.query(PlatformSend).count() == 1


def test_a_stale_send_is_closed_and_the_ticket_goes_again(db, editor, sandbox, ready, meta):
    ticket = ready(meta)
    stuck = trafficking.queue_send(ticket, actor=editor)
    stuck.state, stuck.started_at = SendState.RUNNING, utcnow() - timedelta(hours=1)
    stuck.requested_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    fresh = trafficking.queue_send(ticket, actor=editor)
    db.session.commit()
    db.session.refresh(stuck)
    assert stuck.state is SendState.FAILED and "never finished" in stuck.message
    trafficking.run_send(fresh.id)
    assert reload(db, ticket).status is TicketStatus.TRAFFICKED_SUCCESS


def test_the_job_queue_being_down_is_a_503_and_nothing_half_done(
    app, client, db, bearer, sandbox, ready, meta
):
    from omnitraffick import jobs

    app.config.update(JOBS="celery", REDIS_URL="redis://127.0.0.1:1/0")
    jobs.init_app(app)
    try:
        ticket = ready(meta)
        response = client.post(f"/api/v1/tickets/{ticket.id}/send", headers=bearer, json={})
    finally:
        app.config.update(JOBS="inline", REDIS_URL=None)
    assert response.status_code == 503
    assert "could not be reached" in response.get_json()["detail"]
    ticket = reload(db, ticket)
    assert ticket.status is READY and ticket.sending_since is None
    assert nothing_made(sandbox)


def test_the_embedded_thread_runner_sends(app, client, db, editor, sandbox, ready, tiktok):
    app.config["JOBS"] = "thread"
    try:
        ticket = ready(tiktok)
        response = send(client, ticket)
        assert response.status_code == 302
        deadline = time.monotonic() + 15
        while reload(db, ticket).status is READY and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        app.config["JOBS"] = "inline"
    assert reload(db, ticket).status is TicketStatus.TRAFFICKED_SUCCESS
