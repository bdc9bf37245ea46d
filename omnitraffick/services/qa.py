"""Pre-flight QA: every rule checks a ticket; blocking failures keep it from the platform.

Rules live in one registry. Each is a small function that returns the problems it found
(none means it passed) and has a severity: a failed "block" rule sends the ticket to
QA_FAILED, a failed "warn" rule is shown but lets it through.
"""

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Creative, RequestType, Ticket, TicketAd, TicketAdCreative, TicketStatus
from . import (
    ads,
    clock,
    creative_specs,
    naming,
    platform_minimums,
    taxonomy,
    translators,
    utm,
)
from .currencies import format_money
from .errors import ValidationError
from .settings import SpecialCategory
from .timezones import flight_window
from .translators.base import (
    AdFile,
    AdInput,
    flight_order_problem,
    flight_over_problem,
    read_amount,
)

BLOCK, WARN = "block", "warn"


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    severity: str
    passed: bool
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Context:
    """What the rules look at, gathered once by the caller."""

    ticket: Ticket
    settings: dict
    currency: str
    today: date  # in the market's time zone
    created_object_id: str | None
    # The campaign's other CREATE_CAMPAIGN tickets that count against its budget.
    sibling_settings: tuple[dict, ...]
    # For UPDATE_BUDGET: the settings of the CREATE_CAMPAIGN ticket that made the object.
    create_settings: dict | None
    # For CREATE_CAMPAIGN: another CREATE ticket of the campaign and channel that is ready,
    # being sent or trafficked (see competing_create).
    competitor: Ticket | None = None
    # The instant QA runs at (the app clock), aware; `today` is its date in the market.
    now: datetime | None = None
    # For CREATE_CAMPAIGN: the ticket's ads as the translators read them (services/ads.py),
    # and the brand's creative library, to name the creatives that fit where an ad's miss.
    ads: tuple[AdInput, ...] = ()
    library: tuple[Creative, ...] = ()


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: str
    check: Callable[[Context], list[str]]


RULES: list[Rule] = []


def rule(code: str, title: str, severity: str = BLOCK):
    """Register a QA rule."""

    def register(check: Callable[[Context], list[str]]):
        RULES.append(Rule(code, title, severity, check))
        return check

    return register


def _amount(settings: dict) -> Decimal | None:
    try:
        return Decimal(str(settings["budget_amount"]))
    except (KeyError, InvalidOperation):
        return None


def _date(settings: dict, name: str) -> date | None:
    try:
        return date.fromisoformat(settings[name])
    except (KeyError, TypeError, ValueError):
        return None


def planned_spend(settings: dict) -> Decimal | None:
    """What a ticket can spend at most: a lifetime budget, or daily × days of the flight."""
    amount = _amount(settings)
    if amount is None:
        return None
    if settings.get("budget_type") == "LIFETIME":
        return amount
    start, end = _date(settings, "flight_start"), _date(settings, "flight_end")
    if start and end and end >= start:
        return amount * ((end - start).days + 1)
    return None


def _check_convention_name(ticket: Ticket) -> list[str]:
    """A name made by an organisation's convention: it decodes, and its codes are the ticket's."""
    campaign = ticket.campaign
    result = naming.decoder_for("campaign").decode(ticket.platform_name)
    if not result.valid:
        return result.problems
    expected = {
        "brand": campaign.brand.internal_code,
        "market": campaign.market.code,
        "channel": ticket.channel.api_identifier,
        "year": str(campaign.year),
    }
    return [
        f"The name's {part} part is {result.parts[part]}, expected {value}."
        for part, value in expected.items()
        if part in result.parts and result.parts[part] != value
    ]


@rule("taxonomy", "Platform name follows the taxonomy and matches its campaign")
def check_taxonomy(ctx: Context) -> list[str]:
    ticket, campaign = ctx.ticket, ctx.ticket.campaign
    if campaign.naming_version != 1:
        return _check_convention_name(ticket)
    try:
        name = ticket.platform_name
        parts = taxonomy.parse_name(
            name,
            brand_codes={campaign.brand.internal_code},
            market_codes={campaign.market.code},
        )
    except ValidationError as err:
        return [err.message]
    problems = []
    expected = {
        "brand": campaign.brand.internal_code,
        "market": campaign.market.code,
        "channel": ticket.channel.api_identifier,
        "year": campaign.year,
    }
    for part, value in expected.items():
        if getattr(parts, part) != value:
            problems.append(f"The name's {part} part is {getattr(parts, part)}, expected {value}.")
    return problems


