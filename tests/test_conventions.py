"""Naming conventions an admin defines: versions, segments, pick-lists, the live editor, and
ad set / ad group names that follow their own convention in the platform requests."""

import pytest

from omnitraffick.models import Campaign, NamingConvention, RequestType, Role
from omnitraffick.services import campaigns, naming, tickets
from omnitraffick.services.errors import ValidationError
from tests.html import parse

TEXT = {"kind": "text", "max_length": 40, "casing": "pascal"}


def segments(*kinds, text=TEXT):
    return [
        text
        if k == "text"
        else ({"kind": "list", "list": k[5:]} if k.startswith("list:") else {"kind": k})
        for k in kinds
    ]


@pytest.fixture
def admin(db, make_user):
    return make_user(Role.ADMIN)


def create(brand, market, text="Moana Launch", **kw):
    campaign = campaigns.create_campaign(
        brand_id=brand.id, market_id=market.id, campaign_name=text, year=2026, budget="10", **kw
    )
    naming.db.session.commit()
    return campaign


# --- the default ------------------------------------------------------------------------------


def test_the_built_in_version_reproduces_the_original_names(db, dis, us, meta, make_ticket):
    campaign = create(dis, us)
    assert campaign.name == "DIS_US_MULTI_2026_MoanaLaunch"
    assert campaign.naming_version == 1
    ticket = make_ticket(campaign=campaign, channel=meta)
    assert ticket.platform_name == "DIS_US_META_2026_MoanaLaunch"
    assert [c.version for c in naming.versions("campaign")] == [1]


# --- versions ---------------------------------------------------------------------------------


def test_saving_makes_a_new_version_and_older_names_stay_valid(
    db, admin, dis, us, meta, make_ticket
):
    old = create(dis, us)
    saved = naming.save_convention(
        "campaign", "-", segments("market", "brand", "year", "text", "channel"), admin
    )
    db.session.commit()
    assert saved.version == 2
    new = create(dis, us, "summer sale")
    assert new.name == "US-DIS-2026-SummerSale-MULTI"
    assert new.naming_version == 2
    # The channel part of the new version sits at the end: each ticket swaps in its code.
    assert make_ticket(campaign=new, channel=meta).platform_name == "US-DIS-2026-SummerSale-META"
    assert make_ticket(campaign=old, channel=meta).platform_name == "DIS_US_META_2026_MoanaLaunch"
    results = naming.validate_names([old.name, new.name, "US-DIS-2026-SummerSale-META"])
    assert [(r.valid, r.version) for r in results] == [(True, 1), (True, 2), (True, 2)]
    assert db.session.query(NamingConvention).filter_by(level="campaign").count() == 2


def test_a_convention_without_a_channel_part_sends_the_campaign_name(
    db, admin, dis, us, meta, make_ticket
):
    naming.save_convention("campaign", "_", segments("brand", "market", "text"), admin)
    db.session.commit()
    campaign = create(dis, us)
    assert campaign.name == "DIS_US_MoanaLaunch"
    assert make_ticket(campaign=campaign, channel=meta).platform_name == "DIS_US_MoanaLaunch"


def test_saving_the_same_convention_again_is_refused(db, admin):
    with pytest.raises(ValidationError, match="Nothing changed"):
        naming.save_convention(
            "campaign",
            "_",
            segments(
                "brand",
                "market",
                "channel",
                "year",
                "text",
                text={"kind": "text", "max_length": 100, "casing": "as_typed"},
            ),
            admin,
        )


@pytest.mark.parametrize(
    ("level", "separator", "kinds", "message"),
    [
        ("campaign", "_", ("brand", "market"), "needs a free-text segment"),
        ("campaign", "_", ("brand", "quarter", "text"), "cannot hold the quarter"),
        ("adset", "_", ("brand", "brand", "text"), "brand is repeated"),
        ("adset", "x", ("brand", "text"), "separator must be one of"),
        ("adset", "_", ("brand", "list:NOPE"), "Pick-list NOPE does not exist"),
        ("adset", "_", ("text", "text"), "at most one free-text segment"),
        ("adset", "_", (), "at least one segment"),
    ],
)
def test_a_convention_that_cannot_work_is_refused(db, admin, level, separator, kinds, message):
    with pytest.raises(ValidationError, match=message):
        naming.save_convention(level, separator, segments(*kinds), admin)
    assert db.session.query(NamingConvention).count() == 0


