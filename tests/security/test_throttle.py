"""Login throttling per account and address, with growing delays (time is controlled)."""

import threading

from omnitraffick.models import Role
from omnitraffick.services import users as user_service
from tests.html import parse

from .conftest import sign_in

HOME, ATTACKER = "198.51.100.7", "203.0.113.66"
WRONG = "wrong password"


def fail(client, email, address=ATTACKER, times=1) -> None:
    for _ in range(times):
        assert sign_in(client, email, WRONG, address).status_code == 401


def test_the_first_failures_cost_nothing_then_the_address_waits(client, make_user, app):
    user = make_user(Role.VIEWER)
    fail(client, user.email, HOME, times=app.config["LOGIN_FREE_FAILURES"])

    # Even the right password waits: this address has been guessing.
    response = sign_in(client, user.email, address=HOME)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert "Too many failed sign-ins for this account from your address. Wait 30 seconds" in (
        parse(response).find(role="alert").text
    )


def test_the_wait_doubles_with_each_further_failure_up_to_15_minutes(client, make_user, clock):
    user = make_user(Role.VIEWER)
    fail(client, user.email, times=5)
    waits = []
    for _ in range(7):
        refused = sign_in(client, user.email, WRONG, ATTACKER)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.advance(seconds=waits[-1] - 1)
        assert sign_in(client, user.email, WRONG, ATTACKER).status_code == 429  # not yet
        clock.advance(seconds=1)
        fail(client, user.email)
    assert waits == [30, 60, 120, 240, 480, 900, 900]
    assert "Wait 15 minutes" in sign_in(client, user.email, WRONG, ATTACKER).text


def test_after_the_wait_the_right_password_gets_in(client, make_user, clock):
    user = make_user(Role.VIEWER)
    fail(client, user.email, HOME, times=5)
    clock.advance(seconds=30)
    assert sign_in(client, user.email, address=HOME).status_code == 302


def test_the_right_password_from_a_clean_address_gets_in_while_the_account_is_attacked(
    client, make_user, clock
):
    user = make_user(Role.ADMIN)
    for n in range(30):
        fail(client, user.email, f"203.0.113.{n}", times=1)
    assert sign_in(client, user.email, address="203.0.113.0").status_code == 429

    assert sign_in(client, user.email, address=HOME).status_code == 302


def test_an_account_failing_from_many_addresses_leaves_them_fewer_free_failures(
    client, make_user, app, clock
):
    # The clock stands still: on a loaded machine a second can pass before the last check.
    user, quiet = make_user(Role.VIEWER), make_user(Role.VIEWER)
    fail(client, quiet.email, times=1)
    assert sign_in(client, quiet.email, WRONG, ATTACKER).status_code == 401  # still free

    for n in range(app.config["LOGIN_ATTACK_ADDRESSES"]):
        fail(client, user.email, f"203.0.113.{n}", times=1)
    refused = sign_in(client, user.email, WRONG, "203.0.113.0")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"
    # An address that has not failed for the account is not held back.
    assert sign_in(client, user.email, WRONG, HOME).status_code == 401


def test_a_success_clears_that_addresses_failures_only(client, make_user):
    user = make_user(Role.VIEWER)
    fail(client, user.email, ATTACKER, times=5)
    fail(client, user.email, HOME, times=4)
    assert sign_in(client, user.email, address=HOME).status_code == 302
    client.post("/logout")

    fail(client, user.email, HOME, times=4)  # a fresh allowance: no wait
    assert sign_in(client, user.email, address=ATTACKER).status_code == 429


def test_one_address_failing_for_many_accounts_does_not_lock_out_the_others(client, make_user):
    user = make_user(Role.VIEWER)
    for n in range(40):
        fail(client, f"guess{n}@example.com", HOME, times=1)
    assert sign_in(client, user.email, address=HOME).status_code == 302


def test_failures_are_forgotten_after_a_day(client, make_user, clock):
    user = make_user(Role.VIEWER)
    fail(client, user.email, HOME, times=5)
    assert sign_in(client, user.email, address=HOME).status_code == 429
    clock.advance(hours=24, seconds=1)
    fail(client, user.email, HOME, times=4)
    assert sign_in(client, user.email, address=HOME).status_code == 302


def test_unknown_emails_are_throttled_and_hashed_like_known_ones(client, app, monkeypatch):
    checked = []
    real_check = user_service.check_password_hash
    monkeypatch.setattr(
        user_service,
        "check_password_hash",
        lambda stored, password: checked.append(stored) or real_check(stored, password),
    )
    fail(client, "nobody@example.com", times=5)
    # The same hash method and work factor as real passwords, so timing reveals nothing.
    method = app.config["PASSWORD_HASH_METHOD"]
    assert len(checked) == 5 and all(h.startswith(method + "$") for h in checked)

    response = sign_in(client, "nobody@example.com", WRONG, ATTACKER)
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account" in response.text


def test_an_admin_clears_the_throttle_from_the_users_page(app, client, login, make_user):
    user = make_user(Role.VIEWER)
    users_browser = app.test_client()
    fail(users_browser, user.email, HOME, times=5)
    fail(users_browser, user.email, ATTACKER, times=2)
    assert sign_in(users_browser, user.email, address=HOME).status_code == 429

    login(Role.ADMIN)
    page = parse(client.get(f"/users/{user.id}/edit")).by_id("access")
    assert "7 failed sign-ins from 2 addresses" in page.text
    response = client.post(f"/users/{user.id}/unlock", follow_redirects=True)
    assert f"Cleared 7 failed sign-ins for {user.email}." in response.text
    assert "No failed sign-ins are remembered." in parse(response).by_id("access").text

    assert sign_in(users_browser, user.email, address=HOME).status_code == 302


def test_only_admins_clear_the_throttle(client, login, make_user):
    user = make_user(Role.VIEWER)
    fail(client, user.email, HOME, times=5)
    login(Role.TRAFFICKER)
    assert client.post(f"/users/{user.id}/unlock").status_code == 403
    assert sign_in(client.application.test_client(), user.email, address=HOME).status_code == 429


def test_flask_users_unlock(app, client, make_user):
    user = make_user(Role.VIEWER)
    fail(client, user.email, HOME, times=6 - 1)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["users", "unlock", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert f"Cleared 5 failed sign-ins for {user.email}." in result.output
    assert sign_in(client, user.email, address=HOME).status_code == 302

    unknown = runner.invoke(args=["users", "unlock", "who@example.com"])
    assert unknown.exit_code == 1
    assert "No user with email who@example.com." in unknown.output


def test_a_burst_of_simultaneous_guesses_gets_no_more_free_failures(app, make_user, db):
    """Attempts of one account and address take turns on the pair's row (PostgreSQL) or on
    SQLite's write lock, so guessing in parallel gains nothing."""
    email = make_user(Role.VIEWER).email
    db.session.remove()  # each thread is a request with a session of its own
    burst = 8
    start = threading.Barrier(burst)
    statuses: list[int] = []

    def guess():
        client = app.test_client()
        start.wait(10)
        statuses.append(sign_in(client, email, WRONG, ATTACKER).status_code)

    threads = [threading.Thread(target=guess) for _ in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)

    free = app.config["LOGIN_FREE_FAILURES"]
    assert sorted(statuses) == [401] * free + [429] * (burst - free)
