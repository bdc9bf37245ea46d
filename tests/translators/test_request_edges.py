"""Platform translators at the edges mutation testing found unheld."""

import pytest

from omnitraffick.services.translators import TranslationError, translate
from tests.translators.helpers import problems_of, requests_of, settings, ticket


@pytest.mark.parametrize(("code", "named"), [("LINKEDIN", "LINKEDIN"), (None, "unknown")])
def test_an_unknown_channel_is_named_in_the_message(code, named):
    with pytest.raises(TranslationError) as caught:
        translate(code, ticket("LINKEDIN"))

    assert caught.value.platform == named
    assert caught.value.message.startswith(f"This ticket cannot become a {named} request: ")


def test_a_google_name_of_exactly_255_characters_is_taken():
    # Google Ads takes campaign names of at most 255 characters (google_ads.py cites it).
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