# --- pick-lists -------------------------------------------------------------------------------


def test_a_pick_list_depending_on_the_brand_checks_the_chosen_value(db, admin, dis, pix, us):
    naming.save_pick_list(
        code="SUBBRAND",
        label="Sub-brand",
        depends_on="brand",
        values="DIS/FROZEN = Frozen\nDIS/MOANA = Moana\nPIX/CARS = Cars",
    )
    naming.save_convention(
        "campaign", "_", segments("brand", "list:SUBBRAND", "market", "text"), admin
    )
    db.session.commit()
    made = create(dis, us, "Launch", name_picks={"SUBBRAND": "moana"})
    assert made.name == "DIS_MOANA_US_Launch"
    assert made.name_picks == {"SUBBRAND": "MOANA"}
    with pytest.raises(ValidationError, match=r"CARS \(Cars\) belongs to PIX, not DIS"):
        create(dis, us, "Other", name_picks={"SUBBRAND": "CARS"})
    with pytest.raises(ValidationError, match="Choose a value for Sub-brand"):
        create(dis, us, "Third")
    result = naming.validate_names(["PIX_FROZEN_US_Launch"])[0]
    assert not result.valid
    assert result.problems == ["FROZEN (Sub-brand) belongs to DIS, not PIX."]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("", "at least one value"),
        ("A = x\nA = y", "Line 2: A is listed twice"),
        ("1BAD = x", "Line 1: 1BAD is not a code"),
        ("DIS/X = x", "depends on nothing"),
    ],
)
def test_pick_list_values_are_checked(db, values, message):
    with pytest.raises(ValidationError, match=message):
        naming.save_pick_list(code="L", label="List", depends_on="", values=values)


# --- the editor ---------------------------------------------------------------------------------


def editor_form(separator, kinds):
    data = {"separator": separator}
    for i, kind in enumerate(kinds):
        data[f"segments-{i}-kind"] = kind
        data[f"segments-{i}-max_length"] = "30"
        data[f"segments-{i}-casing"] = "upper"
    return data


def test_the_editor_previews_the_sample_name_and_the_impact_live(
    client, login, dis, us, make_campaign
):
    login(Role.ADMIN)
    make_campaign(brand=dis, market=us)  # DIS_US_MULTI_2026_MoanaLaunch
    page = parse(client.get("/naming/conventions/edit?level=campaign").text)
    assert page.by_id("sample-name").text == "DIS_US_MULTI_2026_MoanaLaunch"
    assert "All 1 existing campaign name match" in page.by_id("impact").text
    fragment = client.get(
        "/naming/conventions/preview",
        query_string={"level": "campaign"} | editor_form("-", ["brand", "year", "text"]),
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200
    html = parse(fragment.text)
    assert html.by_id("sample-name").text == "DIS-2026-MOANALAUNCH"
    assert "1 of 1 existing campaign name would not match" in html.by_id("impact").text
    bad = parse(
        client.get(
            "/naming/conventions/preview",
            query_string={"level": "campaign"} | editor_form("_", ["brand"]),
            headers={"HX-Request": "true"},
        ).text
    )
    assert "needs a free-text segment" in bad.by_id("sample-problem").text


def test_saving_in_the_editor_makes_a_version(client, login, db):
    login(Role.ADMIN)
    response = client.post(
        "/naming/conventions/edit?level=adset",
        data=editor_form("_", ["brand", "channel", "quarter", "text"]),
    )
    assert response.status_code == 302
    page = client.get("/naming/").text
    assert "BRAND_CHANNEL_QUARTER_TEXT" in page
    refused = client.post(
        "/naming/conventions/edit?level=adset", data=editor_form("_", ["brand", "brand", "text"])
    )
    assert refused.status_code == 422
    assert "brand is repeated" in refused.text
    assert db.session.query(NamingConvention).filter_by(level="adset").count() == 2


@pytest.mark.parametrize("role", [Role.TRAFFICKER, Role.VIEWER])
def test_only_admins_edit_conventions(client, login, role):
    login(role)
    assert client.get("/naming/conventions/edit?level=campaign").status_code == 403
    assert (
        client.post(
            "/naming/conventions/edit?level=campaign", data=editor_form("_", ["brand", "text"])
        ).status_code
        == 403
    )
    assert client.get("/naming/").status_code == 200


def test_an_unknown_level_is_a_clear_422(client, login):
    login(Role.ADMIN)
    response = client.get("/naming/conventions/edit?level=banner")
    assert response.status_code == 422
    assert "Level must be one of campaign, adset, ad" in response.text


def test_the_editor_page_runs_a_fixed_number_of_queries(
    client, login, make_campaign, count_queries
):
    login(Role.ADMIN)
    make_campaign()
    with count_queries() as few:
        client.get("/naming/conventions/edit?level=campaign")
    for _ in range(5):
        make_campaign()
    with count_queries() as many:
        client.get("/naming/conventions/edit?level=campaign")
    assert len(many) == len(few)


# --- ad set / ad group names --------------------------------------------------------------------


def ready_settings():
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "150.00",
        "flight_start": "2027-03-01",
        "flight_end": "2027-03-31",
        "landing_url": "https://www.disney.com/moana",
    }


