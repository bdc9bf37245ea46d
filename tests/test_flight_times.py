"""Flight instants: computed once from the market's time zone, written the way each platform
reads them, moved to the time of sending when the start has passed, refused when the flight
is over.

Formats, by reference:
- Meta ad set start_time/end_time, ISO 8601 with an offset ("2026-12-01T00:00:00+0000"):
  https://developers.facebook.com/docs/marketing-api/bidding/overview/billing-events
- TikTok schedule_start_time/schedule_end_time, UTC+0 "YYYY-MM-DD HH:MM:SS":
  https://business-api.tiktok.com/portal/docs?id=1739499616346114
- Google Ads start_date_time/end_date_time, "yyyy-MM-dd HH:mm:ss" in the customer's time zone,
  whole days (00:00:00 / 23:59:59) for Search and Display:
  https://developers.google.com/google-ads/api/diff-tool/v23/versus-v22/diffs/resources/campaign
The zone rules come from the tzdata pinned in the lock, so the offsets below are pinned too.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from omnitraffick.models import RequestType, Role
from omnitraffick.services import qa, reference, tokens
from omnitraffick.services.translators import TranslationError, TranslationInput, translate
from tests.html import parse

MARKETS = {
    # country, zone, currency
    "Tokyo": ("JP", "Asia/Tokyo", "JPY"),
    "Budapest": ("HU", "Europe/Budapest", "HUF"),
    "Los Angeles": ("US", "America/Los_Angeles", "USD"),
}


def settings(**overrides):
    """Complete CREATE_CAMPAIGN settings for March 2026; a None override leaves one out."""
    values = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "100000",
        "flight_start": "2026-03-01",
        "flight_end": "2026-03-31",
        "landing_url": "https://example.com/?utm_campaign=X",
        "initial_status": "ACTIVE",
    }
    return {k: v for k, v in (values | overrides).items() if v is not None}


def data(channel, market, now=None, **overrides):
    country, zone, currency = MARKETS[market]
    return TranslationInput(
        platform_name=f"DIS_{country}_{channel}_2026_Launch",
        request_type=RequestType.CREATE_CAMPAIGN,
        settings=settings(**overrides),
        currency=currency,
        country=country,
        time_zone=zone,
        now=now,
    )


def instants(market, now=None, **overrides) -> dict[str, tuple[datetime, datetime]]:
    """Each platform's start and end, read back as aware instants the way it reads them."""
    zone = ZoneInfo(MARKETS[market][1])
    meta = translate("META", data("META", market, now, **overrides)).requests[1].body
    tiktok = translate("TIKTOK", data("TIKTOK", market, now, **overrides)).requests[-1].body
    google = translate("GOOGLE", data("GOOGLE", market, now, **overrides)).requests[1].body
    google = google["operations"][0]["create"]

    def utc(text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)

    def local(text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)

    def iso(text):
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")

    return {
        "Meta": (iso(meta["start_time"]), iso(meta["end_time"])),
        "TikTok": (utc(tiktok["schedule_start_time"]), utc(tiktok["schedule_end_time"])),
        "Google": (local(google["startDateTime"]), local(google["endDateTime"])),
    }


@pytest.mark.parametrize("market", list(MARKETS))
def test_the_three_platforms_agree_on_the_flight_instants(market):
    zone = ZoneInfo(MARKETS[market][1])
    expected = (
        datetime(2026, 3, 1, 0, 0, 0, tzinfo=zone),
        datetime(2026, 3, 31, 23, 59, 59, tzinfo=zone),
    )

    found = instants(market)

    assert found == {"Meta": expected, "TikTok": expected, "Google": expected}


