"""Workspace settings, dated exchange rates and converting amounts between currencies.

Rates are the euro foreign exchange reference rates as the European Central Bank publishes
them (https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html):
units of a currency per one euro, one set per working day. They come from the ECB's CSV
files, the daily one (`Date, USD, JPY, ...` then `28 November 2026, 1.0512, 163.41, ...`)
or the time series (`Date,USD,JPY,...` then one `2026-11-28,1.0512,...` line per day, `N/A`
where the ECB had no rate), or are entered by an admin.

Where amounts in different currencies are summed, ranked or compared, they are converted
with one set of rates, that of the latest date holding any rate ("the rate date"), and the
date is shown. A currency with no rate on that date is not converted: the page says so and
keeps its amounts apart instead of adding them.
"""

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, insert, select

from ..extensions import db
from ..models import ExchangeRate, User, WorkspaceSettings, utcnow
from .currencies import active_currencies, rounded, validate_currency
from .errors import ValidationError
from .queries import latest_rate_date

BASE = "EUR"  # the ECB quotes every rate against the euro
MAX_RATE = Decimal("999999999")
MAX_FILE_BYTES = 5_000_000
MAX_LOGO_BYTES = 500_000
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


# --- workspace settings -----------------------------------------------------------------------


def workspace() -> WorkspaceSettings:
    """The workspace's settings row (a default one, not yet stored, before any is saved)."""
    row = db.session.scalar(select(WorkspaceSettings).limit(1))
    return row or WorkspaceSettings(agency_name="", reporting_currency=BASE)


def check_logo(data: bytes) -> str:
    """The media type of an uploaded logo (PNG or JPEG, at most 500 KB), or raise."""
    if not data:
        raise ValidationError("The logo file is empty.", "logo")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            f"The logo must be at most {MAX_LOGO_BYTES // 1000} KB "
            f"(this one is {len(data) // 1000} KB).",
            "logo",
        )
    for signature, media_type in LOGO_TYPES.items():
        if data.startswith(signature):
            return media_type
    raise ValidationError("The logo must be a PNG or JPEG image.", "logo")


def update_workspace(
    agency_name: str,
    reporting_currency: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> WorkspaceSettings:
    """Save the agency's name, the reporting currency and, if given, a new logo."""
    name = " ".join((agency_name or "").split())
    errors = {}
    if len(name) > 120:
        errors["agency_name"] = ["The agency name must be at most 120 characters."]
    try:
        currency = validate_currency(reporting_currency, "reporting_currency")
    except ValidationError as err:
        errors["reporting_currency"] = [err.message]
    logo_type = None
    if logo is not None:
        try:
            logo_type = check_logo(logo)
        except ValidationError as err:
            errors["logo"] = [err.message]
    if errors:
        raise ValidationError(" ".join(m for ms in errors.values() for m in ms), errors=errors)
    row = workspace()
    db.session.add(row)
    row.agency_name = name
    row.reporting_currency = currency
    if logo is not None:
        row.logo, row.logo_type = logo, logo_type
    elif remove_logo:
        row.logo = row.logo_type = None
    row.updated_at = utcnow()
    db.session.flush()
    return row


# --- importing and entering rates -------------------------------------------------------------


def _rate(text: str, where: str) -> Decimal | None:
    text = text.strip()
    if text in ("", "N/A"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{where}: {text[:20]!r} is not a rate.") from None
    if not value.is_finite() or value <= 0 or value > MAX_RATE:
        raise ValidationError(f"{where}: a rate must be a positive number (got {text[:20]}).")
    return value


def _date(text: str, where: str) -> date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"{where}: {text[:30]!r} is not a date like 2026-11-30.")


def parse_ecb_csv(text: str) -> dict[date, dict[str, Decimal]]:
    """The rates in an ECB reference-rate CSV file, by date and currency; every line checked."""
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(row)]
    if not rows or rows[0][0].strip().lower() != "date":
        raise ValidationError(
            "This is not an ECB reference-rate CSV file: its first line must start with "
            "'Date' followed by currency codes (Date, USD, JPY, ...)."
        )
    header = [cell.strip().upper() for cell in rows[0][1:]]
    # The ECB ends every line with a comma: the last, empty, column is no currency.
    while header and not header[-1]:
        header.pop()
    for code in header:
        if not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise ValidationError(f"{code[:20]!r} in the first line is not a currency code.")
    # The time series keeps columns for currencies no longer in use (CYP, SIT, HRK, ...):
    # no market can budget in them, so their rates are left out.
    in_use = active_currencies()
    if len(rows) == 1:
        raise ValidationError("The file has no rates: only its header line.")
    rates: dict[date, dict[str, Decimal]] = {}
    for number, row in enumerate(rows[1:], start=2):
        where = f"Line {number}"
        if len(row) < len(header) + 1:
            raise ValidationError(f"{where} has {len(row) - 1} rates for {len(header)} currencies.")
        day = _date(row[0], where)
        if day in rates:
            raise ValidationError(f"{where}: {day} appears twice in the file.")
        rates[day] = {
            code: value
            for code, cell in zip(header, row[1:], strict=False)
            if (value := _rate(cell, f"{where}, {code}")) is not None and code in in_use
        }
    return rates


