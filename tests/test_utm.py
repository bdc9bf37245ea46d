"""UTM parameters in the app: the per-channel mapping an admin edits on the channel page, the
ticket forms' Apply UTM parameters, the QA rules that compare with the same builder, and the
landing URL the translators send. Parameters: https://support.google.com/analytics/answer/10917952
"""

from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import func, select

from omnitraffick.models import Channel, RequestType, Role, Ticket, UtmMapping
from omnitraffick.services import naming, qa, reference, tickets, utm
from tests.html import parse, text_of

NAME = "DIS_US_META_2026_MoanaLaunch"
STORE = "https://play.google.com/store/apps/details?id=com.disney.moana"


def channel_form(channel, **fields):
    return {
        "platform_name": channel.platform_name,
        "api_identifier": channel.api_identifier,
        "lead_days": "",
        "utm_source": "Facebook",
        "utm_medium": "paid_social",
        "utm_extra": "utm_source_platform = Meta_Ads",
        "utm_content_adset": "y",
    } | fields


def set_mapping(db, channel, source="facebook", medium="paid_social", **kw):
    utm.save_mapping(channel, utm.UtmSettings(source, medium, **kw))
    db.session.commit()


def settings(**fields):
    return {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "100.00",
        "flight_start": "2026-02-01",
        "flight_end": "2026-02-28",
        "landing_url": f"https://www.disney.com/moana?ref=home&utm_campaign={NAME}#cast",
        "initial_status": "PAUSED",
    } | fields


@pytest.fixture
def ticket(db, moana, meta):
    row = Ticket(
        campaign_id=moana.id,
        channel_id=meta.id,
        request_type=RequestType.CREATE_CAMPAIGN,
        payload_config=settings(),
    )
    db.session.add(row)
    db.session.commit()
    return row


def query(url):
    return dict(parse_qsl(urlsplit(url).query))


# --- the admin's mapping on the channel page ------------------------------------------------


def test_an_admin_sets_a_channel_mapping_in_lowercase(db, client, login, meta):
    login(Role.ADMIN)

    response = client.post(f"/channels/{meta.id}/edit", data=channel_form(meta))

    assert response.status_code == 302, text_of(response)
    row = db.session.scalar(select(UtmMapping))
    assert (row.channel_id, row.utm_source, row.utm_medium) == (meta.id, "facebook", "paid_social")
    assert row.extra == [["utm_source_platform", "meta_ads"]]
    assert row.content_from_adset and not row.lowercase_names
    form = parse(client.get(f"/channels/{meta.id}/edit")).inputs
    assert form["utm_source"] == "facebook"
    assert form["utm_medium"] == "paid_social"
    assert form["utm_extra"].strip() == "utm_source_platform = meta_ads"


def test_a_new_channel_can_come_with_its_mapping(db, client, login):
    login(Role.ADMIN)
    form = {"platform_name": "TikTok", "api_identifier": "tiktok", "utm_source": "TikTok"}

    response = client.post("/channels/new", data=form | {"utm_medium": "Paid_Social"})

    assert response.status_code == 302, text_of(response)
    channel = db.session.scalar(select(Channel).where(Channel.api_identifier == "TIKTOK"))
    assert utm.mapping_for(channel.id) == utm.UtmSettings(
        "tiktok", "paid_social", content_from_adset=False
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"utm_medium": ""}, "utm_medium", "utm_medium is required"),
        ({"utm_source": "face book"}, "utm_source", "use lowercase letters, digits"),
        ({"utm_extra": "utm_campaign = x"}, "utm_extra", "utm_campaign is the name"),
    ],
)
def test_a_bad_mapping_is_refused_under_its_field_and_nothing_is_saved(
    db, client, login, meta, fields, field, message
):
    login(Role.ADMIN)

    response = client.post(
        f"/channels/{meta.id}/edit", data=channel_form(meta, platform_name="Renamed", **fields)
    )

    assert response.status_code == 422
    assert message in parse(response).field_errors[field]
    assert db.session.scalar(select(func.count()).select_from(UtmMapping)) == 0
    db.session.expire_all()
    assert db.session.get(Channel, meta.id).platform_name == "Meta"


