"""Printing reports from the browser: a campaign report and the portfolio, printed to PDF by
Chromium on A4 and US Letter with the print stylesheet, then read back with pypdf.

The PDFs and PNG renders of their pages (colour and grayscale) are kept in test-artifacts/
so a person can look at what a client would receive.

The live server is shared by the whole session, so every test makes its own brand, market,
channels and campaign (with codes nobody else uses).
"""

import json
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from .conftest import ADMIN_EMAIL, ARTIFACTS

# Width x height in PostScript points, as Chromium writes them into the PDF.
PAPER = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
# The width a page's content gets: the paper less print.css's 12 mm left and right margins,
# in CSS pixels (96 per inch).
PRINTABLE_PX = {"A4": (210 - 24) / 25.4 * 96, "Letter": (215.9 - 24) / 25.4 * 96}
# What the screen has and paper must not: navigation, buttons, filters.
NAVIGATION = (
    "Board",
    "Campaigns",
    "Reports",
    "Reference data",
    "Sign out",
    "Print or save as PDF",
    "Back to the campaign",
    "Download CSV",
)
FINDING = "the landing URL answers 404 and the utm_campaign tag is missing"
# What traffickers paste into a QA finding: the URL that failed, one long unbroken token.
URL_FINDING = (
    "Landing URL https://www.example.com/campaigns/spring-launch/landing-page/de-de/offer"
    "?utm_source=meta&utm_medium=paid_social&utm_campaign=spring_launch_2026"
    "&utm_content=carousel_variant_b answers 404"
)
SECTIONS = ("Tickets by channel", "Budget split by channel", "QA results", "Status history")


