"""Campaigns: the service rules (taxonomy name, uniqueness, budget, status moves, delete), the HTML
pages a trafficker uses (new form with live name preview, list, campaign page, edit, delete),
fixed SQL query counts on the list, and two people creating the same name at once: Service:
creating; budget; status at creation; Service: updating; Service: deleting; Service: name
preview.
"""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from omnitraffick.errors import http_status
from omnitraffick.models import (
    Campaign,
    CampaignStatus,
    Role,
    Ticket,
    TicketStatus,
)
from omnitraffick.services import campaigns as service
from omnitraffick.services.errors import Conflict, Duplicate, ValidationError
from tests.campaigns.helpers import (
    ALLOWED_MOVES,
    REFUSED_MOVES,
    THIS_YEAR,
    campaign_count,
    reload,
    ticket_count,
)
from tests.support import UNKNOWN_ID

# --- Service: creating ---------------------------------------------------------------------------


def test_create_builds_the_taxonomy_name_and_keeps_what_the_user_typed(db, dis, us):
    campaign = service.create_campaign(
        brand_id=dis.id, market_id=us.id, campaign_name="Moana Launch!", year=2026, budget="1500"
    )
    db.session.commit()

    saved = reload(db, campaign.id)
    assert saved.name == "DIS_US_MULTI_2026_MoanaLaunch"
    assert saved.campaign_name == "Moana Launch!"
    assert (saved.brand_id, saved.market_id, saved.year) == (dis.id, us.id, 2026)
    assert saved.budget == Decimal("1500")
    assert saved.status is CampaignStatus.DRAFT


def test_create_accepts_ids_as_strings_and_records_who_created_it(db, dis, us, make_user):
    user = make_user(Role.TRAFFICKER, name="Tess")

    campaign = service.create_campaign(
        brand_id=str(dis.id),
        market_id=str(us.id),
        campaign_name="Frozen 3",
        year="2027",
        budget="0",
        created_by=user,
    )
    db.session.commit()

    saved = reload(db, campaign.id)
    assert saved.name == "DIS_US_MULTI_2027_Frozen3"
    assert saved.created_by_id == user.id


@pytest.mark.parametrize("year", [None, "", "  "])
def test_create_defaults_the_year_to_the_current_year(db, dis, us, year):
    campaign = service.create_campaign(
        brand_id=dis.id, market_id=us.id, campaign_name="Moana", year=year, budget="1"
    )

    assert campaign.year == THIS_YEAR
    assert campaign.name == f"DIS_US_MULTI_{THIS_YEAR}_Moana"


def test_create_without_a_year_argument_uses_the_current_year(db, dis, us):
    campaign = service.create_campaign(
        brand_id=dis.id, market_id=us.id, campaign_name="Moana", budget="1"
    )

    assert campaign.year == THIS_YEAR


@pytest.mark.parametrize("field_name", ["brand_id", "market_id"])
@pytest.mark.parametrize("bad_id", [UNKNOWN_ID, str(UNKNOWN_ID), "not-a-uuid", "", None])
def test_create_refuses_an_unknown_brand_or_market_naming_the_field(db, create, field_name, bad_id):
    with pytest.raises(ValidationError) as caught:
        create(**{field_name: bad_id})

    err = caught.value
    assert http_status(err) == 422
    assert err.field == field_name
    assert field_name.removesuffix("_id") in err.message.lower()
    assert field_name in err.errors
    db.session.rollback()
    assert campaign_count(db) == 0


@pytest.mark.parametrize(
    ("campaign_name", "year"),
    [
        ("Moana Launch!", 2026),
        ("moana launch", 2026),
        ("MOANA-LAUNCH", 2026),
        ("Moana  Launch", "2026"),
    ],
)
def test_duplicate_names_are_refused_ignoring_letter_case(db, create, campaign_name, year):
    first = create(campaign_name="Moana Launch", year=2026)

    with pytest.raises(Duplicate) as caught:
        create(campaign_name=campaign_name, year=year)

    err = caught.value
    assert http_status(err) == 400
    assert "already exists" in err.message
    assert first.name in err.message
    assert err.field == "campaign_name"
    db.session.rollback()
    assert db.session.scalars(select(Campaign.name)).all() == ["DIS_US_MULTI_2026_MoanaLaunch"]


def test_the_same_campaign_name_in_another_year_market_or_brand_is_a_different_name(
    db, create, pix, jp
):
    create(campaign_name="Moana")
    create(campaign_name="Moana", year=2027)
    create(campaign_name="Moana", market_id=jp.id, budget="1500")
    create(campaign_name="Moana", brand_id=pix.id)

    assert sorted(db.session.scalars(select(Campaign.name))) == [
        "DIS_JP_MULTI_2026_Moana",
        "DIS_US_MULTI_2026_Moana",
        "DIS_US_MULTI_2027_Moana",
        "PIX_US_MULTI_2026_Moana",
    ]


