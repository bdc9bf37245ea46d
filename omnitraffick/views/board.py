"""The kanban board: one column per ticket status, moves by drag and drop or keyboard."""

import hashlib
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField

from ..auth import admin_required, editor_required
from ..compression import identity_tag
from ..errors import http_status
from ..extensions import db
from ..models import (
    Brand,
    Campaign,
    Channel,
    Market,
    RequestType,
    Ticket,
    TicketStatus,
    as_utc,
    utcnow,
)
from ..security import steady_csrf_token
from ..services import board_poll, board_settings, queries, taxonomy, team, tickets, trafficking
from ..services.errors import DomainError
from ..templating import ago_changes_at
from ..web import is_fragment_request, render
from .ticket_queries import board_query_args, filter_options

bp = Blueprint("board", __name__, url_prefix="/board")

# Cards shown per column before "Show more"; finished work shows only the most recent.
COLUMN_SIZE = 30
DONE_COLUMN_SIZE = 20
MORE = 30
# "Send all ready" sends at most this many tickets per click.
SEND_ALL_LIMIT = 100


@dataclass(frozen=True)
class Card:
    """What a board card shows: plain values, so a column of them is cheap to load."""

    id: uuid.UUID
    status: TicketStatus
    version: int
    request_type: RequestType
    status_changed_at: datetime
    campaign_name: str
    brand_code: str
    brand_name: str
    market_code: str
    country: str
    channel_code: str
    channel_name: str
    sending_since: datetime | None = None
    send_error: str | None = None
    assignee_name: str | None = None
    assignee_email: str | None = None
    due_date: date | None = None
    external_platform_id: str | None = None
    qa_failure_reason: str | None = None
    channel_at: int | None = None  # where the campaign's convention put the channel part

    # Worked out once per card: a card's template reads each of them several times, and a
    # board renders a couple of hundred cards.
    @cached_property
    def platform_name(self) -> str:
        return taxonomy.ticket_platform_name(self.campaign_name, self.channel_at, self.channel_code)

    @cached_property
    def owner(self) -> str | None:
        """The owner's name (their email without one); None: nobody owns it."""
        return (self.assignee_name or self.assignee_email) if self.assignee_email else None

    @cached_property
    def initials(self) -> str:
        return team.initials(self.assignee_name, self.assignee_email)

    @cached_property
    def due(self) -> str | None:
        """ "overdue" or "due-soon" while the ticket is still to be trafficked."""
        if self.status is TicketStatus.TRAFFICKED_SUCCESS:
            return None
        return team.due_state(self.due_date)

    def lane(self, lanes: str) -> str | None:
        """The key of this card's swimlane when the board is split by `lanes`."""
        return {
            "brand": self.brand_code,
            "market": self.market_code,
            "channel": self.channel_code,
            "assignee": self.assignee_email,
        }[lanes]

    @cached_property
    def days_in_status(self) -> int:
        return max(0, (utcnow() - as_utc(self.status_changed_at)).days)

    @classmethod
    def of(cls, ticket: Ticket) -> "Card":
        campaign, owner = ticket.campaign, ticket.assignee
        return _unstale(
            cls(
                ticket.id,
                ticket.status,
                ticket.version,
                ticket.request_type,
                ticket.status_changed_at,
                campaign.name,
                campaign.brand.internal_code,
                campaign.brand.name,
                campaign.market.code,
                campaign.market.country,
                ticket.channel.api_identifier,
                ticket.channel.platform_name,
                ticket.sending_since,
                ticket.send_error,
                owner.name if owner else None,
                owner.email if owner else None,
                ticket.due_date,
                ticket.external_platform_id,
                ticket.qa_failure_reason,
                campaign.channel_at,
            )
        )


@bp.app_template_global()
def sends_to_sandbox(channel_code: str) -> bool:
    """Whether a channel's sends go to the platform sandbox, for labels on cards."""
    return trafficking.connection_for(channel_code, current_app.config).sandbox


def _unstale(card: Card) -> Card:
    """A send whose job was lost long ago no longer shows as in progress."""
    if card.sending_since is None or trafficking.send_is_fresh(card.sending_since):
        return card
    return replace(card, sending_since=None)


