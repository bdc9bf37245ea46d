"""The shared machinery of the platform translators.

A translator turns one ticket — handed over as a plain `TranslationInput`, never read from the
database here — into the exact requests a platform's API expects, or into a `TranslationError`
that lists every problem found, not only the first one.

Placeholders. Some values are not known when a ticket is translated: the ad account a channel
is configured with, or the id of an object that an earlier request of the same translation
creates. Such values appear in paths and bodies as `{name}` placeholders, for example
`{ad_account_id}` or `{campaign_id}`. The sender fills them in with `PlatformRequest.filled`:
account placeholders from the channel's configuration, the others from the responses of the
earlier requests (`PlatformRequest.returns` names the placeholder a response fills and
`PlatformRequest.response_path` says where in the response JSON the value is).
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from ...models import RequestType
from .. import creative_specs
from ..currencies import minor_units
from ..errors import ValidationError
from ..settings import (
    FIELDS,
    LABELS,
    BudgetType,
    DeliveryStatus,
    Objective,
    SpecialCategory,
    missing_settings,
)
from ..timezones import Window, flight_window, next_minute

# The one place the platforms' API versions are pinned (checked against the official
# changelogs on 2026-11-26):
# - Meta Marketing API v27.0, released 2026-11-04; v24.0 expired on 2026-11-10.
#   https://developers.facebook.com/documentation/ads-commerce/marketing-api/marketing-api-changelog/versions
# - TikTok API for Business v1.3, the version in every current reference path.
#   https://business-api.tiktok.com/portal/docs?id=1739318962329602
# - Google Ads API v26, released 2026-10-14; v22 was sunset on 2026-10-07.
#   https://developers.google.com/google-ads/api/docs/release-notes
API_VERSIONS: dict[str, str] = {"META": "v27.0", "TIKTOK": "v1.3", "GOOGLE": "v26"}
API_HOSTS: dict[str, str] = {
    "META": "https://graph.facebook.com",
    "TIKTOK": "https://business-api.tiktok.com",
    "GOOGLE": "https://googleads.googleapis.com",
}

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_FIELD_BY_LABEL = {label: name for name, label in LABELS.items()}


# --- the output -----------------------------------------------------------------------------


class FileRef(str):
    """A body field that is a creative's file: its bytes are never in the request itself.

    It reads as what it stands for, `<bytes of hero.jpg, base64>`, wherever the request is
    shown (the ticket page, the API, golden tests), and the client puts the real value in at
    send time from the creative storage (services/storage.py), by `key`:
    - "base64": the file's bytes, base64-encoded, as a JSON string;
    - "part": the file itself, as a part of a multipart/form-data body;
    - "md5": the hex MD5 digest of the file's bytes (an upload's signature).
    """

    ENCODINGS = {"base64": "base64", "part": "file", "md5": "MD5"}

    key: str
    filename: str
    encoding: str

    def __new__(cls, key: str, filename: str, encoding: str) -> FileRef:
        if encoding not in cls.ENCODINGS:
            raise ValueError(f"Unknown file encoding {encoding!r}.")
        shown = f"<{'MD5 of' if encoding == 'md5' else 'bytes of'} {filename}"
        text = f"{shown}, {cls.ENCODINGS[encoding]}>" if encoding != "md5" else f"{shown}>"
        ref = super().__new__(cls, text)
        ref.key, ref.filename, ref.encoding = key, filename, encoding
        return ref

    def __reduce__(self):
        return (FileRef, (self.key, self.filename, self.encoding))


@dataclass(frozen=True)
class PlatformRequest:
    """One HTTP request to a platform's API; `path` includes the API version."""

    method: str
    path: str
    body: dict[str, Any]
    description: str
    # The placeholder this request's response fills for the requests after it, if any.
    returns: str | None = None
    # Where that value is in the response JSON: keys and list indexes, outermost first.
    response_path: tuple[str | int, ...] = ()
    # Query parameters (what a GET sends instead of a body).
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The placeholder names used in the path, body and parameters, in order of first use."""
        found: dict[str, None] = {}
        for text in _strings((self.path, self.body, self.params)):
            found.update(dict.fromkeys(PLACEHOLDER.findall(text)))
        return tuple(found)

    @property
    def multipart(self) -> bool:
        """Whether the body goes as multipart/form-data: it carries a file as a part."""
        return any(ref.encoding == "part" for ref in file_refs(self.body))

    @property
    def reads(self) -> bool:
        """A request that makes nothing: what it returns is read, not created."""
        return self.method == "GET"

    def filled(self, values: Mapping[str, str]) -> PlatformRequest:
        """A copy with the placeholders named in `values` replaced; others stay as they are."""
        return PlatformRequest(
            self.method,
            _fill(self.path, values),
            _fill(self.body, values),
            self.description,
            self.returns,
            self.response_path,
            _fill(dict(self.params), values),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "params": dict(self.params),
            "body": self.body,
            "multipart": self.multipart,
            "description": self.description,
            "returns": self.returns,
            "response_path": list(self.response_path),
        }


def file_refs(value: Any):
    """Every FileRef in a request body, in order."""
    if isinstance(value, FileRef):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from file_refs(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from file_refs(item)


@dataclass(frozen=True)
class Translation:
    """The requests one ticket becomes, to be sent in order."""

    channel_code: str
    request_type: RequestType
    api_version: str
    host: str
    requests: tuple[PlatformRequest, ...]
    # For CREATE_CAMPAIGN: the placeholder whose value is the platform id of the created
    # campaign, to keep as the ticket's external_platform_id. None for updates.
    platform_id_from: str | None
    # The official reference pages the requests follow.
    docs: tuple[str, ...] = ()
    # What a reader of the requests should know that they do not show, e.g. that the start
    # time is worked out again when the ticket is sent.
    notes: tuple[str, ...] = ()

    @property
    def placeholders(self) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for request in self.requests:
            found.update(dict.fromkeys(request.placeholders))
        return tuple(found)

    @property
    def account_placeholders(self) -> tuple[str, ...]:
        """Placeholders no request returns: they come from the channel's configuration."""
        returned = {r.returns for r in self.requests}
        return tuple(p for p in self.placeholders if p not in returned)

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel_code,
            "request_type": self.request_type.value,
            "api_version": self.api_version,
            "host": self.host,
            "requests": [r.to_dict() for r in self.requests],
            "platform_id_from": self.platform_id_from,
            "account_placeholders": list(self.account_placeholders),
            "docs": list(self.docs),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Lookup:
    """How to ask a platform whether the object a create request makes already exists.

    A send checks before every create, so that a retry after a lost answer (or a second
    send of the same ticket) finds the object instead of making it twice.
    """

    method: str
    path: str
    params: dict[str, str]
    body: dict[str, Any] | None
    # The existing object's value for the create request's `returns`, from the lookup's
    # response JSON; None when there is no such object.
    pick: Callable[[Any], str | None]
    what: str  # e.g. "campaign", for messages


