"""Demo data: a realistic, idempotent data set, sized on demand for benchmarks."""

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from .extensions import db
from .models import (
    Brand,
    Campaign,
    CampaignStatus,
    Channel,
    Market,
    RequestType,
    Role,
    Ticket,
    TicketEvent,
    TicketStatus,
    User,
    utcnow,
)
from .services import platform_minimums, reference, taxonomy, translators, users
from .services.currencies import quantum
from .services.settings import BudgetType, Objective
from .services.translators import meta

DEMO_PASSWORD = "omnitraffick-demo"
DEMO_USERS = [
    ("admin@omnitraffick.test", "Avery Admin", Role.ADMIN),
    ("trafficker@omnitraffick.test", "Tess Trafficker", Role.TRAFFICKER),
    ("viewer@omnitraffick.test", "Vic Viewer", Role.VIEWER),
]
BRANDS = [
    ("Disney", "DIS"),
    ("Nike", "NIKE"),
    ("Coca-Cola", "COKE"),
    ("Dove", "DOVE"),
    ("Spotify", "SPOT"),
    ("L'Oréal Paris", "LOREAL"),
]
MARKETS = [
    ("US", "US", "NA", "USD"),
    ("CA", "CA", "NA", "CAD"),
    ("UK", "GB", "EMEA", "GBP"),
    ("DE", "DE", "EMEA", "EUR"),
    ("FR", "FR", "EMEA", "EUR"),
    ("JP", "JP", "APAC", "JPY"),
    ("AU", "AU", "APAC", "AUD"),
    ("BR", "BR", "LATAM", "BRL"),
]
CHANNELS = [("Meta", "META"), ("TikTok", "TIKTOK"), ("Google Ads", "GOOGLE")]
THEMES = [
    "MoanaLaunch",
    "SummerSale",
    "BackToSchool",
    "HolidayGifting",
    "BlackFriday",
    "SpringRefresh",
    "NewYearNewYou",
    "WorldCupHype",
    "ProductDrop",
    "BrandAwareness",
    "LoyaltyPush",
    "AppInstalls",
    "RetargetingQ4",
    "StoreOpening",
    "Valentines",
    "MothersDay",
    "FathersDay",
    "Halloween",
    "CyberMonday",
    "EndOfSeason",
    "LimitedEdition",
    "CreatorCollab",
    "PodcastLaunch",
    "FestivalSeason",
    "GameDay",
    "HolidayRecap",
    "WinterWarmers",
    "TrialOffer",
    "Relaunch",
    "ClearanceEvent",
]
YEARS = [2025, 2026, 2027]
# Budgets in whole units of each currency, scaled so they look plausible side by side.
BUDGET_SCALE = {"JPY": 150, "BRL": 5}
# How tickets spread over statuses, and the path each took to get there.
TICKET_PATHS = {
    TicketStatus.DRAFT: [],
    TicketStatus.QA_TESTING: [TicketStatus.QA_TESTING],
    TicketStatus.QA_FAILED: [TicketStatus.QA_TESTING, TicketStatus.QA_FAILED],
    TicketStatus.READY_FOR_API: [TicketStatus.QA_TESTING, TicketStatus.READY_FOR_API],
    TicketStatus.TRAFFICKED_SUCCESS: [
        TicketStatus.QA_TESTING,
        TicketStatus.READY_FOR_API,
        TicketStatus.TRAFFICKED_SUCCESS,
    ],
    TicketStatus.FAILED: [TicketStatus.QA_TESTING, TicketStatus.READY_FOR_API, TicketStatus.FAILED],
}
TICKET_STATUS_WEIGHTS = [30, 10, 10, 15, 30, 5]
CAMPAIGN_STATUS_WEIGHTS = [25, 45, 15, 15]
QA_REASONS = [
    "Landing URL is missing utm_campaign.",
    "Flight end is before flight start.",
    "Budget exceeds the brand's daily ceiling.",
]
PLATFORM_ERRORS = [
    "The ad account has reached its spending limit.",
    "The access token has expired; reconnect the channel.",
]


def _get_or_create(model, lookup: dict, create):
    row = db.session.scalar(select(model).filter_by(**lookup))
    return row if row is not None else create()