@rule("one_create", "The campaign is created once on each platform")
def check_one_create(ctx: Context) -> list[str]:
    return [describe_competitor(ctx.competitor)] if ctx.competitor is not None else []


@rule("translator", "The platform's API accepts the request")
def check_translator(ctx: Context) -> list[str]:
    try:
        translators.translate(
            ctx.ticket.channel.api_identifier,
            _translation_input(ctx),
        )
    except translators.TranslationError as err:
        # Problems the budget, flight and creative rules report are theirs; one problem, one
        # line (the creative rule's names the brand's creatives that fit).
        theirs = set(check_budget_positive(ctx)) | set(check_flight(ctx))
        misfits = {(ad.position, file.filename) for ad, file, _, _ in _misfits(ctx)}
        return [
            problem
            for problem in err.problems
            if problem not in theirs and not _reported(err.misfits.get(problem), misfits)
        ]
    return []


def _reported(misfit: tuple[int, tuple[str, ...]] | None, misfits: set[tuple[int, str]]) -> bool:
    """Whether the creative rule reports every creative a translator's misfit is about."""
    if misfit is None:
        return False
    position, files = misfit
    return all((position, name) in misfits for name in files)


def _translation_input(ctx: Context) -> translators.TranslationInput:
    adset_name, adset_problem = naming.adset_name_for(ctx.ticket)
    return translators.input_for(
        ctx.ticket,
        ctx.created_object_id,
        ctx.now,
        adset_name,
        adset_problem,
        utm.landing_url_for(ctx.ticket, adset_name),
        ctx.ads,
    )


@rule("budget_positive", "Budget is positive")
def check_budget_positive(ctx: Context) -> list[str]:
    if ctx.ticket.request_type is RequestType.UPDATE_STATUS:
        return []
    value = ctx.settings.get("budget_amount")
    if value is None or not str(value).strip():
        return ["Budget amount is required."]
    _, problem = read_amount(value, ctx.currency)
    return [problem] if problem else []


def _flight_order(ctx: Context) -> list[str]:
    start, end = _date(ctx.settings, "flight_start"), _date(ctx.settings, "flight_end")
    problem = flight_order_problem(start, end)
    return [problem] if problem else []


@rule("campaign_budget", "Tickets stay within the campaign budget")
def check_campaign_budget(ctx: Context) -> list[str]:
    if ctx.ticket.request_type is not RequestType.CREATE_CAMPAIGN:
        return []
    mine = planned_spend(ctx.settings)
    if mine is None:
        return []  # open-ended or missing: reported by the open_ended and other rules
    others = [planned_spend(s) or Decimal(0) for s in ctx.sibling_settings]
    total, budget = mine + sum(others), ctx.ticket.campaign.budget
    if total > budget:
        spend, limit = format_money(total, ctx.currency), format_money(budget, ctx.currency)
        return [
            f"The campaign's tickets would spend up to {spend}, more than its budget of {limit}."
        ]
    return []


@rule("open_ended", "A daily budget has a flight end", WARN)
def check_open_ended(ctx: Context) -> list[str]:
    # An update changes an object whose flight its CREATE ticket set.
    updating = ctx.ticket.request_type is RequestType.UPDATE_BUDGET
    flight = (ctx.create_settings or {}) if updating else ctx.settings
    if ctx.settings.get("budget_type") == "DAILY" and not flight.get("flight_end"):
        return ["A daily budget without a flight end keeps spending until someone stops it."]
    return []


def _window(ctx: Context):
    """The flight's instants in the market's zone, for a CREATE ticket with sane dates."""
    start, end = _date(ctx.settings, "flight_start"), _date(ctx.settings, "flight_end")
    if ctx.ticket.request_type is not RequestType.CREATE_CAMPAIGN or start is None:
        return None
    if flight_order_problem(start, end):
        return None
    return flight_window(start, end, ctx.ticket.campaign.market.time_zone)


