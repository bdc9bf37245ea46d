"""Adding, changing, deleting and reordering a ticket's ads (services/ad_editing.py): every
refusal with its message, the history each change leaves, and the new version it makes."""

from datetime import UTC, datetime

import pytest

from omnitraffick.models import TicketChange, TicketStatus
from omnitraffick.services import ad_editing, creatives
from omnitraffick.services.errors import Conflict, NotFound, ValidationError

S = TicketStatus


def refusal(ticket, **values) -> dict:
    """The per-field messages adding an ad with `values` (over a valid Meta ad) is refused with."""
    raw = {
        "name_text": "Hero",
        "placements": ["meta_feed"],
        "call_to_action": "LEARN_MORE",
        **values,
    }
    with pytest.raises(ValidationError) as caught:
        ad_editing.add_ad(ticket, raw, actor=None)
    return caught.value.errors


def history(ticket) -> list[tuple[str, str | None, str | None]]:
    return [(c.field, c.old_value, c.new_value) for c in ticket.changes]


def test_an_added_ad_is_stored_in_the_history_and_makes_a_new_version(
    db, ad_ticket, add, make_creative, dis, trafficker
):
    ticket = ad_ticket()
    image = make_creative(dis, 1200, 628)
    version = ticket.version

    ad = add(
        ticket,
        actor=trafficker,
        creative_ids=[str(image.id)],
        placements=["meta_stories", "meta_feed"],
        primary_text="  Sail with Moana\r\nTonight  ",
        landing_url="https://example.com/offer",
    )

    assert ad.position == 1
    assert ad.placements == ["meta_feed", "meta_stories"]  # in the table's order
    assert [link.creative for link in ad.creative_links] == [image]
    assert ad.primary_text == "Sail with Moana\nTonight"
    assert ad.landing_url == "https://example.com/offer"
    assert ticket.version == version + 1
    assert history(ticket)[-1] == ("Ad 1", None, "DIS_US_META_2026_Hero")
    assert ticket.changes[-1].actor == trafficker


def test_a_second_ad_goes_after_the_first(ad_ticket, add):
    ticket = ad_ticket()
    add(ticket)
    second = add(ticket, name_text="Teaser")
    assert second.position == 2
    assert [a.name_text for a in ticket.ads] == ["Hero", "Teaser"]


def test_placements_must_be_the_channels_platforms(ad_ticket):
    ticket = ad_ticket()
    assert refusal(ticket, placements=["tiktok_in_feed"]) == {
        "placements": [
            "tiktok_in_feed is not a placement of Meta; choose from meta_feed, meta_stories, "
            "meta_reels."
        ]
    }
    assert refusal(ticket, placements=[]) == {
        "placements": ["Choose at least one placement (Meta Feed, Meta Stories, Meta Reels)."]
    }


def test_creatives_must_be_in_the_campaign_brands_library(ad_ticket, make_creative, pix):
    ticket = ad_ticket()
    other = make_creative(pix)
    assert refusal(ticket, creative_ids=[str(other.id)]) == {
        "creative_ids": [
            f"Creative {other.id} is not in Disney's library (deleted, or another brand's); "
            "pick from the library."
        ]
    }
    assert refusal(ticket, creative_ids=["nope"]) == {
        "creative_ids": ["'nope' is not a creative of Disney's library."]
    }


def test_a_meta_ad_shows_one_creative(ad_ticket, make_creative, dis):
    ticket = ad_ticket()
    ids = [str(make_creative(dis).id), str(make_creative(dis).id)]
    assert refusal(ticket, creative_ids=ids) == {
        "creative_ids": [
            "A Meta ad shows one image or video; this one has 2. Choose one (or make an ad "
            "for each)."
        ]
    }


def test_the_call_to_action_is_one_the_platform_takes(ad_ticket):
    ticket = ad_ticket()
    assert refusal(ticket, call_to_action="BUY_NOW") == {
        "call_to_action": [
            "BUY_NOW is not a call to action Meta takes; choose from LEARN_MORE, SHOP_NOW, "
            "SIGN_UP, BOOK_NOW, DOWNLOAD, CONTACT_US, APPLY_NOW, ORDER_NOW, GET_QUOTE, "
            "SUBSCRIBE, WATCH_MORE, BUY_TICKETS."
        ]
    }
    assert refusal(ticket, call_to_action="")["call_to_action"][0].startswith(
        "Choose a call to action (Learn more, Shop now,"
    )


