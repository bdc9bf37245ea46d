"""Platform translators: golden requests written from the platforms' official references: Meta;
TikTok.
"""

from decimal import Decimal

import pytest

from omnitraffick.services.settings import BudgetType
from omnitraffick.services.translators import (
    MetaTranslator,
    TikTokTranslator,
)
from omnitraffick.services.translators.base import Budget
from omnitraffick.services.translators.meta import CURRENCY_OFFSETS, minor_amount
from tests.translators.helpers import (
    META_OFFSETS_FROM_THE_REFERENCE,
    UPDATE_BUDGET,
    UPDATE_STATUS,
    problems_of,
    requests_of,
    settings,
    ticket,
)

# --- Meta ----------------------------------------------------------------------------------------


def test_meta_create_daily_usd_golden():
    """Campaign with its budget in cents, then the ad set under it.

    https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-group
    https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/adsets
    https://developers.facebook.com/documentation/ads-commerce/marketing-api/bidding/guides/advantage-campaign-budget
    https://developers.facebook.com/documentation/ads-commerce/marketing-api/bidding/overview/budgets
    """
    translation = MetaTranslator().translate(ticket())

    assert requests_of(translation) == [
        (
            "POST",
            "/v27.0/act_{ad_account_id}/campaigns",
            {
                "name": "DIS_US_META_2026_MoanaLaunch",
                "objective": "OUTCOME_TRAFFIC",
                "status": "PAUSED",
                "special_ad_categories": [],
                "buying_type": "AUCTION",
                "daily_budget": 150050,
                "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
            },
        ),
        (
            "POST",
            "/v27.0/act_{ad_account_id}/adsets",
            {
                "name": "DIS_US_META_2026_MoanaLaunch",
                "campaign_id": "{campaign_id}",
                "status": "ACTIVE",
                "optimization_goal": "LINK_CLICKS",
                "billing_event": "IMPRESSIONS",
                "destination_type": "WEBSITE",
                "start_time": "2026-03-01T00:00:00+0000",
                "end_time": "2026-03-31T23:59:59+0000",
                "targeting": {
                    "geo_locations": {"countries": ["US"]},
                    "targeting_automation": {"advantage_audience": 1},
                },
            },
        ),
    ]
    assert [r.returns for r in translation.requests] == ["campaign_id", "adset_id"]
    assert translation.requests[0].response_path == ("id",)
    assert translation.platform_id_from == "campaign_id"
    assert translation.account_placeholders == ("ad_account_id",)
    assert translation.host == "https://graph.facebook.com"


def test_meta_create_lifetime_jpy_golden():
    """JPY has offset 1 in Meta's currency table: 150000 yen is 150000, not 15000000.

    https://developers.facebook.com/docs/marketing-api/currencies
    https://developers.facebook.com/docs/marketing-api/bidding/overview/billing-events
    """
    data = ticket(
        currency="JPY",
        country="JP",
        settings=settings(
            objective="AWARENESS",
            budget_type="LIFETIME",
            budget_amount="150000",
            initial_status="ACTIVE",
        ),
    )
    campaign, adset = requests_of(MetaTranslator().translate(data))

    assert campaign[2] == {
        "name": "DIS_US_META_2026_MoanaLaunch",
        "objective": "OUTCOME_AWARENESS",
        "status": "ACTIVE",
        "special_ad_categories": [],
        "buying_type": "AUCTION",
        "lifetime_budget": 150000,
        "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
    }
    assert adset[2] == {
        "name": "DIS_US_META_2026_MoanaLaunch",
        "campaign_id": "{campaign_id}",
        "status": "ACTIVE",
        "optimization_goal": "AD_RECALL_LIFT",
        "billing_event": "IMPRESSIONS",
        "start_time": "2026-03-01T00:00:00+0000",
        "end_time": "2026-03-31T23:59:59+0000",
        "targeting": {
            "geo_locations": {"countries": ["JP"]},
            "targeting_automation": {"advantage_audience": 1},
        },
    }


