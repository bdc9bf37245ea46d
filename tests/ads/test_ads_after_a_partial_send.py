"""Ads whose objects a failed send already made stay as they are: the next send resumes from
those objects (and finds them by name), so a change here would never reach the platform."""

import pytest

from omnitraffick.services import ad_editing
from omnitraffick.services.errors import Conflict

# What a Meta send that failed on ad 2's create had made (the ticket's platform_ids).
MADE = {
    "campaign_id": "1201",
    "adset_id": "1202",
    "ad1_image_hash": "a1b2",
    "ad1_creative_id": "1203",
    "ad1_id": "1204",
    "ad2_video_id": "1205",
}


@pytest.fixture
def partly_sent(db, ad_ticket, add):
    ticket = ad_ticket()
    for name in ("Feed", "Story", "Extra"):
        add(ticket, name_text=name)
    ticket.platform_ids = dict(MADE)
    db.session.commit()
    return ticket


def test_an_ad_with_objects_made_cannot_change(partly_sent):
    first, second, _third = partly_sent.ads

    with pytest.raises(Conflict) as refused:
        ad_editing.update_ad(partly_sent, second, {"name_text": "Other"}, actor=None)

    assert refused.value.message == (
        "Meta already holds objects of ad 2, made by the send that failed (ad 2 video): the "
        "next send finishes them as they are. Send again, or change them on Meta and in a new "
        "ticket."
    )
    with pytest.raises(Conflict, match=r"objects of ad 1, .*\(ad 1 image, ad 1 creative, ad 1\)"):
        ad_editing.update_ad(partly_sent, first, {"name_text": "Other"}, actor=None)


def test_deleting_or_moving_an_ad_that_renumbers_one_with_objects_is_refused(partly_sent):
    first, second, third = partly_sent.ads

    # Deleting ad 1 would make ad 2 the first: both have objects.
    with pytest.raises(Conflict, match="objects of ads 1, 2,"):
        ad_editing.delete_ad(partly_sent, first, actor=None)
    with pytest.raises(Conflict, match="objects of ad 2,"):
        ad_editing.move_ad(partly_sent, third, "up", actor=None)
    assert [ad.name_text for ad in partly_sent.ads] == ["Feed", "Story", "Extra"]


def test_ads_with_nothing_made_change_freely(db, partly_sent, add):
    third = partly_sent.ads[2]

    changed = {
        "name_text": "Later",
        "placements": ["meta_feed"],
        "primary_text": "Sail later",
        "call_to_action": "LEARN_MORE",
    }
    ad_editing.update_ad(partly_sent, third, changed, actor=None)
    fourth = add(partly_sent, name_text="Fourth")
    ad_editing.move_ad(partly_sent, fourth, "up", actor=None)
    ad_editing.delete_ad(partly_sent, partly_sent.ads[3], actor=None)
    db.session.commit()

    assert [ad.name_text for ad in partly_sent.ads] == ["Feed", "Story", "Fourth"]
    assert "Later" not in [ad.name_text for ad in partly_sent.ads]  # deleted once moved down


def test_without_a_partial_send_every_ad_may_change(db, ad_ticket, add):
    ticket = ad_ticket()
    first = add(ticket, name_text="Feed")
    add(ticket, name_text="Story")

    ad_editing.delete_ad(ticket, first, actor=None)

    assert [ad.name_text for ad in ticket.ads] == ["Story"]
