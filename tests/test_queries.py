"""The query layer (services/queries.py): one parse and one apply per list, everywhere.

What a list's URL or API query asks for is parsed once per list into a query object; bad
and unknown parameters get the API's words on every surface: a 422 from the API, a note
next to the filters on the HTML lists (which still answer 200 and show the list as if the
parameter were absent).
"""

import pytest
from werkzeug.datastructures import MultiDict

from omnitraffick.api.spec import document
from omnitraffick.models import CampaignStatus, Role, TicketStatus
from omnitraffick.services import queries, tokens
from omnitraffick.services.errors import ValidationError
from tests.html import parse

API = "/api/v1"


def problems_of(response) -> list[str]:
    """The lines of the note a list shows about its URL (none when it has nothing to say)."""
    note = parse(response.get_data(as_text=True)).find("div", cls="list-problems")
    return [item.text for item in note.find_all("li")] if note else []


@pytest.fixture
def api(client, db, make_user):
    """GET from the API with a viewer's token."""
    _, token = tokens.create_token(make_user(Role.VIEWER), "pytest")
    db.session.commit()

    def get(path: str):
        return client.get(API + path, headers={"Authorization": f"Bearer {token}"})

    return get


@pytest.fixture
def viewer(login):
    return login(Role.VIEWER)


# --- parsing ----------------------------------------------------------------------------------


def test_an_empty_query_is_the_lists_default():
    query = queries.parse_campaigns({})

    assert (query.sort, query.desc, query.page, query.limit, query.offset) == (
        "created",
        True,
        1,
        queries.PAGE_SIZE,
        0,
    )
    assert (query.brand, query.market, query.year, query.status, query.q) == (
        None,
        None,
        None,
        None,
        "",
    )
    assert query.problems == {}


def test_each_surface_spells_the_same_filters_its_own_way(dis, us):
    page = queries.parse_campaigns({"brand": str(dis.id), "market": str(us.id), "year": "2026"})
    api = queries.parse_campaigns(
        {"brand_id": str(dis.id), "market_id": str(us.id), "year": "2026"}, queries.CAMPAIGN_API
    )

    assert (page.brand, page.market, page.year) == (api.brand, api.market, api.year)
    assert (page.brand, page.market, page.year) == (dis.id, us.id, 2026)
    # Only the paging differs: a page of 50 on the page, limit and offset in the API.
    assert (page.limit, page.offset, api.limit, api.offset) == (50, 0, 50, 0)


@pytest.mark.parametrize(
    ("args", "surface", "expected"),
    [
        ({"brand": "x"}, queries.CAMPAIGN_LIST, {"brand": ["brand must be a UUID."]}),
        ({"brand_id": "x"}, queries.CAMPAIGN_API, {"brand_id": ["brand_id must be a UUID."]}),
        ({"year": "20x6"}, queries.CAMPAIGN_LIST, {"year": ["year must be four digits."]}),
        ({"year": "26"}, queries.CAMPAIGN_API, {"year": ["year must be four digits."]}),
        (
            {"status": "nope"},
            queries.CAMPAIGN_LIST,
            {"status": ["status must be one of DRAFT, ACTIVE, PAUSED, COMPLETED."]},
        ),
        (
            {"sort": "evil", "dir": "sideways"},
            queries.CAMPAIGN_LIST,
            {
                "sort": ["sort must be one of created, name, brand, market, year, budget, status."],
                "dir": ["dir must be asc or desc."],
            },
        ),
        (
            {"page": "0"},
            queries.CAMPAIGN_LIST,
            {"page": ["page must be a whole number from 1 to 99999."]},
        ),
        (
            {"limit": "0"},
            queries.CAMPAIGN_API,
            {"limit": ["limit must be a whole number from 1 to 500."]},
        ),
        (
            {"limit": ""},
            queries.CAMPAIGN_API,
            {"limit": ["limit must be a whole number from 1 to 500."]},
        ),
    ],
)
def test_bad_values_are_noted_in_the_apis_words(args, surface, expected):
    query = queries.parse_campaigns(args, surface)

    assert query.problems == expected


