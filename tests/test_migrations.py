"""Migrations build the schema the models describe, and can be undone."""

import uuid
import warnings
from datetime import UTC, datetime

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from omnitraffick.extensions import db
from omnitraffick.models import Brand, Campaign, Market
from tests.conftest import make_test_app, temporary_database


@pytest.fixture
def fresh_app(tmp_path):
    """An app on its own empty database, so upgrades and downgrades touch nothing else."""
    with temporary_database(tmp_path) as url:
        app = make_test_app(url)
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def diff_against_models() -> list:
    with db.engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes; the case-insensitive unique name
        # index is checked by behaviour in test_campaign_names_are_unique_ignoring_case.
        warnings.filterwarnings("ignore", message="autogenerate skipping metadata-specified")
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(fresh_app):
    flask_migrate.upgrade()
    assert diff_against_models() == []


def test_downgrade_to_base_and_back(fresh_app):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    flask_migrate.upgrade()
    assert "campaigns" in inspect(db.engine).get_table_names()


def test_campaign_names_are_unique_ignoring_case(fresh_app):
    """The database itself refuses a name that differs only in letter case."""
    flask_migrate.upgrade()
    brand = Brand(name="Disney", internal_code="DIS")
    market = Market(code="US", country="US", region="NA", currency="USD")
    db.session.add_all([brand, market])
    db.session.flush()

    def campaign(name):
        return Campaign(
            name=name, campaign_name="x", brand_id=brand.id, market_id=market.id, year=2026
        )

    db.session.add(campaign("DIS_US_MULTI_2026_MoanaLaunch"))
    db.session.commit()
    db.session.add(campaign("DIS_US_MULTI_2026_MOANALAUNCH"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(campaign("DIS_US_MULTI_2026_MoanaLaunch2"))
    db.session.commit()


def insert_market(code: str, country: str) -> None:
    db.session.execute(
        text(
            "INSERT INTO markets (id, code, country, region, currency, created_at, updated_at) "
            "VALUES (:id, :code, :country, 'R', 'EUR', :now, :now)"
        ),
        {"id": uuid.uuid4().hex, "code": code, "country": country, "now": datetime.now(UTC)},
    )
    db.session.commit()


def test_free_text_countries_become_iso_codes(fresh_app):
    flask_migrate.upgrade(revision="0008_platform_sends")
    for code, country in [
        ("UK", "United Kingdom"),
        ("GB_2", "UK"),
        ("JP", "japan"),
        ("USA", "USA"),
        ("HU", "Magyarország"),  # not a name it knows: the market code says HU
    ]:
        insert_market(code, country)
    flask_migrate.upgrade()
    stored = dict(db.session.execute(text("SELECT code, country FROM markets")).all())
    assert stored == {"UK": "GB", "GB_2": "GB", "JP": "JP", "USA": "US", "HU": "HU"}


def test_a_country_that_names_nothing_stops_the_upgrade_with_the_rows_to_fix(fresh_app, capfd):
    flask_migrate.upgrade(revision="0008_platform_sends")
    insert_market("NOWHERE", "Atlantis")
    with pytest.raises(SystemExit):  # flask-migrate logs the error and exits
        flask_migrate.upgrade()
    assert "market NOWHERE (country 'Atlantis')" in capfd.readouterr().err
    db.session.rollback()
    assert db.session.scalar(text("SELECT country FROM markets")) == "Atlantis"


def test_recorded_login_failures_carry_over_per_account_and_address(fresh_app):
    flask_migrate.upgrade(revision="0010_one_send_per_campaign")
    first, last = datetime(2026, 12, 3, 9, 0, tzinfo=UTC), datetime(2026, 12, 3, 9, 5, tzinfo=UTC)
    for address, created_at in [
        ("198.51.100.1", first),
        ("198.51.100.1", last),
        ("198.51.100.1", first),
        ("203.0.113.9", first),
    ]:
        db.session.execute(
            text(
                "INSERT INTO login_failures (id, email, address, created_at) "
                "VALUES (:id, 'ana@example.com', :address, :created_at)"
            ),
            {"id": uuid.uuid4().hex, "address": address, "created_at": created_at},
        )
    db.session.commit()
    flask_migrate.upgrade()
    rows = db.session.execute(
        text("SELECT address, failures, last_failure_at FROM login_throttles ORDER BY address")
    ).all()
    assert [(address, failures) for address, failures, _ in rows] == [
        ("198.51.100.1", 3),
        ("203.0.113.9", 1),
    ]
    assert str(rows[0][2]).startswith("2026-12-03 09:05:00")
    assert "login_failures" not in inspect(db.engine).get_table_names()
