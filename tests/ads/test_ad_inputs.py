"""A ticket's ads as the translators and QA read them: names, tracked URLs, files, lines."""

from omnitraffick.models import Creative, CreativeKind, TicketAd, TicketAdCreative
from omnitraffick.services import ads


def _creative(db, brand, width=1200, height=628):
    creative = Creative(
        brand=brand,
        kind=CreativeKind.IMAGE,
        original_name="hero.jpg",
        stored_key=f"{brand.id}/hero{width}x{height}.jpg",
        mime_type="image/jpeg",
        width=width,
        height=height,
        aspect_ratio="1.91:1",
        size_bytes=123_456,
    )
    db.session.add(creative)
    return creative


def test_each_ad_is_named_by_the_ad_convention_with_its_own_text(db, make_ticket, moana, meta):
    ticket = make_ticket(campaign=moana, channel=meta)
    ticket.payload_config = {"landing_url": "https://example.com/moana"}
    first = TicketAd(position=1, name_text="HeroImage", placements=["meta_feed"])
    first.creative_links.append(TicketAdCreative(creative=_creative(db, moana.brand)))
    ticket.ads.append(first)
    second = TicketAd(
        position=2,
        name_text="Cut down",
        headline="One\n\n  Two  \n",
        landing_url="https://example.com/other",
    )
    ticket.ads.append(second)
    db.session.commit()

    made = ads.ad_inputs(ticket, None)

    assert [ad.name for ad in made] == ["DIS_US_META_2026_HeroImage", "DIS_US_META_2026_Cutdown"]
    assert made[0].files[0].width == 1200 and made[0].files[0].kind == "image"
    assert made[0].placements == ("meta_feed",)
    # An ad without a URL of its own takes the ticket's; both get utm_campaign.
    assert made[0].landing_url == (
        "https://example.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch"
    )
    assert made[1].landing_url.startswith("https://example.com/other?utm_campaign=")
    assert made[1].headlines == ("One", "Two")


def test_two_ads_of_a_ticket_may_not_share_a_name(db, make_ticket, moana, meta):
    ticket = make_ticket(campaign=moana, channel=meta)
    ticket.ads.extend(
        [
            TicketAd(position=1, name_text="Hero"),
            TicketAd(position=2, name_text="Hero"),
            TicketAd(position=3, name_text="¿?"),
        ]
    )
    db.session.commit()

    first, second, third = ads.ad_inputs(ticket, None)

    assert first.name == "DIS_US_META_2026_Hero"
    assert second.name is None
    assert second.name_problem == (
        "Ad 1 already has the name DIS_US_META_2026_Hero; each ad of a ticket needs a name of "
        "its own."
    )
    assert third.name is None
    assert third.name_problem.startswith("Ad name needs at least one letter A-Z or digit")
