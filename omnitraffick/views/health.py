"""Health checks for load balancers and orchestrators: public, JSON, no CSRF, no session."""

from flask import Blueprint, current_app, jsonify

from ..errors import RETRY_AFTER_SECONDS
from ..extensions import csrf
from ..services import health

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz():
    """The process is alive and answering; it asks nothing of the database."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready to serve: 200 when every service the app needs answers, else 503 naming them."""
    checks = health.readiness(current_app.config["REDIS_URL"])
    down = sorted(name for name, answers in checks.items() if not answers)
    body = {
        "status": "unavailable" if down else "ready",
        "checks": {name: "ok" if answers else "down" for name, answers in checks.items()},
    }
    if not down:
        return jsonify(body)
    body["detail"] = f"Not ready: {', '.join(down)} cannot be reached."
    response = jsonify(body)
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
