"""The Ads section of the ticket page, the ad form with its live preview, and the actions, as
htmx fragments and as plain pages and form posts (no JavaScript)."""

import pytest

from omnitraffick.models import TicketAd
from omnitraffick.services import ad_editing
from tests.html import parse, text_of

HX = {"HX-Request": "true"}


def form_data(**values) -> dict:
    return {
        "name_text": "Hero",
        "placements": ["meta_feed"],
        "primary_text": "Sail with Moana",
        "headline": "Now in cinemas",
        "call_to_action": "LEARN_MORE",
        "landing_url": "",
        **values,
    }


def test_the_ticket_page_lists_each_ad_as_it_will_be_sent(
    client, trafficker, ad_ticket, add, make_creative, dis
):
    ticket = ad_ticket()
    image = make_creative(dis, 1200, 628, name="hero.jpg")
    add(ticket, creative_ids=[str(image.id)], placements=["meta_feed", "meta_stories"])
    add(ticket, name_text="Teaser", call_to_action="SHOP_NOW", landing_url="https://ex.com/t")

    page = parse(client.get(f"/tickets/{ticket.id}"))

    section = page.by_id("ads")
    items = section.find_all("li", cls="ad-item")
    assert len(items) == 2
    first = items[0].text
    assert "DIS_US_META_2026_Hero" in first
    assert "Sail with Moana" in first and "Now in cinemas" in first and "Learn more" in first
    assert "Meta Feed, Meta Stories" in first
    # The tracked URL, as AdInput.landing_url gives it: the ticket's, with utm_campaign.
    link = items[0].find("a", cls="url")
    assert link.attrs["href"].startswith("https://example.com/moana?utm_campaign=DIS_US_META")
    assert items[0].find("img").attrs["src"] == f"/creatives/{image.id}/thumbnail"
    assert items[0].find("img").attrs["alt"] == "hero.jpg"
    assert "Shop now" in items[1].text and "Text only" not in first
    assert items[1].find("a", cls="url").attrs["href"].startswith("https://ex.com/t?utm_campaign")
    # Each ad's actions: edit, move, delete, with htmx and plain form actions.
    assert section.find("a", id="add-ad").attrs["href"] == f"/tickets/{ticket.id}/ads/new"
    ad = ticket.ads[0]
    assert items[0].find("form", action=f"/tickets/{ticket.id}/ads/{ad.id}/delete")
    assert [b.attrs["value"] for b in items[0].find_all("button", name="direction")] == ["down"]
    assert [b.attrs["value"] for b in items[1].find_all("button", name="direction")] == ["up"]


def test_update_tickets_have_no_ads_section(client, trafficker, ad_ticket):
    ticket = ad_ticket(request_type="UPDATE_BUDGET", settings={"budget_amount": "10"})
    assert parse(client.get(f"/tickets/{ticket.id}")).find(id="ads") is None


def test_a_viewer_sees_the_ads_but_cannot_change_them(client, viewer, ad_ticket, add):
    ticket = ad_ticket()
    ad = add(ticket)
    section = parse(client.get(f"/tickets/{ticket.id}")).by_id("ads")
    assert "DIS_US_META_2026_Hero" in section.text
    assert section.find("form") is None and section.find(id="add-ad") is None
    base = f"/tickets/{ticket.id}/ads"
    assert client.get(f"{base}/new").status_code == 403
    assert client.post(f"{base}/new", data=form_data()).status_code == 403
    assert client.post(f"{base}/{ad.id}/delete").status_code == 403
    assert client.post(f"{base}/{ad.id}/move", data={"direction": "up"}).status_code == 403
    assert len(ticket.ads) == 1


def test_a_locked_ticket_shows_its_ads_without_actions(db, client, trafficker, ad_ticket, add):
    ticket = ad_ticket()
    add(ticket)
    ticket.status = ad_editing.tickets.S.READY_FOR_API
    db.session.commit()
    section = parse(client.get(f"/tickets/{ticket.id}")).by_id("ads")
    assert section.find("form") is None and section.find(id="add-ad") is None
    response = client.get(f"/tickets/{ticket.id}/ads/new")
    assert response.status_code == 409
    assert "Ads can only change while a ticket is Draft or QA failed" in text_of(response)


