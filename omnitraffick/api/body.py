"""Reading JSON request bodies: the parser behind `Blueprint.arguments` (and Flask's JSON).

Query arguments of lists are read by services/queries.py.
"""

from flask.json.provider import DefaultJSONProvider
from webargs.flaskparser import FlaskParser

from ..services.errors import DomainError, ValidationError


class BadRequest(DomainError):
    """A body that cannot be read at all (a 400, omnitraffick.errors.http_status)."""


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing a document nested too deeply for the parser with a 400.

    The parser recurses per level and raises RecursionError (not the ValueError that
    `get_json` turns into a 400) on a body such as 100,000 `[`; every reader of a JSON body,
    the API's and Flask-WTF's alike, parses through here.
    """

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise BadRequest(
                "The JSON body is nested too deeply to read "
                "(no OmniTraffick request needs more than a few levels)."
            ) from None


class BodyParser(FlaskParser):
    """webargs' parser, reading bodies and refusing them as the API always has.

    Malformed JSON (or no JSON at all) is a 400; JSON that is not an object a 422; a schema's
    messages become one 422 whose detail joins them, with `errors` per field. Both are
    domain errors, answered by omnitraffick.errors like every other error.
    """

    def load_json(self, req, schema):
        if getattr(schema, "body_optional", False) and not req.get_data():
            return {}
        data = req.get_json(silent=True)
        if data is None and req.get_data().strip() != b"null":
            raise BadRequest("The body must be valid JSON (Content-Type: application/json).")
        if not isinstance(data, dict):
            raise ValidationError("The body must be a JSON object.")
        return data

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        (errors,) = error.messages.values()  # webargs files them under their location
        raise ValidationError(" ".join(m for ms in errors.values() for m in ms), errors=errors)
