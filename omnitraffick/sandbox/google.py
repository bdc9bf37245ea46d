"""Google Ads API v26 (REST) stand-in: budgets, campaigns and location criteria of one customer.

Fields, enums and error codes follow the official reference:
https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignBudgets/mutate
https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaigns/mutate
https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.campaignCriteria/mutate
https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.googleAds/search
https://developers.google.com/google-ads/api/docs/best-practices/error-types

Budget amounts (CampaignBudgetError,
https://developers.google.com/google-ads/api/reference/rpc/v26/CampaignBudgetErrorEnum.CampaignBudgetError):
an amount must be a multiple of the customer currency's billable unit
(NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT; currency_constant.billable_unit_micros,
https://developers.google.com/google-ads/api/reference/rpc/v26/CurrencyConstant, 10000 for USD),
and at least the campaign's per-day minimum (BUDGET_BELOW_PER_DAY_MINIMUM, explained in
BudgetPerDayMinimumErrorDetails,
https://developers.google.com/google-ads/api/reference/rpc/v26/BudgetPerDayMinimumErrorDetails).
Google publishes no per-day figure, so the sandbox applies one only when the app config sets
GOOGLE_BUDGET_PER_DAY_MINIMUM_MICROS; the customer's currency is GOOGLE_CURRENCY (USD).

Mutates are all-or-nothing: operations are checked in order against the objects as the
earlier operations leave them, every error is reported, and nothing is kept if any fails.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app, jsonify, request

from . import gaql
from .common import current_store, json_object_body, random_token, record_created, utc_now
from .credentials import GOOGLE_ACCESS_TOKEN, SANDBOX_CREDENTIALS
from .faults import Fault
from .locations import GOOGLE_RESTRICTED, google_geo_targets

CREDENTIALS = SANDBOX_CREDENTIALS["GOOGLE"]
API_VERSION = "v26"
FAILURE_TYPE = f"type.googleapis.com/google.ads.googleads.{API_VERSION}.errors.GoogleAdsFailure"

# CampaignBudget.
BUDGET_PERIODS = ("DAILY", "CUSTOM_PERIOD")
DELIVERY_METHODS = ("STANDARD", "ACCELERATED")
BUDGET_UPDATABLE = ("amountMicros", "totalAmountMicros", "name", "deliveryMethod")
# Billable units in micros: one minor unit of the currency (ISO 4217 decimals), which is what
# currency_constant serves for USD (10000); whole-unit and thousandth currencies below.
WHOLE_UNIT_CURRENCIES = frozenset(
    (
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    )
)
THOUSANDTH_CURRENCIES = frozenset(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"))

# Campaign.
CAMPAIGN_STATUSES = ("ENABLED", "PAUSED")
CHANNEL_TYPES = (
    "SEARCH",
    "DISPLAY",
    "SHOPPING",
    "HOTEL",
    "VIDEO",
    "MULTI_CHANNEL",
    "LOCAL",
    "SMART",
    "PERFORMANCE_MAX",
    "LOCAL_SERVICES",
    "TRAVEL",
    "DEMAND_GEN",
)
# The `campaign_bidding_strategy` oneof: exactly one of these objects is set.
BIDDING_STRATEGIES = (
    "manualCpc",
    "manualCpm",
    "manualCpv",
    "targetSpend",
    "maximizeConversions",
    "maximizeConversionValue",
    "targetCpa",
    "targetRoas",
    "targetImpressionShare",
)
EU_POLITICAL_ADVERTISING = (
    "CONTAINS_EU_POLITICAL_ADVERTISING",
    "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING",
)
# Channels that can spend a campaign total budget (a CUSTOM_PERIOD budget).
TOTAL_BUDGET_CHANNELS = ("SEARCH", "SHOPPING", "PERFORMANCE_MAX", "DEMAND_GEN", "VIDEO")
CAMPAIGN_UPDATABLE = ("status", "name", "endDateTime")
CAMPAIGN_FIELDS = (
    "resourceName",
    "id",
    "name",
    "status",
    "advertisingChannelType",
    "campaignBudget",
    "containsEuPoliticalAdvertising",
    "networkSettings",
    "startDateTime",
    "endDateTime",
    *BIDDING_STRATEGIES,
)
DATE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

GEO_TARGET_CONSTANT = re.compile(r"^geoTargetConstants/\d+$")
LANGUAGE_CONSTANT = re.compile(r"^languageConstants/\d+$")

UNAUTHENTICATED_MESSAGE = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

bp = Blueprint("google", __name__)
# The OAuth endpoint is not the Ads API, so injected faults never hit it.
FAULT_EXEMPT_ENDPOINTS = frozenset({"google.token"})


class GoogleAdsError(Exception):
    """An error answered in Google's shape, with a GoogleAdsFailure detail when `errors`."""

    def __init__(
        self,
        http_status: int,
        message: str,
        errors: list[dict] | None = None,
        headers: dict | None = None,
    ):
        super().__init__(message)
        self.http_status = http_status
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def response(self) -> Response:
        status = STATUS_NAMES.get(self.http_status)
        status = status or ("INTERNAL" if self.http_status >= 500 else "FAILED_PRECONDITION")
        error: dict = {"code": self.http_status, "message": self.message, "status": status}
        if self.errors:
            error["details"] = [
                {"@type": FAILURE_TYPE, "errors": self.errors, "requestId": random_token(22)}
            ]
        response = jsonify({"error": error})
        response.status_code = self.http_status
        response.headers.update(self.headers)
        return response


