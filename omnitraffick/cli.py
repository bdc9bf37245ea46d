"""Command-line tools: `flask users ...`, `flask demo seed`, `flask check-deploy`, ..."""

import os

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .config import deploy_problems, gunicorn_workers
from .extensions import db
from .models import Role, User
from .services import tokens as token_service
from .services import users as user_service
from .services.errors import DomainError

users_cli = AppGroup("users", help="Manage users.")
tokens_cli = AppGroup("tokens", help="Personal API tokens.")
demo_cli = AppGroup("demo", help="Demo data.")
rates_cli = AppGroup("rates", help="Exchange rates for the reporting currency.")
names_cli = AppGroup("names", help="Naming governance.")


@names_cli.command("audit")
def audit_names():
    """Audit the names live on every connected platform (run it from cron or a timer).

    With Celery the audit is queued for a worker; otherwise it runs here and says how it went.
    """
    from . import jobs
    from .services.trafficking import audit as name_audit

    audit = name_audit.request_audit(None)
    db.session.commit()
    if current_app.config["JOBS"] == "celery":
        jobs.dispatch(name_audit.AUDIT_JOB, audit.id)
        click.echo(f"Audit {audit.id} queued.")
        return
    name_audit.run_audit(str(audit.id))
    rows = audit.results or []
    bad = sum(1 for r in rows if not r["valid"])
    foreign = sum(1 for r in rows if not r["ours"])
    click.echo(
        f"{len(rows)} live names read, {bad} non-compliant, {foreign} not made by OmniTraffick."
    )
    for channel, message in (audit.errors or {}).items():
        click.echo(f"{channel} could not be read: {message}", err=True)


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


@users_cli.command("unlock")
@click.argument("email")
def unlock_user(email: str):
    """Clear a user's failed sign-ins, so no address has to wait to sign in."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    cleared = user_service.clear_throttle(user)
    db.session.commit()
    noun = "sign-in" if cleared == 1 else "sign-ins"
    click.echo(f"Cleared {cleared} failed {noun} for {user.email}.")


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


@rates_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_rates(file: str):
    """Import the rates of an ECB reference-rate CSV file (eurofxref.csv or -hist.csv)."""
    from .services import rates

    try:
        with open(file, "rb") as handle:
            summary = rates.import_rates(rates.decode_upload(handle.read()))
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(err.message) from None
    db.session.commit()
    click.echo(summary)


sandbox_cli = AppGroup("sandbox", help="The local platform sandbox.")


@sandbox_cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def run_sandbox(host: str, port: int):
    """Serve the platform sandbox (Meta, TikTok and Google Ads stand-ins)."""
    from .sandbox import serve

    click.echo(f"Platform sandbox on http://{host}:{port} (set PLATFORM_SANDBOX_URL to use it)")
    serve(host, port)


@sandbox_cli.command("fault")
@click.argument("platform", type=click.Choice(["meta", "tiktok", "google", "*"]))
@click.argument("status", type=int, required=False)
@click.option("--times", default=1, show_default=True, type=int, help="How many requests.")
@click.option("--retry-after", type=int, help="Seconds, sent as Retry-After (with 429).")
@click.option("--delay", type=float, help="Seconds to wait before answering.")
@click.option("--after-effect", is_flag=True, help="Do the request, then answer the fault.")
@click.option("--path", "path_contains", help="Only requests whose path contains this.")
@click.option("--method", help="Only requests of this method, e.g. POST.")
@click.option("--after", type=int, help="Let this many matching requests through first.")
@click.option("--message", help="The error message of a 400.")
def sandbox_fault(
    platform,
    status,
    times,
    retry_after,
    delay,
    after_effect,
    path_contains,
    method,
    after,
    message,
):
    """Make the sandbox answer its next requests with an error, e.g. `fault meta 429`."""
    fault = {"platform": platform, "times": times, "after_effect": after_effect}
    optional = {
        "status": status,
        "retry_after": retry_after,
        "delay": delay,
        "path_contains": path_contains,
        "method": method,
        "after": after,
        "message": message,
    }
    fault |= {key: value for key, value in optional.items() if value is not None}
    response = _sandbox_request("POST", "/_sandbox/faults", fault)
    click.echo(f"The sandbox will answer: {response}")


@sandbox_cli.command("reset")
def sandbox_reset():
    """Forget every object, fault and logged request in the sandbox."""
    _sandbox_request("POST", "/_sandbox/reset")
    click.echo("Sandbox reset.")


def _sandbox_request(method: str, path: str, body: dict | None = None):
    import requests

    base = current_app.config.get("PLATFORM_SANDBOX_URL") or "http://127.0.0.1:8001"
    try:
        response = requests.request(method, base.rstrip("/") + path, json=body, timeout=10)
    except requests.RequestException as err:
        raise click.ClickException(f"The sandbox at {base} cannot be reached: {err}") from None
    if response.status_code >= 400:
        raise click.ClickException(f"The sandbox refused: {response.text}")
    return response.json() if response.content else None


@click.command("worker")
@click.option(
    "--concurrency", default=4, show_default=True, type=int, help="Jobs at once (processes)."
)
@click.option("--loglevel", default="INFO", show_default=True)
def run_worker(concurrency: int, loglevel: str):
    """Run a Celery worker for the send jobs (needs REDIS_URL)."""
    from .jobs import celery

    if current_app.config["JOBS"] != "celery":
        raise click.ClickException(
            "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run workers; without it jobs "
            "run inside the web process."
        )
    # The prefork pool: a pool process that dies mid-send has its job handed back at once
    # (the thread pool cannot notice, and the job would wait for Redis' visibility timeout).
    # Forked processes get database connections of their own (jobs.py).
    celery.worker_main(
        [
            "worker",
            f"--loglevel={loglevel}",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            f"--queues={current_app.config['CELERY_QUEUE']}",
        ]
    )


@click.command("check-deploy")
@click.option(
    "--workers",
    type=click.IntRange(1),
    help="gunicorn workers you will run [default: WEB_CONCURRENCY, or -w in GUNICORN_CMD_ARGS, "
    "or 1].",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    envvar="OMNITRAFFICK_BEHIND_PROXY",
    help="The app is served behind a load balancer or reverse proxy.",
)
def check_deploy(workers: int | None, behind_proxy: bool):
    """List settings that are unsafe in production; exit 1 if there is any."""
    if workers is None:
        workers = gunicorn_workers(dict(os.environ)) or 1
    problems = deploy_problems(current_app.config, workers=workers, behind_proxy=behind_proxy)
    for problem in problems:
        click.echo(f"unsafe: {problem}")
    if problems:
        raise click.exceptions.Exit(1)
    click.echo("ok")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(rates_cli)
    app.cli.add_command(names_cli)
    app.cli.add_command(sandbox_cli)
    app.cli.add_command(run_worker)
    app.cli.add_command(check_deploy)
