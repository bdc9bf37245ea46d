"""`flask users ...` and `flask demo seed`."""

from sqlalchemy import func, select

from omnitraffick.models import Campaign, Market, Ticket, TicketEvent, TicketStatus, User
from omnitraffick.services import tickets


def test_create_user_with_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Ana@Example.com", "--role", "viewer", "--password", "secret-pw-1"]
    )
    assert result.exit_code == 0, result.output
    assert "Created viewer ana@example.com" in result.output
    user = db.session.scalar(select(User).where(User.email == "ana@example.com"))
    assert user.role.value == "viewer"
    assert user.password_hash != "secret-pw-1"


def test_create_user_prompts_for_password(app, client):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "bo@example.com", "--role", "admin"],
        input="long-enough-1\nlong-enough-1\n",
    )
    assert result.exit_code == 0, result.output
    response = client.post("/login", data={"email": "bo@example.com", "password": "long-enough-1"})
    assert response.status_code == 302


def test_create_user_refuses_bad_input(app, make_user):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "create", "c@example.com", "--password", "short"])
    assert short.exit_code != 0
    assert "at least 8 characters" in short.output

    bad_role = runner.invoke(args=["users", "create", "c@example.com", "--role", "boss"])
    assert bad_role.exit_code != 0
    assert "boss" in bad_role.output

    taken = make_user(email="taken@example.com")
    dup = runner.invoke(args=["users", "create", taken.email, "--password", "long-enough-1"])
    assert dup.exit_code != 0
    assert "already exists" in dup.output


def test_list_users(app, make_user):
    make_user(email="zed@example.com", name="Zed")
    result = app.test_cli_runner().invoke(args=["users", "list"])
    assert "zed@example.com" in result.output
    assert "admin" in result.output


def test_demo_seed_is_realistic_and_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed", "--campaigns", "40", "--tickets-per-campaign", "3"])
    assert first.exit_code == 0, first.output
    assert "40 new campaigns, 120 new tickets" in first.output

    currencies = set(db.session.scalars(select(Market.currency)))
    assert {"USD", "GBP", "EUR", "JPY", "BRL"} <= currencies
    statuses = set(db.session.scalars(select(Ticket.status)))
    assert statuses == set(TicketStatus)
    # Every ticket's history ends in its current status.
    for ticket in db.session.scalars(select(Ticket)):
        assert ticket.events[-1].to_status == ticket.status
        assert ticket.events[0].from_status is None
    # Tickets past QA can be sent: their settings translate.
    ready = db.session.scalars(select(Ticket).where(Ticket.status == TicketStatus.READY_FOR_API))
    for ticket in ready:
        assert tickets.platform_request(ticket).requests, ticket.payload_config

    again = runner.invoke(args=["demo", "seed", "--campaigns", "40", "--tickets-per-campaign", "3"])
    assert "0 new campaigns" in again.output
    assert db.session.scalar(select(func.count(Campaign.id))) == 40
    assert db.session.scalar(select(func.count(TicketEvent.id))) > 120


def test_demo_seed_if_empty_leaves_a_used_database_alone(app, make_user, db):
    make_user()
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--if-empty"])
    assert "not seeded" in result.output
    assert db.session.scalar(select(func.count(Campaign.id))) == 0


def test_demo_admin_can_sign_in(app, client):
    app.test_cli_runner().invoke(args=["demo", "seed", "--campaigns", "1"])
    response = client.post(
        "/login", data={"email": "admin@omnitraffick.test", "password": "omnitraffick-demo"}
    )
    assert response.status_code == 302
