"""Reference data (markets, brands, channels): the HTML views an admin uses, and the services.
Helpers shared by the files of this folder.
"""

from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, inspect, select

from omnitraffick.models import Brand, Channel, Market
from omnitraffick.services import reference
from tests.html import Node, parse


def page_of(response) -> Node:
    return parse(response)


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of reference data and how its pages and forms look."""

    url: str  # the list page
    model: type
    code_field: str  # the form field holding the code used in generated names
    code_label: str  # how error messages name that code
    code_column: int  # where the code shows in a list row
    form: dict  # a valid form, its code in lower case with spaces around it
    used_by: str  # what references a row: "campaign" or "ticket"
    default_sort: str
    columns: dict = field(default_factory=dict)  # sort key -> model attribute

    def count(self, db) -> int:
        return db.session.scalar(select(func.count()).select_from(self.model))

    def codes(self, db) -> list[str]:
        return list(db.session.scalars(select(getattr(self.model, self.code_field))))

    def __str__(self) -> str:
        return self.url.strip("/")


MARKETS = Kind(
    url="/markets/",
    model=Market,
    code_field="code",
    code_label="Market code",
    code_column=0,
    form={"code": " us ", "country": "US", "region": "NA", "currency": "USD"},
    used_by="campaign",
    default_sort="code",
    columns={"code": "code", "country": "country", "region": "region", "currency": "currency"},
)


BRANDS = Kind(
    url="/brands/",
    model=Brand,
    code_field="internal_code",
    code_label="Internal code",
    code_column=1,
    form={"name": "Disney", "internal_code": " dis "},
    used_by="campaign",
    default_sort="name",
    columns={"name": "name", "internal_code": "internal_code"},
)


CHANNELS = Kind(
    url="/channels/",
    model=Channel,
    code_field="api_identifier",
    code_label="API identifier",
    code_column=1,
    form={"platform_name": "Meta", "api_identifier": " meta "},
    used_by="ticket",
    default_sort="platform_name",
    columns={"platform_name": "platform_name", "api_identifier": "api_identifier"},
)


KINDS = [pytest.param(kind, id=str(kind)) for kind in (MARKETS, BRANDS, CHANNELS)]


# Rows with a different order in every sortable column.
SAMPLE_ROWS = {
    MARKETS: [
        {"code": "US", "country": "US", "region": "NA", "currency": "USD"},
        {"code": "GB", "country": "GB", "region": "EMEA", "currency": "GBP"},
        {"code": "JP", "country": "JP", "region": "APAC", "currency": "JPY"},
        {"code": "BR", "country": "BR", "region": "LATAM", "currency": "BRL"},
        {"code": "AT", "country": "AT", "region": "DACH", "currency": "EUR"},
    ],
    BRANDS: [
        {"name": "Disney", "internal_code": "DIS"},
        {"name": "Pixar", "internal_code": "PIX"},
        {"name": "Marvel Studios", "internal_code": "MRV"},
        {"name": "ABC Network", "internal_code": "ZABC"},
    ],
    CHANNELS: [
        {"platform_name": "Meta", "api_identifier": "META"},
        {"platform_name": "TikTok", "api_identifier": "TIKTOK"},
        {"platform_name": "Google Ads", "api_identifier": "GOOGLE"},
        {"platform_name": "Amazon DSP", "api_identifier": "ZAMAZON"},
    ],
}


CREATE = {
    MARKETS: reference.create_market,
    BRANDS: reference.create_brand,
    CHANNELS: reference.create_channel,
}


def fresh(db, row):
    """The row as the database holds it now (or None when it is gone)."""
    db.session.expire_all()
    # The identity, not row.id: reading an attribute of a deleted row raises.
    return db.session.get(type(row), inspect(row).identity)


def edit_form(kind, row, **changes) -> dict:
    """The edit form as the browser would post it: the row's values, with some changed."""
    values = {name: getattr(row, name) for name in kind.form}
    return {**values, **changes}


def only_flash(response) -> tuple[str, str]:
    """The one flash message on the page, as (category, text)."""
    flashes = page_of(response).flashes
    assert len(flashes) == 1, flashes
    return flashes[0]


def kind_id(value):
    """Name parameter sets after their kind of reference data; pytest numbers the rest."""
    return str(value) if isinstance(value, Kind) else None


def listed_codes(response, kind) -> list[str]:
    return [row[kind.code_column] for row in page_of(response).rows]


def _each_field(kind_params):
    for param in kind_params:
        kind = param.values[0]
        for name in kind.form:
            yield pytest.param(kind, name, id=f"{kind}-{name}")


def _each_sort(kinds):
    for param in kinds:
        kind = param.values[0]
        for key in kind.columns:
            for direction in ("asc", "desc"):
                yield pytest.param(kind, key, direction, id=f"{kind}-{key}-{direction}")
