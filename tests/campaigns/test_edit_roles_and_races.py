"""Campaigns: the service rules (taxonomy name, uniqueness, budget, status moves, delete), the HTML
pages a trafficker uses (new form with live name preview, list, campaign page, edit, delete),
fixed SQL query counts on the list, and two people creating the same name at once: HTML: edit;
HTML: roles, delete, unknown ids; Two people creating the same name at the same moment.
"""

import threading
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import Row, select

from omnitraffick.errors import http_status
from omnitraffick.models import (
    Campaign,
    CampaignStatus,
    Role,
    TicketStatus,
)
from omnitraffick.services import campaigns as service
from omnitraffick.services.errors import Duplicate
from tests.campaigns.helpers import (
    THIS_YEAR,
    campaign_count,
    new_form,
    page_of,
    reload,
    ticket_count,
)
from tests.html import text_of
from tests.support import UNKNOWN_ID, wait_for_lock_waiter

# --- HTML: edit ----------------------------------------------------------------------------------


def test_edit_shows_name_brand_market_and_year_read_only(client, trafficker, create):
    campaign = create()

    response = client.get(f"/campaigns/{campaign.id}/edit")

    assert response.status_code == 200
    page = page_of(response)
    editable = set(page.inputs)  # inputs, text areas and selects, by name
    assert not editable & {"name", "campaign_name", "brand_id", "market_id", "year"}
    assert page.inputs["budget"] == "1500.50"
    assert page.selected("status") == "DRAFT"
    assert page.options("status") == ["DRAFT", "ACTIVE"]
    text = text_of(response)
    for fact in ["DIS_US_MULTI_2026_MoanaLaunch", "Disney", "US (USD)", "Year 2026"]:
        assert fact in text


def test_edit_shows_a_yen_budget_without_decimals(client, trafficker, create, jp):
    campaign = create(market_id=jp.id, budget="150000")

    page = page_of(client.get(f"/campaigns/{campaign.id}/edit"))

    assert page.inputs["budget"] == "150000"


