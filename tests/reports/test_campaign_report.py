"""Reports: the printable campaign report, the portfolio report with its per-currency totals, and
the CSV exports of the campaign list, the ticket list and the portfolio: The campaign report.
"""

import re
import uuid
from datetime import UTC, datetime

import pytest

from omnitraffick.models import (
    RequestType,
)
from omnitraffick.services import tickets as ticket_service
from tests.html import parse
from tests.reports.helpers import S, facts, fresh_request, section, table_head, table_rows

# --- The campaign report -------------------------------------------------------------------------


def test_report_header_decodes_the_name_and_shows_brand_market_year_status_budget(
    client, viewer, report_campaign
):
    campaign = report_campaign["campaign"]

    response = client.get(f"/campaigns/{campaign.id}/report")

    assert response.status_code == 200
    doc = parse(response)
    assert doc.find("h1").text == "DIS_US_MULTI_2026_MoanaLaunch"
    assert facts(doc) == {
        "Brand": "Disney DIS",
        "Market": "United States US",
        "Year": "2026",
        "Campaign": "MoanaLaunch (“Moana launch”)",
        "Status": "Active",
        "Budget": "$1,500.50 USD",
    }


def test_report_has_one_row_per_ticket_with_platform_name_budget_and_flight(
    client, viewer, report_campaign
):
    campaign = report_campaign["campaign"]

    doc = parse(client.get(f"/campaigns/{campaign.id}/report"))
    tickets = section(doc, "Tickets by channel")

    assert table_head(tickets) == [
        "Platform name",
        "Request",
        "Status",
        "Platform id",
        "Budget",
        "Flight",
    ]
    # By channel name: Google Ads, Meta, TikTok.
    assert table_rows(tickets) == [
        [
            "DIS_US_GOOG_2026_MoanaLaunch",
            "Create Campaign",
            "Trafficked success",
            "gads-4711",
            "$500.50 lifetime",
            "2026-04-01 → open",
        ],
        [
            "DIS_US_META_2026_MoanaLaunch",
            "Create Campaign",
            "QA failed",
            "—",
            "$1,000.00 daily",
            "2026-03-01 → 2026-03-31",
        ],
        [
            "DIS_US_TTK_2026_MoanaLaunch",
            "Create Campaign",
            "Draft",
            "—",
            "$250.00 daily",
            "— → open",
        ],
    ]


def test_report_shows_qa_results_and_the_status_history_with_actor_and_reason(
    client, viewer, report_campaign
):
    campaign = report_campaign["campaign"]

    doc = parse(client.get(f"/campaigns/{campaign.id}/report?version=internal"))

    assert table_rows(section(doc, "QA results")) == [
        ["DIS_US_GOOG_2026_MoanaLaunch", "Passed", "—"],
        ["DIS_US_META_2026_MoanaLaunch", "Failed", "Landing URL has no utm_campaign"],
        ["DIS_US_TTK_2026_MoanaLaunch", "Not run yet", "—"],
    ]
    history = table_rows(section(doc, "Status history"))
    assert [row[1:] for row in history] == [
        ["DIS_US_META_2026_MoanaLaunch", "Draft", "Tess Trafficker", ""],
        ["DIS_US_GOOG_2026_MoanaLaunch", "Draft", "Tess Trafficker", ""],
        ["DIS_US_TTK_2026_MoanaLaunch", "Draft", "Tess Trafficker", ""],
        ["DIS_US_META_2026_MoanaLaunch", "Draft → QA testing", "Tess Trafficker", ""],
        [
            "DIS_US_META_2026_MoanaLaunch",
            "QA testing → QA failed",
            "Tess Trafficker",
            "Landing URL has no utm_campaign",
        ],
        ["DIS_US_GOOG_2026_MoanaLaunch", "Draft → QA testing", "Tess Trafficker", ""],
        ["DIS_US_GOOG_2026_MoanaLaunch", "QA testing → Ready for API", "Tess Trafficker", ""],
        [
            "DIS_US_GOOG_2026_MoanaLaunch",
            "Ready for API → Trafficked success",
            "Tess Trafficker",
            "",
        ],
    ]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", row[0]) for row in history)