def test_meta_create_for_the_eu_needs_dsa_payer_and_beneficiary():
    """Ads targeting the EU must name who benefits and who pays; website sales need a pixel.

    https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/dsa_recommendations
    https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/adsets
    """
    data = ticket(currency="EUR", country="DE", settings=settings(objective="CONVERSIONS"))
    translation = MetaTranslator().translate(data)
    campaign, adset = requests_of(translation)

    assert campaign[2]["objective"] == "OUTCOME_SALES"
    assert campaign[2]["daily_budget"] == 150050
    assert adset[2]["optimization_goal"] == "OFFSITE_CONVERSIONS"
    assert adset[2]["destination_type"] == "WEBSITE"
    assert adset[2]["promoted_object"] == {
        "pixel_id": "{pixel_id}",
        "custom_event_type": "PURCHASE",
    }
    assert adset[2]["dsa_beneficiary"] == "{dsa_beneficiary}"
    assert adset[2]["dsa_payor"] == "{dsa_payor}"
    assert translation.account_placeholders == (
        "ad_account_id",
        "pixel_id",
        "dsa_beneficiary",
        "dsa_payor",
    )


@pytest.mark.parametrize(
    ("objective", "odax", "goal", "destination"),
    [
        ("AWARENESS", "OUTCOME_AWARENESS", "AD_RECALL_LIFT", None),
        ("REACH", "OUTCOME_AWARENESS", "REACH", None),
        ("VIDEO_VIEWS", "OUTCOME_AWARENESS", "THRUPLAY", None),
        ("TRAFFIC", "OUTCOME_TRAFFIC", "LINK_CLICKS", "WEBSITE"),
        ("ENGAGEMENT", "OUTCOME_ENGAGEMENT", "POST_ENGAGEMENT", "ON_POST"),
        ("LEADS", "OUTCOME_LEADS", "OFFSITE_CONVERSIONS", "WEBSITE"),
        ("CONVERSIONS", "OUTCOME_SALES", "OFFSITE_CONVERSIONS", "WEBSITE"),
    ],
)
def test_meta_maps_every_objective_to_an_outcome_objective(objective, odax, goal, destination):
    """Campaigns can only be created with the outcome-driven (ODAX) objectives since v17.0.

    https://developers.facebook.com/blog/post/2023/02/13/outcome-driven-ad-experiences-update/
    """
    campaign, adset = requests_of(
        MetaTranslator().translate(ticket(settings=settings(objective=objective)))
    )
    assert campaign[2]["objective"] == odax
    assert adset[2]["optimization_goal"] == goal
    assert adset[2].get("destination_type") == destination


def test_meta_app_installs_promote_the_store_page():
    """App promotion ad sets name the app and its store URL in promoted_object.

    https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/adsets
    """
    store = "https://apps.apple.com/us/app/disney/id1446075923"
    data = ticket(settings=settings(objective="APP_INSTALLS", landing_url=store))
    campaign, adset = requests_of(MetaTranslator().translate(data))

    assert campaign[2]["objective"] == "OUTCOME_APP_PROMOTION"
    assert adset[2]["optimization_goal"] == "APP_INSTALLS"
    assert adset[2]["promoted_object"] == {
        "application_id": "{application_id}",
        "object_store_url": store,
    }
    assert "destination_type" not in adset[2]

    problems = problems_of("META", ticket(settings=settings(objective="APP_INSTALLS")))
    assert problems == (
        "For app installs the landing URL must be the app's App Store or Google Play page: "
        "Meta promotes the app found there.",
    )


def test_meta_daily_budget_without_flight_end_runs_on():
    """With a daily budget the ad set may have no end_time.

    https://developers.facebook.com/documentation/ads-commerce/marketing-api/bidding/overview/budgets
    """
    _, adset = requests_of(MetaTranslator().translate(ticket(settings=settings(flight_end=None))))
    assert adset[2]["start_time"] == "2026-03-01T00:00:00+0000"
    assert "end_time" not in adset[2]


