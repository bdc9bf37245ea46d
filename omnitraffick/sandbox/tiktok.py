"""TikTok API for Business v1.3 stand-in: campaigns and ad groups of the sandbox advertiser.

TikTok answers HTTP 200 with a `code` in the body (0 is success). Fields and enums follow:
https://business-api.tiktok.com/portal/docs?id=1739318962329602 (campaign create)
https://business-api.tiktok.com/portal/docs?id=1739499616346114 (ad group create)
Minimum budgets ($50 a campaign, $20 an ad group a day), in the advertiser's currency
(app config TIKTOK_CURRENCY, USD by default). TikTok publishes them in USD only
(https://ads.tiktok.com/help/article/budget?lang=en); an advertiser in another currency has
the minimums given in TIKTOK_MINIMUM_BUDGETS ({"JPY": [campaign, ad group]}), none otherwise.
"""

import json
import math
import re
from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app, jsonify, request

from .common import (
    current_store,
    is_number,
    json_object_body,
    random_token,
    record_created,
    utc_now,
)
from .credentials import SANDBOX_CREDENTIALS
from .faults import Fault
from .locations import tiktok_location_ids, tiktok_us_ca_ids

CREDENTIALS = SANDBOX_CREDENTIALS["TIKTOK"]
API = "/open_api/v1.3"

OK = 0
NO_PERMISSION = 40001
INVALID_PARAMETER = 40002
TOO_MANY_REQUESTS = 40100
INVALID_TOKEN = 40105
NOT_FOUND = 40400
SYSTEM_ERROR = 50000

# Campaign create.
OBJECTIVE_TYPES = (
    "APP_PROMOTION",
    "WEB_CONVERSIONS",
    "REACH",
    "TRAFFIC",
    "VIDEO_VIEWS",
    "LEAD_GENERATION",
    "ENGAGEMENT",
    "PRODUCT_SALES",
)
BUDGET_MODES = (
    "BUDGET_MODE_INFINITE",
    "BUDGET_MODE_DAY",
    "BUDGET_MODE_TOTAL",
    "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
)
OPERATION_STATUSES = ("ENABLE", "DISABLE")
STATUS_UPDATES = ("ENABLE", "DISABLE", "DELETE")

# Ad group create.
PLACEMENT_TYPES = ("PLACEMENT_TYPE_AUTOMATIC", "PLACEMENT_TYPE_NORMAL")
SCHEDULE_TYPES = ("SCHEDULE_START_END", "SCHEDULE_FROM_NOW")
OPTIMIZATION_GOALS = (
    "REACH",
    "CLICK",
    "ENGAGED_VIEW",
    "CONVERT",
    "SHOW",
    "VALUE",
    "INSTALL",
    "LEAD_GENERATION",
)
BILLING_EVENTS = ("CPC", "CPM", "CPV", "OCPM")
BID_TYPES = ("BID_TYPE_NO_BID", "BID_TYPE_CUSTOM", "BID_TYPE_MAX_CONVERSION")
PROMOTION_TYPES = ("WEBSITE", "APP_ANDROID", "APP_IOS", "LEAD_GENERATION")
BID_DISPLAY_MODES = ("CPMV", "CPV")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# special_industries on a campaign: taken only when its ad groups target the US or Canada.
SPECIAL_INDUSTRIES = ("HOUSING", "EMPLOYMENT", "CREDIT")
# The platform's own minimums (campaign, ad group per day) per advertiser currency: the
# documented USD ones, and those a test or demo configures for other currencies.
MINIMUM_BUDGETS = {"USD": (50, 20)}
# How far in the past a schedule may start: a request built a moment before it arrived.
START_SLACK = timedelta(minutes=15)
NUMBER = re.compile(r"-?\d+(\.\d+)?")

bp = Blueprint("tiktok", __name__)


