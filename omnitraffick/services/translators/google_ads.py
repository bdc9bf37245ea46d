"""Google Ads API (REST).

A new campaign is three mutate requests: its budget, the campaign, and the campaign's
location criterion. References:
- CampaignBudgetService, POST /{version}/customers/{customer_id}/campaignBudgets:mutate:
  https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignBudgets/mutate
- CampaignService, POST /{version}/customers/{customer_id}/campaigns:mutate:
  https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaigns/mutate
- CampaignCriterionService, POST .../campaignCriteria:mutate:
  https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignCriteria/mutate
- GoogleAdsService.Search, POST .../googleAds:search:
  https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.googleAds/search
- Average daily and campaign total budgets (total_amount_micros, CUSTOM_PERIOD, which
  campaign types take a total budget):
  https://developers.google.com/google-ads/api/docs/campaigns/budgets/overview
- start_date_time/end_date_time replaced start_date/end_date in v23:
  https://developers.google.com/google-ads/api/diff-tool/v23/versus-v22/diffs/resources/campaign
- contains_eu_political_advertising is required on new campaigns (FieldError.REQUIRED), and
  Google stopped serving political ads in the EU in October 2025:
  https://developers.google.com/google-ads/api/docs/api-policy/eu-par
- CONTAINS_EU_POLITICAL_ADVERTISING "will be restricted from serving ads in the EU":
  https://developers.google.com/google-ads/api/reference/rpc/v26/EuPoliticalAdvertisingStatusEnum.EuPoliticalAdvertisingStatus
- start_date_time/end_date_time are in the customer's time zone; campaign types without time
  granularity (Search, Display) take 00:00:00 and 23:59:59 only
  (DATE_RANGE_ERROR_START_TIME_MUST_BE_THE_START_OF_A_DAY):
  https://developers.google.com/google-ads/api/reference/rpc/v26/DateErrorEnum.DateError
- Video campaigns cannot be created through the API:
  https://developers.google.com/google-ads/api/docs/video/overview
- Bidding strategy types and the campaigns they work with:
  https://developers.google.com/google-ads/api/docs/campaigns/bidding/strategy-types

A ticket with ads gets an ad group too, and its ads (see AD_DOCS):
- AdGroupService, POST .../adGroups:mutate (SEARCH_STANDARD or DISPLAY_STANDARD):
  https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroups/mutate
- a Search campaign's ads are responsive search ads: AdGroupAdService, POST
  .../adGroupAds:mutate with ad.responsiveSearchAd {headlines, descriptions} and finalUrls;
  3 to 15 unique headlines, 2 to 4 descriptions, at least one final URL:
  https://developers.google.com/google-ads/api/docs/responsive-search-ads/create-responsive-search-ads
- a Display campaign's are responsive display ads: each image first becomes an image asset,
  POST .../assets:mutate with imageAsset.data (the file, base64); then the ad, with
  marketingImages (1.91:1) and squareMarketingImages (1:1), at least one of each and 15 in
  all, 1 to 5 headlines, a long headline, 1 to 5 descriptions and the business name:
  https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.assets/mutate
  https://developers.google.com/google-ads/api/docs/responsive-display-ads/create-responsive-display-ads
- videos in Google ads are YouTube videos (a YouTube video asset), which the creative
  library does not hold: https://developers.google.com/google-ads/api/docs/assets/overview
- responsive search and display ads have no name (Ad.name is for other ad types only,
  https://developers.google.com/google-ads/api/reference/rpc/v26/Ad), so a retry finds the ad
  group and the image assets by name, not the ads.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...models import RequestType
from .. import creative_specs
from ..countries import country_name, numeric_code
from ..settings import BudgetType, DeliveryStatus, Objective, SpecialCategory
from .base import (
    API_VERSIONS,
    AdFile,
    AdInput,
    Budget,
    BudgetChange,
    FileRef,
    Lookup,
    Misfit,
    NewCampaign,
    Parsed,
    PlatformRequest,
    PlatformTranslator,
    Problems,
    StatusChange,
    dig,
)
from .meta import EU_COUNTRIES

VERSION = API_VERSIONS["GOOGLE"]
CUSTOMER = f"/{VERSION}/customers/{{customer_id}}"
AD_DOCS = (
    "https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroups/mutate",
    "https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.assets/mutate",
    "https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroupAds/mutate",
    "https://developers.google.com/google-ads/api/docs/responsive-search-ads/create-responsive-search-ads",
    "https://developers.google.com/google-ads/api/docs/responsive-display-ads/create-responsive-display-ads",
)
LANDSCAPE, SQUARE = "google_display_landscape", "google_display_square"
# Each campaign type's ad group type, and the creative_specs placement whose text limits its
# ads meet (both display image slots carry the same texts).
AD_GROUP_TYPES = {"SEARCH": "SEARCH_STANDARD", "DISPLAY": "DISPLAY_STANDARD"}
AD_TEXT_PLACEMENTS = {"SEARCH": "google_search", "DISPLAY": LANDSCAPE}
# The placements each campaign type's ads run in.
CAMPAIGN_PLACEMENTS = {"SEARCH": ("google_search",), "DISPLAY": (LANDSCAPE, SQUARE)}
# (least, most) of each text of a responsive search / display ad.
RSA_COUNTS = {"headlines": (3, 15), "descriptions": (2, 4)}
RDA_COUNTS = {"headlines": (1, 5), "descriptions": (1, 5)}
RDA_MAX_IMAGES = 15
# A campaign's platform id is its resource name, as the mutate response returns it; a bare
# campaign id is accepted too.
CAMPAIGN_ID = re.compile(r"^(?:customers/\d+/campaigns/)?(\d+)$")


@dataclass(frozen=True)
class GoogleCampaignType:
    channel: str  # advertisingChannelType
    bidding: str  # the campaign_bidding_strategy field, set to an empty scheme
    total_budget: bool  # whether campaign total (lifetime) budgets are available


SEARCH_CLICKS = GoogleCampaignType("SEARCH", "targetSpend", total_budget=True)  # Maximize clicks
SEARCH_CONVERSIONS = GoogleCampaignType("SEARCH", "maximizeConversions", total_budget=True)
# Manual CPM works only with Display Network campaigns; Display campaigns take no total budget.
DISPLAY_IMPRESSIONS = GoogleCampaignType("DISPLAY", "manualCpm", total_budget=False)

OBJECTIVES: dict[Objective, GoogleCampaignType] = {
    Objective.AWARENESS: DISPLAY_IMPRESSIONS,
    Objective.REACH: DISPLAY_IMPRESSIONS,
    Objective.TRAFFIC: SEARCH_CLICKS,
    Objective.LEADS: SEARCH_CONVERSIONS,
    Objective.CONVERSIONS: SEARCH_CONVERSIONS,
}
UNSUPPORTED = {
    Objective.VIDEO_VIEWS: "Video campaigns cannot be created through the Google Ads API",
    Objective.ENGAGEMENT: "Google Ads has no engagement campaign type",
    Objective.APP_INSTALLS: (
        "App campaigns need the app's id and store, which tickets do not carry"
    ),
}
STATUSES = {DeliveryStatus.ACTIVE: "ENABLED", DeliveryStatus.PAUSED: "PAUSED"}

# Location criteria are geo target constants. A country's id is 2000 + its ISO 3166-1 numeric
# code (US 2840, HU 2348): the pattern of every country row in Google's geo targets file
# (https://developers.google.com/google-ads/api/data/geotargets), computed here from pycountry
# rather than copied. Google does not target the countries under US sanctions at all: they are
# missing from the geo targets and "can't be targeted" (Cuba 2192, Iran 2364, North Korea 2408,
# Syria 2760; https://support.google.com/google-ads/answer/6163740).
NOT_TARGETABLE = frozenset({"CU", "IR", "KP", "SY"})


def geo_target_constant(country: str) -> int:
    """The geo target constant id of a country: 2840 for US."""
    return 2000 + numeric_code(country)


def gaql_string(value: str) -> str:
    """A GAQL string literal: quotes and backslashes escaped with a backslash."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# What a create request makes, by its service: the resource to search, the row key in the
