"""Compliance declarations: special ad categories and their countries reach every platform's
request in its own form, or are refused where the platform cannot express them.

References:
- Meta special_ad_categories / special_ad_category_country ("If special_ad_categories are
  selected, you must also set a special_ad_category_country"):
  https://developers.facebook.com/docs/marketing-api/audiences/special-ad-category
- TikTok special_industries (HOUSING, EMPLOYMENT, CREDIT; US and Canada only), on
  /campaign/create/: https://business-api.tiktok.com/portal/docs?id=1739318962329602
- Google contains_eu_political_advertising, required (FieldError.REQUIRED), and no political
  ads served in the EU since October 2025:
  https://developers.google.com/google-ads/api/docs/api-policy/eu-par
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from omnitraffick.models import Brand, RequestType, Role, Ticket
from omnitraffick.sandbox import SANDBOX_CREDENTIALS, create_sandbox
from omnitraffick.services import qa, reference, tickets
from omnitraffick.services.errors import ValidationError
from omnitraffick.services.settings import clean_settings
from omnitraffick.services.translators import TranslationError, TranslationInput, translate
from tests.html import parse
from tests.test_flight_times import settings

HOUSING = ["HOUSING"]
POLITICS = ["ISSUES_ELECTIONS_POLITICS"]


def data(channel, country="HU", currency="HUF", **overrides):
    return TranslationInput(
        platform_name=f"DIS_{country}_{channel}_2026_Homes",
        request_type=RequestType.CREATE_CAMPAIGN,
        settings=settings(**overrides),
        currency=currency,
        country=country,
        time_zone="Europe/Budapest",
    )


def body(channel, index=0, **kwargs):
    translation = translate(channel, data(channel, **kwargs))
    request = translation.requests[index].body
    return request["operations"][0]["create"] if channel == "GOOGLE" else request


def problems(channel, **kwargs):
    with pytest.raises(TranslationError) as caught:
        translate(channel, data(channel, **kwargs))
    return caught.value.problems


# --- settings ---------------------------------------------------------------------------------


def test_a_declaration_is_a_list_of_categories_and_countries():
    cleaned = clean_settings(
        RequestType.CREATE_CAMPAIGN,
        {
            "special_ad_categories": "employment, housing",
            "special_ad_category_countries": ["hu", "Austria", "HU"],
        },
        "HUF",
    )
    assert cleaned["special_ad_categories"] == ["HOUSING", "EMPLOYMENT"]
    assert cleaned["special_ad_category_countries"] == ["HU", "AT"]
    # None declared: nothing stored.
    assert "special_ad_categories" not in clean_settings(
        RequestType.CREATE_CAMPAIGN, {"special_ad_categories": []}, "HUF"
    )


@pytest.mark.parametrize(
    "raw, field, fragment",
    [
        ({"special_ad_categories": ["CASINO"]}, "special_ad_categories", "must be one of"),
        ({"special_ad_categories": [1]}, "special_ad_categories", "list of strings"),
        (
            {"special_ad_category_countries": "HU, Atlantis"},
            "special_ad_category_countries",
            "'Atlantis' is not an ISO 3166-1 country",
        ),
    ],
)
def test_a_bad_declaration_is_named(raw, field, fragment):
    with pytest.raises(ValidationError) as caught:
        clean_settings(RequestType.CREATE_CAMPAIGN, raw, "HUF")
    assert fragment in caught.value.errors[field][0]


# --- Meta -------------------------------------------------------------------------------------


def test_meta_gets_the_categories_and_their_countries():
    assert body("META")["special_ad_categories"] == []
    assert "special_ad_category_country" not in body("META")

    housing = body("META", special_ad_categories=HOUSING)
    assert housing["special_ad_categories"] == ["HOUSING"]
    assert housing["special_ad_category_country"] == ["HU"]  # the market's, by default

    listed = body(
        "META",
        special_ad_categories=["HOUSING", "FINANCIAL_PRODUCTS_SERVICES"],
        special_ad_category_countries=["HU", "AT"],
    )
    assert listed["special_ad_categories"] == ["HOUSING", "FINANCIAL_PRODUCTS_SERVICES"]
    assert listed["special_ad_category_country"] == ["HU", "AT"]


# --- TikTok -----------------------------------------------------------------------------------


def test_tiktok_declares_special_industries_in_the_us_and_canada_only():
    us = body("TIKTOK", country="US", currency="USD", special_ad_categories=HOUSING)
    assert us["special_industries"] == ["HOUSING"]
    credit = body(
        "TIKTOK",
        country="CA",
        currency="CAD",
        special_ad_categories=["FINANCIAL_PRODUCTS_SERVICES"],
    )
    assert credit["special_industries"] == ["CREDIT"]

    translation = translate("TIKTOK", data("TIKTOK", special_ad_categories=HOUSING))
    assert "special_industries" not in translation.requests[0].body
    assert "only for campaigns in the US or Canada" in translation.notes[1]


@pytest.mark.parametrize("category", ["ISSUES_ELECTIONS_POLITICS", "ONLINE_GAMBLING_AND_GAMING"])
def test_tiktok_refuses_a_declaration_it_cannot_express(category):
    [problem] = problems("TIKTOK", special_ad_categories=[category])
    assert problem.startswith(f"TikTok cannot declare {category}")


def test_a_paused_tiktok_campaign_is_disabled_by_a_call_of_its_own():
    """/campaign/create/ does not reliably honour operation_status (campaigns come out
    ENABLE), so the campaign is disabled with /campaign/status/update/ before its ad group
    is made: https://business-api.tiktok.com/portal/docs?id=1739320994354178"""
    translation = translate("TIKTOK", data("TIKTOK", initial_status="PAUSED"))
    paths = [r.path.rsplit("/v1.3", 1)[1] for r in translation.requests]
    assert paths == ["/campaign/create/", "/campaign/status/update/", "/adgroup/create/"]
    assert translation.requests[1].body == {
        "advertiser_id": "{advertiser_id}",
        "campaign_ids": ["{campaign_id}"],
        "operation_status": "DISABLE",
    }
    active = translate("TIKTOK", data("TIKTOK", initial_status="ACTIVE"))
    assert len(active.requests) == 2