def test_blank_source_and_medium_remove_the_mapping(db, client, login, meta):
    set_mapping(db, meta)
    login(Role.ADMIN)

    blank = channel_form(meta, utm_source="", utm_medium="", utm_extra="")
    response = client.post(f"/channels/{meta.id}/edit", data=blank)

    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UtmMapping)) == 0


def test_a_trafficker_cannot_change_a_mapping(db, client, trafficker, meta):
    response = client.post(f"/channels/{meta.id}/edit", data=channel_form(meta))

    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(UtmMapping)) == 0


def test_a_deleted_channel_takes_its_mapping_with_it(db, meta):
    set_mapping(db, meta)

    reference.delete_channel(meta)
    db.session.commit()

    assert db.session.scalar(select(func.count()).select_from(UtmMapping)) == 0


# --- Apply UTM parameters on the ticket forms -----------------------------------------------


def edit_form(ticket, **fields):
    return (
        {"version": str(ticket.version), "request_type": "CREATE_CAMPAIGN"}
        | settings(target_status="")
        | {"apply_utm": "1"}
        | fields
    )


def test_apply_fills_the_landing_url_with_htmx_and_saves_nothing(
    db, client, trafficker, ticket, meta
):
    set_mapping(db, meta)
    before = dict(ticket.payload_config)

    response = client.post(
        f"/tickets/{ticket.id}/edit", data=edit_form(ticket), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    fragment = parse(response)
    assert fragment.by_id("landing-url-field") is not None
    built = fragment.values("landing_url")[0]
    assert built == (
        "https://www.disney.com/moana?ref=home"
        f"&utm_campaign={NAME}&utm_source=facebook&utm_medium=paid_social&utm_content={NAME}#cast"
    )
    assert "with META's mapping" in fragment.by_id("utm-note").text
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).payload_config == before


def test_apply_without_javascript_comes_back_as_the_whole_form(db, client, trafficker, ticket):
    response = client.post(
        f"/tickets/{ticket.id}/edit",
        data=edit_form(ticket, landing_url="https://www.disney.com/moana"),
    )

    assert response.status_code == 200
    page = parse(response)
    assert page.values("landing_url") == [f"https://www.disney.com/moana?utm_campaign={NAME}"]
    assert page.values("budget_amount") == ["100.00"]  # the rest of the form as typed
    assert any("no UTM mapping yet" in text for _, text in page.flashes)


