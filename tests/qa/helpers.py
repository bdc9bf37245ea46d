"""Pre-flight QA: each rule passing and failing, severities, and several failures together. Helpers
shared by the files of this folder.
"""

from datetime import date
from decimal import Decimal

from omnitraffick.models import RequestType
from omnitraffick.services import qa

TODAY = date(2026, 1, 10)


CREATE = RequestType.CREATE_CAMPAIGN


UPDATE_BUDGET = RequestType.UPDATE_BUDGET


UPDATE_STATUS = RequestType.UPDATE_STATUS


BLOCK_RULES = {r.code for r in qa.RULES if r.severity == qa.BLOCK}


WARN_RULES = {r.code for r in qa.RULES if r.severity == qa.WARN}


def landing_url(utm_campaign="DIS_US_META_2026_MoanaLaunch", scheme="https", **utm):
    """A landing URL with utm_source, utm_medium and utm_campaign (None leaves one out)."""
    params = {"utm_source": "meta", "utm_medium": "paid_social", "utm_campaign": utm_campaign}
    params.update(utm)
    query = "&".join(f"{key}={value}" for key, value in params.items() if value is not None)
    return f"{scheme}://www.disney.com/moana?{query}"


def create_settings(**overrides):
    """Complete, valid CREATE_CAMPAIGN settings: daily 100.00 for February 2026 (28 days)."""
    values = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "100.00",
        "flight_start": "2026-02-01",
        "flight_end": "2026-02-28",
        "landing_url": landing_url(),
        "initial_status": "PAUSED",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def findings_of(ticket, created_object_id=None):
    return {f.rule: f for f in qa.run(qa.context_for(ticket, created_object_id, today=TODAY))}


def failed(findings):
    return {code for code, f in findings.items() if not f.passed}


def assert_only_failure(findings, code, *fragments):
    """`code` is the one failed rule, and its message carries every fragment."""
    assert failed(findings) == {code}, {c: findings[c].message for c in failed(findings)}
    for fragment in fragments:
        assert fragment in findings[code].message


def set_ceilings(db, brand, daily=None, lifetime=None, currency="USD"):
    brand.daily_budget_ceiling = None if daily is None else Decimal(daily)
    brand.lifetime_budget_ceiling = None if lifetime is None else Decimal(lifetime)
    brand.ceiling_currency = currency
    db.session.commit()


# --- ads -------------------------------------------------------------------------------------

AD_RULES = {
    "translator",
    "ad_creative_specs",
    "ad_text_cut_off",
    "ad_complete",
    "ad_landing",
    "ads_present",
}

META_TEXTS = {"primary_text": "Sail with Moana.", "call_to_action": "LEARN_MORE"}
# Google's campaign type follows the ticket's objective (translators/google_ads.py OBJECTIVES):
# TRAFFIC makes a Search campaign (responsive search ads), AWARENESS a Display campaign
# (responsive display ads). create_settings() is TRAFFIC.
DISPLAY = {"objective": "AWARENESS"}
DISPLAY_TEXTS = {
    "headline": "Moana",
    "long_headline": "Moana sails again",
    "description": "In cinemas now",
    "business_name": "Disney",
}


def ad_failures(findings):
    return {code: findings[code].message for code in failed(findings) & AD_RULES}
