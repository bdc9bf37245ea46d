"""What the printed client report looked like by eye (issue 20's "Done when"), each fixed
with a test: the generation line no longer spills onto a page of its own, and a channel
whose flight has no start date is named under the flights chart instead of left out.
"""

from omnitraffick.models import RequestType, Role
from omnitraffick.services import tickets as ticket_service
from tests.html import parse


def test_the_client_version_keeps_its_generation_line_with_the_sign_off(
    db, client, login, make_brand, make_market, make_campaign
):
    login(Role.VIEWER)
    campaign = make_campaign(make_brand(), make_market(), "Moana", budget="1000")

    doc = parse(client.get(f"/campaigns/{campaign.id}/report"))

    sign_off = next(s for s in doc.find_all("section") if s.find("h2").text == "Sign-off")
    assert "keep-together" in sign_off.attrs["class"].split()
    (foot,) = doc.find_all("footer", cls="report-foot")
    assert sign_off.find("footer", cls="report-foot") is not None
    assert foot.text.split()[0] == "Generated"


def test_the_internal_version_ends_with_its_generation_line(
    db, client, login, make_brand, make_market, make_campaign
):
    login(Role.VIEWER)
    campaign = make_campaign(make_brand(), make_market(), "Moana", budget="1000")

    doc = parse(client.get(f"/campaigns/{campaign.id}/report?version=internal"))

    assert len(doc.find_all("footer", cls="report-foot")) == 1


def test_a_channel_without_flight_dates_is_named_under_the_flights_chart(
    db, client, login, make_brand, make_market, make_channel, make_campaign
):
    login(Role.VIEWER)
    campaign = make_campaign(make_brand(), make_market(), "Moana", budget="1000")
    dated = {"budget_type": "LIFETIME", "budget_amount": "500", "flight_start": "2026-04-01"}
    for code, name, settings in [
        ("META", "Meta", dated),
        ("TIKTOK", "TikTok", {"budget_type": "DAILY", "budget_amount": "50"}),
    ]:
        channel = make_channel(api_identifier=code, platform_name=name)
        ticket_service.create_ticket(
            campaign_id=campaign.id,
            channel_id=channel.id,
            request_type=RequestType.CREATE_CAMPAIGN,
            settings=settings,
        )
    db.session.commit()

    doc = parse(client.get(f"/campaigns/{campaign.id}/report"))

    flights = next(s for s in doc.find_all("section") if s.find("h2").text == "Flights by channel")
    assert "Meta: 2026-04-01 to open end." in flights.find("svg").find("desc").text
    assert "Not on the chart, as its flight has no start date yet: TikTok." in " ".join(
        flights.text.split()
    )
