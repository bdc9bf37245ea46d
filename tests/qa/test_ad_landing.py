"""Pre-flight QA of ads beyond their creatives and texts: tracked https landing URLs, the warning
for a CREATE ticket without ads, a fixed number of queries, and every ad and placement looked
at (not only up to the first that is off).
"""

from omnitraffick.services import qa
from tests.qa.helpers import (
    META_TEXTS,
    UPDATE_BUDGET,
    ad_failures,
    create_settings,
    findings_of,
)

# --- ad_landing ----------------------------------------------------------------------------


def test_each_ads_tracked_url_is_https_with_the_platform_name_as_utm_campaign(
    ticket_for, creative, add_ad
):
    ticket = ticket_for()
    image = creative("square.jpg", 1080, 1080)
    add_ad(
        ticket,
        1,
        "Own",
        ["meta_feed"],
        [image],
        landing_url="http://disney.com/moana",
        **META_TEXTS,
    )
    add_ad(ticket, 2, "Ticket", ["meta_feed"], [image], **META_TEXTS)

    assert ad_failures(findings_of(ticket)) == {
        "ad_landing": (
            "Ad 1 (DIS_US_META_2026_Own): The landing URL is not https: "
            "http://disney.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch"
        )
    }


def test_an_ad_url_the_builder_cannot_read_has_no_utm_campaign(ticket_for, creative, add_ad):
    ticket = ticket_for()
    add_ad(
        ticket,
        1,
        "Long",
        ["meta_feed"],
        [creative("square.jpg", 1080, 1080)],
        landing_url="https://disney.com/" + "m" * 1971,  # 1,990: over 2,000 with utm_campaign
        **META_TEXTS,
    )

    assert findings_of(ticket)["ad_landing"].message == (
        "Ad 1 (DIS_US_META_2026_Long): The landing URL has no utm_campaign; it should be "
        "DIS_US_META_2026_MoanaLaunch."
    )


# --- ads_present ---------------------------------------------------------------------------


def test_a_create_ticket_without_ads_is_warned_when_the_brand_keeps_creatives(ticket_for, creative):
    ticket = ticket_for()
    assert findings_of(ticket)["ads_present"].passed  # a brand without a library: no warning

    creative("square.jpg", 1080, 1080)
    creative("story.jpg", 1080, 1920)
    findings = findings_of(ticket)

    assert findings["ads_present"].message == (
        "This ticket has no ads: sending it makes only the campaign and its ad set / ad group, "
        "which show nothing until ads are added. Disney's library holds 2 creatives; add ads on "
        "the ticket page."
    )
    assert findings["ads_present"].severity == qa.WARN
    assert qa.blocking(list(findings.values())) == []


def test_one_creative_is_counted_in_the_singular_and_updates_are_not_warned(ticket_for, creative):
    creative("square.jpg", 1080, 1080)
    assert "holds 1 creative;" in findings_of(ticket_for())["ads_present"].message
    update = ticket_for({"budget_amount": "50.00"}, request_type=UPDATE_BUDGET)
    assert findings_of(update, "23851")["ads_present"].passed


# --- queries -------------------------------------------------------------------------------


def test_qa_reads_ads_and_the_library_in_a_fixed_number_of_queries(
    db, ticket_for, creative, add_ad, count_queries
):
    ticket = ticket_for()
    library = [creative(f"c{n}.jpg", 1080, 1080 + n) for n in range(12)]

    def measure() -> int:
        ticket_id = ticket.id
        db.session.expire_all()
        loaded = db.session.get(type(ticket), ticket_id)
        with count_queries() as statements:
            qa.run(qa.context_for(loaded, None))
        return len(statements)

    add_ad(ticket, 1, "Ad1", ["meta_feed", "meta_stories"], library[:1], **META_TEXTS)
    measure()  # the naming conventions are read once per session
    one = measure()
    for n in range(2, 8):
        add_ad(ticket, n, f"Ad{n}", ["meta_feed", "meta_stories"], library[n : n + 2], **META_TEXTS)
    many = measure()

    assert one == many, f"{one} queries for one ad, {many} for seven"