# search response, and the condition that identifies the object.
LOOKUPS = {
    "campaignBudgets:mutate": ("campaign_budget", "campaignBudget", "budget"),
    "campaigns:mutate": ("campaign", "campaign", "campaign"),
    "campaignCriteria:mutate": ("campaign_criterion", "campaignCriterion", "location target"),
    "adGroups:mutate": ("ad_group", "adGroup", "ad group"),
    "assets:mutate": ("asset", "asset", "image asset"),
}


def micros(amount: Decimal) -> str:
    """An amount in micros, as the int64 string the REST API takes: 1500.50 is "1500500000"."""
    return str(int(amount * 1_000_000))


def _budget_fields(budget: Budget) -> dict[str, Any]:
    if budget.type is BudgetType.LIFETIME:
        # A campaign total budget: the whole flight's amount, over a custom period.
        return {"totalAmountMicros": micros(budget.amount), "period": "CUSTOM_PERIOD"}
    return {"amountMicros": micros(budget.amount), "period": "DAILY"}


def _count_problems(ad: AdInput, counts: dict[str, tuple[int, int]], what: str) -> list[str]:
    problems = []
    for field, (least, most) in counts.items():
        have = len(getattr(ad, field))
        noun = field[:-1]
        if not least <= have <= most:
            problems.append(
                f"{what[0].lower()}{what[1:]} takes {least} to {most} {field}; this one has "
                f"{have} {noun if have == 1 else field}."
            )
    return problems