@rule("flight", "The flight is sane and not over")
def check_flight(ctx: Context) -> list[str]:
    problems = _flight_order(ctx)
    window = _window(ctx)
    if (
        window is not None
        and ctx.now is not None
        and (over := flight_over_problem(window, ctx.now))
    ):
        problems.append(over)
    return problems


@rule("flight_started", "The flight has not started yet", WARN)
def check_flight_started(ctx: Context) -> list[str]:
    window = _window(ctx)
    if window is None or ctx.now is None or window.has_ended(ctx.now) or window.start >= ctx.now:
        return []
    zone = ctx.ticket.campaign.market.time_zone
    return [
        f"The flight started on {window.start.date()} ({zone}); the campaign will start when "
        "the ticket is sent, so the time before is lost. Move the flight start to a date to "
        "come if the budget counts on the whole flight."
    ]


def _budget(ctx: Context):
    channel = ctx.ticket.channel.api_identifier
    return platform_minimums.budget_of(
        channel, ctx.ticket.request_type, ctx.settings, ctx.create_settings, ctx.currency
    )


@rule("platform_minimum", "The budget meets the platform's minimum")
def check_platform_minimum(ctx: Context) -> list[str]:
    """TikTok's and Meta's documented minimums (services/platform_minimums.py cites them)."""
    budget = _budget(ctx)
    return platform_minimums.blocking(budget) if budget else []


@rule("platform_minimum_unknown", "The platform documents its minimum in this currency", WARN)
def check_platform_minimum_unknown(ctx: Context) -> list[str]:
    budget = _budget(ctx)
    return platform_minimums.unknown(budget) if budget else []


@rule("compliance_political", "A political declaration says where it applies")
def check_compliance_political(ctx: Context) -> list[str]:
    """Meta needs the countries of a political declaration (special_ad_category_country),
    https://developers.facebook.com/docs/marketing-api/audiences/special-ad-category; they
    are not assumed for political ads, which are authorised country by country."""
    if ctx.ticket.request_type is not RequestType.CREATE_CAMPAIGN:
        return []
    categories = ctx.settings.get("special_ad_categories") or []
    political = SpecialCategory.ISSUES_ELECTIONS_POLITICS.value in categories
    if political and not ctx.settings.get("special_ad_category_countries"):
        return [
            "The campaign is declared as issues, elections or politics but does not say in "
            'which countries. List them in "Declared for countries" (e.g. HU).'
        ]
    return []


def _https_problems(url: str) -> list[str]:
    return [] if urlsplit(url).scheme == "https" else [f"The landing URL is not https: {url}"]


@rule("landing_https", "The landing page is served over HTTPS")
def check_https(ctx: Context) -> list[str]:
    url = ctx.settings.get("landing_url")
    if not url or ctx.ticket.request_type is not RequestType.CREATE_CAMPAIGN:
        return []
    return _https_problems(url)


@dataclass(frozen=True)
class _Utm:
    """What the UTM builder makes of a ticket: the channel's mapping and the names."""

    url: str
    mapping: utm.UtmSettings | None
    names: utm.Names
    adset_known: bool  # False: the ad set / ad group name cannot be made (translator says why)

    def differences(self) -> list[utm.Difference]:
        found = utm.differences(self.url, self.mapping, self.names)
        return [d for d in found if d.key != "utm_content" or self.adset_known]


def _utm(ctx: Context, url: str | None = None) -> _Utm | None:
    """What the builder makes of the ticket's landing URL, or of `url` (an ad's)."""
    url = url or ctx.settings.get("landing_url")
    if not url or ctx.ticket.request_type is not RequestType.CREATE_CAMPAIGN:
        return None
    adset_name, problem = naming.adset_name_for(ctx.ticket)
    names = utm.ticket_names(ctx.ticket, adset_name)
    if names is None:
        return None  # no taxonomy name: the taxonomy rule says so
    return _Utm(str(url), utm.mapping_for(ctx.ticket.channel_id), names, problem is None)


@rule("utm_campaign", "utm_campaign equals the platform name")
def check_utm_campaign(ctx: Context) -> list[str]:
    """Compared with what the UTM builder (services/utm.py) sets, as the form's Apply does."""
    return _utm_campaign_problems(_utm(ctx))