def _store(rates: dict[date, dict[str, Decimal]], source: str, actor: User | None) -> int:
    """Store the rates, replacing those already held for the same date and currency.

    In bulk: a time series of 25 years is some 6,500 days of 30 rates each.
    """
    db.session.info.pop(_CACHE, None)
    rows = [
        {
            "id": uuid.uuid4(),
            "rate_date": day,
            "currency": code,
            "rate": value,
            "source": source,
            "created_by_id": actor.id if actor else None,
            "created_at": utcnow(),
        }
        for day, by_code in rates.items()
        for code, value in by_code.items()
        if code != BASE
    ]
    days = sorted({row["rate_date"] for row in rows})
    codes = sorted({row["currency"] for row in rows})
    for start in range(0, len(days), 500):
        db.session.execute(
            delete(ExchangeRate).where(
                ExchangeRate.rate_date.in_(days[start : start + 500]),
                ExchangeRate.currency.in_(codes),
            )
        )
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(ExchangeRate), rows[start : start + 5000])
    db.session.flush()
    return len(rows)


def import_rates(text: str, actor: User | None = None) -> str:
    """Import an ECB CSV file's rates; answer what was imported in one sentence."""
    rates = parse_ecb_csv(text)
    stored = _store(rates, "ecb-file", actor)
    days = sorted(rates)
    span = str(days[0]) if len(days) == 1 else f"{days[0]} to {days[-1]}"
    return f"Imported {stored} rates for {len(days)} day{'s' if len(days) > 1 else ''} ({span})."


def decode_upload(data: bytes) -> str:
    """An uploaded rate file's text, or a clear refusal."""
    if not data:
        raise ValidationError("Choose an ECB CSV file to import.", "file")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError("The file is larger than 5 MB.", "file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("The file is not text (UTF-8): is it the unzipped CSV?") from None


def enter_rate(day, currency: str, rate, actor: User | None = None) -> ExchangeRate:
    """Enter (or correct) one rate: how many units of `currency` one euro buys on `day`."""
    db.session.info.pop(_CACHE, None)
    errors = {}
    try:
        code = validate_currency(currency, "currency")
        if code == BASE:
            raise ValidationError("The euro's rate is always 1: rates are per euro.", "currency")
    except ValidationError as err:
        errors["currency"] = [err.message]
    try:
        day = day if isinstance(day, date) else _date(str(day or ""), "Date")
    except ValidationError as err:
        errors["rate_date"] = [err.message]
    try:
        value = _rate(str(rate if rate is not None else ""), "Rate")
        if value is None:
            raise ValidationError("Rate: a rate is required, e.g. 1.0512.")
    except ValidationError as err:
        errors["rate"] = [err.message]
    if errors:
        raise ValidationError(" ".join(m for ms in errors.values() for m in ms), errors=errors)
    _store({day: {code: value}}, "entered", actor)
    return db.session.scalar(
        select(ExchangeRate).where(ExchangeRate.rate_date == day, ExchangeRate.currency == code)
    )


def rate_history(limit: int = 60) -> list[ExchangeRate]:
    """The latest rates held, newest date first."""
    return list(
        db.session.scalars(
            select(ExchangeRate)
            .order_by(ExchangeRate.rate_date.desc(), ExchangeRate.currency)
            .limit(limit)
        )
    )


# --- converting -------------------------------------------------------------------------------


@dataclass
class Conversion:
    """The rates of one date, to convert amounts into the reporting currency."""

    target: str
    on: date | None
    rates: dict[str, Decimal] = field(default_factory=dict)

    def rate(self, code: str) -> Decimal | None:
        return Decimal(1) if code == BASE and self.on else self.rates.get(code)

    def can_convert(self, code: str) -> bool:
        return code == self.target or (
            self.rate(code) is not None and self.rate(self.target) is not None
        )

    def convert(self, amount, code: str) -> Decimal | None:
        """`amount` of `code` in the target currency, rounded to its decimals; None: no rate."""
        if amount is None:
            return None
        if code == self.target:
            return rounded(amount, code)
        if not self.can_convert(code):
            return None
        return rounded(Decimal(amount) / self.rate(code) * self.rate(self.target), self.target)

    def per_euro(self) -> dict[str, Decimal]:
        """Every rate of the date, the euro's included: what a budget order ranks by."""
        return {**self.rates, BASE: Decimal(1)} if self.on else {}

    def missing(self, codes) -> list[str]:
        """Of `codes`, those with no rate on the rate date, sorted."""
        return sorted({code for code in codes if not self.can_convert(code)})


def conversion(target: str | None = None) -> Conversion:
    """The latest rates, to convert into `target` (the reporting currency by default).

    One query: the rates of the latest date holding any.
    """
    target = target or workspace().reporting_currency
    rows = db.session.execute(
        select(ExchangeRate.rate_date, ExchangeRate.currency, ExchangeRate.rate).where(
            ExchangeRate.rate_date == latest_rate_date()
        )
    ).all()
    on = rows[0][0] if rows else None
    return Conversion(target, on, {code: rate for _, code, rate in rows})


_CACHE = "rates.conversions"


def session_conversion(target: str) -> Conversion:
    """`conversion(target)`, read once per database session: QA judges hundreds of tickets in
    one bulk move, in a fixed number of statements. Storing rates forgets it."""
    cache = db.session.info.setdefault(_CACHE, {})
    if target not in cache:
        cache[target] = conversion(target)
    return cache[target]
