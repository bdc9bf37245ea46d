"""Ticket settings: the structured platform settings stored in `payload_config`.

A DRAFT ticket may be incomplete, but every value it holds has the right type. What a
request type needs before it can reach a platform is listed by `missing_settings`.
"""

import enum
from datetime import date
from urllib.parse import urlsplit

from ..models import RequestType
from .countries import validate_country
from .currencies import parse_budget
from .errors import ValidationError


class Objective(enum.StrEnum):
    AWARENESS = "AWARENESS"
    REACH = "REACH"
    TRAFFIC = "TRAFFIC"
    ENGAGEMENT = "ENGAGEMENT"
    VIDEO_VIEWS = "VIDEO_VIEWS"
    LEADS = "LEADS"
    APP_INSTALLS = "APP_INSTALLS"
    CONVERSIONS = "CONVERSIONS"


class BudgetType(enum.StrEnum):
    DAILY = "DAILY"
    LIFETIME = "LIFETIME"


class DeliveryStatus(enum.StrEnum):
    """The status an object is created with, or set to by an UPDATE_STATUS ticket."""

    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"


class SpecialCategory(enum.StrEnum):
    """A special ad category a campaign declares (Meta's list, the longest of the three).

    https://developers.facebook.com/docs/marketing-api/audiences/special-ad-category and the
    campaign reference https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-group
    (FINANCIAL_PRODUCTS_SERVICES replaced CREDIT on 2025-01-14). Each translator maps these to
    its platform's own declaration or refuses one its platform cannot express.
    """

    HOUSING = "HOUSING"
    EMPLOYMENT = "EMPLOYMENT"
    FINANCIAL_PRODUCTS_SERVICES = "FINANCIAL_PRODUCTS_SERVICES"
    ISSUES_ELECTIONS_POLITICS = "ISSUES_ELECTIONS_POLITICS"
    ONLINE_GAMBLING_AND_GAMING = "ONLINE_GAMBLING_AND_GAMING"


# What forms call each category.
CATEGORY_LABELS = {
    SpecialCategory.HOUSING: "Housing",
    SpecialCategory.EMPLOYMENT: "Employment",
    SpecialCategory.FINANCIAL_PRODUCTS_SERVICES: "Financial products and services",
    SpecialCategory.ISSUES_ELECTIONS_POLITICS: "Issues, elections or politics",
    SpecialCategory.ONLINE_GAMBLING_AND_GAMING: "Online gambling and gaming",
}

# What each category covers, in one line, for the form.
CATEGORY_HELP = {
    SpecialCategory.HOUSING: "Selling or renting homes, mortgages, home insurance, housing offers.",
    SpecialCategory.EMPLOYMENT: "Job offers, internships, recruitment, job boards.",
    SpecialCategory.FINANCIAL_PRODUCTS_SERVICES: (
        "Credit cards, loans, banking, insurance, investments (includes credit)."
    ),
    SpecialCategory.ISSUES_ELECTIONS_POLITICS: (
        "Candidates, elections, referendums, ballot measures, social issues."
    ),
    SpecialCategory.ONLINE_GAMBLING_AND_GAMING: "Betting, casinos, lotteries and real-money games.",
}

# The settings each request type uses, in form order.
FIELDS = {
    RequestType.CREATE_CAMPAIGN: (
        "objective",
        "budget_type",
        "budget_amount",
        "flight_start",
        "flight_end",
        "landing_url",
        "initial_status",
        "special_ad_categories",
        "special_ad_category_countries",
    ),
    RequestType.UPDATE_BUDGET: ("budget_type", "budget_amount"),
    RequestType.UPDATE_STATUS: ("target_status",),
}
LABELS = {
    "objective": "Objective",
    "budget_type": "Budget type",
    "budget_amount": "Budget amount",
    "flight_start": "Flight start",
    "flight_end": "Flight end",
    "landing_url": "Landing URL",
    "initial_status": "Create as",
    "target_status": "Set status to",
    "special_ad_categories": "Special ad categories",
    "special_ad_category_countries": "Declared for countries",
}
ALL_FIELDS = tuple(LABELS)
# Settings whose value is a list; every other one is a single value.
LIST_FIELDS = ("special_ad_categories", "special_ad_category_countries")
# Settings a request may leave out for good: no declaration means none applies, and the
# declaration's countries default to the market's country.
OPTIONAL = ("flight_end", *LIST_FIELDS)