def request_error(errors: list[dict]) -> GoogleAdsError:
    return GoogleAdsError(400, "Request contains an invalid argument.", errors)


class Failure:
    """The errors found in one request; Google reports them all at once."""

    def __init__(self) -> None:
        self.errors: list[dict] = []

    def add(
        self, code: dict, message: str, location: tuple = (), trigger=None, details=None
    ) -> None:
        """Record an error; `location` is a path like ("operations", 0, "create", "name")."""
        error: dict = {"errorCode": code, "message": message}
        if trigger is not None:
            error["trigger"] = {"stringValue": str(trigger)}
        if details is not None:
            error["details"] = details
        elements: list[dict] = []
        for part in location:
            if isinstance(part, int):
                elements[-1]["index"] = part
            else:
                elements.append({"fieldName": part})
        if elements:
            error["location"] = {"fieldPathElements": elements}
        self.errors.append(error)

    def required(self, location: tuple) -> None:
        self.add({"fieldError": "REQUIRED"}, "The required field was not present.", location)

    def raise_if_any(self) -> None:
        if self.errors:
            raise request_error(self.errors)


@bp.errorhandler(GoogleAdsError)
def _google_error(error: GoogleAdsError) -> Response:
    return error.response()


def not_found_response(path: str) -> Response:
    """The answer to a path under /google that is not an endpoint."""
    message = f"The requested URL {path} was not found on this server."
    return GoogleAdsError(404, message).response()


def fault_response(fault: Fault) -> Response:
    """An injected fault as the Google Ads API would send it."""
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    if fault.status == 429:
        delay = fault.retry_after if fault.retry_after is not None else 30
        error = {
            "errorCode": {"quotaError": "RESOURCE_EXHAUSTED"},
            "message": f"Too many requests. Retry in {delay} seconds.",
            "details": {
                "quotaErrorDetails": {
                    "rateScope": "DEVELOPER",
                    "rateName": "Number of operations for basic access",
                    "retryDelay": f"{delay}s",
                }
            },
        }
        message = "Resource has been exhausted (e.g. check quota)."
    elif fault.status >= 500:
        code, message = {
            503: ("TRANSIENT_ERROR", "The service is currently unavailable."),
            504: ("DEADLINE_EXCEEDED", "The request took too long to respond."),
        }.get(fault.status, ("INTERNAL_ERROR", "Internal error encountered."))
        error = {"errorCode": {"internalError": code}, "message": message}
    else:
        message = fault.message or "Request contains an invalid argument."
        error = {"errorCode": {"fieldError": "INVALID_VALUE"}, "message": message}
    return GoogleAdsError(fault.status, message, [error], headers).response()


# OAuth


@bp.route("/token", methods=["POST"])
def token():
    """Exchange the sandbox refresh token for the sandbox access token."""
    params = request.form.to_dict() or json_object_body() or {}
    if params.get("grant_type") != "refresh_token":
        return _oauth_error(
            "unsupported_grant_type", f"Invalid grant_type: {params.get('grant_type')}"
        )
    if (
        params.get("client_id") != CREDENTIALS["client_id"]
        or params.get("client_secret") != CREDENTIALS["client_secret"]
    ):
        return _oauth_error("invalid_client", "Unauthorized")
    if params.get("refresh_token") != CREDENTIALS["refresh_token"]:
        return _oauth_error("invalid_grant", "Bad Request")
    return jsonify(
        {
            "access_token": GOOGLE_ACCESS_TOKEN,
            "expires_in": 3599,
            "scope": "https://www.googleapis.com/auth/adwords",
            "token_type": "Bearer",
        }
    )


def _oauth_error(error: str, description: str) -> Response:
    response = jsonify({"error": error, "error_description": description})
    response.status_code = 400
    return response


# Requests


