"""The JSON API at /api/v1: DESIGN.md's "JSON API" contract, endpoint by endpoint. Fixtures shared
by the files of this folder.
"""

import pytest

from omnitraffick.models import (
    Role,
)
from omnitraffick.services import tokens
from tests.api.helpers import Api


@pytest.fixture
def bearer(db, make_user):
    """A user with `role` (or the given user) and a fresh API token: the request headers."""

    def make(role=Role.ADMIN, user=None, name="pytest") -> dict:
        user = user or make_user(role)
        _, token = tokens.create_token(user, name)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def as_role(client, bearer):
    def make(role) -> Api:
        return Api(client, bearer(role))

    return make


@pytest.fixture
def admin(as_role) -> Api:
    return as_role(Role.ADMIN)


@pytest.fixture
def trafficker(as_role) -> Api:
    return as_role(Role.TRAFFICKER)


@pytest.fixture
def viewer(as_role) -> Api:
    return as_role(Role.VIEWER)


@pytest.fixture
def open_ticket(trafficker, moana, meta):
    """Open a ticket through the API (so it has its creation event) and return its JSON."""

    def make(campaign=None, channel=None, **body) -> dict:
        return trafficker.create(
            "tickets",
            {
                "campaign_id": str((campaign or moana).id),
                "channel_id": str((channel or meta).id),
                "request_type": "CREATE_CAMPAIGN",
                **body,
            },
        )

    return make
