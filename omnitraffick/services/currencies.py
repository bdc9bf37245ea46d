"""ISO 4217 currencies in use today, and their minor units."""

from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale
from babel.numbers import get_currency_name, get_currency_precision, get_territory_currencies

from .errors import ValidationError

MAX_BUDGET = Decimal("999999999999999")


@cache
def active_currencies() -> frozenset[str]:
    """The ISO 4217 codes some territory uses as legal tender today."""
    codes: set[str] = set()
    for territory in Locale("en").territories:
        try:
            codes.update(get_territory_currencies(territory))
        except LookupError:
            # Babel names some territories (e.g. continents) that have no currency.
            continue
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


def currency_name(code: str) -> str:
    return get_currency_name(code, locale="en")


def minor_units(code: str) -> int:
    """Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD."""
    return get_currency_precision(code)


def quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(code))


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