@dataclass(frozen=True)
class BudgetCheck:
    """A read of the account's own minimum budget, made before a send sets a budget.

    The platform's figure for this account (in its currency) is what counts when it judges the
    budget; `judge` turns the answer into the reason to stop, or None when the budget is enough.
    """

    method: str
    path: str
    params: dict[str, str]
    judge: Callable[[Any], str | None]
    description: str

    def filled(self, values: Mapping[str, str]) -> BudgetCheck:
        return BudgetCheck(
            self.method, _fill(self.path, values), self.params, self.judge, self.description
        )


def dig(data: Any, path: Sequence[str | int]) -> Any:
    """The value at `path` (keys and list indexes) in decoded JSON; None when absent."""
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def named(rows_path: Sequence[str | int], name_key: str, id_path: Sequence[str | int], name: str):
    """A `Lookup.pick` that finds the row called exactly `name` in a list of rows."""

    def pick(data: Any) -> str | None:
        for row in dig(data, rows_path) or ():
            if isinstance(row, Mapping) and row.get(name_key) == name:
                value = dig(row, id_path)
                return None if value is None else str(value)
        return None

    return pick


class TranslationError(ValidationError):
    """A ticket that cannot become a platform request; `problems` lists every reason.

    `misfits` names, for each problem that is about an ad's creatives not fitting it, the
    ad's position and those creatives' file names (QA's creative rule says the same and more).
    """

    def __init__(
        self,
        platform: str,
        problems: Sequence[str],
        errors: dict | None = None,
        misfits: Mapping[str, tuple[int, tuple[str, ...]]] | None = None,
    ):
        self.platform = platform
        self.problems = tuple(problems)
        self.misfits = dict(misfits or {})
        message = f"This ticket cannot become a {platform} request: " + " ".join(self.problems)
        super().__init__(message, errors=errors or {"payload_config": list(self.problems)})


