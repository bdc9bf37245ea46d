"""HTTP to the platforms, and what their answers mean.

Every answer becomes an `Answer` of one of four kinds: done, rate limited (wait as the
platform says), transient (a server error or no answer: back off and try again) or refused
(a request error that retrying cannot fix). Each platform signals these its own way:
- Meta answers errors as JSON `{"error": {...}}`, marks passing ones `is_transient`, and
  reports rate limits with codes 4, 17, 32, 613 and 80000-80014, often with HTTP 400:
  https://developers.facebook.com/docs/graph-api/guides/error-handling
  https://developers.facebook.com/docs/graph-api/overview/rate-limiting
- TikTok answers HTTP 200 with `code` 0 for success; 40100 means too many requests and
  5xxxx a system error: https://business-api.tiktok.com/portal/docs?id=1737172488964097
- Google Ads answers google.rpc statuses; RESOURCE_EXHAUSTED is a rate limit, INTERNAL,
  UNAVAILABLE and DEADLINE_EXCEEDED are worth retrying, and GoogleAdsFailure details say
  what was wrong: https://developers.google.com/google-ads/api/docs/best-practices/error-types
"""

from __future__ import annotations

import base64
import enum
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from ..translators.base import FileRef, file_refs
from .connections import Connection

META_RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
META_TRANSIENT_CODES = frozenset({1, 2})
TIKTOK_RATE_LIMITED = 40100
GOOGLE_RETRY = frozenset({"INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED", "ABORTED"})


class Kind(enum.Enum):
    OK = "ok"
    RATE_LIMITED = "rate limited"
    TRANSIENT = "transient"
    REFUSED = "refused"


@dataclass(frozen=True)
class Answer:
    kind: Kind
    status: int | None  # None: no answer at all
    data: Any  # the decoded JSON, or None
    message: str  # the platform's own words, or what went wrong on the way
    retry_after: float | None = None
    duration_ms: int = 0


class PlatformClient:
    """Sends requests to one connection's platform and reads the answers."""

    def __init__(self, connection: Connection, timeout: float):
        self.connection = connection
        self.timeout = timeout
        self.session = requests.Session()

    def call(
        self,
        method: str,
        path: str,
        *,
        body: dict | None = None,
        params: dict | None = None,
        read: Callable[[str], bytes] | None = None,
    ) -> Answer:
        """One request. A body with files (translators.base.FileRef) gets their bytes from
        `read(key)`, and goes as multipart/form-data when a file is a part of it."""
        started = time.monotonic()
        try:
            headers = self._headers()
        except _TokenError as err:
            return Answer(err.kind, err.status, None, err.message)
        try:
            payload = _payload(method, body, read)
        except _FileError as err:
            return Answer(Kind.REFUSED, None, None, str(err))
        try:
            response = self.session.request(
                method,
                self.connection.base_url + path,
                params=params or None,
                headers=headers,
                timeout=(min(self.timeout, 10.0), self.timeout),
                **payload,
            )
        except requests.Timeout:
            return Answer(
                Kind.TRANSIENT,
                None,
                None,
                f"no answer within {self.timeout:g} s",
                duration_ms=_ms(started),
            )
        except requests.RequestException as err:
            return Answer(
                Kind.TRANSIENT,
                None,
                None,
                f"could not reach {self.connection.base_url} ({type(err).__name__})",
                duration_ms=_ms(started),
            )
        answer = interpret(self.connection.channel_code, response)
        return Answer(
            answer.kind,
            answer.status,
            answer.data,
            answer.message,
            answer.retry_after,
            _ms(started),
        )

    def close(self) -> None:
        self.session.close()

    def _headers(self) -> dict[str, str]:
        secrets = self.connection.secrets
        code = self.connection.channel_code
        if code == "TIKTOK":
            return {"Access-Token": secrets["token"]}
        if code == "GOOGLE":
            headers = {
                "Authorization": f"Bearer {_google_access_token(self.connection, self.timeout)}",
                "developer-token": secrets["token"],
            }
            if self.connection.login_customer_id:
                headers["login-customer-id"] = self.connection.login_customer_id
            return headers
        return {"Authorization": f"Bearer {secrets['token']}"}


class _FileError(Exception):
    """A creative's file that cannot be read from the creative storage."""


def _payload(method: str, body: dict | None, read) -> dict[str, Any]:
    """The requests keyword arguments that send `body`: JSON, or multipart with files."""
    if method == "GET" or body is None:
        return {}
    refs = list(file_refs(body))
    if not refs:
        return {"json": body}
    if read is None:
        raise _FileError(f"there is no creative storage to read {refs[0].filename} from")
    contents: dict[str, bytes] = {}
    for ref in refs:
        if ref.key not in contents:
            try:
                contents[ref.key] = read(ref.key)
            except (OSError, ValueError):
                raise _FileError(
                    f"the creative file {ref.filename} is missing from the creative library's "
                    "storage; upload it again and attach it to the ad"
                ) from None

    def value(item: Any) -> Any:
        if isinstance(item, FileRef):
            data = contents[item.key]
            if item.encoding == "md5":
                return hashlib.md5(data).hexdigest()
            return base64.b64encode(data).decode("ascii")
        if isinstance(item, dict):
            return {key: value(inner) for key, inner in item.items()}
        if isinstance(item, list | tuple):
            return [value(inner) for inner in item]
        return item

    parts = {
        name: item
        for name, item in body.items()
        if isinstance(item, FileRef) and item.encoding == "part"
    }
    if not parts:
        return {"json": value(body)}
    # Multipart: files as parts, the other fields as form fields (objects as JSON text).
    form = {}
    for name, item in body.items():
        if name in parts:
            continue
        item = value(item)
        form[name] = item if isinstance(item, str) else json.dumps(item)
    files = {name: (ref.filename, contents[ref.key]) for name, ref in parts.items()}
    return {"data": form, "files": files}


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


