"""The platform sandbox: Meta, TikTok and Google Ads stand-ins, faults and control endpoints.
Fixtures shared by the files of this folder.
"""

import threading
from datetime import UTC, datetime

import pytest
from werkzeug.serving import make_server

from omnitraffick.sandbox import create_sandbox
from omnitraffick.sandbox.store import Store


@pytest.fixture(autouse=True)
def db():
    """The sandbox has no database: replace conftest's autouse database fixture."""
    yield None


@pytest.fixture(scope="session")
def sandbox_app():
    # The requests below carry fixed 2026 dates; the sandbox refuses starts in the past.
    return create_sandbox({"CLOCK": lambda: datetime(2026, 1, 10, tzinfo=UTC)})


@pytest.fixture
def client(sandbox_app):
    """A sandbox as new: one app for the run, an empty store for each test (all a new app
    holds that a test could change; building the app takes longer than most tests here)."""
    sandbox_app.extensions["omnitraffick_sandbox"] = Store()
    return sandbox_app.test_client()


@pytest.fixture
def live_sandbox():
    """A sandbox served on a free local port in a background thread."""
    server = make_server("127.0.0.1", 0, create_sandbox(), threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()