def test_meta_update_budget_golden():
    """The campaign holds the budget, so the update goes to the campaign id.

    https://developers.facebook.com/documentation/ads-commerce/marketing-api/bidding/guides/advantage-campaign-budget
    """
    daily = ticket(
        request_type=UPDATE_BUDGET,
        settings={"budget_type": "DAILY", "budget_amount": "2500.75"},
        created_object_id="120210000000001",
    )
    lifetime = ticket(
        request_type=UPDATE_BUDGET,
        currency="JPY",
        settings={"budget_type": "LIFETIME", "budget_amount": "300000"},
        created_object_id="120210000000001",
    )
    assert requests_of(MetaTranslator().translate(daily)) == [
        ("POST", "/v27.0/120210000000001", {"daily_budget": 250075}),
    ]
    assert requests_of(MetaTranslator().translate(lifetime)) == [
        ("POST", "/v27.0/120210000000001", {"lifetime_budget": 300000}),
    ]
    assert MetaTranslator().translate(daily).platform_id_from is None


def test_meta_update_status_golden():
    """https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-group#Updating"""
    data = ticket(
        request_type=UPDATE_STATUS,
        settings={"target_status": "ACTIVE"},
        created_object_id="120210000000001",
    )
    assert requests_of(MetaTranslator().translate(data)) == [
        ("POST", "/v27.0/120210000000001", {"status": "ACTIVE"}),
    ]


@pytest.mark.parametrize(("currency", "offset"), META_OFFSETS_FROM_THE_REFERENCE.items())
def test_meta_currency_offsets_follow_metas_table(currency, offset):
    assert CURRENCY_OFFSETS[currency] == offset
    budget = Budget(BudgetType.DAILY, Decimal("2500"), currency)
    assert minor_amount(budget) == 2500 * offset


def test_meta_refuses_amounts_its_offsets_cannot_express():
    """BHD has three decimals in ISO 4217 but Meta takes hundredths; KWD is no Meta currency.

    https://developers.facebook.com/docs/marketing-api/currencies
    """
    whole = ticket(currency="HUF", country="HU", settings=settings(budget_amount="250000"))
    campaign, _ = requests_of(MetaTranslator().translate(whole))
    assert campaign[2]["daily_budget"] == 250000

    bhd = ticket(currency="BHD", country="BH", settings=settings(budget_amount="10.125"))
    assert problems_of("META", bhd) == (
        "Meta takes BHD budgets in hundredths; 10.125 does not fit.",
    )
    kwd = ticket(currency="KWD", country="KW", settings=settings(budget_amount="100.125"))
    assert problems_of("META", kwd) == ("Meta ad accounts do not support the currency KWD.",)


def test_meta_refuses_hundredths_of_a_whole_unit_currency(monkeypatch):
    """Whatever CLDR says of HUF's decimals, Meta takes whole forints: 2500.50 cannot be sent.

    The check is Meta's own, so it is shown with CLDR's digits set aside.
    """
    from omnitraffick.services.translators import base

    monkeypatch.setattr(base, "minor_units", lambda currency: 2)
    fraction = ticket(currency="HUF", country="HU", settings=settings(budget_amount="2500.50"))
    assert problems_of("META", fraction) == (
        "Meta takes HUF budgets in whole units; 2500.50 does not fit.",
    )


def test_meta_update_needs_a_numeric_campaign_id():
    data = ticket(
        request_type=UPDATE_STATUS,
        settings={"target_status": "PAUSED"},
        created_object_id="customers/1/campaigns/2",
    )
    assert problems_of("META", data) == (
        "'customers/1/campaigns/2' is not a Meta campaign id (a number).",
    )


# --- TikTok --------------------------------------------------------------------------------------


