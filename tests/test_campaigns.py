"""Campaigns: the service rules (taxonomy name, uniqueness, budget, status moves, delete), the
HTML pages a trafficker uses (new form with live name preview, list, campaign page, edit,
delete), fixed SQL query counts on the list, and two people creating the same name at once.

Pages are read with a small HTML parser so the tests look at what a user sees: the value in
each input, the error under each field, flash messages and the rows of the list.
"""

import html
import re
import threading
import time
import uuid
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, insert, select

from omnitraffick.models import (
    Campaign,
    CampaignStatus,
    RequestType,
    Role,
    Ticket,
    TicketStatus,
)
from omnitraffick.services import campaigns as service
from omnitraffick.services.errors import Conflict, Duplicate, ValidationError
from tests.conftest import PASSWORD

THIS_YEAR = date.today().year

# --- reading pages -------------------------------------------------------------------------------


class Page(HTMLParser):
    """What a user sees on a rendered page: form values, field errors, flashes, table rows."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.inputs: dict[str, str] = {}  # name -> value of each <input>/<textarea>
        self.selects: dict[str, str] = {}  # select name -> the selected option's value
        self.options: dict[str, list[str]] = {}  # select name -> its options' values
        self.field_errors: dict[str, str] = {}  # field name -> the error shown under it
        self.flashes: list[tuple[str, str]] = []  # (category, text)
        self.rows: list[list[str]] = []  # the cell texts of each <tbody> row
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._select = None
        self._in_tbody = False
        self._row = None
        self._capture = None  # (tag, kind, key) of the element whose text is collected
        self._depth = 0  # nested elements with the captured tag's name
        self._text: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        classes = attrs.get("class", "").split()
        if self._capture and tag == self._capture[0]:
            self._depth += 1
        if tag in ("input", "textarea") and "name" in attrs:
            self.inputs[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs.get("name")
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.selects[self._select] = attrs.get("value", "")
        elif tag == "small" and "field-error" in classes:
            self._start(tag, "error", attrs["id"].removesuffix("-help"))
        elif tag in ("p", "div") and "flash" in classes and not self._capture:
            category = next(c.removeprefix("flash-") for c in classes if c.startswith("flash-"))
            self._start(tag, "flash", category)
        elif tag == "a" and not self._capture:
            self._start(tag, "link", attrs.get("href", ""))
        elif tag == "tbody":
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self._row = []
        elif tag == "td" and self._row is not None and "empty" not in classes:
            self._start(tag, "cell", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if self._capture and tag == self._capture[0]:
            if self._depth:
                self._depth -= 1
                return
            _, kind, key = self._capture
            text = " ".join("".join(self._text).split())
            if kind == "error":
                self.field_errors[key] = text
            elif kind == "flash":
                self.flashes.append((key, text))
            elif kind == "link":
                self.links.append((key, text))
            else:
                self._row.append(text)
            self._capture = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_tbody = False

    def handle_data(self, data):
        if self._capture:
            self._text.append(data)

    def _start(self, tag, kind, key):
        self._capture, self._depth, self._text = (tag, kind, key), 0, []

    @property
    def names(self) -> list[str]:
        """The campaign names in the list, in the order shown."""
        return [row[0] for row in self.rows]


def page_of(response) -> Page:
    return Page(response.text)


def text_of(response) -> str:
    """The visible text of a page, tags dropped and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def campaign_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Campaign))


def ticket_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Ticket))


def reload(db, campaign_id) -> Campaign | None:
    """The campaign as it is in the database now (not what this session holds)."""
    db.session.expire_all()
    return db.session.get(Campaign, campaign_id)


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def kw(make_market):
    return make_market(code="KW", currency="KWD", country="Kuwait", region="MEA")


