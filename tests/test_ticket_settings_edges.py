"""A ticket's settings as a planner types them: what is kept, what is left out, and the exact
message for each wrong value (services/settings.py)."""

import pytest

from omnitraffick.models import RequestType
from omnitraffick.services.errors import ValidationError
from omnitraffick.services.settings import clean_settings, missing_settings

CREATE, BUDGET, STATUS = (
    RequestType.CREATE_CAMPAIGN,
    RequestType.UPDATE_BUDGET,
    RequestType.UPDATE_STATUS,
)


def errors_of(request_type, raw, currency="USD") -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        clean_settings(request_type, raw, currency)
    return caught.value.errors


def test_a_complete_create_is_cleaned_to_plain_values():
    cleaned = clean_settings(
        CREATE,
        {
            "objective": " traffic ",
            "budget_type": "daily",
            "budget_amount": "1,500.5",
            "flight_start": " 2026-02-01 ",
            "flight_end": "2026-02-28",
            "landing_url": " https://example.com/page?x=1 ",
            "special_ad_categories": "employment, housing",
            "special_ad_category_countries": ["us", "US", " gb "],
        },
        "USD",
    )

    assert cleaned == {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "1500.50",
        "flight_start": "2026-02-01",
        "flight_end": "2026-02-28",
        "landing_url": "https://example.com/page?x=1",
        # In the standard order, whatever order they were typed in.
        "special_ad_categories": ["HOUSING", "EMPLOYMENT"],
        "special_ad_category_countries": ["US", "GB"],
        # A new object is created paused unless the ticket says otherwise.
        "initial_status": "PAUSED",
    }


def test_a_create_keeps_an_active_start_when_asked():
    assert clean_settings(CREATE, {"initial_status": "active"}, "USD") == {
        "initial_status": "ACTIVE"
    }


def test_blanks_are_left_out_and_an_update_keeps_only_its_own_settings():
    raw = {
        "budget_type": "LIFETIME",
        "budget_amount": 250,
        "objective": "REACH",  # checked, but not an UPDATE_BUDGET setting
        "flight_end": "",
        "landing_url": "   ",
        "special_ad_categories": [],
        "special_ad_category_countries": None,
    }

    assert clean_settings(BUDGET, raw, "USD") == {
        "budget_type": "LIFETIME",
        "budget_amount": "250.00",
    }
    assert clean_settings(STATUS, {"target_status": "paused"}, "USD") == {"target_status": "PAUSED"}


def test_a_settings_object_that_is_not_an_object_is_refused():
    assert errors_of(CREATE, ["objective"]) == {
        "payload_config": ["Settings must be an object of named values."]
    }


def test_unknown_settings_are_named_with_the_known_ones():
    [message] = errors_of(CREATE, {"budget": "1", "colour": "red"})["payload_config"]

    assert message.startswith("Unknown settings: budget, colour. Known: objective, budget_type,")


def test_every_wrong_value_is_reported_at_once_one_message_per_field():
    errors = errors_of(
        CREATE,
        {
            "objective": "SALES",
            "budget_type": "WEEKLY",
            "budget_amount": "ten",
            "flight_start": "31/03/2026",
            "landing_url": "www.example.com",
            "initial_status": "DELETED",
            "special_ad_categories": ["HOUSING", "CREDIT"],
            "special_ad_category_countries": ["US", "XX"],
        },
    )

    assert errors == {
        "objective": [
            "Objective must be one of AWARENESS, REACH, TRAFFIC, ENGAGEMENT, VIDEO_VIEWS, "
            "LEADS, APP_INSTALLS, CONVERSIONS."
        ],
        "budget_type": ["Budget type must be one of DAILY, LIFETIME."],
        "budget_amount": ["Budget must be a number, e.g. 1500.00 (got 'ten')."],
        "flight_start": ["Flight start must be a date like 2026-03-31."],
        "landing_url": ["Landing URL must be a full web address, e.g. https://example.com/page."],
        "initial_status": ["Create as must be one of ACTIVE, PAUSED."],
        "special_ad_categories": [
            "Special ad categories must be one of HOUSING, EMPLOYMENT, "
            "FINANCIAL_PRODUCTS_SERVICES, ISSUES_ELECTIONS_POLITICS, ONLINE_GAMBLING_AND_GAMING."
        ],
        "special_ad_category_countries": [errors["special_ad_category_countries"][0]],
    }
    assert errors["special_ad_category_countries"][0].startswith("Declared for countries: ")


@pytest.mark.parametrize(
    ("value", "field"),
    [(True, "budget_amount"), ({"a": 1}, "objective"), (["TRAFFIC"], "objective")],
)
def test_a_value_of_the_wrong_type_says_so(value, field):
    label = {"budget_amount": "Budget amount", "objective": "Objective"}[field]
    assert errors_of(CREATE, {field: value}) == {field: [f"{label} has the wrong type."]}


def test_a_list_setting_must_hold_strings():
    assert errors_of(CREATE, {"special_ad_categories": ["HOUSING", 3]}) == {
        "special_ad_categories": ["Special ad categories must be a list of strings."]
    }


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/x", "https://", "https://exa mple.com/", "http://[", "example.com"],
)
def test_a_landing_url_must_be_a_full_web_address(url):
    assert errors_of(CREATE, {"landing_url": url}) == {
        "landing_url": ["Landing URL must be a full web address, e.g. https://example.com/page."]
    }


def test_a_landing_url_holds_at_most_2000_characters():
    base = "https://example.com/"
    at_limit = base + "a" * (2000 - len(base))
    assert clean_settings(CREATE, {"landing_url": at_limit}, "USD")["landing_url"] == at_limit
    assert errors_of(CREATE, {"landing_url": at_limit + "a"}) == {
        "landing_url": ["Landing URL must be at most 2,000 characters."]
    }


def test_http_and_https_landing_urls_are_both_addresses():
    for url in ("http://example.com/", "https://example.com/"):
        assert clean_settings(CREATE, {"landing_url": url}, "USD")["landing_url"] == url


def test_a_create_needs_its_settings_and_a_lifetime_budget_needs_a_flight_end():
    assert missing_settings(CREATE, {}) == [
        "Objective",
        "Budget type",
        "Budget amount",
        "Flight start",
        "Landing URL",
        "Create as",
    ]
    daily = {"budget_type": "DAILY"}
    lifetime = {"budget_type": "LIFETIME"}
    assert "Flight end" not in missing_settings(CREATE, daily)
    assert "Flight end" in missing_settings(CREATE, lifetime)
    # An update's flight is its CREATE ticket's: a lifetime update does not ask for one.
    assert missing_settings(BUDGET, lifetime) == ["Budget amount"]
    assert missing_settings(STATUS, {"target_status": "ACTIVE"}) == []


def test_a_blank_setting_does_not_stop_the_ones_after_it_being_read():
    # Blank and whitespace-only settings come first in form order; the rest are still kept.
    cleaned = clean_settings(
        CREATE,
        {"objective": "", "budget_type": "   ", "landing_url": "https://example.com/"},
        "USD",
    )

    assert cleaned == {"landing_url": "https://example.com/", "initial_status": "PAUSED"}


def test_a_value_of_the_wrong_type_does_not_hide_the_problems_after_it():
    assert errors_of(CREATE, {"objective": True, "budget_type": "WEEKLY"}) == {
        "objective": ["Objective has the wrong type."],
        "budget_type": ["Budget type must be one of DAILY, LIFETIME."],
    }