class TikTokError(Exception):
    """An error answered in TikTok's envelope; HTTP 200 unless `http_status` says otherwise."""

    def __init__(self, code: int, message: str, http_status: int = 200):
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status

    def response(self) -> Response:
        response = _envelope(self.code, self.message, {})
        response.status_code = self.http_status
        return response


def invalid(message: str) -> TikTokError:
    return TikTokError(INVALID_PARAMETER, message)


def _envelope(code: int, message: str, data: dict) -> Response:
    request_id = utc_now().strftime("%Y%m%d%H%M%S") + random_token(12).upper()
    return jsonify({"code": code, "message": message, "request_id": request_id, "data": data})


def ok(data: dict) -> Response:
    return _envelope(OK, "OK", data)


@bp.errorhandler(TikTokError)
def _tiktok_error(error: TikTokError) -> Response:
    return error.response()


def not_found_response(path: str) -> Response:
    """The answer to a path under /tiktok that is not an endpoint."""
    return TikTokError(NOT_FOUND, f"Not found: {path} is not an API endpoint.", 404).response()


def fault_response(fault: Fault) -> Response:
    """An injected fault as TikTok would send it (a 400 is HTTP 200 with code 40002)."""
    if fault.status == 429:
        error = TikTokError(TOO_MANY_REQUESTS, "Too many requests. Please retry in some time.", 429)
    elif fault.status >= 500:
        error = TikTokError(SYSTEM_ERROR, "System error", fault.status)
    else:
        error = TikTokError(INVALID_PARAMETER, fault.message or "Invalid parameter")
    response = error.response()
    if fault.retry_after is not None:
        response.headers["Retry-After"] = str(fault.retry_after)
    return response


# Requests


def _check_token() -> None:
    if request.headers.get("Access-Token") != CREDENTIALS["access_token"]:
        raise TikTokError(INVALID_TOKEN, "The access token is invalid or has been revoked.")


def _check_advertiser(params: dict) -> dict:
    """Refuse parameters for any advertiser but the sandbox's; return them."""
    advertiser_id = params.get("advertiser_id")
    if advertiser_id is None or advertiser_id == "":
        raise invalid("advertiser_id: Missing data for required field.")
    if str(advertiser_id) != CREDENTIALS["advertiser_id"]:
        raise TikTokError(NO_PERMISSION, f"No permission to operate advertiser {advertiser_id}.")
    return params


def _body() -> dict:
    """The JSON body of a POST, once the token and advertiser are checked."""
    _check_token()
    data = json_object_body()
    if data is None:
        raise invalid("Invalid request body: it must be a JSON object.")
    return _check_advertiser(data)


def _query() -> dict:
    """The query parameters of a GET, once the token and advertiser are checked."""
    _check_token()
    return _check_advertiser(request.args.to_dict())


def _required(data: dict, name: str):
    value = data.get(name)
    if value is None or value == "" or value == []:
        raise invalid(f"{name}: Missing data for required field.")
    return value


def _text(data: dict, name: str) -> str:
    value = _required(data, name)
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"Invalid parameter: {name} must be a non-empty string.")
    return value


def _enum(data: dict, name: str, allowed: tuple[str, ...], required: bool = True) -> str | None:
    if not required and data.get(name) is None:
        return None
    value = _required(data, name)
    if value not in allowed:
        raise invalid(f"Invalid parameter: {name} must be one of [{', '.join(allowed)}].")
    return value


def _positive_number(data: dict, name: str) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, str) and NUMBER.fullmatch(value.strip()):
        value = float(value)
    if not is_number(value) or not math.isfinite(value) or value <= 0:
        raise invalid(f"Invalid parameter: {name} must be a number greater than 0.")
    return float(value)


def _time(data: dict, name: str, required: bool) -> datetime | None:
    if not required and not data.get(name):
        return None
    value = _required(data, name)
    try:
        return datetime.strptime(value, TIME_FORMAT)
    except (TypeError, ValueError):
        raise invalid(
            f"Invalid parameter: {name} must be a time like 2026-12-01 00:00:00."
        ) from None


