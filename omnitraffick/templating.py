"""Jinja filters and globals: money, dates, URLs that keep the list's arguments."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from babel.localedata import locale_identifiers
from flask import Flask, has_request_context, request, url_for
from markupsafe import Markup, escape

from .services.countries import country_name
from .services.currencies import DEFAULT_LOCALE, format_money
from .services.labels import human
from .services.media import duration_text, megabytes
from .services.tickets import label


def money(amount: Decimal | str | None, currency: str) -> str:
    """An amount in the reader's locale, with its currency's sign and decimals."""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency, reader_locale())


def reader_locale() -> str:
    """The best of the browser's languages that CLDR knows (en_US without one)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    environ = request.environ  # worked out once per request, not once per amount
    if "omnitraffick.locale" not in environ:
        best = request.accept_languages.best_match(KNOWN_LOCALES, DEFAULT_LOCALE)
        environ["omnitraffick.locale"] = best
    return environ["omnitraffick.locale"]


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


AGO_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def _ago_seconds(value: datetime, now: datetime | None) -> tuple[datetime, int]:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value, max(0, int(((now or datetime.now(UTC)) - value).total_seconds()))


def ago(value: datetime | None) -> str:
    """How long ago, briefly: 45s, 12m, 5h, 3d."""
    if value is None:
        return ""
    _value, seconds = _ago_seconds(value, None)
    unit, size = next((u, n) for u, n in AGO_UNITS if seconds >= n or n == 1)
    return f"{seconds // size}{unit}"


def ago_changes_at(value: datetime, now: datetime) -> datetime:
    """The moment `ago(value)`, as read at `now`, next reads differently (a board's cache of
    its cards is good until then)."""
    value, seconds = _ago_seconds(value, now)
    size = next(n for _u, n in AGO_UNITS if seconds >= n or n == 1)
    return value + timedelta(seconds=(seconds // size + 1) * size)


KNOWN_LOCALES = sorted(locale_identifiers())


def breakable(name: str | None) -> Markup:
    """A taxonomy name that wraps only at its separators, never inside a word."""
    return Markup("_<wbr>").join(escape(name or "").split("_"))


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    args.update(changes)
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def json_text(value) -> str:
    """JSON to read in a <pre>: indented, with & and non-ASCII as they are (Jinja escapes it)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def field_errors(form) -> list[tuple[str, str, str, bool]]:
    """Every field error of a form, nested fields included, in the order the fields show:
    (field id, label, message, whether the field can take the focus) for its error summary."""
    found: list[tuple[str, str, str, bool]] = []

    def walk(field) -> None:
        if hasattr(field, "entries"):  # FieldList
            for entry in field.entries:
                walk(entry)
        elif hasattr(field, "form") and hasattr(field.form, "_fields"):  # FormField
            for sub in field:
                walk(sub)
        else:
            visible = field.type not in ("HiddenField", "CSRFTokenField")
            label = field.label.text if field.label else field.name
            for message in field.errors:
                found.append((field.id, label, str(message), visible))

    for field in form:
        walk(field)
    return found


def init_app(app: Flask) -> None:
    app.jinja_env.filters["json_text"] = json_text
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["field_errors"] = field_errors
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["ago"] = ago
    app.jinja_env.filters["status_label"] = label
    app.jinja_env.filters["label"] = human
    app.jinja_env.filters["breakable"] = breakable
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["filesize"] = megabytes
    app.jinja_env.filters["seconds"] = duration_text
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