def _sql_time(moment: datetime) -> str:
    """A timestamp the way SQLAlchemy stores it in SQLite (UTC, no offset)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


@dataclass(frozen=True)
class ReportData:
    """A campaign made for one test, with what its report must show."""

    campaign_id: uuid.UUID
    name: str
    brand_id: uuid.UUID
    brand_name: str
    platform_names: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def url(self) -> str:
        # The internal version: the one with the QA results and the status history these
        # tests print (the client version has tests of its own, test_client_report_flows.py).
        return f"/campaigns/{self.campaign_id}/report?version=internal"


def make_report_campaign(
    live_sql: Callable[..., list[tuple]],
    qa_rounds: int = 1,
    finding: str = FINDING,
    platforms: tuple[str, str, str] = ("Meta Ads", "Google Ads", "TikTok"),
) -> ReportData:
    """A EUR campaign with three tickets on three channels (named `platforms`): one
    trafficked, one failed QA `qa_rounds` times (each with its own reason,
    "Round NN: " + `finding`), one still a draft."""
    suffix = uuid.uuid4().hex[:6].upper()
    brand_id, market_id, campaign_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    start = datetime.now(UTC) - timedelta(days=3)
    now = _sql_time(start)
    brand_name = f"Northwind Foods {suffix}"
    brand_code, market_code = f"NW{suffix}", f"DE{suffix}"
    live_sql(
        "INSERT INTO brands (id, name, internal_code, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (brand_id.hex, brand_name, brand_code, now, now),
    )
    live_sql(
        "INSERT INTO markets (id, code, country, region, currency, time_zone, created_at,"
        " updated_at)"
        " VALUES (?, ?, ?, 'EMEA', 'EUR', 'Europe/Berlin', ?, ?)",
        (market_id.hex, market_code, "DE", now, now),
    )
    (admin_id,) = live_sql("SELECT id FROM users WHERE email = ?", (ADMIN_EMAIL,))[0]
    year = date.today().year
    typed = f"SpringLaunch{suffix}"
    name = f"{brand_code}_{market_code}_MULTI_{year}_{typed}"
    live_sql(
        "INSERT INTO campaigns (id, name, campaign_name, brand_id, market_id, year, budget,"
        " status, created_by_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, 2300.5, 'ACTIVE', ?, ?, ?)",
        (campaign_id.hex, name, "Spring launch", brand_id.hex, market_id.hex, year, admin_id)
        + (now, now),
    )
    channels = list(zip((f"META{suffix}", f"GADS{suffix}", f"TTK{suffix}"), platforms, strict=True))
    settings = [
        {
            "objective": "TRAFFIC",
            "budget_type": "DAILY",
            "budget_amount": "1200.00",
            "flight_start": "2026-03-01",
            "flight_end": "2026-03-31",
            "landing_url": "https://example.com/spring?utm_campaign=spring",
            "initial_status": "ACTIVE",
        },
        {"budget_type": "LIFETIME", "budget_amount": "800.50", "flight_start": "2026-04-01"},
        {"budget_type": "DAILY", "budget_amount": "300.00"},
    ]
    reasons = tuple(f"Round {n:02d}: {finding}" for n in range(1, qa_rounds + 1))
    clock = iter(start + timedelta(minutes=m) for m in range(1, 10_000))
    # Each ticket's moves: (from, to, reason).
    moves = [
        [
            (None, "DRAFT", None),
            ("DRAFT", "QA_TESTING", None),
            ("QA_TESTING", "READY_FOR_API", None),
            ("READY_FOR_API", "TRAFFICKED_SUCCESS", None),
        ],
        [(None, "DRAFT", None)]
        + [
            step
            for n, reason in enumerate(reasons)
            for step in (
                ("DRAFT" if n == 0 else "QA_FAILED", "QA_TESTING", None),
                ("QA_TESTING", "QA_FAILED", reason),
            )
        ],
        [(None, "DRAFT", None)],
    ]
    platform_names = []
    for (code, platform), config, history in zip(channels, settings, moves, strict=True):
        channel_id, ticket_id = uuid.uuid4(), uuid.uuid4()
        live_sql(
            "INSERT INTO channels (id, platform_name, api_identifier, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (channel_id.hex, platform, code, now, now),
        )
        status = history[-1][1]
        live_sql(
            "INSERT INTO tickets (id, campaign_id, channel_id, request_type, payload_config,"
            " status, external_platform_id, qa_failure_reason, version, status_changed_at,"
            " created_by_id, created_at, updated_at)"
            " VALUES (?, ?, ?, 'CREATE_CAMPAIGN', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ticket_id.hex,
                campaign_id.hex,
                channel_id.hex,
                json.dumps(config),
                status,
                "act_120045578812" if status == "TRAFFICKED_SUCCESS" else None,
                history[-1][2],
                len(history),
                now,
                admin_id,
                now,
                now,
            ),
        )
        for source, target, reason in history:
            live_sql(
                "INSERT INTO ticket_events (id, ticket_id, actor_id, from_status, to_status,"
                " reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, ticket_id.hex, admin_id, source, target, reason)
                + (_sql_time(next(clock)),),
            )
        platform_names.append(name.replace("_MULTI_", f"_{code}_"))
    return ReportData(campaign_id, name, brand_id, brand_name, tuple(platform_names), reasons)


def print_pdf(page: Page, name: str, paper: str) -> tuple[PdfReader, list[str]]:
    """Print the page to test-artifacts/NAME.pdf; return the PDF and each page's text."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    page.pdf(path=path, format=paper)
    render_pngs(path)
    reader = PdfReader(path)
    return reader, [p.extract_text() or "" for p in reader.pages]


def render_pngs(pdf: Path) -> list[Path]:
    """PNG renders of every page, in colour and in grayscale (how an office printer sees it)."""
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm is missing: apt-get install -y poppler-utils"
    for old in pdf.parent.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run([tool, "-png", "-r", "70", pdf, pdf.with_suffix("")], check=True, timeout=60)
    gray = pdf.with_name(f"{pdf.stem}-gray")
    subprocess.run([tool, "-png", "-gray", "-r", "70", pdf, gray], check=True, timeout=60)
    pngs = sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))
    assert pngs, f"no page rendered from {pdf}"
    return pngs


