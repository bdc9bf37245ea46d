"""Command-line tools: `flask users ...` and `flask demo seed`."""

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .models import Role, User
from .services import tokens as token_service
from .services import users as user_service
from .services.errors import DomainError

users_cli = AppGroup("users", help="Manage users.")
tokens_cli = AppGroup("tokens", help="Personal API tokens.")
demo_cli = AppGroup("demo", help="Demo data.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.TRAFFICKER.value,
    show_default=True,
)
@click.option("--name", default="", help="Display name.")
@click.option("--password", help="Prompted for when not given.")
def create_user(email: str, role: str, name: str, password: str | None):
    """Create a user."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_service.create_user(email, password, role, name)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}")


@users_cli.command("list")
def list_users():
    """List users with their roles."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        state = "" if user.active else "  (disabled)"
        click.echo(f"{user.email:40} {user.role.value:11} {user.name}{state}")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. 'nightly sync'.")
def create_token(email: str, name: str):
    """Create an API token for a user and print it once, on the last line."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    try:
        row, token = token_service.create_token(user, name)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    db.session.commit()
    click.echo(f"Token {row.name!r} for {user.email} ({user.role.value}). It is shown only once:")
    click.echo(token)


@demo_cli.command("seed")
@click.option("--campaigns", "n_campaigns", default=60, show_default=True, type=click.IntRange(0))
@click.option(
    "--tickets-per-campaign", "per_campaign", default=3, show_default=True, type=click.IntRange(0)
)
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no users yet.")
def seed(n_campaigns: int, per_campaign: int, if_empty: bool):
    """Create demo reference data, campaigns and tickets (safe to run again)."""
    from .demo import seed_demo

    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("Database already has users; demo data not seeded.")
        return
    summary = seed_demo(n_campaigns, per_campaign)
    db.session.commit()
    click.echo(summary)


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(demo_cli)
