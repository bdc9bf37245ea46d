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
- Ads targeting the EU need dsa_beneficiary and dsa_payor:
  https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/dsa_recommendations
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ...models import RequestType
from ..settings import BudgetType, DeliveryStatus, Objective
from .base import (
    API_VERSIONS,
    Budget,
    BudgetChange,
    Lookup,
    NewCampaign,
    Parsed,
    PlatformRequest,
    PlatformTranslator,
    Problems,
    StatusChange,
    named,
)

VERSION = API_VERSIONS["META"]

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
        return None
