"""The sandbox's own endpoints: a home page, and /_sandbox to inject faults and inspect state."""

from html import escape

from flask import Blueprint, Response, jsonify, request

from .common import current_store
from .credentials import GOOGLE_ACCESS_TOKEN, SANDBOX_CREDENTIALS
from .faults import FaultSpecError, parse_fault
from .store import KINDS

bp = Blueprint("sandbox", __name__)

CONTROL_ENDPOINTS = (
    ("POST", "/_sandbox/faults", "queue a fault (status, delay, after_effect, times, after...)"),
    ("GET", "/_sandbox/faults", "list pending faults"),
    ("DELETE", "/_sandbox/faults", "drop pending faults"),
    ("GET", "/_sandbox/requests?platform=meta", "the request log"),
    ("DELETE", "/_sandbox/requests", "clear the request log"),
    ("GET", "/_sandbox/objects", "every stored object, per platform and kind"),
    ("POST", "/_sandbox/reset", "forget objects, faults and the log"),
    (
        "POST",
        "/_sandbox/seed",
        'add objects made outside OmniTraffick: {"platform": "meta", "kind": "campaigns", '
        '"names": [...]} (meta: campaigns, adsets; tiktok: campaigns, adgroups)',
    ),
)
SEEDABLE = {"meta": ("campaigns", "adsets"), "tiktok": ("campaigns", "adgroups")}


def _error(message: str, status: int = 400) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


@bp.route("/")
def home():
    """Say what this server is and how to use it."""
    base = request.host_url.rstrip("/")
    platforms = "".join(
        f"<li>{label}: <code>{escape(base)}/{prefix}</code></li>"
        for label, prefix in (
            ("Meta Marketing API v27.0", "meta"),
            ("TikTok API for Business v1.3", "tiktok"),
            ("Google Ads API v26 (REST)", "google"),
        )
    )
    credentials = "".join(
        f"<tr><td>{escape(platform)}</td><td>{escape(key)}</td><td><code>{escape(value)}</code></td></tr>"
        for platform, values in SANDBOX_CREDENTIALS.items()
        for key, value in values.items()
    )
    endpoints = "".join(
        f"<li><code>{method} {escape(path)}</code> — {escape(what)}</li>"
        for method, path, what in CONTROL_ENDPOINTS
    )
    page = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>OmniTraffick platform sandbox</title></head>
<body>
<h1>OmniTraffick platform sandbox</h1>
<p>OmniTraffick platform sandbox — nothing here reaches a real ad platform. It stands in for
the campaign and ad endpoints of three ad platforms and keeps what it is sent in memory only.</p>
<h2>Base URLs</h2>
<ul>{platforms}</ul>
<p>Google's OAuth token endpoint is <code>{escape(base)}/google/token</code>; it hands out
<code>{escape(GOOGLE_ACCESS_TOKEN)}</code>.</p>
<h2>Credentials</h2>
<table><tr><th>Platform</th><th>Setting</th><th>Value</th></tr>{credentials}</table>
<h2>Control endpoints</h2>
<ul>{endpoints}</ul>
</body>
</html>
"""
    return Response(page, mimetype="text/html")


@bp.route("/_sandbox/faults", methods=["POST"])
def add_fault():
    """Queue a fault for the next matching platform request."""
    try:
        fields = parse_fault(request.get_json(silent=True))
    except FaultSpecError as error:
        return _error(str(error))
    fault = current_store().add_fault(fields)
    response = jsonify(fault.to_dict())
    response.status_code = 201
    return response


@bp.route("/_sandbox/faults", methods=["GET"])
def list_faults():
    """List the faults not yet used up."""
    return jsonify({"faults": current_store().pending_faults()})


@bp.route("/_sandbox/faults", methods=["DELETE"])
def clear_faults():
    """Drop every pending fault."""
    current_store().clear_faults()
    return Response(status=204)


@bp.route("/_sandbox/requests", methods=["GET"])
def list_requests():
    """The request log, oldest first, optionally for one platform."""
    platform = request.args.get("platform")
    if platform is not None and platform not in KINDS:
        return _error(f"platform must be one of {', '.join(KINDS)}.")
    return jsonify({"requests": current_store().logged_requests(platform)})


@bp.route("/_sandbox/requests", methods=["DELETE"])
def clear_requests():
    """Empty the request log."""
    current_store().clear_requests()
    return Response(status=204)


@bp.route("/_sandbox/objects", methods=["GET"])
def list_objects():
    """Everything stored, per platform and kind."""
    return jsonify(current_store().snapshot())


@bp.route("/_sandbox/reset", methods=["POST"])
def reset():
    """Forget every object, fault and logged request."""
    current_store().reset()
    return Response(status=204)


@bp.route("/_sandbox/seed", methods=["POST"])
def seed():
    """Add paused objects with the given names, as if someone had made them by hand."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _error('Send a JSON object: {"platform", "kind", "names"}.')
    platform, kind, names = data.get("platform"), data.get("kind"), data.get("names")
    if platform not in SEEDABLE or kind not in SEEDABLE[platform]:
        allowed = "; ".join(f"{p}: {', '.join(k)}" for p, k in SEEDABLE.items())
        return _error(f"platform and kind must be one of {allowed}.")
    if (
        not isinstance(names, list)
        or not names
        or not all(isinstance(n, str) and n.strip() for n in names)
    ):
        return _error("names must be a non-empty list of non-blank strings.")
    store = current_store()
    ids = []
    with store.lock:
        objects = store.kind(platform, kind)
        for name in names:
            new_id = store.new_id(platform)
            objects[new_id] = _seeded(platform, kind, new_id, name)
            ids.append(new_id)
    return jsonify({"ids": ids}), 201


def _seeded(platform: str, kind: str, new_id: str, name: str) -> dict:
    if platform == "meta":
        account = SANDBOX_CREDENTIALS["META"]["ad_account_id"]
        fields = {"id": new_id, "account_id": account, "name": name, "status": "PAUSED"}
        fields["effective_status"] = "PAUSED"
        return fields if kind == "campaigns" else {**fields, "campaign_id": ""}
    advertiser = SANDBOX_CREDENTIALS["TIKTOK"]["advertiser_id"]
    if kind == "campaigns":
        return {
            "campaign_id": new_id,
            "advertiser_id": advertiser,
            "campaign_name": name,
            "operation_status": "DISABLE",
        }
    return {
        "adgroup_id": new_id,
        "advertiser_id": advertiser,
        "campaign_id": "",
        "adgroup_name": name,
        "operation_status": "DISABLE",
    }