def test_a_google_search_ad_takes_no_call_to_action_and_no_creative(
    db, ad_ticket, google, make_creative, dis
):
    ticket = ad_ticket(channel=google)
    search = {"placements": ["google_search"], "headline": "One\nTwo\nThree"}
    assert refusal(ticket, **search, call_to_action="LEARN_MORE") == {
        "call_to_action": ["A Google responsive search ad takes no call to action; leave it empty."]
    }
    image = make_creative(dis, 1200, 628)
    assert refusal(ticket, **search, call_to_action="", creative_ids=[str(image.id)]) == {
        "creative_ids": [
            "A text-only ad (Google responsive search) takes no image or video; remove the "
            "creatives."
        ]
    }
    assert refusal(
        ticket, placements=["google_search", "google_display_square"], call_to_action="BUY_NOW"
    ) == {
        "placements": [
            "Google responsive search ads are text only and cannot share an ad with image or "
            "video placements; make them an ad of their own."
        ]
    }
    ad = ad_editing.add_ad(ticket, {"name_text": "Search", **search}, actor=None)
    assert ad.call_to_action == "" and ad.creative_links == []


def test_a_google_display_ad_takes_several_images(db, ad_ticket, google, make_creative, dis):
    ticket = ad_ticket(channel=google)
    wide, square = make_creative(dis, 1200, 628), make_creative(dis, 600, 600)
    ad = ad_editing.add_ad(
        ticket,
        {
            "name_text": "Display",
            "placements": ["google_display_landscape", "google_display_square"],
            "creative_ids": [str(square.id), str(wide.id), str(square.id)],
            "headline": "Sail\nExplore",
            "call_to_action": "BUY_NOW",
        },
        actor=None,
    )
    assert [link.creative for link in ad.creative_links] == [square, wide]
    assert [link.position for link in ad.creative_links] == [1, 2]


def test_the_landing_url_is_checked_as_the_tickets_is(ad_ticket):
    ticket = ad_ticket()
    assert refusal(ticket, landing_url="example.com/offer") == {
        "landing_url": ["Landing URL must be a full web address, e.g. https://example.com/page."]
    }
    assert refusal(ticket, landing_url="https://example.com/" + "a" * 2000) == {
        "landing_url": ["Landing URL must be at most 2,000 characters."]
    }


def test_texts_fit_their_columns(ad_ticket):
    ticket = ad_ticket()
    errors = refusal(
        ticket,
        name_text="N" * 121,
        long_headline="L" * 256,
        business_name="B" * 121,
        primary_text="P" * 2001,
    )
    assert errors == {
        "name_text": ["Name may have at most 120 characters; this one has 121."],
        "long_headline": ["Long headline may have at most 255 characters; this one has 256."],
        "business_name": ["Business name may have at most 120 characters; this one has 121."],
        "primary_text": ["Primary text may have at most 2,000 characters; this one has 2,001."],
    }
    assert refusal(ticket, name_text=["list"]) == {"name_text": ["Name must be text."]}


def test_every_problem_is_reported_at_once(ad_ticket):
    errors = refusal(ad_ticket(), name_text="", placements=["x"], landing_url="ftp://x")
    assert set(errors) == {"name_text", "placements", "landing_url"}


def test_a_creative_without_a_placement_is_no_text_only_ad(ad_ticket, make_creative, dis):
    image = make_creative(dis)
    errors = refusal(ad_ticket(), placements=[], creative_ids=[str(image.id)])
    assert list(errors) == ["placements"]


def test_the_name_must_render_and_differ_from_the_other_ads(ad_ticket, add):
    ticket = ad_ticket()
    assert refusal(ticket, name_text="")["name_text"] == ["Give the ad a name (e.g. HeroVideo)."]
    assert refusal(ticket, name_text="¿?")["name_text"][0].startswith(
        "Ad name needs at least one letter A-Z or digit"
    )
    add(ticket, name_text="Hero Cut")
    assert refusal(ticket, name_text="HeroCut") == {
        "name_text": [
            "Ad 1 is already named DIS_US_META_2026_HeroCut; each ad of a ticket needs a name "
            "of its own."
        ]
    }


def test_a_ticket_carries_at_most_twenty_ads(ad_ticket, add):
    ticket = ad_ticket()
    for n in range(ad_editing.MAX_ADS):
        add(ticket, name_text=f"Ad{n}")
    with pytest.raises(ValidationError) as caught:
        ad_editing.add_ad(ticket, {"name_text": "More"}, actor=None)
    assert caught.value.message == (
        "A ticket carries at most 20 ads and this one has 20; open another ticket (another ad "
        "set) for more."
    )


