"""Platform translators: golden requests written from the platforms' official references: Google
Ads; problems common to every platform; registry, versions, plumbing.
"""

import json
from datetime import UTC, datetime

import pytest

from omnitraffick.errors import http_status
from omnitraffick.services.errors import ValidationError
from omnitraffick.services.translators import (
    API_VERSIONS,
    TRANSLATORS,
    GoogleAdsTranslator,
    MetaTranslator,
    PlatformRequest,
    TikTokTranslator,
    TranslationError,
    TranslationInput,
    input_for,
    translate,
    translator_for,
)
from tests.translators.helpers import (
    UPDATE_BUDGET,
    UPDATE_STATUS,
    _Ticket,
    problems_of,
    requests_of,
    settings,
    ticket,
)

# --- Google Ads ----------------------------------------------------------------------------------


def test_google_create_daily_usd_golden():
    """Budget (micros, a string int64), campaign on it, then the country criterion.

    https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignBudgets/mutate
    https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaigns/mutate
    https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignCriteria/mutate
    https://developers.google.com/google-ads/api/diff-tool/v23/versus-v22/diffs/resources/campaign
    https://developers.google.com/google-ads/api/docs/api-policy/eu-par
    """
    translation = GoogleAdsTranslator().translate(ticket("GOOGLE"))

    assert requests_of(translation) == [
        (
            "POST",
            "/v26/customers/{customer_id}/campaignBudgets:mutate",
            {
                "operations": [
                    {
                        "create": {
                            "name": "DIS_US_GOOGLE_2026_MoanaLaunch budget",
                            "amountMicros": "1500500000",
                            "period": "DAILY",
                            "deliveryMethod": "STANDARD",
                            "explicitlyShared": False,
                        }
                    }
                ]
            },
        ),
        (
            "POST",
            "/v26/customers/{customer_id}/campaigns:mutate",
            {
                "operations": [
                    {
                        "create": {
                            "name": "DIS_US_GOOGLE_2026_MoanaLaunch",
                            "status": "PAUSED",
                            "advertisingChannelType": "SEARCH",
                            "campaignBudget": "{budget_resource_name}",
                            "targetSpend": {},
                            "networkSettings": {
                                "targetGoogleSearch": True,
                                "targetSearchNetwork": True,
                                "targetContentNetwork": False,
                                "targetPartnerSearchNetwork": False,
                            },
                            "startDateTime": "2026-03-01 00:00:00",
                            "endDateTime": "2026-03-31 23:59:59",
                            "containsEuPoliticalAdvertising": (
                                "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"
                            ),
                        }
                    }
                ]
            },
        ),
        (
            "POST",
            "/v26/customers/{customer_id}/campaignCriteria:mutate",
            {
                "operations": [
                    {
                        "create": {
                            "campaign": "{campaign_resource_name}",
                            "location": {"geoTargetConstant": "geoTargetConstants/2840"},
                        }
                    }
                ]
            },
        ),
    ]
    assert [r.returns for r in translation.requests] == [
        "budget_resource_name",
        "campaign_resource_name",
        None,
    ]
    assert translation.requests[1].response_path == ("results", 0, "resourceName")
    assert translation.platform_id_from == "campaign_resource_name"
    assert translation.account_placeholders == ("customer_id",)


def test_google_create_lifetime_jpy_golden():
    """A campaign total budget: totalAmountMicros over CUSTOM_PERIOD, with an end date.

    https://developers.google.com/google-ads/api/docs/campaigns/budgets/overview
    https://developers.google.com/google-ads/api/reference/rpc/v26/BudgetPeriodEnum.BudgetPeriod
    """
    data = ticket(
        "GOOGLE",
        currency="JPY",
        country="JP",
        settings=settings(
            objective="CONVERSIONS",
            budget_type="LIFETIME",
            budget_amount="150000",
            initial_status="ACTIVE",
        ),
    )
    budget, campaign, location = requests_of(GoogleAdsTranslator().translate(data))

    assert budget[2] == {
        "operations": [
            {
                "create": {
                    "name": "DIS_US_GOOGLE_2026_MoanaLaunch budget",
                    "totalAmountMicros": "150000000000",
                    "period": "CUSTOM_PERIOD",
                    "deliveryMethod": "STANDARD",
                    "explicitlyShared": False,
                }
            }
        ]
    }
    created = campaign[2]["operations"][0]["create"]
    assert created["status"] == "ENABLED"
    assert created["maximizeConversions"] == {}
    assert created["endDateTime"] == "2026-03-31 23:59:59"
    assert location[2]["operations"][0]["create"]["location"] == {
        "geoTargetConstant": "geoTargetConstants/2392"
    }


