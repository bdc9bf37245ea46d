"""ISO 4217 currencies in use today, their minor units, and how amounts read.

Money is formatted in one place, `format_money`, with CLDR's rules for the reader's locale
(babel): `¥150,000` and `€2,300.25` in en_US, `2.300,25 €` in de_DE; never a decimal a
currency does not have. `amount_text` is the plain decimal machines read (API, CSV).
"""

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, get_territory_currencies

from .errors import ValidationError

MAX_BUDGET = Decimal("999999999999999")


@cache
def active_currencies() -> frozenset[str]:
    """The ISO 4217 codes some territory uses as legal tender today."""
    codes: set[str] = set()
    for territory in Locale("en").territories:
        # A territory with no currency of its own (a continent, "001") gives an empty list.
        codes.update(get_territory_currencies(territory))
    return frozenset(codes)


def validate_currency(value: str | None, field: str = "currency") -> str:
    """Return an upper-cased ISO 4217 code in use today, or raise."""
    code = (value or "").strip().upper()
    if not code:
        raise ValidationError("Currency is required (an ISO 4217 code such as USD).", field)
    if code not in active_currencies():
        raise ValidationError(
            f"{code!r} is not an ISO 4217 currency in use (e.g. USD, EUR, GBP, JPY).", field
        )
    return code


DEFAULT_LOCALE = "en_US"


def minor_units(code: str) -> int:
    """Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD."""
    return get_currency_precision(code)


def quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(code))


def rounded(amount, code: str) -> Decimal:
    """The amount with exactly the currency's decimals (banker's rounding)."""
    return Decimal(amount).quantize(quantum(code), rounding=ROUND_HALF_EVEN)


def amount_text(amount, code: str) -> str:
    """The amount as a plain decimal string with the currency's decimals: "2300.25"."""
    return str(rounded(amount, code))


@cache
def _locale(identifier: str) -> Locale:
    try:
        return Locale.parse(identifier)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LOCALE)


def format_money(amount, code: str, locale: str = DEFAULT_LOCALE) -> str:
    """The amount as a reader in `locale` writes it: "¥150,000", "€2,300.25"."""
    return format_currency(rounded(amount, code), code, locale=_locale(locale))


def parse_budget(value, currency: str, field: str = "budget") -> Decimal:
    """A non-negative amount with no more decimals than the currency has."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError("Budget is required (0 is allowed).", field)
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError("Budget must be a number, e.g. 1500.00.", field)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(
            f"Budget must be a number, e.g. 1500.00 (got {str(value)[:40]!r}).", field
        ) from None
    if not amount.is_finite():
        raise ValidationError("Budget must be a number, e.g. 1500.00.", field)
    if amount < 0:
        raise ValidationError("Budget cannot be negative.", field)
    if amount > MAX_BUDGET:
        raise ValidationError(f"Budget must be at most {MAX_BUDGET:,}.", field)
    digits = minor_units(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        allowed = "no decimals" if digits == 0 else f"at most {digits} decimals"
        raise ValidationError(f"Budgets in {currency} take {allowed}.", field)
    # "-0" is zero; never hand back a negative zero.
    return abs(amount.quantize(Decimal(1).scaleb(-digits)))