CARD_COLUMNS = (
    Ticket.id,
    Ticket.status,
    Ticket.version,
    Ticket.request_type,
    Ticket.status_changed_at,
    Campaign.name,
    Brand.internal_code,
    Brand.name,
    Market.code,
    Market.country,
    Channel.api_identifier,
    Channel.platform_name,
    Ticket.sending_since,
    Ticket.send_error,
    queries.Assignee.name,
    queries.Assignee.email,
    Ticket.due_date,
    Ticket.external_platform_id,
    Ticket.qa_failure_reason,
    Campaign.channel_at,
)


def column_limit(status: TicketStatus, query: queries.TicketQuery) -> int:
    base = DONE_COLUMN_SIZE if status is TicketStatus.TRAFFICKED_SUCCESS else COLUMN_SIZE
    return query.shown.get(status, base)


def load_columns(query: queries.TicketQuery) -> dict:
    """Each column's most recently moved cards, in one query whatever the size."""
    counts = queries.count_tickets_by_status(query)
    limits = board_settings.wip_limits()
    # WIP limits hold for the whole column: a filtered board still shows the whole count.
    totals = counts
    if limits and queries.ticket_conditions(query):
        totals = queries.count_tickets_by_status(queries.TicketQuery())
    shown = {status: column_limit(status, query) for status in TicketStatus if counts[status]}
    cards = {status: [] for status in TicketStatus}
    if shown:
        rows = db.session.execute(queries.select_tickets_per_status(query, shown, *CARD_COLUMNS))
        for row in rows:
            card = _unstale(Card(*row))
            cards[card.status].append(card)
    columns = {}
    for status in TicketStatus:
        wip = limits.get(status)
        columns[status] = {
            "cards": cards[status],
            "count": counts[status],
            "limit": column_limit(status, query),
            "wip": wip,
            "total": totals[status],
            "over": wip is not None and totals[status] > wip.wip_limit,
        }
    return columns


def load_lanes(query: queries.TicketQuery, columns: dict) -> list[dict] | None:
    """The board split into swimlanes: per lane, its label and, per column, cards and count.

    The cards are the columns' own (so "Show more" works the same); the counts come from one
    grouped query.
    """
    if not query.lanes:
        return None
    found = queries.count_tickets_by_lane(query)
    lanes = {}
    for (key, status), n in found["counts"].items():
        lane = lanes.setdefault(key, {"key": key, "label": found["labels"][key], "columns": {}})
        lane["columns"][status] = {"count": n, "cards": []}
    for status, column in columns.items():
        for card in column["cards"]:
            lane = lanes.get(card.lane(query.lanes))
            if lane is not None:
                lane["columns"].setdefault(status, {"count": 0, "cards": []})["cards"].append(card)
    empty = {"count": 0, "cards": []}
    ordered = sorted(lanes.values(), key=lambda lane: (lane["key"] is None, str(lane["label"])))
    for lane in ordered:
        lane["id"] = lane_id(lane["key"])
        lane["label"] = lane["label"] or "Nobody"
        lane["columns"] = {s: lane["columns"].get(s, empty) for s in TicketStatus}
    return ordered


def lane_id(key: str | None) -> str:
    """A lane's id in the page, the same on every render (a move's answer finds it)."""
    return "lane-" + hashlib.sha1(str(key).encode()).hexdigest()[:10]


def cards_id(card: Card, board_query: str | None) -> str:
    """The id of the card list a moved card lands in: its column, in its lane if any."""
    lanes = parse_board(board_query).lanes
    status = card.status.value
    return f"cards-{lane_id(card.lane(lanes))}-{status}" if lanes else f"cards-{status}"


def board_context(query: queries.TicketQuery, board_query: str | None = None) -> dict:
    columns = load_columns(query)
    return {
        "query": query,
        "columns": columns,
        "lanes": load_lanes(query, columns),
        "board_query": request.query_string.decode() if board_query is None else board_query,
        "transitions": tickets.TRANSITIONS,
        "label": tickets.label,
        "more": MORE,
    }


def parse_board(board_query: str | None) -> queries.TicketQuery:
    """The board's filters as a move or "Send all ready" carries them (problems ignored)."""
    return queries.parse_tickets(board_query_args(board_query), queries.TICKET_BOARD)


@bp.get("/")
def index():
    """The board, filtered by what the URL says."""
    query = queries.parse_tickets(request.args, queries.TICKET_BOARD)
    if is_fragment_request():
        return refresh(query)
    context = board_context(query) | filter_options(query)
    context |= {
        "ticket_statuses": list(TicketStatus),
        "views": board_settings.views_for(current_user),
        "view_form": ViewForm(formdata=None),
        "lane_choices": queries.LANES,
    }
    return render("board/index.html", "board/_columns.html", **context)