def test_google_awareness_is_a_display_campaign_on_manual_cpm():
    """Manual CPM works only with Display Network campaigns, which need no network settings.

    https://developers.google.com/google-ads/api/docs/campaigns/bidding/strategy-types
    """
    data = ticket("GOOGLE", settings=settings(objective="AWARENESS", flight_end=None))
    _, campaign, _ = requests_of(GoogleAdsTranslator().translate(data))
    created = campaign[2]["operations"][0]["create"]

    assert created["advertisingChannelType"] == "DISPLAY"
    assert created["manualCpm"] == {}
    assert "networkSettings" not in created
    assert "endDateTime" not in created


def test_google_update_budget_golden():
    """The budget is its own resource: find it with a query, then update its amount.

    https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.googleAds/search
    https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignBudgets/mutate
    """
    data = ticket(
        "GOOGLE",
        request_type=UPDATE_BUDGET,
        settings={"budget_type": "DAILY", "budget_amount": "2500.75"},
        created_object_id="customers/1234567890/campaigns/987654321",
    )
    translation = GoogleAdsTranslator().translate(data)

    assert requests_of(translation) == [
        (
            "POST",
            "/v26/customers/{customer_id}/googleAds:search",
            {
                "query": "SELECT campaign.campaign_budget FROM campaign "
                "WHERE campaign.id = 987654321"
            },
        ),
        (
            "POST",
            "/v26/customers/{customer_id}/campaignBudgets:mutate",
            {
                "operations": [
                    {
                        "updateMask": "amountMicros",
                        "update": {
                            "resourceName": "{budget_resource_name}",
                            "amountMicros": "2500750000",
                        },
                    }
                ]
            },
        ),
    ]
    assert translation.requests[0].returns == "budget_resource_name"
    assert translation.requests[0].response_path == ("results", 0, "campaign", "campaignBudget")
    assert translation.account_placeholders == ("customer_id",)

    lifetime = ticket(
        "GOOGLE",
        request_type=UPDATE_BUDGET,
        settings={"budget_type": "LIFETIME", "budget_amount": "9000"},
        created_object_id="987654321",
    )
    _, update = requests_of(GoogleAdsTranslator().translate(lifetime))
    assert update[2]["operations"][0] == {
        "updateMask": "totalAmountMicros",
        "update": {"resourceName": "{budget_resource_name}", "totalAmountMicros": "9000000000"},
    }


def test_google_update_status_golden():
    """https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaigns/mutate"""
    data = ticket(
        "GOOGLE",
        request_type=UPDATE_STATUS,
        settings={"target_status": "ACTIVE"},
        created_object_id="customers/1234567890/campaigns/987654321",
    )
    assert requests_of(GoogleAdsTranslator().translate(data)) == [
        (
            "POST",
            "/v26/customers/{customer_id}/campaigns:mutate",
            {
                "operations": [
                    {
                        "updateMask": "status",
                        "update": {
                            "resourceName": "customers/1234567890/campaigns/987654321",
                            "status": "ENABLED",
                        },
                    }
                ]
            },
        )
    ]
    bare = ticket(
        "GOOGLE",
        request_type=UPDATE_STATUS,
        settings={"target_status": "PAUSED"},
        created_object_id="987654321",
    )
    (request,) = GoogleAdsTranslator().translate(bare).requests
    assert request.body["operations"][0]["update"] == {
        "resourceName": "customers/{customer_id}/campaigns/987654321",
        "status": "PAUSED",
    }


def test_google_cannot_create_video_campaigns():
    """https://developers.google.com/google-ads/api/docs/video/overview"""
    problems = problems_of("GOOGLE", ticket("GOOGLE", settings=settings(objective="VIDEO_VIEWS")))
    assert problems == (
        "Google Ads does not support the objective VIDEO_VIEWS: Video campaigns cannot be "
        "created through the Google Ads API. Supported objectives: AWARENESS, REACH, TRAFFIC, "
        "LEADS, CONVERSIONS.",
    )