@pytest.mark.parametrize("bad_name", ["", "   ", "!!!", "«»", None])
def test_create_refuses_a_campaign_name_with_no_letters_or_digits(db, create, bad_name):
    with pytest.raises(ValidationError) as caught:
        create(campaign_name=bad_name)

    assert caught.value.field == "campaign_name"
    assert "at least one letter" in caught.value.message
    db.session.rollback()
    assert campaign_count(db) == 0


@pytest.mark.parametrize("bad_year", ["20x6", "26", "1999", "2101", True])
def test_create_refuses_a_bad_year(db, create, bad_year):
    with pytest.raises(ValidationError) as caught:
        create(year=bad_year)

    assert http_status(caught.value) == 422
    assert caught.value.field == "year"
    db.session.rollback()
    assert campaign_count(db) == 0


# --- budget --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("market", "budget", "stored"),
    [
        ("us", "10.50", Decimal("10.50")),
        ("us", "0", Decimal("0")),
        ("us", " 1500 ", Decimal("1500")),
        ("us", 1500, Decimal("1500")),
        ("us", Decimal("99.99"), Decimal("99.99")),
        ("jp", "100", Decimal("100")),
        ("jp", "150000", Decimal("150000")),
        ("kw", "1.125", Decimal("1.125")),
        ("us", "999999999999999", Decimal("999999999999999")),
    ],
)
def test_create_accepts_budgets_in_the_currency_precision(
    db, create, request, market, budget, stored
):
    market = request.getfixturevalue(market)

    campaign = create(market_id=market.id, budget=budget)

    assert reload(db, campaign.id).budget == stored


@pytest.mark.parametrize(
    ("market", "budget", "says"),
    [
        ("us", "-1", "cannot be negative"),
        ("us", "-0.01", "cannot be negative"),
        ("us", "abc", "must be a number"),
        ("us", "NaN", "must be a number"),
        ("us", "Infinity", "must be a number"),
        ("us", "-Infinity", "must be a number"),
        ("us", True, "must be a number"),
        ("us", False, "must be a number"),
        ("us", "", "required"),
        ("us", None, "required"),
        ("us", "10.005", "at most 2 decimals"),
        ("jp", "100.5", "no decimals"),
        ("jp", "0.1", "no decimals"),
        ("kw", "1.0005", "at most 3 decimals"),
        ("us", "1e30", "at most"),
        ("us", "1000000000000000", "at most"),
        ("us", "9" * 40, "at most"),
    ],
)
def test_create_refuses_bad_budgets(db, create, request, market, budget, says):
    market = request.getfixturevalue(market)

    with pytest.raises(ValidationError) as caught:
        create(market_id=market.id, budget=budget)

    err = caught.value
    assert http_status(err) == 422
    assert err.field == "budget"
    assert says in err.message
    db.session.rollback()
    assert campaign_count(db) == 0


# --- status at creation --------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["DRAFT", "ACTIVE", CampaignStatus.ACTIVE])
def test_a_new_campaign_may_start_as_draft_or_active(db, create, status):
    campaign = create(status=status)

    assert reload(db, campaign.id).status is CampaignStatus(status)


@pytest.mark.parametrize("status", ["PAUSED", "COMPLETED", "bogus", "paused", ""])
def test_a_new_campaign_cannot_start_in_another_status(db, create, status):
    with pytest.raises(ValidationError) as caught:
        create(status=status)

    assert http_status(caught.value) == 422
    assert caught.value.field == "status"
    db.session.rollback()
    assert campaign_count(db) == 0


# --- Service: updating ---------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "target"), ALLOWED_MOVES)
def test_update_makes_the_allowed_status_moves(db, create, with_status, start, target):
    campaign = with_status(create(), start)

    service.update_campaign(campaign, status=target)
    db.session.commit()

    assert reload(db, campaign.id).status is CampaignStatus(target)


@pytest.mark.parametrize("status", list(CampaignStatus))
def test_staying_in_the_same_status_is_allowed(db, create, with_status, status):
    campaign = with_status(create(), status)

    service.update_campaign(campaign, status=status.value, budget="20")
    db.session.commit()

    saved = reload(db, campaign.id)
    assert saved.status is status
    assert saved.budget == Decimal("20")