def test_the_new_ad_form_offers_the_platforms_choices(
    client, trafficker, ad_ticket, make_creative, dis, pix
):
    ticket = ad_ticket()
    mine = make_creative(dis, 1080, 1920, kind="video", name="story.mp4")
    make_creative(pix, name="pixar.jpg")

    page = parse(client.get(f"/tickets/{ticket.id}/ads/new"))

    assert page.find("h1").text == "New ad"
    form = page.by_id("ad-form")
    assert form.attrs["action"] == f"/tickets/{ticket.id}/ads/new"
    assert "hx-post" not in form.attrs  # a page of its own posts as a plain form
    assert page.values("placements") == ["meta_feed", "meta_stories", "meta_reels"]
    assert page.find("input", name="placements", value="meta_feed").attrs.get("checked") is not None
    assert page.options("call_to_action")[:2] == ["LEARN_MORE", "SHOP_NOW"]
    assert "" not in [
        o.attrs["value"] for o in page.find("select", name="call_to_action").find_all("option")
    ]
    # The brand's library only; one creative for a Meta ad (radio buttons), with its fit.
    assert page.values("creative_ids") == ["", str(mine.id)]
    assert page.find("input", value=str(mine.id)).attrs["type"] == "radio"
    assert "pixar.jpg" not in page.text
    fit = page.by_id(f"fit-{mine.id}").text
    assert fit.startswith("Meta Feed: A Meta Feed video must be between 1.91:1 and 4:5")
    # The texts a Meta ad carries; the Google ones are not asked.
    assert {"primary_text", "headline", "description"} <= set(page.inputs)
    assert "long_headline" not in page.inputs and "business_name" not in page.inputs
    assert page.find("input", name="headline") is not None  # one line on Meta
    # Every control has a label.
    for node in (
        page.by_id("ad-form").find_all("input")
        + page.by_id("ad-form").find_all("textarea")
        + page.by_id("ad-form").find_all("select")
    ):
        if node.attrs.get("type") == "hidden":
            continue
        has_label = node.attrs.get("id") and page.find("label", for_=node.attrs["id"])
        wrapped = node._tag.find_parent("label") is not None
        assert has_label or wrapped, node


def test_a_google_form_takes_headlines_one_per_line_and_several_images(
    client, trafficker, ad_ticket, google, make_creative, dis
):
    ticket = ad_ticket(channel=google)
    image = make_creative(dis, 1200, 628)
    page = parse(client.get(f"/tickets/{ticket.id}/ads/new"))
    assert page.find("textarea", name="headline") is not None
    assert page.find("label", for_="headline").text == "Headlines"
    assert {"long_headline", "business_name"} <= set(page.inputs)
    assert page.find("input", value=str(image.id)).attrs["type"] == "checkbox"
    assert page.options("call_to_action")[0] == "LEARN_MORE"
    assert page.find("option", value="").text == "None (search ads)"


def test_an_htmx_add_opens_the_form_in_the_section_and_a_save_closes_it(
    db, client, trafficker, ad_ticket, make_creative, dis
):
    ticket = ad_ticket()
    image = make_creative(dis, 1200, 628)
    url = f"/tickets/{ticket.id}/ads/new"

    opened = client.get(url, headers=HX)
    fragment = parse(opened)
    assert opened.status_code == 200 and "Vary" in opened.headers
    assert fragment.find("section").attrs["id"] == "ads"
    assert fragment.by_id("ad-form").attrs["hx-post"] == url
    assert fragment.find("html") is None

    saved = client.post(
        url,
        data=form_data(creative_ids=str(image.id), version=str(ticket.version)),
        headers=HX,
    )

    assert saved.status_code == 200, text_of(saved)
    assert saved.headers["HX-Trigger"] == "ads-changed"
    section = parse(saved).by_id("ads")
    assert "DIS_US_META_2026_Hero" in section.find("li", cls="ad-item").text
    assert section.find(id="ad-form") is None
    db.session.expire_all()
    assert [a.name_text for a in db.session.query(TicketAd)] == ["Hero"]


def test_without_javascript_a_save_goes_back_to_the_ticket(db, client, trafficker, ad_ticket):
    ticket = ad_ticket()
    response = client.post(f"/tickets/{ticket.id}/ads/new", data=form_data())
    assert response.status_code == 302
    assert response.headers["Location"] == f"/tickets/{ticket.id}#ads"
    page = parse(client.get(response.headers["Location"]))
    assert ("success", "Ad added.") in page.flashes
    assert "DIS_US_META_2026_Hero" in page.by_id("ads").text
    # The history says so.
    assert "Ad 1: — → DIS_US_META_2026_Hero" in page.by_id("history").text


