"""Security headers on every response, trusting the proxies in front of the app, and a CSRF
token that stays the same all day."""

import hashlib
import os
import time
from functools import lru_cache

from flask import Flask, Response, current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything comes from our own origin: scripts and styles are files in static/ (no inline
# script or style attribute in any template, and none may be added). Pico's icons are
# data: SVGs in its CSS. htmx 4 adds its indicator rules through a constructed stylesheet,
# which style-src does not govern, so no 'unsafe-inline' is needed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
# Browsers honour HSTS only when it arrives over HTTPS; a year, for this host only (the
# app does not know what else runs on sibling subdomains).
HEADERS_SECURE = HEADERS | {"Strict-Transport-Security": "max-age=31536000"}


class _DaySigner(TimestampSigner):
    """Signs with a moment it is given (the start of a UTC day) instead of the current second."""

    def __init__(self, *args, moment: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.moment = moment

    def get_timestamp(self) -> int:
        return self.moment


@lru_cache(maxsize=1024)
def _day_token(secret_key: str | bytes, raw: str, day_start: int) -> str:
    """`raw` signed for the day that starts at `day_start`: made once a day per session and
    process (each board refresh needs it), not signed again for every request."""
    serializer = URLSafeTimedSerializer(
        secret_key, salt="wtf-csrf-token", signer=_DaySigner, signer_kwargs={"moment": day_start}
    )
    return serializer.dumps(raw)


def steady_csrf_token() -> str:
    """The session's CSRF token as Flask-WTF makes it, but signed with the day's timestamp.

    Flask-WTF signs the session's secret with the current second, so a page rendered twice
    never reads the same and an unchanged board poll could never answer 304. Tokens do not
    expire here (WTF_CSRF_TIME_LIMIT is None), so the timestamp only has to be valid, and
    Flask-WTF accepts this one as its own. With a time limit set, its own token is used.
    """
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field not in g and current_app.config.get("WTF_CSRF_TIME_LIMIT") is None:
        if field not in session:
            session[field] = hashlib.sha1(os.urandom(64)).hexdigest()
        secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        setattr(g, field, _day_token(secret, session[field], int(time.time()) // 86400 * 86400))
    return generate_csrf()


def init_app(app: Flask) -> None:
    # In place of Flask-WTF's (a global and a context processor); forms rendered after it in
    # the same request share its token (Flask-WTF keeps it in g).
    app.jinja_env.globals["csrf_token"] = steady_csrf_token
    app.context_processor(lambda: {"csrf_token": steady_csrf_token})
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Without this X-Forwarded-* are ignored: anyone could claim any address or scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def security_headers(response: Response) -> Response:
        # A view's own value of a header wins. (Names are compared as one set: asking the
        # headers for each name in turn costs a raised KeyError per missing one.)
        present = {name.lower() for name, _ in response.headers.items()}
        wanted = HEADERS_SECURE if request.is_secure else HEADERS
        response.headers.extend(
            (name, value) for name, value in wanted.items() if name.lower() not in present
        )
        return response
