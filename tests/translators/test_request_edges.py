"""Platform translators at the edges mutation testing found unheld."""

from dataclasses import replace
from decimal import Decimal

import pytest

from omnitraffick.services.translators import TranslationError, translate, translator_for
from omnitraffick.services.translators.base import BudgetType, PlatformRequest, dig
from omnitraffick.services.translators.meta import _days as meta_days
from omnitraffick.services.translators.meta import usd_minimum
from omnitraffick.services.translators.tiktok import minimum_budget
from tests.translators.helpers import (
    UPDATE_BUDGET,
    UPDATE_STATUS,
    problems_of,
    requests_of,
    settings,
    ticket,
)


@pytest.mark.parametrize(("code", "named"), [("LINKEDIN", "LINKEDIN"), (None, "unknown")])
def test_an_unknown_channel_is_named_in_the_message(code, named):
    with pytest.raises(TranslationError) as caught:
        translate(code, ticket("LINKEDIN"))

    assert caught.value.platform == named
    assert caught.value.message.startswith(f"This ticket cannot become a {named} request: ")


def test_a_google_name_of_exactly_255_characters_is_taken():
    # "Name length: 255 characters":
    # https://developers.google.com/google-ads/api/docs/best-practices/system-limits
    name = "DIS_US_GOOGLE_2026_" + "M" * (255 - len("DIS_US_GOOGLE_2026_"))

    translation = translate("GOOGLE", ticket("GOOGLE", platform_name=name))

    assert name in str(requests_of(translation))


def test_a_name_too_long_is_one_problem_even_when_the_ad_group_carries_it_too():
    # The ad group is named like the campaign: one name, one line.
    name = "DIS_US_GOOGLE_2026_" + "M" * 300

    problems = problems_of("GOOGLE", ticket("GOOGLE", platform_name=name))

    assert [p for p in problems if "characters" in p] == [
        f"The campaign name is {len(name)} characters; Google Ads takes at most 255."
    ]


def test_a_missing_initial_status_is_not_reported_but_the_settings_after_it_are():
    data = ticket("META", settings=settings(initial_status=None, objective=None, budget_type=None))

    problems = problems_of("META", data)

    assert "Objective is required." in problems
    assert "Budget type is required." in problems
    assert not any("status" in p.lower() for p in problems)


def test_an_unknown_special_ad_category_is_named():
    data = ticket("META", settings=settings(special_ad_categories=["HOUSING", "NOPE"]))

    problems = problems_of("META", data)

    assert any(p.startswith("Special ad category 'NOPE' is not one of ") for p in problems)


# --- Meta's minimum budgets, read from the ad account before a send --------------------------
# https://developers.facebook.com/docs/marketing-api/reference/ad-account/minimum_budgets


def meta_budget_check(**overrides):
    requests = translate("META", ticket("META", settings=settings(**overrides))).requests
    return translator_for("META").budget_check(requests)


def minimums(**row):
    return {"data": [row]}


def test_meta_documents_higher_minimums_for_some_currencies():
    assert usd_minimum("min_daily_budget_imp", "USD") == Decimal("1.00")
    assert usd_minimum("min_daily_budget_imp", "INR") == Decimal("0.50")
    assert usd_minimum("min_daily_budget_low_freq", "EUR") == Decimal("40.00")


def test_a_daily_budget_equal_to_the_accounts_minimum_is_enough():
    check = meta_budget_check(budget_amount="5.00")  # 500 cents; a TRAFFIC ad set: clicks

    assert check.method == "GET" and check.path.endswith("/act_{ad_account_id}/minimum_budgets")
    assert check.judge(minimums(min_daily_budget_high_freq=500, currency="USD")) is None
    refused = check.judge(minimums(min_daily_budget_high_freq="501", currency="USD"))
    assert refused.startswith(
        "Meta needs at least $5.01 a day for an ad set optimised for clicks or engagement"
    )
    assert "this ticket has $5.00. Raise the budget to $5.01 or more" in refused


def test_a_lifetime_budget_needs_the_daily_minimum_for_each_day_of_the_flight():
    # March 2026 is 31 days: 31 x $5.00 = $155.00.
    check = meta_budget_check(budget_type="LIFETIME", budget_amount="155.00")

    assert check.judge(minimums(min_daily_budget_high_freq=500, currency="USD")) is None
    refused = check.judge(minimums(min_daily_budget_high_freq=501, currency="USD"))
    assert "at least $155.31 for 31 days" in refused


def test_whole_unit_currencies_are_read_as_they_are():
    check = meta_budget_check(budget_amount="100.00")  # 10000 cents of USD in the request

    refused = check.judge(minimums(min_daily_budget_high_freq=20000, currency="JPY"))

    assert "at least ¥20,000 a day" in refused