@pytest.mark.parametrize(
    "market, meta_start, tiktok_start, tiktok_end",
    [
        ("Tokyo", "2026-03-01T00:00:00+0900", "2026-02-28 15:00:00", "2026-03-31 14:59:59"),
        # Budapest moves to summer time on 2026-03-29: the end is +0200.
        ("Budapest", "2026-03-01T00:00:00+0100", "2026-02-28 23:00:00", "2026-03-31 21:59:59"),
        ("Los Angeles", "2026-03-01T00:00:00-0800", "2026-03-01 08:00:00", "2026-04-01 06:59:59"),
    ],
)
def test_each_platform_gets_its_own_format(market, meta_start, tiktok_start, tiktok_end):
    meta = translate("META", data("META", market)).requests[1].body
    tiktok = translate("TIKTOK", data("TIKTOK", market)).requests[-1].body
    google = translate("GOOGLE", data("GOOGLE", market)).requests[1].body["operations"][0]

    assert meta["start_time"] == meta_start
    assert (tiktok["schedule_start_time"], tiktok["schedule_end_time"]) == (
        tiktok_start,
        tiktok_end,
    )
    assert google["create"]["startDateTime"] == "2026-03-01 00:00:00"
    assert google["create"]["endDateTime"] == "2026-03-31 23:59:59"


def test_a_start_that_passed_becomes_the_next_minute_when_the_request_is_built():
    now = datetime(2026, 3, 5, 10, 30, 20, tzinfo=UTC)

    found = instants("Budapest", now)

    moved = datetime(2026, 3, 5, 10, 31, tzinfo=UTC)
    assert found["Meta"][0] == found["TikTok"][0] == moved
    # Google takes whole days for Search: the campaign starts on the (local) day of sending.
    assert found["Google"][0] == datetime(2026, 3, 5, tzinfo=ZoneInfo("Europe/Budapest"))
    meta = translate("META", data("META", "Budapest", now))
    assert meta.requests[1].body["start_time"] == "2026-03-05T11:31:00+0100"
    assert "start has passed" in meta.notes[0]


def test_a_start_to_come_is_kept_and_the_preview_says_it_is_worked_out_again():
    now = datetime(2026, 2, 1, tzinfo=UTC)

    translation = translate("TIKTOK", data("TIKTOK", "Tokyo", now))

    assert translation.requests[-1].body["schedule_start_time"] == "2026-02-28 15:00:00"
    assert "worked out again when the ticket is sent" in translation.notes[0]
    assert translation.to_dict()["notes"] == list(translation.notes)


@pytest.mark.parametrize("channel", ["META", "TIKTOK", "GOOGLE"])
def test_a_flight_that_is_over_cannot_be_created(channel):
    after = datetime(2026, 4, 1, 7, tzinfo=UTC)  # past 23:59:59 on 03-31 even in Los Angeles

    with pytest.raises(TranslationError) as caught:
        translate(channel, data(channel, "Los Angeles", after))

    [problem] = caught.value.problems
    assert problem.startswith("The flight ended at 2026-03-31 23:59:59 PDT")
    assert "Move the flight end" in problem
    # An hour earlier it is still running in Los Angeles (and starts now).
    translate(channel, data(channel, "Los Angeles", after - timedelta(hours=1)))


# --- QA with the app clock --------------------------------------------------------------------


