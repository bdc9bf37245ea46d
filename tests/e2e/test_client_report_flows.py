"""The client version of the campaign report and the portfolio in the reporting currency,
printed to PDF by Chromium and read back with pypdf (and rendered to PNG for a person).

The client version is what an agency sends as is: its logo and name, the client brand, a
summary, the flights and the budget split as charts, the naming breakdown, compliance
declarations and a sign-off block; page numbers and a running header on every page; no
internal QA keys, sandbox lines or audit trail; names wrapped only at their separators.
"""

import os
import re
import shutil
import struct
import unicodedata
import zlib

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, ROOT
from .test_report_flows import (
    assert_no_navigation,
    assert_paper,
    make_report_campaign,
    overflowing,
    print_pdf,
    squeezed,
)

AGENCY = "Brightline Media Partners"
RATES = "Date, USD, JPY, HUF, \n30 November 2026, 1.0500, 160.00, 400.00, \n"
INTERNAL = ("QA results", "Status history", "Round 01", "[landing_https]", "sandbox", "When (UTC)")
CLIENT_SECTIONS = (
    "Summary",
    "Tickets by channel",
    "Flights by channel",
    "Budget split by channel",
    "Naming breakdown",
    "Compliance declarations",
    "Sign-off",
)
DOCS = ROOT / "docs"


def png(width: int = 160, height: int = 48) -> bytes:
    """A small solid PNG logo, written by hand (zlib and struct are all it takes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes([42, 91, 215]) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def brand_the_agency(page: Page, tmp_path) -> None:
    """Set the agency's name and logo on the settings page, as an admin does."""
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    page.goto("/settings/")
    page.get_by_label("Agency name").fill(AGENCY)
    page.get_by_label("Reporting currency").fill("EUR")
    page.get_by_label("Agency logo").set_input_files(str(logo))
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Workspace settings saved.")).to_be_visible()


def keep_for_docs(pdf_name: str, doc_name: str) -> None:
    """With UPDATE_DOCS=1, copy the first page's PNG to docs/ (the README shows it)."""
    if not os.environ.get("UPDATE_DOCS"):
        return
    DOCS.mkdir(exist_ok=True)
    shutil.copyfile(ARTIFACTS / f"{pdf_name}-1.png", DOCS / f"{doc_name}.png")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_client_report_of_a_three_channel_campaign_prints_ready_to_send(
    page: Page, login, live_sql, tmp_path, paper
):
    login("admin")
    brand_the_agency(page, tmp_path)
    data = make_report_campaign(live_sql)
    page.goto(f"/campaigns/{data.campaign_id}/report")
    expect(page.get_by_role("heading", name=data.name, level=1)).to_be_visible()
    expect(page.get_by_role("img", name=AGENCY)).to_be_visible()

    name = f"client-report-{paper.lower()}"
    reader, texts = print_pdf(page, name, paper)
    # The PDF's fonts write "ff" as one ligature glyph: read it back as two letters.
    texts = [unicodedata.normalize("NFKC", text) for text in texts]

    assert_paper(reader, paper)
    pages = len(reader.pages)
    assert 1 <= pages <= 3, f"{pages} pages for a three-ticket report"
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {pages}" in text, f"page {number} has no page number"
        # The running header: whose report it is, on every page.
        assert AGENCY in text and data.brand_name in text, f"page {number} has no header"
    whole = "\n".join(texts)
    for section in CLIENT_SECTIONS:
        assert section in whole, section
    for internal in INTERNAL:
        assert internal not in whole, f"the client version prints {internal!r}"
    assert_no_navigation(texts)
    # Daily budgets count over their flight, labelled; the open-ended one is set apart.
    assert "€37,200.00" in whole  # €1,200 a day x 31 days
    assert "× 31 days" in whole
    assert "no total until the flight has an end date" in " ".join(whole.split())
    # Names wrap at their separators only: every part of every name prints whole.
    for platform_name in data.platform_names:
        assert platform_name in squeezed(whole)
        for part in platform_name.split("_"):
            assert re.search(rf"(^|[\s_]){re.escape(part)}($|[\s_])", whole), part
    # And nothing runs outside the page.
    sticking_out = overflowing(page, paper)
    assert not sticking_out, "\n".join(sticking_out[:10])
    if paper == "A4":
        keep_for_docs(name, "client-report-a4-page-1")


def test_the_internal_version_keeps_qa_and_the_audit_trail(page: Page, login, live_sql):
    login("admin")
    data = make_report_campaign(live_sql)
    page.goto(f"/campaigns/{data.campaign_id}/report")
    page.get_by_role("link", name="Internal version").click()
    expect(page.get_by_role("heading", name="Status history")).to_be_visible()

    reader, texts = print_pdf(page, "internal-report-a4", "A4")

    whole = "\n".join(texts)
    assert "QA results" in whole and "Round 01" in whole
    assert "internal" in texts[0]
    assert f"Page 1 of {len(reader.pages)}" in texts[0]


def test_portfolio_prints_a_chart_of_budget_by_brand_and_market_in_euro(
    page: Page, login, live_sql, tmp_path
):
    login("admin")
    rates_file = tmp_path / "eurofxref.csv"
    rates_file.write_text(RATES)
    page.goto("/settings/")
    page.get_by_label("ECB reference-rate CSV file").set_input_files(str(rates_file))
    page.get_by_role("button", name="Import rates").click()
    expect(page.get_by_text("Imported 3 rates for 1 day (2026-11-30).")).to_be_visible()
    data = make_report_campaign(live_sql)
    page.goto(f"/reports/?brand={data.brand_id}")
    chart = page.get_by_role("img", name=re.compile(r"Budget by brand and market in EUR"))
    expect(chart).to_be_visible()
    # The CSV link and the print button sit on one line, the same height; Apply is readable.
    csv_box = page.get_by_role("button", name="Download CSV").bounding_box()
    print_box = page.get_by_role("button", name="Print or save as PDF").bounding_box()
    assert csv_box["y"] == pytest.approx(print_box["y"], abs=1)
    assert csv_box["height"] == pytest.approx(print_box["height"], abs=1)
    apply = page.get_by_role("button", name="Apply")
    colours = apply.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert colours[0] != colours[1], colours
    page.screenshot(path=ARTIFACTS / "portfolio-eur-screen.png", full_page=True)

    reader, texts = print_pdf(page, "portfolio-eur-a4", "A4")

    assert_paper(reader, "A4")
    whole = "\n".join(texts)
    assert "Budget by brand and market in EUR" in whole
    assert "at the rate of 2026-11-30" in whole
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(reader.pages)}" in text
    sticking_out = overflowing(page, "A4")
    assert not sticking_out, "\n".join(sticking_out[:10])
    keep_for_docs("portfolio-eur-a4", "portfolio-a4-page-1")
