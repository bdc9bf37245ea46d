"""Reporting currency and exchange rates: ECB files imported from the page and the command
line, rates entered by an admin, and amounts in different currencies ranked and totalled in
the reporting currency with the rate date shown (or kept apart where no rate exists).

The files are in the European Central Bank's reference-rate CSV formats
(https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html):
the daily eurofxref.csv and the time series eurofxref-hist.csv.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from omnitraffick.extensions import db
from omnitraffick.models import ExchangeRate, Role
from omnitraffick.services import rates
from omnitraffick.services.errors import ValidationError
from tests.html import parse

# The ECB's daily file: spaces after the commas, a trailing comma, the date spelled out.
DAILY = "Date, USD, JPY, HUF, GBP, \n30 November 2026, 1.0500, 160.00, 400.00, 0.8500, \n"
# The time series: ISO dates, newest first, N/A where the ECB published no rate.
HISTORY = (
    "Date,USD,JPY,HUF,RUB,\n"
    "2026-11-30,1.0500,160.00,400.00,N/A,\n"
    "2026-11-27,1.0400,158.00,398.00,N/A,\n"
)


def rate_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ExchangeRate))


# --- reading ECB files ---------------------------------------------------------------------


def test_the_daily_file_is_read_with_its_spelled_out_date_and_trailing_comma():
    assert rates.parse_ecb_csv(DAILY) == {
        date(2026, 11, 30): {
            "USD": Decimal("1.0500"),
            "JPY": Decimal("160.00"),
            "HUF": Decimal("400.00"),
            "GBP": Decimal("0.8500"),
        }
    }


def test_currencies_no_longer_in_use_are_left_out():
    # The ECB's time series still has columns for the Cypriot pound and the Slovenian tolar.
    parsed = rates.parse_ecb_csv("Date,USD,CYP,SIT,\n2007-12-31,1.4721,0.5842,239.64,\n")
    assert parsed == {date(2007, 12, 31): {"USD": Decimal("1.4721")}}


def test_the_time_series_skips_n_a_and_keeps_every_day():
    parsed = rates.parse_ecb_csv(HISTORY)
    assert sorted(parsed) == [date(2026, 11, 27), date(2026, 11, 30)]
    assert "RUB" not in parsed[date(2026, 11, 30)]
    assert parsed[date(2026, 11, 27)]["HUF"] == Decimal("398.00")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "first line must start with 'Date'"),
        ("name,budget\nMoana,100\n", "first line must start with 'Date'"),
        ("Date,USD,\n", "no rates"),
        ("Date,USD,US-D,\n2026-11-30,1.05,2,\n", "'US-D' in the first line is not a currency"),
        ("Date,USD,\n30/11/2026,1.05,\n", "Line 2: '30/11/2026' is not a date"),
        ("Date,USD,\n2026-11-30,abc,\n", "Line 2, USD: 'abc' is not a rate"),
        ("Date,USD,\n2026-11-30,-1,\n", "Line 2, USD: a rate must be a positive number"),
        ("Date,USD,JPY,\n2026-11-30,1.05\n", "Line 2 has 1 rates for 2 currencies"),
        ("Date,USD,\n2026-11-30,1.05,\n2026-11-30,1.06,\n", "Line 3: 2026-11-30 appears twice"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(text, message):
    with pytest.raises(ValidationError) as err:
        rates.parse_ecb_csv(text)
    assert message in err.value.message


# --- importing and entering ----------------------------------------------------------------


def test_the_command_line_imports_a_file_and_a_second_import_replaces_the_same_rates(app, tmp_path):
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(HISTORY)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["rates", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Imported 6 rates for 2 days (2026-11-27 to 2026-11-30)."
    again = runner.invoke(args=["rates", "import", str(path)])
    assert again.exit_code == 0, again.output
    assert rate_count() == 6


def test_the_command_line_refuses_a_bad_file_and_stores_nothing(app, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("Date,USD,\n2026-11-30,1.05,\n2026-11-29,oops,\n")

    result = app.test_cli_runner().invoke(args=["rates", "import", str(path)])

    assert result.exit_code != 0
    assert "Line 3, USD: 'oops' is not a rate" in result.output
    assert rate_count() == 0


def upload(client, text: bytes | str, name="eurofxref.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/settings/rates/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_an_admin_imports_a_file_from_the_settings_page(client, login):
    login(Role.ADMIN)

    response = upload(client, DAILY)

    assert response.status_code == 302
    page = client.get("/settings/")
    assert "Imported 4 rates for 1 day (2026-11-30)." in page.text
    doc = parse(page)
    rows = [
        [cell.text for cell in row.find_all("td")]
        for row in doc.by_id("rates").find("tbody").find_all("tr")
    ]
    assert ["2026-11-30", "JPY", "160", "ECB file"] in rows
    assert "with the rates of 2026-11-30" in " ".join(doc.by_id("rates").text.split())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Choose an ECB CSV file to import."),
        (b"\xff\xfe\x00D", "The file is not text (UTF-8)"),
        (b"Date,USD,\n2026-11-30,1.05,\n2026-11-29,x,\n", "Line 3, USD: 'x' is not a rate"),
    ],
)
def test_a_bad_upload_gets_a_message_and_stores_nothing(client, login, data, message):
    login(Role.ADMIN)

    response = upload(client, data)

    assert response.status_code == 422
    assert message in parse(response).text
    assert rate_count() == 0


@pytest.mark.parametrize("role", [Role.TRAFFICKER, Role.VIEWER])
def test_only_admins_change_rates_and_settings(client, login, role):
    login(role)

    assert client.get("/settings/").status_code == 403
    assert upload(client, DAILY).status_code == 403
    refused = client.post("/settings/", data={"agency_name": "X", "reporting_currency": "USD"})
    assert refused.status_code == 403
    assert rate_count() == 0


def test_an_admin_enters_a_rate_and_can_correct_it(client, login):
    login(Role.ADMIN)
    form = {"rate_date": "2026-11-30", "currency": "huf", "rate": "401.5"}

    assert client.post("/settings/rates", data=form).status_code == 302
    assert client.post("/settings/rates", data={**form, "rate": "402"}).status_code == 302

    (row,) = db.session.scalars(select(ExchangeRate)).all()
    assert (row.currency, row.rate, row.source) == ("HUF", Decimal("402"), "entered")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"rate_date": "2026-11-30", "currency": "EUR", "rate": "1"},
            "The euro's rate is always 1",
        ),
        ({"rate_date": "2026-11-30", "currency": "XYZ", "rate": "1"}, "not an ISO 4217 currency"),
        ({"rate_date": "2026-11-30", "currency": "USD", "rate": "0"}, "must be a positive number"),
        ({"rate_date": "2026-11-30", "currency": "USD", "rate": ""}, "a rate is required"),
        ({"rate_date": "", "currency": "USD", "rate": "1.05"}, "is not a date"),
    ],
)
def test_a_bad_rate_is_refused_with_a_message(client, login, form, message):
    login(Role.ADMIN)

    response = client.post("/settings/rates", data=form)

    assert response.status_code == 422
    assert message in parse(response).text
    assert rate_count() == 0


# --- converting ----------------------------------------------------------------------------


def test_conversion_goes_through_the_euro_and_rounds_to_the_target_currency(app):
    rates.import_rates(DAILY)

    to_usd = rates.conversion("USD")
    assert to_usd.on == date(2026, 11, 30)
    # ¥160,000 = €1,000 = $1,050.00; Ft400 = €1.00 = $1.05.
    assert to_usd.convert(Decimal(160000), "JPY") == Decimal("1050.00")
    assert to_usd.convert(Decimal(400), "HUF") == Decimal("1.05")
    assert to_usd.convert(Decimal(5), "EUR") == Decimal("5.25")
    # Yen have no decimals: $1 = €0.952... = ¥152.38 -> ¥152.
    assert rates.conversion("JPY").convert(Decimal(1), "USD") == Decimal("152")
    assert to_usd.convert(Decimal(1), "CHF") is None
    assert to_usd.missing(["CHF", "USD", "JPY", "CHF"]) == ["CHF"]


def test_the_latest_date_holding_rates_is_the_one_used(app):
    rates.import_rates(HISTORY)
    rates.enter_rate(date(2026, 12, 1), "USD", "1.10")

    latest = rates.conversion("EUR")

    assert latest.on == date(2026, 12, 1)
    assert latest.convert(Decimal("110"), "USD") == Decimal("100.00")
    # The other currencies have no rate on that date: they are not converted.
    assert latest.missing(["JPY", "HUF", "USD"]) == ["HUF", "JPY"]