@pytest.mark.parametrize("status", [S.QA_TESTING, S.READY_FOR_API, S.TRAFFICKED_SUCCESS, S.FAILED])
def test_ads_are_locked_when_the_settings_are(db, ad_ticket, add, status):
    ticket = ad_ticket()
    ad = add(ticket)
    ticket.status = status
    db.session.commit()
    expected = (
        "Ads can only change while a ticket is Draft or QA failed; this one is "
        f"{ad_editing.tickets.label(status)}."
    )
    for attempt in (
        lambda: ad_editing.add_ad(ticket, {"name_text": "New"}, actor=None),
        lambda: ad_editing.update_ad(ticket, ad, {"name_text": "New"}, actor=None),
        lambda: ad_editing.delete_ad(ticket, ad, actor=None),
        lambda: ad_editing.move_ad(ticket, ad, "down", actor=None),
    ):
        with pytest.raises(Conflict) as caught:
            attempt()
        assert caught.value.message == expected
    assert len(ticket.ads) == 1


def test_a_ticket_being_sent_keeps_its_ads(db, ad_ticket, add):
    ticket = ad_ticket()
    ticket.sending_since = datetime.now(UTC)
    db.session.commit()
    with pytest.raises(Conflict, match="being sent to Meta; its ads stay as they are"):
        add(ticket)


def test_update_tickets_carry_no_ads(ad_ticket):
    ticket = ad_ticket(request_type="UPDATE_BUDGET", settings={"budget_amount": "10"})
    with pytest.raises(
        Conflict, match="Only Create campaign tickets carry ads; this one is Update"
    ):
        ad_editing.add_ad(ticket, {}, actor=None)


def test_a_stale_version_is_refused(ad_ticket, add):
    ticket = ad_ticket()
    stale = ticket.version
    add(ticket)
    with pytest.raises(Conflict, match="changed by someone else"):
        ad_editing.add_ad(ticket, {"name_text": "Other"}, actor=None, version=stale)


def test_a_qa_failed_ticket_edited_loses_its_qa_verdict(db, ad_ticket, add):
    ticket = ad_ticket()
    ad = add(ticket)
    ticket.status = S.QA_FAILED
    ticket.qa_failure_reason = "Story image must be 9:16."
    ticket.qa_report = [{"rule": "creative_specs", "ok": False}]
    db.session.commit()

    ad_editing.update_ad(
        ticket, ad, {**_values(ad), "placements": ["meta_feed"], "headline": "New"}, actor=None
    )

    assert ticket.qa_failure_reason is None and ticket.qa_report is None
    assert ticket.status is S.QA_FAILED  # as a settings edit leaves it


def _values(ad) -> dict:
    return {
        "name_text": ad.name_text,
        "placements": list(ad.placements),
        "creative_ids": [str(link.creative_id) for link in ad.creative_links],
        "primary_text": ad.primary_text,
        "headline": ad.headline,
        "call_to_action": ad.call_to_action,
        "landing_url": ad.landing_url,
    }


def test_a_change_is_recorded_field_by_field(db, ad_ticket, add, make_creative, dis, trafficker):
    ticket = ad_ticket()
    first, second = make_creative(dis, name="a.jpg"), make_creative(dis, name="b.jpg")
    ad = add(ticket, creative_ids=[str(first.id)])
    version = ticket.version

    ad_editing.update_ad(
        ticket,
        ad,
        {
            **_values(ad),
            "creative_ids": [str(second.id)],
            "headline": "Sail now",
            "placements": ["meta_feed", "meta_reels"],
        },
        actor=trafficker,
    )
    db.session.commit()

    assert ticket.version == version + 1
    assert [link.creative for link in ad.creative_links] == [second]
    assert history(ticket)[-3:] == [
        ("Ad 1 placements", "Meta Feed", "Meta Feed, Meta Reels"),
        ("Ad 1 creatives", "a.jpg", "b.jpg"),
        ("Ad 1 headline", "Now in cinemas", "Sail now"),
    ]


def test_saving_an_unchanged_ad_changes_nothing(db, ad_ticket, add):
    ticket = ad_ticket()
    ad = add(ticket)
    version, changes = ticket.version, len(ticket.changes)
    ad_editing.update_ad(ticket, ad, _values(ad), actor=None)
    db.session.commit()
    assert ticket.version == version
    assert len(ticket.changes) == changes