def seed_reference() -> tuple[list[Brand], list[Market], list[Channel], User]:
    """Create the demo users, brands, markets and channels that are missing."""
    people = [
        _get_or_create(
            User,
            {"email": email},
            lambda e=email, n=name, r=role: users.create_user(e, DEMO_PASSWORD, r, n),
        )
        for email, name, role in DEMO_USERS
    ]
    brands = [
        _get_or_create(
            Brand,
            {"internal_code": code},
            lambda n=name, c=code: reference.create_brand(name=n, internal_code=c),
        )
        for name, code in BRANDS
    ]
    markets = [
        _get_or_create(
            Market,
            {"code": code},
            lambda c=code, k=country, r=region, m=currency: reference.create_market(
                code=c, country=k, region=r, currency=m
            ),
        )
        for code, country, region, currency in MARKETS
    ]
    channels = [
        _get_or_create(
            Channel,
            {"api_identifier": code},
            lambda n=name, c=code: reference.create_channel(platform_name=n, api_identifier=c),
        )
        for name, code in CHANNELS
    ]
    return brands, markets, channels, people[1]


def _campaign_part(index: int) -> tuple[int, int, int, int, str]:
    """Spread campaign `index` over brands, markets, years and themes, uniquely.

    Each part cycles at its own length; their least common multiple (120) is how many
    distinct combinations a round holds, and later rounds add a "Wave" suffix.
    """
    wave = index // 120
    parts = (index % len(BRANDS), index % len(MARKETS), index % len(YEARS), wave)
    return *parts, THEMES[index % len(THEMES)] + (f"Wave{wave + 1}" if wave else "")


# Tickets in these statuses passed QA: their settings must translate, so they can be sent.
PAST_QA = (TicketStatus.READY_FOR_API, TicketStatus.TRAFFICKED_SUCCESS, TicketStatus.FAILED)


def _sendable_settings(
    rng: random.Random, market, budget: Decimal, name: str, channel_code: str
) -> dict:
    """Settings without mistakes that the channel's translator accepts."""
    for _ in range(50):
        settings = _settings(rng, market.currency, budget, name, channel_code, mistakes=False)
        data = translators.TranslationInput(
            platform_name=name,
            request_type=RequestType.CREATE_CAMPAIGN,
            settings=settings,
            currency=market.currency,
            country=market.country,
        )
        try:
            translators.translate(channel_code, data)
        except translators.TranslationError:
            continue
        return settings
    return settings


def _least(channel_code: str, currency: str, budget_type: str, days: int, objective: str):
    """At least the platform's documented minimum, so that a demo ticket can be sent.

    The sandbox's Meta ad account is in USD and judges the number sent (in the ticket
    currency's unit) against its USD minimum, so a Meta demo budget in any currency covers
    that number too.
    """
    kind = BudgetType(budget_type)
    if channel_code == "META":
        field = meta.minimum_field(Objective(objective))
        cents = meta.usd_minimum(field, "USD") * 100
        daily = cents / meta.CURRENCY_OFFSETS.get(currency, 100)
        return daily * days if kind is BudgetType.LIFETIME else daily
    least = platform_minimums.documented_minimum(
        channel_code, currency, kind, days, Objective(objective)
    )
    return least or Decimal(1)


def _settings(
    rng: random.Random,
    currency: str,
    budget: Decimal,
    name: str,
    channel_code: str,
    *,
    mistakes: bool = True,
) -> dict:
    """Complete, realistic settings for the channel's platform; about one ticket in six
    carries a deliberate mistake (unless `mistakes` is off), so QA has something to catch."""
    translator = translators.translator_for(channel_code)
    objectives = translator.supported_objectives() if translator else ("TRAFFIC",)
    start = date.today() + timedelta(days=rng.randint(3, 45))
    budget_type = rng.choice(["DAILY", "LIFETIME"])
    days = rng.randint(14, 60)
    share = Decimal(budget) / 4 / (days if budget_type == "DAILY" else 1)
    objective = rng.choice(objectives)
    settings = {
        "objective": objective,
        "budget_type": budget_type,
        "budget_amount": str(
            max(share, _least(channel_code, currency, budget_type, days, objective)).quantize(
                quantum(currency)
            )
        ),
        "flight_start": start.isoformat(),
        "flight_end": (start + timedelta(days=days - 1)).isoformat(),
        "landing_url": f"https://example.com/{name.rsplit('_', 1)[-1].lower()}"
        f"?utm_source=paid&utm_medium=social&utm_campaign={name}",
        "initial_status": "PAUSED",
    }
    mistake = rng.randrange(12) if mistakes else None
    if mistake == 0:
        settings["landing_url"] = settings["landing_url"].split("&utm_campaign")[0]
    elif mistake == 1:
        settings["landing_url"] = settings["landing_url"].replace("https://", "http://")
    elif mistake == 2 and budget_type == "LIFETIME":
        del settings["flight_end"]
    return settings


