"""Pre-flight QA of a ticket's ads: creatives against each placement's specs (naming the brand's
creatives that fit), text cut off on screen, what QA asks of an ad beyond the platform, tracked
https landing URLs, and the warning for a CREATE ticket without ads. What the platform would
refuse (name, creative, Google's counts and image slots, call to action, landing URL, hard text
limits) is the translator rule's: each such problem is one "Ad n: ..." line of its message.

The specs are creative_specs' (each row cites its page); what each platform needs of an ad:
- Meta link ad: https://developers.facebook.com/docs/marketing-api/reference/ad-creative-link-data
- TikTok ad (video, ad_text of 1-100 characters, call to action, landing page URL):
  https://business-api.tiktok.com/portal/docs/create-ads/v1.3
- Google responsive search ad (3-15 headlines, 2-4 descriptions):
  https://support.google.com/google-ads/answer/7684791
- Google responsive display ad (a landscape and a square image, long headline, business name,
  1-5 headlines and descriptions):
  https://developers.google.com/google-ads/api/reference/rpc/v26/ResponsiveDisplayAdInfo
"""

import pytest

from omnitraffick.services import qa
from tests.qa.helpers import (
    AD_RULES,
    DISPLAY,
    DISPLAY_TEXTS,
    META_TEXTS,
    ad_failures,
    create_settings,
    findings_of,
)


def test_done_when_qa_flags_the_image_for_stories_and_the_user_picks_a_fitting_creative(
    db, ticket_for, creative, add_ad
):
    wide = creative("moana-wide.jpg", 1200, 628)
    vertical = creative("moana-vertical.mp4", 1080, 1920, seconds=15)
    ticket = ticket_for()
    add_ad(ticket, 1, "Feed", ["meta_feed"], [wide], **META_TEXTS)
    story = add_ad(ticket, 2, "Story", ["meta_stories"], [wide], **META_TEXTS)

    findings = findings_of(ticket)

    assert ad_failures(findings) == {
        "ad_creative_specs": (
            "Ad 2 (DIS_US_META_2026_Story): A Meta Stories image must be 9:16; this one is "
            "1.91:1. Creatives of Disney that fit Meta Stories: moana-vertical.mp4."
        )
    }
    assert findings["ad_creative_specs"].severity == qa.BLOCK
    assert "ad_creative_specs" in {f.rule for f in qa.blocking(list(findings.values()))}

    story.creative_links[0].creative = vertical
    db.session.commit()

    assert ad_failures(findings_of(ticket)) == {}


def test_a_complete_ad_on_each_platform_passes_every_ad_rule(
    ticket_for, creative, add_ad, tiktok, google
):
    meta_ticket = ticket_for()
    add_ad(
        meta_ticket, 1, "Hero", ["meta_feed"], [creative("square.jpg", 1080, 1080)], **META_TEXTS
    )
    tiktok_ticket = ticket_for(create_settings(), channel=tiktok)
    add_ad(
        tiktok_ticket,
        1,
        "Clip",
        ["tiktok_in_feed"],
        [creative("clip.mp4", 1080, 1920, seconds=15)],
        primary_text="x" * 100,
        call_to_action="WATCH_NOW",
    )
    search_ticket = ticket_for(create_settings(), channel=google)
    add_ad(
        search_ticket,
        1,
        "Search",
        ["google_search"],
        headline="One\nTwo\nThree",
        description="First line\nSecond line",
    )
    # A Google ticket makes one campaign type: its display ad needs a ticket of its own.
    display_ticket = ticket_for(create_settings(**DISPLAY), channel=google)
    add_ad(
        display_ticket,
        1,
        "Display",
        ["google_display_landscape", "google_display_square"],
        [creative("land.png", 1200, 628, mime="image/png"), creative("sq.jpg", 600, 600)],
        **DISPLAY_TEXTS,
    )

    for ticket in (meta_ticket, tiktok_ticket, search_ticket, display_ticket):
        findings = findings_of(ticket)
        assert ad_failures(findings) == {}, ticket.channel
        assert all(findings[code].message == "OK" for code in AD_RULES)


# --- ad_creative_specs ---------------------------------------------------------------------


def test_every_creative_is_checked_against_every_placement_of_its_ad(ticket_for, creative, add_ad):
    small = creative("tiny.gif", 400, 400, mime="image/gif")
    add_ad(ticket := ticket_for(), 1, "Both", ["meta_feed", "meta_stories"], [small], **META_TEXTS)

    message = findings_of(ticket)["ad_creative_specs"].message

    assert message == (
        "Ad 1 (DIS_US_META_2026_Both): A Meta Feed image must be JPG or PNG; this one is GIF. "
        "Ad 1 (DIS_US_META_2026_Both): A Meta Feed image must be at least 600×600 px; this one "
        "is 400×400 px. "
        "Ad 1 (DIS_US_META_2026_Both): A Meta Stories image must be JPG or PNG; this one is GIF. "
        "Ad 1 (DIS_US_META_2026_Both): A Meta Stories image must be 9:16; this one is 1:1. "
        "Ad 1 (DIS_US_META_2026_Both): A Meta Stories image must be at least 500 px wide; this "
        "one is 400×400 px. "
        "No creative of Disney fits Meta Feed; upload one that does. "
        "No creative of Disney fits Meta Stories; upload one that does."
    )