def _id_list(data: dict, name: str) -> list[str] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise invalid(f"Invalid parameter: {name} must be a list of ids.")
    return [str(item) for item in value]


def _existing_campaign(store, campaign_id) -> dict:
    campaign = store.kind("tiktok", "campaigns").get(str(campaign_id))
    if campaign is None or campaign["operation_status"] == "DELETE":
        raise invalid(f"Invalid parameter: campaign_id {campaign_id} does not exist.")
    return campaign


def _name_taken(store, name: str, except_id: str | None = None) -> bool:
    return any(
        campaign["campaign_name"] == name
        and campaign["operation_status"] != "DELETE"
        and campaign["campaign_id"] != except_id
        for campaign in store.kind("tiktok", "campaigns").values()
    )


NAME_TAKEN = "Campaign name already exists. Please try another one."


def _now() -> str:
    return utc_now().strftime(TIME_FORMAT)


# Campaigns


@bp.route(f"{API}/campaign/create/", methods=["POST"], strict_slashes=False)
def create_campaign():
    """Create a campaign."""
    data = _body()
    name = _text(data, "campaign_name")
    objective = _enum(data, "objective_type", OBJECTIVE_TYPES)
    budget_mode = _enum(data, "budget_mode", BUDGET_MODES)
    budget = _positive_number(data, "budget")
    if budget_mode == "BUDGET_MODE_INFINITE":
        budget = 0.0  # TikTok ignores a budget sent with an unlimited budget mode
    elif budget is None:
        raise invalid(f"budget: Missing data for required field when budget_mode is {budget_mode}.")
    optimize = data.get("budget_optimize_on", False)
    if not isinstance(optimize, bool):
        raise invalid("Invalid parameter: budget_optimize_on must be true or false.")
    status = _enum(data, "operation_status", OPERATION_STATUSES, required=False) or "ENABLE"
    industries = data.get("special_industries") or []
    if not isinstance(industries, list) or any(i not in SPECIAL_INDUSTRIES for i in industries):
        raise invalid(
            "Invalid parameter: special_industries must be a list of "
            f"[{', '.join(SPECIAL_INDUSTRIES)}]."
        )
    currency = current_app.config.get("TIKTOK_CURRENCY", "USD")
    configured = {**MINIMUM_BUDGETS, **current_app.config.get("TIKTOK_MINIMUM_BUDGETS", {})}
    least = configured.get(currency, (0, 0))[0]
    if budget_mode != "BUDGET_MODE_INFINITE" and budget < least:
        raise invalid(
            f"Invalid parameter: budget must be at least {least} {currency} "
            "(the campaign minimum budget)."
        )

    store = current_store()
    with store.lock:
        if _name_taken(store, name):
            raise invalid(NAME_TAKEN)
        campaign_id = store.new_id("tiktok")
        campaign = {
            "campaign_id": campaign_id,
            "advertiser_id": CREDENTIALS["advertiser_id"],
            "campaign_name": name,
            "objective_type": objective,
            "budget_mode": budget_mode,
            "budget": budget,
            "budget_optimize_on": optimize,
            "operation_status": status,
            "special_industries": industries,
            "create_time": _now(),
            "modify_time": _now(),
        }
        store.kind("tiktok", "campaigns")[campaign_id] = campaign
        record_created(campaign_id)
        return ok(dict(campaign))