def test_report_history_says_system_for_moves_without_an_actor(db, client, viewer, report_campaign):
    ticket = report_campaign["tiktok"]
    ticket_service.move_ticket(ticket, S.QA_TESTING, actor=None)
    db.session.commit()

    doc = parse(client.get(f"/campaigns/{report_campaign['campaign'].id}/report?version=internal"))

    # The move and the pre-flight QA verdict it triggers (its settings fail several rules).
    moved, verdict = table_rows(section(doc, "Status history"))[-2:]
    assert moved[1:] == ["DIS_US_TTK_2026_MoanaLaunch", "Draft → QA testing", "system", ""]
    assert verdict[1:4] == ["DIS_US_TTK_2026_MoanaLaunch", "QA testing → QA failed", "system"]
    assert verdict[4].startswith("Pre-flight QA:") and "Blocking:" in verdict[4]


def test_report_chart_is_inline_svg_with_one_bar_per_channel(client, viewer, report_campaign):
    response = client.get(f"/campaigns/{report_campaign['campaign'].id}/report")

    chart = section(parse(response), "Budget split by channel").find("svg")
    assert chart is not None, "no inline <svg> chart"
    assert "chart" in chart.classes
    assert chart.attrs["role"] == "img"
    assert chart.find("title").text == "Budget split by channel"
    bars = [rect for rect in chart.find_all("rect") if rect.attrs.get("fill", "").startswith("url")]
    labels = [text.text for text in chart.find_all("text")]
    # Largest first: Meta's daily $1,000 over its 31 flight days, Google's lifetime $500.50;
    # TikTok's daily budget has no end date, so no total, and is left out (said below it).
    assert labels == [
        "Meta",
        "$31,000.00 (98%)",
        "Google Ads",
        "$500.50 (2%)",
    ]
    assert len(bars) == 2
    # Each bar is told apart by its own pattern, not only its shade (grayscale print).
    assert len({bar.attrs["fill"] for bar in bars}) == 2
    widths = [float(bar.attrs["width"]) for bar in bars]
    assert widths == sorted(widths, reverse=True)
    assert widths[0] / widths[1] == pytest.approx(31000 / 500.50, rel=0.02)
    # Drawn on the server: no script and no image fetched to draw it.
    assert "<script" not in response.text.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_report_chart_sums_tickets_on_the_same_channel_into_one_bar(
    db, client, viewer, report_campaign
):
    campaign = report_campaign["campaign"]
    ticket_service.create_ticket(
        campaign_id=campaign.id,
        channel_id=report_campaign["tiktok"].channel_id,
        request_type=RequestType.CREATE_CAMPAIGN,
        settings={"budget_type": "lifetime", "budget_amount": "250"},
    )
    ticket_service.create_ticket(
        campaign_id=campaign.id,
        channel_id=report_campaign["tiktok"].channel_id,
        request_type=RequestType.CREATE_CAMPAIGN,
        settings={"budget_type": "lifetime", "budget_amount": "249.50"},
    )
    db.session.commit()

    doc = parse(client.get(f"/campaigns/{campaign.id}/report"))

    chart = section(doc, "Budget split by channel").find("svg")
    # 31 x 1000 + 500.50 + (250 + 249.50); the open-ended daily TikTok budget is left out.
    assert [text.text for text in chart.find_all("text")] == [
        "Meta",
        "$31,000.00 (97%)",
        "Google Ads",
        "$500.50 (2%)",
        "TikTok",
        "$499.50 (2%)",
    ]
    bars = [r for r in chart.find_all("rect") if r.attrs.get("fill", "").startswith("url")]
    assert len(bars) == 3


def test_report_chart_keeps_two_channels_with_the_same_platform_name_apart(
    db, client, viewer, make_brand, make_market, make_channel, add_campaign, add_ticket
):
    # Channel codes are unique, platform names are not: two Meta ad accounts are two channels.
    us_meta = make_channel(api_identifier="METAUS", platform_name="Meta")
    eu_meta = make_channel(api_identifier="METAEU", platform_name="Meta")
    campaign = add_campaign(make_brand(), make_market(), "TwoMetas", budget="1250")
    add_ticket(campaign, us_meta, settings={"budget_type": "LIFETIME", "budget_amount": "1000"})
    add_ticket(campaign, eu_meta, settings={"budget_type": "LIFETIME", "budget_amount": "250"})

    chart = section(parse(client.get(f"/campaigns/{campaign.id}/report")), "Budget split").find(
        "svg"
    )

    bars = [r for r in chart.find_all("rect") if r.attrs.get("fill", "").startswith("url")]
    amounts = [t.text for t in chart.find_all("text") if t.text.startswith("$")]
    assert len(bars) == 2, "two channels drawn as one bar"
    assert amounts == ["$1,000.00 (80%)", "$250.00 (20%)"]


