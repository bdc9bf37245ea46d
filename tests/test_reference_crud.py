"""The reference data pages come from one generic set of views and templates.

Markets, brands and channels each keep their URLs, endpoint names, titles, messages and
particulars; these tests pin what each kind says and shows, through the shared code.
"""

import pytest
from flask import url_for

from omnitraffick.models import Role
from omnitraffick.views.brands import BRANDS
from omnitraffick.views.channels import CHANNELS
from omnitraffick.views.markets import MARKETS
from tests.html import parse


@pytest.fixture
def admin(login):
    return login(Role.ADMIN)


@pytest.fixture
def rows(make_market, make_brand, make_channel):
    return {
        "markets": make_market(code="HU", country="HU", region="EMEA", currency="HUF"),
        "brands": make_brand(name="Disney", internal_code="DIS"),
        "channels": make_channel(api_identifier="META", platform_name="Meta"),
    }


def flashes(response) -> list[str]:
    return [node.text for node in parse(response.text).find_all(cls="flash")]


def title(response) -> str:
    return parse(response.text).find("title").text


def heading(response) -> str:
    return parse(response.text).find("h1").text


@pytest.mark.parametrize("kind", [MARKETS, BRANDS, CHANNELS], ids=lambda k: k.name)
def test_each_kind_keeps_its_endpoints_and_urls(app, kind):
    with app.test_request_context():
        assert url_for(f"{kind.name}.index") == f"/{kind.name}/"
        assert url_for(f"{kind.name}.new") == f"/{kind.name}/new"
        ids = {kind.id_arg: "3f2b8c1e-5c2e-4f7a-9a43-1e2d3c4b5a69"}
        assert url_for(f"{kind.name}.edit", **ids) == f"/{kind.name}/{ids[kind.id_arg]}/edit"
        assert url_for(f"{kind.name}.delete", **ids) == f"/{kind.name}/{ids[kind.id_arg]}/delete"
    methods = {
        rule.endpoint: rule.methods - {"HEAD", "OPTIONS"}
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(f"{kind.name}.")
    }
    assert methods == {
        f"{kind.name}.index": {"GET"},
        f"{kind.name}.new": {"GET", "POST"},
        f"{kind.name}.edit": {"GET", "POST"},
        f"{kind.name}.delete": {"POST"},
    }


@pytest.mark.parametrize(
    ("name", "list_title", "new_title", "edit_title", "edit_heading"),
    [
        ("markets", "Markets", "New market", "Edit market HU", "Market HU"),
        ("brands", "Brands", "New brand", "Edit brand Disney", "Brand Disney"),
        # A channel's title names its code; the heading, its platform.
        ("channels", "Channels", "New channel", "Edit channel META", "Channel Meta"),
    ],
)
def test_titles_and_headings(
    client, admin, rows, name, list_title, new_title, edit_title, edit_heading
):
    listing = client.get(f"/{name}/")
    new = client.get(f"/{name}/new")
    edit = client.get(f"/{name}/{rows[name].id}/edit")

    assert title(listing).startswith(list_title) and heading(listing) == list_title
    assert title(new).startswith(new_title) and heading(new) == new_title
    assert title(edit).startswith(edit_title) and heading(edit) == edit_heading
    submit = {"cls": "form-card"}
    assert parse(new.text).find(**submit).find("button").text == f"Create {name[:-1]}"
    assert parse(edit.text).find(**submit).find("button").text == f"Save {name[:-1]}"


@pytest.mark.parametrize(
    ("name", "form", "message"),
    [
        ("markets", {"code": "de", "country": "DE", "region": "EMEA", "currency": "EUR"}, "DE"),
        ("brands", {"name": "Pixar", "internal_code": "pix"}, "Pixar"),
        ("channels", {"platform_name": "TikTok", "api_identifier": "tiktok"}, "TIKTOK"),
    ],
)
def test_create_save_and_delete_flash_the_kind_and_its_name(client, admin, name, form, message):
    noun = name[:-1].capitalize()
    created = client.post(f"/{name}/new", data=form, follow_redirects=True)
    assert flashes(created) == [f"{noun} {message} created."]

    edit_link = parse(created.text).find("td", cls="actions").find("a").attrs["href"]
    saved = client.post(edit_link, data=form, follow_redirects=True)
    assert flashes(saved) == [f"{noun} {message} saved."]

    deleted = client.post(edit_link.replace("/edit", "/delete"), follow_redirects=True)
    assert flashes(deleted) == [f"{noun} {message} deleted."]
    assert parse(deleted.text).find("td", cls="empty") is not None


def test_a_market_form_picks_a_country_and_its_list_names_it(client, admin, rows):
    form = parse(client.get("/markets/new").text)
    listing = client.get("/markets/")

    assert "HU" in form.options("country")
    cells = parse(listing.text).find("tbody").find("tr").find_all("td")
    assert cells[1].text == "Hungary" and cells[1].attrs["title"] == "HU"


def test_a_market_is_found_by_its_country_name(client, admin, rows, make_market):
    make_market(code="US", country="US")

    listing = parse(client.get("/markets/?q=hungary").text)

    assert [row.find("td").text for row in listing.find("tbody").find_all("tr")] == ["HU"]


def test_a_brand_form_groups_its_budget_ceilings(client, admin):
    fieldset = parse(client.get("/brands/new").text).find("fieldset", cls="settings")

    assert fieldset.find("legend").text == "Budget ceilings for pre-flight QA"
    assert [node.attrs["name"] for node in fieldset.find_all("input")] == [
        "daily_budget_ceiling",
        "lifetime_budget_ceiling",
        "ceiling_currency",
    ]


def test_a_brand_keeps_its_budget_ceilings(client, admin, rows, db):
    brand = rows["brands"]
    form = {
        "name": "Disney",
        "internal_code": "DIS",
        "daily_budget_ceiling": "500",
        "lifetime_budget_ceiling": "",
        "ceiling_currency": "usd",
    }

    client.post(f"/brands/{brand.id}/edit", data=form)

    db.session.refresh(brand)
    assert (brand.daily_budget_ceiling, brand.lifetime_budget_ceiling) == (500, None)
    assert brand.ceiling_currency == "USD"


def test_only_channels_say_where_sends_go(client, admin, rows):
    headers = {
        name: [th.text for th in parse(client.get(f"/{name}/").text).find("thead").find_all("th")]
        for name in ("markets", "brands", "channels")
    }

    assert headers == {
        "markets": ["Code▲", "Country↕", "Region↕", "Currency↕", "Time zone", "Actions"],
        "brands": ["Name▲", "Internal code↕", "Actions"],
        "channels": ["Platform▲", "API identifier↕", "Sends go to", "Actions"],
    }


def test_a_viewer_reads_the_list_without_edit_links(client, login, rows):
    login(Role.VIEWER)

    listing = client.get("/brands/")

    assert listing.status_code == 200
    assert parse(listing.text).find("td", cls="actions") is None
    assert client.get("/brands/new").status_code == 403
    assert client.post(f"/brands/{rows['brands'].id}/delete").status_code == 403


def test_the_delete_form_names_its_kind(client, admin, rows):
    page = parse(client.get(f"/channels/{rows['channels'].id}/edit").text)

    form = page.find("article", cls="danger-zone").find("form")
    assert form.attrs["action"] == f"/channels/{rows['channels'].id}/delete"
    assert form.attrs["data-confirm"] == "Delete this channel? This cannot be undone."