@pytest.fixture
def clock(app, monkeypatch):
    """Set the app clock: `clock(datetime)`."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setitem(app.config, "CLOCK", lambda: moment)

    return set_to


@pytest.fixture
def la_ticket(db, make_market, make_campaign, make_ticket, meta):
    market = make_market(code="LA", country="US")
    reference.update_market(
        market,
        code="LA",
        country="US",
        region="NA",
        currency="USD",
        time_zone="America/Los_Angeles",
    )
    campaign = make_campaign(market=market, campaign_name="Launch", budget="100000")
    ticket = make_ticket(campaign=campaign, channel=meta)
    name = ticket.platform_name
    ticket.payload_config = settings(
        budget_amount="10.00",
        landing_url=f"https://example.com/?utm_source=a&utm_medium=b&utm_campaign={name}",
    )
    db.session.commit()
    return ticket


def test_qa_blocks_a_flight_that_ended_in_the_market_and_warns_of_one_that_started(
    la_ticket, clock
):
    # 06:30 UTC on April 1st is still March 31st in Los Angeles: running, started.
    clock(datetime(2026, 4, 1, 6, 30, tzinfo=UTC))
    findings = {f.rule: f for f in qa.run(qa.context_for(la_ticket, None))}
    assert findings["flight"].passed
    assert not findings["flight_started"].passed
    assert findings["flight_started"].severity == qa.WARN
    assert "started on 2026-03-01 (America/Los_Angeles)" in findings["flight_started"].message
    assert "Move the flight start" in findings["flight_started"].message
    assert findings["translator"].passed

    clock(datetime(2026, 4, 1, 7, 0, tzinfo=UTC))
    findings = {f.rule: f for f in qa.run(qa.context_for(la_ticket, None))}
    assert not findings["flight"].passed
    assert "The flight ended at 2026-03-31 23:59:59 PDT" in findings["flight"].message
    assert "Move the flight end" in findings["flight"].message
    # One problem, one line: the translator rule leaves it to the flight rule.
    assert findings["translator"].passed


def test_the_payload_preview_is_built_as_of_now(la_ticket, clock, client, login):
    login()
    clock(datetime(2026, 3, 10, 20, 0, 5, tzinfo=UTC))

    body = client.get(f"/api/v1/tickets/{la_ticket.id}/payload")
    page = parse(client.get(f"/tickets/{la_ticket.id}"))

    assert body.status_code == 200, body.text
    payload = body.get_json()
    assert payload["requests"][1]["body"]["start_time"] == "2026-03-10T13:01:00-0700"
    assert "start has passed" in payload["notes"][0]
    assert "start has passed" in page.by_id("payload-panel").text


# --- markets ----------------------------------------------------------------------------------


def test_a_country_with_one_zone_gets_it_and_one_with_several_must_choose(db):
    hungary = reference.create_market(
        code="HU", country="HU", region="EU", currency="HUF", time_zone=""
    )
    assert hungary.time_zone == "Europe/Budapest"
    with pytest.raises(Exception) as caught:
        reference.create_market(code="US", country="US", region="NA", currency="USD", time_zone="")
    assert "Choose the market's time zone" in str(caught.value)
    with pytest.raises(Exception) as caught:
        reference.create_market(
            code="US", country="US", region="NA", currency="USD", time_zone="Europe/Paris"
        )
    assert "is not a time zone of US" in str(caught.value)
    # Left out altogether (scripts written before zones), the most populous city's zone.
    us = reference.create_market(code="US", country="US", region="NA", currency="USD")
    assert us.time_zone == "America/New_York"


def test_the_api_takes_and_shows_a_market_zone(db, client, make_user):
    _, token = tokens.create_token(make_user(Role.ADMIN), "ci")
    db.session.commit()
    auth = {"Authorization": f"Bearer {token}"}
    created = client.post(
        "/api/v1/markets",
        headers=auth,
        json={
            "code": "LAX",
            "country": "US",
            "region": "NA",
            "currency": "USD",
            "time_zone": "America/Los_Angeles",
        },
    )
    assert created.status_code == 201, created.text
    assert created.get_json()["time_zone"] == "America/Los_Angeles"

    bad = client.post(
        "/api/v1/markets",
        headers=auth,
        json={"code": "X1", "country": "JP", "region": "A", "currency": "JPY", "time_zone": "Mars"},
    )
    assert bad.status_code == 422
    assert "not an IANA time zone" in bad.get_json()["errors"]["time_zone"][0]


def test_the_market_pages_show_and_take_the_zone(db, client, login, make_market):
    login()
    make_market(code="TYO", country="JP", currency="JPY")

    listing = parse(client.get("/markets/"))
    response = client.post(
        "/markets/new",
        data={"code": "SEA", "country": "US", "region": "NA", "currency": "USD", "time_zone": ""},
    )

    assert "Asia/Tokyo" in listing.text
    assert response.status_code == 422
    assert "Choose the market's time zone" in parse(response).text
