"""`flask check-deploy`: lists what is unsafe to serve in production, or says ok."""

import pytest

STRONG_SECRET = "4f1c" * 16
POSTGRES = "postgresql+psycopg://omni@db.internal/omnitraffick"  # never connected to
# What a production environment looks like to the app.
PRODUCTION = {
    "TESTING": False,
    "DEBUG": False,
    "WTF_CSRF_ENABLED": True,
    "SECRET_KEY": STRONG_SECRET,
    "SESSION_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_SECURE": True,
}
CLEAN_ENV = {"WEB_CONCURRENCY": None, "GUNICORN_CMD_ARGS": None, "OMNITRAFFICK_BEHIND_PROXY": None}


@pytest.fixture
def check(make_app):
    """Run `flask check-deploy ARGS` on an app configured as in production plus `config`."""

    def run(*args, database_url=None, env=None, **config):
        app = make_app(database_url, **(PRODUCTION | config))
        # Commands run in the active app context if there is one: make it this app's.
        with app.app_context():
            return app.test_cli_runner().invoke(
                args=["check-deploy", *args], env=CLEAN_ENV | (env or {})
            )

    return run


def unsafe_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("unsafe: ")]


@pytest.mark.parametrize("database_url", [None, POSTGRES], ids=["suite-database", "postgresql"])
def test_a_production_configuration_is_ok(check, database_url):
    result = check(database_url=database_url)

    assert result.exit_code == 0, result.output
    assert result.output == "ok\n"


def test_behind_a_proxy_with_trusted_proxies_is_ok(check):
    result = check("--behind-proxy", TRUSTED_PROXIES=1)

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "env", "config", "database_url", "says"),
    [
        ((), {}, {"DEBUG": True}, None, "Debug mode is on"),
        ((), {}, {"TESTING": True}, None, "TESTING is on"),
        ((), {}, {"WTF_CSRF_ENABLED": False}, None, "CSRF protection is off"),
        ((), {}, {"SECRET_KEY_FROM_INSTANCE": True}, POSTGRES, "SECRET_KEY is not set"),
        ((), {}, {"SECRET_KEY": "dev"}, None, "SECRET_KEY is shorter than 32"),
        ((), {}, {"SESSION_COOKIE_SECURE": False}, None, "SESSION_COOKIE_SECURE off"),
        ((), {}, {"REMEMBER_COOKIE_SECURE": False}, None, "REMEMBER_COOKIE_SECURE off"),
        (("--behind-proxy",), {}, {}, None, "Behind a proxy without TRUSTED_PROXIES"),
        ((), {"OMNITRAFFICK_BEHIND_PROXY": "1"}, {}, None, "without TRUSTED_PROXIES"),
        (("--workers", "4"), {}, {}, "sqlite:///x.sqlite3", "SQLite under 4 gunicorn workers"),
        ((), {"WEB_CONCURRENCY": "3"}, {}, "sqlite:///x.sqlite3", "SQLite under 3 gunicorn"),
        ((), {"GUNICORN_CMD_ARGS": "-w 2"}, {}, "sqlite:///x.sqlite3", "SQLite under 2 gunicorn"),
        (
            (),
            {"GUNICORN_CMD_ARGS": "--bind :80 --workers=5"},
            {},
            "sqlite:///x.sqlite3",
            "SQLite under 5 gunicorn",
        ),
    ],
    ids=[
        "debug",
        "testing",
        "csrf-off",
        "instance-secret-with-postgresql",
        "weak-secret",
        "insecure-session-cookie",
        "insecure-remember-cookie",
        "proxy-declared-by-option",
        "proxy-declared-by-environment",
        "sqlite-workers-option",
        "sqlite-web-concurrency",
        "sqlite-gunicorn-w",
        "sqlite-gunicorn-workers",
    ],
)
def test_each_unsafe_setting_is_named_and_fails(check, args, env, config, database_url, says):
    result = check(*args, database_url=database_url, env=env, **config)

    assert result.exit_code == 1, result.output
    lines = unsafe_lines(result)
    assert len(lines) == 1, result.output
    assert says in lines[0]
    assert "ok" not in result.output.splitlines()


def test_everything_unsafe_is_listed_at_once(check):
    result = check(
        "--workers",
        "2",
        "--behind-proxy",
        database_url="sqlite:///x.sqlite3",
        DEBUG=True,
        SECRET_KEY="short",
        SESSION_COOKIE_SECURE=False,
    )

    assert result.exit_code == 1
    assert len(unsafe_lines(result)) == 5, result.output


def test_one_worker_on_sqlite_and_an_instance_secret_are_fine(check):
    """The embedded default: one machine, one file, the key generated beside it."""
    result = check(
        "--workers", "1", database_url="sqlite:///x.sqlite3", SECRET_KEY_FROM_INSTANCE=True
    )

    assert result.exit_code == 0, result.output