def test_refusals_come_back_in_the_form_with_422(client, trafficker, ad_ticket):
    ticket = ad_ticket()
    data = form_data(name_text="", placements=[], landing_url="example.com", call_to_action="X")
    for headers in ({}, HX):
        response = client.post(f"/tickets/{ticket.id}/ads/new", data=data, headers=headers)
        assert response.status_code == 422
        page = parse(response)
        assert page.find(cls="error-summary") is not None
        errors = page.field_errors
        assert errors["name_text"] == "Give the ad a name (e.g. HeroVideo)."
        assert errors["placements"].startswith("Choose at least one placement")
        assert errors["landing_url"].startswith("Landing URL must be a full web address")
        assert page.find("input", name="name_text").attrs["aria-invalid"] == "true"
        # What was typed stays.
        assert page.inputs["landing_url"] == "example.com"
    assert ticket.ads == []


def test_a_stale_form_is_refused_with_409(client, trafficker, ad_ticket, add):
    ticket = ad_ticket()
    stale = ticket.version
    add(ticket)
    response = client.post(
        f"/tickets/{ticket.id}/ads/new", data=form_data(name_text="New", version=stale), headers=HX
    )
    assert response.status_code == 409
    assert "changed by someone else" in parse(response).find(cls="error-summary").text