# --- Google -----------------------------------------------------------------------------------


def test_google_declares_eu_political_advertising():
    assert body("GOOGLE", 1)["containsEuPoliticalAdvertising"] == (
        "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"
    )
    us_for_eu = body(
        "GOOGLE",
        1,
        country="US",
        currency="USD",
        special_ad_categories=POLITICS,
        special_ad_category_countries=["US", "FR"],
    )
    assert us_for_eu["containsEuPoliticalAdvertising"] == "CONTAINS_EU_POLITICAL_ADVERTISING"
    us_only = body("GOOGLE", 1, country="US", currency="USD", special_ad_categories=POLITICS)
    assert us_only["containsEuPoliticalAdvertising"] == "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"

    [problem] = problems("GOOGLE", special_ad_categories=POLITICS)
    assert "stopped serving political ads in the EU" in problem


# --- QA ---------------------------------------------------------------------------------------


@pytest.fixture
def hu_ticket(db, make_market, make_campaign, make_ticket, meta):
    market = make_market(code="HU", country="HU", currency="HUF", region="EU")
    ticket = make_ticket(campaign=make_campaign(market=market, budget="10000000"), channel=meta)
    name = ticket.platform_name
    ticket.payload_config = settings(
        flight_start="2026-02-01",
        flight_end="2026-02-10",
        landing_url=f"https://example.com/?utm_source=a&utm_medium=b&utm_campaign={name}",
    )
    db.session.commit()
    return ticket


def findings(ticket):
    now = datetime(2026, 1, 10, tzinfo=UTC)
    return {f.rule: f for f in qa.run(qa.context_for(ticket, None, now=now))}