def _authorize(customer_id: str) -> None:
    if request.headers.get("Authorization") != f"Bearer {GOOGLE_ACCESS_TOKEN}":
        raise GoogleAdsError(401, UNAUTHENTICATED_MESSAGE)
    if request.headers.get("developer-token") != CREDENTIALS["developer_token"]:
        raise GoogleAdsError(
            401,
            "The developer token is not valid.",
            [
                {
                    "errorCode": {"authenticationError": "DEVELOPER_TOKEN_INVALID"},
                    "message": "The developer token is not valid.",
                }
            ],
        )
    if customer_id != CREDENTIALS["customer_id"]:
        raise GoogleAdsError(
            403,
            "The caller does not have permission",
            [
                {
                    "errorCode": {"authorizationError": "USER_PERMISSION_DENIED"},
                    "message": "User doesn't have permission to access customer. Note: If "
                    "you're accessing a client customer, the manager's customer id must be "
                    "set in the 'login-customer-id' header. See "
                    "https://developers.google.com/google-ads/api/docs/concepts/call-structure#cid",
                }
            ],
        )


def _body() -> dict:
    data = json_object_body()
    if data is None:
        failure = Failure()
        failure.add(
            {"fieldError": "INVALID_VALUE"},
            "Invalid JSON payload received: the body must be a JSON object.",
        )
        failure.raise_if_any()
    return data


@bp.route(f"/{API_VERSION}/customers/<customer_id>/googleAds:search", methods=["POST"])
def search(customer_id: str):
    """Run a GAQL query."""
    _authorize(customer_id)
    query = _body().get("query")
    if not isinstance(query, str) or not query.strip():
        failure = Failure()
        failure.required(("query",))
        failure.raise_if_any()
    try:
        parsed = gaql.parse(query)
    except gaql.QueryError as error:
        raise request_error(
            [{"errorCode": {"queryError": error.code}, "message": error.message}]
        ) from None
    store = current_store()
    with store.lock:
        return jsonify(gaql.run(parsed, store.objects["google"]))


# Mutates


@dataclass
class Operation:
    """One entry of `operations`: a create, or an update with its field mask."""

    index: int
    verb: str  # "create" or "update"
    fields: dict
    mask: list[str]

    def at(self, *names) -> tuple:
        """The location of a field of this operation, for an error."""
        return ("operations", self.index, self.verb, *names)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _camel(name: str) -> str:
    return gaql.camel(name.strip())


def _operation(raw: object, index: int, failure: Failure) -> Operation | None:
    if not isinstance(raw, dict):
        failure.add(
            {"fieldError": "INVALID_VALUE"},
            "An operation must be an object.",
            ("operations", index),
        )
        return None
    verbs = [verb for verb in ("create", "update", "remove") if verb in raw]
    if len(verbs) != 1:
        failure.add(
            {"requestError": "OPERATION_REQUIRED"},
            "Each operation must have exactly one of 'create' or 'update'.",
            ("operations", index),
        )
        return None
    (verb,) = verbs
    if verb == "remove":
        failure.add(
            {"mutateError": "MUTATE_NOT_ALLOWED"},
            "The sandbox does not support remove operations.",
            ("operations", index, "remove"),
        )
        return None
    fields = raw[verb]
    if not isinstance(fields, dict):
        failure.add(
            {"fieldError": "INVALID_VALUE"},
            f"'{verb}' must be an object.",
            ("operations", index, verb),
        )
        return None
    mask: list[str] = []
    if verb == "update":
        raw_mask = raw.get("updateMask", raw.get("update_mask"))
        if not isinstance(raw_mask, str) or not raw_mask.strip():
            failure.add(
                {"fieldMaskError": "FIELD_MASK_MISSING"},
                "The field mask must be provided for update operations.",
                ("operations", index, "update_mask"),
            )
            return None
        mask = [_camel(name) for name in raw_mask.split(",") if name.strip()]
    return Operation(index, verb, fields, mask)


def _mutate(customer_id: str, kind: str, create, update) -> Response:
    """Apply a list of operations on one kind of object, all or nothing."""
    _authorize(customer_id)
    body = _body()
    operations = body.get("operations")
    failure = Failure()
    if not isinstance(operations, list) or not operations:
        failure.add(
            {"fieldError": "REQUIRED_NONEMPTY_LIST"},
            "The operations list must not be empty.",
            ("operations",),
        )
        failure.raise_if_any()

    store = current_store()
    with store.lock:
        # Work on copies so that a failing operation leaves the store untouched.
        staged = {name: dict(objects) for name, objects in store.objects["google"].items()}
        results, created = [], []
        for index, raw in enumerate(operations):
            operation = _operation(raw, index, failure)
            if operation is None:
                continue
            handler = create if operation.verb == "create" else update
            if handler is None:
                failure.add(
                    {"mutateError": "MUTATE_NOT_ALLOWED"},
                    f"The sandbox supports only create operations on {kind}.",
                    ("operations", index, operation.verb),
                )
                continue
            resource_name = handler(customer_id, staged, operation, failure)
            results.append({"resourceName": resource_name})
            if operation.verb == "create":
                created.append(resource_name)
        failure.raise_if_any()
        if body.get("validateOnly") is True:
            return jsonify({})
        store.objects["google"] = staged
    for resource_name in created:
        record_created(resource_name)
    return jsonify({"results": results})