def _utm_campaign_problems(built: _Utm | None) -> list[str]:
    wrong = [d for d in built.differences() if d.key == "utm_campaign"] if built else []
    if not wrong:
        return []
    if wrong[0].found is None:
        return [f"The landing URL has no utm_campaign; it should be {wrong[0].expected}."]
    return [f"utm_campaign is {wrong[0].found}; it should be {wrong[0].expected}."]


@rule("utm_source_medium", "utm_source and utm_medium are set", WARN)
def check_utm_source(ctx: Context) -> list[str]:
    """Without a channel mapping; with one, utm_mapping holds them to it."""
    built = _utm(ctx)
    if built is None or built.mapping is not None:
        return []
    query = parse_qs(urlsplit(built.url).query)
    missing = [name for name in ("utm_source", "utm_medium") if name not in query]
    return [f"The landing URL has no {' or '.join(missing)}."] if missing else []


@rule("utm_mapping", "UTM parameters follow the channel's mapping")
def check_utm_mapping(ctx: Context) -> list[str]:
    built = _utm(ctx)
    if built is None or built.mapping is None:
        return []
    code = ctx.ticket.channel.api_identifier
    problems = []
    for d in built.differences():
        if d.key == "utm_campaign":
            continue  # utm_campaign's own rule
        made = f"{code}'s UTM mapping makes it {d.expected}"
        if d.found is None:
            problems.append(f"The landing URL has no {d.key}; {made}.")
        else:
            problems.append(f"{d.key} is {d.found}; {made}.")
    if problems:
        problems.append('"Apply UTM parameters" in the ticket\'s settings sets them.')
    return problems


@rule("brand_ceiling", "Budget is under the brand's ceiling")
def check_brand_ceiling(ctx: Context) -> list[str]:
    brand = ctx.ticket.campaign.brand
    amount = _amount(ctx.settings)
    kind = ctx.settings.get("budget_type")
    ceiling = {
        "DAILY": brand.daily_budget_ceiling,
        "LIFETIME": brand.lifetime_budget_ceiling,
    }.get(kind)
    if amount is None or ceiling is None:
        return []
    if brand.ceiling_currency != ctx.currency:
        return []  # ceilings in another currency are reported by brand_ceiling_currency
    if amount > ceiling:
        asked, limit = format_money(amount, ctx.currency), format_money(ceiling, ctx.currency)
        return [
            f"The {kind.lower()} budget {asked} is over {brand.name}'s {kind.lower()} ceiling "
            f"of {limit}."
        ]
    return []


@rule("brand_ceiling_currency", "The brand's ceiling applies to this currency", WARN)
def check_ceiling_currency(ctx: Context) -> list[str]:
    brand = ctx.ticket.campaign.brand
    has_ceiling = (
        brand.daily_budget_ceiling is not None or brand.lifetime_budget_ceiling is not None
    )
    if has_ceiling and brand.ceiling_currency != ctx.currency and _amount(ctx.settings) is not None:
        return [
            f"{brand.name}'s ceilings are in {brand.ceiling_currency}; this budget is in "
            f"{ctx.currency} and was not checked against them."
        ]
    return []


@rule("budget_type_kept", "An update keeps the budget type the platform object has")
def check_budget_type_kept(ctx: Context) -> list[str]:
    if ctx.ticket.request_type is not RequestType.UPDATE_BUDGET or not ctx.create_settings:
        return []
    before, now = ctx.create_settings.get("budget_type"), ctx.settings.get("budget_type")
    if before and now and before != now:
        return [
            f"The campaign was created with a {before.lower()} budget; platforms do not switch "
            f"a budget between daily and lifetime, so this update must stay {before.lower()}."
        ]
    return []


# --- ads ------------------------------------------------------------------------------------

# A Google responsive display ad takes its images in two slots, landscape (marketing_images)
# and square (square_marketing_images): each image fills one of them, not both.
# https://developers.google.com/google-ads/api/reference/rpc/v26/ResponsiveDisplayAdInfo
DISPLAY_SLOTS = ("google_display_landscape", "google_display_square")
SUGGESTED_CREATIVES = 3  # at most this many fitting creatives are named