def test_a_bad_value_leaves_its_part_of_the_query_at_the_default():
    query = queries.parse_campaigns(
        {"brand": "x", "year": "x", "status": "x", "sort": "x", "dir": "x", "page": "x"}
    )

    assert (query.brand, query.year, query.status) == (None, None, None)
    assert (query.sort, query.desc, query.page) == ("created", True, 1)
    assert set(query.problems) == {"brand", "year", "status", "sort", "dir", "page"}


def test_empty_values_are_no_filter_as_an_html_form_sends_them():
    query = queries.parse_campaigns(
        {"brand": "", "market": "", "year": "", "status": "", "page": "", "sort": "", "dir": ""}
    )

    assert query == queries.parse_campaigns({})
    assert query.problems == {}


def test_unknown_parameters_are_named_with_what_the_list_takes():
    query = queries.parse_tickets({"colour": "red", "": "x"})

    takes = "assignee, brand, campaign, channel, dir, market, page, q, sort, status"
    message = f"Unknown query parameter; this one takes: {takes}."
    assert query.problems == {"(empty name)": [message], "colour": [message]}


def test_statuses_match_any_case_except_on_the_campaign_pages():
    """The campaign pages' <select> sends ACTIVE; a test pins `active` as ignored there."""
    assert queries.parse_campaigns({"status": "active"}).status is None
    assert "status" in queries.parse_campaigns({"status": "active"}).problems
    api = queries.parse_campaigns({"status": "active"}, queries.CAMPAIGN_API)
    assert api.status is CampaignStatus.ACTIVE
    assert queries.parse_tickets({"status": "qa_failed"}).status is TicketStatus.QA_FAILED


@pytest.mark.parametrize("name", ["page", "limit", "offset"])
def test_thousands_of_digits_are_a_problem_not_a_crash(name):
    surface = queries.CAMPAIGN_LIST if name == "page" else queries.CAMPAIGN_API
    query = queries.parse_campaigns({name: "9" * 5000}, surface)

    assert name in query.problems


def test_leading_zeros_are_only_zeros():
    query = queries.parse_campaigns({"limit": "0" * 20 + "7", "offset": "00"}, queries.CAMPAIGN_API)

    assert (query.limit, query.offset, query.problems) == (7, 0, {})


def test_a_page_becomes_an_offset():
    query = queries.parse_table({"page": "3"}, queries.BRANDS)

    assert (query.page, query.limit, query.offset) == (3, 50, 100)


def test_search_text_is_trimmed_and_cut_not_refused():
    query = queries.parse_tickets({"q": "  " + "x" * 500 + "  "})

    assert query.q == "x" * queries.MAX_SEARCH
    assert query.problems == {}


@pytest.mark.parametrize(
    ("value", "shown", "problem"),
    [
        ("40", 40, False),
        ("5000", queries.MAX_SHOWN, False),  # "Show more" keeps adding: capped, not refused
        ("9" * 5000, queries.MAX_SHOWN, False),
        ("abc", None, True),
        ("-3", None, True),
        ("\u0663", None, True),  # an Arabic-Indic digit three
    ],
)
def test_board_column_sizes(value, shown, problem):
    query = queries.parse_tickets({"show_draft": value}, queries.TICKET_BOARD)

    assert query.shown.get(TicketStatus.DRAFT) == shown
    assert ("show_draft" in query.problems) is problem


def test_board_column_sizes_are_unknown_to_the_ticket_list():
    assert "show_draft" in queries.parse_tickets({"show_draft": "40"}).problems


def test_a_board_query_string_parses_like_the_board_url(dis):
    args = MultiDict([("brand", str(dis.id)), ("q", "moana")])
    query = queries.parse_tickets(args, queries.TICKET_BOARD)

    assert (query.brand, query.q, query.sort, query.desc) == (dis.id, "moana", "moved", True)