def test_an_ad_set_name_follows_its_own_convention_in_the_meta_request(
    db, admin, dis, us, meta, tiktok, make_ticket
):
    naming.save_convention(
        "adset", "_", segments("brand", "channel", "objective", "quarter", "text"), admin
    )
    db.session.commit()
    campaign = create(dis, us, "Straße Frühling")
    ticket = make_ticket(campaign=campaign, channel=meta)
    ticket.payload_config = ready_settings()
    db.session.commit()
    requests = tickets.platform_request(ticket).requests
    assert requests[0].body["name"] == "DIS_US_META_2026_StrasseFruhling"
    assert requests[1].body["name"] == "DIS_META_TRAFFIC_Q1_StrasseFruhling"
    other = make_ticket(campaign=campaign, channel=tiktok)
    other.payload_config = ready_settings()
    db.session.commit()
    bodies = [r.body for r in tickets.platform_request(other).requests]
    [adgroup] = [body for body in bodies if "adgroup_name" in body]
    assert adgroup["adgroup_name"] == "DIS_TIKTOK_TRAFFIC_Q1_StrasseFruhling"


def test_an_ad_set_name_that_cannot_be_made_is_a_translation_problem(
    db, admin, dis, us, meta, make_ticket
):
    naming.save_convention("adset", "_", segments("brand", "month", "text"), admin)
    db.session.commit()
    ticket = make_ticket(
        campaign=create(dis, us), channel=meta, request_type=RequestType.CREATE_CAMPAIGN
    )
    ticket.payload_config = ready_settings() | {"flight_start": ""}
    db.session.commit()
    with pytest.raises(ValidationError) as refused:
        tickets.platform_request(ticket)
    assert (
        "The ad set / ad group name cannot be made: The name needs the month of the flight "
        "start: set the flight." in refused.value.message
    )


def test_a_name_too_long_for_google_is_refused(db, dis, us, google, make_ticket):
    campaign = create(dis, us, "x" * 100)
    campaign.name = campaign.name + "Y" * (255 - len(campaign.name))  # the longest stored
    db.session.commit()
    ticket = make_ticket(campaign=campaign, channel=google)
    ticket.payload_config = ready_settings()
    db.session.commit()
    with pytest.raises(ValidationError, match="Google Ads takes at most 255"):
        tickets.platform_request(ticket)
    assert db.session.query(Campaign).count() == 1


# --- a campaign under an organisation's convention ---------------------------------------------


@pytest.fixture
def own_convention(db, admin):
    naming.save_pick_list(
        code="SUBBRAND", label="Sub-brand", depends_on="brand", values="DIS/MOANA = Moana"
    )
    naming.save_convention(
        "campaign", "-", segments("brand", "list:SUBBRAND", "channel", "text", "year"), admin
    )
    db.session.commit()