@pytest.mark.parametrize(
    "answer",
    [
        {},
        {"data": []},
        {"data": "none"},
        {"data": ["row"]},
        minimums(currency="USD"),  # no figure for this kind of ad set
        minimums(min_daily_budget_high_freq="5.00", currency="USD"),
        minimums(min_daily_budget_high_freq=None, currency="USD"),
        [],
    ],
)
def test_an_answer_without_a_figure_leaves_the_judgement_to_the_platform(answer):
    check = meta_budget_check(budget_amount="0.01")

    assert check.judge(answer) is None


def test_a_budget_update_is_held_to_the_least_any_ad_set_needs():
    data = ticket(
        "META",
        request_type=UPDATE_BUDGET,
        settings={"budget_type": "LIFETIME", "budget_amount": "0.50"},
        created_object_id="120000000001",
    )
    check = translator_for("META").budget_check(translate("META", data).requests)

    # Impressions, one day: the update does not say what its ad set optimizes for.
    assert check.judge(minimums(min_daily_budget_imp=50, currency="USD")) is None
    assert "a day for an ad set optimised for impressions or reach" in check.judge(
        minimums(min_daily_budget_imp=51, currency="USD")
    )


def test_a_status_update_reads_no_minimum():
    data = ticket(
        "META",
        request_type=UPDATE_STATUS,
        settings={"target_status": "ACTIVE"},
        created_object_id="120000000001",
    )

    assert translator_for("META").budget_check(translate("META", data).requests) is None


# --- TikTok: special industries and minimum budgets ------------------------------------------
# https://business-api.tiktok.com/portal/docs?id=1739318962329602 (special_industries on
# /campaign/create/), https://ads.tiktok.com/help/article/budget?lang=en (minimums, USD)


def tiktok_campaign(translation):
    [body] = [r.body for r in translation.requests if r.path.endswith("/campaign/create/")]
    return body


def test_tiktok_declares_special_industries_for_a_us_campaign():
    data = ticket("TIKTOK", settings=settings(special_ad_categories=["HOUSING", "EMPLOYMENT"]))

    translation = translate("TIKTOK", data)

    assert tiktok_campaign(translation)["special_industries"] == ["HOUSING", "EMPLOYMENT"]
    assert not any("special industries" in note for note in translation.notes)


def test_tiktok_leaves_the_declaration_out_outside_the_us_and_canada_and_says_so():
    data = ticket(
        "TIKTOK",
        currency="EUR",
        country="FR",
        settings=settings(special_ad_categories=["HOUSING"]),
    )

    translation = translate("TIKTOK", data)

    assert "special_industries" not in tiktok_campaign(translation)
    assert (
        "TikTok takes special industries only for campaigns in the US or Canada, so the "
        "declaration is not sent for FR."
    ) in translation.notes


def test_tiktok_says_nothing_of_special_industries_when_none_is_declared():
    data = ticket("TIKTOK", currency="EUR", country="FR", settings=settings())

    translation = translate("TIKTOK", data)

    assert "special_industries" not in tiktok_campaign(translation)
    assert not any("special industries" in note for note in translation.notes)


def test_tiktok_refuses_a_declaration_it_cannot_make():
    data = ticket("TIKTOK", settings=settings(special_ad_categories=["ISSUES_ELECTIONS_POLITICS"]))

    problems = problems_of("TIKTOK", data)

    assert any(p.startswith("TikTok cannot declare ISSUES_ELECTIONS_POLITICS") for p in problems)


@pytest.mark.parametrize(
    ("budget_type", "currency", "days", "least"),
    [
        (BudgetType.DAILY, "USD", 10, Decimal(50)),  # the campaign's minimum
        (BudgetType.LIFETIME, "USD", 1, Decimal(50)),  # one day: the campaign's is stricter
        (BudgetType.LIFETIME, "USD", 10, Decimal(200)),  # $20 a day for the ad group
        (BudgetType.LIFETIME, "USD", None, Decimal(50)),  # no flight end: days unknown
        (BudgetType.DAILY, "EUR", 10, None),  # documented in USD only
    ],
)
def test_tiktok_minimum_budgets(budget_type, currency, days, least):
    assert minimum_budget(budget_type, currency, days) == least


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (None, "2026-03-02T00:00:00+0000", 1),
        ("2026-03-01T00:00:00+0000", None, 1),
        ("2026-03-01T00:00:00+0000", "2026-03-01T00:00:00+0000", 1),  # never less than one
        ("2026-03-01T00:00:00+0000", "2026-03-02T00:00:00+0000", 1),  # exactly a day
        ("2026-03-01T00:00:00+0000", "2026-03-02T00:00:01+0000", 2),  # a second into the next
        ("2026-03-01T00:00:00-0500", "2026-03-31T23:59:59-0400", 31),  # across a DST change
    ],
)
def test_a_meta_ad_set_schedule_counts_each_day_it_touches(start, end, days):
    assert meta_days(start, end) == days


def meta_lookup(method, path, body):
    return translator_for("META").lookup(PlatformRequest(method, path, body, "test"))