@pytest.fixture
def create(db, dis, us):
    """Create a campaign through the service (Disney, US, 2026 unless told) and commit."""

    def make(**fields):
        values = {
            "brand_id": dis.id,
            "market_id": us.id,
            "campaign_name": "Moana Launch!",
            "year": 2026,
            "budget": "1500.50",
        }
        campaign = service.create_campaign(**(values | fields))
        db.session.commit()
        return campaign

    return make


@pytest.fixture
def with_status(db):
    """Put a campaign into a status directly, as if earlier moves had happened."""

    def put(campaign, status):
        campaign.status = CampaignStatus(status)
        db.session.commit()
        return campaign

    return put


@pytest.fixture
def sign_in(client, make_user):
    """Sign a named user with `role` in on the test client and return the user."""

    def log_in(role=Role.TRAFFICKER, name="Tess Trafficker"):
        user = make_user(role, name=name)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text
        return user

    return log_in


@pytest.fixture
def trafficker(sign_in):
    return sign_in(Role.TRAFFICKER)


def new_form(brand, market, **fields) -> dict:
    """A valid new-campaign form for `brand` and `market`."""
    return {
        "brand_id": str(brand.id),
        "market_id": str(market.id),
        "year": "2026",
        "campaign_name": "Moana Launch!",
        "budget": "1500.50",
        "status": "DRAFT",
    } | fields


# =================================================================================================
# Service: creating
# =================================================================================================


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
@pytest.mark.parametrize("bad_id", [uuid.uuid4(), str(uuid.uuid4()), "not-a-uuid", "", None])
def test_create_refuses_an_unknown_brand_or_market_naming_the_field(db, create, field_name, bad_id):
    with pytest.raises(ValidationError) as caught:
        create(**{field_name: bad_id})

    err = caught.value
    assert err.status_code == 422
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
    assert err.status_code == 400
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

    assert caught.value.status_code == 422
    assert caught.value.field == "year"
    db.session.rollback()
    assert campaign_count(db) == 0


# --- budget ------------------------------------------------------------------------------------


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
    assert err.status_code == 422
    assert err.field == "budget"
    assert says in err.message
    db.session.rollback()
    assert campaign_count(db) == 0


# --- status at creation ------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["DRAFT", "ACTIVE", CampaignStatus.ACTIVE])
def test_a_new_campaign_may_start_as_draft_or_active(db, create, status):
    campaign = create(status=status)

    assert reload(db, campaign.id).status is CampaignStatus(status)


@pytest.mark.parametrize("status", ["PAUSED", "COMPLETED", "bogus", "paused", ""])
def test_a_new_campaign_cannot_start_in_another_status(db, create, status):
    with pytest.raises(ValidationError) as caught:
        create(status=status)

    assert caught.value.status_code == 422
    assert caught.value.field == "status"
    db.session.rollback()
    assert campaign_count(db) == 0


# =================================================================================================
# Service: updating
# =================================================================================================

ALLOWED_MOVES = [
    ("DRAFT", "ACTIVE"),
    ("ACTIVE", "PAUSED"),
    ("PAUSED", "ACTIVE"),
    ("ACTIVE", "COMPLETED"),
    ("PAUSED", "COMPLETED"),
]
REFUSED_MOVES = [
    ("DRAFT", "PAUSED", ["ACTIVE"]),
    ("DRAFT", "COMPLETED", ["ACTIVE"]),
    ("ACTIVE", "DRAFT", ["PAUSED", "COMPLETED"]),
    ("PAUSED", "DRAFT", ["ACTIVE", "COMPLETED"]),
    ("COMPLETED", "DRAFT", ["none"]),
    ("COMPLETED", "ACTIVE", ["none"]),
    ("COMPLETED", "PAUSED", ["none"]),
]


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
    assert err.status_code == 409
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

    assert caught.value.status_code == 422
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


# =================================================================================================
# Service: deleting
# =================================================================================================


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
    assert err.status_code == 409
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


# =================================================================================================
# Service: name preview
# =================================================================================================


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


