"""Money reads one way everywhere: CLDR's format for the reader's locale, the currency's
decimals and no more (babel pinned in the lock, so these strings hold)."""

from decimal import Decimal

import pytest

from omnitraffick.models import Role
from omnitraffick.services.currencies import amount_text, format_money


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "reads"),
    [
        ("150000", "JPY", "en_US", "¥150,000"),
        ("5000.4", "JPY", "en_US", "¥5,000"),
        ("2300.25", "EUR", "en_US", "€2,300.25"),
        ("2300.25", "EUR", "de_DE", "2.300,25\xa0€"),
        ("1500.5", "KWD", "en_US", "KWD1,500.500"),
        ("250000", "HUF", "hu_HU", "250\xa0000\xa0Ft"),
        ("1000", "USD", "xx_NOPE", "$1,000.00"),  # an unknown locale reads as en_US
    ],
)
def test_amounts_read_as_their_locale_writes_them(amount, currency, locale, reads):
    assert format_money(Decimal(amount), currency, locale) == reads


def test_machines_get_plain_decimals_in_the_currencys_precision():
    assert amount_text(Decimal("1500.5"), "USD") == "1500.50"
    assert amount_text(Decimal("150000"), "JPY") == "150000"


def test_pages_follow_the_browsers_language(client, login, make_campaign, make_market):
    login(Role.VIEWER)
    campaign = make_campaign(market=make_market(code="FR", currency="EUR"), budget="2300.25")
    english = client.get(f"/campaigns/{campaign.id}").text
    german = client.get(f"/campaigns/{campaign.id}", headers={"Accept-Language": "de-DE"}).text
    assert "€2,300.25" in english
    assert "2.300,25\xa0€" in german


def test_qa_messages_show_a_yen_budget_without_decimals(db, login, make_ticket, make_campaign, jp):
    from omnitraffick.services import tickets

    user = login(Role.TRAFFICKER)
    campaign = make_campaign(market=jp, budget="5000")
    ticket = make_ticket(campaign=campaign)
    ticket.payload_config = {
        "objective": "TRAFFIC",
        "budget_type": "LIFETIME",
        "budget_amount": "9000",
        "flight_start": "2031-01-01",
        "flight_end": "2031-01-31",
        "landing_url": "https://example.com/",
    }
    db.session.commit()
    tickets.move_ticket(ticket, "QA_TESTING", actor=user)
    assert "up to ¥9,000, more than its budget of ¥5,000." in ticket.qa_failure_reason
