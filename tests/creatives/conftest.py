"""Creative tests keep their files in a folder of their own, emptied after each test."""

import pytest


@pytest.fixture(autouse=True)
def creative_storage(app, tmp_path):
    """Point the creative storage at the test's own folder."""
    before = app.config["CREATIVE_STORAGE_DIR"], app.config["CREATIVE_MAX_BYTES"]
    app.config["CREATIVE_STORAGE_DIR"] = str(tmp_path / "creatives")
    yield tmp_path / "creatives"
    app.config["CREATIVE_STORAGE_DIR"], app.config["CREATIVE_MAX_BYTES"] = before
