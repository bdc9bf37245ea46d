"""The ISO 3166-1 alpha-2 country of a market, from its country name or its code.

Markets carry a free-text country name ("United Kingdom") and a short taxonomy code ("UK").
All three platforms target countries by ISO code (Meta directly; TikTok and Google through
their own location ids, mapped from the ISO code in their modules).
"""

import re
from functools import cache

from babel import Locale

# Two-letter CLDR territories that are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
# Common names and codes that differ from the ISO 3166 ones.
ALIASES = {
    "UK": "GB",
    "GREAT BRITAIN": "GB",
    "ENGLAND": "GB",
    "USA": "US",
    "US": "US",
    "UNITED STATES OF AMERICA": "US",
    "AMERICA": "US",
    "KOREA": "KR",
    "REPUBLIC OF KOREA": "KR",
    "UAE": "AE",
    "HOLLAND": "NL",
    "THE NETHERLANDS": "NL",
    "CZECH REPUBLIC": "CZ",
    "TURKEY": "TR",
}
# The European Union member states, plus its outermost regions that have their own ISO code.
# Ads that reach them fall under the Digital Services Act.
EU_COUNTRIES = frozenset(
    ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU")
    + ("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
    + ("GF", "GP", "MQ", "RE", "YT", "MF")
)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(".", "")).strip().upper()


@cache
def _countries() -> dict[str, str]:
    """English country names (upper-cased) to ISO codes, from CLDR."""
    names = {}
    for code, name in Locale("en").territories.items():
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
            names[_key(name)] = code
    return names


def _is_country(code: str) -> bool:
    return code in _countries().values()


def country_code(market_code: str | None, country_name: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code for a market; None when neither field names a country.

    The country name wins over the code, since market codes are taxonomy codes of the
    team's choosing; "UK" (a market code and a common name) means GB.
    """
    for text in (country_name, market_code):
        key = _key(text or "")
        if not key:
            continue
        if key in ALIASES:
            return ALIASES[key]
        if key in _countries():
            return _countries()[key]
        if len(key) == 2 and _is_country(key):
            return key
    return None
