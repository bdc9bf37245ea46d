"""Meta (Facebook and Instagram) Marketing API.

A new campaign is two requests: the campaign, then one ad set under it. References:
- Campaign (POST /act_{ad_account_id}/campaigns), special_ad_categories, objectives:
  https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-group
- Ad set (POST /act_{ad_account_id}/adsets):
  https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/adsets
- Budget on the campaign ("Advantage campaign budget"), bid_strategy:
  https://developers.facebook.com/documentation/ads-commerce/marketing-api/bidding/guides/advantage-campaign-budget
- Budgets are "at ad account currencies minimum denomination level, such as cents for USD":
  https://developers.facebook.com/documentation/ads-commerce/marketing-api/bidding/overview/budgets
- Per-currency offsets (JPY, KRW, HUF, TWD, ... take whole units):
  https://developers.facebook.com/docs/marketing-api/currencies
- Billing events and the ad set example (start_time/end_time with an offset):
  https://developers.facebook.com/docs/marketing-api/bidding/overview/billing-events
- Special ad categories (required on every new campaign; when one is declared,
  special_ad_category_country is required too):
  https://developers.facebook.com/docs/marketing-api/audiences/special-ad-category
- Minimum budgets: "About minimum budgets" (Meta Business Help Centre, figures in USD, per day,
  for daily and lifetime budgets alike): https://www.facebook.com/business/help/203183363050448
  and the ad account's own figures, in its currency, GET /act_{ad_account_id}/minimum_budgets:
  https://developers.facebook.com/docs/marketing-api/reference/ad-account/minimum_budgets
  (fields: https://developers.facebook.com/docs/marketing-api/reference/minimum-budget)
- Ads targeting the EU need dsa_beneficiary and dsa_payor:
  https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/dsa_recommendations

Each ad of the ticket follows, under the ad set (see AD_DOCS):
- an image is uploaded to the account's image library, POST /act_{ad_account_id}/adimages
  with `bytes` (the file, base64), and is known by its hash from then on (the same bytes get
  the same hash, so uploading twice makes nothing new):
  https://developers.facebook.com/docs/marketing-api/reference/ad-account/adimages/
- a video is uploaded to POST /act_{ad_account_id}/advideos (the file as the multipart part
  `source`): https://developers.facebook.com/docs/marketing-api/reference/ad-account/advideos/
  A video creative needs a thumbnail (video_data.image_hash or image_url, "URL of image to use
  as thumbnail": https://developers.facebook.com/docs/marketing-api/reference/ad-creative-video-data);
  the video's own, GET /{video_id}/thumbnails, is used:
  https://developers.facebook.com/docs/graph-api/reference/video/thumbnails/
- the ad creative, POST /act_{ad_account_id}/adcreatives with an object_story_spec on the
  Page ({page_id}): link_data for an image (message, name = headline, description, link,
  call_to_action), video_data for a video (message, title, link_description):
  https://developers.facebook.com/docs/marketing-api/reference/ad-account/adcreatives/
  https://developers.facebook.com/docs/marketing-api/reference/ad-creative-link-data/
- the ad, POST /act_{ad_account_id}/ads {name, adset_id, creative: {creative_id}, status}:
  https://developers.facebook.com/docs/marketing-api/reference/ad-account/ads/
"""

import json
import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from ...models import RequestType
from ..currencies import format_money
from ..settings import BudgetType, DeliveryStatus, Objective
from .base import (
    API_VERSIONS,
    AdInput,
    Budget,
    BudgetChange,
    BudgetCheck,
    FileRef,
    Lookup,
    Misfit,
    NewCampaign,
    Parsed,
    PlatformRequest,
    PlatformTranslator,
    Problems,
    StatusChange,
    named,
    single_file,
)

