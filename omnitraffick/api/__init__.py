"""The JSON API at /api/v1: token or session auth, JSON bodies, JSON errors.

Each resource is declared once, in schemas.py: flask-smorest reads requests and writes answers
with those schemas and generates the OpenAPI document from them (spec.py).
"""

import flask_smorest
from flask import Flask

from .body import BodyParser


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint, reading bodies as the API always has (body.BodyParser)."""

    ARGUMENTS_PARSER = BodyParser()


bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import spec, views  # noqa: E402,F401  (registers the routes on bp)
from .spec import document  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Register the API and its document."""
    spec.init_app(app, bp)
