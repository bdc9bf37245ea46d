"""Platform translators: golden requests written from the platforms' official references. Helpers
shared by the files of this folder.
"""

from types import SimpleNamespace

import pytest

from omnitraffick.models import RequestType
from omnitraffick.services.errors import ValidationError
from omnitraffick.services.translators import (
    TranslationError,
    TranslationInput,
    translate,
)

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