def test_qa_blocks_a_political_declaration_that_names_no_country(db, hu_ticket):
    hu_ticket.payload_config = hu_ticket.payload_config | {"special_ad_categories": POLITICS}
    found = findings(hu_ticket)
    assert not found["compliance_political"].passed
    assert found["compliance_political"].severity == qa.BLOCK
    assert 'List them in "Declared for countries"' in found["compliance_political"].message

    hu_ticket.payload_config = hu_ticket.payload_config | {"special_ad_category_countries": ["HU"]}
    assert findings(hu_ticket)["compliance_political"].passed


def test_qa_reports_a_declaration_the_platform_refuses(db, hu_ticket, google):
    hu_ticket.channel = google
    hu_ticket.payload_config = hu_ticket.payload_config | {
        "special_ad_categories": POLITICS,
        "special_ad_category_countries": ["HU"],
    }
    found = findings(hu_ticket)
    assert not found["translator"].passed
    assert "stopped serving political ads in the EU" in found["translator"].message


# --- the sandbox ------------------------------------------------------------------------------

META = SANDBOX_CREDENTIALS["META"]
TIKTOK = SANDBOX_CREDENTIALS["TIKTOK"]
TIKTOK_API = "/tiktok/open_api/v1.3"


@pytest.fixture
def sandbox_client():
    return create_sandbox({"CLOCK": lambda: datetime(2026, 1, 10, tzinfo=UTC)}).test_client()


def test_the_meta_sandbox_refuses_a_category_without_its_countries(sandbox_client):
    account = META["ad_account_id"]
    campaign = body("META", special_ad_categories=HOUSING)
    campaign.pop("special_ad_category_country")

    response = sandbox_client.post(
        f"/meta/v27.0/act_{account}/campaigns",
        json=campaign,
        query_string={"access_token": META["access_token"]},
    )

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == 100
    assert error["message"] == "(#100) The parameter special_ad_category_country is required"

    campaign["special_ad_category_country"] = ["HU"]
    accepted = sandbox_client.post(
        f"/meta/v27.0/act_{account}/campaigns",
        json=campaign,
        query_string={"access_token": META["access_token"]},
    )
    assert accepted.status_code == 200, accepted.get_json()


def test_the_tiktok_sandbox_refuses_special_industries_outside_the_us_and_canada(sandbox_client):
    headers = {"Access-Token": TIKTOK["access_token"]}
    campaign = body("TIKTOK", country="US", currency="USD", special_ad_categories=HOUSING)
    campaign["advertiser_id"] = TIKTOK["advertiser_id"]
    made = sandbox_client.post(f"{TIKTOK_API}/campaign/create/", json=campaign, headers=headers)
    assert made.get_json()["code"] == 0, made.get_json()
    adgroup = body("TIKTOK", -1)  # a Hungarian ad group under the US housing campaign
    adgroup["advertiser_id"] = TIKTOK["advertiser_id"]
    adgroup["campaign_id"] = made.get_json()["data"]["campaign_id"]

    refused = sandbox_client.post(f"{TIKTOK_API}/adgroup/create/", json=adgroup, headers=headers)
    refused = refused.get_json()

    assert refused["code"] == 40002
    assert (
        "special_industries are only available for ads targeting the US or Canada"
        in (refused["message"])
    )


# --- pages ------------------------------------------------------------------------------------