def test_editing_an_ad_fills_the_form_and_saves_the_change(db, client, trafficker, ad_ticket, add):
    ticket = ad_ticket()
    ad = add(ticket, landing_url="https://example.com/x")
    url = f"/tickets/{ticket.id}/ads/{ad.id}/edit"

    page = parse(client.get(url))
    assert page.find("h1").text == "Edit ad 1"
    inputs = page.inputs
    assert inputs["name_text"] == "Hero" and inputs["landing_url"] == "https://example.com/x"
    assert inputs["call_to_action"] == "LEARN_MORE"
    assert page.find("input", name="ad_id").attrs["value"] == str(ad.id)

    response = client.post(url, data=form_data(headline="Sail today"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TicketAd, ad.id).headline == "Sail today"


def test_another_tickets_ad_is_not_found_here(client, trafficker, ad_ticket, add):
    ticket, other = ad_ticket(), ad_ticket()
    ad = add(other)
    base = f"/tickets/{ticket.id}/ads/{ad.id}"
    assert client.get(f"{base}/edit").status_code == 404
    assert client.post(f"{base}/edit", data=form_data()).status_code == 404
    assert client.post(f"{base}/delete").status_code == 404
    assert client.post(f"{base}/move", data={"direction": "up"}).status_code == 404
    assert client.get(f"/tickets/{ticket.id}/ads/preview?ad_id={ad.id}").status_code == 404
    assert len(other.ads) == 1


@pytest.mark.parametrize("headers", [{}, HX])
def test_delete_and_move_swap_the_section_or_come_back(
    db, client, trafficker, ad_ticket, add, headers
):
    ticket = ad_ticket()
    one, two = add(ticket, name_text="One"), add(ticket, name_text="Two")
    base = f"/tickets/{ticket.id}/ads"

    moved = client.post(
        f"{base}/{two.id}/move",
        data={"direction": "up", "version": ticket.version},
        headers=headers,
    )
    db.session.expire_all()
    assert [a.name_text for a in ticket.ads] == ["Two", "One"]
    deleted = client.post(
        f"{base}/{one.id}/delete", data={"version": ticket.version}, headers=headers
    )
    db.session.expire_all()
    assert [a.name_text for a in ticket.ads] == ["Two"]

    for response in (moved, deleted):
        if headers:
            assert response.status_code == 200
            assert response.headers["HX-Trigger"] == "ads-changed"
            assert parse(response).find("section").attrs["id"] == "ads"
        else:
            assert response.status_code == 302
            assert response.headers["Location"] == f"/tickets/{ticket.id}#ads"


def test_a_refused_move_says_why_in_the_section(client, trafficker, ad_ticket, add):
    ticket = ad_ticket()
    ad = add(ticket)
    response = client.post(
        f"/tickets/{ticket.id}/ads/{ad.id}/move", data={"direction": "up"}, headers=HX
    )
    assert response.status_code == 409
    assert "Ad 1 is already the first ad" in parse(response).find(cls="flash-error").text
    assert "HX-Trigger" not in response.headers


def test_the_preview_shows_each_chosen_placement_with_its_problems(
    client, trafficker, ad_ticket, make_creative, dis
):
    ticket = ad_ticket()
    square = make_creative(dis, 1080, 1080, name="square.jpg")
    response = client.get(
        f"/tickets/{ticket.id}/ads/preview",
        query_string={
            "name_text": "Hero Cut",
            "placements": ["meta_feed", "meta_stories"],
            "creative_ids": str(square.id),
            "primary_text": "Sail " * 30,
            "headline": "Now in cinemas",
            "call_to_action": "SHOP_NOW",
        },
        headers=HX,
    )
    assert response.status_code == 200
    page = parse(response)
    preview = page.by_id("ad-preview")
    feed, story = preview.find_all("figure")
    assert feed.find("figcaption").text == "Meta Feed"
    card = feed.find(cls="feed-card")
    assert card.find(cls="mock-primary").text.startswith("Sail Sail")
    assert card.find(cls="mock-cta").text == "Shop now"
    assert card.find("img").attrs["src"] == f"/creatives/{square.id}/thumbnail"
    assert card.find(cls="mock-url").text == "EXAMPLE.COM"
    assert [li.text for li in feed.find_all("li")] == [
        "A Meta Feed primary text is cut off after 125 characters; this one has 149."
    ]
    assert story.find(cls="vertical-frame") is not None
    assert "A Meta Stories image must be 9:16; this one is 1:1." in story.text
    # The rendered name and the picker's fit notes come along out of band.
    assert page.by_id("ad-name-live").attrs["hx-swap-oob"] == "true"
    assert "DIS_US_META_2026_HeroCut" in page.by_id("ad-name-live").text
    fit = page.by_id(f"fit-{square.id}")
    assert fit.attrs["hx-swap-oob"] == "true"
    assert (
        "Meta Feed: fits" in fit.text
        and "Meta Stories: A Meta Stories image must be 9:16" in fit.text
    )


def test_the_preview_of_a_google_search_ad_is_a_text_ad(client, trafficker, ad_ticket, google):
    ticket = ad_ticket(channel=google)
    page = parse(
        client.get(
            f"/tickets/{ticket.id}/ads/preview",
            query_string={
                "name_text": "Search",
                "placements": "google_search",
                "headline": "Sail with Moana\nIn cinemas now\nBook today",
                "description": "D" * 91,
            },
            headers=HX,
        )
    )
    ad = page.by_id("ad-preview").find(cls="search-ad")
    assert ad.find(cls="mock-search-headline").text == "Sail with Moana | In cinemas now"
    assert "example.com" in ad.find(cls="mock-url").text
    assert (
        "A Google responsive search description may have at most 90 characters; this one has 91."
        in page.text
    )


def test_the_preview_says_what_is_missing(client, trafficker, ad_ticket, add):
    ticket = ad_ticket()
    add(ticket)
    page = parse(
        client.get(
            f"/tickets/{ticket.id}/ads/preview",
            query_string={"name_text": "Hero", "placements": "meta_reels"},
            headers=HX,
        )
    )
    assert "Choose a video for Meta Reels." in page.text
    assert "Ad 1 is already named DIS_US_META_2026_Hero" in page.by_id("ad-name-live").text
    nothing = parse(client.get(f"/tickets/{ticket.id}/ads/preview", headers=HX))
    assert "Choose a placement to see the ad in it." in nothing.text


def test_the_ticket_page_runs_a_fixed_number_of_queries_whatever_the_ads(
    db, client, trafficker, ad_ticket, add, make_creative, dis, count_queries
):
    ticket = ad_ticket()

    def statements() -> int:
        db.session.commit()
        db.session.expire_all()
        with count_queries() as recorded:
            assert client.get(f"/tickets/{ticket.id}").status_code == 200
        return len(recorded)

    add(ticket, creative_ids=[str(make_creative(dis).id)])
    statements()  # the process's first page reads the naming conventions, and keeps them
    few = statements()
    for n in range(5):
        add(ticket, name_text=f"More{n}", creative_ids=[str(make_creative(dis).id)])
    assert statements() == few


def test_a_creative_in_use_is_not_deleted_from_the_library(
    app, tmp_path, client, trafficker, ad_ticket, add, make_creative, dis
):
    app.config["CREATIVE_STORAGE_DIR"] = str(tmp_path)
    ticket = ad_ticket()
    image = make_creative(dis, name="hero.jpg")
    add(ticket, creative_ids=[str(image.id)])
    response = client.post(f"/creatives/{image.id}/delete")
    assert response.status_code == 409
    assert (
        "error",
        "hero.jpg is used by ad 1 of ticket DIS_US_META_2026_MoanaLaunch; remove it from the "
        "ad first.",
    ) in parse(response).flashes