def squeezed(text: str) -> str:
    """Text without whitespace: a long name may wrap anywhere when printed."""
    return re.sub(r"\s+", "", text)


def assert_paper(reader: PdfReader, paper: str) -> None:
    width, height = PAPER[paper]
    for number, pdf_page in enumerate(reader.pages, 1):
        box = pdf_page.mediabox
        assert float(box.width) == pytest.approx(width, abs=2), (number, box)
        assert float(box.height) == pytest.approx(height, abs=2), (number, box)


def assert_no_navigation(texts: list[str], *, except_for: tuple[str, ...] = ()) -> None:
    """No navigation or button text on any page (`except_for`: words the report itself uses)."""
    for number, text in enumerate(texts, 1):
        for word in set(NAVIGATION) - set(except_for):
            assert word not in text, f"page {number} prints {word!r}:\n{text}"


def overflowing(page: Page, paper: str) -> list[str]:
    """Elements that stick out past the printable width of `paper` under the print styles."""
    page.emulate_media(media="print")
    page.set_viewport_size({"width": int(PRINTABLE_PX[paper]), "height": 1000})
    try:
        return page.evaluate(
            """() => {
                const limit = document.documentElement.clientWidth + 0.5;
                const out = [];
                for (const el of document.body.querySelectorAll('*')) {
                    const box = el.getBoundingClientRect();
                    if (box.width && box.right > limit) {
                        const where = el.closest('section')?.querySelector('h2')?.textContent;
                        out.push(`${where || 'page'}: ${el.tagName.toLowerCase()} ends at ` +
                                 `${Math.round(box.right)}px > ${Math.round(limit)}px`);
                    }
                }
                if (document.documentElement.scrollWidth > limit) {
                    out.push(`page scrolls to ${document.documentElement.scrollWidth}px`);
                }
                return out;
            }"""
        )
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1280, "height": 800})