def test_an_ad_keeps_its_own_name(ad_ticket, add):
    ticket = ad_ticket()
    ad = add(ticket)
    ad_editing.update_ad(ticket, ad, {**_values(ad), "primary_text": "Other"}, actor=None)
    assert ad.primary_text == "Other"


def test_deleting_an_ad_moves_the_later_ones_up(db, ad_ticket, add, trafficker):
    ticket = ad_ticket()
    first, second, third = (add(ticket, name_text=n) for n in ("One", "Two", "Three"))
    version = ticket.version

    ad_editing.delete_ad(ticket, first, actor=trafficker)
    db.session.commit()
    db.session.expire_all()

    assert [(a.position, a.name_text) for a in ticket.ads] == [(1, "Two"), (2, "Three")]
    assert ticket.version == version + 1
    assert history(ticket)[-1] == ("Ad 1", "DIS_US_META_2026_One", None)


@pytest.mark.parametrize(
    "which, direction, order",
    [(0, "down", ["Two", "One", "Three"]), (2, "up", ["One", "Three", "Two"])],
)
def test_an_ad_moves_up_or_down(db, ad_ticket, add, which, direction, order):
    ticket = ad_ticket()
    made = [add(ticket, name_text=n) for n in ("One", "Two", "Three")]
    version = ticket.version

    ad_editing.move_ad(ticket, made[which], direction, actor=None)
    db.session.commit()
    db.session.expire_all()

    assert [a.name_text for a in ticket.ads] == order
    assert [a.position for a in ticket.ads] == [1, 2, 3]
    assert ticket.version == version + 1
    field, old, new = history(ticket)[-1]
    assert field == "Ad order"
    assert old == "1. DIS_US_META_2026_One · 2. DIS_US_META_2026_Two · 3. DIS_US_META_2026_Three"
    assert new == " · ".join(f"{n}. DIS_US_META_2026_{name}" for n, name in enumerate(order, 1))


def test_the_first_ad_cannot_move_up_nor_the_last_down(ad_ticket, add):
    ticket = ad_ticket()
    first, last = add(ticket, name_text="One"), add(ticket, name_text="Two")
    with pytest.raises(Conflict, match="Ad 1 is already the first ad"):
        ad_editing.move_ad(ticket, first, "up", actor=None)
    with pytest.raises(Conflict, match="Ad 2 is already the last ad"):
        ad_editing.move_ad(ticket, last, "down", actor=None)
    with pytest.raises(ValidationError, match="Move an ad up or down"):
        ad_editing.move_ad(ticket, last, "sideways", actor=None)


def test_an_ad_of_another_ticket_is_not_found(ad_ticket, add, tiktok):
    ticket, other = ad_ticket(), ad_ticket()
    ad = add(other)
    with pytest.raises(NotFound):
        ad_editing.get_ad(ticket, ad.id)
    assert ad_editing.get_ad(other, ad.id) is ad


def test_a_creative_an_ad_uses_cannot_be_deleted(
    db, app, tmp_path, ad_ticket, add, make_creative, dis
):
    app.config["CREATIVE_STORAGE_DIR"] = str(tmp_path)
    ticket = ad_ticket()
    image = make_creative(dis, name="hero.jpg")
    add(ticket, name_text="First")
    ad = add(ticket, creative_ids=[str(image.id)])

    with pytest.raises(Conflict) as caught:
        creatives.delete(image)
    assert caught.value.message == (
        "hero.jpg is used by ad 2 of ticket DIS_US_META_2026_MoanaLaunch; remove it from the "
        "ad first."
    )

    ad_editing.update_ad(ticket, ad, {**_values(ad), "creative_ids": []}, actor=None)
    creatives.delete(image)
    db.session.commit()
    assert db.session.get(type(image), image.id) is None


def test_a_creative_used_by_several_ads_says_how_many_more(db, ad_ticket, add, make_creative, dis):
    image = make_creative(dis, name="hero.jpg")
    first = ad_ticket()
    add(first, creative_ids=[str(image.id)])
    add(first, name_text="Other", creative_ids=[str(image.id)])
    add(ad_ticket(), creative_ids=[str(image.id)])
    with pytest.raises(Conflict, match=r"used by ad 1 of ticket .*\(and 2 more ads\); remove"):
        creatives.delete(image)
    assert db.session.query(TicketChange).count() >= 3