VERSION = API_VERSIONS["META"]
AD_DOCS = (
    "https://developers.facebook.com/docs/marketing-api/reference/ad-account/adimages/",
    "https://developers.facebook.com/docs/marketing-api/reference/ad-account/advideos/",
    "https://developers.facebook.com/docs/graph-api/reference/video/thumbnails/",
    "https://developers.facebook.com/docs/marketing-api/reference/ad-account/adcreatives/",
    "https://developers.facebook.com/docs/marketing-api/reference/ad-account/ads/",
)

# Ad sets that reach the EU need dsa_beneficiary and dsa_payor (Digital Services Act). The EU
# is its 27 member states (https://european-union.europa.eu/principles-countries-history/
# eu-countries_en) plus the outermost regions that have ISO codes of their own (GF, GP, MQ,
# RE, YT, MF), which are EU territory. A political fact, not ISO data: no package carries it.
EU_COUNTRIES = frozenset(
    ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU")
    + ("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
    + ("GF", "GP", "MQ", "RE", "YT", "MF")
)

# Budgets are integers in the currency's smallest unit times this offset (the Marketing API
# currency table; note HUF, TWD, IDR, COP are whole units here although ISO 4217 gives them
# two decimals). A currency missing here is one Meta ad accounts cannot use.
WHOLE_UNITS = ("CLP", "COP", "CRC", "HUF", "IDR", "ISK", "JPY", "KRW", "PYG", "TWD", "VND")
HUNDREDTHS = (
    ("AED", "ARS", "AUD", "BDT", "BGN", "BHD", "BOB", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK")
    + ("DZD", "EGP", "EUR", "GBP", "GTQ", "HKD", "HNL", "HRK", "ILS", "INR", "JOD", "KES", "LTL")
    + ("LVL", "MOP", "MXN", "MYR", "NGN", "NIO", "NOK", "NZD", "PEN", "PHP", "PKR", "PLN", "QAR")
    + ("RON", "RSD", "RUB", "SAR", "SEK", "SGD", "SKK", "THB", "TRY", "UAH", "USD", "UYU", "VEF")
    + ("VES", "ZAR")
)
CURRENCY_OFFSETS: dict[str, int] = dict.fromkeys(WHOLE_UNITS, 1) | dict.fromkeys(HUNDREDTHS, 100)


@dataclass(frozen=True)
class MetaObjective:
    """What a standard objective becomes: the campaign's ODAX objective and the ad set setup."""

    objective: str
    optimization_goal: str
    destination_type: str | None = None
    # The conversion a pixel reports, for website leads and sales ({pixel_id} placeholder).
    pixel_event: str | None = None
    app: bool = False  # app promotion: needs the app ({application_id}) and its store URL


# Outcome-driven (ODAX) objectives, the only ones campaigns can be created with since v17.0.
# Every ad set is billed per impression, which every optimization goal below accepts.
OBJECTIVES: dict[Objective, MetaObjective] = {
    Objective.AWARENESS: MetaObjective("OUTCOME_AWARENESS", "AD_RECALL_LIFT"),
    Objective.REACH: MetaObjective("OUTCOME_AWARENESS", "REACH"),
    Objective.VIDEO_VIEWS: MetaObjective("OUTCOME_AWARENESS", "THRUPLAY"),
    Objective.TRAFFIC: MetaObjective("OUTCOME_TRAFFIC", "LINK_CLICKS", "WEBSITE"),
    Objective.ENGAGEMENT: MetaObjective("OUTCOME_ENGAGEMENT", "POST_ENGAGEMENT", "ON_POST"),
    Objective.LEADS: MetaObjective(
        "OUTCOME_LEADS", "OFFSITE_CONVERSIONS", "WEBSITE", pixel_event="LEAD"
    ),
    Objective.APP_INSTALLS: MetaObjective("OUTCOME_APP_PROMOTION", "APP_INSTALLS", app=True),
    Objective.CONVERSIONS: MetaObjective(
        "OUTCOME_SALES", "OFFSITE_CONVERSIONS", "WEBSITE", pixel_event="PURCHASE"
    ),
}
BUDGET_FIELDS = {BudgetType.DAILY: "daily_budget", BudgetType.LIFETIME: "lifetime_budget"}
STATUSES = {DeliveryStatus.ACTIVE: "ACTIVE", DeliveryStatus.PAUSED: "PAUSED"}
APP_STORE_HOSTS = frozenset({"apps.apple.com", "itunes.apple.com", "play.google.com"})

# Minimum daily budgets (module docstring: "About minimum budgets" and /minimum_budgets). The
# help page lists them in USD by what the ad set "gets charged for"; the API reference keys
# them by what it is "optimized for" (min_daily_budget_imp, _high_freq, _low_freq,
# _video_views). Every ad set here is billed per impression, so the two readings disagree:
# the stricter one, by optimization goal, is taken. Conversions and app installs are the
# help page's "low-frequency events" ($40), clicks, engagement and video views its $5 ones.
MINIMUM_FIELDS = {
    "AD_RECALL_LIFT": "min_daily_budget_imp",
    "REACH": "min_daily_budget_imp",
    "IMPRESSIONS": "min_daily_budget_imp",
    "LINK_CLICKS": "min_daily_budget_high_freq",
    "LANDING_PAGE_VIEWS": "min_daily_budget_high_freq",
    "POST_ENGAGEMENT": "min_daily_budget_high_freq",
    "THRUPLAY": "min_daily_budget_video_views",
    "OFFSITE_CONVERSIONS": "min_daily_budget_low_freq",
    "APP_INSTALLS": "min_daily_budget_low_freq",
}
GOAL_NAMES = {
    "min_daily_budget_imp": "impressions or reach",
    "min_daily_budget_high_freq": "clicks or engagement",
    "min_daily_budget_video_views": "video views",
    "min_daily_budget_low_freq": "conversions or app installs",
}
# USD cents a day: (accounts in these currencies, accounts in any other currency).
USD_MINIMUMS = {
    "min_daily_budget_imp": (100, 50),
    "min_daily_budget_high_freq": (500, 250),
    "min_daily_budget_video_views": (500, 250),
    "min_daily_budget_low_freq": (4000, 2000),
}
HIGHER_MINIMUM_CURRENCIES = frozenset(
    ("USD", "AUD", "CAD", "SGD", "JPY", "NZD", "TWD", "EUR", "CHF", "SEK", "HKD", "GBP", "ILS")
    + ("NOK", "KRW", "DKK")
)


def minimum_field(objective: Objective) -> str:
    """The /minimum_budgets field that applies to a ticket objective's ad set."""
    return MINIMUM_FIELDS[OBJECTIVES[objective].optimization_goal]


def usd_minimum(field: str, currency: str) -> Decimal:
    """The documented daily minimum, in USD, for an ad account in `currency`."""
    higher, other = USD_MINIMUMS[field]
    return Decimal(higher if currency in HIGHER_MINIMUM_CURRENCIES else other) / 100


def _days(start: str | None, end: str | None) -> int:
    """Whole days an ad set's schedule covers (a lifetime budget needs each day's minimum)."""
    if not start or not end:
        return 1
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return max(1, math.ceil(seconds / 86400))


def _judge_minimum(amount: int, field: str, days: int):
    """Compare a budget (minor units) with the account's answer from /minimum_budgets."""

    def judge(data: Any) -> str | None:
        rows = data.get("data") if isinstance(data, dict) else None
        row = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
        daily, currency = row.get(field), row.get("currency")
        if not isinstance(daily, int | str) or not str(daily).isdigit():
            return None  # no figure for this kind of ad set: the platform will judge
        least = int(daily) * days
        if amount >= least:
            return None
        offset = CURRENCY_OFFSETS.get(str(currency), 100)
        need = format_money(Decimal(least) / offset, str(currency))
        have = format_money(Decimal(amount) / offset, str(currency))
        per = "a day" if days == 1 else f"for {days} days"
        return (
            f"Meta needs at least {need} {per} for an ad set optimised for "
            f"{GOAL_NAMES[field]} in this ad account (its /minimum_budgets); this ticket has "
            f"{have}. Raise the budget to {need} or more; nothing was created or changed."
        )

    return judge


def meta_time(moment: datetime) -> str:
    """An instant as Meta's ISO 8601 with offset: 2026-03-01T00:00:00+0100."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S%z")


def minor_amount(budget: Budget) -> int:
    """The budget as Meta takes it: 1500.50 USD is 150050, 150000 JPY is 150000."""
    return int(budget.amount * CURRENCY_OFFSETS[budget.currency])


def _check_currency(parsed: Parsed, problems: Problems) -> None:
    offset = CURRENCY_OFFSETS.get(parsed.currency)
    if offset is None:
        problems.add(f"Meta ad accounts do not support the currency {parsed.currency}.")
    elif parsed.amount is not None and (parsed.amount * offset) % 1:
        unit = "whole units" if offset == 1 else "hundredths"
        problems.add(
            f"Meta takes {parsed.currency} budgets in {unit}; {parsed.amount} does not fit.",
            "budget_amount",
        )


class MetaTranslator(PlatformTranslator):
    channel_code = "META"
    platform = "Meta"
    objectives = OBJECTIVES
    docs = (
        "https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-group",
        "https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/adsets",
        "https://developers.facebook.com/documentation/ads-commerce/marketing-api/bidding/guides/advantage-campaign-budget",
        "https://developers.facebook.com/docs/marketing-api/currencies",
    )
    ad_docs = AD_DOCS

    def check(self, parsed: Parsed, problems: Problems) -> None:
        if parsed.request_type is not RequestType.UPDATE_STATUS:
            _check_currency(parsed, problems)
        if parsed.platform_id and not parsed.platform_id.isdigit():
            problems.add(f"{parsed.platform_id!r} is not a Meta campaign id (a number).")
        meta = OBJECTIVES.get(parsed.objective) if parsed.objective else None
        store = urlsplit(parsed.landing_url or "").hostname
        if meta and meta.app and parsed.landing_url and store not in APP_STORE_HOSTS:
            problems.add(
                "For app installs the landing URL must be the app's App Store or Google Play "
                "page: Meta promotes the app found there.",
                "landing_url",
            )

    def create_campaign(self, change: NewCampaign) -> list[PlatformRequest]:
        meta = OBJECTIVES[change.objective]
        # The budget lives on the campaign (Advantage campaign budget), so the campaign is the
        # one object the later UPDATE_BUDGET and UPDATE_STATUS tickets change. With the
        # budget on the campaign, the bid strategy goes there too and the ad set has neither
        # (nor is_adset_budget_sharing_enabled, which only campaigns without a budget need).
        campaign = {
            "name": change.name,
            "objective": meta.objective,
            "status": STATUSES[change.status],
            # Required on every new campaign: [] when none applies; with a category, the
            # countries it applies to are required too.
            "special_ad_categories": [c.value for c in change.compliance.categories],
            "buying_type": "AUCTION",
            BUDGET_FIELDS[change.budget.type]: minor_amount(change.budget),
            "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
        }
        if change.compliance.categories:
            campaign["special_ad_category_country"] = list(change.compliance.countries)
        # The campaign is the on/off switch: it is created paused unless the ticket says
        # otherwise, while the ad set under it is active, so that switching the campaign on
        # starts delivery. Nothing delivers while the campaign is paused.
        adset: dict[str, Any] = {
            "name": change.adset_name,
            "campaign_id": "{campaign_id}",
            "status": "ACTIVE",
            "optimization_goal": meta.optimization_goal,
            "billing_event": "IMPRESSIONS",
        }
        if meta.destination_type:
            adset["destination_type"] = meta.destination_type
        if meta.pixel_event:
            adset["promoted_object"] = {
                "pixel_id": "{pixel_id}",
                "custom_event_type": meta.pixel_event,
            }
        if meta.app:
            adset["promoted_object"] = {
                "application_id": "{application_id}",
                "object_store_url": change.landing_url,
            }
        # ISO 8601 in the market's zone with its offset (the reference's example is
        # 2026-12-01T00:00:00+0000): the flight runs from 00:00 local on its first day to
        # 23:59:59 local on its last. A lifetime budget needs the end time; the parser
        # already refused a lifetime budget without one.
        adset["start_time"] = meta_time(change.flight.start)
        if change.flight.end:
            adset["end_time"] = meta_time(change.flight.end)
        adset["targeting"] = {
            "geo_locations": {"countries": [change.country]},
            # The Advantage+ audience default (v23.0+) for a targeting of countries only,
            # stated rather than implied.
            "targeting_automation": {"advantage_audience": 1},
        }
        if change.country in EU_COUNTRIES:
            # Digital Services Act: who benefits from and who pays for ads shown in the EU.
            adset["dsa_beneficiary"] = "{dsa_beneficiary}"
            adset["dsa_payor"] = "{dsa_payor}"
        return [
            PlatformRequest(
                "POST",
                f"/{VERSION}/act_{{ad_account_id}}/campaigns",
                campaign,
                "Create the campaign, which holds the budget.",
                returns="campaign_id",
                response_path=("id",),
            ),
            PlatformRequest(
                "POST",
                f"/{VERSION}/act_{{ad_account_id}}/adsets",
                adset,
                "Create the ad set: optimization, schedule and country targeting.",
                returns="adset_id",
                response_path=("id",),
            ),
        ]

    def ad_problems(self, ad: AdInput, parsed: Parsed) -> list[str | Misfit]:
        _file, problem = single_file(ad, self.platform)
        return [problem] if problem else []

    def ad_requests(self, change: NewCampaign, ad: AdInput) -> list[PlatformRequest]:
        (file,) = ad.files  # ad_problems made sure there is exactly one
        n = ad.position
        account = f"/{VERSION}/act_{{ad_account_id}}"
        action = {"type": ad.call_to_action, "value": {"link": ad.landing_url}}
        headline = ad.headlines[0] if ad.headlines else ""
        description = ad.descriptions[0] if ad.descriptions else ""
        requests = []
        if file.kind == "video":
            requests += [
                PlatformRequest(
                    "POST",
                    f"{account}/advideos",
                    {"source": FileRef(file.key, file.filename, "part"), "name": file.filename},
                    f"Upload ad {n}'s video, {file.filename}.",
                    returns=f"ad{n}_video_id",
                    response_path=("id",),
                ),
                PlatformRequest(
                    "GET",
                    f"/{VERSION}/{{ad{n}_video_id}}/thumbnails",
                    {},
                    f"Read ad {n}'s video thumbnail, which the creative shows before it plays.",
                    returns=f"ad{n}_thumbnail_url",
                    response_path=("data", 0, "uri"),
                ),
            ]
            story: dict[str, Any] = {
                "video_id": f"{{ad{n}_video_id}}",
                "image_url": f"{{ad{n}_thumbnail_url}}",
                "message": ad.primary_text,
                "title": headline,
                "link_description": description,
            }
            spec_key = "video_data"
        else:
            requests.append(
                PlatformRequest(
                    "POST",
                    f"{account}/adimages",
                    {"bytes": FileRef(file.key, file.filename, "base64")},
                    f"Upload ad {n}'s image, {file.filename}, to the image library.",
                    returns=f"ad{n}_image_hash",
                    response_path=("images", "bytes", "hash"),
                )
            )
            story = {
                "image_hash": f"{{ad{n}_image_hash}}",
                "link": ad.landing_url,
                "message": ad.primary_text,
                "name": headline,
                "description": description,
            }
            spec_key = "link_data"
        story = {key: value for key, value in story.items() if value}
        if ad.call_to_action:
            story["call_to_action"] = action
        return requests + [
            PlatformRequest(
                "POST",
                f"{account}/adcreatives",
                {
                    "name": ad.name,
                    "object_story_spec": {"page_id": "{page_id}", spec_key: story},
                },
                f"Create ad {n}'s creative: media, copy and call to action on the Page.",
                returns=f"ad{n}_creative_id",
                response_path=("id",),
            ),
            PlatformRequest(
                "POST",
                f"{account}/ads",
                {
                    "name": ad.name,
                    "adset_id": "{adset_id}",
                    "creative": {"creative_id": f"{{ad{n}_creative_id}}"},
                    "status": "ACTIVE",
                },
                f"Create ad {n} in the ad set.",
                returns=f"ad{n}_id",
                response_path=("id",),
            ),
        ]

    def update_budget(self, change: BudgetChange) -> list[PlatformRequest]:
        # The campaign holds the budget (see create_campaign). Meta cannot switch a budget
        # between daily and lifetime, so the budget type must be the one it was created with.
        field = BUDGET_FIELDS[change.budget.type]
        return [
            PlatformRequest(
                "POST",
                f"/{VERSION}/{change.platform_id}",
                {field: minor_amount(change.budget)},
                f"Set the campaign's {field.replace('_', ' ')}.",
            )
        ]

    def update_status(self, change: StatusChange) -> list[PlatformRequest]:
        # The campaign is the on/off switch (see create_campaign).
        return [
            PlatformRequest(
                "POST",
                f"/{VERSION}/{change.platform_id}",
                {"status": STATUSES[change.status]},
                f"Set the campaign's status to {STATUSES[change.status]}.",
            )
        ]

    def budget_check(self, requests) -> BudgetCheck | None:
        """Before a budget is set, read the ad account's own minimums (in its currency)."""
        budgeted = next((r for r in requests if r.body.keys() & set(BUDGET_FIELDS.values())), None)
        if budgeted is None:
            return None
        field_name = next(f for f in BUDGET_FIELDS.values() if f in budgeted.body)
        adset = next((r for r in requests if "optimization_goal" in r.body), None)
        # An update does not say what its campaign's ad set optimizes for: the least any ad
        # set needs (impressions) is the one figure that applies whatever it is.
        goal = adset.body["optimization_goal"] if adset else "IMPRESSIONS"
        days = 1
        if adset and field_name == "lifetime_budget":
            days = _days(adset.body.get("start_time"), adset.body.get("end_time"))
        field = MINIMUM_FIELDS.get(goal, "min_daily_budget_imp")
        return BudgetCheck(
            "GET",
            f"/{VERSION}/act_{{ad_account_id}}/minimum_budgets",
            {},
            _judge_minimum(int(budgeted.body[field_name]), field, days),
            "read the ad account's minimum budgets",
        )

    def lookup(self, request: PlatformRequest) -> Lookup | None:
        # Meta lets several campaigns share a name, so a create is preceded by a search of
        # the account's campaigns (or the campaign's ad sets) for this exact name.
        name = request.body.get("name")
        if request.method != "POST" or not name:
            return None
        pick = named(("data",), "name", ("id",), name)
        if request.path.endswith("/campaigns"):
            filtering = [{"field": "name", "operator": "EQUAL", "value": name}]
            params = {"fields": "id,name", "filtering": json.dumps(filtering)}
            return Lookup("GET", request.path, params, None, pick, "campaign")
        if request.path.endswith("/adsets"):
            path = f"/{VERSION}/{request.body['campaign_id']}/adsets"
            return Lookup("GET", path, {"fields": "id,name"}, None, pick, "ad set")
        if request.path.endswith("/adcreatives"):
            filtering = [{"field": "name", "operator": "EQUAL", "value": name}]
            params = {"fields": "id,name", "filtering": json.dumps(filtering)}
            return Lookup("GET", request.path, params, None, pick, "ad creative")
        if request.path.endswith("/ads"):
            path = f"/{VERSION}/{request.body['adset_id']}/ads"
            return Lookup("GET", path, {"fields": "id,name"}, None, pick, "ad")
        return None