def test_report_without_budgets_says_so_instead_of_drawing_a_chart(
    client, viewer, make_brand, make_market, make_channel, add_campaign, add_ticket
):
    campaign = add_campaign(make_brand(), make_market(), "Quiet", budget="10")
    add_ticket(campaign, make_channel())

    doc = parse(client.get(f"/campaigns/{campaign.id}/report"))

    split = section(doc, "Budget split by channel")
    assert split.find("svg") is None
    assert split.text.endswith("No ticket has a budget yet.")


def test_report_without_tickets_still_renders(
    client, viewer, make_brand, make_market, add_campaign
):
    campaign = add_campaign(make_brand(), make_market(currency="JPY"), "Empty", budget="150000")

    response = client.get(f"/campaigns/{campaign.id}/report?version=internal")

    assert response.status_code == 200
    doc = parse(response)
    assert facts(doc)["Budget"] == "¥150,000 JPY"
    assert "No tickets." in section(doc, "Tickets by channel").text
    assert table_rows(section(doc, "Status history")) == [["No moves yet."]]


def test_report_says_when_and_by_whom_it_was_generated_and_has_a_print_button(
    client, viewer, report_campaign
):
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    response = client.get(f"/campaigns/{report_campaign['campaign'].id}/report")
    after = datetime.now(UTC)

    doc = parse(response)
    foot = doc.find("footer", cls="report-foot").text
    found = re.search(r"Generated (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC by (\S+)", foot)
    assert found, foot
    generated = datetime.strptime(found[1], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert before <= generated <= after
    assert found[2] == viewer.email
    assert "campaign created 2026-01-15 09:30 UTC by Tess Trafficker" in foot
    button = doc.find("button", data_print=True)
    assert button is not None and button.text == "Print or save as PDF"
    assert button.attrs["type"] == "button"
    # The button and the way back are marked not to print.
    actions = doc.find("div", cls="report-actions")
    assert "no-print" in actions.classes
    assert actions.find("button", data_print=True) is not None


def test_report_prints_with_the_print_stylesheet(client, viewer, report_campaign):
    doc = parse(client.get(f"/campaigns/{report_campaign['campaign'].id}/report"))

    sheets = {link.attrs["href"]: link.attrs.get("media") for link in doc.find_all("link")}
    # Static files are linked under names with their content's hash (static_files.py).
    [href] = [href for href in sheets if href.startswith("/static/css/print.")]
    assert sheets[href] == "print"
    css = client.get(href)
    assert css.status_code == 200
    assert "thead { display: table-header-group; }" in css.text
    css.close()


def test_report_escapes_what_users_typed(db, client, viewer, make_brand, make_market, add_campaign):
    campaign = add_campaign(
        make_brand(), make_market(), "<script>alert(1)</script>", name_part="Alert"
    )

    response = client.get(f"/campaigns/{campaign.id}/report")

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_report_runs_the_same_number_of_queries_for_3_and_30_tickets(
    db, client, viewer, count_queries, report_campaign
):
    campaign = report_campaign["campaign"]
    channels = [t.channel_id for t in (report_campaign[k] for k in ("meta", "goog", "tiktok"))]
    campaign_id = campaign.id
    url = f"/campaigns/{campaign_id}/report"

    def measure() -> int:
        fresh_request(db)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        return len(statements)

    client.get(url)
    few = measure()
    for n in range(27):
        ticket_service.create_ticket(
            campaign_id=campaign_id,
            channel_id=channels[n % 3],
            request_type=RequestType.CREATE_CAMPAIGN,
            settings={"budget_amount": "10"},
        )
    db.session.commit()
    many = measure()

    assert len(table_rows(section(parse(client.get(url)), "Tickets by channel"))) == 30
    assert few == many, f"{few} queries for 3 tickets but {many} for 30"


@pytest.mark.parametrize(
    "path",
    [
        f"/campaigns/{uuid.uuid4()}/report",
        "/campaigns/not-a-uuid/report",
        "/campaigns/123/report",
        "/campaigns/%00/report",
    ],
    ids=["unknown", "not-a-uuid", "number", "nul"],
)
def test_report_of_an_unknown_campaign_is_404(client, viewer, path):
    assert client.get(path).status_code == 404


def test_report_needs_a_login(client, report_campaign):
    response = client.get(f"/campaigns/{report_campaign['campaign'].id}/report")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
