"""Reference data: markets, brands and channels."""

import uuid
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Brand, Campaign, Channel, Creative, Market, Ticket
from . import settings, stamps, taxonomy, team, timezones, utm
from .countries import validate_country
from .currencies import parse_budget, validate_currency
from .errors import Conflict, Duplicate, NotFound, ValidationError


def _text(value: str | None, label: str, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"{label} is required.", field)
    if len(text) > max_length:
        raise ValidationError(f"{label} must be at most {max_length} characters.", field)
    return text


def _ensure_unique(column, value: str, current_id: uuid.UUID | None, message: str, field: str):
    """Refuse a value another row already holds (compared ignoring case)."""
    stmt = select(column.class_.id).where(func.lower(column) == value.lower())
    if current_id is not None:
        stmt = stmt.where(column.class_.id != current_id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise Duplicate(message, field)


def _insert(row, duplicate_message: str, field: str):
    """Add a row; a unique value taken by a concurrent request is a Duplicate, not a crash."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise Duplicate(duplicate_message, field) from None
    return row


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def get_or_404(model, id_: uuid.UUID | str):
    """Load a row by id or raise NotFound."""
    try:
        key = id_ if isinstance(id_, uuid.UUID) else uuid.UUID(str(id_))
    except ValueError:
        raise NotFound(f"No {model.__name__.lower()} with id {id_!r}.") from None
    row = db.session.get(model, key)
    if row is None:
        raise NotFound(f"No {model.__name__.lower()} with id {id_}.")
    return row


def _referenced_id(id_, field: str, label: str) -> uuid.UUID:
    if not id_:
        raise ValidationError(f"Choose a {label}.", field)
    if isinstance(id_, uuid.UUID):
        return id_
    try:
        return uuid.UUID(str(id_))
    except ValueError:
        raise ValidationError(
            f"{label.capitalize()} id {str(id_)[:50]!r} is not valid.", field
        ) from None


def load_referenced(model, id_, field: str, label: str):
    """Load the row an id in the input points at; no such row is a 422 naming the field."""
    id_ = _referenced_id(id_, field, label)
    row = db.session.get(model, id_)
    if row is None:
        raise ValidationError(f"{label.capitalize()} {id_} does not exist.", field)
    return row


class BrandCode(NamedTuple):
    id: uuid.UUID
    internal_code: str


class MarketCode(NamedTuple):
    id: uuid.UUID
    code: str
    currency: str


_CODES = {
    Brand: lambda: select(Brand.id, Brand.internal_code),
    Market: lambda: select(Market.id, Market.code, Market.currency),
}
_CODE_ROWS = {Brand: BrandCode, Market: MarketCode}


def referenced_codes(model, id_, field: str, label: str) -> BrandCode | MarketCode:
    """What a name takes from the brand or market an id in the input points at, from this
    process's copy of them (services/stamps.py); no such row is a 422 naming the field, as
    `load_referenced` says it."""
    id_ = _referenced_id(id_, field, label)

    def load():
        return {row.id: _CODE_ROWS[model](*row) for row in db.session.execute(_CODES[model]())}

    found = stamps.reference(("codes", model.__tablename__), load).get(id_)
    if found is None:
        raise ValidationError(f"{label.capitalize()} {id_} does not exist.", field)
    return found


# --- markets ---------------------------------------------------------------------------------


def _market_values(code, country, region, currency, current: Market | None) -> dict:
    code = taxonomy.normalize_code(code, "Market code", "code")
    _ensure_unique(
        Market.code, code, current and current.id, f"Market code {code} already exists.", "code"
    )
    if current is not None and code != current.code:
        used = _count(select(Campaign.id).where(Campaign.market_id == current.id))
        _refuse_code_change(used, "campaign", "Market code", current.code, "code")
    return {
        "code": code,
        "country": validate_country(country),
        "region": _text(region, "Region", "region", 100),
        "currency": validate_currency(currency),
    }


def _market_zone(time_zone: str | None, country: str, current: Market | None) -> str:
    """The market's IANA zone.

    A blank choice (the form) is the country's only zone, or a request to choose one. Left out
    altogether (None: an API client or script written before markets had zones), a new market
    gets its country's suggested zone, and a changed market keeps its zone while the zone
    belongs to the country, else gets the new country's suggested zone.
    """
    if time_zone is None or (current is not None and time_zone == current.time_zone):
        if current is not None and current.time_zone in (timezones.zones_for(country) or ()):
            return current.time_zone
        return timezones.suggested_zone(country) or "UTC"
    return timezones.validate_time_zone(time_zone, country)


def create_market(
    *, code: str, country: str, region: str, currency: str, time_zone: str | None = None
) -> Market:
    """Create a market."""
    values = _market_values(code, country, region, currency, None)
    values["time_zone"] = _market_zone(time_zone, values["country"], None)
    return _insert(Market(**values), f"Market code {values['code']} already exists.", "code")


def update_market(
    market: Market,
    *,
    code: str,
    country: str,
    region: str,
    currency: str,
    time_zone: str | None = None,
):
    """Change a market."""
    values = _market_values(code, country, region, currency, market)
    values["time_zone"] = _market_zone(time_zone, values["country"], market)
    if values["currency"] != market.currency:
        used = _count(select(Campaign.id).where(Campaign.market_id == market.id))
        if used:
            raise Conflict(
                f"Currency cannot change: {_plural(used, 'campaign')} budget in {market.currency}.",
                "currency",
            )
    for key, value in values.items():
        setattr(market, key, value)
    db.session.flush()
    return market


def delete_market(market: Market) -> None:
    """Delete a market that no campaign uses."""
    used = _count(select(Campaign.id).where(Campaign.market_id == market.id))
    if used:
        raise Conflict(
            f"Market {market.code} is used by {_plural(used, 'campaign')}; nothing was deleted."
        )
    db.session.delete(market)
    db.session.flush()


# --- brands ----------------------------------------------------------------------------------


def _brand_values(name, internal_code, current: Brand | None) -> dict:
    name = _text(name, "Name", "name", 120)
    code = taxonomy.normalize_code(internal_code, "Internal code", "internal_code")
    current_id = current and current.id
    _ensure_unique(Brand.name, name, current_id, f"A brand named {name!r} already exists.", "name")
    _ensure_unique(
        Brand.internal_code,
        code,
        current_id,
        f"Brand code {code} already exists.",
        "internal_code",
    )
    if current is not None and code != current.internal_code:
        used = _count(select(Campaign.id).where(Campaign.brand_id == current.id))
        _refuse_code_change(
            used, "campaign", "Internal code", current.internal_code, "internal_code"
        )
    return {"name": name, "internal_code": code}


def _ceilings(daily, lifetime, currency) -> dict:
    """Budget ceilings for pre-flight QA: optional, in one currency, with its precision."""
    blank = [v is None or (isinstance(v, str) and not v.strip()) for v in (daily, lifetime)]
    if all(blank):
        return {
            "daily_budget_ceiling": None,
            "lifetime_budget_ceiling": None,
            "ceiling_currency": None,
        }
    code = validate_currency(currency, "ceiling_currency")
    errors, values = {}, {"ceiling_currency": code}
    for field, value, empty in (
        ("daily_budget_ceiling", daily, blank[0]),
        ("lifetime_budget_ceiling", lifetime, blank[1]),
    ):
        try:
            values[field] = None if empty else parse_budget(value, code, field)
        except ValidationError as err:
            errors[field] = [err.message]
    if errors:
        raise ValidationError(" ".join(m for ms in errors.values() for m in ms), errors=errors)
    return values


def _default_categories(value) -> list[str] | None:
    """A brand's default special ad categories, checked like a ticket's; None for none."""
    if value is None or value == "" or value == []:
        return None
    return settings.special_ad_categories(value, "special_ad_categories") or None


def create_brand(
    *,
    name: str,
    internal_code: str,
    daily_budget_ceiling=None,
    lifetime_budget_ceiling=None,
    ceiling_currency=None,
    special_ad_categories=None,
) -> Brand:
    """Create a brand."""
    values = _brand_values(name, internal_code, None) | _ceilings(
        daily_budget_ceiling, lifetime_budget_ceiling, ceiling_currency
    )
    values["special_ad_categories"] = _default_categories(special_ad_categories)
    return _insert(Brand(**values), "That brand name or code was just taken.", "name")


def update_brand(
    brand: Brand,
    *,
    name: str,
    internal_code: str,
    daily_budget_ceiling=None,
    lifetime_budget_ceiling=None,
    ceiling_currency=None,
    special_ad_categories=None,
) -> Brand:
    """Change a brand."""
    values = _brand_values(name, internal_code, brand) | _ceilings(
        daily_budget_ceiling, lifetime_budget_ceiling, ceiling_currency
    )
    if special_ad_categories is not None:  # None (the API, which does not set it) keeps them
        values["special_ad_categories"] = _default_categories(special_ad_categories)
    for key, value in values.items():
        setattr(brand, key, value)
    db.session.flush()
    return brand


def delete_brand(brand: Brand) -> None:
    """Delete a brand that no campaign uses."""
    used = _count(select(Campaign.id).where(Campaign.brand_id == brand.id))
    if used:
        raise Conflict(
            f"Brand {brand.name} is used by {_plural(used, 'campaign')}; nothing was deleted."
        )
    # Its creatives' files would be left behind on disk: they are deleted one by one first.
    kept = _count(select(Creative.id).where(Creative.brand_id == brand.id))
    if kept:
        raise Conflict(
            f"Brand {brand.name} has {_plural(kept, 'creative')} in its library; delete "
            "them first. Nothing was deleted."
        )
    db.session.delete(brand)
    db.session.flush()


# --- channels --------------------------------------------------------------------------------


def _channel_values(platform_name, api_identifier, lead_days, current: Channel | None) -> dict:
    code = taxonomy.normalize_code(api_identifier, "API identifier", "api_identifier")
    if code == taxonomy.MULTI_CHANNEL:
        raise ValidationError(
            f"{code} is reserved for multi-channel campaign names.", "api_identifier"
        )
    _ensure_unique(
        Channel.api_identifier,
        code,
        current and current.id,
        f"Channel code {code} already exists.",
        "api_identifier",
    )
    if current is not None and code != current.api_identifier:
        used = _count(select(Ticket.id).where(Ticket.channel_id == current.id))
        _refuse_code_change(
            used, "ticket", "API identifier", current.api_identifier, "api_identifier"
        )
    return {
        "platform_name": _text(platform_name, "Platform name", "platform_name", 100),
        "api_identifier": code,
        "lead_days": team.parse_lead_days(lead_days),
    }


def create_channel(
    *, platform_name: str, api_identifier: str, lead_days=None, **utm_fields
) -> Channel:
    """Create a channel; `lead_days`: how long before a flight starts its tickets are due.

    `utm_fields` (utm_source, utm_medium, utm_extra, utm_content_adset, utm_lowercase_names)
    are its UTM mapping, when given (the channel form; the API leaves them out).
    """
    values = _channel_values(platform_name, api_identifier, lead_days, None)
    mapping = _utm_mapping(utm_fields)
    message = f"Channel code {values['api_identifier']} already exists."
    channel = _insert(Channel(**values), message, "api_identifier")
    if utm_fields:
        utm.save_mapping(channel, mapping)
        db.session.flush()
    return channel


def update_channel(
    channel: Channel, *, platform_name: str, api_identifier: str, lead_days=None, **utm_fields
) -> Channel:
    """Change a channel (a new lead time applies to tickets opened from now on)."""
    values = _channel_values(platform_name, api_identifier, lead_days, channel)
    mapping = _utm_mapping(utm_fields)
    for key, value in values.items():
        setattr(channel, key, value)
    if utm_fields:
        utm.save_mapping(channel, mapping)
    db.session.flush()
    return channel


UTM_FIELDS = ("utm_source", "utm_medium", "utm_extra", "utm_content_adset", "utm_lowercase_names")


def _utm_mapping(fields: dict) -> utm.UtmSettings | None:
    unknown = set(fields) - set(UTM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown channel fields: {', '.join(sorted(unknown))}")
    return utm.clean_mapping(
        fields.get("utm_source"),
        fields.get("utm_medium"),
        fields.get("utm_extra"),
        fields.get("utm_content_adset", True),
        fields.get("utm_lowercase_names", False),
    )


def utm_fields(channel: Channel) -> dict:
    """A channel's UTM mapping as the channel form holds it."""
    mapping = utm.mapping_for(channel.id)
    if mapping is None:
        return {"utm_content_adset": True}
    return {
        "utm_source": mapping.source,
        "utm_medium": mapping.medium,
        "utm_extra": utm.extra_text(mapping.extra),
        "utm_content_adset": mapping.content_from_adset,
        "utm_lowercase_names": mapping.lowercase_names,
    }


def delete_channel(channel: Channel) -> None:
    """Delete a channel that no ticket uses."""
    used = _count(select(Ticket.id).where(Ticket.channel_id == channel.id))
    if used:
        raise Conflict(
            f"Channel {channel.api_identifier} is used by {_plural(used, 'ticket')}; "
            "nothing was deleted."
        )
    db.session.delete(channel)
    db.session.flush()


def _refuse_code_change(used: int, noun: str, label: str, old_code: str, field: str) -> None:
    """Codes are part of generated names, which never change: lock a code once it is used."""
    if used:
        raise Conflict(
            f"{label} {old_code} is part of the names of {_plural(used, noun)} and cannot change.",
            field,
        )