def _choice(value, enum_cls, field):
    try:
        return enum_cls(str(value).strip().upper()).value
    except ValueError:
        choices = ", ".join(m.value for m in enum_cls)
        raise ValidationError(f"{LABELS[field]} must be one of {choices}.", field) from None


def _date(value, field) -> str:
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(f"{LABELS[field]} must be a date like 2026-03-31.", field) from None


MAX_URL_LENGTH = 2000


def _url(value, field) -> str:
    text = str(value).strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. "http://[" — a malformed IPv6 host
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise ValidationError(
            "Landing URL must be a full web address, e.g. https://example.com/page.", field
        )
    if len(text) > MAX_URL_LENGTH:
        raise ValidationError(f"Landing URL must be at most {MAX_URL_LENGTH:,} characters.", field)
    return text


def _items(value, field) -> list[str]:
    """A list setting from a list of strings or one comma-separated string."""
    items = value if isinstance(value, list) else str(value).split(",")
    if not all(isinstance(item, str) for item in items):
        raise ValidationError(f"{LABELS[field]} must be a list of strings.", field)
    return [item.strip() for item in items if item.strip()]


def special_ad_categories(value, field) -> list[str]:
    """Special ad categories from a list or a comma-separated string, in the standard order."""
    chosen = {_choice(item, SpecialCategory, field) for item in _items(value, field)}
    return [c.value for c in SpecialCategory if c.value in chosen]


def _countries(value, field) -> list[str]:
    codes = []
    for item in _items(value, field):
        try:
            code = validate_country(item, field)
        except ValidationError as err:
            raise ValidationError(f"{LABELS[field]}: {err.message}", field) from None
        if code not in codes:
            codes.append(code)
    return codes


def clean_settings(request_type: RequestType, raw: dict, currency: str) -> dict:
    """Check the types of the settings a request type uses; blanks are left out.

    Every problem is reported at once, one message per field.
    """
    if not isinstance(raw, dict):
        raise ValidationError("Settings must be an object of named values.", "payload_config")
    unknown = sorted(set(raw) - set(ALL_FIELDS))
    if unknown:
        raise ValidationError(
            f"Unknown settings: {', '.join(unknown)}. Known: {', '.join(ALL_FIELDS)}.",
            "payload_config",
        )
    parsers = {
        "objective": lambda v, f: _choice(v, Objective, f),
        "budget_type": lambda v, f: _choice(v, BudgetType, f),
        "budget_amount": lambda v, f: str(parse_budget(v, currency, f)),
        "flight_start": _date,
        "flight_end": _date,
        "landing_url": _url,
        "initial_status": lambda v, f: _choice(v, DeliveryStatus, f),
        "target_status": lambda v, f: _choice(v, DeliveryStatus, f),
        "special_ad_categories": special_ad_categories,
        "special_ad_category_countries": _countries,
    }
    cleaned, errors = {}, {}
    used = FIELDS[request_type]
    # Every known setting present is type-checked; only the request type's own are kept.
    for field in [f for f in ALL_FIELDS if f in raw]:
        value = raw.get(field)
        if value is None or (isinstance(value, str | list) and not value):
            continue
        if isinstance(value, str) and not value.strip():
            continue
        listed = field in LIST_FIELDS and isinstance(value, list)
        if not listed and (not isinstance(value, str | int | float) or isinstance(value, bool)):
            errors[field] = [f"{LABELS[field]} has the wrong type."]
            continue
        try:
            parsed = parsers[field](value, field)
        except ValidationError as err:
            errors[field] = [err.message]
            continue
        if field in used and parsed != []:
            cleaned[field] = parsed
    if errors:
        message = " ".join(m for ms in errors.values() for m in ms)
        raise ValidationError(message, errors=errors)
    if request_type is RequestType.CREATE_CAMPAIGN:
        cleaned.setdefault("initial_status", DeliveryStatus.PAUSED.value)
    return cleaned


def missing_settings(request_type: RequestType, settings: dict) -> list[str]:
    """Labels of the settings a request type needs and the ticket does not have yet."""
    needed = [f for f in FIELDS[request_type] if f not in OPTIONAL]
    if request_type is RequestType.CREATE_CAMPAIGN and settings.get("budget_type") == "LIFETIME":
        needed.append("flight_end")
    return [LABELS[f] for f in needed if f not in settings]