@bp.route(f"/{API_VERSION}/customers/<customer_id>/campaignBudgets:mutate", methods=["POST"])
def mutate_campaign_budgets(customer_id: str):
    """Create or update campaign budgets."""
    return _mutate(customer_id, "campaign budgets", _create_budget, _update_budget)


@bp.route(f"/{API_VERSION}/customers/<customer_id>/campaigns:mutate", methods=["POST"])
def mutate_campaigns(customer_id: str):
    """Create or update campaigns."""
    return _mutate(customer_id, "campaigns", _create_campaign, _update_campaign)


@bp.route(f"/{API_VERSION}/customers/<customer_id>/campaignCriteria:mutate", methods=["POST"])
def mutate_campaign_criteria(customer_id: str):
    """Create campaign criteria (locations and languages)."""
    return _mutate(customer_id, "campaign criteria", _create_criterion, None)


# Field checks. Each records its errors in `failure` and returns None when the value is unusable.


def _text(fields: dict, name: str, op: Operation, failure: Failure) -> str | None:
    value = fields.get(name)
    if value is None or value == "":
        failure.required(op.at(_snake(name)))
        return None
    if not isinstance(value, str) or not value.strip():
        failure.add(
            {"fieldError": "INVALID_VALUE"}, "The field's value is invalid.", op.at(_snake(name))
        )
        return None
    return value


def _enum(
    fields: dict,
    name: str,
    allowed: tuple[str, ...],
    op: Operation,
    failure: Failure,
    required: bool = True,
) -> str | None:
    value = fields.get(name)
    if value is None:
        if required:
            failure.required(op.at(_snake(name)))
        return None
    if value not in allowed:
        failure.add(
            {"requestError": "INVALID_ENUM_VALUE"},
            f"The enum value is not permitted: {name} must be one of {', '.join(allowed)}.",
            op.at(_snake(name)),
            trigger=value,
        )
        return None
    return value


def _micros(fields: dict, name: str, op: Operation, failure: Failure) -> str | None:
    """An int64 amount of micros (JSON number or string), above zero, as a string."""
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        failure.add(
            {"fieldError": "INVALID_VALUE"},
            f"{name} must be an integer number of micros.",
            op.at(_snake(name)),
            trigger=value,
        )
        return None
    if value <= 0:
        failure.add({"rangeError": "TOO_LOW"}, "Too low.", op.at(_snake(name)), trigger=value)
        return None
    return str(value)


def _date_time(fields: dict, name: str, op: Operation, failure: Failure) -> datetime | None:
    value = fields.get(name)
    if value is None:
        return None
    try:
        return datetime.strptime(value, DATE_TIME_FORMAT)
    except (TypeError, ValueError):
        failure.add(
            {"dateError": "INVALID_STRING_DATE_TIME_SECONDS"},
            "The string date time's format should be yyyy-mm-dd hh:mm:ss.",
            op.at(_snake(name)),
            trigger=value,
        )
        return None


def _end_after_start(start: datetime | None, end: datetime | None, op, failure) -> None:
    if start is not None and end is not None and end <= start:
        failure.add(
            {"dateError": "DATE_RANGE_MINIMUM_DATE_LATER_THAN_MAXIMUM_DATE"},
            "Date range bounds are not in order: endDateTime must be after startDateTime.",
            op.at("end_date_time"),
        )


def _not_in_the_past(start: datetime | None, op, failure) -> None:
    """A start day before today is refused (DateRangeError.CANNOT_SET_DATE_TO_PAST,
    https://developers.google.com/google-ads/api/reference/rpc/v26/DateRangeErrorEnum.DateRangeError).

    Times are in the customer's time zone, which the sandbox does not model: only a day that
    is over everywhere (before today at UTC-12) counts as past.
    """
    earliest_today = (utc_now() - timedelta(hours=12)).date()
    if start is not None and start.date() < earliest_today:
        failure.add(
            {"dateRangeError": "CANNOT_SET_DATE_TO_PAST"},
            "Cannot set date to past time",
            op.at("start_date_time"),
        )