# =================================================================================================
# HTML: new campaign form and the campaign page
# =================================================================================================


def test_new_form_shows_the_current_year_and_the_reference_data(client, trafficker, dis, us):
    response = client.get("/campaigns/new")

    assert response.status_code == 200
    page = page_of(response)
    assert page.inputs["year"] == str(THIS_YEAR)
    assert page.inputs["budget"] == "0"
    assert page.inputs["campaign_name"] == ""
    assert str(dis.id) in page.options["brand_id"]
    assert str(us.id) in page.options["market_id"]
    assert page.selects["status"] == "DRAFT"
    assert page.options["status"] == ["DRAFT", "ACTIVE"]
    assert "Disney (DIS)" in response.text
    assert "BRAND_MARKET_MULTI_YEAR_Name" in response.text


def test_creating_a_campaign_lands_on_its_page(db, client, sign_in, dis, us):
    user = sign_in(Role.TRAFFICKER, name="Tess Trafficker")

    response = client.post("/campaigns/new", data=new_form(dis, us))

    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert response.headers["Location"] == f"/campaigns/{campaign.id}"
    assert campaign.name == "DIS_US_MULTI_2026_MoanaLaunch"
    assert campaign.created_by_id == user.id

    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    text = text_of(page)
    assert "DIS_US_MULTI_2026_MoanaLaunch" in text
    for label, part in [
        ("Brand", "DIS"),
        ("Market", "US"),
        ("Channel", "MULTI"),
        ("Year", "2026"),
        ("Campaign", "MoanaLaunch"),
    ]:
        assert f"{label} {part}" in text
    assert "typed as “Moana Launch!”" in text
    assert "$1,500.50" in text
    assert "Draft" in text
    assert "by Tess Trafficker" in text
    assert ("success", "Campaign DIS_US_MULTI_2026_MoanaLaunch created.") in page_of(page).flashes


def test_a_yen_budget_shows_without_decimals(db, client, trafficker, dis, jp):
    response = client.post(
        "/campaigns/new", data=new_form(dis, jp, budget="150000", status="ACTIVE")
    )
    assert response.status_code == 302

    text = text_of(client.get(response.headers["Location"]))
    assert "¥150,000" in text
    assert "¥150,000." not in text
    assert "Active" in text


def test_a_yen_budget_with_decimals_is_refused_next_to_the_budget(db, client, trafficker, dis, jp):
    response = client.post("/campaigns/new", data=new_form(dis, jp, budget="100.5"))

    assert response.status_code == 422
    page = page_of(response)
    assert "no decimals" in page.field_errors["budget"]
    assert page.inputs["budget"] == "100.5"
    assert campaign_count(db) == 0


def test_the_campaign_page_lists_tickets_with_their_platform_names(
    client, trafficker, create, make_ticket, make_channel
):
    campaign = create()
    make_ticket(campaign=campaign, channel=make_channel("META", "Meta"))
    make_ticket(campaign=campaign, channel=make_channel("TIKTOK", "TikTok"))

    text = text_of(client.get(f"/campaigns/{campaign.id}"))

    assert "DIS_US_META_2026_MoanaLaunch" in text
    assert "DIS_US_TIKTOK_2026_MoanaLaunch" in text
    assert "Tickets (2)" in text


@pytest.mark.parametrize("typed", ["Moana Launch!", "moana launch", "MOANA-LAUNCH"])
def test_a_duplicate_name_re_renders_the_form_with_the_message(
    db, client, trafficker, create, dis, us, typed
):
    create(campaign_name="Moana Launch")

    response = client.post(
        "/campaigns/new", data=new_form(dis, us, campaign_name=typed, budget="99")
    )

    assert response.status_code in (400, 422)
    page = page_of(response)
    assert "already exists" in page.field_errors["campaign_name"]
    assert "DIS_US_MULTI_2026_MoanaLaunch" in page.field_errors["campaign_name"]
    assert page.inputs["campaign_name"] == typed
    assert page.inputs["budget"] == "99"
    assert page.inputs["year"] == "2026"
    assert page.selects["brand_id"] == str(dis.id)
    assert page.selects["market_id"] == str(us.id)
    assert "Already taken by" in response.text
    assert campaign_count(db) == 1