# --- the input ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdFile:
    """A library creative an ad uses, as plain data: the sender reads its bytes from the
    creative storage by `key` when it uploads it."""

    key: str  # Creative.stored_key
    filename: str  # as uploaded, e.g. "moana-story.mp4"
    kind: str  # "image" or "video"
    mime_type: str
    width: int
    height: int
    size_bytes: int
    duration_seconds: Decimal | None = None


@dataclass(frozen=True)
class AdInput:
    """One ad of a CREATE_CAMPAIGN ticket, as plain data (see models.TicketAd)."""

    position: int  # 1, 2, ...: the ad's placeholders are ad{position}_...
    # The ad's name from the ad naming convention; None, with why, when it cannot be made.
    name: str | None
    name_problem: str | None
    placements: tuple[str, ...]  # creative_specs placement keys
    files: tuple[AdFile, ...]
    primary_text: str = ""
    headlines: tuple[str, ...] = ()
    long_headline: str = ""
    descriptions: tuple[str, ...] = ()
    business_name: str = ""
    call_to_action: str = ""
    # With the UTM parameters, as services/utm.py builds them: what is sent.
    landing_url: str = ""


@dataclass(frozen=True)
class TranslationInput:
    """Everything a translator needs to know about a ticket, as plain data."""

    # The name the platform object gets (the campaign's name with the channel code); None
    # when the ticket's campaign has no valid taxonomy name.
    platform_name: str | None
    request_type: RequestType
    # The ticket's standard settings (payload_config): see services/settings.py.
    settings: Mapping[str, Any]
    # ISO 4217 code of the market's currency; budget amounts are in this currency.
    currency: str
    # ISO 3166-1 alpha-2 code of the market's country; None when it cannot be worked out.
    country: str | None
    # For UPDATE_*: the platform id of the campaign an earlier, trafficked CREATE_CAMPAIGN
    # ticket of the same campaign and channel created; None when there is none.
    created_object_id: str | None = None
    # The market's IANA time zone: the flight runs from 00:00 on its first day to 23:59:59
    # on its last, there.
    time_zone: str = "UTC"
    # When the requests are built (the app clock, services/clock.py). A flight that started
    # before it starts at the next whole minute instead; one that ended cannot be created.
    # None: the flight's own instants are used as they are.
    now: datetime | None = None
    # The ad set / ad group name, from its own naming convention (None: the platform name),
    # and why it could not be made when it could not.
    adset_name: str | None = None
    adset_problem: str | None = None
    # The landing URL with its UTM parameters as services/utm.py builds them: what is sent.
    # None: the settings' own (no platform name, or a URL the builder cannot read).
    landing_url: str | None = None
    # CREATE_CAMPAIGN only: the ads to make under the ad set / ad group, in order.
    ads: tuple[AdInput, ...] = ()


# --- the parsed ticket ----------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    type: BudgetType
    amount: Decimal  # in the market currency's units, e.g. Decimal("1500.50") USD
    currency: str


@dataclass(frozen=True)
class Flight:
    """The instants a new campaign runs between, aware datetimes in the market's zone."""

    start: datetime  # local midnight of the first day, or the send time when that passed
    end: datetime | None  # 23:59:59 local on the last day
    moved: bool = False  # the start was in the past and is now the send time

    @property
    def first_day(self) -> date:
        """The local date delivery starts on (platforms that take whole days use it)."""
        return self.start.date()


@dataclass(frozen=True)
class Compliance:
    """The special ad categories a campaign declares and the countries they apply to."""

    categories: tuple[SpecialCategory, ...] = ()
    # Where the declaration applies (ISO alpha-2); the market's country when not listed.
    countries: tuple[str, ...] = ()
    countries_listed: bool = False  # whether the ticket listed them itself

    def declares(self, category: SpecialCategory) -> bool:
        return category in self.categories


@dataclass(frozen=True)
class NewCampaign:
    name: str
    objective: Objective
    budget: Budget
    flight: Flight
    landing_url: str
    status: DeliveryStatus
    country: str
    compliance: Compliance = field(default_factory=Compliance)
    adset_name: str = ""  # the ad set / ad group's name (its own naming convention)