def test_edit_changes_the_budget_and_status(db, client, trafficker, create):
    campaign = create()

    response = client.post(
        f"/campaigns/{campaign.id}/edit", data={"budget": "2500.25", "status": "ACTIVE"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/campaigns/{campaign.id}"
    saved = reload(db, campaign.id)
    assert (saved.budget, saved.status) == (Decimal("2500.25"), CampaignStatus.ACTIVE)
    text = text_of(client.get(response.headers["Location"]))
    assert "$2,500.25" in text
    assert "Active" in text


def test_edit_ignores_attempts_to_change_name_brand_market_or_year(
    db, client, trafficker, create, dis, us, pix, jp
):
    campaign = create()

    response = client.post(
        f"/campaigns/{campaign.id}/edit",
        data={
            "budget": "10",
            "status": "ACTIVE",
            "name": "PIX_JP_MULTI_2030_Hijack",
            "campaign_name": "Hijack",
            "brand_id": str(pix.id),
            "market_id": str(jp.id),
            "year": "2030",
        },
    )

    assert response.status_code == 302
    saved = reload(db, campaign.id)
    assert saved.name == "DIS_US_MULTI_2026_MoanaLaunch"
    assert saved.campaign_name == "Moana Launch!"
    assert (saved.brand_id, saved.market_id, saved.year) == (dis.id, us.id, 2026)
    assert (saved.budget, saved.status) == (Decimal("10"), CampaignStatus.ACTIVE)


@pytest.mark.parametrize(
    ("start", "target"), [("DRAFT", "COMPLETED"), ("DRAFT", "PAUSED"), ("COMPLETED", "ACTIVE")]
)
def test_an_illegal_status_move_re_renders_the_form_with_the_reason(
    db, client, trafficker, create, with_status, start, target
):
    campaign = with_status(create(), start)

    response = client.post(f"/campaigns/{campaign.id}/edit", data={"budget": "1", "status": target})

    assert response.status_code in (409, 422)
    page = page_of(response)
    message = page.field_errors.get("status", "") + " ".join(t for _, t in page.flashes)
    assert f"cannot move to {target}" in message
    assert "allowed:" in message
    assert page.inputs["budget"] == "1"
    saved = reload(db, campaign.id)
    assert (saved.status, saved.budget) == (CampaignStatus(start), Decimal("1500.50"))


@pytest.mark.parametrize(
    ("budget", "says"),
    [("-5", "cannot be negative"), ("abc", "must be a number"), ("10.005", "at most 2")],
)
def test_a_bad_budget_re_renders_the_edit_form(db, client, trafficker, create, budget, says):
    campaign = create()

    response = client.post(
        f"/campaigns/{campaign.id}/edit", data={"budget": budget, "status": "DRAFT"}
    )

    assert response.status_code == 422
    page = page_of(response)
    assert says in page.field_errors["budget"]
    assert page.inputs["budget"] == budget
    assert reload(db, campaign.id).budget == Decimal("1500.50")


def test_edit_with_a_bad_budget_and_a_bad_status_shows_both(db, client, trafficker, create):
    campaign = create()

    response = client.post(
        f"/campaigns/{campaign.id}/edit", data={"budget": "-1", "status": "bogus"}
    )

    assert response.status_code == 422
    errors = page_of(response).field_errors
    assert "cannot be negative" in errors["budget"]
    assert "Status must be one of" in errors["status"]


# --- HTML: roles, delete, unknown ids ------------------------------------------------------------


def test_a_viewer_can_read_but_not_create_edit_or_delete(db, client, sign_in, create, dis, us):
    campaign = create()
    sign_in(Role.VIEWER, name="Vic Viewer")

    assert client.get("/campaigns/").status_code == 200
    assert client.get(f"/campaigns/{campaign.id}").status_code == 200
    assert client.get("/campaigns/new").status_code == 403
    assert (
        client.post("/campaigns/new", data=new_form(dis, us, campaign_name="Other")).status_code
        == 403
    )
    assert client.get(f"/campaigns/{campaign.id}/edit").status_code == 403
    assert (
        client.post(
            f"/campaigns/{campaign.id}/edit", data={"budget": "1", "status": "ACTIVE"}
        ).status_code
        == 403
    )
    assert client.post(f"/campaigns/{campaign.id}/delete").status_code == 403

    page = client.get(f"/campaigns/{campaign.id}")
    assert f"/campaigns/{campaign.id}/edit" not in page.text
    assert f"/campaigns/{campaign.id}/delete" not in page.text
    saved = reload(db, campaign.id)
    assert (saved.budget, saved.status) == (Decimal("1500.50"), CampaignStatus.DRAFT)
    assert campaign_count(db) == 1


def test_an_admin_may_edit(db, client, sign_in, create):
    campaign = create()
    sign_in(Role.ADMIN, name="Ada Admin")

    response = client.post(
        f"/campaigns/{campaign.id}/edit", data={"budget": "3", "status": "ACTIVE"}
    )

    assert response.status_code == 302
    assert reload(db, campaign.id).budget == Decimal("3")


def test_delete_removes_a_campaign_whose_tickets_are_all_draft(
    db, client, trafficker, create, make_ticket
):
    campaign = create()
    make_ticket(campaign=campaign)
    make_ticket(campaign=campaign)

    response = client.post(f"/campaigns/{campaign.id}/delete")

    assert response.status_code == 302
    assert response.headers["Location"] == "/campaigns/"
    assert campaign_count(db) == 0
    assert ticket_count(db) == 0
    flashes = page_of(client.get("/campaigns/")).flashes
    assert ("success", "Campaign DIS_US_MULTI_2026_MoanaLaunch deleted.") in flashes


def test_delete_is_refused_with_the_reason_once_a_ticket_left_draft(
    db, client, trafficker, create, make_ticket
):
    campaign = create()
    make_ticket(campaign=campaign)
    make_ticket(campaign=campaign).status = TicketStatus.QA_TESTING
    db.session.commit()

    response = client.post(f"/campaigns/{campaign.id}/delete")

    assert response.status_code == 409
    text = text_of(response)
    assert "cannot be deleted" in text
    assert "1 of its tickets has left DRAFT (1 QA_TESTING)" in text
    assert reload(db, campaign.id) is not None
    assert ticket_count(db) == 2


def test_delete_needs_a_csrf_token(db, client, trafficker, csrf_on, create):
    campaign = create()

    response = client.post(f"/campaigns/{campaign.id}/delete")

    assert response.status_code == 400
    assert campaign_count(db) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/campaigns/{id}"),
        ("get", "/campaigns/{id}/edit"),
        ("post", "/campaigns/{id}/edit"),
        ("post", "/campaigns/{id}/delete"),
    ],
)
@pytest.mark.parametrize("campaign_id", [str(UNKNOWN_ID), "not-a-uuid", "123"])
def test_unknown_campaigns_are_404(client, trafficker, method, path, campaign_id):
    response = getattr(client, method)(path.format(id=campaign_id), data={"budget": "1"})

    assert response.status_code == 404