def test_check_refuses_every_problem_at_once():
    query = queries.parse_campaigns({"brand_id": "x", "year": "x"}, queries.CAMPAIGN_API)

    with pytest.raises(ValidationError) as excinfo:
        query.check()

    assert excinfo.value.message == "brand_id must be a UUID. year must be four digits."
    assert excinfo.value.errors == {
        "brand_id": ["brand_id must be a UUID."],
        "year": ["year must be four digits."],
    }


def test_check_passes_a_good_query_through():
    query = queries.parse_tickets({"status": "DRAFT"}, queries.TICKET_API)

    assert query.check() is query


@pytest.mark.parametrize(
    ("path", "surface"),
    [
        ("/campaigns", queries.CAMPAIGN_API),
        ("/tickets", queries.TICKET_API),
        ("/markets", queries.MARKETS.api),
        ("/brands", queries.BRANDS.api),
        ("/channels", queries.CHANNELS.api),
    ],
)
def test_the_api_surfaces_take_what_the_openapi_document_lists(path, surface):
    operation = document()["paths"][path]["get"]
    documented = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}

    assert set(documented) == surface.parameters()
    limit, offset = documented["limit"]["schema"], documented["offset"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (
        1,
        queries.MAX_LIMIT,
        queries.DEFAULT_LIMIT,
    )
    assert offset["maximum"] == queries.MAX_OFFSET


# --- the same words on the pages and in the API -----------------------------------------------


@pytest.mark.parametrize(
    ("page_query", "api_query", "name"),
    [
        ("year=20x6", "year=20x6", "year"),
        ("status=BOGUS", "status=BOGUS", "status"),
    ],
)
def test_a_page_says_what_the_api_says(client, viewer, api, page_query, api_query, name):
    refused = api(f"/campaigns?{api_query}")
    page = client.get(f"/campaigns/?{page_query}")

    assert refused.status_code == 422
    message = refused.get_json()["errors"][name][0]
    assert page.status_code == 200
    assert any(line.endswith(message) for line in problems_of(page)), problems_of(page)


def test_the_campaign_list_shows_every_campaign_and_says_what_it_left_out(
    client, viewer, moana, frozen
):
    response = client.get("/campaigns/?brand=garbage&year=x&sort=evil&page=abc")

    assert response.status_code == 200
    assert len(parse(response.text).find("tbody").find_all("tr")) == 2
    assert problems_of(response) == [
        "brand=garbage brand must be a UUID.",
        "year=x year must be four digits.",
        "sort=evil sort must be one of created, name, brand, market, year, budget, status.",
        "page=abc page must be a whole number from 1 to 99999.",
    ]


def test_the_note_comes_with_the_htmx_fragment_too(client, viewer, moana):
    response = client.get("/campaigns/?year=x", headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert problems_of(response) == ["year=x year must be four digits."]


def test_a_good_url_has_no_note(client, viewer, moana, dis):
    response = client.get(f"/campaigns/?brand={dis.id}&sort=name&dir=asc&page=1&q=moana")

    assert problems_of(response) == []
    assert "list-problems" not in response.text


def test_the_ticket_list_names_an_unknown_parameter(client, viewer, make_ticket):
    make_ticket()
    response = client.get("/tickets/?colour=red")

    assert response.status_code == 200
    assert problems_of(response) == [
        "colour=red Unknown query parameter; this one takes: "
        "assignee, brand, campaign, channel, dir, market, page, q, sort, status."
    ]


def test_the_board_says_what_it_left_out(client, viewer, make_ticket):
    make_ticket()
    response = client.get("/board/?show_draft=lots&channel=1")

    assert response.status_code == 200
    assert problems_of(response) == [
        "channel=1 channel must be a UUID.",
        "show_draft=lots show_draft must be a whole number.",
    ]
    assert len(parse(response.text).find_all("section", cls="column")) == 6


@pytest.mark.parametrize("url", ["/markets/", "/brands/", "/channels/"])
def test_reference_lists_say_what_they_left_out(client, login, url):
    login(Role.ADMIN)
    response = client.get(url + "?dir=sideways")

    assert response.status_code == 200
    assert problems_of(response) == ["dir=sideways dir must be asc or desc."]


def test_the_user_list_says_what_it_left_out(client, login):
    login(Role.ADMIN)
    response = client.get("/users/?sort=password")

    assert problems_of(response) == ["sort=password sort must be one of email, name, role."]


def test_the_portfolio_keeps_a_mistyped_year_in_its_box(client, viewer, moana):
    response = client.get("/reports/?year=20266")

    assert response.status_code == 200
    assert problems_of(response) == ["year=20266 year must be four digits."]
    assert parse(response.text).values("year") == ["20266"]


def test_the_api_names_every_bad_filter_at_once(api):
    response = api("/campaigns?brand_id=x&year=x&limit=0")

    assert response.status_code == 422
    assert response.get_json() == {
        "detail": "brand_id must be a UUID. year must be four digits. "
        "limit must be a whole number from 1 to 500.",
        "errors": {
            "brand_id": ["brand_id must be a UUID."],
            "year": ["year must be four digits."],
            "limit": ["limit must be a whole number from 1 to 500."],
        },
    }


def test_an_api_limit_of_thousands_of_digits_is_a_422(api):
    response = api("/brands?limit=" + "9" * 5000)

    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "limit": ["limit must be a whole number from 1 to 500."]
    }


# --- one apply: the same rows wherever they are asked for -------------------------------------


def test_list_csv_and_api_find_the_same_tickets(client, viewer, api, make_ticket, moana, meta):
    wanted = make_ticket(campaign=moana, channel=meta)
    make_ticket()

    listed = client.get(f"/tickets/?campaign={moana.id}")
    exported = client.get(f"/tickets/export.csv?campaign={moana.id}")
    served = api(f"/tickets?campaign_id={moana.id}")

    assert len(parse(listed.text).find("tbody").find_all("tr")) == 1
    assert exported.text.count("\n") == 2  # header and one row
    assert [t["id"] for t in served.get_json()] == [str(wanted.id)]


def test_the_campaign_page_and_the_api_page_alike(client, viewer, api, make_campaign, dis, us):
    for n in range(3):
        make_campaign(brand=dis, market=us, campaign_name=f"Launch{n}")

    served = api("/campaigns?limit=2&offset=2")

    assert served.headers["X-Total-Count"] == "3"
    assert len(served.get_json()) == 1


@pytest.mark.parametrize(
    "path",
    ["/campaigns", "/tickets", "/markets", "/brands", "/channels"],
)
def test_api_lists_run_a_fixed_number_of_queries(
    db, api, count_queries, make_ticket, make_campaign, path
):
    def statements() -> int:
        db.session.commit()
        with count_queries() as recorded:
            assert api(path).status_code == 200
        return len(recorded)

    make_ticket()
    statements()  # the token's first use is recorded on it: not part of the list
    few = statements()
    for n in range(5):
        make_ticket(campaign=make_campaign(campaign_name=f"More{n}"))
    assert statements() == few


def test_the_ticket_list_runs_a_fixed_number_of_queries(
    db, client, viewer, count_queries, make_ticket
):
    def statements() -> int:
        db.session.commit()
        with count_queries() as recorded:
            assert client.get("/tickets/?q=moana&sort=channel").status_code == 200
        return len(recorded)

    make_ticket()
    few = statements()
    for _ in range(5):
        make_ticket()
    assert statements() == few


def test_an_api_request_reads_its_token_and_user_in_one_statement(db, api, count_queries, us):
    path = f"/markets/{us.id}"
    api(path)  # the token's first use is recorded on it
    db.session.commit()

    with count_queries() as recorded:
        assert api(path).status_code == 200

    reads = [statement for statement in recorded if statement.lstrip().startswith("SELECT")]
    token_reads = [statement for statement in reads if "api_tokens" in statement]
    assert len(token_reads) == 1
    assert "users" in token_reads[0]
    assert len(reads) == 2, "\n\n".join(reads)  # the token with its user, then the market
