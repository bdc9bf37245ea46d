"""CSV downloads that open cleanly in a spreadsheet and never run a formula."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from flask import Response, stream_with_context

from .models import iso

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """One value as spreadsheet-safe text: ISO dates, plain decimals, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "value"):  # enums
        value = value.value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """Stream rows as a UTF-8 CSV with a byte-order mark, a chunk at a time."""

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow(header)
        for n, row in enumerate(rows, 1):
            writer.writerow([cell(v) for v in row])
            if n % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
