"""Platform translators: golden requests written from the platforms' official references. Helpers
shared by the files of this folder.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from omnitraffick.models import RequestType
from omnitraffick.services.errors import ValidationError
from omnitraffick.services.translators import (
    TranslationError,
    TranslationInput,
    translate,
    translator_for,
)
from omnitraffick.services.translators.base import AdFile, AdInput

NAME = "DIS_US_{}_2026_MoanaLaunch"


CREATE = RequestType.CREATE_CAMPAIGN


UPDATE_BUDGET = RequestType.UPDATE_BUDGET


UPDATE_STATUS = RequestType.UPDATE_STATUS


def settings(**overrides):
    """Complete CREATE_CAMPAIGN settings: a daily USD traffic campaign for March 2026."""
    values = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "1500.50",
        "flight_start": "2026-03-01",
        "flight_end": "2026-03-31",
        "landing_url": "https://www.disney.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch",
        "initial_status": "PAUSED",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def ticket(channel="META", request_type=CREATE, currency="USD", country="US", **kwargs):
    return TranslationInput(
        platform_name=kwargs.pop("platform_name", NAME.format(channel)),
        request_type=request_type,
        settings=kwargs.pop("settings", settings()),
        currency=currency,
        country=country,
        created_object_id=kwargs.pop("created_object_id", None),
    )


def requests_of(translation):
    return [(r.method, r.path, r.body) for r in translation.requests]


def problems_of(channel, data):
    with pytest.raises(TranslationError) as caught:
        translate(channel, data)
    return caught.value.problems


# Meta's own currency table, as its reference page lists it: offset 1 means budgets are whole
# units, 100 means hundredths. It is checked against this copy, not against CLDR's digits,
# which move with babel releases (CLDR 48 gave HUF 0 digits where ISO 4217 gives it 2).
# https://developers.facebook.com/docs/marketing-api/currencies
META_OFFSETS_FROM_THE_REFERENCE = {
    "CLP": 1, "COP": 1, "CRC": 1, "HUF": 1, "IDR": 1, "ISK": 1, "JPY": 1, "KRW": 1,
    "PYG": 1, "TWD": 1, "VND": 1, "BHD": 100, "EUR": 100, "USD": 100, "GBP": 100,
}  # fmt: skip


class _Ticket:
    """Just the attributes input_for reads, so no database is needed."""

    def __init__(self, name_error=False):
        self.request_type = UPDATE_BUDGET
        self.payload_config = {"budget_type": "DAILY", "budget_amount": "10.00"}
        market = SimpleNamespace(code="UK", country="GB", currency="GBP", time_zone="Europe/London")
        self.campaign = SimpleNamespace(market=market)
        self._name_error = name_error

    @property
    def platform_name(self):
        if self._name_error:
            raise ValidationError("'x' is not a taxonomy name.")
        return "DIS_UK_META_2026_MoanaLaunch"


# --- ads -----------------------------------------------------------------------------------------

URL = "https://www.disney.com/moana?utm_source=meta"
STORY = AdFile("7/story.mp4", "story.mp4", "video", "video/mp4", 1080, 1920, 900_000, Decimal(10))
HERO = AdFile("7/hero.jpg", "hero.jpg", "image", "image/jpeg", 1200, 628, 200_000)
SQUARE = AdFile("7/square.png", "square.png", "image", "image/png", 600, 600, 100_000)
TALL = AdFile("7/tall.png", "tall.png", "image", "image/png", 1080, 1920, 100_000)
TINY = AdFile("7/tiny.png", "tiny.png", "image", "image/png", 100, 300, 1_000)


def ad(position=1, files=(HERO,), **fields) -> AdInput:
    values = {
        "name": f"AD_{position}",
        "name_problem": None,
        "placements": (),
        "files": files,
        "primary_text": "Set sail with Moana.",
        "headlines": ("Moana is back",),
        "descriptions": ("In theatres now",),
        "call_to_action": "LEARN_MORE",
        "landing_url": URL,
    }
    return AdInput(position=position, **(values | fields))


def data(channel, *ads, request_type=RequestType.CREATE_CAMPAIGN, **overrides) -> TranslationInput:
    return TranslationInput(
        platform_name=NAME.format(channel),
        request_type=request_type,
        settings=settings(**overrides),
        currency="USD",
        country="US",
        created_object_id="120210000000001"
        if request_type is not RequestType.CREATE_CAMPAIGN
        else None,
        ads=ads,
    )


def calls(translation, start):
    return [request.to_dict() for request in translation.requests[start:]]


def translate_lookup(channel, request):
    return translator_for(channel).lookup(request)
