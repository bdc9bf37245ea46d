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

from decimal import Decimal

import pytest

from omnitraffick.models import Creative, CreativeKind, TicketAd, TicketAdCreative
from omnitraffick.services import creative_specs, qa
from tests.qa.helpers import UPDATE_BUDGET, create_settings, failed, findings_of

AD_RULES = {
    "translator",
    "ad_creative_specs",
    "ad_text_cut_off",
    "ad_complete",
    "ad_landing",
    "ads_present",
}


@pytest.fixture
def creative(db, brand):
    """A creative in Disney's library (rows as the upload makes them)."""

    def make(name, width, height, *, seconds=None, mime=None, size=200_000, of=None):
        video = seconds is not None
        row = Creative(
            brand=of or brand,
            kind=CreativeKind.VIDEO if video else CreativeKind.IMAGE,
            original_name=name,
            stored_key=f"{(of or brand).id}/{name}",
            mime_type=mime or ("video/mp4" if video else "image/jpeg"),
            width=width,
            height=height,
            aspect_ratio="",
            size_bytes=size,
            duration_seconds=Decimal(str(seconds)) if video else None,
        )
        db.session.add(row)
        db.session.commit()
        return row

    return make


@pytest.fixture
def add_ad(db):
    """An ad on a ticket; `creatives` in order; texts as the ad editor saves them."""

    def add(ticket, position=1, name_text="Hero", placements=("meta_feed",), creatives=(), **f):
        ad = TicketAd(position=position, name_text=name_text, placements=list(placements), **f)
        for n, row in enumerate(creatives, 1):
            ad.creative_links.append(TicketAdCreative(creative=row, position=n))
        ticket.ads.append(ad)
        db.session.commit()
        return ad

    return add


META_TEXTS = {"primary_text": "Sail with Moana.", "call_to_action": "LEARN_MORE"}
# Google's campaign type follows the ticket's objective (translators/google_ads.py OBJECTIVES):
# TRAFFIC makes a Search campaign (responsive search ads), AWARENESS a Display campaign
# (responsive display ads). create_settings() is TRAFFIC.
DISPLAY = {"objective": "AWARENESS"}
DISPLAY_TEXTS = {
    "headline": "Moana",
    "long_headline": "Moana sails again",
    "description": "In cinemas now",
    "business_name": "Disney",
}


def ad_failures(findings):
    return {code: findings[code].message for code in failed(findings) & AD_RULES}


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
