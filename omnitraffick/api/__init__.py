"""The JSON API at /api/v1: token or session auth, JSON bodies, JSON errors."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import openapi, views  # noqa: E402,F401  (registers the routes on bp)