def _ad_label(ad: AdInput) -> str:
    """How a message names an ad: "Ad 2 (DIS_US_META_2026_Story)", or "Ad 2" unnamed."""
    return f"Ad {ad.position} ({ad.name})" if ad.name else f"Ad {ad.position}"


def _platform(ctx: Context) -> str:
    return ctx.ticket.channel.api_identifier.strip().upper()


def _ad_placements(ctx: Context, ad: AdInput) -> list[creative_specs.Placement]:
    """The ad's placements this ticket's platform has (ad_complete reports the others)."""
    platform = _platform(ctx)
    return [
        creative_specs.BY_KEY[key]
        for key in ad.placements
        if key in creative_specs.BY_KEY and creative_specs.BY_KEY[key].platform == platform
    ]


def _fitting(ctx: Context, placement: creative_specs.Placement) -> str:
    """Which of the brand's creatives fit `placement`, so the user can pick one."""
    brand = ctx.ticket.campaign.brand.name
    names = [c.original_name for c in ctx.library if not creative_specs.check(c, placement)]
    if not names:
        return f"No creative of {brand} fits {placement.name}; upload one that does."
    return (
        f"Creatives of {brand} that fit {placement.name}: {', '.join(names[:SUGGESTED_CREATIVES])}."
    )


@rule("ad_creative_specs", "Each ad's creatives fit its placements")
def check_ad_creative_specs(ctx: Context) -> list[str]:
    """creative_specs.check for every creative of every ad against each of its placements."""
    problems: list[str] = []
    missed: dict[str, creative_specs.Placement] = {}
    for ad, file, found, placements in _misfits(ctx):
        where = _ad_label(ad) + (f", {file.filename}" if len(ad.files) > 1 else "")
        problems += [f"{where}: {problem}" for problem in found]
        missed.update((placement.key, placement) for placement in placements)
    return problems + [_fitting(ctx, placement) for placement in missed.values()]


def _misfits(
    ctx: Context,
) -> Iterator[tuple[AdInput, AdFile, list[str], list[creative_specs.Placement]]]:
    """(ad, creative, problems, placements it misses) for each creative that does not fit
    its ad: a placement it fails, or a display ad none of whose slots it fits."""
    for ad in ctx.ads:
        placements = _ad_placements(ctx, ad)
        slots = [p for p in placements if p.key in DISPLAY_SLOTS]
        # A text-only placement (Google search) takes no creative at all: that refusal is the
        # platform's, which the translator rule reports (one problem, one line).
        others = [p for p in placements if p.key not in DISPLAY_SLOTS and (p.image or p.video)]
        for file in ad.files:
            problems: list[str] = []
            missed: list[creative_specs.Placement] = []
            for placement in others:
                found = creative_specs.check(file, placement)
                if found:
                    missed.append(placement)
                problems += found
            by_slot = [creative_specs.check(file, placement) for placement in slots]
            if by_slot and all(by_slot):  # fits no slot of the display ad
                missed += slots
                problems += [problem for found in by_slot for problem in found]
            if problems:
                yield ad, file, problems, missed


def _ad_texts(ad: AdInput) -> list[tuple[str, str, str]]:
    """(where, field, value) of every text of an ad; `where` numbers repeated fields."""
    texts = [
        ("", "primary_text", ad.primary_text),
        ("", "long_headline", ad.long_headline),
        ("", "business_name", ad.business_name),
    ]
    for field, values in (("headline", ad.headlines), ("description", ad.descriptions)):
        numbered = len(values) > 1
        texts += [
            (f", {field} {n}" if numbered else "", field, value)
            for n, value in enumerate(values, 1)
        ]
    return texts  # empty ones too: no limit is ever under 0 characters