@bp.route(f"{API}/campaign/update/", methods=["POST"], strict_slashes=False)
def update_campaign():
    """Change a campaign's budget or name."""
    data = _body()
    campaign_id = _required(data, "campaign_id")
    budget = _positive_number(data, "budget")
    name = _text(data, "campaign_name") if "campaign_name" in data else None

    store = current_store()
    with store.lock:
        campaign = _existing_campaign(store, campaign_id)
        if budget is not None and campaign["budget_mode"] == "BUDGET_MODE_INFINITE":
            raise invalid(
                "Invalid parameter: budget cannot be set on a campaign whose budget_mode is "
                "BUDGET_MODE_INFINITE."
            )
        if name is not None and _name_taken(store, name, except_id=campaign["campaign_id"]):
            raise invalid(NAME_TAKEN)
        if budget is not None:
            campaign["budget"] = budget
        if name is not None:
            campaign["campaign_name"] = name
        campaign["modify_time"] = _now()
        return ok(dict(campaign))


@bp.route(f"{API}/campaign/status/update/", methods=["POST"], strict_slashes=False)
def update_campaign_status():
    """Enable, disable or delete campaigns."""
    data = _body()
    campaign_ids = _id_list(data, "campaign_ids")
    if not campaign_ids:
        raise invalid("campaign_ids: Missing data for required field.")
    status = _enum(data, "operation_status", STATUS_UPDATES)

    store = current_store()
    with store.lock:
        campaigns = [_existing_campaign(store, campaign_id) for campaign_id in campaign_ids]
        for campaign in campaigns:
            campaign["operation_status"] = status
            campaign["modify_time"] = _now()
    return ok({"campaign_ids": campaign_ids, "status": status})


@bp.route(f"{API}/campaign/get/", methods=["GET"], strict_slashes=False)
def get_campaigns():
    """List campaigns, filtered by ids or name; deleted ones are left out."""
    params = _query()
    filtering = _filtering(params)
    ids = _id_list(filtering, "campaign_ids")
    name = filtering.get("campaign_name")

    store = current_store()
    with store.lock:
        found = [
            dict(campaign)
            for campaign in store.kind("tiktok", "campaigns").values()
            if campaign["operation_status"] != "DELETE"
            and (ids is None or campaign["campaign_id"] in ids)
            and (name is None or str(name).lower() in campaign["campaign_name"].lower())
        ]
    return ok(_page(found, params))


# Ad groups


