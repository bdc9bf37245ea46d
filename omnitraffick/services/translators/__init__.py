"""Platform translators: a ticket becomes the exact requests a platform's API expects.

    data = input_for(ticket, created_object_id)   # plain data; the only place a ticket is read
    translation = translate(ticket.channel.api_identifier, data)   # or TranslationError
    for request in translation.requests: ...      # send in order, filling the placeholders

Each translator maps the standard settings (services/settings.py) through explicit tables and
reports every problem at once in a TranslationError (a ValidationError, HTTP 422).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .. import clock
from ..countries import is_country
from ..errors import ValidationError
from .base import (
    API_HOSTS,
    API_VERSIONS,
    AdInput,
    PlatformRequest,
    PlatformTranslator,
    Translation,
    TranslationError,
    TranslationInput,
)
from .google_ads import GoogleAdsTranslator
from .meta import MetaTranslator
from .tiktok import TikTokTranslator

if TYPE_CHECKING:
    from ...models import Ticket

__all__ = [
    "API_HOSTS",
    "API_VERSIONS",
    "TRANSLATORS",
    "GoogleAdsTranslator",
    "MetaTranslator",
    "PlatformRequest",
    "PlatformTranslator",
    "TikTokTranslator",
    "Translation",
    "TranslationError",
    "TranslationInput",
    "input_for",
    "translate",
    "translator_for",
]

# The translators by channel code (Channel.api_identifier).
TRANSLATORS: dict[str, PlatformTranslator] = {
    translator.channel_code: translator
    for translator in (MetaTranslator(), TikTokTranslator(), GoogleAdsTranslator())
}


def translator_for(channel_code: str | None) -> PlatformTranslator | None:
    """The translator for a channel code such as META; None when there is none."""
    return TRANSLATORS.get((channel_code or "").strip().upper())


def translate(channel_code: str | None, data: TranslationInput) -> Translation:
    """Translate for a channel; an unknown channel is a TranslationError like any other."""
    translator = translator_for(channel_code)
    if translator is None:
        known = ", ".join(TRANSLATORS)
        raise TranslationError(
            channel_code or "unknown",
            [f"No platform translator exists for the channel {channel_code!r} (known: {known})."],
        )
    return translator.translate(data)


def input_for(
    ticket: Ticket,
    created_object_id: str | None,
    now: datetime | None = None,
    adset_name: str | None = None,
    adset_problem: str | None = None,
    landing_url: str | None = None,
    ads: tuple[AdInput, ...] = (),
) -> TranslationInput:
    """The plain data a translator needs about a ticket, as of `now` (the app clock).

    `created_object_id` is, for UPDATE_* tickets, the external_platform_id of the trafficked
    CREATE_CAMPAIGN ticket of the same campaign and channel (None when there is none); the
    caller looks it up, so that translators never query the database. So does the ad set /
    ad group name (services/naming.py `adset_name_for`; None sends the platform name) and the
    landing URL with its UTM parameters (services/utm.py `landing_url_for`; None sends the
    settings' own), and a CREATE_CAMPAIGN ticket's ads (services/ads.py `ad_inputs`).
    Requests are built when they are shown and again when they are sent, each time as of
    that moment.
    """
    market = ticket.campaign.market
    try:
        name: str | None = ticket.platform_name
    except ValidationError:
        name = None  # reported by the translator as a problem
    return TranslationInput(
        platform_name=name,
        request_type=ticket.request_type,
        settings=dict(ticket.payload_config or {}),
        currency=market.currency,
        country=market.country if is_country(market.country) else None,
        created_object_id=created_object_id,
        time_zone=market.time_zone,
        now=now or clock.now(),
        adset_name=adset_name,
        adset_problem=adset_problem,
        landing_url=landing_url,
        ads=ads,
    )