def open_report(page: Page, data: ReportData) -> None:
    page.goto(data.url)
    expect(page.get_by_role("heading", name=data.name, level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_campaign_report_prints_to_pdf(page: Page, login, live_sql, paper):
    login("admin")
    data = make_report_campaign(live_sql)
    open_report(page, data)

    reader, texts = print_pdf(page, f"campaign-report-{paper.lower()}", paper)

    assert_paper(reader, paper)
    whole = "\n".join(texts)
    assert data.name in squeezed(whole)
    for platform_name in data.platform_names:
        # Each ticket is a row of the tickets table, the QA table and the history.
        assert squeezed(whole).count(platform_name) >= 3, platform_name
    assert "campaign report" in whole.lower()
    for expected in (
        data.brand_name,
        "€2,300.50",
        "€1,200.00",
        "€800.50",
        "€300.00",
        "act_120045578812",
        "Round 01: the landing URL answers 404",
        f"by {ADMIN_EMAIL}",
        *SECTIONS,
    ):
        assert expected in whole, expected
    assert_no_navigation(texts)
    assert len(reader.pages) <= 2, "a three-ticket report should fit on one or two pages"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_long_report_breaks_pages_cleanly_and_repeats_table_headers(
    page: Page, login, live_sql, paper
):
    login("admin")
    data = make_report_campaign(live_sql, qa_rounds=30)
    open_report(page, data)

    reader, texts = print_pdf(page, f"campaign-report-long-{paper.lower()}", paper)

    assert_paper(reader, paper)
    assert len(reader.pages) >= 2
    assert_no_navigation(texts)
    whole = "\n".join(texts)
    # Every move is printed, once.
    for reason in data.reasons:
        assert reason[:9] in whole, reason
    # ... in the history, plus the latest once more under the QA results.
    assert whole.count("Round ") == len(data.reasons) + 1
    # A history row starts with its time; the footer's times are mid-line.
    row_start = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", re.MULTILINE)
    history_pages = [n for n, text in enumerate(texts) if row_start.search(text)]
    assert len(history_pages) >= 2, "the history should run over more than one page"
    for n in history_pages:
        assert "When (UTC)" in texts[n], f"page {n + 1} has history rows but no table header"
    for n, text in enumerate(texts[:-1]):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines and lines[-1] not in SECTIONS, f"page {n + 1} ends on a lone heading"


@pytest.mark.parametrize("finding", [FINDING, URL_FINDING], ids=["words", "url"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_report_fits_the_printable_width(page: Page, login, live_sql, paper, finding):
    login("admin")
    data = make_report_campaign(live_sql, qa_rounds=2, finding=finding)
    open_report(page, data)
    name = "words" if finding == FINDING else "url"
    reader, texts = print_pdf(page, f"campaign-report-{name}-{paper.lower()}", paper)
    assert_paper(reader, paper)

    # Nothing sticks out past the paper's printable width, so nothing is cut off at the
    # page edge (and Chromium has no reason to shrink the whole page to fit).
    sticking_out = overflowing(page, paper)
    assert not sticking_out, "\n".join(sticking_out[:10])


def chart_collisions(page: Page) -> list[str]:
    """Chart labels that run into their bar, or past the chart's right edge."""
    return page.evaluate(
        """() => {
            const svg = document.querySelector('svg.chart');
            const edge = svg.getBoundingClientRect().right + 0.5;
            const out = [];
            for (const bar of svg.querySelectorAll('rect[fill^="url"]')) {
                const box = bar.getBoundingClientRect();
                const row = [...svg.querySelectorAll('text')].filter(t => {
                    const b = t.getBoundingClientRect();
                    return b.bottom > box.top && b.top < box.bottom;
                });
                for (const label of row) {
                    const b = label.getBoundingClientRect();
                    const before = b.left < box.left;
                    if (before && b.right > box.left + 0.5) {
                        const px = Math.round(b.right - box.left);
                        out.push(`"${label.textContent}" runs ${px}px into its bar`);
                    }
                    if (b.right > edge) {
                        out.push(`"${label.textContent}" runs past the chart's edge`);
                    }
                }
            }
            return out;
        }"""
    )


def test_chart_labels_stay_clear_of_the_bars(page: Page, login, live_sql):
    login("admin")
    # Real platform names run longer than "Meta".
    platforms = ("Meta (Facebook & Instagram)", "Google Ads Performance Max", "TikTok")
    data = make_report_campaign(live_sql, platforms=platforms)
    open_report(page, data)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": int(PRINTABLE_PX["A4"]), "height": 1000})
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("svg.chart").screenshot(path=ARTIFACTS / "campaign-report-chart.png")

    collisions = chart_collisions(page)
    assert not collisions, "\n".join(collisions)


def test_portfolio_prints_without_its_filters_and_buttons(page: Page, login, live_sql):
    login("admin")
    data = make_report_campaign(live_sql)
    page.goto(f"/reports/?brand={data.brand_id}")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Apply")).to_be_visible()

    reader, texts = print_pdf(page, "portfolio-a4", "A4")

    assert_paper(reader, "A4")
    whole = "\n".join(texts)
    assert data.name in squeezed(whole)
    for expected in ("Portfolio", "Budget by currency", "€2,300.50", data.brand_name):
        assert expected in whole, expected
    assert "33.3%" in whole  # one of three tickets trafficked
    for screen_only in ("Apply", "All brands", "All markets", "All statuses"):
        assert screen_only not in whole, screen_only
    # The portfolio's own eyebrow and section use two of the words; the menu's are gone.
    assert_no_navigation(texts, except_for=("Reports", "Campaigns"))
    sticking_out = overflowing(page, "A4")
    assert not sticking_out, "\n".join(sticking_out[:10])
