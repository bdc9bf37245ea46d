"""Spreadsheets read as a header and rows of text: CSV files, pasted cells, XLSX workbooks.

CSV text is decoded as UTF-8 (Excel's byte-order mark dropped) or, failing that, as
Windows-1252, which Excel on Windows writes when asked for plain "CSV". The delimiter is
whichever of comma, semicolon (Excel in locales whose decimal mark is a comma) or tab (cells
copied from Excel or Google Sheets) the csv module's sniffer finds in the header line.
XLSX is read with openpyxl in read-only mode, first sheet only. Every cell comes back as
text: a cell that starts with `=` is kept as the characters typed, never evaluated.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .errors import TooLarge, ValidationError

DELIMITERS = ",;\t"
XLSX_MAGIC = b"PK\x03\x04"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    """A sheet's header and its data rows, every cell as text; `kind` says how it was read."""

    header: list[str]
    rows: list[list[str]]
    numbers: list[int]  # each data row's number in the sheet (the header's is 1 or more)
    kind: str  # "XLSX", "CSV (comma-separated)", ...

    @classmethod
    def of(cls, numbered: list[tuple[int, list[str]]], kind: str) -> "Table":
        if not numbered:
            raise ValidationError("There is nothing to import: every row is blank.", "file")
        (_, header), *data = numbered
        return cls(header, [row for _, row in data], [n for n, _ in data], kind)


def read(data: bytes, filename: str = "", *, max_rows: int) -> Table:
    """Read a CSV or XLSX file (told apart by its first bytes) into a Table."""
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, max_rows)
    return read_text(decode(data), max_rows=max_rows)


def decode(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            "The file is neither UTF-8 nor Windows-1252 text, nor an XLSX workbook. "
            "Save it from your spreadsheet as “CSV UTF-8” or as .xlsx.",
            "file",
        ) from None


def read_text(text: str, *, max_rows: int) -> Table:
    """Read CSV text or pasted spreadsheet cells into a Table."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise ValidationError("There is nothing to import: the file or text is empty.", "file")
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        rows = _limited(([cell.strip() for cell in row] for row in reader), max_rows)
    except csv.Error as err:
        raise ValidationError(f"The CSV cannot be read: {err}.", "file") from None
    return Table.of(rows, f"CSV ({DELIMITER_NAMES[delimiter]}-separated)")


def _delimiter(header_line: str) -> str:
    try:
        found = csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found is None or found not in header_line:
        # One column, or the sniffer could not decide: the delimiter the header uses most.
        found = max(DELIMITERS, key=header_line.count)
    return found


def _limited(rows, max_rows: int) -> list[tuple[int, list[str]]]:
    """The non-blank rows with their numbers, header first; over `max_rows` is a 413."""
    kept = []
    for number, row in enumerate(rows, 1):
        if not any(row):
            continue
        kept.append((number, row))
        if len(kept) > max_rows + 1:
            raise TooLarge(
                f"The file has more than {max_rows:,} rows; import at most {max_rows:,} "
                "at a time (split the file).",
                "file",
            )
    return kept


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError(
            "The file looks like a workbook but cannot be opened as .xlsx. "
            "Save it again from your spreadsheet, or as CSV.",
            "file",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = _limited(
            ([_xlsx_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)),
            max_rows,
        )
    finally:
        workbook.close()
    return Table.of(rows, "XLSX")


def _xlsx_cell(value) -> str:
    """A workbook cell as the text a person sees: dates as ISO, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value).strip()