@dataclass(frozen=True)
class BudgetChange:
    platform_id: str
    budget: Budget


@dataclass(frozen=True)
class StatusChange:
    platform_id: str
    status: DeliveryStatus


@dataclass
class Parsed:
    """What could be read from a ticket; a value is None when it is missing or invalid.

    Platform checks look at it even when some values are missing, so that every problem is
    found in one go. `change()` is only called once no problem was found.
    """

    request_type: RequestType
    name: str | None = None
    objective: Objective | None = None
    budget_type: BudgetType | None = None
    amount: Decimal | None = None
    currency: str = ""
    start: date | None = None
    end: date | None = None
    landing_url: str | None = None
    status: DeliveryStatus | None = None
    country: str | None = None
    platform_id: str | None = None
    flight: Flight | None = None
    compliance: Compliance = field(default_factory=Compliance)
    adset_name: str | None = None

    @property
    def budget(self) -> Budget | None:
        if self.budget_type is None or self.amount is None:
            return None
        return Budget(self.budget_type, self.amount, self.currency)

    def change(self) -> NewCampaign | BudgetChange | StatusChange:
        if self.request_type is RequestType.CREATE_CAMPAIGN:
            assert self.name and self.objective and self.budget and self.flight
            assert self.landing_url and self.status and self.country
            return NewCampaign(
                self.name,
                self.objective,
                self.budget,
                self.flight,
                self.landing_url,
                self.status,
                self.country,
                self.compliance,
                self.adset_name or self.name,
            )
        assert self.platform_id
        if self.request_type is RequestType.UPDATE_BUDGET:
            assert self.budget
            return BudgetChange(self.platform_id, self.budget)
        assert self.status
        return StatusChange(self.platform_id, self.status)


@dataclass
class Problems:
    """Problems found so far, each with the setting at fault when there is one."""

    items: list[tuple[str | None, str]] = field(default_factory=list)
    misfits: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)

    def add(self, message: str, setting: str | None = None) -> None:
        self.items.append((setting, message))

    def add_ad(self, position: int, problem: str | Misfit) -> None:
        """One of ad `position`'s problems, as "Ad n: ..."."""
        text = problem.text if isinstance(problem, Misfit) else problem
        message = f"Ad {position}: {text}"
        self.add(message)
        if isinstance(problem, Misfit):
            self.misfits[message] = (position, problem.files)

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self, platform: str) -> TranslationError:
        errors: dict[str, list[str]] = {}
        for setting, message in self.items:
            errors.setdefault(setting or "payload_config", []).append(message)
        messages = [message for _, message in self.items]
        return TranslationError(platform, messages, errors, self.misfits)


@dataclass(frozen=True)
class Misfit:
    """An ad's problem that is about some of its creatives not fitting it (their file names)."""

    files: tuple[str, ...]
    text: str