@pytest.mark.parametrize(("start", "target", "allowed"), REFUSED_MOVES)
def test_update_refuses_other_moves_naming_the_allowed_ones(
    db, create, with_status, start, target, allowed
):
    campaign = with_status(create(), start)

    with pytest.raises(Conflict) as caught:
        service.update_campaign(campaign, status=target, budget="5")

    err = caught.value
    assert http_status(err) == 409
    assert f"{start} campaign cannot move to {target}" in err.message
    assert f"allowed: {', '.join(allowed)}" in err.message
    db.session.rollback()
    saved = reload(db, campaign.id)
    assert saved.status is CampaignStatus(start)
    assert saved.budget == Decimal("1500.50")


def test_update_changes_the_budget(db, create):
    campaign = create()

    service.update_campaign(campaign, budget="2500.75")
    db.session.commit()

    saved = reload(db, campaign.id)
    assert saved.budget == Decimal("2500.75")
    assert saved.status is CampaignStatus.DRAFT


@pytest.mark.parametrize(
    ("market", "budget"),
    [
        ("us", "-5"),
        ("us", "abc"),
        ("us", "NaN"),
        ("us", "Infinity"),
        ("us", True),
        ("us", "10.005"),
        ("us", "1e30"),
        ("us", ""),
        ("jp", "100.5"),
        ("kw", "1.0005"),
    ],
)
def test_update_validates_the_budget_like_create(db, create, request, market, budget):
    market = request.getfixturevalue(market)
    campaign = create(market_id=market.id, budget="100")

    with pytest.raises(ValidationError) as caught:
        service.update_campaign(campaign, budget=budget)

    assert http_status(caught.value) == 422
    assert list(caught.value.errors) == ["budget"]
    db.session.rollback()
    assert reload(db, campaign.id).budget == Decimal("100")


@pytest.mark.parametrize(("market", "budget"), [("jp", "100"), ("kw", "1.125"), ("us", "0")])
def test_update_accepts_budgets_in_the_currency_precision(db, create, request, market, budget):
    market = request.getfixturevalue(market)
    campaign = create(market_id=market.id, budget="7")

    service.update_campaign(campaign, budget=budget)
    db.session.commit()

    assert reload(db, campaign.id).budget == Decimal(budget)


def test_update_with_a_bad_budget_and_a_bad_status_reports_both(db, create):
    campaign = create()

    with pytest.raises(ValidationError) as caught:
        service.update_campaign(campaign, budget="-1", status="bogus")

    err = caught.value
    assert set(err.errors) == {"budget", "status"}
    assert "cannot be negative" in " ".join(err.errors["budget"])
    assert "DRAFT, ACTIVE, PAUSED, COMPLETED" in " ".join(err.errors["status"])
    assert "cannot be negative" in err.message and "Status must be one of" in err.message


def test_update_never_changes_name_brand_market_or_year(db, create, with_status, pix, jp):
    campaign = with_status(create(), "ACTIVE")

    service.update_campaign(campaign, budget="42", status="PAUSED")
    db.session.commit()
    with pytest.raises(TypeError):
        service.update_campaign(campaign, name="PIX_JP_MULTI_2030_Other")
    with pytest.raises(TypeError):
        service.update_campaign(campaign, brand_id=pix.id, market_id=jp.id, year=2030)
    db.session.rollback()

    saved = reload(db, campaign.id)
    assert saved.name == "DIS_US_MULTI_2026_MoanaLaunch"
    assert saved.campaign_name == "Moana Launch!"
    assert (saved.brand.internal_code, saved.market.code, saved.year) == ("DIS", "US", 2026)
    assert (saved.budget, saved.status) == (Decimal("42"), CampaignStatus.PAUSED)


# --- Service: deleting ---------------------------------------------------------------------------


def test_delete_removes_a_campaign_and_its_draft_tickets(db, create, make_ticket):
    campaign = create()
    for _ in range(2):
        make_ticket(campaign=campaign)
    other_id = make_ticket().id  # another campaign's ticket stays

    service.delete_campaign(campaign)
    db.session.commit()

    assert reload(db, campaign.id) is None
    assert db.session.scalars(select(Ticket.id)).all() == [other_id]


def test_delete_removes_a_campaign_without_tickets(db, create):
    campaign = create()

    service.delete_campaign(campaign)
    db.session.commit()

    assert campaign_count(db) == 0


