"""The audit of names already live: what the ad accounts hold, checked against the conventions.

    audit = start_audit(actor)            # commits a row and queues the job, which
    run_audit(audit.id)                   # reads every connected platform

For each channel with a connection (the sandbox included), the campaign and ad set / ad group
names are read through the platform's own read endpoints, decoded like the decoder page
does, and marked when no OmniTraffick ticket made them (their ids are not among the ids the
platforms gave our sends):
- Meta: GET /act_{id}/campaigns and /act_{id}/adsets with fields=id,name, following
  paging.cursors.after while paging.next is there
  https://developers.facebook.com/docs/marketing-api/reference/ad-account/campaigns/
- TikTok: GET /open_api/v1.3/campaign/get/ and /adgroup/get/, page by page (page_size 1000)
  https://business-api.tiktok.com/portal/docs?id=1739315828649986
- Google Ads: GoogleAdsService.Search `SELECT campaign.id, campaign.name FROM campaign`,
  following nextPageToken (ad groups are not made by OmniTraffick, so not read)
  https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.googleAds/search
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ... import jobs
from ...extensions import db
from ...models import Channel, NameAudit, Ticket, User, utcnow
from .. import naming
from ..errors import NotFound
from ..translators import API_VERSIONS
from .client import Kind, PlatformClient
from .connections import Connection, connection_for

AUDIT_JOB = "name_audit"
MAX_PAGES = 200  # a safety stop: 200 pages of up to 1,000 names per kind
LEVEL_NOUNS = {"campaign": "Campaign", "adset": "Ad set / ad group"}


@dataclass(frozen=True)
class LiveName:
    level: str  # campaign or adset
    platform_id: str
    name: str


class ReadError(Exception):
    """A platform could not be read; the message says why."""


def request_audit(actor: User | None) -> NameAudit:
    """A new audit, to be run by the job once committed."""
    audit = NameAudit(requested_by=actor)
    db.session.add(audit)
    db.session.flush()
    return audit


def start_audit(actor: User | None) -> NameAudit:
    """Commit a new audit and start its job (it runs in the background)."""
    audit = request_audit(actor)
    db.session.commit()
    jobs.dispatch(AUDIT_JOB, audit.id)
    return audit


def latest_audit() -> NameAudit | None:
    return db.session.scalar(select(NameAudit).order_by(NameAudit.requested_at.desc()).limit(1))


def run_audit(audit_id: str) -> None:
    """The job: read every connected platform's names and check them."""
    audit = db.session.get(NameAudit, uuid.UUID(str(audit_id)))
    if audit is None:
        raise NotFound(f"No name audit {audit_id}.")
    decoders = {level: naming.decoder_for(level) for level in LEVEL_NOUNS}
    ours = _our_platform_ids()
    results: list[dict] = []
    errors: dict[str, str] = {}
    codes = db.session.scalars(select(Channel.api_identifier).order_by(Channel.api_identifier))
    timeout = float(current_app.config["SEND_TIMEOUT_SECONDS"])
    for code in codes:
        connection = connection_for(code, current_app.config)
        if not connection.connected:
            continue
        client = PlatformClient(connection, timeout)
        try:
            for live in _read(connection, client):
                result = decoders[live.level].decode(live.name)
                results.append(
                    {
                        "channel": code,
                        "level": live.level,
                        "platform_id": live.platform_id,
                        "ours": live.platform_id in ours,
                        **result.as_dict(),
                        "name": live.name,
                    }
                )
        except ReadError as err:
            errors[code] = str(err)
        finally:
            client.close()
    audit.results = results
    audit.errors = errors
    audit.finished_at = utcnow()
    db.session.commit()


def _our_platform_ids() -> set[str]:
    """Every id a platform gave OmniTraffick's sends (campaigns, ad sets, ad groups...)."""
    ids: set[str] = set()
    rows = db.session.execute(select(Ticket.external_platform_id, Ticket.platform_ids))
    for external, platform_ids in rows:
        if external:
            ids.add(str(external))
        ids.update(str(v) for v in (platform_ids or {}).values() if v)
    return ids


def _call(client: PlatformClient, method: str, path: str, **kwargs):
    answer = client.call(method, path, **kwargs)
    if answer.kind is not Kind.OK:
        raise ReadError(f"{client.connection.platform} answered: {answer.message}")
    return answer.data or {}


def _read(connection: Connection, client: PlatformClient) -> Iterator[LiveName]:
    code = connection.channel_code
    if code == "META":
        yield from _meta(connection, client)
    elif code == "TIKTOK":
        yield from _tiktok(connection, client)
    elif code == "GOOGLE":
        yield from _google(connection, client)


def _meta(connection: Connection, client: PlatformClient) -> Iterator[LiveName]:
    account = connection.values["ad_account_id"]
    version = API_VERSIONS["META"]
    for edge, level in (("campaigns", "campaign"), ("adsets", "adset")):
        params = {"fields": "id,name", "limit": "500"}
        for _ in range(MAX_PAGES):
            data = _call(client, "GET", f"/{version}/act_{account}/{edge}", params=params)
            for row in data.get("data") or []:
                yield LiveName(level, str(row.get("id")), str(row.get("name") or ""))
            paging = data.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                break
            params = {**params, "after": after}


def _tiktok(connection: Connection, client: PlatformClient) -> Iterator[LiveName]:
    advertiser = connection.values["advertiser_id"]
    version = API_VERSIONS["TIKTOK"]
    for kind, level in (("campaign", "campaign"), ("adgroup", "adset")):
        page = 1
        while page <= MAX_PAGES:
            params = {"advertiser_id": advertiser, "page": str(page), "page_size": "1000"}
            data = _call(client, "GET", f"/open_api/{version}/{kind}/get/", params=params)
            body = data.get("data") or {}
            for row in body.get("list") or []:
                yield LiveName(level, str(row.get(f"{kind}_id")), str(row.get(f"{kind}_name")))
            if page >= int((body.get("page_info") or {}).get("total_page") or 0):
                break
            page += 1


def _google(connection: Connection, client: PlatformClient) -> Iterator[LiveName]:
    customer = connection.values["customer_id"]
    path = f"/{API_VERSIONS['GOOGLE']}/customers/{customer}/googleAds:search"
    body: dict = {"query": "SELECT campaign.id, campaign.name FROM campaign"}
    for _ in range(MAX_PAGES):
        data = _call(client, "POST", path, body=body)
        for row in data.get("results") or []:
            campaign = row.get("campaign") or {}
            yield LiveName(
                "campaign",
                str(campaign.get("resourceName") or campaign.get("id")),
                str(campaign.get("name") or ""),
            )
        token = data.get("nextPageToken")
        if not token:
            break
        body = {**body, "pageToken": token}


def rows_for(audit: NameAudit, show: str) -> list[dict]:
    """The audit's rows to list: non-compliant, not made by OmniTraffick, or all."""
    rows = audit.results or []
    if show == "invalid":
        return [r for r in rows if not r["valid"]]
    if show == "foreign":
        return [r for r in rows if not r["ours"]]
    if show == "all":
        return list(rows)
    return [r for r in rows if not r["valid"] or not r["ours"]]