def test_apply_refuses_an_address_that_is_not_a_web_page(db, client, trafficker, ticket):
    response = client.post(
        f"/tickets/{ticket.id}/edit",
        data=edit_form(ticket, landing_url="ftp://files.example.com/moana"),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    fragment = parse(response)
    assert "must start with https://" in fragment.field_errors["landing_url"]
    assert fragment.values("landing_url") == ["ftp://files.example.com/moana"]


def test_apply_on_the_new_ticket_form_needs_the_campaign_and_channel(
    db, client, trafficker, moana, meta
):
    form = settings(landing_url="https://www.disney.com/moana", apply_utm="1")
    fragment_headers = {"HX-Request": "true"}

    no_channel = client.post(
        "/tickets/new", data=form | {"campaign_id": str(moana.id)}, headers=fragment_headers
    )
    assert no_channel.status_code == 422
    assert "Choose the channel first" in parse(no_channel).field_errors["landing_url"]

    set_mapping(db, meta, content_from_adset=False)
    chosen = form | {"campaign": moana.name, "channel_id": str(meta.id)}
    response = client.post("/tickets/new", data=chosen, headers=fragment_headers)

    assert response.status_code == 200
    assert query(parse(response).values("landing_url")[0]) == {
        "utm_source": "facebook",
        "utm_medium": "paid_social",
        "utm_campaign": NAME,
    }
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_utm_content_is_the_ad_set_name_of_its_own_convention(db, client, trafficker, ticket, meta):
    admin = trafficker  # conventions are saved through the service here
    text = {"kind": "text", "max_length": 40, "casing": "pascal"}
    segments = [{"kind": "brand"}, {"kind": "objective"}, {"kind": "month"}, text]
    naming.save_convention("adset", "_", segments, admin)
    set_mapping(db, meta)

    response = client.post(
        f"/tickets/{ticket.id}/edit", data=edit_form(ticket), headers={"HX-Request": "true"}
    )

    assert query(parse(response).values("landing_url")[0])["utm_content"] == (
        "DIS_TRAFFIC_02_MoanaLaunch"
    )

    no_start = edit_form(ticket, flight_start="")
    response = client.post(
        f"/tickets/{ticket.id}/edit", data=no_start, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "ad set / ad group name" in parse(response).field_errors["landing_url"]


def test_the_forms_offer_the_apply_button(client, trafficker, ticket, moana):
    for url in (f"/tickets/{ticket.id}/edit", f"/tickets/new?campaign_id={moana.id}"):
        button = parse(client.get(url)).find("button", name="apply_utm")
        assert button is not None and button.text == "Apply UTM parameters"


# --- QA compares with the same builder ------------------------------------------------------


def findings(ticket):
    return {f.rule: f for f in qa.run(qa.context_for(ticket, None))}


def test_with_a_mapping_qa_blocks_a_url_that_does_not_follow_it(db, ticket, meta):
    set_mapping(db, meta)
    ticket.payload_config = settings(
        landing_url=f"https://www.disney.com/moana?utm_source=fb&utm_campaign={NAME}"
    )
    db.session.commit()

    found = findings(ticket)

    mapping = found["utm_mapping"]
    assert not mapping.passed and mapping.severity == qa.BLOCK
    assert "utm_source is fb; META's UTM mapping makes it facebook." in mapping.message
    assert "The landing URL has no utm_medium; META's UTM mapping makes it paid_social." in (
        mapping.message
    )
    assert "Apply UTM parameters" in mapping.message
    assert found["utm_campaign"].passed
    assert found["utm_source_medium"].passed  # the mapping rule took over the warning


def test_a_url_built_by_the_builder_passes_every_utm_rule(db, ticket, meta):
    set_mapping(db, meta, lowercase_names=True)
    built = utm.apply(ticket.campaign, meta, ticket.payload_config)
    ticket.payload_config = settings(landing_url=built)
    db.session.commit()

    found = findings(ticket)

    assert query(built)["utm_campaign"] == NAME.lower()
    assert all(found[code].passed for code in ("utm_campaign", "utm_mapping", "utm_source_medium"))


def test_lowercase_names_make_qa_expect_a_lowercase_utm_campaign(db, ticket, meta):
    set_mapping(db, meta, lowercase_names=True)

    found = findings(ticket)  # the URL carries utm_campaign as the platform name

    assert found["utm_campaign"].message == f"utm_campaign is {NAME}; it should be {NAME.lower()}."


# --- the translators send the built URL -----------------------------------------------------


def test_meta_app_installs_send_the_built_store_url(db, client, trafficker, ticket, meta):
    # The only request body that carries the landing URL: the ad set's promoted_object.
    set_mapping(db, meta, content_from_adset=False)
    ticket.payload_config = settings(
        objective="APP_INSTALLS",
        landing_url=STORE,
        flight_start="2027-03-01",  # to come: a flight that is over cannot be created
        flight_end="2027-03-31",
    )
    db.session.commit()

    adset = tickets.platform_request(ticket).requests[1].body

    sent = adset["promoted_object"]["object_store_url"]
    assert sent == f"{STORE}&utm_source=facebook&utm_medium=paid_social&utm_campaign={NAME}"
    # The ticket page shows the request as it will be sent.
    assert (
        "utm_source=facebook&amp;utm_medium=paid_social" in client.get(f"/tickets/{ticket.id}").text
    )


def test_mappings_are_read_once_per_session_for_many_tickets(
    db, count_queries, moana, meta, tiktok
):
    set_mapping(db, meta)
    set_mapping(db, tiktok, "tiktok", "paid_social")
    many = [
        Ticket(
            campaign_id=moana.id,
            channel_id=channel.id,
            request_type=RequestType.CREATE_CAMPAIGN,
            payload_config=settings(),
        )
        for channel in (meta, tiktok) * 3
    ]
    db.session.add_all(many)
    db.session.commit()
    db.session.expire_all()
    many = db.session.scalars(select(Ticket)).all()
    db.session.info.pop("utm_mappings", None)

    with count_queries() as counted:
        for row in many:
            utm.landing_url_for(row, None)

    assert len([q for q in counted if "utm_mappings" in q]) == 1