# --- every ad and every placement is looked at (not only up to the first that is off) --------


def test_the_text_of_each_placement_after_the_first_is_checked_too(ticket_for, creative, add_ad):
    ticket = ticket_for()
    add_ad(
        ticket,
        1,
        "Mixed",
        ["meta_feed", "meta_stories"],
        [creative("square.jpg", 1080, 1080)],
        primary_text="p" * 126,
        call_to_action="LEARN_MORE",
    )

    message = findings_of(ticket)["ad_text_cut_off"].message

    assert "A Meta Feed primary text is cut off after 125 characters" in message
    assert "A Meta Stories primary text is cut off after 125 characters" in message


def test_a_google_ads_text_limits_are_its_campaign_types_whatever_placements_it_names(
    ticket_for, add_ad, google
):
    ticket = ticket_for(create_settings(), channel=google)  # TRAFFIC: a Search campaign
    add_ad(
        ticket,
        1,
        "Mixed",
        ["google_display_landscape", "google_display_square", "google_search"],
        headline="h" * 31 + "\nTwo\nThree",
        description="First\nSecond",
    )

    findings = findings_of(ticket)

    assert ad_failures(findings) == {
        "translator": (
            "Ad 1: A Google responsive search headline may have at most 30 characters; this "
            "one has 31."
        )
    }


def test_an_ad_without_placements_does_not_stop_the_checks_of_the_next(
    ticket_for, creative, add_ad
):
    ticket = ticket_for()
    add_ad(ticket, 1, "Nowhere", [])
    add_ad(ticket, 2, "Quiet", ["meta_feed"], [creative("square.jpg", 1080, 1080)])

    assert findings_of(ticket)["ad_complete"].message == (
        "Ad 1 (DIS_US_META_2026_Nowhere): choose where it runs (Meta Feed, Meta Stories, "
        "Meta Reels). "
        "Ad 2 (DIS_US_META_2026_Quiet): Meta needs a primary text."
    )


def test_an_ad_without_a_url_does_not_stop_the_landing_checks_of_the_next(
    ticket_for, creative, add_ad
):
    ticket = ticket_for(create_settings(landing_url=None))
    image = creative("square.jpg", 1080, 1080)
    add_ad(ticket, 1, "NoUrl", ["meta_feed"], [image], **META_TEXTS)
    add_ad(
        ticket, 2, "Plain", ["meta_feed"], [image], landing_url="http://disney.com", **META_TEXTS
    )

    findings = findings_of(ticket)

    assert "Ad 1: it has no landing URL." in findings["translator"].message
    assert "Ad 2" not in findings["translator"].message
    assert findings["ad_complete"].passed
    assert findings["ad_landing"].message.startswith(
        "Ad 2 (DIS_US_META_2026_Plain): The landing URL is not https: http://disney.com"
    )


def test_an_image_on_a_video_only_placement_is_flagged_though_meta_takes_the_ad(
    ticket_for, creative, add_ad
):
    """Meta takes an image ad whatever placements it names; only QA says Reels shows videos."""
    ticket = ticket_for()
    add_ad(ticket, 1, "Reel", ["meta_reels"], [creative("square.jpg", 1080, 1080)], **META_TEXTS)

    assert ad_failures(findings_of(ticket)) == {
        "ad_creative_specs": (
            "Ad 1 (DIS_US_META_2026_Reel): Meta Reels ads take videos only; this one is an "
            "image. No creative of Disney fits Meta Reels; upload one that does."
        )
    }


def test_a_text_cut_off_names_which_of_several_texts_it_is(ticket_for, creative, add_ad):
    ticket = ticket_for()
    add_ad(
        ticket,
        1,
        "Hero",
        ["meta_feed"],
        [creative("square.jpg", 1080, 1080)],
        description="Short\n" + "d" * 31,
        **META_TEXTS,
    )

    assert findings_of(ticket)["ad_text_cut_off"].message == (
        "Ad 1 (DIS_US_META_2026_Hero), description 2: A Meta Feed description is cut off after "
        "30 characters; this one has 31."
    )