def _existing(
    objects: dict, resource_name, op: Operation, failure: Failure, field: str
) -> dict | None:
    if resource_name is None or resource_name == "":
        failure.required(op.at(field))
        return None
    obj = objects.get(resource_name) if isinstance(resource_name, str) else None
    if obj is None:
        failure.add(
            {"mutateError": "RESOURCE_NOT_FOUND"},
            "The requested resource was not found.",
            op.at(field),
            trigger=resource_name,
        )
    return obj


def _name_taken(objects: dict, name: str, except_name: str | None = None) -> bool:
    return any(
        obj["name"] == name and resource_name != except_name
        for resource_name, obj in objects.items()
    )


def _check_mask(op: Operation, allowed: tuple[str, ...], known: tuple[str, ...], failure) -> None:
    for name in op.mask:
        if name in allowed:
            continue
        if name in known:
            failure.add(
                {"fieldError": "IMMUTABLE_FIELD"},
                f"The sandbox can update only {', '.join(allowed)}.",
                ("operations", op.index, "update_mask"),
                trigger=name,
            )
        else:
            failure.add(
                {"fieldMaskError": "FIELD_NOT_FOUND"},
                f"The field mask names a field that does not exist: {name}.",
                ("operations", op.index, "update_mask"),
                trigger=name,
            )


def _new_resource_name(customer_id: str, collection: str) -> tuple[str, str]:
    new_id = current_store().new_id("google")
    return new_id, f"customers/{customer_id}/{collection}/{new_id}"


# Campaign budgets


def _currency() -> str:
    return str(current_app.config.get("GOOGLE_CURRENCY", "USD"))


def billable_unit_micros(currency: str) -> int:
    if currency in WHOLE_UNIT_CURRENCIES:
        return 1_000_000
    return 1_000 if currency in THOUSANDTH_CURRENCIES else 10_000


def _check_amounts(amounts: dict, op: Operation, failure: Failure) -> None:
    """Every amount a multiple of the billable unit; a daily one at least the per-day minimum."""
    unit = billable_unit_micros(_currency())
    for key, value in amounts.items():
        if value is not None and int(value) % unit:
            failure.add(
                {"campaignBudgetError": "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"},
                "A money amount was not a multiple of a minimum unit.",
                op.at(_snake(key)),
                trigger=value,
            )
    daily = amounts.get("amountMicros")
    if daily is not None:
        _check_per_day_minimum(int(daily), 1, "amountMicros", op, failure)


def _check_per_day_minimum(amount: int, days: int, key: str, op: Operation, failure) -> None:
    """BUDGET_BELOW_PER_DAY_MINIMUM, with its details, when a per-day minimum is configured."""
    per_day = current_app.config.get("GOOGLE_BUDGET_PER_DAY_MINIMUM_MICROS")
    if per_day is None or amount >= int(per_day) * days:
        return
    total = key == "totalAmountMicros"
    minimum = "minimumBudgetTotalAmountMicros" if total else "minimumBudgetAmountMicros"
    failed = "failedBudgetTotalAmountMicros" if total else "failedBudgetAmountMicros"
    failure.add(
        {"campaignBudgetError": "BUDGET_BELOW_PER_DAY_MINIMUM"},
        "The budget amount must be above this campaign's per-day minimum.",
        op.at(_snake(key)),
        trigger=amount,
        details={
            "budgetPerDayMinimumErrorDetails": {
                "currencyCode": _currency(),
                "budgetPerDayMinimumMicros": str(per_day),
                minimum: str(int(per_day) * days),
                failed: str(amount),
            }
        },
    )


def _create_budget(customer_id: str, staged: dict, op: Operation, failure: Failure) -> str | None:
    budgets = staged["campaign_budgets"]
    fields = op.fields
    errors_before = len(failure.errors)
    name = _text(fields, "name", op, failure)
    if name and _name_taken(budgets, name):
        failure.add(
            {"campaignBudgetError": "DUPLICATE_NAME"},
            "A budget with this name already exists.",
            op.at("name"),
            trigger=name,
        )
    period = _enum(fields, "period", BUDGET_PERIODS, op, failure)
    amounts = {
        key: _micros(fields, key, op, failure) for key in ("amountMicros", "totalAmountMicros")
    }
    if period is not None:
        _check_budget_amounts(period, fields, op, failure)
    _check_amounts(amounts, op, failure)
    delivery = _enum(fields, "deliveryMethod", DELIVERY_METHODS, op, failure, required=False)
    shared = fields.get("explicitlyShared", True)
    if not isinstance(shared, bool):
        failure.add(
            {"fieldError": "INVALID_VALUE"},
            "explicitlyShared must be true or false.",
            op.at("explicitly_shared"),
        )
    if len(failure.errors) > errors_before:
        return None

    budget_id, resource_name = _new_resource_name(customer_id, "campaignBudgets")
    budgets[resource_name] = {
        "resourceName": resource_name,
        "id": budget_id,
        "name": name,
        "status": "ENABLED",
        "period": period,
        **{key: value for key, value in amounts.items() if value is not None},
        "deliveryMethod": delivery or "STANDARD",
        "explicitlyShared": shared,
    }
    return resource_name