def test_google_display_campaigns_take_no_lifetime_budget():
    """Campaign total budgets exist for Search, Shopping, Performance Max, Demand Gen and
    YouTube campaigns only.

    https://developers.google.com/google-ads/api/docs/campaigns/budgets/overview
    """
    data = ticket("GOOGLE", settings=settings(objective="REACH", budget_type="LIFETIME"))
    assert problems_of("GOOGLE", data) == (
        "Google Ads offers lifetime (campaign total) budgets for Search, Shopping, Performance "
        "Max, Demand Gen and YouTube campaigns, not for the DISPLAY campaign that REACH "
        "becomes; use a daily budget.",
    )


def test_google_update_needs_a_campaign_id():
    data = ticket(
        "GOOGLE",
        request_type=UPDATE_STATUS,
        settings={"target_status": "PAUSED"},
        created_object_id="act_123",
    )
    assert problems_of("GOOGLE", data) == (
        "'act_123' is not a Google Ads campaign (customers/<customer id>/campaigns/<campaign "
        "id>, or the campaign id).",
    )


# --- problems common to every platform -----------------------------------------------------------


def test_every_problem_is_reported_together():
    data = ticket(
        "GOOGLE",
        country=None,
        platform_name=None,
        settings=settings(
            objective="VIDEO_VIEWS",
            budget_type="LIFETIME",
            budget_amount="0",
            flight_end=None,
            landing_url=None,
        ),
    )
    with pytest.raises(TranslationError) as caught:
        translate("GOOGLE", data)
    error = caught.value

    assert error.problems == (
        "The ticket has no platform name: its campaign name is not a taxonomy name.",
        "Landing URL is required.",
        "A lifetime budget needs a flight end date.",
        "Budget amount must be greater than zero.",
        "The market's country could not be matched to an ISO 3166 country code, so the "
        "campaign cannot be targeted.",
        "Google Ads does not support the objective VIDEO_VIEWS: Video campaigns cannot be "
        "created through the Google Ads API. Supported objectives: AWARENESS, REACH, TRAFFIC, "
        "LEADS, CONVERSIONS.",
    )
    assert error.errors["flight_end"] == ["A lifetime budget needs a flight end date."]
    assert error.errors["budget_amount"] == ["Budget amount must be greater than zero."]
    assert len(error.errors["payload_config"]) == 2
    assert isinstance(error, ValidationError) and http_status(error) == 422
    assert error.message.startswith("This ticket cannot become a Google Ads request: ")


@pytest.mark.parametrize("channel", ["META", "TIKTOK", "GOOGLE"])
def test_flight_end_before_start_and_bad_values(channel):
    data = ticket(
        channel,
        settings=settings(
            objective="SALES",
            flight_start="2026-03-31",
            flight_end="2026-03-01",
            initial_status="LIVE",
        ),
    )
    assert problems_of(channel, data) == (
        "Objective 'SALES' is not one of AWARENESS, REACH, TRAFFIC, ENGAGEMENT, VIDEO_VIEWS, "
        "LEADS, APP_INSTALLS, CONVERSIONS.",
        "The flight ends (2026-03-01) before it starts (2026-03-31).",
        "Create as 'LIVE' is not one of ACTIVE, PAUSED.",
    )


@pytest.mark.parametrize("channel", ["META", "TIKTOK", "GOOGLE"])
def test_updates_need_the_platform_id_of_a_trafficked_create(channel):
    data = ticket(channel, request_type=UPDATE_STATUS, settings={})
    platform = translator_for(channel).platform
    assert problems_of(channel, data) == (
        "Set status to is required.",
        f"There is no {platform} campaign to update yet: no CREATE_CAMPAIGN ticket of this "
        "campaign and channel has been trafficked.",
    )


def test_budget_with_more_decimals_than_the_currency_and_unreadable_values():
    data = ticket(
        "TIKTOK",
        currency="JPY",
        country="JP",
        settings=settings(budget_amount="1500.5", flight_start="31/03/2026", budget_type="WEEKLY"),
    )
    assert problems_of("TIKTOK", data) == (
        "Budget type 'WEEKLY' is not one of DAILY, LIFETIME.",
        "Budget amount 1500.5 has more decimals than JPY has (0).",
        "Flight start '31/03/2026' is not a date like 2026-03-31.",
    )


