"""The UTM builder (services/utm.py) as pure functions: what it sets, what it keeps, what it
refuses, and the mapping an admin types. Parameters: https://support.google.com/analytics/answer/10917952
"""

from urllib.parse import parse_qsl, urlsplit

import pytest

from omnitraffick.services import utm
from omnitraffick.services.errors import ValidationError

NAME = "DIS_US_META_2026_MoanaLaunch"
ADSET = "DIS_US_META_TRAFFIC_202603"
META = utm.UtmSettings("facebook", "paid_social")
NAMES = utm.Names(NAME, ADSET)


def query(url):
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_without_a_mapping_only_utm_campaign_is_set():
    built = utm.build("https://www.disney.com/moana", None, NAMES)

    assert built == f"https://www.disney.com/moana?utm_campaign={NAME}"


def test_with_a_mapping_source_medium_campaign_and_content_are_set_in_order():
    built = utm.build("https://www.disney.com/moana", META, NAMES)

    assert query(built) == [
        ("utm_source", "facebook"),
        ("utm_medium", "paid_social"),
        ("utm_campaign", NAME),
        ("utm_content", ADSET),
    ]


def test_the_existing_query_string_and_fragment_are_kept_as_typed():
    url = "https://shop.example.com/p/moana?ref=a%20b&sku=42&empty=&x=1+2#reviews"

    built = utm.build(url, META, NAMES)

    parts = urlsplit(built)
    assert parts.fragment == "reviews"
    assert parts.path == "/p/moana"
    # Untouched parameters keep their place and their encoding.
    assert parts.query.startswith("ref=a%20b&sku=42&empty=&x=1+2&utm_source=facebook")


def test_existing_utm_parameters_the_builder_sets_are_overwritten_in_place():
    url = "https://example.com/?UTM_Source=FB&a=1&utm_campaign=old&utm_campaign=older&utm_id=7"

    built = utm.build(url, META, NAMES)

    assert query(built) == [
        ("utm_source", "facebook"),  # replaced where it stood, whatever its case
        ("a", "1"),
        ("utm_campaign", NAME),  # the duplicate is gone
        ("utm_id", "7"),  # a parameter the mapping does not set is kept
        ("utm_medium", "paid_social"),
        ("utm_content", ADSET),
    ]


def test_building_twice_changes_nothing():
    once = utm.build("https://example.com/a?b=c#d", META, NAMES)

    assert utm.build(once, META, NAMES) == once


def test_mapping_values_are_lowercase_and_names_keep_their_case():
    mapping = utm.UtmSettings("Facebook", "Paid_Social", (("utm_source_platform", "Meta_Ads"),))

    params = utm.parameters(mapping, NAMES)

    assert params["utm_source"] == "facebook"
    assert params["utm_medium"] == "paid_social"
    assert params["utm_source_platform"] == "meta_ads"
    assert params["utm_campaign"] == NAME  # equal to the name on the platform


def test_names_in_lowercase_when_the_mapping_asks():
    mapping = utm.UtmSettings("facebook", "paid_social", lowercase_names=True)

    params = utm.parameters(mapping, NAMES)

    assert params["utm_campaign"] == NAME.lower()
    assert params["utm_content"] == ADSET.lower()


def test_utm_content_is_the_campaign_name_when_the_ad_set_has_no_own_name():
    assert utm.parameters(META, utm.Names(NAME))["utm_content"] == NAME


def test_utm_content_left_out_when_the_mapping_says_so():
    mapping = utm.UtmSettings("facebook", "paid_social", content_from_adset=False)

    assert "utm_content" not in utm.parameters(mapping, NAMES)


def test_values_are_url_encoded():
    names = utm.Names("Ä&B=C")

    built = utm.build("https://example.com/", None, names)

    assert urlsplit(built).query == "utm_campaign=%C3%84%26B%3DC"


def test_http_is_accepted_and_the_scheme_lowercased():
    assert utm.build("HTTP://Example.com/x", None, NAMES).startswith("http://Example.com/x?")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.com/file", "'ftp://example.com/file' is not one"),
        ("javascript:alert(1)", "must start with https://"),
        ("example.com/moana", "not one"),
        ("https://", "not one"),
        ("http://[", "not one"),
        ("", "Type the landing URL first"),
        ("https://example.com/a b", "spaces"),
    ],
)
def test_non_web_addresses_are_refused_with_a_message(url, fragment):
    with pytest.raises(ValidationError) as caught:
        utm.build(url, META, NAMES)

    assert fragment in caught.value.message


def test_a_url_too_long_once_built_is_refused():
    with pytest.raises(ValidationError, match="would be 2,"):
        utm.build("https://example.com/?q=" + "x" * 1950, META, NAMES)


def test_differences_name_what_is_missing_or_other():
    url = f"https://example.com/?utm_source=fb&utm_campaign={NAME}"

    found = utm.differences(url, META, NAMES)

    assert [(d.key, d.found, d.expected) for d in found] == [
        ("utm_source", "fb", "facebook"),
        ("utm_medium", None, "paid_social"),
        ("utm_content", None, ADSET),
    ]
    assert utm.differences(utm.build(url, META, NAMES), META, NAMES) == []


# --- the mapping as an admin types it -------------------------------------------------------


def test_a_mapping_is_cleaned_to_lowercase():
    mapping = utm.clean_mapping(" Facebook ", "PAID_social", "UTM_ID = Spring26\n\n", True, False)

    assert mapping == utm.UtmSettings("facebook", "paid_social", (("utm_id", "spring26"),))


def test_a_blank_mapping_is_none():
    assert utm.clean_mapping("", " ", "", True, False) is None


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        (("facebook", ""), "utm_medium", "utm_medium is required"),
        (("", "paid_social"), "utm_source", "utm_source is required"),
        (("face book", "paid"), "utm_source", "use lowercase letters, digits"),
        (("facebook", "x" * 101), "utm_medium", "at most 100"),
        (("facebook", "paid", "utm_campaign = x"), "utm_extra", "utm_campaign is the name"),
        (("facebook", "paid", "utm_foo = x"), "utm_extra", "utm_foo is not one of"),
        (("facebook", "paid", "utm_id"), "utm_extra", "write it as utm_id = value"),
        (
            ("facebook", "paid", "utm_id = 1\nutm_id = 2"),
            "utm_extra",
            "Line 2: utm_id is set twice",
        ),
        (("facebook", "paid", "utm_content = x"), "utm_extra", "utm_content is the ad set"),
        (("facebook", "paid", "utm_term = a b"), "utm_extra", "Line 1: utm_term"),
    ],
)
def test_bad_mappings_are_refused_naming_the_field(fields, field, fragment):
    with pytest.raises(ValidationError) as caught:
        utm.clean_mapping(*fields)

    assert caught.value.field == field
    assert fragment in caught.value.message


def test_utm_content_may_be_fixed_when_it_is_not_the_ad_set_name():
    mapping = utm.clean_mapping("facebook", "paid", "utm_content = hero", False, False)

    assert utm.parameters(mapping, NAMES)["utm_content"] == "hero"