def refresh(query: queries.TicketQuery) -> Response:
    """The columns (the 4-second refresh and the filters): an unchanged board answers 304
    with no body and without rendering, and the browser's cache hands htmx the columns it
    already has (services/board_poll.py says how "unchanged" is known)."""
    digest = board_poll.fingerprint(
        current_user, request.query_string.decode(), steady_csrf_token()
    )
    now = utcnow()
    # The browser sends back the tag of the body it holds: "x:br" when it came compressed.
    sent = {identity_tag(tag): tag for tag in request.if_none_match.as_set(True)}
    kept = board_poll.still_good(sent, digest, now)
    if kept is not None:
        response = Response(status=304)
        response.vary.add("HX-Request")
        response.set_etag(sent[kept])
    else:
        context = board_context(query)
        response = render("board/index.html", "board/_columns.html", **context)
        response.set_etag(board_poll.etag(digest, cards_change_at(context["columns"], now)))
    response.cache_control.no_cache = True
    response.cache_control.private = True
    return response


def cards_change_at(columns: dict, now: datetime) -> datetime:
    """When the cards shown next read differently with nothing written: an age ("12m"), a
    due state (at the server's midnight), a send in progress turning stale."""
    until = now + timedelta(days=1)
    stale_after = timedelta(seconds=current_app.config["SEND_STALE_AFTER_SECONDS"])
    for column in columns.values():
        for card in column["cards"]:
            until = min(until, ago_changes_at(card.status_changed_at, now))
            if card.sending_since is not None:
                until = min(until, as_utc(card.sending_since) + stale_after + timedelta(seconds=1))
            if card.due_date is not None:
                midnight = datetime.combine(date.today() + timedelta(days=1), time()).astimezone()
                until = min(until, midnight)
    return until


class ViewForm(FlaskForm):
    name = StringField("Name", render_kw={"maxlength": board_settings.MAX_VIEW_NAME})
    shared = BooleanField("Share with the team")
    board = HiddenField()  # the board's query string: what the view keeps


@bp.post("/views")
def save_view():
    """Save the board's filters and swimlanes under a name."""
    form = ViewForm()
    board_query = (form.board.data or "").lstrip("?")
    if not form.validate_on_submit():
        flash("The form has expired; reload the page.", "error")
        return redirect(url_for(".index") + ("?" + board_query if board_query else ""))
    try:
        view = board_settings.save_view(
            current_user, form.name.data, board_query, shared=form.shared.data
        )
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for(".index") + ("?" + board_query if board_query else ""))
    db.session.commit()
    flash(f"View {view.name} saved.", "success")
    return redirect(url_for(".index") + ("?" + view.query if view.query else ""))


@bp.route("/limits", methods=["GET", "POST"])
@admin_required
def limits():
    """Set each column's WIP limit, soft (warns) or hard (refuses)."""
    form = FlaskForm()
    errors, status = {}, 200
    if form.validate_on_submit():
        for column in TicketStatus:
            try:
                board_settings.set_wip_limit(
                    column,
                    request.form.get(f"limit_{column.value}", ""),
                    hard=request.form.get(f"hard_{column.value}") == "y",
                )
            except DomainError as err:
                errors[column] = err.message
        if not errors:
            db.session.commit()
            flash("WIP limits saved.", "success")
            return redirect(url_for(".limits"))
        db.session.rollback()
        status = 422
    elif form.is_submitted():
        flash("The form has expired; reload the page.", "error")
        status = 400
    return render(
        "board/limits.html",
        form=form,
        statuses=list(TicketStatus),
        limits=board_settings.wip_limits(),
        errors=errors,
        values=request.form if errors else None,
        label=tickets.label,
        status=status,
    )


@bp.post("/views/<uuid:view_id>/delete")
def delete_view(view_id):
    """Delete one of one's own saved views."""
    if not FlaskForm().validate_on_submit():
        flash("The form has expired; reload the page.", "error")
        return redirect(url_for(".index"))
    try:
        board_settings.delete_view(current_user, view_id)
    except DomainError as err:
        db.session.rollback()
        abort(http_status(err), description=err.message)
    db.session.commit()
    flash("View deleted.", "success")
    return redirect(url_for(".index"))


class SendReadyForm(FlaskForm):
    board = HiddenField()  # the board's query string: its filters