@rule("ad_text_cut_off", "Each ad's texts show in full", WARN)
def check_ad_text_cut_off(ctx: Context) -> list[str]:
    """Where Meta cuts text off on screen (creative_specs' soft limits); the ad still runs.
    Hard limits are the platform's refusals: the translator rule reports them."""
    problems = []
    for ad in ctx.ads:
        checked: list[dict] = []  # placements that share one table count once
        for placement in _ad_placements(ctx, ad):
            if placement.text in checked:
                continue
            checked.append(placement.text)
            for where, field, value in _ad_texts(ad):
                limit = placement.text.get(field)
                if limit is not None and not limit.hard:
                    problems += [
                        f"{_ad_label(ad)}{where}: {problem}"
                        for problem in creative_specs.check_text(placement, {field: value})
                    ]
    return problems


# What QA asks of an ad beyond what its platform refuses (the translator rule reports those:
# a name, one creative of the right kind, Google's headline and description counts and image
# slots, the call to action, the landing URL, hard text limits): a placement of the ticket's
# platform, and the texts ad-ops always send though the API would take an ad without them.
# - Meta: the primary text (the ad's message),
#   https://developers.facebook.com/docs/marketing-api/reference/ad-creative-link-data
# - TikTok: a call to action (without one the ad has no button to the landing page),
#   https://business-api.tiktok.com/portal/docs/create-ads/v1.3
QA_NEEDS = {
    "META": (("primary_text", "a primary text"),),
    "TIKTOK": (("call_to_action", "a call to action"),),
}


@rule("ad_complete", "Each ad has what its platform needs")
def check_ad_complete(ctx: Context) -> list[str]:
    platform, channel = _platform(ctx), ctx.ticket.channel.platform_name
    problems = []
    for ad in ctx.ads:
        label = _ad_label(ad)
        placements = _ad_placements(ctx, ad)
        problems += [
            f"{label}: {key} is not a placement of {channel}."
            for key in ad.placements
            if key not in {p.key for p in placements}
        ]
        if not placements:
            names = ", ".join(p.name for p in creative_specs.placements_for(platform))
            problems.append(f"{label}: choose where it runs ({names or 'no placement known'}).")
            continue
        problems += [
            f"{label}: {channel} needs {need}."
            for field, need in QA_NEEDS.get(platform, ())
            if not getattr(ad, field)
        ]
    return problems


@rule("ad_landing", "Each ad's landing page is https and tracked")
def check_ad_landing(ctx: Context) -> list[str]:
    """The URL each ad sends, checked as landing_https and utm_campaign check the ticket's."""
    problems = []
    for ad in ctx.ads:
        if not ad.landing_url:
            continue  # ad_complete says it needs one
        found = _https_problems(ad.landing_url) + _utm_campaign_problems(_utm(ctx, ad.landing_url))
        problems += [f"{_ad_label(ad)}: {problem}" for problem in found]
    return problems


@rule("ads_present", "The ticket makes ads", WARN)
def check_ads_present(ctx: Context) -> list[str]:
    """Asked of brands that keep a creative library: a workspace that does not traffic ads
    through OmniTraffick (no creatives) is not warned on every ticket."""
    if ctx.ticket.request_type is not RequestType.CREATE_CAMPAIGN or ctx.ads or not ctx.library:
        return []
    return [
        "This ticket has no ads: sending it makes only the campaign and its ad set / ad group, "
        f"which show nothing until ads are added. {ctx.ticket.campaign.brand.name}'s library "
        f"holds {len(ctx.library)} creative{'s' if len(ctx.library) != 1 else ''}; add ads on "
        "the ticket page."
    ]


def competing_create(ticket: Ticket, *, only_trafficked: bool = False) -> Ticket | None:
    """Another CREATE_CAMPAIGN ticket of this ticket's campaign and channel that holds the one
    object it makes on the platform: ready, being sent or trafficked (or only trafficked).

    One campaign is created once per platform; a second CREATE ticket would make a twin.
    """
    if ticket.request_type is not RequestType.CREATE_CAMPAIGN:
        return None
    for other in ticket.campaign.tickets:
        if (
            other.id == ticket.id
            or other.channel_id != ticket.channel_id
            or other.request_type is not RequestType.CREATE_CAMPAIGN
        ):
            continue
        if other.status is TicketStatus.TRAFFICKED_SUCCESS or (
            not only_trafficked
            and (other.status is TicketStatus.READY_FOR_API or other.sending_since is not None)
        ):
            return other
    return None


