"""The campaign report's ads: per ticket with ads, each ad's thumbnail, name, copy, call to
action label and tracked URL, in a fixed number of queries however many ads there are."""

from decimal import Decimal

from omnitraffick.models import Creative, CreativeKind, Ticket, TicketAd, TicketAdCreative
from tests.html import parse
from tests.reports.helpers import fresh_request, section


def _creative(db, brand, name, width, height, *, seconds=None):
    video = seconds is not None
    row = Creative(
        brand=brand,
        kind=CreativeKind.VIDEO if video else CreativeKind.IMAGE,
        original_name=name,
        stored_key=f"{brand.id}/{name}",
        thumbnail_key=None if video else f"{brand.id}/thumb-{name}",
        mime_type="video/mp4" if video else "image/jpeg",
        width=width,
        height=height,
        aspect_ratio="",
        size_bytes=100_000,
        duration_seconds=Decimal(str(seconds)) if video else None,
    )
    db.session.add(row)
    return row


def _ad(ticket, position, name_text, creatives=(), **fields):
    ad = TicketAd(position=position, name_text=name_text, **fields)
    for n, creative in enumerate(creatives, 1):
        ad.creative_links.append(TicketAdCreative(creative=creative, position=n))
    ticket.ads.append(ad)
    return ad


def _report(client, campaign_id, version=None):
    url = f"/campaigns/{campaign_id}/report" + (f"?version={version}" if version else "")
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.text)


def test_each_ad_shows_its_thumbnail_copy_call_to_action_and_tracked_url(
    db, client, viewer, report_campaign
):
    campaign, ticket = report_campaign["campaign"], report_campaign["meta"]
    ticket.payload_config = {**ticket.payload_config, "landing_url": "https://disney.com/moana"}
    image = _creative(db, campaign.brand, "moana-wide.jpg", 1200, 628)
    video = _creative(db, campaign.brand, "moana-vertical.mp4", 1080, 1920, seconds=15)
    _ad(
        ticket,
        1,
        "Feed",
        [image],
        placements=["meta_feed"],
        primary_text="Sail with Moana <b>now</b>",
        headline="Moana 2\nIn cinemas",
        description="Book today",
        call_to_action="BUY_TICKETS",
    )
    _ad(
        ticket,
        2,
        "Story",
        [video],
        placements=["meta_stories", "meta_reels"],
        primary_text="Vertical",
        call_to_action="LEARN_MORE",
        landing_url="https://disney.com/moana/story?ref=story",
    )
    db.session.commit()

    for version in (None, "internal"):
        ads = section(_report(client, campaign.id, version), "Ads")
        groups = ads.find_all("h3")
        assert [g.text for g in groups] == ["DIS_US_META_2026_MoanaLaunch · Meta"]
        first, second = ads.find_all("article", cls="report-ad")

        assert first.attrs["aria-label"] == "Ad 1"
        thumb = first.find("img")
        assert thumb.attrs["src"] == f"/creatives/{image.id}/thumbnail"
        assert thumb.attrs["alt"] == "moana-wide.jpg"
        assert "Ad 1 DIS_US_META_2026_Feed" in first.find("p").text
        copy = dict(
            zip(
                [dt.text for dt in first.find_all("dt")],
                [dd.text for dd in first.find_all("dd")],
                strict=True,
            )
        )
        assert copy["Placements"] == "Meta Feed"
        assert copy["Primary text"] == "Sail with Moana <b>now</b>"  # as text, not markup
        assert [li.text for li in first.find_all("li")] == ["Moana 2", "In cinemas"]
        assert copy["Description"] == "Book today"
        assert copy["Call to action"] == "Buy tickets"
        assert copy["Tracked URL"] == (
            "https://disney.com/moana?utm_campaign=DIS_US_META_2026_MoanaLaunch"
        )
        assert first.find("dd", cls="tracked-url") is not None

        # A video has no thumbnail: its file, size and length stand in.
        assert second.find("img") is None
        assert second.find("div", cls="report-ad-file").text == (
            "Videomoana-vertical.mp41080×1920 · 15 s"
        )
        texts = [dd.text for dd in second.find_all("dd")]
        assert "Meta Stories, Meta Reels" in texts
        assert "Learn more" in texts
        assert (
            "https://disney.com/moana/story?ref=story&utm_campaign=DIS_US_META_2026_MoanaLaunch"
            in texts
        )


def test_a_text_ad_and_an_ad_without_a_name_or_url(db, client, viewer, report_campaign):
    campaign, ticket = report_campaign["campaign"], report_campaign["goog"]
    _ad(ticket, 1, "¿?", placements=["google_search"], headline="One", description="A\nB")
    db.session.commit()

    article = section(_report(client, campaign.id), "Ads").find("article", cls="report-ad")

    assert article.find("div", cls="report-ad-file").text == "Text ad"
    assert article.find("p").text.strip() == "Ad 1"  # no name can be made from "¿?"
    assert [dt.text for dt in article.find_all("dt")] == [
        "Placements",
        "Headline",
        "Descriptions",
        "Tracked URL",
    ]
    assert article.find("dd", cls="tracked-url").text == "—"


def test_a_report_without_ads_has_no_ads_section(client, viewer, report_campaign):
    doc = _report(client, report_campaign["campaign"].id)

    assert [h2.text for h2 in doc.find_all("h2") if h2.text == "Ads"] == []


def test_the_ads_cost_the_same_queries_for_one_ad_as_for_twelve(
    db, client, viewer, count_queries, report_campaign
):
    campaign, meta, tiktok = (report_campaign[k] for k in ("campaign", "meta", "tiktok"))
    campaign_id = campaign.id
    library = [_creative(db, campaign.brand, f"c{n}.jpg", 1080, 1080) for n in range(24)]
    _ad(meta, 1, "Ad1", library[:1], placements=["meta_feed"], call_to_action="LEARN_MORE")
    db.session.commit()
    ids = [meta.id, tiktok.id] + [c.id for c in library]
    url = f"/campaigns/{campaign_id}/report"

    def measure() -> int:
        fresh_request(db)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        return len(statements)

    client.get(url)
    one = measure()
    meta, tiktok, *library = (
        db.session.get(Ticket if n < 2 else Creative, id_) for n, id_ in enumerate(ids)
    )
    for n in range(2, 8):
        _ad(meta, n, f"Ad{n}", library[n : n + 2], placements=["meta_feed", "meta_stories"])
        _ad(tiktok, n, f"Clip{n}", library[n + 8 : n + 9], placements=["tiktok_in_feed"])
    db.session.commit()
    many = measure()

    ads = section(parse(client.get(url).text), "Ads")
    assert len(ads.find_all("article", cls="report-ad")) == 13
    assert one == many, f"{one} queries for one ad, {many} for 13"
