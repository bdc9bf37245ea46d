"""Pre-flight QA of an ad's texts: the platform's hard limits (the translator rule's, one "Ad n:
..." line each), text cut off on screen (a warning), and what each platform needs of a complete
ad (ad_complete). test_ad_rules.py lists the pages each platform's needs come from.
"""

import pytest

from omnitraffick.services import creative_specs, qa
from tests.qa.helpers import (
    DISPLAY,
    DISPLAY_TEXTS,
    META_TEXTS,
    ad_failures,
    create_settings,
    findings_of,
)

# --- hard text limits (the translator's) and ad_text_cut_off ------------------------------


def test_a_google_headline_over_its_limit_blocks_under_the_translator(ticket_for, add_ad, google):
    ticket = ticket_for(create_settings(), channel=google)
    add_ad(
        ticket,
        1,
        "Search",
        ["google_search"],
        headline="One\n" + "h" * 31 + "\nThree",
        description="d" * 91 + "\nSecond",
    )

    findings = findings_of(ticket)

    assert ad_failures(findings) == {
        "translator": (
            "Ad 1: A Google responsive search headline may have at most 30 characters; this "
            "one has 31. "
            "Ad 1: A Google responsive search description may have at most 90 characters; this "
            "one has 91."
        )
    }
    assert findings["translator"].severity == qa.BLOCK
    assert "ad_text_limits" not in findings


def test_meta_text_past_its_cut_off_warns_and_does_not_block(ticket_for, creative, add_ad):
    image = creative("square.jpg", 1080, 1080)
    ticket = ticket_for()
    add_ad(
        ticket,
        1,
        "Hero",
        ["meta_feed", "meta_stories"],
        [image, creative("story.jpg", 1080, 1920)][:1],
        primary_text="p" * 126,
        headline="h" * 40,
        description="d" * 31,
        call_to_action="SHOP_NOW",
    )

    findings = findings_of(ticket)

    assert findings["ad_text_cut_off"].message == (
        "Ad 1 (DIS_US_META_2026_Hero): A Meta Feed primary text is cut off after 125 "
        "characters; this one has 126. "
        "Ad 1 (DIS_US_META_2026_Hero): A Meta Feed description is cut off after 30 characters; "
        "this one has 31. "
        "Ad 1 (DIS_US_META_2026_Hero): A Meta Stories primary text is cut off after 125 "
        "characters; this one has 126."
    )
    assert findings["ad_text_cut_off"].severity == qa.WARN
    assert findings["translator"].passed  # Meta takes the text: soft limits are no refusal
    assert not qa.blocking([findings["ad_text_cut_off"]])


def test_tiktok_refuses_ad_text_over_100_characters(ticket_for, creative, add_ad, tiktok):
    ticket = ticket_for(create_settings(), channel=tiktok)
    clip = creative("clip.mp4", 1080, 1920, seconds=15)
    add_ad(
        ticket,
        1,
        "Clip",
        ["tiktok_in_feed"],
        [clip],
        primary_text="x" * 101,
        call_to_action="SHOP_NOW",
    )

    assert ad_failures(findings_of(ticket)) == {
        "translator": (
            "Ad 1: A TikTok in-feed primary text may have at most 100 characters; this one has 101."
        )
    }


def test_display_slots_share_their_text_limits_and_are_checked_once(
    ticket_for, creative, add_ad, google
):
    ticket = ticket_for(create_settings(**DISPLAY), channel=google)
    add_ad(
        ticket,
        1,
        "Display",
        ["google_display_landscape", "google_display_square"],
        [creative("land.jpg", 1200, 628), creative("sq.jpg", 600, 600)],
        **(DISPLAY_TEXTS | {"long_headline": "l" * 91, "business_name": "b" * 26}),
    )

    assert ad_failures(findings_of(ticket)) == {
        "translator": (
            "Ad 1: A Google responsive display (landscape) long headline may have at most 90 "
            "characters; this one has 91. "
            "Ad 1: A Google responsive display (landscape) business name may have at most 25 "
            "characters; this one has 26."
        )
    }


# --- ad_complete ---------------------------------------------------------------------------


def test_a_meta_ad_needs_a_creative_primary_text_and_landing_url(ticket_for, add_ad):
    ticket = ticket_for(create_settings(landing_url=None))
    add_ad(ticket, 1, "Bare", ["meta_feed"])

    failures = ad_failures(findings_of(ticket))

    # Meta refuses an ad without a creative or a link; QA asks for the primary text too.
    assert (
        "Ad 1: it has no landing URL. Ad 1: it has no creative: attach an image or a video."
        in (failures["translator"])
    )
    assert failures["ad_complete"] == "Ad 1 (DIS_US_META_2026_Bare): Meta needs a primary text."