@pytest.mark.parametrize(
    ("fields", "field_name", "says"),
    [
        ({"brand_id": ""}, "brand_id", "brand"),
        ({"market_id": str(uuid.uuid4())}, "market_id", "does not exist"),
        ({"year": "20x6"}, "year", "four digits"),
        ({"campaign_name": "!!!"}, "campaign_name", "at least one letter"),
        ({"budget": "-3"}, "budget", "cannot be negative"),
        ({"status": "COMPLETED"}, "status", "DRAFT or ACTIVE"),
    ],
)
def test_bad_input_re_renders_the_form_with_the_message_next_to_the_field(
    db, client, trafficker, dis, us, fields, field_name, says
):
    form = new_form(dis, us, **fields)

    response = client.post("/campaigns/new", data=form)

    assert response.status_code == 422
    page = page_of(response)
    assert says.lower() in page.field_errors[field_name].lower()
    assert page.inputs["campaign_name"] == form["campaign_name"]
    assert page.inputs["budget"] == form["budget"]
    assert campaign_count(db) == 0


def test_the_new_form_needs_a_csrf_token(db, client, trafficker, csrf_on, dis, us):
    response = client.post("/campaigns/new", data=new_form(dis, us))

    assert response.status_code == 400
    assert campaign_count(db) == 0


# --- live preview ------------------------------------------------------------------------------


def preview(client, brand, market, campaign_name, year="2026", **headers):
    return client.get(
        "/campaigns/preview",
        query_string={
            "brand_id": str(brand.id) if brand else "",
            "market_id": str(market.id) if market else "",
            "year": year,
            "campaign_name": campaign_name,
        },
        headers=headers,
    )


def previewed(response) -> tuple[str, str]:
    """The generated name the preview shows, and the part of it marked as typed."""
    shown = re.search(r'<p class="preview-name">(.*?)</p>', response.text, re.S)
    typed = re.search(r'<mark class="preview-typed"[^>]*>(.*?)</mark>', response.text, re.S)
    assert shown and typed, response.text
    return html.unescape(re.sub(r"<[^>]+>", "", shown.group(1))).strip(), typed.group(1)


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_preview_fragment_shows_an_available_name(db, client, trafficker, dis, us, headers):
    response = preview(client, dis, us, "Moana Launch!", **headers)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert previewed(response) == ("DIS_US_MULTI_2026_MoanaLaunch", "MoanaLaunch")
    assert "Name is available" in text_of(response)
    assert campaign_count(db) == 0


def test_preview_fragment_links_to_the_campaign_that_took_the_name(db, client, trafficker, create):
    existing = create(campaign_name="Moana Launch")

    response = preview(client, existing.brand, existing.market, "moana launch")

    assert response.status_code == 200
    assert "<html" not in response.text
    assert previewed(response) == ("DIS_US_MULTI_2026_moanalaunch", "moanalaunch")
    assert "Already taken by" in text_of(response)
    assert (f"/campaigns/{existing.id}", "DIS_US_MULTI_2026_MoanaLaunch") in page_of(response).links
    assert campaign_count(db) == 1


@pytest.mark.parametrize(
    ("year", "campaign_name", "says"),
    [("20x6", "Moana", "four digits"), ("2026", "?!", "at least one letter")],
)
def test_preview_fragment_says_why_a_name_is_invalid(
    db, client, trafficker, dis, us, year, campaign_name, says
):
    response = preview(client, dis, us, campaign_name, year=year)

    assert response.status_code == 200
    assert "<html" not in response.text
    text = text_of(response)
    assert "Invalid:" in text
    assert says in text
    assert campaign_count(db) == 0