def _check_budget_amounts(period: str, fields: dict, op: Operation, failure: Failure) -> None:
    """A DAILY budget has amountMicros only; a CUSTOM_PERIOD budget totalAmountMicros only."""
    if period == "DAILY":
        wanted, unwanted = "amountMicros", "totalAmountMicros"
        code = "TOTAL_BUDGET_AMOUNT_MUST_BE_UNSET_FOR_BUDGET_PERIOD_DAILY"
        message = "Total budget amount must be unset when BudgetPeriod is DAILY."
    else:
        wanted, unwanted = "totalAmountMicros", "amountMicros"
        code = "BUDGET_AMOUNT_MUST_BE_UNSET_FOR_CUSTOM_BUDGET_PERIOD"
        message = "Budget amount must be unset when BudgetPeriod is CUSTOM."
    if fields.get(unwanted) is not None:
        failure.add({"campaignBudgetError": code}, message, op.at(_snake(unwanted)))
    if fields.get(wanted) is None:
        failure.required(op.at(_snake(wanted)))


def _update_budget(customer_id: str, staged: dict, op: Operation, failure: Failure) -> str | None:
    budgets = staged["campaign_budgets"]
    fields = op.fields
    resource_name = fields.get("resourceName")
    budget = _existing(budgets, resource_name, op, failure, "resource_name")
    _check_mask(op, BUDGET_UPDATABLE, ("resourceName", "id", "period", "explicitlyShared"), failure)
    if budget is None:
        return None
    errors_before = len(failure.errors)
    changes: dict = {}
    if "name" in op.mask:
        changes["name"] = _text(fields, "name", op, failure)
        if changes["name"] and _name_taken(budgets, changes["name"], except_name=resource_name):
            failure.add(
                {"campaignBudgetError": "DUPLICATE_NAME"},
                "A budget with this name already exists.",
                op.at("name"),
                trigger=changes["name"],
            )
    if "deliveryMethod" in op.mask:
        changes["deliveryMethod"] = _enum(fields, "deliveryMethod", DELIVERY_METHODS, op, failure)
    for key in ("amountMicros", "totalAmountMicros"):
        if key not in op.mask:
            continue
        changes[key] = _micros(fields, key, op, failure)
        if fields.get(key) is None:
            failure.required(op.at(_snake(key)))
    _check_amounts({k: v for k, v in changes.items() if k.endswith("Micros")}, op, failure)
    if "amountMicros" in changes and budget["period"] == "CUSTOM_PERIOD":
        failure.add(
            {"campaignBudgetError": "BUDGET_AMOUNT_MUST_BE_UNSET_FOR_CUSTOM_BUDGET_PERIOD"},
            "Budget amount must be unset when BudgetPeriod is CUSTOM.",
            op.at("amount_micros"),
        )
    if "totalAmountMicros" in changes and budget["period"] == "DAILY":
        failure.add(
            {"campaignBudgetError": "TOTAL_BUDGET_AMOUNT_MUST_BE_UNSET_FOR_BUDGET_PERIOD_DAILY"},
            "Total budget amount must be unset when BudgetPeriod is DAILY.",
            op.at("total_amount_micros"),
        )
    if len(failure.errors) > errors_before:
        return None
    budgets[resource_name] = {**budget, **changes}
    return resource_name


# Campaigns