# --- reading answers ------------------------------------------------------------------------


def interpret(channel_code: str, response: requests.Response) -> Answer:
    """What a platform's HTTP answer means."""
    status = response.status_code
    try:
        data = response.json()
    except ValueError:
        data = None
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if channel_code == "META":
        kind, message = _meta(status, data)
    elif channel_code == "TIKTOK":
        kind, message = _tiktok(status, data)
    else:
        kind, message = _google(status, data)
    if status == 429:
        kind = Kind.RATE_LIMITED
    elif kind is Kind.REFUSED and status >= 500:
        kind = Kind.TRANSIENT
    if data is None and kind is not Kind.OK and not message:
        message = f"an answer that is not JSON ({response.headers.get('Content-Type', '?')})"
    return Answer(kind, status, data, message, retry_after)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _meta(status: int, data: Any) -> tuple[Kind, str]:
    error = data.get("error") if isinstance(data, dict) else None
    if 200 <= status < 300 and data is not None and not error:
        return Kind.OK, ""
    if not isinstance(error, dict):
        return (Kind.TRANSIENT if status >= 500 else Kind.REFUSED), ""
    code = error.get("code")
    message = error.get("error_user_msg") or error.get("message") or ""
    if error.get("error_user_msg") and error.get("message"):
        message = f"{error['message']} {error['error_user_msg']}"
    if code in META_RATE_LIMIT_CODES:
        return Kind.RATE_LIMITED, message
    if error.get("is_transient") or code in META_TRANSIENT_CODES:
        return Kind.TRANSIENT, message
    return Kind.REFUSED, message


def _tiktok(status: int, data: Any) -> tuple[Kind, str]:
    if not isinstance(data, dict) or "code" not in data:
        kind = Kind.TRANSIENT if status >= 500 else Kind.REFUSED
        return kind, "" if data is None else "an answer without a result code"
    code, message = data.get("code"), str(data.get("message") or "")
    if code == 0 and status < 400:
        return Kind.OK, ""
    if code == TIKTOK_RATE_LIMITED:
        return Kind.RATE_LIMITED, message
    if isinstance(code, int) and code >= 50000:
        return Kind.TRANSIENT, message
    return Kind.REFUSED, f"{message} (code {code})"


def _google(status: int, data: Any) -> tuple[Kind, str]:
    if 200 <= status < 300 and data is not None:
        return Kind.OK, ""
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return (Kind.TRANSIENT if status >= 500 else Kind.REFUSED), ""
    messages = []
    for detail in error.get("details") or ():
        for failure in (detail or {}).get("errors") or ():
            text = str(failure.get("message") or "").strip()
            path = ".".join(
                str(element.get("fieldName", ""))
                for element in (failure.get("location") or {}).get("fieldPathElements") or ()
                if element.get("fieldName") not in (None, "operations")
            )
            messages.append(f"{text} ({path})" if path else text)
    message = " ".join(m for m in messages if m) or str(error.get("message") or "")
    state = error.get("status")
    if state == "RESOURCE_EXHAUSTED":
        return Kind.RATE_LIMITED, message
    if state in GOOGLE_RETRY:
        return Kind.TRANSIENT, message
    return Kind.REFUSED, message


# --- Google's OAuth access token ------------------------------------------------------------


class _TokenError(Exception):
    def __init__(self, kind: Kind, status: int | None, message: str):
        super().__init__(message)
        self.kind, self.status, self.message = kind, status, message


_tokens: dict[tuple[str, str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


def _google_access_token(connection: Connection, timeout: float) -> str:
    """An access token from the refresh token, kept until a minute before it expires."""
    secrets = connection.secrets
    key = (connection.token_url, secrets.get("client_id", ""), secrets.get("refresh_token", ""))
    with _tokens_lock:
        cached = _tokens.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
    try:
        response = requests.post(
            connection.token_url,
            data={
                "grant_type": "refresh_token",
                "client_id": secrets.get("client_id", ""),
                "client_secret": secrets.get("client_secret", ""),
                "refresh_token": secrets.get("refresh_token", ""),
            },
            timeout=(min(timeout, 10.0), timeout),
        )
    except requests.RequestException as err:
        raise _TokenError(
            Kind.TRANSIENT, None, f"could not get a Google access token ({type(err).__name__})"
        ) from None
    try:
        data = response.json()
    except ValueError:
        data = {}
    token = data.get("access_token") if isinstance(data, dict) else None
    if response.status_code != 200 or not token:
        kind = Kind.TRANSIENT if response.status_code >= 500 else Kind.REFUSED
        reason = data.get("error_description") or data.get("error") if data else None
        raise _TokenError(
            kind,
            response.status_code,
            "Google refused the OAuth credentials (GOOGLE_ADS_CLIENT_ID, "
            f"GOOGLE_ADS_CLIENT_SECRET, GOOGLE_ADS_REFRESH_TOKEN): {reason or 'no token'}",
        )
    expires = float(data.get("expires_in") or 3600)
    with _tokens_lock:
        _tokens[key] = (token, time.monotonic() + max(0.0, expires - 60))
    return token