def test_preview_fragment_asks_for_brand_and_market(client, trafficker, dis):
    response = preview(client, dis, None, "Moana")

    assert response.status_code == 200
    assert "Choose a brand and a market" in text_of(response)


@pytest.mark.parametrize(
    "query",
    [
        "brand_id=garbage&market_id=garbage",
        "brand_id=%01&market_id=x&year=%ff",
        "year=99999999999999999999",
        "",
    ],
)
def test_preview_never_errors_on_garbage(client, trafficker, query):
    response = client.get(f"/campaigns/preview?{query}")

    assert response.status_code == 200


# =================================================================================================
# HTML: the list
# =================================================================================================


@pytest.fixture
def portfolio(db, create, with_status, dis, pix, us, jp):
    """Five campaigns over two brands, two markets, two years and all statuses."""
    made = {
        "moana": create(campaign_name="Moana Launch", budget="1500.50"),
        "frozen": with_status(
            create(campaign_name="Frozen Teaser", market_id=jp.id, budget="200000"), "ACTIVE"
        ),
        "cars": with_status(
            create(campaign_name="Cars Relaunch", brand_id=pix.id, year=2027, budget="10"),
            "PAUSED",
        ),
        "toy": with_status(
            create(
                campaign_name="Toy Story Summer",
                brand_id=pix.id,
                market_id=jp.id,
                budget="50000",
            ),
            "ACTIVE",
        ),
        "up": with_status(
            with_status(create(campaign_name="Up Again", year=2025, budget="999"), "ACTIVE"),
            "COMPLETED",
        ),
    }
    return {key: c.name for key, c in made.items()}


def list_names(client, query="", **headers) -> list[str]:
    response = client.get(f"/campaigns/?{query}", headers=headers)
    assert response.status_code == 200, response.text
    return page_of(response).names


def test_the_list_shows_every_campaign_with_brand_market_budget_and_status(
    client, trafficker, portfolio
):
    response = client.get("/campaigns/")

    assert response.status_code == 200
    rows = {row[0]: row for row in page_of(response).rows}
    assert set(rows) == set(portfolio.values())
    moana = rows["DIS_US_MULTI_2026_MoanaLaunch"]
    assert moana[1:6] == ["Disney", "US", "2026", "$1,500.50", "Draft"]
    assert rows["DIS_JP_MULTI_2026_FrozenTeaser"][4:6] == ["¥200,000", "Active"]
    assert "5 campaigns" in text_of(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brand={pix}", ["cars", "toy"]),
        ("market={jp}", ["frozen", "toy"]),
        ("year=2027", ["cars"]),
        ("year=2025", ["up"]),
        ("status=ACTIVE", ["frozen", "toy"]),
        ("status=COMPLETED", ["up"]),
        ("brand={dis}&market={jp}&status=ACTIVE&year=2026", ["frozen"]),
        ("brand={pix}&status=DRAFT", []),
        ("q=moana", ["moana"]),
        ("q=LAUNCH", ["moana", "cars"]),
        ("q=_jp_", ["frozen", "toy"]),
        ("q=pix_us_multi_2027", ["cars"]),
        ("q=%20%20story%20", ["toy"]),
        ("q=%25", []),
        ("q=_", ["moana", "frozen", "cars", "toy", "up"]),
        ("q=teaser&market={jp}", ["frozen"]),
        ("q=nothing-like-this", []),
    ],
)
def test_filters_and_search_narrow_the_list(
    client, trafficker, portfolio, dis, pix, jp, query, expected
):
    query = query.format(dis=dis.id, pix=pix.id, jp=jp.id)

    names = list_names(client, query)

    assert sorted(names) == sorted(portfolio[key] for key in expected)