def _create_campaign(customer_id: str, staged: dict, op: Operation, failure: Failure) -> str | None:
    campaigns = staged["campaigns"]
    fields = op.fields
    errors_before = len(failure.errors)
    name = _text(fields, "name", op, failure)
    if name and _name_taken(campaigns, name):
        failure.add(
            {"campaignError": "DUPLICATE_CAMPAIGN_NAME"},
            "A campaign with this name already exists.",
            op.at("name"),
            trigger=name,
        )
    status = _enum(fields, "status", CAMPAIGN_STATUSES, op, failure)
    channel = _enum(fields, "advertisingChannelType", CHANNEL_TYPES, op, failure)
    budget = _existing(
        _customer_objects(staged["campaign_budgets"], customer_id),
        fields.get("campaignBudget"),
        op,
        failure,
        "campaign_budget",
    )
    strategy = _bidding_strategy(fields, channel, op, failure)
    eu_political = _enum(
        fields, "containsEuPoliticalAdvertising", EU_POLITICAL_ADVERTISING, op, failure
    )
    network = fields.get("networkSettings")
    if network is not None and not isinstance(network, dict):
        failure.add(
            {"fieldError": "INVALID_VALUE"},
            "networkSettings must be an object.",
            op.at("network_settings"),
        )
    start = _date_time(fields, "startDateTime", op, failure)
    end = _date_time(fields, "endDateTime", op, failure)
    _end_after_start(start, end, op, failure)
    _not_in_the_past(start, op, failure)
    if budget is not None:
        _check_campaign_budget(budget, campaigns, channel, fields, (start, end), op, failure)
    if len(failure.errors) > errors_before:
        return None

    campaign_id, resource_name = _new_resource_name(customer_id, "campaigns")
    campaign = {
        "resourceName": resource_name,
        "id": campaign_id,
        "name": name,
        "status": status,
        "advertisingChannelType": channel,
        "campaignBudget": budget["resourceName"],
        "biddingStrategyType": _snake(strategy).upper(),
        strategy: fields[strategy],
        "containsEuPoliticalAdvertising": eu_political,
    }
    for key in ("networkSettings", "startDateTime", "endDateTime"):
        if fields.get(key) is not None:
            campaign[key] = fields[key]
    campaigns[resource_name] = campaign
    return resource_name


def _customer_objects(objects: dict, customer_id: str) -> dict:
    prefix = f"customers/{customer_id}/"
    return {name: obj for name, obj in objects.items() if name.startswith(prefix)}


def _bidding_strategy(fields: dict, channel: str | None, op: Operation, failure) -> str | None:
    """The one bidding strategy field a campaign sets."""
    strategies = [name for name in BIDDING_STRATEGIES if fields.get(name) is not None]
    if not strategies:
        failure.add(
            {"fieldError": "REQUIRED"},
            f"A bidding strategy is required: set exactly one of {', '.join(BIDDING_STRATEGIES)}.",
            op.at("campaign_bidding_strategy"),
        )
        return None
    first, *others = strategies
    for other in others:
        failure.add(
            {"fieldError": "VALUE_MUST_BE_UNSET"},
            f"Only one bidding strategy can be set, and {first} already is.",
            op.at(_snake(other)),
        )
    if not isinstance(fields[first], dict):
        failure.add(
            {"fieldError": "INVALID_VALUE"}, f"{first} must be an object.", op.at(_snake(first))
        )
    if first == "manualCpm" and channel is not None and channel != "DISPLAY":
        failure.add(
            {"biddingError": "INVALID_ANONYMOUS_BIDDING_STRATEGY_TYPE"},
            "Bidding strategy is not supported or cannot be used as anonymous: manualCpm is "
            "only for DISPLAY campaigns.",
            op.at("manual_cpm"),
        )
    return first