def test_new_objects_are_created_paused_unless_the_ticket_says_otherwise():
    data = ticket(settings=settings(initial_status=None))
    campaign, _ = requests_of(MetaTranslator().translate(data))
    assert campaign[2]["status"] == "PAUSED"


# --- registry, versions, plumbing ----------------------------------------------------------------


def test_registry_picks_the_translator_by_channel_code():
    assert set(TRANSLATORS) == {"META", "TIKTOK", "GOOGLE"}
    assert isinstance(translator_for("META"), MetaTranslator)
    assert isinstance(translator_for("tiktok"), TikTokTranslator)
    assert isinstance(translator_for(" GOOGLE "), GoogleAdsTranslator)
    assert translator_for("LINKEDIN") is None
    assert translator_for(None) is None
    assert translate("GOOGLE", ticket("GOOGLE")).channel_code == "GOOGLE"


def test_unknown_channel_is_a_translation_problem():
    with pytest.raises(TranslationError) as caught:
        translate("LINKEDIN", ticket("LINKEDIN"))
    assert caught.value.problems == (
        "No platform translator exists for the channel 'LINKEDIN' (known: META, TIKTOK, GOOGLE).",
    )


def test_api_versions_are_pinned_in_one_place():
    assert API_VERSIONS == {"META": "v27.0", "TIKTOK": "v1.3", "GOOGLE": "v26"}
    for code, translator in TRANSLATORS.items():
        translation = translator.translate(ticket(code))
        assert translation.api_version == API_VERSIONS[code]
        assert all(API_VERSIONS[code] in r.path for r in translation.requests)


def test_placeholders_are_filled_by_the_sender():
    translation = MetaTranslator().translate(ticket(country="FR", currency="EUR"))
    adset = translation.requests[1].filled(
        {"ad_account_id": "123", "campaign_id": "456", "dsa_payor": "Disney"}
    )
    assert adset.path == "/v27.0/act_123/adsets"
    assert adset.body["campaign_id"] == "456"
    assert adset.body["dsa_payor"] == "Disney"
    assert adset.body["dsa_beneficiary"] == "{dsa_beneficiary}"  # not given, left as is
    assert translation.requests[1].body["campaign_id"] == "{campaign_id}"  # original untouched
    assert adset.placeholders == ("dsa_beneficiary",)
    assert isinstance(adset, PlatformRequest)


def test_translation_serializes_to_json():
    translation = GoogleAdsTranslator().translate(ticket("GOOGLE"))
    payload = json.loads(json.dumps(translation.to_dict()))
    assert payload["channel"] == "GOOGLE"
    assert payload["request_type"] == "CREATE_CAMPAIGN"
    assert payload["requests"][0]["response_path"] == ["results", 0, "resourceName"]
    assert payload["account_placeholders"] == ["customer_id"]
    assert payload["docs"][0].startswith("https://developers.google.com/")


def test_input_for_reads_a_ticket_into_plain_data():
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    data = input_for(_Ticket(), "120210000000001", now)
    assert data == TranslationInput(
        platform_name="DIS_UK_META_2026_MoanaLaunch",
        request_type=UPDATE_BUDGET,
        settings={"budget_type": "DAILY", "budget_amount": "10.00"},
        currency="GBP",
        country="GB",
        created_object_id="120210000000001",
        time_zone="Europe/London",
        now=now,
    )
    assert input_for(_Ticket(name_error=True), None).platform_name is None


def test_only_the_settings_of_the_request_type_count_and_blanks_are_missing():
    stray = ticket(
        currency="KWD",
        request_type=UPDATE_STATUS,
        settings={"target_status": "PAUSED", "budget_amount": "abc", "objective": "NOPE"},
        created_object_id="120210000000001",
    )
    assert requests_of(translate("META", stray)) == [
        ("POST", "/v27.0/120210000000001", {"status": "PAUSED"}),
    ]
    blank = ticket(settings=settings(objective="", landing_url="  "))
    assert problems_of("META", blank) == ("Objective is required.", "Landing URL is required.")
