"""Transactions: a request that fails saves nothing, on SQLite as on PostgreSQL."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from omnitraffick.models import Brand, Campaign, Market
from omnitraffick.services import reference


def test_rolled_back_work_leaves_nothing_behind(db):
    # create_market inserts inside a SAVEPOINT; releasing it must not commit on SQLite.
    reference.create_market(code="US", country="United States", region="NA", currency="USD")
    reference.create_brand(name="Disney", internal_code="DIS")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Market.id))) == 0
    assert db.session.scalar(select(func.count(Brand.id))) == 0


def test_sqlite_enforces_foreign_keys(db, make_brand):
    # Deleting a brand that campaigns reference is refused by the database itself too.
    brand = make_brand()
    market = reference.create_market(code="US", country="US", region="NA", currency="USD")
    db.session.add(
        Campaign(
            name="B_US_MULTI_2026_X",
            campaign_name="X",
            brand_id=brand.id,
            market_id=market.id,
            year=2026,
        )
    )
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(Brand.__table__.delete().where(Brand.id == brand.id))
        db.session.commit()
    db.session.rollback()


def test_nul_characters_in_forms_and_urls_are_refused_with_422(client, login):
    login()
    response = client.get("/campaigns/?q=a%00b")
    assert response.status_code == 422
    assert "NUL" in response.text
    assert client.post("/markets/new", data={"code": "X\x00"}).status_code == 422
