"""Platform minimum budgets as QA sees them: what blocks, and what cannot be checked.

Each platform's figures and their sources live with its translator:
- TikTok ($50 a day a campaign, $20 an ad group; USD only): translators/tiktok.py,
  https://ads.tiktok.com/help/article/budget?lang=en
- Meta (USD figures by what the ad set optimizes for; the ad account serves its own, in its
  currency, at /act_{id}/minimum_budgets, which the send reads): translators/meta.py,
  https://www.facebook.com/business/help/203183363050448
- Google Ads publishes no minimum amount: a budget must be a multiple of the currency's
  billable unit (CampaignBudgetError.NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT), which the
  translator rule already enforces with the currency's decimals, and at least a per-campaign
  per-day minimum that Google states only in the error it answers
  (BUDGET_BELOW_PER_DAY_MINIMUM), so QA has no figure to check it against.

Meta's figures are in USD. A Meta budget in another currency is compared with the USD figure
converted at the workspace's latest exchange rates (services/rates.py, read once per session),
and the message shows both amounts and the rate date. That is our conversion, not Meta's: the
send reads the ad account's own figure, in its currency, before it sets a budget. Without a
rate for the currency QA has nothing to compare with and leaves it to the send.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ..models import RequestType
from . import rates
from .currencies import format_money
from .settings import BudgetType, Objective
from .timezones import days, flight_window
from .translators import meta, tiktok


@dataclass(frozen=True)
class Budget:
    """What a ticket sets: amount, type and the flight's length in days (when known)."""

    channel: str
    currency: str
    amount: Decimal
    type: BudgetType
    days: int | None
    objective: Objective | None


def budget_of(
    channel: str,
    request_type: RequestType,
    settings: dict,
    create_settings: dict | None,
    currency: str,
) -> Budget | None:
    """The budget a CREATE or UPDATE_BUDGET ticket sets, or None (no budget, or unreadable)."""
    if request_type is RequestType.UPDATE_STATUS:
        return None
    try:
        amount = Decimal(str(settings["budget_amount"]))
        kind = BudgetType(settings.get("budget_type"))
    except (KeyError, InvalidOperation, ValueError):
        return None
    creating = request_type is RequestType.CREATE_CAMPAIGN
    flight = settings if creating else (create_settings or {})
    try:
        start = date.fromisoformat(flight["flight_start"])
        end = date.fromisoformat(flight["flight_end"])
        length = days(flight_window(start, end, "UTC")) if end >= start else None
    except (KeyError, TypeError, ValueError):
        length = None
    try:
        objective = Objective(flight.get("objective"))
    except ValueError:
        objective = None
    return Budget(channel, currency, amount, kind, length, objective)


def documented_minimum(
    channel: str, currency: str, kind: BudgetType, length: int | None, objective: Objective | None
) -> Decimal | None:
    """The least a budget may be by the platform's documented figures, or None (unknown)."""
    if channel == "TIKTOK":
        return tiktok.minimum_budget(kind, currency, length)
    if channel == "META" and currency == "USD" and objective in meta.OBJECTIVES:
        daily = meta.usd_minimum(meta.minimum_field(objective), currency)
        return daily * length if kind is BudgetType.LIFETIME and length else daily
    return None


def _tiktok(budget: Budget) -> str | None:
    least = tiktok.minimum_budget(budget.type, budget.currency, budget.days)
    if least is None or budget.amount >= least:
        return None
    need, have = format_money(least, budget.currency), format_money(budget.amount, budget.currency)
    if budget.type is BudgetType.DAILY:
        what = "a day for a campaign"
    else:
        what = f"in total for a {budget.days}-day campaign (its ad group needs a daily minimum)"
    return (
        f"TikTok needs at least {need} {what}; this ticket has {have}. Raise the budget to "
        f"{need} or more."
    )


def _meta(budget: Budget) -> str | None:
    if budget.objective not in meta.OBJECTIVES:
        return None
    field = meta.minimum_field(budget.objective)
    usd = meta.usd_minimum(field, budget.currency)
    daily, notes = usd, []
    if budget.currency != "USD":
        conversion = rates.session_conversion(budget.currency)
        daily = conversion.convert(usd, "USD")
        if daily is None:
            return None  # no rate: the send compares with the ad account's own figure
        notes.append(
            f"Meta states {format_money(usd, 'USD')} a day; converted at the rate of "
            f"{conversion.on:%Y-%m-%d}, and checked against the ad account's own figure when it "
            "is sent"
        )
    lifetime = budget.type is BudgetType.LIFETIME and budget.days
    least = daily * budget.days if lifetime else daily
    if budget.amount >= least:
        return None
    need = format_money(least, budget.currency)
    have = format_money(budget.amount, budget.currency)
    goal = meta.GOAL_NAMES[field]
    if lifetime:
        what = f"in total for a {budget.days}-day ad set optimised for {goal}"
        notes.insert(0, f"{format_money(daily, budget.currency)} a day")
    else:
        what = f"a day for an ad set optimised for {goal}"
    why = f" ({': '.join(notes)})" if notes else ""
    return (
        f"Meta needs at least {need} {what}{why}; this ticket has {have}. Raise the budget to "
        f"{need} or more."
    )


def blocking(budget: Budget) -> list[str]:
    """Why the platform would refuse this budget, by its documented minimum."""
    check = {"TIKTOK": _tiktok, "META": _meta}.get(budget.channel)
    problem = check(budget) if check else None
    return [problem] if problem else []


def unknown(budget: Budget) -> list[str]:
    """What QA cannot check because the platform documents no figure in this currency."""
    if budget.channel != "TIKTOK" or tiktok.documented_minimum(budget.currency):
        return []
    campaign, adgroup = (format_money(v, "USD") for v in tiktok.MINIMUM_BUDGETS["USD"])
    have = format_money(budget.amount, budget.currency)
    return [
        f"TikTok publishes its minimum budgets in USD only ({campaign} a day for a campaign, "
        f"{adgroup} a day for an ad group) and gives no figure in {budget.currency}, so this "
        f"ticket's {have} is not checked. See the minimum in the advertiser's TikTok Ads "
        "Manager before sending; TikTok refuses a budget under it."
    ]
