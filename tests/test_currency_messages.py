"""What a planner reads when a budget or a currency is wrong: the whole message, word for word,
and the field it belongs to (services/currencies.py is the one home of these rules)."""

from decimal import Decimal

import pytest

from omnitraffick.services.currencies import (
    MAX_BUDGET,
    active_currencies,
    amount_text,
    format_money,
    minor_units,
    parse_budget,
    rounded,
    validate_currency,
)
from omnitraffick.services.errors import ValidationError


def message(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    [(field, [text])] = caught.value.errors.items()
    return field, text


@pytest.mark.parametrize(
    ("value", "reads"),
    [
        ("abc", "Budget must be a number, e.g. 1500.00 (got 'abc')."),
        ("12,5x", "Budget must be a number, e.g. 1500.00 (got '12,5x')."),
        # The echo is cut at 40 characters, so a pasted paragraph does not fill the page.
        ("x" * 60, f"Budget must be a number, e.g. 1500.00 (got {'x' * 40!r})."),
        ("NaN", "Budget must be a number, e.g. 1500.00."),
        ("Infinity", "Budget must be a number, e.g. 1500.00."),
        (True, "Budget must be a number, e.g. 1500.00."),
        ([100], "Budget must be a number, e.g. 1500.00."),
        (None, "Budget is required (0 is allowed)."),
        ("   ", "Budget is required (0 is allowed)."),
        ("-0.01", "Budget cannot be negative."),
        ("1000000000000000", "Budget must be at most 999,999,999,999,999."),
        ("10.001", "Budgets in USD take at most 2 decimals."),
    ],
)
def test_a_budget_that_is_not_an_amount_says_what_is_wrong(value, reads):
    assert message(parse_budget, value, "USD", "budget_amount") == ("budget_amount", reads)


def test_a_yen_budget_with_decimals_says_yen_takes_none():
    assert message(parse_budget, "100.5", "JPY") == ("budget", "Budgets in JPY take no decimals.")


def test_a_dinar_budget_takes_three_decimals_and_no_more():
    assert parse_budget("1.125", "KWD") == Decimal("1.125")
    assert message(parse_budget, "1.1255", "KWD")[1] == "Budgets in KWD take at most 3 decimals."


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("0", Decimal("0.00")),
        ("-0", Decimal("0.00")),  # never a negative zero
        (" 1,500.5 ", Decimal("1500.50")),
        (1500, Decimal("1500.00")),
        (12.5, Decimal("12.50")),
        (Decimal("0.01"), Decimal("0.01")),
        (str(MAX_BUDGET), MAX_BUDGET.quantize(Decimal("0.01"))),
    ],
)
def test_budgets_come_back_with_the_currencys_decimals(value, amount):
    parsed = parse_budget(value, "USD")
    assert parsed == amount
    assert str(parsed) == str(amount)
    assert not parsed.is_signed()


@pytest.mark.parametrize(
    ("value", "reads"),
    [
        (None, "Currency is required (an ISO 4217 code such as USD)."),
        ("  ", "Currency is required (an ISO 4217 code such as USD)."),
        ("EURO", "'EURO' is not an ISO 4217 currency in use (e.g. USD, EUR, GBP, JPY)."),
        # Withdrawn codes are refused: the French franc went with the euro.
        ("frf", "'FRF' is not an ISO 4217 currency in use (e.g. USD, EUR, GBP, JPY)."),
    ],
)
def test_a_currency_that_is_not_in_use_is_refused_with_the_code_read_back(value, reads):
    assert message(validate_currency, value, "currency_code") == ("currency_code", reads)


def test_a_currency_code_is_read_without_case_or_spaces():
    assert validate_currency(" eur ") == "EUR"


def test_the_currencies_in_use_are_those_of_todays_territories():
    codes = active_currencies()
    assert {"USD", "EUR", "JPY", "GBP", "KWD", "CHF"} <= codes
    assert not {"FRF", "DEM", "XXX"} & codes


def test_amounts_round_to_the_currencys_decimals_half_to_even():
    assert minor_units("JPY") == 0
    assert minor_units("KWD") == 3
    assert rounded("2.125", "USD") == Decimal("2.12")
    assert rounded("2.135", "USD") == Decimal("2.14")
    assert amount_text("7", "KWD") == "7.000"
    assert format_money("0.5", "JPY") == "¥0"


@pytest.mark.parametrize("locale", ["xx_NOPE", "???", ""])
def test_a_browser_language_babel_cannot_read_gets_us_english(locale):
    assert format_money("1000", "USD", locale) == "$1,000.00"
