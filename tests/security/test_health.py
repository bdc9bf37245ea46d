"""/healthz and /readyz for load balancers: public, JSON, honest about what is down."""

import socket
import threading

import pytest

UNREACHABLE_DATABASE = "postgresql+psycopg://root@127.0.0.1:1/none"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def fake_redis():
    """A server that answers as Redis does to a client's handshake and PING; yields its URL."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)

    def answer():
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(5)
            while data := conn.recv(4096):
                command = data.upper()
                if b"HELLO" in command:
                    conn.sendall(b"%1\r\n$5\r\nproto\r\n:3\r\n")
                elif b"PING" in command:
                    conn.sendall(b"+PONG\r\n")
                else:
                    conn.sendall(b"+OK\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()
    thread.join(timeout=5)


def test_healthz_answers_without_a_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_needs_no_database(make_app):
    response = make_app(UNREACHABLE_DATABASE).test_client().get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_200_when_the_database_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok"}}


def test_readyz_is_503_naming_the_database_when_it_is_down(make_app):
    response = make_app(UNREACHABLE_DATABASE).test_client().get("/readyz")

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "down"}
    assert body["detail"] == "Not ready: database cannot be reached."


def test_readyz_checks_redis_when_jobs_go_through_it(make_app, fake_redis):
    response = make_app(REDIS_URL=fake_redis).test_client().get("/readyz")

    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_is_503_naming_redis_when_it_is_down(make_app):
    response = make_app(REDIS_URL=UNREACHABLE_REDIS).test_client().get("/readyz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"] == {"database": "ok", "redis": "down"}
    assert body["detail"] == "Not ready: redis cannot be reached."


def test_readyz_names_everything_that_is_down(make_app):
    app = make_app(UNREACHABLE_DATABASE, REDIS_URL=UNREACHABLE_REDIS)

    body = app.test_client().get("/readyz").get_json()

    assert body["checks"] == {"database": "down", "redis": "down"}
    assert body["detail"] == "Not ready: database, redis cannot be reached."


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_take_no_csrf_token_and_set_no_cookie(client, csrf_on, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