def seed_demo(n_campaigns: int, per_campaign: int) -> str:
    """Seed the demo data set; rows that already exist are left alone."""
    rng = random.Random(2026)
    brands, markets, channels, owner = seed_reference()
    existing = set(db.session.scalars(select(func.lower(Campaign.name))))
    now = utcnow()
    campaign_rows, ticket_rows, event_rows = [], [], []
    ticket_statuses = list(TICKET_PATHS)
    for i in range(n_campaigns):
        b, m, y, _wave, part = _campaign_part(i)
        brand, market, year = brands[b], markets[m], YEARS[y]
        name = taxonomy.build_name(
            brand.internal_code, market.code, taxonomy.MULTI_CHANNEL, part, year
        )
        if name.lower() in existing:
            continue
        scale = BUDGET_SCALE.get(market.currency, 1)
        budget = Decimal(rng.randrange(5_000, 250_000, 500) * scale).quantize(
            quantum(market.currency)
        )
        created = now - timedelta(days=rng.randint(1, 300), minutes=rng.randint(0, 1440))
        campaign_id = uuid.uuid4()
        campaign_rows.append(
            {
                "id": campaign_id,
                "name": name,
                "campaign_name": part,
                "brand_id": brand.id,
                "market_id": market.id,
                "year": year,
                "budget": budget,
                "status": rng.choices(list(CampaignStatus), CAMPAIGN_STATUS_WEIGHTS)[0],
                "created_by_id": owner.id,
                "created_at": created,
                "updated_at": created,
            }
        )
        for t in range(per_campaign):
            channel = channels[t % len(channels)]
            status = rng.choices(ticket_statuses, TICKET_STATUS_WEIGHTS)[0]
            platform = taxonomy.platform_name(name, channel.api_identifier)
            ticket_id = uuid.uuid4()
            moment = created + timedelta(hours=rng.randint(1, 48))
            events = [(None, TicketStatus.DRAFT, moment)]
            previous = TicketStatus.DRAFT
            for step in TICKET_PATHS[status]:
                moment += timedelta(hours=rng.randint(1, 72))
                events.append((previous, step, moment))
                previous = step
            ticket_rows.append(
                {
                    "id": ticket_id,
                    "campaign_id": campaign_id,
                    "channel_id": channel.id,
                    "request_type": RequestType.CREATE_CAMPAIGN
                    if t < len(channels)
                    else RequestType.UPDATE_BUDGET,
                    "payload_config": _sendable_settings(
                        rng, market, budget, platform, channel.api_identifier
                    )
                    if status in PAST_QA and t < len(channels)
                    else _settings(rng, market.currency, budget, platform, channel.api_identifier),
                    "status": status,
                    "external_platform_id": str(rng.randrange(10**14, 10**15))
                    if status is TicketStatus.TRAFFICKED_SUCCESS
                    else None,
                    "qa_failure_reason": rng.choice(QA_REASONS)
                    if status is TicketStatus.QA_FAILED
                    else None,
                    "version": len(events),
                    "status_changed_at": min(moment, now),
                    "created_by_id": owner.id,
                    "created_at": events[0][2],
                    "updated_at": min(moment, now),
                }
            )
            for from_status, to_status, at in events:
                reason = None
                if to_status is TicketStatus.QA_FAILED:
                    reason = ticket_rows[-1]["qa_failure_reason"]
                elif to_status is TicketStatus.FAILED:
                    reason = rng.choice(PLATFORM_ERRORS)
                event_rows.append(
                    {
                        "id": uuid.uuid4(),
                        "ticket_id": ticket_id,
                        "actor_id": owner.id,
                        "from_status": from_status,
                        "to_status": to_status,
                        "reason": reason,
                        "created_at": min(at, now),
                    }
                )
    for model, rows in (
        (Campaign, campaign_rows),
        (Ticket, ticket_rows),
        (TicketEvent, event_rows),
    ):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[start : start + 5000])
    return (
        f"Demo data ready: {len(campaign_rows)} new campaigns, {len(ticket_rows)} new tickets. "
        f"Sign in as {DEMO_USERS[0][0]} / {DEMO_PASSWORD}"
    )