def test_delete_is_refused_once_a_ticket_has_left_draft(db, create, make_ticket):
    campaign = create()
    draft = make_ticket(campaign=campaign)
    for status in (TicketStatus.QA_TESTING, TicketStatus.QA_TESTING, TicketStatus.READY_FOR_API):
        make_ticket(campaign=campaign).status = status
    db.session.commit()

    with pytest.raises(Conflict) as caught:
        service.delete_campaign(campaign)

    err = caught.value
    assert http_status(err) == 409
    assert "cannot be deleted" in err.message
    assert campaign.name in err.message
    assert "3 of its tickets have left DRAFT" in err.message
    assert "2 QA_TESTING" in err.message
    assert "1 READY_FOR_API" in err.message
    db.session.rollback()
    assert reload(db, campaign.id) is not None
    assert ticket_count(db) == 4
    assert db.session.get(Ticket, draft.id) is not None


@pytest.mark.parametrize("status", [s for s in TicketStatus if s is not TicketStatus.DRAFT])
def test_delete_is_refused_for_any_non_draft_ticket(db, create, make_ticket, status):
    campaign = create()
    ticket = make_ticket(campaign=campaign)
    ticket.status = status
    db.session.commit()

    with pytest.raises(Conflict) as caught:
        service.delete_campaign(campaign)

    assert f"1 of its tickets has left DRAFT (1 {status.value})" in caught.value.message
    db.session.rollback()
    assert campaign_count(db) == 1
    assert ticket_count(db) == 1


# --- Service: name preview -----------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["brand_id", "market_id", "both"])
def test_preview_is_incomplete_without_a_brand_and_a_market(db, dis, us, missing):
    ids = {"brand_id": dis.id, "market_id": us.id}
    if missing == "both":
        ids = {"brand_id": None, "market_id": ""}
    else:
        ids[missing] = ""

    preview = service.preview_name(ids["brand_id"], ids["market_id"], "2026", "Moana")

    assert preview.state == "incomplete"
    assert preview.name is None
    assert "Choose a brand and a market" in preview.message


@pytest.mark.parametrize("campaign_name", ["", None, "   "])
def test_preview_waits_for_a_name_and_shows_the_prefix(db, dis, us, campaign_name):
    preview = service.preview_name(str(dis.id), str(us.id), "2026", campaign_name)

    assert preview.state == "incomplete"
    assert preview.message == "Type a campaign name."
    assert preview.prefix == "DIS_US_MULTI_2026_"
    assert preview.name is None


@pytest.mark.parametrize(
    ("year", "campaign_name", "says"),
    [
        ("20x6", "Moana", "four digits"),
        ("1999", "Moana", "between 2000 and 2100"),
        ("2026", "!!! ???", "at least one letter"),
        ("2026", "x" * 101, "too long"),
    ],
)
def test_preview_says_why_a_name_is_invalid(db, dis, us, year, campaign_name, says):
    preview = service.preview_name(str(dis.id), str(us.id), year, campaign_name)

    assert preview.state == "invalid"
    assert says in preview.message
    assert preview.name is None


@pytest.mark.parametrize("field_name", ["brand_id", "market_id"])
def test_preview_of_an_unknown_brand_or_market_is_invalid(db, dis, us, field_name):
    ids = {"brand_id": str(dis.id), "market_id": str(us.id), field_name: str(uuid.uuid4())}

    preview = service.preview_name(ids["brand_id"], ids["market_id"], "2026", "Moana")

    assert preview.state == "invalid"
    assert "does not exist" in preview.message


def test_preview_of_a_free_name_is_valid_and_splits_prefix_and_typed_part(db, dis, us):
    preview = service.preview_name(str(dis.id), str(us.id), "2026", "Moana Launch!")

    assert preview.state == "valid"
    assert preview.name == "DIS_US_MULTI_2026_MoanaLaunch"
    assert preview.prefix == "DIS_US_MULTI_2026_"
    assert preview.typed == "MoanaLaunch"
    assert "Name is available" in preview.message
    assert preview.taken_by is None
    assert preview.currency == "USD"


def test_preview_defaults_to_the_current_year(db, dis, us):
    preview = service.preview_name(dis.id, us.id, "", "Moana")

    assert preview.state == "valid"
    assert preview.prefix == f"DIS_US_MULTI_{THIS_YEAR}_"


def test_preview_of_a_taken_name_points_at_the_campaign_ignoring_case(db, create):
    existing = create(campaign_name="Moana Launch")

    preview = service.preview_name(existing.brand_id, existing.market_id, "2026", "moana LAUNCH")

    assert preview.state == "taken"
    assert preview.name == "DIS_US_MULTI_2026_moanaLAUNCH"
    assert preview.taken_by.id == existing.id
    assert "already taken" in preview.message


def test_preview_saves_nothing(db, dis, us):
    service.preview_name(str(dis.id), str(us.id), "2026", "Moana")
    db.session.commit()

    assert campaign_count(db) == 0