def parse(data: TranslationInput, platform: str, problems: Problems) -> Parsed:
    """Read the settings the ticket's request type uses, noting every problem on the way."""
    request_type = data.request_type
    # Only the settings this request type uses; a blank value counts as a missing one.
    settings = {
        name: data.settings[name]
        for name in FIELDS[request_type]
        if not _blank(data.settings.get(name))
    }
    parsed = Parsed(request_type, currency=data.currency)
    if request_type is RequestType.CREATE_CAMPAIGN and not data.platform_name:
        problems.add("The ticket has no platform name: its campaign name is not a taxonomy name.")

    for label in missing_settings(request_type, settings):
        setting = _FIELD_BY_LABEL[label]
        if setting == "initial_status":
            continue  # new objects are created paused unless the ticket says otherwise
        if setting == "flight_end":
            problems.add("A lifetime budget needs a flight end date.", setting)
        else:
            problems.add(f"{label} is required.", setting)

    parsed.objective = _choice(settings, "objective", Objective, problems)
    parsed.budget_type = _choice(settings, "budget_type", BudgetType, problems)
    parsed.amount = _amount(settings, data.currency, problems)
    parsed.start = _date(settings, "flight_start", problems)
    parsed.end = _date(settings, "flight_end", problems)
    if backwards := flight_order_problem(parsed.start, parsed.end):
        problems.add(backwards, "flight_end")
    if "landing_url" in settings:
        parsed.landing_url = data.landing_url or str(settings["landing_url"]).strip()

    if request_type is RequestType.CREATE_CAMPAIGN:
        parsed.name = data.platform_name
        parsed.adset_name = data.adset_name or data.platform_name
        if data.adset_problem:
            problems.add(f"The ad set / ad group name cannot be made: {data.adset_problem}")
        parsed.status = _choice(settings, "initial_status", DeliveryStatus, problems)
        if "initial_status" not in settings:
            parsed.status = DeliveryStatus.PAUSED
        parsed.country = data.country
        if not data.country:
            problems.add(
                "The market's country could not be matched to an ISO 3166 country code, "
                "so the campaign cannot be targeted."
            )
        parsed.flight = _flight(parsed, data, problems)
        parsed.compliance = _compliance(settings, data.country, problems)
    else:
        parsed.status = _choice(settings, "target_status", DeliveryStatus, problems)
        parsed.platform_id = (data.created_object_id or "").strip() or None
        if parsed.platform_id is None:
            problems.add(
                f"There is no {platform} campaign to update yet: no CREATE_CAMPAIGN ticket of "
                "this campaign and channel has been trafficked."
            )
    return parsed


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str | list) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def _flight(parsed: Parsed, data: TranslationInput, problems: Problems) -> Flight | None:
    if parsed.start is None or flight_order_problem(parsed.start, parsed.end):
        return None
    window = flight_window(parsed.start, parsed.end, data.time_zone)
    if data.now is None:
        return Flight(window.start, window.end)
    if over := flight_over_problem(window, data.now):
        problems.add(over, "flight_end")
        return None
    start = next_minute(window.started_by(data.now))
    return Flight(start, window.end, moved=start != window.start)


def _compliance(settings: Mapping[str, Any], country: str | None, problems: Problems):
    categories = []
    for value in settings.get("special_ad_categories") or ():
        try:
            categories.append(SpecialCategory(str(value).strip().upper()))
        except ValueError:
            choices = ", ".join(c.value for c in SpecialCategory)
            problems.add(
                f"Special ad category {value!r} is not one of {choices}.", "special_ad_categories"
            )
    listed = tuple(
        str(c).strip().upper() for c in settings.get("special_ad_category_countries") or ()
    )
    countries = listed or ((country,) if country and categories else ())
    return Compliance(tuple(categories), countries, bool(listed))


def _choice(settings: Mapping[str, Any], name: str, enum_cls: Any, problems: Problems) -> Any:
    value = settings.get(name)
    if value is None:
        return None
    try:
        return enum_cls(str(value).strip().upper())
    except ValueError:
        choices = ", ".join(member.value for member in enum_cls)
        problems.add(f"{LABELS[name]} {value!r} is not one of {choices}.", name)
        return None


def _amount(settings: Mapping[str, Any], currency: str, problems: Problems) -> Decimal | None:
    value = settings.get("budget_amount")
    if value is None:
        return None
    amount, problem = read_amount(value, currency)
    if problem:
        problems.add(problem, "budget_amount")
    return amount


# The checks of single settings that pre-flight QA reports under rules of their own; QA
# calls these rather than repeating them, and leaves their messages out of the platform's.


def read_amount(value: Any, currency: str) -> tuple[Decimal | None, str | None]:
    """A budget amount as a positive number with the currency's decimals, or why not."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None, f"Budget amount {value!r} is not a number."
    if not amount.is_finite() or amount <= 0:
        return None, "Budget amount must be greater than zero."
    digits = minor_units(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        return None, f"Budget amount {amount} has more decimals than {currency} has ({digits})."
    return amount, None


def flight_order_problem(start: date | None, end: date | None) -> str | None:
    if start and end and end < start:
        return f"The flight ends ({end}) before it starts ({start})."
    return None


def flight_over_problem(window: Window, now: datetime) -> str | None:
    """Why a campaign cannot be created for a flight that ended before `now`, or None."""
    if window.has_ended(now):
        end = window.end.strftime("%Y-%m-%d %H:%M:%S %Z") if window.end else ""
        return (
            f"The flight ended at {end}; a campaign cannot be created for a flight that is "
            "over. Move the flight end (and start) to dates to come."
        )
    return None


def start_note(flight_moved: bool) -> str:
    """The preview's note on time-dependent fields."""
    if flight_moved:
        return (
            "The flight's start has passed: the start time shown is now, and it is worked out "
            "again when the ticket is sent."
        )
    return (
        "The start time is worked out again when the ticket is sent: if the flight has "
        "started by then, it starts at the time of sending."
    )