def test_the_ticket_form_declares_categories_and_the_pages_show_them(
    db, client, login, make_market, make_campaign, meta
):
    login(Role.TRAFFICKER)
    market = make_market(code="HU", country="HU", currency="HUF", region="EU")
    campaign = make_campaign(market=market, campaign_name="Homes")

    form = parse(client.get(f"/tickets/new?campaign_id={campaign.id}"))
    boxes = form.find_all("input", type="checkbox")
    assert [b.attrs["value"] for b in boxes] == [
        "HOUSING",
        "EMPLOYMENT",
        "FINANCIAL_PRODUCTS_SERVICES",
        "ISSUES_ELECTIONS_POLITICS",
        "ONLINE_GAMBLING_AND_GAMING",
    ]
    assert "Job offers, internships" in form.text  # one line per category

    response = client.post(
        f"/tickets/new?campaign_id={campaign.id}",
        data={
            "campaign_id": str(campaign.id),
            "channel_id": str(meta.id),
            "request_type": "CREATE_CAMPAIGN",
            "budget_amount": "20000",
            "special_ad_categories": ["HOUSING", "EMPLOYMENT"],
            "special_ad_category_countries": "hu, at",
        },
    )
    assert response.status_code == 302, parse(response).text
    ticket = db.session.scalars(select(Ticket)).one()
    assert ticket.payload_config["special_ad_categories"] == ["HOUSING", "EMPLOYMENT"]
    assert ticket.payload_config["special_ad_category_countries"] == ["HU", "AT"]

    page = parse(client.get(f"/tickets/{ticket.id}"))
    assert "HOUSING, EMPLOYMENT" in page.text and "HU, AT" in page.text
    edit = parse(client.get(f"/tickets/{ticket.id}/edit"))
    assert edit.values("special_ad_category_countries") == ["HU, AT"]
    assert [
        b.attrs["value"] for b in edit.find_all("input", type="checkbox") if "checked" in b.attrs
    ] == [
        "HOUSING",
        "EMPLOYMENT",
    ]

    report = parse(client.get(f"/campaigns/{campaign.id}/report"))
    assert "Housing, Employment" in report.text
    assert "Europe/Budapest time" in report.text


def test_a_bad_country_on_the_form_is_shown_under_its_field(db, client, login, make_campaign, meta):
    login(Role.TRAFFICKER)
    campaign = make_campaign()

    response = client.post(
        "/tickets/new",
        data={
            "campaign_id": str(campaign.id),
            "channel_id": str(meta.id),
            "request_type": "CREATE_CAMPAIGN",
            "special_ad_category_countries": "Atlantis",
        },
    )

    assert response.status_code == 422
    assert "'Atlantis' is not an ISO 3166-1 country" in parse(response).text
    assert db.session.scalars(select(Ticket)).all() == []


def test_a_bank_declares_financial_products_by_default(db, client, login, make_campaign, meta):
    login(Role.ADMIN)
    saved = client.post(
        "/brands/new",
        data={
            "name": "Big Bank",
            "internal_code": "BNK",
            "special_ad_categories": ["FINANCIAL_PRODUCTS_SERVICES"],
        },
    )
    assert saved.status_code == 302, parse(saved).text
    brand = db.session.scalars(select(Brand).where(Brand.internal_code == "BNK")).one()
    assert brand.special_ad_categories == ["FINANCIAL_PRODUCTS_SERVICES"]
    campaign = make_campaign(brand=brand, campaign_name="Cards")

    form = parse(client.get(f"/tickets/new?campaign_id={campaign.id}"))
    ticked = [
        b.attrs["value"] for b in form.find_all("input", type="checkbox") if "checked" in b.attrs
    ]
    assert ticked == ["FINANCIAL_PRODUCTS_SERVICES"]

    # The service (and so the API) starts from the brand's declaration when a ticket says
    # nothing, and keeps an explicit "none".
    said_nothing = tickets.create_ticket(
        campaign_id=campaign.id, channel_id=meta.id, request_type="CREATE_CAMPAIGN", settings={}
    )
    said_none = tickets.create_ticket(
        campaign_id=campaign.id,
        channel_id=meta.id,
        request_type="CREATE_CAMPAIGN",
        settings={"special_ad_categories": []},
    )
    assert said_nothing.payload_config["special_ad_categories"] == ["FINANCIAL_PRODUCTS_SERVICES"]
    assert "special_ad_categories" not in said_none.payload_config

    with pytest.raises(ValidationError) as caught:
        reference.update_brand(
            brand, name="Big Bank", internal_code="BNK", special_ad_categories=["X"]
        )
    assert "must be one of" in caught.value.message