@bp.post("/send-ready")
@editor_required
def send_ready():
    """Send every Ready for API ticket the board's filters show (oldest first, up to a limit)."""
    form = SendReadyForm()
    board_query = (form.board.data or "").lstrip("?")
    if not form.validate_on_submit():
        outcome, status = SendAll(expired=True), 400
    else:
        outcome, status = _send_ready(parse_board(board_query)), 200
    if not is_fragment_request():
        flash(outcome.summary(), outcome.level)
        return redirect(url_for(".index") + ("?" + board_query if board_query else ""))
    return render(
        "board/_send_ready.html",
        "board/_send_ready.html",
        outcome=outcome,
        status=status,
        **board_context(parse_board(board_query), board_query),
    )


@dataclass
class SendAll:
    """What "Send all ready" did."""

    sent: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (platform name, why)
    capped: bool = False
    expired: bool = False

    @property
    def level(self) -> str:
        if self.expired or (self.refused and not self.sent):
            return "error"
        return "info" if self.refused else "success"

    def summary(self) -> str:
        if self.expired:
            return "The form has expired; reload the page."
        if not self.sent and not self.refused:
            return "No ticket under these filters is Ready for API and waiting to be sent."
        text = f"Sending {self.sent} ticket{'s' if self.sent != 1 else ''} to their platforms."
        if self.capped:
            text += f" At most {SEND_ALL_LIMIT} go at a time: send again for the rest."
        if self.refused:
            text += f" {len(self.refused)} could not be sent:"
        return text


def _send_ready(query: queries.TicketQuery) -> SendAll:
    sent, refused = trafficking.send_all_ready(query, actor=current_user, limit=SEND_ALL_LIMIT)
    return SendAll(sent, refused, capped=sent + len(refused) == SEND_ALL_LIMIT)


def stale_reason(ticket: Ticket, seen_status: str | None) -> tuple[str, bool]:
    """Why a card the user holds is out of date, and whether it moved to another column."""
    who, when, _to = tickets.last_change(ticket)
    name = (who.name or who.email) if who is not None else None
    ago = ""
    if when is not None:
        seconds = max(0, int((utcnow() - as_utc(when)).total_seconds()))
        ago = "just now" if seconds < 5 else f"{seconds} s ago" if seconds < 120 else ""
    if seen_status is not None and seen_status != ticket.status.value:
        return (
            f"{name or 'Someone else'} moved this ticket to {tickets.label(ticket.status)}"
            f"{' ' + ago if ago else ''} while you had it; it is there now.",
            True,
        )
    said = ", ".join(part for part in (name, ago) if part)
    return (
        f"This ticket was changed by someone else{f' ({said})' if said else ''} while you had "
        "it. Here it is as it is now: move it again if it still needs to go.",
        False,
    )


def render_stale(ticket: Ticket, board_query: str | None, seen_status: str | None, status=200):
    """Answer for a card someone else changed while the user held it (dragging, or dropped
    with an old version): it goes where it is now, at once, saying who and what."""
    reason, moved = stale_reason(ticket, seen_status)
    return render_move(ticket, board_query, reason, None, status, relocate=moved)


def render_move(ticket, board_query, error, asking, status, notice=None, *, relocate=False):
    """Answer a move made on the board.

    Refused or needing input: the card comes back in place, saying why or asking.
    Done (or `relocate`: moved by someone else): the old card goes (HX-Reswap: delete), the
    card lands at the top of its new column and every column count updates, out of band.
    """
    moved = relocate or (status == 200 and error is None)
    counts = queries.count_tickets_by_status(parse_board(board_query)) if moved else None
    card = Card.of(ticket)
    response = render(
        "board/_move.html",
        "board/_move.html",
        card=card,
        target=cards_id(card, board_query) if moved else None,
        notice=notice,
        moved=moved,
        error=error,
        asking=asking,
        counts=counts,
        board_query=board_query or "",
        transitions=tickets.TRANSITIONS,
        label=tickets.label,
        status=status,
    )
    if moved:
        response.headers["HX-Reswap"] = "delete"
    return response


def render_card(ticket, board_query: str, *, error=None, status=200):
    return render(
        "tickets/_card.html",
        "tickets/_card.html",
        card=Card.of(ticket),
        board_query=board_query,
        transitions=tickets.TRANSITIONS,
        label=tickets.label,
        error=error,
        status=status,
    )
