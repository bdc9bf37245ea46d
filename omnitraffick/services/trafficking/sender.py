"""The send job: a ticket's requests go to its platform, and the answer comes back.

`run_send(send_id)` runs in a Celery worker, in the web process's job threads, or inline in
tests. It never holds a database transaction while it waits on the network: every step
commits what it learnt (an attempt, an id the platform returned) before the next call, so a
re-run resumes where the last one stopped.

Failures: a 429 waits as Retry-After says; server errors and timeouts back off
exponentially with jitter up to SEND_MAX_ATTEMPTS tries; other refusals fail at once. Before
each create the job asks the platform whether the object already exists (by its exact
name), so a retry after a lost answer never makes it twice.
"""

from __future__ import annotations

import logging
import random
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from ...extensions import db
from ...jobs import Outcome
from ...models import (
    AttemptOutcome,
    PlatformSend,
    SendAttempt,
    SendState,
    TicketStatus,
    utcnow,
)
from .. import storage, tickets, translators
from ..send_state import close
from ..translators import PlatformRequest, Translation, TranslationError
from ..translators.base import Lookup, dig
from .client import Answer, Kind, PlatformClient
from .connections import Connection, connection_for

log = logging.getLogger(__name__)

# What the object a request returns is called, for people.
_NAMES = {
    "campaign_id": "campaign",
    "adset_id": "ad set",
    "adgroup_id": "ad group",
    "budget_resource_name": "budget",
    "campaign_resource_name": "campaign",
    "ad_group_resource_name": "ad group",
}
# An ad's objects (translators: ad{position}_...), by what follows its number.
_AD_PARTS = {
    "id": "",
    "resource_name": "",
    "creative_id": " creative",
    "image_hash": " image",
    "video_id": " video",
    "thumbnail_url": " video thumbnail",
    "cover_url": " video cover",
    "cover_id": " cover image",
}
_AD_PLACEHOLDER = re.compile(r"^ad(\d+)_(?:image(\d+)_resource_name|([a-z_]+))$")


class ObjectNames(Mapping[str, str]):
    """Placeholder -> what people call its object: "ad1_creative_id" is "ad 1 creative"."""

    def __getitem__(self, placeholder: str) -> str:
        if placeholder in _NAMES:
            return _NAMES[placeholder]
        match = _AD_PLACEHOLDER.match(placeholder)
        if match is None:
            raise KeyError(placeholder)
        position, image, part = match.groups()
        if image:
            return f"ad {position} image {image}"
        if part not in _AD_PARTS:
            raise KeyError(placeholder)
        return f"ad {position}{_AD_PARTS[part]}"

    def __iter__(self):
        return iter(_NAMES)

    def __len__(self) -> int:
        return len(_NAMES)


OBJECT_NAMES = ObjectNames()


class SendFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Policy:
    max_attempts: int
    backoff: float
    backoff_max: float
    max_retry_after: float
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping) -> Policy:
        return cls(
            max(1, int(config["SEND_MAX_ATTEMPTS"])),
            float(config["SEND_BACKOFF_SECONDS"]),
            float(config["SEND_BACKOFF_MAX_SECONDS"]),
            float(config["SEND_MAX_RETRY_AFTER_SECONDS"]),
            float(config["SEND_TIMEOUT_SECONDS"]),
        )

    def backoff_delay(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        delay = min(self.backoff_max, self.backoff * 2 ** (attempt - 1))
        return delay / 2 + random.uniform(0, delay / 2)


class LostSend(Exception):
    """Another job took this send over (this one was thought dead): stop, write nothing."""


@dataclass(frozen=True)
class Claim:
    """A job's hold on a send. `token` is the send's started_at as this job set it: every
    write checks it, so a job that was taken over (a long pause, a partitioned worker)
    cannot write over the job that took over."""

    send_id: uuid.UUID
    token: datetime


def run_send(send_id: uuid.UUID | str, *, sleep: Callable[[float], None] = time.sleep) -> Outcome:
    """Run one queued send to the end; a send that is not queued any more is left alone."""
    send_id = uuid.UUID(str(send_id))
    claim = _claim(send_id)
    if claim is None:
        state = db.session.scalar(select(PlatformSend.state).where(PlatformSend.id == send_id))
        db.session.commit()
        return Outcome.LOOK_AGAIN if state is SendState.RUNNING else Outcome.DONE
    try:
        _Job(claim, sleep).run()
    except LostSend:
        db.session.rollback()
        log.warning("send %s was taken over by another job; this run stops", send_id)
    except Exception:
        log.exception("send %s failed unexpectedly", send_id)
        db.session.rollback()
        try:
            _finish_failed(
                claim,
                "OmniTraffick hit an unexpected error while sending (see the server log). "
                "Objects already made on the platform are found, not made again, when you "
                "send again.",
                {},
            )
        except LostSend:
            db.session.rollback()
    return Outcome.DONE


def _claim(send_id: uuid.UUID) -> Claim | None:
    """QUEUED -> RUNNING, atomically: two deliveries of the same job run it once.

    A RUNNING send whose heartbeat stopped lost its worker (killed, or its machine gone); the
    job queue hands such a job out again, and this run takes it over, resuming from its
    progress. A RUNNING send with a live heartbeat is left to the job running it.
    """
    was = db.session.scalar(select(PlatformSend.state).where(PlatformSend.id == send_id))
    now = utcnow()
    dead = now - timedelta(seconds=current_app.config["SEND_HEARTBEAT_TIMEOUT_SECONDS"])
    beat = func.coalesce(PlatformSend.heartbeat_at, PlatformSend.started_at)
    result = db.session.execute(
        update(PlatformSend)
        .where(
            PlatformSend.id == send_id,
            or_(
                PlatformSend.state == SendState.QUEUED,
                and_(PlatformSend.state == SendState.RUNNING, beat < dead),
            ),
        )
        .values(state=SendState.RUNNING, started_at=now, heartbeat_at=now)
        # The commit below expires the session's copy anyway; no need to evaluate the
        # condition in Python (SQLite's naive times do not compare with aware ones).
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    if was is SendState.RUNNING:
        log.info("send %s: taking over from a run whose heartbeat stopped", send_id)
    else:
        log.info("send %s: started", send_id)
    return Claim(send_id, now)


def _beat(claim: Claim) -> None:
    """Touch the heartbeat inside the caller's transaction; LostSend if no longer ours."""
    result = db.session.execute(
        update(PlatformSend)
        .where(PlatformSend.id == claim.send_id, PlatformSend.started_at == claim.token)
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise LostSend(str(claim.send_id))


class _Job:
    def __init__(self, claim: Claim, sleep: Callable[[float], None]):
        self.claim = claim
        self.send_id = claim.send_id
        self.sleep = sleep
        self.policy = Policy.from_config(current_app.config)
        self.heartbeat = float(current_app.config["SEND_HEARTBEAT_SECONDS"])
        self.done: list[str] = []  # what each step achieved, for the summary
        self.files = storage.current()  # where the ads' creatives are read from

    def read(self, key: str) -> bytes:
        """A creative's bytes, for an upload."""
        with self.files.open(key) as stream:
            return stream.read()

    def wait(self, seconds: float) -> None:
        """Sleep, touching the heartbeat as often as it must be touched."""
        while seconds > 0:
            chunk = min(seconds, self.heartbeat)
            self.sleep(chunk)
            seconds -= chunk
            _beat(self.claim)
            db.session.commit()

    def run(self) -> None:
        send = db.session.get(PlatformSend, self.send_id)
        ticket = send.ticket
        connection = connection_for(ticket.channel.api_identifier, current_app.config)
        try:
            translation = tickets.platform_request(ticket)
        except TranslationError as err:
            db.session.rollback()
            _finish_failed(self.claim, err.message, {})
            return
        target = tickets.created_object_id(ticket)
        self.platform = connection.platform
        values = {**connection.values, **(send.progress or {})}
        db.session.commit()  # no transaction stays open while the network is used

        if not connection.connected:
            _finish_failed(self.claim, connection.describe(), {})
            return
        client = PlatformClient(connection, self.policy.timeout)
        try:
            self._check_budget(client, translation, values)
            for step, request in enumerate(translation.requests, start=1):
                if request.returns and request.returns in values:
                    # Made by an earlier run of this send, or by the send that failed part
                    # way before it (sends.resume_from).
                    if not request.reads:
                        what = OBJECT_NAMES.get(request.returns, "object")
                        self.done.append(f"{what} {values[request.returns]} already made")
                    continue
                value = self._step(client, step, request.filled(values))
                if request.returns:
                    values[request.returns] = value
                    _save_progress(self.claim, request.returns, value)
        except SendFailed as failure:
            _finish_failed(self.claim, failure.message, _returned(translation, values))
            return
        finally:
            client.close()
        _finish_succeeded(
            self.claim, translation, values, target, self._summary(connection, translation)
        )

    def _summary(self, connection: Connection, translation: Translation) -> str:
        where = "the platform sandbox" if connection.sandbox else connection.platform
        count = len(translation.requests)
        steps = "; ".join(self.done)
        return f"Sent to {where} ({count} request{'s' if count != 1 else ''}): {steps}."

    def _check_budget(self, client: PlatformClient, translation: Translation, values) -> None:
        """Read the account's own minimum budget first (Meta's /minimum_budgets); a budget
        under it stops the send before anything is made. Recorded as part of step 1."""
        translator = translators.translator_for(client.connection.channel_code)
        check = translator.budget_check(translation.requests) if translator else None
        if check is None:
            return
        check = check.filled(values)
        for attempt in range(1, self.policy.max_attempts + 1):
            answer = client.call(check.method, check.path, params=check.params)
            if answer.kind is Kind.OK:
                problem = check.judge(answer.data)
                outcome = AttemptOutcome.FAILED if problem else AttemptOutcome.OK
                message = problem or "Read the account's minimum budgets: the budget meets them."
                _record(self.claim, 1, attempt, check.method, check.path, answer, outcome, message)
                if problem:
                    raise SendFailed(problem)
                return
            self._retry_or_fail(1, attempt, check.method, check.path, answer, check.description)

    def _step(self, client: PlatformClient, step: int, request: PlatformRequest) -> str | None:
        """Send one request, checking first for what it would create; retry as allowed."""
        translator = translators.translator_for(client.connection.channel_code)
        lookup = translator.lookup(request) if translator else None
        what = OBJECT_NAMES.get(request.returns or "", lookup.what if lookup else "object")
        action = _action(request)
        for attempt in range(1, self.policy.max_attempts + 1):
            if lookup is not None:
                answer = client.call(
                    lookup.method, lookup.path, params=lookup.params, body=lookup.body
                )
                if answer.kind is Kind.OK:
                    found = lookup.pick(answer.data)
                    self._found(step, attempt, lookup, answer, found)
                    if found is not None:
                        self.done.append(f"found {what} {found} already there, not made again")
                        return found
                else:
                    self._retry_or_fail(step, attempt, lookup.method, lookup.path, answer, action)
                    continue
            answer = client.call(
                request.method,
                request.path,
                body=request.body,
                params=dict(request.params),
                read=self.read,
            )
            if answer.kind is Kind.OK:
                value = None
                if request.returns:
                    raw = dig(answer.data, request.response_path)
                    if raw is None or raw == "":
                        message = (
                            f"{self.platform} answered the request to {action} without the id "
                            f"of the new {what}."
                        )
                        self._record(step, attempt, request, answer, AttemptOutcome.FAILED, message)
                        raise SendFailed(message)
                    value = str(raw)
                if request.reads:
                    message = f"Read the {what}."
                    self._record(step, attempt, request, answer, AttemptOutcome.OK, message)
                    return value
                message = f"Created {what} {value}." if value else f"Done: {action}."
                self._record(step, attempt, request, answer, AttemptOutcome.OK, message)
                self.done.append(f"created {what} {value}" if value else action)
                return value
            self._retry_or_fail(step, attempt, request.method, request.path, answer, action)
        raise AssertionError("unreachable: the last attempt fails or succeeds")

    def _found(self, step, attempt, lookup: Lookup, answer: Answer, found) -> None:
        if found is not None:
            message = f"Found {lookup.what} {found} with this name already on {self.platform}."
            outcome = AttemptOutcome.FOUND
        else:
            message = f"Checked {self.platform}: no {lookup.what} with this name yet."
            outcome = AttemptOutcome.NOT_FOUND
        _record(self.claim, step, attempt, lookup.method, lookup.path, answer, outcome, message)

    def _retry_or_fail(self, step, attempt, method, path, answer: Answer, action: str) -> None:
        """Record a failed call; wait before the next try, or raise SendFailed."""

        def record(outcome: AttemptOutcome, message: str) -> None:
            _record(self.claim, step, attempt, method, path, answer, outcome, message)

        def fail(message: str):
            record(AttemptOutcome.FAILED, message)
            return SendFailed(message)

        said = _said(answer)
        if answer.kind is Kind.REFUSED:
            raise fail(f"{self.platform} refused the request to {action}: {said}.")
        if answer.kind is Kind.RATE_LIMITED and answer.retry_after is not None:
            wait = answer.retry_after
            if wait > self.policy.max_retry_after:
                raise fail(
                    f"{self.platform} is rate limiting this account and asks to wait "
                    f"{wait:.0f} s before the request to {action}; send again later."
                )
        else:
            wait = self.policy.backoff_delay(attempt)
        if attempt >= self.policy.max_attempts:
            raise fail(
                f"{self.platform} did not take the request to {action} after {attempt} "
                f"attempts (last: {said}); nothing was made twice. Send again later."
            )
        record(AttemptOutcome.RETRY, f"{said[0].upper()}{said[1:]}; trying again in {wait:.1f} s.")
        self.wait(wait)

    def _record(self, step, attempt, request: PlatformRequest, answer, outcome, message) -> None:
        _record(self.claim, step, attempt, request.method, request.path, answer, outcome, message)


def _action(request: PlatformRequest) -> str:
    """'Create the campaign, which holds the budget.' -> 'create the campaign'."""
    text = request.description.split(",")[0].split(":")[0].rstrip(".")
    return text[:1].lower() + text[1:]


def _said(answer: Answer) -> str:
    """What the platform said, with the HTTP status, as part of a sentence."""
    if answer.status is None:
        return answer.message
    kind = {
        Kind.RATE_LIMITED: "rate limited",
        Kind.TRANSIENT: "a server error",
        Kind.REFUSED: "refused",
        Kind.OK: "ok",
    }[answer.kind]
    detail = answer.message.strip().rstrip(".") or "no details"
    return f"{detail} (HTTP {answer.status}, {kind})"


def _returned(translation: Translation, values: Mapping[str, str]) -> dict[str, str]:
    """The ids of the objects the platform made, by placeholder, in request order (values
    only read on the way, such as a video's thumbnail address, are left out)."""
    return {
        r.returns: values[r.returns]
        for r in translation.requests
        if r.returns and not r.reads and values.get(r.returns)
    }


# --- writing results (each commits at once) -------------------------------------------------


def _record(claim: Claim, step, attempt, method, path, answer: Answer, outcome, message) -> None:
    _beat(claim)
    db.session.add(
        SendAttempt(
            send_id=claim.send_id,
            created_at=utcnow(),
            step=step,
            attempt=attempt,
            method=method,
            path=path[:500],
            http_status=answer.status,
            outcome=outcome,
            message=message,
            duration_ms=answer.duration_ms,
        )
    )
    db.session.commit()


def _save_progress(claim: Claim, name: str, value: str) -> None:
    _beat(claim)
    send = db.session.get(PlatformSend, claim.send_id)
    send.progress = {**(send.progress or {}), name: value}
    db.session.commit()


def _finish_succeeded(claim: Claim, translation: Translation, values, target, summary: str):
    _beat(claim)
    send = db.session.get(PlatformSend, claim.send_id)
    ticket = send.ticket
    returned = _returned(translation, values)
    # A create keeps the new campaign's id; an update, the id of the campaign it changed.
    platform_id = values[translation.platform_id_from] if translation.platform_id_from else target
    ticket.external_platform_id = platform_id
    ticket.platform_ids = returned or ({"campaign": platform_id} if platform_id else None)
    ticket.sending_since = None
    ticket.send_error = None
    tickets.record_move(ticket, TicketStatus.TRAFFICKED_SUCCESS, send.requested_by, summary)
    send.state, send.finished_at, send.message = SendState.SUCCEEDED, utcnow(), summary
    db.session.commit()


def _finish_failed(claim: Claim, message: str, returned: dict[str, str]) -> None:
    _beat(claim)
    send = db.session.get(PlatformSend, claim.send_id)
    ticket = send.ticket
    close(send, message)
    ticket.send_error = message
    if returned:
        # Objects made before the failure: kept so people can see them (and clean up).
        ticket.platform_ids = returned
    if ticket.status is TicketStatus.READY_FOR_API:
        tickets.record_move(ticket, TicketStatus.FAILED, send.requested_by, message)
    db.session.commit()
