"""Sending tickets to the platforms, over real HTTP against the local platform sandbox. Fixtures
shared by the files of this folder.
"""

import pytest

from omnitraffick.models import (
    RequestType,
    Role,
)
from tests.trafficking.helpers import READY, settings


@pytest.fixture
def ready(db, make_ticket, moana):
    """A ticket of the Moana campaign that passed QA, for a channel."""

    def make(channel, request_type=RequestType.CREATE_CAMPAIGN, **overrides):
        ticket = make_ticket(campaign=moana, channel=channel, request_type=request_type)
        if request_type is RequestType.CREATE_CAMPAIGN:
            ticket.payload_config = settings(**overrides)
        elif request_type is RequestType.UPDATE_BUDGET:
            ticket.payload_config = {"budget_type": "DAILY", "budget_amount": "300.00"} | overrides
        else:
            ticket.payload_config = {"target_status": "ACTIVE"} | overrides
        ticket.status = READY
        db.session.commit()
        return ticket

    return make


@pytest.fixture
def editor(login):
    return login(Role.TRAFFICKER)


@pytest.fixture
def bearer(db, editor):
    """Authorization headers with an API token of the signed-in trafficker."""
    from omnitraffick.services import tokens

    _, token = tokens.create_token(editor, "tests")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def live_google(app, sandbox):
    """Google Ads configured as a live platform (its own credentials), served by the sandbox;
    returns a function that sets the refresh token."""
    settings = {
        "GOOGLE_ADS_DEVELOPER_TOKEN": "sandbox-developer-token",
        "GOOGLE_ADS_CLIENT_ID": "sandbox-client-id",
        "GOOGLE_ADS_CLIENT_SECRET": "sandbox-client-secret",
        "GOOGLE_ADS_REFRESH_TOKEN": "sandbox-refresh-token",
        "GOOGLE_ADS_CUSTOMER_ID": "123-456-7890",
        "GOOGLE_ADS_API_BASE_URL": f"{sandbox.url}/google",
        "GOOGLE_ADS_TOKEN_URL": f"{sandbox.url}/google/token",
    }
    app.config.update(settings)
    yield lambda token: app.config.update(GOOGLE_ADS_REFRESH_TOKEN=token)
    app.config.update(dict.fromkeys(settings))
