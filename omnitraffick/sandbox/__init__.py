"""A local stand-in for the Meta, TikTok and Google Ads campaign APIs.

OmniTraffick can traffic campaigns end to end against it without a real ad account, and
tests can make it fail on purpose (see faults.py). It keeps everything in memory and
imports nothing from the main app but the fake credentials it accepts (omnitraffick.config).
"""

import time
from types import ModuleType

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import run_simple

from . import (
    control,
    google,
    google_adgroups,
    meta,
    meta_ads,  # noqa: F401  (loading it gives meta.bp the ads' edges)
    tiktok,
    tiktok_ads,
)
from .common import current_store, utc_now
from .credentials import GOOGLE_ACCESS_TOKEN, SANDBOX_CREDENTIALS
from .store import Store

__all__ = ["GOOGLE_ACCESS_TOKEN", "SANDBOX_CREDENTIALS", "create_sandbox", "serve"]

# URL prefix -> the module standing in for that platform.
PLATFORMS: dict[str, ModuleType] = {"meta": meta, "tiktok": tiktok, "google": google}


def create_sandbox(config: dict | None = None) -> Flask:
    """A new sandbox app with its own empty store."""
    app = Flask(__name__, static_folder=None)
    app.config.update(config or {})
    app.json.sort_keys = False
    app.extensions["omnitraffick_sandbox"] = Store()
    for prefix, module in PLATFORMS.items():
        app.register_blueprint(module.bp, url_prefix=f"/{prefix}")
    # The ads' endpoints (meta_ads.py serves through meta.bp's edges, loaded above).
    app.register_blueprint(tiktok_ads.bp, url_prefix="/tiktok")
    app.register_blueprint(google_adgroups.bp, url_prefix="/google")
    app.register_blueprint(control.bp)
    app.before_request(_before_platform_request)
    app.after_request(_after_platform_request)
    app.register_error_handler(HTTPException, _http_error)
    return app


def serve(host: str = "127.0.0.1", port: int = 8001) -> None:
    """Run a sandbox until interrupted, one thread per request."""
    run_simple(host, port, create_sandbox(), threaded=True)


def _platform_of(path: str) -> str | None:
    prefix = path.lstrip("/").split("/", 1)[0]
    return prefix if prefix in PLATFORMS else None


def _before_platform_request() -> Response | None:
    """Start timing a platform request and apply a fault queued for it."""
    platform = _platform_of(request.path)
    if platform is None:
        return None
    g.platform = platform
    g.started = time.monotonic()
    module = PLATFORMS[platform]
    if request.endpoint in getattr(module, "FAULT_EXEMPT_ENDPOINTS", ()):
        return None
    fault = current_store().take_fault(platform, request.method, request.path)
    g.fault = fault
    if fault is None or fault.after_effect:
        return None
    if fault.delay:
        time.sleep(fault.delay)
    if fault.status is None:
        return None
    return module.fault_response(fault)


def _after_platform_request(response: Response) -> Response:
    """Finish an "after effect" fault, then log the request and its answer."""
    platform = g.get("platform")
    if platform is None:
        return response
    fault = g.get("fault")
    if fault is not None and fault.after_effect:
        # The request was applied for real; now lose or spoil its answer.
        if fault.delay:
            time.sleep(fault.delay)
        if fault.status is not None:
            response = PLATFORMS[platform].fault_response(fault)
    entry = {
        "time": utc_now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "platform": platform,
        "method": request.method,
        "path": request.path,
        "query": request.query_string.decode("utf-8", "replace"),
        "status": response.status_code,
        "duration_ms": round((time.monotonic() - g.started) * 1000),
    }
    created = g.get("created_ids")
    if created:
        entry["created_id"] = created[0]
        entry["created_ids"] = list(created)
    if fault is not None:
        entry["fault_id"] = fault.id
    current_store().log_request(entry)
    return response


def _http_error(error: HTTPException) -> Response:
    """404s and 405s: in the platform's own shape under its prefix, plain JSON elsewhere."""
    platform = _platform_of(request.path)
    if platform is not None and error.code in (404, 405):
        return PLATFORMS[platform].not_found_response(request.path)
    response = jsonify({"error": error.description})
    response.status_code = error.code or 500
    return response
