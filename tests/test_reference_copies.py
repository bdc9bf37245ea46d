"""The reference data names are made of, kept by each process while the reference stamp holds
(services/stamps.py). Two apps on one database stand for two gunicorn workers
(`other_worker`): a change saved through one is what the other shows on its next request."""

import pytest
from sqlalchemy import text, update

from omnitraffick.models import Market, Role
from omnitraffick.services import naming, reference
from omnitraffick.services.errors import ValidationError
from tests.campaigns.helpers import preview, previewed


def name_in(client, brand, market) -> str:
    response = preview(client, brand, market, "Launch")
    assert response.status_code == 200
    return previewed(response)[0]


def test_a_brand_renamed_in_one_worker_is_named_so_by_the_next_preview_of_another(
    db, client, other_worker, trafficker, dis, us
):
    assert name_in(other_worker, dis, us).startswith("DIS_US_")  # its copy is made

    reference.update_brand(dis, name=dis.name, internal_code="DISNEY")
    db.session.commit()

    assert name_in(other_worker, dis, us).startswith("DISNEY_US_")
    assert name_in(client, dis, us).startswith("DISNEY_US_")


def test_a_convention_saved_in_one_worker_names_the_next_preview_of_another(
    db, other_worker, dis, us, make_user
):
    assert name_in(other_worker, dis, us) == "DIS_US_MULTI_2026_Launch"

    naming.save_convention(
        "campaign",
        "-",
        [{"kind": "market"}, {"kind": "brand"}, {"kind": "text", "max_length": 40}],
        make_user(Role.ADMIN),
    )
    db.session.commit()

    assert name_in(other_worker, dis, us) == "US-DIS-Launch"


def test_a_write_outside_the_app_is_counted_too(db, other_worker, dis, us):
    """The stamp is kept by database triggers: psql, a migration or a script counts."""
    assert name_in(other_worker, dis, us).startswith("DIS_US_")

    with db.engine.begin() as conn:
        conn.execute(update(Market).where(Market.id == us.id).values(code="USA"))

    assert name_in(other_worker, dis, us).startswith("DIS_USA_")


@pytest.mark.parametrize("table", ["brands", "markets", "channels"])
def test_each_write_to_the_reference_data_moves_the_stamp(db, dis, us, meta, table):
    before = db.session.execute(text("SELECT version FROM reference_stamp")).scalar_one()
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {table} WHERE 1 = 0"))  # PostgreSQL counts statements
        conn.execute(text(f"UPDATE {table} SET id = id"))

    after = db.session.execute(text("SELECT version FROM reference_stamp")).scalar_one()
    assert after > before


def test_what_a_rolled_back_transaction_wrote_is_never_kept(db, app, dis, us):
    """Inside the transaction that wrote it, a new market is read from the table, not from
    the copy; once rolled back it does not exist, in this process or any other."""
    made = reference.create_market(code="FR", country="FR", region="EU", currency="EUR")

    found = reference.referenced_codes(type(made), made.id, "market_id", "market")
    db.session.rollback()

    assert found.code == "FR"
    with pytest.raises(ValidationError, match="does not exist"):
        reference.referenced_codes(type(made), made.id, "market_id", "market")
