"""A Meta send reads the ad account's own minimum budgets before it sets a budget, and stops,
having made nothing, when the budget is under them (the figures are the account's, in its
currency: https://developers.facebook.com/docs/marketing-api/reference/ad-account/minimum_budgets).
"""

from omnitraffick.models import AttemptOutcome, RequestType, TicketStatus
from tests.trafficking.helpers import attempts_of, nothing_made, reload, send


def test_a_meta_budget_under_the_accounts_minimum_fails_before_anything_is_made(
    client, db, editor, sandbox, ready, meta
):
    # QA would have blocked it; a ticket made ready before the rule existed still reaches
    # the send, which asks the account itself.
    ticket = ready(meta, budget_amount="2.00")

    send(client, ticket)

    ticket = reload(db, ticket)
    assert ticket.status is TicketStatus.FAILED
    assert ticket.send_error == (
        "Meta needs at least $5.00 a day for an ad set optimised for clicks or engagement in "
        "this ad account (its /minimum_budgets); this ticket has $2.00. Raise the budget to "
        "$5.00 or more; nothing was created or changed."
    )
    assert nothing_made(sandbox)
    [attempt] = attempts_of(db, ticket)
    assert (attempt.method, attempt.outcome) == ("GET", AttemptOutcome.FAILED)
    assert attempt.path == "/v27.0/act_1000000001/minimum_budgets"


def test_a_meta_budget_update_is_checked_against_the_least_any_ad_set_needs(
    client, db, editor, sandbox, ready, meta
):
    create = ready(meta)
    send(client, create)
    assert reload(db, create).status is TicketStatus.TRAFFICKED_SUCCESS
    update = ready(meta, RequestType.UPDATE_BUDGET, budget_amount="0.99")

    send(client, update)

    update = reload(db, update)
    assert update.status is TicketStatus.FAILED
    assert "Meta needs at least $1.00 a day" in update.send_error
    [campaign] = sandbox.objects()["meta"]["campaigns"]
    assert campaign["daily_budget"] == "15000"  # unchanged
    outcomes = [(a.method, a.outcome) for a in attempts_of(db, update)]
    assert outcomes == [("GET", AttemptOutcome.FAILED)]


def test_a_tiktok_send_reads_no_minimums(client, db, editor, sandbox, ready, tiktok):
    ticket = ready(tiktok)

    send(client, ticket)

    assert reload(db, ticket).status is TicketStatus.TRAFFICKED_SUCCESS
    assert not any("minimum" in r["path"] for r in sandbox.requests("tiktok"))
