"""The decoder: pasted or uploaded names, and POST /api/v1/names/validate, answer per name:
valid, version, parts, the first part that fails and why, and a suggested compliant name."""

import io

import pytest

from omnitraffick.models import Role
from omnitraffick.services import naming, tokens
from tests.html import parse


@pytest.fixture
def refs(db, dis, us, meta, tiktok):
    return dis, us


@pytest.fixture
def api_headers(db, make_user):
    user = make_user(Role.VIEWER)
    _, token = tokens.create_token(user, "tests")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("name", "problem", "suggestion"),
    [
        (
            "dis_us_meta_2026_Moana Launch",
            "Part 1: 'dis' must be upper case: DIS.",
            "DIS_US_META_2026_MoanaLaunch",
        ),
        ("DIS_XX_META_2026_Moana", "Part 2: 'XX' is not a known market code.", None),
        (
            "DIS_US_META_26_Moana",
            "Part 4: '26' is not a four-digit year such as 2026.",
            "DIS_US_META_2026_Moana",
        ),
        ("DIS_US_META_2026", "Part 5 (free text) is missing: the name ends before it.", None),
        (
            "DIS_US_META_2026_Café Noël",
            "Part 5: the free text 'Café Noël' holds characters a name cannot: space é ë.",
            "DIS_US_META_2026_CafeNoel",
        ),
        (
            "DIS_US_META_2026_Moana_2",
            "Unexpected '_2' after the last part: the convention has 5 parts "
            "(BRAND_MARKET_CHANNEL_YEAR_TEXT).",
            "DIS_US_META_2026_Moana2",
        ),
    ],
)
def test_each_failing_name_says_the_first_part_that_fails_and_why(refs, name, problem, suggestion):
    result = naming.validate_names([name])[0]
    assert not result.valid and result.version is None
    assert result.problems == [problem]
    assert result.suggestion == suggestion


def test_a_valid_name_gives_its_version_and_parts(refs):
    result = naming.validate_names(["DIS_US_TIKTOK_2026_MoanaLaunch"])[0]
    assert result.as_dict() == {
        "name": "DIS_US_TIKTOK_2026_MoanaLaunch",
        "valid": True,
        "version": 1,
        "parts": {
            "brand": "DIS",
            "market": "US",
            "channel": "TIKTOK",
            "year": "2026",
            "text": "MoanaLaunch",
        },
        "problems": [],
        "suggestion": None,
    }


def test_the_api_answers_one_result_per_name(client, refs, api_headers):
    names = ["DIS_US_MULTI_2026_MoanaLaunch", "DIS_US_META_26_Moana"]
    response = client.post("/api/v1/names/validate", json={"names": names}, headers=api_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert [r["valid"] for r in body] == [True, False]
    assert set(body[1]) == {"name", "valid", "version", "parts", "problems", "suggestion"}
    assert body[1]["suggestion"] == "DIS_US_META_2026_Moana"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "names"),
        ({"names": "DIS"}, "names"),
        ({"names": [1]}, "names"),
        ({"names": ["x"], "level": "banner"}, "level"),
        ({"names": ["x"] * (naming.MAX_NAMES + 1)}, "names"),
        ({"names": ["x"], "other": 1}, "other"),
    ],
)
def test_the_api_refuses_bad_bodies_with_422(client, refs, api_headers, body, field):
    response = client.post("/api/v1/names/validate", json=body, headers=api_headers)
    assert response.status_code == 422, response.text
    assert field in response.get_json()["errors"]


def test_the_api_needs_a_token(client):
    assert client.post("/api/v1/names/validate", json={"names": []}).status_code == 401


def test_the_decoder_page_decodes_pasted_names(client, login, refs):
    login(Role.VIEWER)
    text = "DIS_US_MULTI_2026_MoanaLaunch\n\ndis_us_meta_2026_x\n"
    response = client.post("/naming/decoder", data={"names": text, "level": "campaign"})
    assert response.status_code == 200
    page = parse(response.text)
    assert page.by_id("decoder-summary").text == "2 names: 1 valid, 1 not."
    rows = page.find("table", cls="decoder-results").find_all("tr")[1:]
    assert "v1" in rows[0].text
    assert "'dis' must be upper case" in rows[1].text and "DIS_US_META_2026_X" not in rows[1].text


def test_the_decoder_reads_an_uploaded_csv(client, login, refs):
    login(Role.VIEWER)
    csv = b'id,name\n1,DIS_US_META_2026_Spring\n2,"DIS_US_META_2026_Spring, Sale"\n'
    response = client.post(
        "/naming/decoder",
        data={"names": "", "level": "campaign", "file": (io.BytesIO(csv), "names.csv")},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = parse(response.text)
    assert page.by_id("decoder-summary").text == "2 names: 1 valid, 1 not."


def test_the_decoder_says_what_is_missing(client, login, refs):
    login(Role.VIEWER)
    response = client.post("/naming/decoder", data={"names": "  \n", "level": "campaign"})
    assert response.status_code == 422
    assert "Paste at least one name or upload a CSV." in response.text
    bad = client.post(
        "/naming/decoder",
        data={"names": "", "level": "campaign", "file": (io.BytesIO(b"\xff\xfe\x00"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "The CSV file must be UTF-8 text." in bad.text


def test_ad_set_names_are_checked_against_the_ad_set_convention(db, refs, make_user):
    naming.save_convention(
        "adset",
        "-",
        [
            {"kind": "channel"},
            {"kind": "quarter"},
            {"kind": "text", "max_length": 20, "casing": "lower"},
        ],
        make_user(),
    )
    db.session.commit()
    ok, bad = naming.validate_names(["META-Q3-summer", "META-Q5-summer"], "adset")
    assert (
        ok.valid
        and ok.version == 2
        and ok.parts == {"channel": "META", "quarter": "Q3", "text": "summer"}
    )
    assert bad.problems == ["Part 2: 'Q5' is not a quarter Q1 to Q4."]
