"""The board's 4-second refresh, answered without rendering while nothing it shows changed.

A refresh's ETag is a digest of two things:

- a fingerprint of everything the columns are made of, read in one statement that indexes
  answer (no card is loaded but the ticket versions' sum), and not read again until a write
  is committed somewhere (services/stamps.py): the number of tickets, the sum
  of their versions and the latest `updated_at` of the tickets, campaigns, brands, markets,
  channels and users (every write of a row stamps it; a deleted ticket or user changes a
  count), the WIP limits, and, from the request, the
  user and their role, the board's query string and the page's CSRF token (the same all
  day for a session);
- the moment the rendered cards next read differently with nothing written: a card's age
  ("12m"), its due state at midnight, a send in progress turning stale. The tag carries
  that moment in the clear, and the digest covers it, so it cannot be moved.

The fingerprint covers every ticket, not only those the board's filters show: a change
anywhere re-renders every board once, which is cheaper to find out than which boards it
touched, and never stale.
"""

import hashlib
from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import Brand, Campaign, Channel, Market, Ticket, User
from . import board_settings, stamps
from .queries import latest, row_count


def _workspace_state() -> tuple:
    """What every board is made of, as stamps: read from indexes, no card loaded."""
    stamps_read = db.session.execute(
        select(
            row_count(Ticket),
            latest(Ticket.updated_at),
            # Every move or edit adds one to a ticket's version: a write stamped before
            # another but committed after it still changes the sum.
            select(func.sum(Ticket.version)).correlate(None).scalar_subquery(),
            latest(Campaign.updated_at),
            latest(Brand.updated_at),
            latest(Market.updated_at),
            latest(Channel.updated_at),
            latest(User.updated_at),
            row_count(User),
        )
    ).one()
    limits = board_settings.wip_limits()
    wip = sorted((status.value, c.wip_limit, c.hard) for status, c in limits.items())
    return tuple(stamps_read), tuple(wip)


def fingerprint(user, query_string: str, csrf_token: str) -> str:
    """The digest of what the board's columns show for `user` at this URL.

    The workspace's stamps are read again only after a write was committed (an idle board's
    refresh reads none: services/stamps.py).
    """
    state = stamps.unchanged_since("board", _workspace_state)
    parts = (state, str(user.id), user.role.value, query_string, csrf_token)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def etag(fingerprint_digest: str, until: datetime) -> str:
    """The refresh's tag: good until `until` (whole seconds), bound to the fingerprint."""
    stamp = int(until.timestamp())
    digest = hashlib.sha256(f"{fingerprint_digest}|{stamp}".encode()).hexdigest()[:32]
    return f"{stamp}-{digest}"


def still_good(tags, fingerprint_digest: str, now: datetime) -> str | None:
    """The one of the browser's `tags` (If-None-Match) that still holds, if any."""
    for tag in tags:
        stamp, _, _digest = tag.partition("-")
        if not stamp.isdigit() or int(stamp) <= now.timestamp():
            continue
        if tag == etag(fingerprint_digest, datetime.fromtimestamp(int(stamp), now.tzinfo)):
            return tag
    return None