def test_the_filter_bar_keeps_the_chosen_filters(client, trafficker, portfolio, pix):
    response = client.get(f"/campaigns/?brand={pix.id}&year=2027&status=PAUSED&q=cars")

    page = page_of(response)
    assert page.selects == {"brand": str(pix.id), "year": "2027", "status": "PAUSED"}
    assert page.inputs["q"] == "cars"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # No exchange rates here: yen and dollars are not compared but grouped by currency.
        ("budget", ["toy", "frozen", "cars", "up", "moana"]),
        ("name", ["frozen", "up", "moana", "toy", "cars"]),
        ("year", ["up", "frozen", "moana", "toy", "cars"]),
    ],
)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_the_list_sorts_by_column_both_ways(
    client, trafficker, portfolio, sort, expected, direction
):
    names = list_names(client, f"sort={sort}&dir={direction}")

    expected = [portfolio[key] for key in expected]
    if sort == "year":
        # Campaigns of the same year come in name order; compare the years only.
        years = [int(name.split("_")[-2]) for name in names]
        assert years == sorted(years, reverse=direction == "desc")
        assert sorted(names) == sorted(expected)
    else:
        assert names == (expected if direction == "asc" else expected[::-1])


def test_budget_sort_compares_amounts_not_text(db, client, trafficker, create):
    for budget in ["9", "10", "100.5", "1000", "20"]:
        create(campaign_name=f"Budget {budget.replace('.', 'p')}", budget=budget)

    rows = page_of(client.get("/campaigns/?sort=budget&dir=asc")).rows

    assert [row[4] for row in rows] == ["$9.00", "$10.00", "$20.00", "$100.50", "$1,000.00"]


def campaign_row(brand, market, n: int, status=CampaignStatus.DRAFT, year=2026) -> dict:
    """The columns of campaign number `n`, for a bulk INSERT."""
    return {
        "id": uuid.uuid4(),
        "name": f"{brand.internal_code}_{market.code}_MULTI_{year}_Launch{n:05d}",
        "campaign_name": f"Launch {n:05d}",
        "brand_id": brand.id,
        "market_id": market.id,
        "year": year,
        "budget": Decimal(n),
        "status": status,
    }


def bulk_campaigns(db, brand, market, count: int) -> None:
    """Insert `count` DRAFT campaigns in one statement."""
    db.session.execute(insert(Campaign), [campaign_row(brand, market, n) for n in range(count)])
    db.session.commit()


def test_pagination_shows_the_rest_on_page_two(db, client, trafficker, dis, us):
    bulk_campaigns(db, dis, us, 60)

    first = page_of(client.get("/campaigns/?sort=name&dir=asc"))
    second_response = client.get("/campaigns/?sort=name&dir=asc&page=2")
    second = page_of(second_response)

    assert len(first.names) == 50
    assert len(second.names) == 10
    assert set(first.names).isdisjoint(second.names)
    assert sorted(first.names + second.names) == first.names + second.names
    assert len(set(first.names + second.names)) == 60
    assert "Page 2 of 2" in text_of(second_response)
    # The pager keeps sort order in its links.
    assert any("page=1" in href and "sort=name" in href for href, _ in second.links)


def test_a_page_past_the_end_shows_no_rows_without_error(db, client, trafficker, dis, us):
    bulk_campaigns(db, dis, us, 3)

    response = client.get("/campaigns/?page=99")

    assert response.status_code == 200
    assert page_of(response).rows == []


def test_htmx_gets_only_the_table_fragment(client, trafficker, portfolio):
    full = client.get("/campaigns/?status=ACTIVE")
    fragment = client.get("/campaigns/?status=ACTIVE", headers={"HX-Request": "true"})

    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "<table" in fragment.text
    assert 'name="q"' not in fragment.text  # the filter bar is only on the full page
    assert sorted(page_of(fragment).names) == sorted(page_of(full).names)
    assert "HX-Request" in fragment.headers["Vary"]
    assert "<html" in full.text
    assert "HX-Request" in full.headers["Vary"]


