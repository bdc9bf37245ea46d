"""Names typed in any script become ASCII letters and digits (anyascii), and say what changed."""

import pytest

from omnitraffick.models import Campaign
from omnitraffick.services import campaigns
from omnitraffick.services.errors import ValidationError
from omnitraffick.services.transliteration import transliterate


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Café Noël", "CafeNoel"),
        ("Straße", "Strasse"),
        ("Łódź", "Lodz"),
        ("Ærø", "AEro"),
        ("Œuvre", "OEuvre"),
        # Language-neutral: ü is u for a German market too (see transliteration.py).
        ("Straße Frühling", "StrasseFruhling"),
        ("İstanbul Şubat", "IstanbulSubat"),
        ("Kraków Wiosna", "KrakowWiosna"),
        ("Smørrebrød", "Smorrebrod"),
        ("Москва", "Moskva"),
        ("Moana 🌊 Launch!", "MoanaLaunch"),
    ],
)
def test_letters_of_any_script_are_transliterated(typed, expected):
    assert transliterate(typed).text == expected


def test_it_says_what_was_transliterated_and_what_was_dropped():
    result = transliterate("Café Noël!")
    assert result.changed == (("é", "e"), ("ë", "e"))
    assert result.dropped == (" ", "!")
    assert result.describe() == "Transliterated é → e, ë → e. Dropped space !."


def test_an_emoji_is_dropped_not_spelled_out():
    assert transliterate("☀").text == ""
    assert transliterate("☀").dropped == ("☀",)


def test_a_german_campaign_gets_the_transliterated_name(db, make_brand, make_market):
    brand = make_brand(name="Haribo", internal_code="HAR")
    de = make_market(code="DE", country="DE", currency="EUR", region="EMEA")
    campaign = campaigns.create_campaign(
        brand_id=brand.id,
        market_id=de.id,
        campaign_name="Straße Frühling",
        year=2026,
        budget="100",
    )
    assert campaign.name == "HAR_DE_MULTI_2026_StrasseFruhling"
    assert campaign.campaign_name == "Straße Frühling"


def test_the_live_preview_shows_what_was_transliterated(client, login, dis, us):
    login()
    response = client.get(
        "/campaigns/preview",
        query_string={
            "brand_id": dis.id,
            "market_id": us.id,
            "year": "2026",
            "campaign_name": "Café Noël",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "DIS_US_MULTI_2026_" in response.text and "CafeNoel" in response.text
    assert "Transliterated é → e, ë → e. Dropped space." in response.text


def test_a_name_with_nothing_left_is_refused_saying_why(db, dis, us):
    with pytest.raises(ValidationError) as refused:
        campaigns.create_campaign(
            brand_id=dis.id, market_id=us.id, campaign_name="🌊 ☀", year=2026, budget="1"
        )
    assert "at least one letter A-Z or digit after transliteration" in refused.value.message
    assert "emoji are dropped" in refused.value.message
    assert db.session.query(Campaign).count() == 0


def test_existing_names_never_change(db, dis, us):
    # A name made before transliteration (the accent was dropped) stays as it is.
    old = Campaign(
        name="DIS_US_MULTI_2026_CafNol",
        campaign_name="Café Noël",
        brand_id=dis.id,
        market_id=us.id,
        year=2026,
    )
    db.session.add(old)
    db.session.commit()
    new = campaigns.create_campaign(
        brand_id=dis.id, market_id=us.id, campaign_name="Café Noël", year=2026, budget="1"
    )
    db.session.commit()
    db.session.refresh(old)
    assert old.name == "DIS_US_MULTI_2026_CafNol"
    assert new.name == "DIS_US_MULTI_2026_CafeNoel"