def describe_competitor(other: Ticket) -> str:
    """Why `other` blocks a second CREATE_CAMPAIGN ticket, and what to do instead."""
    platform = other.channel.platform_name
    if other.sending_since is not None:
        state = "is being sent"
    elif other.status is TicketStatus.TRAFFICKED_SUCCESS:
        state = f"created it (id {other.external_platform_id})"
    else:
        state = "is Ready for API"
    return (
        f"Another CREATE_CAMPAIGN ticket of this campaign on {platform} {state}; a campaign "
        f"is created once per platform. Change it with an UPDATE_BUDGET or UPDATE_STATUS "
        "ticket instead."
    )


def context_for(
    ticket: Ticket,
    created_object_id: str | None,
    today: date | None = None,
    now: datetime | None = None,
):
    """Gather what the rules need about a ticket and its campaign's other tickets.

    QA runs as of `now` (the app clock by default); `today` alone means 00:00 that day in the
    market's time zone.
    """
    zone = ZoneInfo(ticket.campaign.market.time_zone)
    if now is None:
        now = datetime.combine(today, time(0), zone) if today else clock.now()
    counted = (TicketStatus.READY_FOR_API, TicketStatus.TRAFFICKED_SUCCESS, TicketStatus.QA_TESTING)
    siblings = [
        other
        for other in ticket.campaign.tickets
        if other.id != ticket.id and other.request_type is RequestType.CREATE_CAMPAIGN
    ]
    create = next(
        (
            other
            for other in siblings
            if other.channel_id == ticket.channel_id
            and other.status is TicketStatus.TRAFFICKED_SUCCESS
        ),
        None,
    )
    return Context(
        ticket=ticket,
        settings=dict(ticket.payload_config or {}),
        currency=ticket.campaign.market.currency,
        today=now.astimezone(zone).date(),
        now=now,
        created_object_id=created_object_id,
        sibling_settings=tuple(
            dict(o.payload_config or {}) for o in siblings if o.status in counted
        ),
        create_settings=dict(create.payload_config or {}) if create else None,
        competitor=competing_create(ticket),
        **_ads_of(ticket),
    )


def _ads_of(ticket: Ticket) -> dict:
    """A CREATE ticket's ads and its brand's library, in a fixed number of queries however
    many ads and creatives: the ads with their creatives (unless loaded), and the library
    (once per brand in a session, see Brand.creatives)."""
    if ticket.request_type is not RequestType.CREATE_CAMPAIGN:
        return {}
    if "ads" in sa_inspect(ticket).unloaded:
        loaded = db.session.scalars(
            select(TicketAd)
            .where(TicketAd.ticket_id == ticket.id)
            .order_by(TicketAd.position)
            .options(selectinload(TicketAd.creative_links).joinedload(TicketAdCreative.creative))
        ).all()
        set_committed_value(ticket, "ads", loaded)
    adset_name, _ = naming.adset_name_for(ticket)
    return {
        "ads": ads.ad_inputs(ticket, adset_name),
        "library": tuple(ticket.campaign.brand.creatives),
    }


def run(ctx: Context) -> list[Finding]:
    """Every rule's finding, in registry order."""
    findings, reported = [], set()
    for r in RULES:
        # One problem, one line: a problem a rule found twice, or an earlier rule already
        # reported, is not listed again (the rule still fails, on its other problems or with
        # the first mention).
        problems = list(dict.fromkeys(r.check(ctx)))
        fresh = [problem for problem in problems if problem not in reported]
        problems = fresh or problems
        reported.update(problems)
        message = " ".join(problems) if problems else "OK"
        findings.append(Finding(r.code, r.title, r.severity, not problems, message))
    return findings


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f.passed and f.severity == BLOCK]


def summary(findings: list[Finding]) -> str:
    """One line for the history: how the run went."""
    failed = blocking(findings)
    warnings = [f for f in findings if not f.passed and f.severity == WARN]
    head = (
        f"Pre-flight QA: {sum(f.passed for f in findings)} of {len(findings)} rules passed"
        f"{f', {len(warnings)} warning' + ('s' if len(warnings) != 1 else '') if warnings else ''}."
    )
    if failed:
        return head + " Blocking: " + " ".join(f"[{f.rule}] {f.message}" for f in failed)
    return head
