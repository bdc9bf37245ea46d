"""Countries: ISO 3166-1 from pycountry, their names from CLDR (babel).

A market's country is stored as its ISO 3166-1 alpha-2 code. People may type the code, the
alpha-3 code or the English name; what is stored is always the two-letter code.
"""

from functools import cache, lru_cache

import pycountry
from babel import Locale

from .errors import ValidationError

EXAMPLES = "a two-letter ISO 3166-1 code such as US, DE or JP"


@cache
def _codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_country(code: str | None) -> bool:
    return bool(code) and code in _codes()


def validate_country(value: str | None, field: str = "country") -> str:
    """Return the ISO 3166-1 alpha-2 code for a code or an English country name, or raise."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"Country is required ({EXAMPLES}).", field)
    if text.upper() in _codes():
        return text.upper()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        raise ValidationError(
            f"{text[:60]!r} is not an ISO 3166-1 country: use {EXAMPLES}.", field
        ) from None


@lru_cache(maxsize=4096)
def country_name(code: str, locale: str = "en") -> str:
    """The country's name in the locale ("Hungary"); the code itself when it is no country.

    Cached: CLDR's names do not change while the app runs, and a board asks for one per card.
    """
    if not is_country(code):
        return code
    return Locale.parse(locale).territories.get(code) or pycountry.countries.get(alpha_2=code).name


def numeric_code(code: str) -> int:
    """The ISO 3166-1 numeric code: 348 for HU."""
    return int(pycountry.countries.get(alpha_2=code).numeric)


@cache
def country_choices(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """Every country as (code, "Name (CODE)"), sorted by name, for a select."""
    rows = ((code, country_name(code, locale)) for code in _codes())
    return tuple(
        (code, f"{name} ({code})") for code, name in sorted(rows, key=lambda r: r[1].casefold())
    )


def codes_matching(text: str, locale: str = "en") -> list[str]:
    """The codes of the countries whose name contains `text` (for searching lists by name)."""
    needle = text.strip().casefold()
    if not needle:
        return []
    return [code for code in _codes() if needle in country_name(code, locale).casefold()]