# --- Two people creating the same name at the same moment ----------------------------------------


def test_two_simultaneous_creations_of_one_name_give_one_campaign_and_one_clear_error(
    app, db, dis, us, monkeypatch
):
    """Two people submit the same name at the same moment, each in their own session.

    A inserts and flushes, then waits until B has passed its "is it taken?" check and its own
    INSERT is waiting on A's row, and commits. Neither saw the other's row, so the database's
    case-insensitive unique index decides: one campaign, and the other person gets Duplicate
    ("already exists"), never another error. On PostgreSQL B's INSERT waits on the index until
    A commits, then fails. On SQLite a POST takes the write lock at BEGIN, so B queues behind
    A and its check finds A's row.
    """
    brand_id, market_id = dis.id, us.id
    db.session.remove()  # the threads use sessions of their own
    on_postgresql = db.engine.dialect.name == "postgresql"

    a_flushed, b_checked = threading.Event(), threading.Event()
    b_blocked: list[bool] = []  # whether B's INSERT was seen waiting on A's row
    checks: dict[str, Row | None] = {}  # what each "is it taken?" check found
    results: dict[str, uuid.UUID | Exception] = {}  # the new campaign's id, or the error
    real_name_holder = service.name_holder

    def name_holder(name):
        found = real_name_holder(name)
        checks[threading.current_thread().name] = found
        if threading.current_thread().name == "B":
            b_checked.set()
        return found

    monkeypatch.setattr(service, "name_holder", name_holder)

    def attempt(campaign_name, before_create, before_commit):
        me = threading.current_thread().name
        # Each thread is a POST request of its own, with its own session.
        with app.test_request_context(method="POST"):
            try:
                before_create()
                campaign = service.create_campaign(
                    brand_id=brand_id,
                    market_id=market_id,
                    campaign_name=campaign_name,
                    budget="1",
                )
                db.session.flush()
                campaign_id = campaign.id
                before_commit()
                db.session.commit()
                results[me] = campaign_id
            except Exception as err:  # noqa: BLE001 - whatever it is, the test reports it
                db.session.rollback()
                results[me] = err
            finally:
                a_flushed.set()  # never leave the other thread waiting
                b_checked.set()
                db.session.remove()

    def a_waits_for_b():
        a_flushed.set()
        # On SQLite B cannot reach its check before A commits (it queues at BEGIN).
        if on_postgresql:
            assert b_checked.wait(10)
            b_blocked.append(wait_for_lock_waiter(db.engine))

    threads = [
        threading.Thread(
            target=attempt, name="A", args=("Moana Launch", lambda: None, a_waits_for_b)
        ),
        threading.Thread(
            target=attempt,
            name="B",
            args=("moana launch", lambda: a_flushed.wait(5), lambda: None),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)

    assert isinstance(results["A"], uuid.UUID), results
    error = results["B"]
    assert isinstance(error, Duplicate), f"{type(error).__name__}: {error}"
    assert "already exists" in error.message
    assert http_status(error) == 400
    assert error.field == "campaign_name"
    db.session.expire_all()
    assert db.session.scalars(select(Campaign.id)).all() == [results["A"]]
    assert db.session.get(Campaign, results["A"]).name == f"DIS_US_MULTI_{THIS_YEAR}_MoanaLaunch"
    if on_postgresql:
        # A real race: both checks found nothing, and B's INSERT waited for A's commit.
        assert checks == {"A": None, "B": None}
        assert b_blocked == [True]
