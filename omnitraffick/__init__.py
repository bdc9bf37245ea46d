"""OmniTraffick: campaign trafficking for ad-ops teams."""

import sqlite3
from pathlib import Path

from flask import Flask, abort, g, has_app_context, has_request_context, redirect, request, url_for
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .config import load_config
from .extensions import csrf, db, login_manager, migrate
from .web import SAFE_METHODS

ROOT = Path(__file__).resolve().parent.parent


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Enforce foreign keys and let readers and a writer share the SQLite file."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so
        # SAVEPOINTs nest inside a real transaction instead of committing on release.
        dbapi_connection.isolation_level = None
        # SQLite's own lower() only folds ASCII; "NESTLÉ" and "Nestlé" must compare equal.
        dbapi_connection.create_function(
            "lower", 1, lambda s: None if s is None else s.lower(), deterministic=True
        )
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """Requests that change data take SQLite's write lock up front.

    A deferred transaction that read first and then tries to write fails at once with
    "database is locked" when another writer committed in between; taking the lock at
    BEGIN makes concurrent writers queue (up to the busy timeout) and see each other's
    rows, so two people saving the same name get one row and one "already exists".
    Reads stay deferred and never wait. Background jobs set `g.sqlite_immediate`, which
    wins when set (a job's read-only phase sets it False, also when run inside a request).
    """
    if connection.dialect.name == "sqlite":
        if has_app_context() and "sqlite_immediate" in g:
            writing = g.sqlite_immediate
        else:
            writing = has_request_context() and request.method not in SAFE_METHODS
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def create_app(config: dict | None = None) -> Flask:
    """Create the Flask app; `config` overrides the environment (tests use it)."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(load_config(Path(app.instance_path), config or {}))
    from .api.body import JSONProvider

    app.json = JSONProvider(app)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    from . import compression, static_files

    # First, so its after_request runs last: it compresses the body every other hook left.
    compression.init_app(app)
    static_files.init_app(app)

    from . import api, auth, cli, errors, jobs, security, templating
    from .api import docs as api_docs
    from .views import (
        ads,
        board,
        brands,
        bulk,
        campaigns,
        channels,
        creatives,
        health,
        imports,
        markets,
        naming,
        notification_settings,
        reports,
        settings,
        team,
        tickets,
        users,
    )

    modules = (
        health,
        auth,
        api_docs,
        board,
        campaigns,
        imports,
        bulk,
        tickets,
        ads,
        team,
        notification_settings,
        reports,
        markets,
        brands,
        channels,
        creatives,
        naming,
        users,
        settings,
    )
    for module in modules:
        app.register_blueprint(module.bp)
    api.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    from .services import deliveries
    from .services.trafficking import SEND_JOB, run_send

    jobs.register(SEND_JOB, run_send)
    jobs.register(deliveries.DELIVER_JOB, deliveries.run_delivery)
    jobs.register(deliveries.RETRY_JOB, deliveries.run_retry)
    # Notifications committed by a request or a job go out by email and webhook after it.
    jobs.after_each(deliveries.dispatch_ready)

    @app.after_request
    def deliver_notifications(response):
        deliveries.dispatch_ready()
        return response

    from .services.trafficking.audit import AUDIT_JOB, run_audit

    jobs.register(AUDIT_JOB, run_audit)

    from .services.import_jobs import IMPORT_JOB, run_import_job

    jobs.register(IMPORT_JOB, run_import_job)

    @app.before_request
    def refuse_nul_characters():
        """No database stores NUL in text (PostgreSQL refuses it): say so instead of failing.

        Forms are read only from requests with a body (a GET's form is never read); an empty
        query string holds nothing to check.
        """
        values = [*request.args.values()] if request.query_string else []
        if request.method not in SAFE_METHODS:
            values += request.form.values()
        if any("\x00" in value for value in values):
            abort(422, description="Text cannot contain NUL (\\u0000) characters.")

    @app.get("/")
    def index():
        """Start where the work is."""
        return redirect(url_for("board.index"))

    return app