def test_tiktok_create_daily_usd_golden():
    """Budgets in currency units (1500.50 stays 1500.5), budget on the campaign (CBO).

    https://business-api.tiktok.com/portal/docs?id=1739318962329602 (campaign/create)
    https://business-api.tiktok.com/portal/docs?id=1739499616346114 (adgroup/create)
    https://business-api.tiktok.com/portal/docs?id=1739381757818881 (Campaign Budget Optimization)
    """
    translation = TikTokTranslator().translate(ticket("TIKTOK"))

    assert requests_of(translation) == [
        (
            "POST",
            "/open_api/v1.3/campaign/create/",
            {
                "advertiser_id": "{advertiser_id}",
                "campaign_name": "DIS_US_TIKTOK_2026_MoanaLaunch",
                "objective_type": "TRAFFIC",
                "budget_optimize_on": True,
                "budget_mode": "BUDGET_MODE_DAY",
                "budget": 1500.5,
                "operation_status": "DISABLE",
            },
        ),
        (
            # campaign/create does not reliably honour operation_status (tests/
            # test_compliance.py): a paused campaign is disabled explicitly.
            "POST",
            "/open_api/v1.3/campaign/status/update/",
            {
                "advertiser_id": "{advertiser_id}",
                "campaign_ids": ["{campaign_id}"],
                "operation_status": "DISABLE",
            },
        ),
        (
            "POST",
            "/open_api/v1.3/adgroup/create/",
            {
                "advertiser_id": "{advertiser_id}",
                "campaign_id": "{campaign_id}",
                "adgroup_name": "DIS_US_TIKTOK_2026_MoanaLaunch",
                "promotion_type": "WEBSITE",
                "placement_type": "PLACEMENT_TYPE_AUTOMATIC",
                "location_ids": ["6252001"],
                "schedule_type": "SCHEDULE_START_END",
                "schedule_start_time": "2026-03-01 00:00:00",
                "schedule_end_time": "2026-03-31 23:59:59",
                "optimization_goal": "CLICK",
                "billing_event": "CPC",
                "bid_type": "BID_TYPE_NO_BID",
                "operation_status": "ENABLE",
            },
        ),
    ]
    assert translation.requests[0].response_path == ("data", "campaign_id")
    assert translation.platform_id_from == "campaign_id"
    assert translation.account_placeholders == ("advertiser_id",)


def test_tiktok_create_lifetime_jpy_golden():
    """A total budget needs SCHEDULE_START_END; JPY amounts stay whole yen.

    https://business-api.tiktok.com/portal/docs?id=1739318962329602
    https://business-api.tiktok.com/portal/docs?id=1739499616346114
    """
    data = ticket(
        "TIKTOK",
        currency="JPY",
        country="JP",
        settings=settings(
            objective="REACH",
            budget_type="LIFETIME",
            budget_amount="150000",
            initial_status="ACTIVE",
        ),
    )
    campaign, adgroup = requests_of(TikTokTranslator().translate(data))

    assert campaign[2] == {
        "advertiser_id": "{advertiser_id}",
        "campaign_name": "DIS_US_TIKTOK_2026_MoanaLaunch",
        "objective_type": "REACH",
        "budget_optimize_on": True,
        "budget_mode": "BUDGET_MODE_TOTAL",
        "budget": 150000,
        "operation_status": "ENABLE",
    }
    assert adgroup[2] == {
        "advertiser_id": "{advertiser_id}",
        "campaign_id": "{campaign_id}",
        "adgroup_name": "DIS_US_TIKTOK_2026_MoanaLaunch",
        "placement_type": "PLACEMENT_TYPE_AUTOMATIC",
        "location_ids": ["1861060"],
        "schedule_type": "SCHEDULE_START_END",
        "schedule_start_time": "2026-03-01 00:00:00",
        "schedule_end_time": "2026-03-31 23:59:59",
        "optimization_goal": "REACH",
        "billing_event": "CPM",
        "bid_type": "BID_TYPE_NO_BID",
        "operation_status": "ENABLE",
    }
    assert isinstance(campaign[2]["budget"], int)