def test_the_campaign_form_asks_for_the_pick_lists_and_previews_them(
    client, login, db, dis, us, own_convention
):
    login(Role.TRAFFICKER)
    page = parse(client.get("/campaigns/new").text)
    assert page.options("pick_SUBBRAND") == ["MOANA"]
    preview = client.get(
        "/campaigns/preview",
        query_string={
            "brand_id": dis.id,
            "market_id": us.id,
            "campaign_name": "Spring",
            "pick_SUBBRAND": "MOANA",
        },
        headers={"HX-Request": "true"},
    )
    assert "DIS-MOANA-MULTI-" in preview.text and "Spring" in preview.text
    form = {
        "brand_id": dis.id,
        "market_id": us.id,
        "campaign_name": "Spring",
        "year": "2026",
        "budget": "5",
        "status": "DRAFT",
    }
    refused = client.post("/campaigns/new", data=form)
    assert refused.status_code == 422
    assert "Choose a value for Sub-brand." in refused.text
    made = client.post("/campaigns/new", data=form | {"pick_SUBBRAND": "MOANA"})
    assert made.status_code == 302
    campaign = db.session.query(Campaign).one()
    assert campaign.name == "DIS-MOANA-MULTI-Spring-2026"
    assert campaign.name_text == "Spring"


def test_a_campaign_of_an_own_convention_shows_and_passes_qa_on_its_name(
    client, login, db, dis, us, meta, own_convention, make_ticket
):
    login(Role.TRAFFICKER)
    campaign = create(dis, us, "Spring", name_picks={"SUBBRAND": "MOANA"})
    page = client.get(f"/campaigns/{campaign.id}")
    assert page.status_code == 200 and "DIS-MOANA-MULTI-Spring-2026" in page.text
    api = client.get(f"/api/v1/campaigns/{campaign.id}")
    assert api.get_json()["name_parts"]["campaign"] == "Spring"
    ticket = make_ticket(campaign=campaign, channel=meta)
    assert ticket.platform_name == "DIS-MOANA-META-Spring-2026"
    from omnitraffick.services import qa

    findings = {f.rule: f for f in qa.run(qa.context_for(ticket, None))}
    assert findings["taxonomy"].passed, findings["taxonomy"]


def test_the_ticket_pages_show_the_ad_set_name_beside_the_platform_name(
    client, login, db, admin, dis, us, meta, make_ticket
):
    login(Role.TRAFFICKER)
    naming.save_convention("adset", "_", segments("brand", "objective", "month", "text"), admin)
    db.session.commit()
    ticket = make_ticket(campaign=create(dis, us), channel=meta)
    ticket.payload_config = ready_settings()
    db.session.commit()
    names = parse(client.get(f"/tickets/{ticket.id}").text).by_id("ticket-names")
    assert "DIS_US_META_2026_MoanaLaunch" in names.text
    assert "DIS_TRAFFIC_03_MoanaLaunch" in names.text
    live = client.get(
        f"/tickets/{ticket.id}/names",
        query_string={"objective": "LEADS", "flight_start": "2027-11-02"},
        headers={"HX-Request": "true"},
    )
    assert parse(live.text).by_id("adset-name").text == "DIS_LEADS_11_MoanaLaunch"
    unmade = client.get(
        f"/tickets/{ticket.id}/names",
        query_string={"objective": "", "flight_start": "2027-11-02"},
        headers={"HX-Request": "true"},
    )
    assert "Cannot be made yet: The name needs the objective: choose one." in unmade.text


def test_an_admin_keeps_pick_lists_in_their_pages(client, login, db):
    login(Role.ADMIN)
    form = {
        "code": "sub",
        "label": "Sub-brand",
        "depends_on": "brand",
        "values": "DIS/FROZEN = Frozen",
    }
    assert client.post("/naming/lists/edit", data=form).status_code == 302
    page = client.get("/naming/lists").text
    assert "Sub-brand" in page and "FROZEN" in page
    edit = parse(client.get("/naming/lists/edit", query_string={"code": "SUB"}).text)
    assert edit.find("textarea").text == "DIS/FROZEN = Frozen"
    changed = client.post(
        "/naming/lists/edit?code=SUB", data=form | {"code": "SUB", "values": "DIS/ELSA = Elsa"}
    )
    assert changed.status_code == 302
    assert naming.pick_lists()["SUB"].values[0].code == "ELSA"
    refused = client.post("/naming/lists/edit", data=form)
    assert refused.status_code == 422 and "A pick-list SUB already exists." in refused.text
    assert client.get("/naming/lists/edit", query_string={"code": "NOPE"}).status_code == 404