def test_a_tiktok_ad_needs_a_video_ad_text_and_a_call_to_action_it_takes(
    ticket_for, creative, add_ad, tiktok
):
    ticket = ticket_for(create_settings(), channel=tiktok)
    add_ad(ticket, 1, "Still", ["tiktok_in_feed"], [creative("still.jpg", 1080, 1920)])
    add_ad(
        ticket,
        2,
        "Clip",
        ["tiktok_in_feed"],
        [creative("clip.mp4", 1080, 1920, seconds=15)],
        primary_text="Sail",
        call_to_action="WATCH_MORE",  # Meta's, not TikTok's
    )

    failures = ad_failures(findings_of(ticket))

    assert failures["ad_creative_specs"].startswith(
        "Ad 1 (DIS_US_TIKTOK_2026_Still): TikTok in-feed ads take videos only; this one is an "
        "image. "
    )
    assert failures["translator"] == (
        "Ad 1: TikTok needs the ad text (the primary text). "
        "Ad 2: TikTok has no call to action 'WATCH_MORE'; choose one of "
        + ", ".join(dict(creative_specs.CALLS_TO_ACTION["TIKTOK"]))
        + "."
    )
    assert failures["ad_complete"] == (
        "Ad 1 (DIS_US_TIKTOK_2026_Still): TikTok needs a call to action."
    )


@pytest.mark.parametrize(
    ("headlines", "descriptions", "expected"),
    [
        (2, 2, ["a responsive search ad takes 3 to 15 headlines; this one has 2 headlines."]),
        (16, 2, ["a responsive search ad takes 3 to 15 headlines; this one has 16 headlines."]),
        (3, 1, ["a responsive search ad takes 2 to 4 descriptions; this one has 1 description."]),
        (15, 5, ["a responsive search ad takes 2 to 4 descriptions; this one has 5 descriptions."]),
        (15, 4, []),
    ],
)
def test_a_responsive_search_ad_takes_3_to_15_headlines_and_2_to_4_descriptions(
    ticket_for, add_ad, google, headlines, descriptions, expected
):
    ticket = ticket_for(create_settings(), channel=google)
    add_ad(
        ticket,
        1,
        "Search",
        ["google_search"],
        headline="\n".join(f"Headline {n}" for n in range(headlines)),
        description="\n".join(f"Description {n}" for n in range(descriptions)),
    )

    findings = findings_of(ticket)

    assert findings["translator"].message == (
        " ".join("Ad 1: " + line for line in expected) or "OK"
    )
    assert findings["ad_complete"].passed  # said once, by the translator


def test_a_responsive_display_ad_needs_both_images_and_its_texts(ticket_for, add_ad, google):
    ticket = ticket_for(create_settings(**DISPLAY), channel=google)
    add_ad(
        ticket,
        1,
        "Display",
        ["google_display_landscape", "google_display_square"],
        headline="\n".join(f"Headline {n}" for n in range(6)),
    )

    findings = findings_of(ticket)

    assert findings["translator"].message == (
        "Ad 1: a responsive display ad takes 1 to 5 headlines; this one has 6 headlines. "
        "Ad 1: a responsive display ad takes 1 to 5 descriptions; this one has 0 descriptions. "
        "Ad 1: a responsive display ad needs a long headline. "
        "Ad 1: a responsive display ad needs the business name. "
        "Ad 1: a responsive display ad needs at least one landscape (1.91:1) and one square "
        "(1:1) image; this one has 0 and 0."
    )
    assert findings["ad_complete"].passed


def test_a_google_display_ad_on_a_search_ticket_fails_qa_with_the_translators_message(
    ticket_for, creative, add_ad, google
):
    """The bug this rule fixes: QA passed a ticket whose ad Google would refuse (a TRAFFIC
    ticket makes a Search campaign, whose responsive search ads are text only)."""
    ticket = ticket_for(create_settings(), channel=google)
    add_ad(
        ticket,
        1,
        "Display",
        ["google_display_landscape", "google_display_square"],
        [creative("land.jpg", 1200, 628), creative("sq.jpg", 600, 600)],
        **DISPLAY_TEXTS,
    )

    findings = findings_of(ticket)

    assert ad_failures(findings) == {
        "translator": (
            "Ad 1: the objective TRAFFIC makes a Search campaign, whose ads run in Google "
            "responsive search; choose that placement for this ad, or traffic it on a ticket "
            "whose objective makes the other campaign type."
        )
    }
    assert "translator" in {f.rule for f in qa.blocking(list(findings.values()))}
    assert findings["ad_creative_specs"].passed  # the images fit the display slots it names


def test_an_ad_needs_a_name_and_placements_of_its_platform(ticket_for, creative, add_ad):
    ticket = ticket_for()
    image = creative("square.jpg", 1080, 1080)
    add_ad(ticket, 1, "Hero", ["meta_feed"], [image], **META_TEXTS)
    add_ad(ticket, 2, "Hero", ["meta_feed"], [image], **META_TEXTS)
    add_ad(ticket, 3, "Elsewhere", ["tiktok_in_feed", "no_such_place"], [image], **META_TEXTS)

    failures = ad_failures(findings_of(ticket))

    assert failures["translator"] == (
        "Ad 2: its name cannot be made: Ad 1 already has the name DIS_US_META_2026_Hero; each "
        "ad of a ticket needs a name of its own."
    )
    assert failures["ad_complete"] == (
        "Ad 3 (DIS_US_META_2026_Elsewhere): tiktok_in_feed is not a placement of Meta. "
        "Ad 3 (DIS_US_META_2026_Elsewhere): no_such_place is not a placement of Meta. "
        "Ad 3 (DIS_US_META_2026_Elsewhere): choose where it runs (Meta Feed, Meta Stories, "
        "Meta Reels)."
    )
