"""The kanban board: columns with counts, cards with badges and a keyboard "Move to…" control,
filters in the URL, the capped TRAFFICKED_SUCCESS column, moves made on the board (the card
moves and every count updates out of band), and fixed SQL query counts however many tickets
there are. Helpers shared by the files of this folder.
"""

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from flask import g
from sqlalchemy import insert

from omnitraffick.models import RequestType, Ticket, TicketStatus
from tests.html import Node
from tests.tickets.helpers import (
    fragment_headers,
)

S = TicketStatus


COLUMNS = [s.value for s in S]  # the board's columns, in workflow order


def counts(doc: Node) -> dict[str, int]:
    """The number shown at the head of each column."""
    return {s: int(doc.by_id(f"count-{s}").text) for s in COLUMNS}


def cards(doc: Node, status: str | None = None) -> list[Node]:
    """The cards of one column (or of the whole board), top to bottom."""
    scope = doc.by_id(f"cards-{status}") if status else doc
    return scope.find_all("article", cls="card")


def titles(doc: Node, status: str | None = None) -> list[str]:
    return [card.find("a", cls="card-title").text for card in cards(doc, status)]


def card_of(doc: Node, ticket) -> Node:
    return doc.by_id(f"ticket-{ticket.id}")


def badges(card: Node) -> list[str]:
    return [badge.text for badge in card.find_all("span", cls="badge-code")]


def move_choices(card: Node) -> list[str]:
    """What the card's "Move to…" control offers."""
    control = card.find("select", name="to_status")
    if control is None:
        return []
    return [o.attrs["value"] for o in control.find_all("option") if o.attrs.get("value")]


def board_move(client, ticket, to_status, board="", version=None, headers=None, **fields):
    """Move a card the way the board does: an htmx POST carrying the board's query string."""
    data = {
        "to_status": to_status,
        "version": str(ticket.version if version is None else version),
        "board": board,
    } | fields
    return client.post(
        f"/tickets/{ticket.id}/move",
        data=data,
        headers=fragment_headers() if headers is None else headers,
    )


def oob_counts(doc: Node) -> dict[str, int]:
    """The column counts a move answer updates out of band."""
    spans = doc.find_all("span", cls="count", hx_swap_oob="true")
    return {span.attrs["id"].removeprefix("count-"): int(span.text) for span in spans}


DIS_META = "DIS_US_META_2026_MoanaLaunch"


DIS_TIKTOK = "DIS_US_TIKTOK_2026_MoanaLaunch"


PIX_META = "PIX_JP_META_2026_Frozen3"


PIX_TIKTOK = "PIX_JP_TIKTOK_2026_Frozen3"


def seed(db, campaign_ids, channel_ids, per_status: int) -> None:
    """Bulk-insert `per_status` tickets into every column, spread over campaigns and channels."""
    start = datetime(2025, 6, 1, tzinfo=UTC)
    rows = []
    for status in S:
        # Every column gets the same spread, so a filter matches cards in every column.
        combos = itertools.cycle(itertools.product(campaign_ids, channel_ids))
        for n in range(per_status):
            campaign_id, channel_id = next(combos)
            when = start + timedelta(minutes=n)
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "campaign_id": campaign_id,
                    "channel_id": channel_id,
                    "request_type": RequestType.CREATE_CAMPAIGN,
                    "payload_config": {"objective": "REACH", "initial_status": "PAUSED"},
                    "status": status,
                    "external_platform_id": (f"p{n}" if status is S.TRAFFICKED_SUCCESS else None),
                    "qa_failure_reason": "Bad URL" if status is S.QA_FAILED else None,
                    "version": 3,
                    "status_changed_at": when,
                    "created_at": when,
                    "updated_at": when,
                }
            )
    db.session.execute(insert(Ticket), rows)
    db.session.commit()


def fresh_request(db) -> None:
    """Start the next request as production does: a new session, the user not yet loaded."""
    db.session.remove()
    g.pop("_login_user", None)


def queries_for(db, client, count_queries, url, **kwargs) -> int:
    """The SQL statements one request runs."""
    fresh_request(db)
    with count_queries() as statements:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(statements)