def test_at_most_three_fitting_creatives_are_named_by_file_name(
    ticket_for, creative, add_ad, make_brand
):
    for name in ("d.jpg", "b.jpg", "a.png", "c.jpg"):
        creative(name, 1080, 1920, mime="image/png" if name.endswith("png") else None)
    creative("other-brand.jpg", 1080, 1920, of=make_brand(name="Pixar", internal_code="PIX"))
    wide = creative("wide.jpg", 1200, 628)
    add_ad(ticket := ticket_for(), 1, "Story", ["meta_stories"], [wide], **META_TEXTS)

    message = findings_of(ticket)["ad_creative_specs"].message

    assert message.endswith("Creatives of Disney that fit Meta Stories: a.png, b.jpg, c.jpg.")


def test_an_ad_with_several_creatives_names_the_file(ticket_for, creative, add_ad, google):
    landscape = creative("land.jpg", 1200, 628)
    portrait = creative("portrait.jpg", 800, 1000)
    ticket = ticket_for(create_settings(**DISPLAY), channel=google)
    add_ad(
        ticket,
        1,
        "Display",
        ["google_display_landscape", "google_display_square"],
        [landscape, portrait],
        **DISPLAY_TEXTS,
    )

    findings = findings_of(ticket)

    # The landscape image fills its slot; the portrait one fits neither slot.
    assert findings["ad_creative_specs"].message == (
        "Ad 1 (DIS_US_GOOGLE_2026_Display), portrait.jpg: A Google responsive display "
        "(landscape) image must be 1.91:1; this one is 4:5. "
        "Ad 1 (DIS_US_GOOGLE_2026_Display), portrait.jpg: A Google responsive display (square) "
        "image must be 1:1; this one is 4:5. "
        "Creatives of Disney that fit Google responsive display (landscape): land.jpg. "
        "No creative of Disney fits Google responsive display (square); upload one that does."
    )
    # Google refuses the ad without a square image: the translator's problem. That the
    # portrait image fits neither slot it also knows, but that line is the creative rule's.
    assert findings["translator"].message == (
        "Ad 1: a responsive display ad needs at least one landscape (1.91:1) and one square "
        "(1:1) image; this one has 1 and 0."
    )
    assert findings["ad_complete"].passed


@pytest.mark.parametrize(
    ("platform", "placements", "file", "rule_says"),
    [
        (
            "tiktok",
            ["tiktok_in_feed"],
            ("still.jpg", 1080, 1920, None),
            "TikTok in-feed ads take videos only; this one is an image.",
        ),
        (
            "google",
            ["google_display_landscape", "google_display_square"],
            ("clip.mp4", 1200, 628, 15),
            "Google responsive display (landscape) ads take images only; this one is a video.",
        ),
    ],
)
def test_a_creative_that_does_not_fit_is_said_once_by_the_creative_rule(
    request, ticket_for, creative, add_ad, platform, placements, file, rule_says
):
    """The translator knows TikTok takes no image and Google no uploaded video; the creative
    rule says so too, naming what fits instead: one problem, one line."""
    name, width, height, seconds = file
    channel = request.getfixturevalue(platform)
    settings = create_settings(**DISPLAY) if platform == "google" else create_settings()
    ticket = ticket_for(settings, channel=channel)
    texts = {"primary_text": "Sail", "call_to_action": "LEARN_MORE"} | DISPLAY_TEXTS
    add_ad(ticket, 1, "Hero", placements, [creative(name, width, height, seconds=seconds)], **texts)

    findings = findings_of(ticket)

    assert rule_says in findings["ad_creative_specs"].message
    assert name not in (findings["translator"].message or "")


def test_a_misfit_only_the_translator_sees_is_still_its_line(ticket_for, creative, add_ad, tiktok):
    """An ad naming no placement gives the creative rule nothing to check against (the ad
    rule asks for one); TikTok would still refuse the image, and the translator says so."""
    ticket = ticket_for(create_settings(), channel=tiktok)
    add_ad(
        ticket,
        1,
        "Hero",
        [],
        [creative("still.jpg", 1080, 1920)],
        primary_text="Sail",
        call_to_action="LEARN_MORE",
    )

    findings = findings_of(ticket)

    assert findings["ad_creative_specs"].passed
    assert findings["translator"].message == (
        "Ad 1: TikTok in-feed ads are videos; still.jpg is an image."
    )


def test_a_text_only_placement_takes_no_creative(ticket_for, creative, add_ad, google):
    ticket = ticket_for(create_settings(), channel=google)
    add_ad(
        ticket,
        1,
        "Search",
        ["google_search"],
        [creative("land.jpg", 1200, 628)],
        headline="One\nTwo\nThree",
        description="First\nSecond",
    )

    # Said once, by the translator: no "fits"/"upload one" advice for a text-only placement.
    assert ad_failures(findings_of(ticket)) == {
        "translator": (
            "Ad 1: a responsive search ad is text only; remove its images (Search campaigns "
            "show no images): land.jpg."
        )
    }