def _check_campaign_budget(
    budget: dict, campaigns: dict, channel, fields, window, op, failure
) -> None:
    """Total budgets suit some channels and need an end; unshared budgets serve one campaign."""
    start, end = window
    if budget["period"] == "CUSTOM_PERIOD":
        if channel is not None and channel not in TOTAL_BUDGET_CHANNELS:
            failure.add(
                {"campaignBudgetError": "INVALID_PERIOD"},
                f"The period of the budget is not allowed: a {channel} campaign cannot use a "
                "total (CUSTOM_PERIOD) budget.",
                op.at("campaign_budget"),
                trigger=budget["resourceName"],
            )
        if fields.get("endDateTime") is None:
            failure.add(
                {"campaignError": "END_DATE_TIME_REQUIRED_FOR_TOTAL_BUDGET"},
                "Campaigns with total budgets must have end date/time specified.",
                op.at("end_date_time"),
            )
        elif start is not None and end is not None:
            # The total covers the per-day minimum on every day from start to end.
            days = max(1, -(-int((end - start).total_seconds()) // 86400))
            total = int(budget["totalAmountMicros"])
            _check_per_day_minimum(total, days, "totalAmountMicros", op, failure)
    in_use = any(c["campaignBudget"] == budget["resourceName"] for c in campaigns.values())
    if not budget["explicitlyShared"] and in_use:
        failure.add(
            {
                "campaignBudgetError": (
                    "CANNOT_USE_IMPLICITLY_SHARED_CAMPAIGN_BUDGET_WITH_MULTIPLE_CAMPAIGNS"
                )
            },
            "This budget is not shared (explicitlyShared is false) and another campaign "
            "already uses it.",
            op.at("campaign_budget"),
            trigger=budget["resourceName"],
        )


def _update_campaign(customer_id: str, staged: dict, op: Operation, failure: Failure) -> str | None:
    campaigns = staged["campaigns"]
    fields = op.fields
    resource_name = fields.get("resourceName")
    campaign = _existing(campaigns, resource_name, op, failure, "resource_name")
    _check_mask(op, CAMPAIGN_UPDATABLE, CAMPAIGN_FIELDS, failure)
    if campaign is None:
        return None
    errors_before = len(failure.errors)
    changes: dict = {}
    if "status" in op.mask:
        changes["status"] = _enum(fields, "status", CAMPAIGN_STATUSES, op, failure)
    if "name" in op.mask:
        changes["name"] = _text(fields, "name", op, failure)
        if changes["name"] and _name_taken(campaigns, changes["name"], except_name=resource_name):
            failure.add(
                {"campaignError": "DUPLICATE_CAMPAIGN_NAME"},
                "A campaign with this name already exists.",
                op.at("name"),
                trigger=changes["name"],
            )
    if "endDateTime" in op.mask:
        end = _date_time(fields, "endDateTime", op, failure)
        if fields.get("endDateTime") is None:
            failure.required(op.at("end_date_time"))
        start = _date_time(campaign, "startDateTime", op, failure)  # stored, so valid
        _end_after_start(start, end, op, failure)
        changes["endDateTime"] = fields.get("endDateTime")
    if len(failure.errors) > errors_before:
        return None
    campaigns[resource_name] = {**campaign, **changes}
    return resource_name


# Campaign criteria


def _create_criterion(
    customer_id: str, staged: dict, op: Operation, failure: Failure
) -> str | None:
    fields = op.fields
    errors_before = len(failure.errors)
    campaign = _existing(
        _customer_objects(staged["campaigns"], customer_id),
        fields.get("campaign"),
        op,
        failure,
        "campaign",
    )
    criterion = _criterion(fields, op, failure)
    negative = fields.get("negative", False)
    if not isinstance(negative, bool):
        failure.add(
            {"fieldError": "INVALID_VALUE"}, "negative must be true or false.", op.at("negative")
        )
    if len(failure.errors) > errors_before:
        return None

    criterion_id = current_store().new_id("google")
    resource_name = f"customers/{customer_id}/campaignCriteria/{campaign['id']}~{criterion_id}"
    staged["campaign_criteria"][resource_name] = {
        "resourceName": resource_name,
        "campaign": campaign["resourceName"],
        "criterionId": criterion_id,
        "status": "ENABLED",
        "negative": negative,
        **criterion,
    }
    return resource_name


def _criterion(fields: dict, op: Operation, failure: Failure) -> dict:
    """The criterion itself: a location (geo target constant) or a language."""
    kinds = {
        "location": (
            "LOCATION",
            "geoTargetConstant",
            GEO_TARGET_CONSTANT,
            "geoTargetConstants/2840",
        ),
        "language": ("LANGUAGE", "languageConstant", LANGUAGE_CONSTANT, "languageConstants/1000"),
    }
    given = [key for key in kinds if fields.get(key) is not None]
    if not given:
        failure.add(
            {"fieldError": "REQUIRED"},
            "A criterion is required: set location.geoTargetConstant.",
            op.at("location"),
        )
        return {}
    key, *others = given
    for other in others:
        failure.add(
            {"fieldError": "VALUE_MUST_BE_UNSET"},
            f"A criterion has one type, and {key} is already set.",
            op.at(other),
        )
    criterion_type, field, pattern, example = kinds[key]
    value = fields[key].get(field) if isinstance(fields[key], dict) else None
    if not isinstance(value, str) or not pattern.match(value):
        failure.add(
            {"fieldError": "INVALID_VALUE"},
            f"{key}.{field} must be a resource name like {example}.",
            op.at(key, _snake(field)),
            trigger=value,
        )
        return {}
    if key == "location" and not _check_location(value, op, failure):
        return {}
    return {"type": criterion_type, key: {field: value}}


def _check_location(resource_name: str, op: Operation, failure: Failure) -> bool:
    """A country the platform knows and may target (CriterionError, as the API reports it:
    https://developers.google.com/google-ads/api/reference/rpc/v26/CriterionErrorEnum.CriterionError).
    """
    country = google_geo_targets().get(int(resource_name.rsplit("/", 1)[1]))
    if country is None:
        failure.add(
            {"criterionError": "INVALID_CRITERION_ID"},
            "The CriterionId does not exist or is of the incorrect type.",
            op.at("location", "geo_target_constant"),
            trigger=resource_name,
        )
        return False
    if country in GOOGLE_RESTRICTED:
        failure.add(
            {"criterionError": "CANNOT_TARGET_CRITERION"},
            "The Criterion is not allowed to be targeted.",
            op.at("location", "geo_target_constant"),
            trigger=resource_name,
        )
        return False
    return True