def _date(settings: Mapping[str, Any], name: str, problems: Problems) -> date | None:
    value = settings.get(name)
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        problems.add(f"{LABELS[name]} {value!r} is not a date like 2026-03-31.", name)
        return None


def number(amount: Decimal) -> int | float:
    """A JSON number for an amount in currency units: 150000 stays whole, 1500.50 is 1500.5."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def hard_text_problems(ad: AdInput, placements) -> list[str]:
    """Every text of an ad longer than a placement's hard limit (the platform refuses it)."""
    texts: list[tuple[str, str]] = [
        ("primary_text", ad.primary_text),
        ("long_headline", ad.long_headline),
        ("business_name", ad.business_name),
    ]
    texts += [("headline", text) for text in ad.headlines]
    texts += [("description", text) for text in ad.descriptions]
    problems = []
    for placement in placements:
        hard = {name for name, limit in placement.text.items() if limit.hard}
        for name, text in texts:
            if name in hard:
                problems += creative_specs.check_text(placement, {name: text})
    return problems


def single_file(ad: AdInput, platform: str) -> tuple[AdFile | None, str | None]:
    """The one image or video of an ad that takes one, or why there is none."""
    if not ad.files:
        return None, "it has no creative: attach an image or a video."
    if len(ad.files) > 1:
        names = ", ".join(f.filename for f in ad.files)
        return None, f"a {platform} ad takes one image or video; this one has {names}."
    (file,) = ad.files
    return file, None


def _strings(value: Any):
    if isinstance(value, FileRef):
        return  # a file name is not a placeholder
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, FileRef):
        return value
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), value)
    if isinstance(value, Mapping):
        return {key: _fill(item, values) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_fill(item, values) for item in value]
    return value


# --- the translators ------------------------------------------------------------------------


