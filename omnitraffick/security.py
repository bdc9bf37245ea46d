"""Security headers on every response, and trusting the proxies in front of the app."""

from flask import Flask, Response, request
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
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def init_app(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Without this X-Forwarded-* are ignored: anyone could claim any address or scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        return response