def test_meta_looks_a_campaign_up_by_its_exact_name_before_making_it():
    found = meta_lookup("POST", "/v27.0/act_{ad_account_id}/campaigns", {"name": "DIS_X"})

    assert (found.method, found.path, found.what) == (
        "GET",
        "/v27.0/act_{ad_account_id}/campaigns",
        "campaign",
    )
    assert found.pick({"data": [{"name": "DIS_XY", "id": 1}, {"name": "DIS_X", "id": 2}]}) == "2"
    assert found.pick({"data": [{"name": "DIS_XY", "id": 1}]}) is None


@pytest.mark.parametrize(
    ("method", "body"), [("GET", {"name": "DIS_X"}), ("POST", {}), ("POST", {"name": ""})]
)
def test_meta_looks_nothing_up_for_what_makes_no_named_object(method, body):
    assert meta_lookup(method, "/v27.0/act_{ad_account_id}/campaigns", body) is None


# --- Google Ads and EU political advertising --------------------------------------------------
# https://developers.google.com/google-ads/api/docs/api-policy/eu-par (required on create;
# no political ads served in the EU since October 2025)


def google_campaign(data):
    bodies = [r.body for r in translate("GOOGLE", data).requests]
    [campaign] = [
        op["create"]
        for body in bodies
        for op in body.get("operations", [])
        if "containsEuPoliticalAdvertising" in op.get("create", {})
    ]
    return campaign


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ({}, "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"),
        (
            {"special_ad_categories": ["ISSUES_ELECTIONS_POLITICS"]},
            "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING",  # declared for the US only
        ),
        (
            {
                "special_ad_categories": ["ISSUES_ELECTIONS_POLITICS"],
                "special_ad_category_countries": ["US", "FR"],
            },
            "CONTAINS_EU_POLITICAL_ADVERTISING",
        ),
        (
            {"special_ad_categories": ["HOUSING"], "special_ad_category_countries": ["FR"]},
            "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING",  # not political
        ),
    ],
)
def test_google_declares_eu_political_advertising_only_when_it_is(declared, expected):
    data = ticket("GOOGLE", settings=settings(**declared))

    assert google_campaign(data)["containsEuPoliticalAdvertising"] == expected


@pytest.mark.parametrize(
    ("country", "categories", "refused"),
    [
        ("FR", ["ISSUES_ELECTIONS_POLITICS"], True),
        ("US", ["ISSUES_ELECTIONS_POLITICS"], False),
        ("FR", ["HOUSING"], False),
    ],
)
def test_google_refuses_political_ads_in_an_eu_market(country, categories, refused):
    data = ticket(
        "GOOGLE",
        currency="EUR" if country == "FR" else "USD",
        country=country,
        settings=settings(special_ad_categories=categories),
    )

    try:
        translate("GOOGLE", data)
        problems = ()
    except TranslationError as err:
        problems = err.problems

    stopped = [p for p in problems if p.startswith("Google Ads stopped serving political ads")]
    assert bool(stopped) is refused


def test_meta_reads_the_first_row_of_the_minimums_answer():
    check = meta_budget_check(budget_amount="5.00")
    rows = [
        {"min_daily_budget_high_freq": 600, "currency": "USD"},
        {"min_daily_budget_high_freq": 100, "currency": "USD"},
    ]

    assert "at least $6.00 a day" in check.judge({"data": rows})
    assert "at least $6.00 a day" in check.judge({"data": [*rows[:1], "not a row"]})


def test_a_currency_outside_metas_table_is_read_in_hundredths():
    check = meta_budget_check(budget_amount="100.00")

    refused = check.judge(minimums(min_daily_budget_high_freq=50000, currency="XAF"))

    assert "at least FCFA500 a day" in refused and "this ticket has FCFA100" in refused


def test_a_lifetime_budget_without_status_or_end_is_told_it_needs_an_end():
    data = ticket(
        "META", settings=settings(budget_type="LIFETIME", initial_status=None, flight_end=None)
    )

    problems = problems_of("META", data)

    assert "A lifetime budget needs a flight end date." in problems


@pytest.mark.parametrize(
    ("data", "path", "found"),
    [
        ({"data": [{"id": "7"}]}, ("data", 0, "id"), "7"),
        ({"data": [{"id": "7"}]}, ("data", 0, "name"), None),  # no such key
        ({"data": []}, ("data", 0, "id"), None),  # no such row
        ({"data": None}, ("data", 0, "id"), None),  # not a list
        ("an error page", ("data",), None),  # not JSON
    ],
)
def test_a_value_missing_from_a_platforms_answer_is_none(data, path, found):
    assert dig(data, path) == found


def test_an_ad_set_named_by_its_own_convention_keeps_its_name():
    data = replace(ticket("META"), adset_name="DIS_META_TRAFFIC_Q1_MoanaLaunch")

    bodies = [body for _, _, body in requests_of(translate("META", data))]

    assert bodies[0]["name"] == "DIS_US_META_2026_MoanaLaunch"
    assert bodies[1]["name"] == "DIS_META_TRAFFIC_Q1_MoanaLaunch"