class PlatformTranslator(abc.ABC):
    """Turns a ticket into one platform's requests, through explicit mapping tables.

    `translate` reads the standard settings, runs the platform's own checks on whatever could
    be read (so every problem is reported together) and only then builds the requests.
    """

    channel_code: ClassVar[str]  # the Channel.api_identifier this translator serves
    platform: ClassVar[str]  # the platform's name, for messages
    docs: ClassVar[tuple[str, ...]]  # the official reference pages the requests follow
    ad_docs: ClassVar[tuple[str, ...]] = ()  # and those of the ads' requests, when there are
    # Every standard objective the platform takes, mapped to what it becomes there.
    objectives: ClassVar[Mapping[Objective, Any]]
    # Why each objective it does not take is refused.
    unsupported: ClassVar[Mapping[Objective, str]] = {}
    # The placeholder a CREATE_CAMPAIGN translation fills with the created campaign's id.
    campaign_placeholder: ClassVar[str] = "campaign_id"
    # The longest campaign / ad set name the platform takes (None: no documented limit).
    name_limit: ClassVar[int | None] = None

    # The longest ad name the platform takes (None: no documented limit).
    ad_name_limit: ClassVar[int | None] = None

    @property
    def api_version(self) -> str:
        return API_VERSIONS[self.channel_code]

    def translate(self, data: TranslationInput) -> Translation:
        """The requests for this ticket, or a TranslationError listing every problem."""
        problems = Problems()
        parsed = parse(data, self.platform, problems)
        if parsed.objective is not None and parsed.objective not in self.objectives:
            self._refuse_objective(parsed.objective, problems)
        self.check(parsed, problems)
        self._check_name_lengths(parsed, problems)
        ads = data.ads if data.request_type is RequestType.CREATE_CAMPAIGN else ()
        for ad in ads:
            for problem in self._ad_problems(ad, parsed):
                problems.add_ad(ad.position, problem)
        if problems:
            raise problems.error(self.platform)
        change = parsed.change()
        notes: tuple[str, ...] = ()
        if isinstance(change, NewCampaign):
            requests = self.create_campaign(change)
            if ads:
                requests += self.create_ads(change, ads)
            platform_id_from = self.campaign_placeholder
            notes = (start_note(change.flight.moved), *self.notes(change))
        elif isinstance(change, BudgetChange):
            requests, platform_id_from = self.update_budget(change), None
        else:
            requests, platform_id_from = self.update_status(change), None
        return Translation(
            self.channel_code,
            data.request_type,
            self.api_version,
            API_HOSTS[self.channel_code],
            tuple(requests),
            platform_id_from,
            self.docs + (self.ad_docs if ads else ()),
            notes,
        )

    def _check_name_lengths(self, parsed: Parsed, problems: Problems) -> None:
        limit = self.name_limit
        for noun, name in (("campaign", parsed.name), ("ad set / ad group", parsed.adset_name)):
            if limit is not None and name and len(name) > limit:
                problems.add(
                    f"The {noun} name is {len(name)} characters; {self.platform} takes at "
                    f"most {limit}."
                )
                break

    # --- ads ----------------------------------------------------------------------------

    def _ad_problems(self, ad: AdInput, parsed: Parsed) -> list[str | Misfit]:
        """Why the platform would refuse this ad, as far as a translator can know."""
        problems: list[str | Misfit] = []
        if ad.name is None:
            problems.append(f"its name cannot be made: {ad.name_problem}")
        elif self.ad_name_limit is not None and len(ad.name) > self.ad_name_limit:
            problems.append(
                f"its name is {len(ad.name)} characters; {self.platform} takes at most "
                f"{self.ad_name_limit}."
            )
        actions = dict(creative_specs.CALLS_TO_ACTION[self.channel_code])
        if ad.call_to_action and ad.call_to_action not in actions:
            problems.append(
                f"{self.platform} has no call to action {ad.call_to_action!r}; choose one of "
                f"{', '.join(actions)}."
            )
        if not ad.landing_url:
            problems.append("it has no landing URL.")
        problems += self.ad_problems(ad, parsed)
        placements = self.ad_placements(ad, parsed)
        return problems + list(dict.fromkeys(hard_text_problems(ad, placements)))

    def ad_placements(self, ad: AdInput, parsed: Parsed) -> tuple[creative_specs.Placement, ...]:
        """The placements whose hard text limits an ad must meet: the ad's own on this
        platform, or all of the platform's when it names none."""
        own = creative_specs.placements_for(self.channel_code)
        chosen = tuple(p for p in own if p.key in ad.placements)
        return chosen or own

    def ad_problems(self, ad: AdInput, parsed: Parsed) -> list[str | Misfit]:
        """The platform's own reasons to refuse an ad (its media, its texts)."""
        return []

    def create_ads(self, change: NewCampaign, ads: Sequence[AdInput]) -> list[PlatformRequest]:
        """The requests that make the ads under the ad set / ad group, each ad's in order."""
        return [request for ad in ads for request in self.ad_requests(change, ad)]

    def ad_requests(self, change: NewCampaign, ad: AdInput) -> list[PlatformRequest]:
        """One ad's requests: upload its media, then make it. Each returns an ad{n}_ id."""
        raise NotImplementedError(f"{self.platform} ads are not translated.")

    def supported_objectives(self) -> tuple[str, ...]:
        return tuple(o.value for o in Objective if o in self.objectives)

    def _refuse_objective(self, objective: Objective, problems: Problems) -> None:
        reason = self.unsupported.get(objective, "it has no matching objective")
        problems.add(
            f"{self.platform} does not support the objective {objective.value}: {reason}. "
            f"Supported objectives: {', '.join(self.supported_objectives())}.",
            "objective",
        )

    def check(self, parsed: Parsed, problems: Problems) -> None:  # noqa: B027
        """Add the platform's own problems; values that could not be read are None."""

    def notes(self, change: NewCampaign) -> tuple[str, ...]:
        """What a reader of this platform's create requests should know beyond them."""
        return ()

    @abc.abstractmethod
    def create_campaign(self, change: NewCampaign) -> list[PlatformRequest]:
        """The requests that create the campaign; one returns `campaign_placeholder`."""

    @abc.abstractmethod
    def update_budget(self, change: BudgetChange) -> list[PlatformRequest]: ...

    def budget_check(self, requests: Sequence[PlatformRequest]) -> BudgetCheck | None:
        """For requests that set a budget: how to read the account's minimum first (or None)."""
        return None

    def lookup(self, request: PlatformRequest) -> Lookup | None:
        """For a create request (placeholders filled): how to find what it would create.

        None for requests that create nothing (updates, searches): sending them twice is
        harmless.
        """
        return None

    @abc.abstractmethod
    def update_status(self, change: StatusChange) -> list[PlatformRequest]: ...