def test_tiktok_video_views_measure_cost_per_view_and_may_run_from_now():
    """VIDEO_VIEWS needs bid_display_mode CPV; ENGAGED_VIEW replaces the deprecated
    VIDEO_VIEW goal; without an end date the schedule is SCHEDULE_FROM_NOW.

    https://business-api.tiktok.com/portal/docs?id=1739499616346114
    """
    data = ticket("TIKTOK", settings=settings(objective="VIDEO_VIEWS", flight_end=None))
    campaign, _, adgroup = requests_of(TikTokTranslator().translate(data))

    assert campaign[2]["objective_type"] == "VIDEO_VIEWS"
    assert adgroup[2]["optimization_goal"] == "ENGAGED_VIEW"
    assert adgroup[2]["billing_event"] == "CPV"
    assert adgroup[2]["bid_display_mode"] == "CPV"
    assert adgroup[2]["schedule_type"] == "SCHEDULE_FROM_NOW"
    assert "schedule_end_time" not in adgroup[2]
    assert "promotion_type" not in adgroup[2]


def test_tiktok_web_conversions_put_the_pixel_on_the_ad_group():
    """For WEB_CONVERSIONS the pixel and its optimization event go on the ad group.

    https://business-api.tiktok.com/portal/docs?id=1739499616346114
    """
    data = ticket("TIKTOK", settings=settings(objective="CONVERSIONS"))
    translation = TikTokTranslator().translate(data)
    campaign, _, adgroup = requests_of(translation)

    assert campaign[2]["objective_type"] == "WEB_CONVERSIONS"
    assert adgroup[2]["promotion_type"] == "WEBSITE"
    assert adgroup[2]["optimization_goal"] == "CONVERT"
    assert adgroup[2]["billing_event"] == "OCPM"
    assert adgroup[2]["pixel_id"] == "{pixel_id}"
    assert adgroup[2]["optimization_event"] == "COMPLETE_PAYMENT"
    assert translation.account_placeholders == ("advertiser_id", "pixel_id")


def test_tiktok_update_budget_golden():
    """https://business-api.tiktok.com/portal/docs?id=1739320422086657 (campaign/update)"""
    data = ticket(
        "TIKTOK",
        request_type=UPDATE_BUDGET,
        settings={"budget_type": "DAILY", "budget_amount": "2500.75"},
        created_object_id="1800000000000001",
    )
    assert requests_of(TikTokTranslator().translate(data)) == [
        (
            "POST",
            "/open_api/v1.3/campaign/update/",
            {
                "advertiser_id": "{advertiser_id}",
                "campaign_id": "1800000000000001",
                "budget": 2500.75,
            },
        )
    ]


def test_tiktok_update_status_golden():
    """https://business-api.tiktok.com/portal/docs?id=1739320994354178 (campaign/status/update)"""
    data = ticket(
        "TIKTOK",
        request_type=UPDATE_STATUS,
        settings={"target_status": "PAUSED"},
        created_object_id="1800000000000001",
    )
    assert requests_of(TikTokTranslator().translate(data)) == [
        (
            "POST",
            "/open_api/v1.3/campaign/status/update/",
            {
                "advertiser_id": "{advertiser_id}",
                "campaign_ids": ["1800000000000001"],
                "operation_status": "DISABLE",
            },
        )
    ]


def test_tiktok_refuses_objectives_it_cannot_map_and_names_the_supported_ones():
    problems = problems_of("TIKTOK", ticket("TIKTOK", settings=settings(objective="ENGAGEMENT")))
    assert problems == (
        "TikTok does not support the objective ENGAGEMENT: TikTok's ENGAGEMENT objective "
        "promotes a TikTok account (an identity), which tickets do not carry. Supported "
        "objectives: AWARENESS, REACH, TRAFFIC, VIDEO_VIEWS, CONVERSIONS.",
    )