@pytest.mark.parametrize(
    "query",
    [
        "brand=garbage",
        "market=garbage",
        "year=abc",
        "year=-1",
        "year=99999999999999999999999",
        "year=%C2%B2",
        "status=nope",
        "status=active",
        "page=-1",
        "page=abc",
        "page=0",
        "page=99999999999999999999",
        "page=%C2%B2",
        "sort=evil&dir=sideways",
        "q=" + "x" * 5000,
        "q=%27%3B%20DROP%20TABLE%20campaigns%3B--",
        "brand=&market=&year=&status=&page=&sort=&dir=&q=",
    ],
)
def test_invalid_filter_values_do_not_error(client, trafficker, portfolio, query):
    response = client.get(f"/campaigns/?{query}")

    assert response.status_code == 200
    if not query.startswith("q="):
        assert sorted(page_of(response).names) == sorted(portfolio.values())


def test_the_list_shows_ticket_counts_by_status(
    db, client, trafficker, create, make_ticket, make_channel
):
    busy, idle = create(campaign_name="Busy"), create(campaign_name="Idle")
    channel = make_channel()
    for _ in range(2):
        make_ticket(campaign=busy, channel=channel)
    make_ticket(campaign=busy, channel=channel).status = TicketStatus.QA_FAILED
    make_ticket(campaign=busy, channel=channel).status = TicketStatus.TRAFFICKED_SUCCESS
    db.session.commit()

    rows = {row[0]: row for row in page_of(client.get("/campaigns/")).rows}

    assert rows[busy.name][6] == "2 draft 1 qa failed 1 trafficked success"
    assert rows[idle.name][6] == "none"