@bp.route(f"{API}/adgroup/create/", methods=["POST"], strict_slashes=False)
def create_adgroup():
    """Create an ad group in a campaign."""
    data = _body()
    campaign_id = _required(data, "campaign_id")
    name = _text(data, "adgroup_name")
    placement_type = _enum(data, "placement_type", PLACEMENT_TYPES)
    location_ids = _required(data, "location_ids")
    if not isinstance(location_ids, list) or not all(isinstance(i, str) for i in location_ids):
        raise invalid("Invalid parameter: location_ids must be a list of location id strings.")
    unknown = [i for i in location_ids if i not in tiktok_location_ids()]
    if not location_ids or unknown:
        raise invalid(
            "Invalid parameter: location_ids "
            + (f"{unknown} are not available locations." if unknown else "must not be empty.")
        )
    schedule_type = _enum(data, "schedule_type", SCHEDULE_TYPES)
    start = _time(data, "schedule_start_time", required=True)
    end = _time(data, "schedule_end_time", required=schedule_type == "SCHEDULE_START_END")
    if end is not None and end <= start:
        raise invalid(
            "Invalid parameter: schedule_end_time must be later than schedule_start_time."
        )
    if start < utc_now().replace(tzinfo=None) - START_SLACK:
        raise invalid(
            "Invalid parameter: schedule_start_time cannot be earlier than the current time "
            "(UTC+0)."
        )
    fields = {
        "optimization_goal": _enum(data, "optimization_goal", OPTIMIZATION_GOALS),
        "billing_event": _enum(data, "billing_event", BILLING_EVENTS),
        "bid_type": _enum(data, "bid_type", BID_TYPES),
        "promotion_type": _enum(data, "promotion_type", PROMOTION_TYPES, required=False),
        "operation_status": (
            _enum(data, "operation_status", OPERATION_STATUSES, required=False) or "ENABLE"
        ),
        "bid_display_mode": _enum(data, "bid_display_mode", BID_DISPLAY_MODES, required=False),
        "optimization_event": data.get("optimization_event"),
        "pixel_id": str(data["pixel_id"]) if data.get("pixel_id") else None,
        "budget_mode": _enum(data, "budget_mode", BUDGET_MODES, required=False),
        "budget": _positive_number(data, "budget"),
    }

    store = current_store()
    with store.lock:
        campaign = _existing_campaign(store, campaign_id)
        if campaign["objective_type"] == "WEB_CONVERSIONS" and not fields["pixel_id"]:
            raise invalid(
                "pixel_id: Missing data for required field when the campaign's "
                "objective_type is WEB_CONVERSIONS."
            )
        if campaign.get("special_industries") and not set(location_ids) <= tiktok_us_ca_ids():
            raise invalid(
                "Invalid parameter: special_industries are only available for ads targeting "
                "the US or Canada; location_ids must be within them."
            )
        if campaign["budget_optimize_on"] and fields["budget"] is not None:
            raise invalid(
                "Invalid parameter: the campaign has budget_optimize_on (Campaign Budget "
                "Optimization), so its ad groups cannot have their own budget."
            )
        adgroup_id = store.new_id("tiktok")
        adgroup = {
            "adgroup_id": adgroup_id,
            "advertiser_id": CREDENTIALS["advertiser_id"],
            "campaign_id": campaign["campaign_id"],
            "adgroup_name": name,
            "placement_type": placement_type,
            "location_ids": location_ids,
            "schedule_type": schedule_type,
            "schedule_start_time": start.strftime(TIME_FORMAT),
            "schedule_end_time": end.strftime(TIME_FORMAT) if end else None,
            **fields,
            "create_time": _now(),
            "modify_time": _now(),
        }
        adgroup = {key: value for key, value in adgroup.items() if value is not None}
        store.kind("tiktok", "adgroups")[adgroup_id] = adgroup
        record_created(adgroup_id)
        return ok(dict(adgroup))


@bp.route(f"{API}/adgroup/get/", methods=["GET"], strict_slashes=False)
def get_adgroups():
    """List ad groups, filtered by campaign, ad group ids or name."""
    params = _query()
    filtering = _filtering(params)
    campaign_ids = _id_list(filtering, "campaign_ids")
    adgroup_ids = _id_list(filtering, "adgroup_ids")
    name = filtering.get("adgroup_name")

    store = current_store()
    with store.lock:
        found = [
            dict(adgroup)
            for adgroup in store.kind("tiktok", "adgroups").values()
            if (campaign_ids is None or adgroup["campaign_id"] in campaign_ids)
            and (adgroup_ids is None or adgroup["adgroup_id"] in adgroup_ids)
            and (name is None or str(name).lower() in adgroup["adgroup_name"].lower())
        ]
    return ok(_page(found, params))


# Lists


def _filtering(params: dict) -> dict:
    raw = params.get("filtering")
    if not raw:
        return {}
    try:
        filtering = json.loads(raw)
    except ValueError:
        filtering = None
    if not isinstance(filtering, dict):
        raise invalid("Invalid parameter: filtering must be a JSON object.")
    return filtering


def _page(items: list[dict], params: dict) -> dict:
    """One page of a list, with TikTok's page_info."""
    page = _page_number(params, "page", 1, maximum=None)
    page_size = _page_number(params, "page_size", 10, maximum=1000)
    start = (page - 1) * page_size
    return {
        "list": items[start : start + page_size],
        "page_info": {
            "page": page,
            "page_size": page_size,
            "total_number": len(items),
            "total_page": math.ceil(len(items) / page_size),
        },
    }


def _page_number(params: dict, name: str, default: int, maximum: int | None) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not str(raw).isdigit() or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
        limit = f" and at most {maximum}" if maximum else ""
        raise invalid(f"Invalid parameter: {name} must be a whole number, at least 1{limit}.")
    return int(raw)
