"""End to end in the sandbox: a housing campaign in a Hungarian market (HUF, Europe/Budapest)
goes through QA and is trafficked to Meta, TikTok and Google, each getting the declaration and
the flight in its own form (see tests/test_compliance.py and tests/test_flight_times.py for
the references).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from omnitraffick.models import RequestType, Role, Ticket, TicketStatus
from omnitraffick.services import reference, tickets, trafficking

BUDAPEST = ZoneInfo("Europe/Budapest")


def test_a_hungarian_housing_campaign_reaches_all_three_platforms(
    db, sandbox, make_user, make_campaign, meta, tiktok, google
):
    tess = make_user(Role.TRAFFICKER)
    market = reference.create_market(code="HU", country="HU", region="EU", currency="HUF")
    assert market.time_zone == "Europe/Budapest"
    campaign = make_campaign(market=market, campaign_name="Homes", budget="10000000")
    start = date.today() + timedelta(days=7)
    end = start + timedelta(days=9)
    sent = {}
    for channel in (meta, tiktok, google):
        ticket = Ticket(
            campaign_id=campaign.id,
            channel_id=channel.id,
            request_type=RequestType.CREATE_CAMPAIGN,
            payload_config={},
        )
        db.session.add(ticket)
        db.session.flush()
        name = ticket.platform_name
        tickets.update_settings(
            ticket,
            {
                "objective": "TRAFFIC",
                "budget_type": "DAILY",
                "budget_amount": "20000",
                "flight_start": start.isoformat(),
                "flight_end": end.isoformat(),
                "landing_url": "https://example.com/homes?utm_source=ads&utm_medium=paid"
                f"&utm_campaign={name}",
                "special_ad_categories": ["HOUSING"],
            },
            version=1,
        )
        tickets.move_ticket(ticket, TicketStatus.QA_TESTING, actor=tess, version=2)
        db.session.commit()
        assert ticket.status is TicketStatus.READY_FOR_API, ticket.qa_failure_reason
        trafficking.start_send(ticket, actor=tess)
        db.session.refresh(ticket)
        assert ticket.status is TicketStatus.TRAFFICKED_SUCCESS, ticket.status
        sent[channel.api_identifier] = ticket.external_platform_id

    objects = sandbox.objects()
    first = datetime.combine(start, time(0), BUDAPEST)
    last = datetime.combine(end, time(23, 59, 59), BUDAPEST)

    meta_id = sent["META"]
    [meta_campaign] = [c for c in objects["meta"]["campaigns"] if c["id"] == meta_id]
    assert meta_campaign["special_ad_categories"] == ["HOUSING"]
    assert meta_campaign["special_ad_category_country"] == ["HU"]
    [adset] = [a for a in objects["meta"]["adsets"] if a["campaign_id"] == meta_id]
    assert datetime.strptime(adset["start_time"], "%Y-%m-%dT%H:%M:%S%z") == first
    assert datetime.strptime(adset["end_time"], "%Y-%m-%dT%H:%M:%S%z") == last

    tiktok_id = sent["TIKTOK"]
    [tiktok_campaign] = [c for c in objects["tiktok"]["campaigns"] if c["campaign_id"] == tiktok_id]
    # Special industries are for the US and Canada only; created paused, it is disabled.
    assert tiktok_campaign["special_industries"] == []
    assert tiktok_campaign["operation_status"] == "DISABLE"
    [adgroup] = [a for a in objects["tiktok"]["adgroups"] if a["campaign_id"] == tiktok_id]
    utc = ZoneInfo("UTC")
    assert adgroup["schedule_start_time"] == first.astimezone(utc).strftime("%Y-%m-%d %H:%M:%S")
    assert adgroup["schedule_end_time"] == last.astimezone(utc).strftime("%Y-%m-%d %H:%M:%S")

    google_id = sent["GOOGLE"]
    [google_campaign] = [
        c for c in objects["google"]["campaigns"] if c["resourceName"] == google_id
    ]
    assert google_campaign["containsEuPoliticalAdvertising"] == (
        "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"
    )
    assert google_campaign["startDateTime"] == f"{start.isoformat()} 00:00:00"
    assert google_campaign["endDateTime"] == f"{end.isoformat()} 23:59:59"