def test_the_list_needs_a_login(client, portfolio):
    response = client.get("/campaigns/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# --- fixed number of queries -------------------------------------------------------------------


def bulk_seed(db, brands, market, channel, count: int, start: int) -> None:
    """`count` campaigns spread over `brands` and statuses, each with two tickets.

    One INSERT per table, so hundreds of rows take milliseconds.
    """
    statuses, ticket_statuses = list(CampaignStatus), list(TicketStatus)
    rows = [
        campaign_row(
            brands[n // len(statuses) % len(brands)], market, n, statuses[n % len(statuses)]
        )
        for n in range(start, start + count)
    ]
    db.session.execute(insert(Campaign), rows)
    tickets = [
        {
            "id": uuid.uuid4(),
            "campaign_id": row["id"],
            "channel_id": channel.id,
            "request_type": RequestType.CREATE_CAMPAIGN,
            "payload_config": {},
            "status": ticket_statuses[(k + j) % len(ticket_statuses)],
        }
        for k, row in enumerate(rows)
        for j in range(2)
    ]
    db.session.execute(insert(Ticket), tickets)
    db.session.commit()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=ACTIVE&brand={brand}",
        "q=launch0",
        "sort=budget&dir=desc",
        "market={market}&year=2026&q=MULTI",
    ],
    ids=["first-page", "filtered", "search", "sorted", "market-year-search"],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_the_list_runs_the_same_number_of_queries_for_10_and_500_campaigns(
    db, client, trafficker, count_queries, make_channel, dis, pix, us, query, htmx
):
    channel = make_channel()
    url = "/campaigns/?" + query.format(brand=dis.id, market=us.id)
    headers = {"HX-Request": "true"} if htmx else {}

    def measure():
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(url, headers=headers)
        assert response.status_code == 200
        return len(statements), page_of(response).rows

    bulk_seed(db, [dis, pix], us, channel, 10, start=0)
    few, few_rows = measure()
    bulk_seed(db, [dis, pix], us, channel, 490, start=10)
    many, many_rows = measure()

    assert 0 < len(few_rows) < len(many_rows) <= 50
    assert all(row[6] != "none" for row in many_rows), "every campaign has tickets"
    assert few == many, f"{few} queries for 10 campaigns but {many} for 500"


# =================================================================================================
# HTML: edit
# =================================================================================================


def test_edit_shows_name_brand_market_and_year_read_only(client, trafficker, create):
    campaign = create()

    response = client.get(f"/campaigns/{campaign.id}/edit")

    assert response.status_code == 200
    page = page_of(response)
    editable = set(page.inputs) | set(page.selects) | set(page.options)
    assert not editable & {"name", "campaign_name", "brand_id", "market_id", "year"}
    assert page.inputs["budget"] == "1500.50"
    assert page.selects["status"] == "DRAFT"
    assert page.options["status"] == ["DRAFT", "ACTIVE"]
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


# =================================================================================================
# HTML: roles, delete, unknown ids
# =================================================================================================


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
@pytest.mark.parametrize("campaign_id", [str(uuid.uuid4()), "not-a-uuid", "123"])
def test_unknown_campaigns_are_404(client, trafficker, method, path, campaign_id):
    response = getattr(client, method)(path.format(id=campaign_id), data={"budget": "1"})

    assert response.status_code == 404


# =================================================================================================
# Two people creating the same name at the same moment
# =================================================================================================


def test_two_simultaneous_creations_of_one_name_give_one_campaign_and_one_clear_error(
    app, db, dis, us, monkeypatch
):
    """Two people submit the same name at the same moment, each in their own session.

    A inserts and flushes, then waits until B has passed its "is it taken?" check and had
    0.3 s to reach its own INSERT, and commits. Neither saw the other's row, so the database's
    case-insensitive unique index decides: one campaign, and the other person gets Duplicate
    ("already exists"), never another error. On PostgreSQL B's INSERT waits on the index until
    A commits, then fails. On SQLite a POST takes the write lock at BEGIN, so B queues behind
    A and its check finds A's row.
    """
    brand_id, market_id = dis.id, us.id
    db.session.remove()  # the threads use sessions of their own
    on_postgresql = db.engine.dialect.name == "postgresql"

    a_flushed, b_checked = threading.Event(), threading.Event()
    checks: dict[str, Campaign | None] = {}  # what each "is it taken?" check found
    results: dict[str, uuid.UUID | Exception] = {}  # the new campaign's id, or the error
    seconds: dict[str, float] = {}  # how long each create_campaign call took
    real_find_by_name = service.find_by_name

    def find_by_name(name):
        found = real_find_by_name(name)
        checks[threading.current_thread().name] = found
        if threading.current_thread().name == "B":
            b_checked.set()
        return found

    monkeypatch.setattr(service, "find_by_name", find_by_name)

    def attempt(campaign_name, before_create, before_commit):
        me = threading.current_thread().name
        # Each thread is a POST request of its own, with its own session.
        with app.test_request_context(method="POST"):
            try:
                before_create()
                started = time.monotonic()
                try:
                    campaign = service.create_campaign(
                        brand_id=brand_id,
                        market_id=market_id,
                        campaign_name=campaign_name,
                        budget="1",
                    )
                    db.session.flush()
                finally:
                    seconds[me] = time.monotonic() - started
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
        # On SQLite B cannot reach its check before A commits: wait briefly, not forever.
        b_checked.wait(2 if on_postgresql else 0.5)
        time.sleep(0.3)

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
    assert error.status_code == 400
    assert error.field == "campaign_name"
    db.session.expire_all()
    assert db.session.scalars(select(Campaign.id)).all() == [results["A"]]
    assert db.session.get(Campaign, results["A"]).name == f"DIS_US_MULTI_{THIS_YEAR}_MoanaLaunch"
    if on_postgresql:
        # A real race: both checks found nothing, and B's INSERT waited for A's commit.
        assert checks == {"A": None, "B": None}
        assert seconds["B"] >= 0.25, seconds
