"""Jinja filters and globals: money, dates, URLs that keep the list's arguments."""

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel.numbers import get_currency_symbol
from flask import Flask, request, url_for

from .services.countries import country_name
from .services.currencies import minor_units
from .services.tickets import label


@cache
def _currency_format(currency: str) -> tuple[str, int]:
    return get_currency_symbol(currency, locale="en_US"), minor_units(currency)


def money(amount: Decimal | str | None, currency: str) -> str:
    """Format an amount with its currency's symbol and minor units (no cents for JPY)."""
    if amount is None or amount == "":
        return ""
    symbol, digits = _currency_format(currency)
    value = Decimal(amount).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    return f"{symbol}{value:,.{digits}f}"


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def ago(value: datetime | None) -> str:
    """How long ago, briefly: 45s, 12m, 5h, 3d."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    seconds = max(0, int((datetime.now(UTC) - value).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    args.update(changes)
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["ago"] = ago
    app.jinja_env.filters["status_label"] = label
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