def _image_slots(files) -> tuple[list[AdFile], list[AdFile], list[Misfit]]:
    """An ad's images as (landscape, square, problems): each fits one of the two slots."""
    landscape, square, problems = [], [], []
    for file in files:
        wide = creative_specs.check(file, creative_specs.BY_KEY[LANDSCAPE])
        if not wide:
            landscape.append(file)
        elif not creative_specs.check(file, creative_specs.BY_KEY[SQUARE]):
            square.append(file)
        else:
            problems.append(
                Misfit(
                    (file.filename,),
                    f"{file.filename} fits neither image of a responsive display ad: "
                    + " ".join(wide),
                )
            )
    return landscape, square, problems


def eu_political(change: NewCampaign) -> str:
    """The campaign's EU political advertising self-declaration (required on create)."""
    political = change.compliance.declares(SpecialCategory.ISSUES_ELECTIONS_POLITICS)
    if political and set(change.compliance.countries) & EU_COUNTRIES:
        return "CONTAINS_EU_POLITICAL_ADVERTISING"
    return "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"


class GoogleAdsTranslator(PlatformTranslator):
    channel_code = "GOOGLE"
    platform = "Google Ads"
    objectives = OBJECTIVES
    unsupported = UNSUPPORTED
    # "Name length: 255 characters" (StringLengthError.TOO_LONG)
    # https://developers.google.com/google-ads/api/docs/best-practices/system-limits
    name_limit = 255
    campaign_placeholder = "campaign_resource_name"
    docs = (
        "https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignBudgets/mutate",
        "https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaigns/mutate",
        "https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignCriteria/mutate",
        "https://developers.google.com/google-ads/api/docs/campaigns/budgets/overview",
    )
    ad_docs = AD_DOCS

    def check(self, parsed: Parsed, problems: Problems) -> None:
        kind = OBJECTIVES.get(parsed.objective) if parsed.objective else None
        creating = parsed.request_type is RequestType.CREATE_CAMPAIGN
        lifetime = parsed.budget_type is BudgetType.LIFETIME
        if creating and kind and lifetime and not kind.total_budget:
            problems.add(
                "Google Ads offers lifetime (campaign total) budgets for Search, Shopping, "
                f"Performance Max, Demand Gen and YouTube campaigns, not for the {kind.channel} "
                f"campaign that {parsed.objective} becomes; use a daily budget.",
                "budget_type",
            )
        if parsed.country in NOT_TARGETABLE:
            problems.add(
                f"Google Ads does not show ads in {country_name(parsed.country)} "
                f"({parsed.country}): it is one of the countries Google restricts, so no "
                "campaign can target it."
            )
        political = parsed.compliance.declares(SpecialCategory.ISSUES_ELECTIONS_POLITICS)
        if political and parsed.country in EU_COUNTRIES:
            problems.add(
                "Google Ads stopped serving political ads in the EU in October 2025: a campaign "
                "declared as containing EU political advertising does not serve in "
                f"{parsed.country}. Remove the political declaration or this ticket.",
                "special_ad_categories",
            )
        if parsed.platform_id and not CAMPAIGN_ID.match(parsed.platform_id):
            problems.add(
                f"{parsed.platform_id!r} is not a Google Ads campaign "
                "(customers/<customer id>/campaigns/<campaign id>, or the campaign id)."
            )

    def create_campaign(self, change: NewCampaign) -> list[PlatformRequest]:
        kind = OBJECTIVES[change.objective]
        budget = {
            "name": f"{change.name} budget",
            **_budget_fields(change.budget),
            "deliveryMethod": "STANDARD",
            "explicitlyShared": False,  # total budgets cannot be shared
        }
        campaign: dict[str, Any] = {
            "name": change.name,
            "status": STATUSES[change.status],
            "advertisingChannelType": kind.channel,
            "campaignBudget": "{budget_resource_name}",
            kind.bidding: {},
        }
        if kind.channel == "SEARCH":
            campaign["networkSettings"] = {
                "targetGoogleSearch": True,
                "targetSearchNetwork": True,
                "targetContentNetwork": False,
                "targetPartnerSearchNetwork": False,
            }
        # In the customer's time zone (the market's), "yyyy-MM-dd HH:mm:ss", whole days: a
        # start moved to the time of sending starts on that (local) day. A total budget needs
        # an end; the parser refused a lifetime budget without one.
        campaign["startDateTime"] = f"{change.flight.first_day.isoformat()} 00:00:00"
        if change.flight.end:
            campaign["endDateTime"] = change.flight.end.strftime("%Y-%m-%d %H:%M:%S")
        campaign["containsEuPoliticalAdvertising"] = eu_political(change)
        location = {
            "campaign": "{campaign_resource_name}",
            "location": {
                "geoTargetConstant": f"geoTargetConstants/{geo_target_constant(change.country)}"
            },
        }
        return [
            PlatformRequest(
                "POST",
                f"{CUSTOMER}/campaignBudgets:mutate",
                {"operations": [{"create": budget}]},
                "Create the campaign's budget.",
                returns="budget_resource_name",
                response_path=("results", 0, "resourceName"),
            ),
            PlatformRequest(
                "POST",
                f"{CUSTOMER}/campaigns:mutate",
                {"operations": [{"create": campaign}]},
                "Create the campaign on that budget.",
                returns="campaign_resource_name",
                response_path=("results", 0, "resourceName"),
            ),
            PlatformRequest(
                "POST",
                f"{CUSTOMER}/campaignCriteria:mutate",
                {"operations": [{"create": location}]},
                "Target the market's country.",
            ),
        ]

    # --- ads ----------------------------------------------------------------------------

    def ad_placements(self, ad: AdInput, parsed: Parsed):
        kind = OBJECTIVES.get(parsed.objective) if parsed.objective else None
        if kind is None:
            return ()
        return (creative_specs.BY_KEY[AD_TEXT_PLACEMENTS[kind.channel]],)

    def ad_problems(self, ad: AdInput, parsed: Parsed) -> list[str | Misfit]:
        kind = OBJECTIVES.get(parsed.objective) if parsed.objective else None
        if kind is None:
            return []  # the objective's own problem says why
        placements = CAMPAIGN_PLACEMENTS[kind.channel]
        if ad.placements and not set(ad.placements) & set(placements):
            # The campaign type follows the objective; an ad meant for the other type's
            # placements would go out as an ad its author did not make.
            names = " or ".join(creative_specs.BY_KEY[key].name for key in placements)
            return [
                f"the objective {parsed.objective.value} makes a {kind.channel.title()} "
                f"campaign, whose ads run in {names}; choose that placement for this ad, or "
                "traffic it on a ticket whose objective makes the other campaign type."
            ]
        videos = tuple(f.filename for f in ad.files if f.kind == "video")
        if videos:
            return [
                Misfit(
                    videos,
                    f"Google Ads takes YouTube videos only, not uploaded files "
                    f"({', '.join(videos)}); remove the video or traffic it on YouTube.",
                )
            ]
        if kind.channel == "SEARCH":
            problems = _count_problems(ad, RSA_COUNTS, "A responsive search ad")
            if len(set(ad.headlines)) != len(ad.headlines):
                problems.append("a responsive search ad's headlines must differ from each other.")
            if ad.files:
                problems.append(
                    "a responsive search ad is text only; remove its images (Search campaigns "
                    f"show no images): {', '.join(f.filename for f in ad.files)}."
                )
            return problems
        problems = _count_problems(ad, RDA_COUNTS, "A responsive display ad")
        if not ad.long_headline:
            problems.append("a responsive display ad needs a long headline.")
        if not ad.business_name:
            problems.append("a responsive display ad needs the business name.")
        landscape, square, misfits = _image_slots(ad.files)
        problems += misfits
        if not landscape or not square:
            problems.append(
                "a responsive display ad needs at least one landscape (1.91:1) and one square "
                f"(1:1) image; this one has {len(landscape)} and {len(square)}."
            )
        if len(ad.files) > RDA_MAX_IMAGES:
            problems.append(
                f"a responsive display ad takes at most {RDA_MAX_IMAGES} images; this one has "
                f"{len(ad.files)}."
            )
        return problems

    def create_ads(self, change: NewCampaign, ads) -> list[PlatformRequest]:
        kind = OBJECTIVES[change.objective]
        ad_group = {
            "name": change.adset_name,
            "campaign": "{campaign_resource_name}",
            "status": "ENABLED",
            "type": AD_GROUP_TYPES[kind.channel],
        }
        return [
            PlatformRequest(
                "POST",
                f"{CUSTOMER}/adGroups:mutate",
                {"operations": [{"create": ad_group}]},
                "Create the ad group that holds the ads.",
                returns="ad_group_resource_name",
                response_path=("results", 0, "resourceName"),
            ),
            *super().create_ads(change, ads),
        ]

    def ad_requests(self, change: NewCampaign, ad: AdInput) -> list[PlatformRequest]:
        n = ad.position
        texts = {
            "headlines": [{"text": text} for text in ad.headlines],
            "descriptions": [{"text": text} for text in ad.descriptions],
        }
        requests = []
        if OBJECTIVES[change.objective].channel == "SEARCH":
            ad_fields: dict[str, Any] = {"responsiveSearchAd": texts}
            what = "responsive search ad"
        else:
            landscape, square, _ = _image_slots(ad.files)
            slots: dict[str, list] = {"marketingImages": [], "squareMarketingImages": []}
            for i, file in enumerate(ad.files, start=1):
                asset = {
                    "name": f"{ad.name} {file.filename}",
                    "type": "IMAGE",
                    "imageAsset": {"data": FileRef(file.key, file.filename, "base64")},
                }
                requests.append(
                    PlatformRequest(
                        "POST",
                        f"{CUSTOMER}/assets:mutate",
                        {"operations": [{"create": asset}]},
                        f"Upload ad {n}'s image {i}, {file.filename}, as an image asset.",
                        returns=f"ad{n}_image{i}_resource_name",
                        response_path=("results", 0, "resourceName"),
                    )
                )
                slot = "marketingImages" if file in landscape else "squareMarketingImages"
                slots[slot].append({"asset": f"{{ad{n}_image{i}_resource_name}}"})
            display: dict[str, Any] = {
                **slots,
                "headlines": texts["headlines"],
                "longHeadline": {"text": ad.long_headline},
                "descriptions": texts["descriptions"],
                "businessName": ad.business_name,
            }
            if ad.call_to_action:
                actions = dict(creative_specs.CALLS_TO_ACTION[self.channel_code])
                display["callToActionText"] = actions[ad.call_to_action]
            ad_fields = {"responsiveDisplayAd": display}
            what = "responsive display ad"
        create = {
            "adGroup": "{ad_group_resource_name}",
            "status": "ENABLED",
            "ad": {"finalUrls": [ad.landing_url], **ad_fields},
        }
        return requests + [
            PlatformRequest(
                "POST",
                f"{CUSTOMER}/adGroupAds:mutate",
                {"operations": [{"create": create}]},
                f"Create ad {n}, a {what}, in the ad group.",
                returns=f"ad{n}_resource_name",
                response_path=("results", 0, "resourceName"),
            )
        ]

    def notes(self, change: NewCampaign) -> tuple[str, ...]:
        zone = change.flight.start.tzinfo
        return (
            f"Google Ads reads the start and end in the customer account's time zone: the "
            f"account must be set to {zone} for the flight to run from local midnight.",
        )

    def update_budget(self, change: BudgetChange) -> list[PlatformRequest]:
        # The budget is its own resource: look up the campaign's budget, then change the
        # amount the budget type names (amountMicros or totalAmountMicros).
        fields = _budget_fields(change.budget)
        amount_field = next(iter(fields))
        query = (
            "SELECT campaign.campaign_budget FROM campaign "
            f"WHERE campaign.id = {self._campaign_id(change.platform_id)}"
        )
        return [
            PlatformRequest(
                "POST",
                f"{CUSTOMER}/googleAds:search",
                {"query": query},
                "Find the campaign's budget.",
                returns="budget_resource_name",
                response_path=("results", 0, "campaign", "campaignBudget"),
            ),
            PlatformRequest(
                "POST",
                f"{CUSTOMER}/campaignBudgets:mutate",
                {
                    "operations": [
                        {
                            "updateMask": amount_field,
                            "update": {
                                "resourceName": "{budget_resource_name}",
                                amount_field: fields[amount_field],
                            },
                        }
                    ]
                },
                "Set the budget's amount.",
            ),
        ]

    def update_status(self, change: StatusChange) -> list[PlatformRequest]:
        status = STATUSES[change.status]
        resource = change.platform_id
        if resource.isdigit():
            resource = f"customers/{{customer_id}}/campaigns/{resource}"
        update = {"resourceName": resource, "status": status}
        return [
            PlatformRequest(
                "POST",
                f"{CUSTOMER}/campaigns:mutate",
                {"operations": [{"updateMask": "status", "update": update}]},
                f"Set the campaign's status to {status}.",
            )
        ]

    @staticmethod
    def _campaign_id(platform_id: str) -> str:
        match = CAMPAIGN_ID.match(platform_id)
        assert match
        return match.group(1)

    def lookup(self, request: PlatformRequest) -> Lookup | None:
        # Google Ads refuses a second budget or campaign with the same name, and a campaign
        # has one location criterion per country; a search finds the one a lost answer made.
        prefix, _, service = request.path.rpartition("/")
        operations = request.body.get("operations") or [{}]
        create = operations[0].get("create")
        if service not in LOOKUPS or not create:
            return None
        resource, row, what = LOOKUPS[service]
        if resource == "campaign_criterion":
            condition = (
                f"campaign_criterion.campaign = {gaql_string(create['campaign'])} "
                "AND campaign_criterion.type = 'LOCATION'"
            )
        elif resource == "ad_group":
            condition = (
                f"ad_group.campaign = {gaql_string(create['campaign'])} "
                f"AND ad_group.name = {gaql_string(create['name'])}"
            )
        else:
            condition = f"{resource}.name = {gaql_string(create['name'])}"
        query = f"SELECT {resource}.resource_name FROM {resource} WHERE {condition}"

        def pick(data) -> str | None:
            value = dig(data, ("results", 0, row, "resourceName"))
            return None if value is None else str(value)

        return Lookup("POST", f"{prefix}/googleAds:search", {}, {"query": query}, pick, what)
