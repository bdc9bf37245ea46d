"""Lists: filters, sort and paging, parsed once and applied by one function per entity.

Every list the app shows or serves has one query object, a frozen dataclass, and one
function that parses it from a mapping of query parameters (`request.args`):

    parse_campaigns(args, surface) -> CampaignQuery   the campaign list, its CSV, the portfolio
    parse_tickets(args, surface)   -> TicketQuery     the ticket list, its CSV, the board
    parse_table(args, spec, surface) -> TableQuery    markets, brands, channels and users

A *surface* is a place a list is read from: the HTML list, a report, the board or the API.
It names the parameters that place takes (the API says `brand_id` where a page says
`brand`), its default order, whether it takes `sort` and `dir`, and how it pages (`page`
of PAGE_SIZE rows on a page, `limit` and `offset` in the API, nothing for CSV and reports).
Whoever asked, the query is then applied by the same functions:

    select_campaigns(query, *columns), count_campaigns, campaign_page
    select_tickets(query, *columns), count_tickets, count_tickets_by_status, ticket_page
    select_table(query), count_table, table_page
    fetch_page(stmt, total, query) -> Page

and `campaign_conditions`, `ticket_conditions` give the bare WHERE conditions to grouped
queries (the portfolio's totals, the board's column counts).

Unknown and bad parameters. Parsing never raises: a parameter the surface does not take, or
a value it cannot use, leaves that part of the query at its default and is recorded in
`query.problems` as {parameter: [message]}, in the words the API has always used
("brand_id must be a UUID.", "Unknown query parameter; this one takes: ..."). Then:
- the API refuses the request with `query.check()`: 422 `{"detail", "errors"}`, the detail
  being every message joined (one bad parameter reads exactly as before; several are now
  all named at once instead of the first only);
- the HTML lists answer 200 with the list as if the parameter were absent (a bad page
  number shows the first page, an unknown sort the default order) and show the messages
  next to the filters (the `list_problems` macro), so no value is dropped silently;
- CSV exports apply the same query and leave out the same parameters without a word: a CSV
  has nowhere to say it, and it is downloaded from the list that already said it;
- a board move re-reads the board's filters to recount its columns and ignores problems
  (the board showed them when it was loaded).

Two spellings are kept because tests pin them: the campaign pages match `status` exactly as
their <select> sends it (`status=active` is reported and ignored there), while the ticket
pages and the API take any case. Search text is trimmed and cut to MAX_SEARCH characters
everywhere rather than refused. Board column sizes above MAX_SHOWN are capped, not refused:
"Show more" keeps adding to them.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, Self

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased, contains_eager

from ..extensions import db
from ..models import (
    Brand,
    Campaign,
    CampaignStatus,
    Channel,
    ExchangeRate,
    Market,
    Ticket,
    TicketStatus,
    User,
)
from .countries import codes_matching
from .errors import ValidationError

PAGE_SIZE = 50  # rows on a page of an HTML list
MAX_PAGE = 99_999
DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 50, 500, 10**9  # the API's paging
MAX_SEARCH = 200  # characters of search text used
MAX_SHOWN = 1000  # cards a board column shows at most


# --- surfaces ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    """A place a list is read from: the parameters it takes there, and its defaults."""

    filters: Mapping[str, str]  # query field -> the parameter that sets it here
    sort: str  # the order when none is asked for
    desc: bool = False
    sorts: tuple[str, ...] = ()  # the orders `sort` may ask for; none: `sort`/`dir` not taken
    paging: Literal["page", "offset"] | None = "page"
    columns: bool = False  # takes show_<status>: how many cards a board column shows
    exact_case: bool = False  # statuses spelled exactly as a <select> sends them

    def parameters(self) -> set[str]:
        """Every query parameter this surface takes."""
        names = set(self.filters.values())
        if self.sorts:
            names |= {"sort", "dir"}
        if self.paging == "page":
            names.add("page")
        elif self.paging == "offset":
            names |= {"limit", "offset"}
        if self.columns:
            names |= {show_parameter(status) for status in TicketStatus}
        return names


def show_parameter(status: TicketStatus) -> str:
    """The board's parameter for how many cards the column of `status` shows."""
    return f"show_{status.value.lower()}"


def unknown_parameters(names: Iterable[str], allowed: Iterable[str]) -> dict[str, list[str]]:
    """A message for each of `names` not `allowed`: the same words on every list and the API."""
    allowed = set(allowed)
    known = ", ".join(sorted(allowed)) or "none"
    return {
        name or "(empty name)": [f"Unknown query parameter; this one takes: {known}."]
        for name in sorted(set(names) - allowed)
    }


# --- pages ------------------------------------------------------------------------------------


@dataclass
class Page:
    """One page of a list, plus what the pager needs."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


# --- query objects ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ListQuery:
    """Search, order and paging of a list, plus what in the URL could not be used."""

    q: str = ""
    sort: str
    desc: bool = False
    limit: int | None = None  # rows per page; None: every row (CSV exports, reports)
    offset: int = 0
    problems: Mapping[str, list[str]] = field(default_factory=dict, compare=False)

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1 if self.limit else 1

    def check(self) -> Self:
        """The query itself, or a 422 naming every unknown or bad parameter (the API's way)."""
        if self.problems:
            detail = " ".join(message for ms in self.problems.values() for message in ms)
            raise ValidationError(detail, errors={k: list(v) for k, v in self.problems.items()})
        return self


@dataclass(frozen=True, kw_only=True)
class CampaignQuery(ListQuery):
    """The campaign list's filters; the portfolio report and the exports read the same."""

    sort: str = "created"
    desc: bool = True
    brand: uuid.UUID | None = None
    market: uuid.UUID | None = None
    year: int | None = None
    status: CampaignStatus | None = None

    @property
    def filtered(self) -> bool:
        """Whether any filter (beyond search text) narrows the campaigns."""
        return any(v is not None for v in (self.brand, self.market, self.year, self.status))


@dataclass(frozen=True, kw_only=True)
class TicketQuery(ListQuery):
    """The ticket list's and the board's filters."""

    sort: str = "updated"
    desc: bool = True
    status: TicketStatus | None = None
    brand: uuid.UUID | None = None
    market: uuid.UUID | None = None
    channel: uuid.UUID | None = None
    campaign: uuid.UUID | None = None
    assignee: uuid.UUID | None = None  # "My tickets": the signed-in user's id
    lanes: str | None = None  # board: split into swimlanes by brand, market, channel, assignee
    shown: Mapping[TicketStatus, int] = field(default_factory=dict)  # board: cards per column


@dataclass(frozen=True)
class TableSpec:
    """A list of one table's rows, searched and sorted by its own columns."""

    model: type
    sortable: Mapping[str, Any]  # sort key -> column; the first is the default order
    searchable: tuple = ()
    # A further match for the search text beyond the columns, e.g. a country's name.
    search_more: Callable[[str], ColumnElement] | None = None

    @property
    def html(self) -> Surface:
        """The admin's HTML list: search, sort by any column, pages."""
        return Surface({"q": "q"}, sort=next(iter(self.sortable)), sorts=tuple(self.sortable))

    @property
    def api(self) -> Surface:
        """The API's list: search, in the default order, with limit and offset."""
        return Surface({"q": "q"}, sort=next(iter(self.sortable)), paging="offset")


@dataclass(frozen=True, kw_only=True)
class TableQuery(ListQuery):
    """Search, order and page of a table's list."""

    spec: TableSpec = field(compare=False)


# --- what each list takes, and where ----------------------------------------------------------

CAMPAIGN_SORTS = {
    "created": Campaign.created_at,
    "name": Campaign.name,
    "brand": Brand.name,
    "market": Market.code,
    "year": Campaign.year,
    "budget": Campaign.budget,
    "status": Campaign.status,
}
_CAMPAIGN_PARAMETERS = {
    "brand": "brand",
    "market": "market",
    "status": "status",
    "year": "year",
    "q": "q",
}
CAMPAIGN_LIST = Surface(
    _CAMPAIGN_PARAMETERS, "created", desc=True, sorts=tuple(CAMPAIGN_SORTS), exact_case=True
)
# The portfolio report and its CSV: the largest first, no pages (the report shows the top rows).
CAMPAIGN_REPORT = Surface(
    _CAMPAIGN_PARAMETERS,
    "budget",
    desc=True,
    sorts=tuple(CAMPAIGN_SORTS),
    paging=None,
    exact_case=True,
)
CAMPAIGN_API = Surface(
    _CAMPAIGN_PARAMETERS | {"brand": "brand_id", "market": "market_id"},
    "created",
    desc=True,
    paging="offset",
)

TICKET_SORTS = {
    "updated": Ticket.updated_at,
    "status": Ticket.status,
    "campaign": Campaign.name,
    "channel": Channel.api_identifier,
    "request": Ticket.request_type,
    "moved": Ticket.status_changed_at,  # the board's and the API's order
}
_TICKET_PARAMETERS = {
    "status": "status",
    "brand": "brand",
    "market": "market",
    "channel": "channel",
    "campaign": "campaign",
    "assignee": "assignee",
    "q": "q",
}
TICKET_LIST = Surface(
    _TICKET_PARAMETERS,
    "updated",
    desc=True,
    sorts=("updated", "status", "campaign", "channel", "request"),
)
TICKET_BOARD = Surface(
    _TICKET_PARAMETERS | {"lanes": "lanes"}, "moved", desc=True, paging=None, columns=True
)
LANES = ("brand", "market", "channel", "assignee")
TICKET_API = Surface(
    {
        "status": "status",
        "campaign": "campaign_id",
        "channel": "channel_id",
        "assignee": "assignee_id",
    },
    "moved",
    desc=True,
    paging="offset",
)

MARKETS = TableSpec(
    Market,
    {
        "code": Market.code,
        "country": Market.country,
        "region": Market.region,
        "currency": Market.currency,
    },
    (Market.code, Market.country, Market.region),
    # Countries are stored as codes: a search for "hungary" finds HU by its name too.
    lambda q: Market.country.in_(codes_matching(q)),
)
BRANDS = TableSpec(
    Brand,
    {"name": Brand.name, "internal_code": Brand.internal_code},
    (Brand.name, Brand.internal_code),
)
CHANNELS = TableSpec(
    Channel,
    {"platform_name": Channel.platform_name, "api_identifier": Channel.api_identifier},
    (Channel.platform_name, Channel.api_identifier),
)
USERS = TableSpec(
    User, {"email": User.email, "name": User.name, "role": User.role}, (User.email, User.name)
)


# --- parsing ----------------------------------------------------------------------------------


class _Reader:
    """Reads one surface's parameters from `args`, noting a message for each bad one."""

    def __init__(self, args: Mapping[str, str], surface: Surface):
        self.args = args
        self.surface = surface
        self.problems = unknown_parameters(args.keys(), surface.parameters())

    def _raw(self, name: str | None) -> str | None:
        """The parameter's value; sent empty (as an HTML form does) it is not there."""
        value = self.args.get(name) if name else None
        return value if value else None

    def _refuse(self, name: str, message: str) -> None:
        self.problems.setdefault(name, []).append(message)

    def filter(self, field_name: str, read: Callable[[str, str], Any]) -> Any:
        """A filter's value, read by `read(name, raw)`, if this surface takes it."""
        name = self.surface.filters.get(field_name)
        raw = self._raw(name)
        if raw is None:
            return None
        try:
            return read(name, raw)
        except ValueError as err:
            self._refuse(name, str(err))
            return None

    def text(self, field_name: str = "q") -> str:
        name = self.surface.filters.get(field_name)
        return (self._raw(name) or "").strip()[:MAX_SEARCH]

    def order(self) -> dict:
        surface = self.surface
        sort, desc = surface.sort, surface.desc
        if not surface.sorts:
            return {"sort": sort, "desc": desc}
        asked = self._raw("sort")
        if asked is not None:
            if asked in surface.sorts:
                sort = asked
            else:
                self._refuse("sort", f"sort must be one of {', '.join(surface.sorts)}.")
        direction = self._raw("dir")
        if direction is not None:
            if direction in ("asc", "desc"):
                desc = direction == "desc"
            else:
                self._refuse("dir", "dir must be asc or desc.")
        return {"sort": sort, "desc": desc}

    def paging(self) -> dict:
        if self.surface.paging == "page":
            page = self._whole("page", 1, MAX_PAGE, 1, blank=True)
            return {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
        if self.surface.paging == "offset":
            # The API never took an empty limit or offset: it is refused like any other.
            return {
                "limit": self._whole("limit", 1, MAX_LIMIT, DEFAULT_LIMIT, blank=False),
                "offset": self._whole("offset", 0, MAX_OFFSET, 0, blank=False),
            }
        return {"limit": None, "offset": 0}

    def _whole(self, name: str, low: int, high: int, default: int, *, blank: bool) -> int:
        raw = self.args.get(name)
        if raw is None or (blank and raw == ""):
            return default
        # The length check first: int() refuses strings of thousands of digits with an error.
        digits = raw.lstrip("0") or "0"
        if is_digits(raw) and len(digits) <= len(str(high)) and low <= int(digits) <= high:
            return int(digits)
        self._refuse(name, f"{name} must be a whole number from {low} to {high}.")
        return default

    def shown(self) -> dict[TicketStatus, int]:
        if not self.surface.columns:
            return {}
        shown = {}
        for status in TicketStatus:
            name = show_parameter(status)
            raw = self._raw(name)
            if raw is None:
                continue
            if is_digits(raw):
                digits = raw.lstrip("0") or "0"
                shown[status] = min(int(digits), MAX_SHOWN) if len(digits) <= 7 else MAX_SHOWN
            else:
                self._refuse(name, f"{name} must be a whole number.")
        return shown

    def status(self, enum_cls: type[Enum]) -> Any:
        exact = self.surface.exact_case
        return self.filter("status", lambda name, raw: _member(name, raw, enum_cls, exact))


def is_digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() alone also takes "²" and "٣"."""
    return text.isascii() and text.isdigit()


def _uuid(name: str, raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValueError(f"{name} must be a UUID.") from None


def _lane(name: str, raw: str) -> str:
    if raw not in LANES:
        raise ValueError(f"{name} must be one of {', '.join(LANES)}.")
    return raw


def _year(name: str, raw: str) -> int:
    if not (is_digits(raw) and len(raw) == 4):
        raise ValueError(f"{name} must be four digits.")
    return int(raw)


def _member(name: str, raw: str, enum_cls: type[Enum], exact: bool) -> Enum:
    try:
        return enum_cls(raw if exact else raw.upper())
    except ValueError:
        choices = ", ".join(m.value for m in enum_cls)
        raise ValueError(f"{name} must be one of {choices}.") from None


def parse_campaigns(args: Mapping[str, str], surface: Surface = CAMPAIGN_LIST) -> CampaignQuery:
    """The campaign query that `args` asks for on `surface`."""
    read = _Reader(args, surface)
    return CampaignQuery(
        brand=read.filter("brand", _uuid),
        market=read.filter("market", _uuid),
        status=read.status(CampaignStatus),
        year=read.filter("year", _year),
        q=read.text(),
        **read.order(),
        **read.paging(),
        problems=read.problems,
    )


def parse_tickets(args: Mapping[str, str], surface: Surface = TICKET_LIST) -> TicketQuery:
    """The ticket query that `args` asks for on `surface`."""
    read = _Reader(args, surface)
    return TicketQuery(
        status=read.status(TicketStatus),
        brand=read.filter("brand", _uuid),
        market=read.filter("market", _uuid),
        channel=read.filter("channel", _uuid),
        campaign=read.filter("campaign", _uuid),
        assignee=read.filter("assignee", _uuid),
        lanes=read.filter("lanes", _lane),
        q=read.text(),
        shown=read.shown(),
        **read.order(),
        **read.paging(),
        problems=read.problems,
    )


def parse_table(
    args: Mapping[str, str], spec: TableSpec, surface: Surface | None = None
) -> TableQuery:
    """The query for a table's list that `args` asks for (on its HTML list by default)."""
    read = _Reader(args, surface or spec.html)
    return TableQuery(
        spec=spec, q=read.text(), **read.order(), **read.paging(), problems=read.problems
    )


# --- applying ---------------------------------------------------------------------------------


def escape_like(text: str) -> str:
    """`text` matched literally by LIKE: its %, _ and \\ are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, text: str) -> ColumnElement:
    """`column` holds `text`, ignoring case."""
    return column.ilike(f"%{escape_like(text)}%", escape="\\")


def latest_rate_date():
    """A scalar subquery: the latest date holding any exchange rate (services/rates.py)."""
    return select(func.max(ExchangeRate.rate_date)).scalar_subquery()


def budget_in_euro(per_euro: Mapping[str, Any]) -> ColumnElement:
    """A campaign's budget in euro at the given rates (units per euro, by currency); NULL
    where its currency has none.

    Budgets in different currencies are ranked by this, never by their bare numbers: the
    reporting currency differs from the euro by one factor, which keeps the order. The
    rates are written into the statement, so the database divides and sorts, no more.
    """
    rate = case(
        {code: literal(value) for code, value in per_euro.items()},
        value=Market.currency,
        else_=None,
    )
    return Campaign.budget / rate


def _campaign_ordering(query: CampaignQuery, per_euro: Mapping[str, Any] | None) -> list:
    """The campaign order; by budget, converted amounts first, then the rest per currency."""
    if query.sort != "budget":
        # Ties go by id in the same direction, so a descending order reads one index
        # (created_at, id) backwards instead of sorting each run of equal keys.
        tie = Campaign.id.desc() if query.desc else Campaign.id.asc()
        return _ordering(CAMPAIGN_SORTS, query, tie)
    keys = [Market.currency, Campaign.budget]
    first = []
    if per_euro:
        converted = budget_in_euro(per_euro)
        keys.insert(0, converted)
        first.append(converted.is_(None))
    return [*first, *(key.desc() if query.desc else key.asc() for key in keys), Campaign.id]


# A budget order ranks each market's first rows (below); past this many markets it sorts
# every row instead (SQLite takes at most 500 members in one compound SELECT).
MAX_RANKED_MARKETS = 200


def _budget_candidates(query: CampaignQuery, top: int, markets: Iterable[uuid.UUID] | None):
    """The ids that can be among the first `top` campaigns in a budget order, or None.

    Within one market every budget is in one currency, converted at one rate, so the budget
    order restricted to a market is that market's order by budget (then id): the first `top`
    overall are among the first `top` of each market. Each market's are one range scan of
    the (market, budget, id) index, so the database sorts at most markets x `top` rows instead
    of every campaign. `markets`: every market's id, when the caller has read them already;
    else one more small query reads them.

    Not under a brand, year or status filter: their indexes narrow the rows first, and
    sorting those few is cheaper than reading each market's budgets until enough pass.
    """
    if query.brand or query.year is not None or query.status:
        return None
    if query.market:
        markets = [query.market]
    elif markets is None:
        markets = list(db.session.scalars(select(Market.id)))
    markets = sorted(set(markets))
    if not markets or len(markets) > MAX_RANKED_MARKETS:
        return None
    conditions = campaign_conditions(query)
    budget = Campaign.budget.desc() if query.desc else Campaign.budget.asc()
    firsts = []
    for market in markets:
        first = (
            select(Campaign.id)
            .where(Campaign.market_id == market, *conditions)
            .order_by(budget, Campaign.id)
            .limit(top)
            .subquery()
        )
        firsts.append(select(first.c.id))  # wrapped: SQLite refuses LIMIT in a compound member
    return firsts[0] if len(firsts) == 1 else union_all(*firsts)


def _ordering(sorts: Mapping, query: ListQuery, tie_breaker) -> list:
    """ORDER BY the chosen column; the tie-breaker keeps pages stable."""
    column = sorts[query.sort]
    return [column.desc() if query.desc else column.asc(), tie_breaker]


def campaign_conditions(query: CampaignQuery) -> list:
    """WHERE conditions on the campaigns table alone (they need no join)."""
    conditions = [contains(Campaign.name, query.q)] if query.q else []
    if query.brand:
        conditions.append(Campaign.brand_id == query.brand)
    if query.market:
        conditions.append(Campaign.market_id == query.market)
    if query.year is not None:
        conditions.append(Campaign.year == query.year)
    if query.status:
        conditions.append(Campaign.status == query.status)
    return conditions


def select_campaigns(
    query: CampaignQuery,
    *columns,
    per_euro: Mapping[str, Any] | None = None,
    top: int | None = None,
    markets: Iterable[uuid.UUID] | None = None,
) -> Select:
    """Campaigns under the query, in its order, joined to their brand and market.

    Without `columns`: Campaign rows, their brand and market loaded from the same join.
    `per_euro`: the exchange rates a budget order ranks by (Conversion.per_euro); without
    them budgets are ranked within each currency only. `top`: the caller reads at most the
    first `top` rows, which lets a budget order rank each market's first rows only
    (`markets`: every market's id, if the caller has them).
    """
    stmt = (
        select(*columns)
        if columns
        else select(Campaign).options(
            contains_eager(Campaign.brand), contains_eager(Campaign.market)
        )
    )
    stmt = (
        stmt.select_from(Campaign)
        .join(Campaign.brand)
        .join(Campaign.market)
        .where(*campaign_conditions(query))
        .order_by(*_campaign_ordering(query, per_euro))
    )
    if top is not None and query.sort == "budget":
        candidates = _budget_candidates(query, top, markets)
        if candidates is not None:
            stmt = stmt.where(Campaign.id.in_(candidates))
    return stmt


def latest(column):
    """A scalar subquery: the largest value of `column` (an index answers it at once)."""
    return select(func.max(column)).correlate(None).scalar_subquery()


def row_count(model):
    """A scalar subquery: how many rows `model`'s table has."""
    return select(func.count()).select_from(model).correlate(None).scalar_subquery()


def campaigns_state() -> tuple:
    """The campaigns' row count and latest write: two index look-ups whose answer changes
    whenever a campaign is added, changed or deleted."""
    return tuple(db.session.execute(select(row_count(Campaign), latest(Campaign.updated_at))).one())


# What is kept per process about the campaign list, by database, filters and order and the
# campaigns' state when it was read (so a write anywhere makes it unused): counts that read
# every name, and where each page met so far starts. Bounded, the oldest going first.
_KEPT: dict[tuple, dict] = {}
MAX_KEPT = 256


def _kept(query: CampaignQuery, state: tuple) -> dict:
    key = (str(db.engine.url), query.q, query.brand, query.market, query.year, query.status)
    key += (query.sort, query.desc, state)
    if key not in _KEPT:
        if len(_KEPT) >= MAX_KEPT:
            _KEPT.pop(next(iter(_KEPT)), None)
        _KEPT[key] = {"starts": {}}
    return _KEPT[key]


def count_campaigns(query: CampaignQuery, state: tuple | None = None) -> int:
    """How many campaigns the query finds, exactly, counted without the joins.

    count(*), not count(id): SQLite then reads its smallest index. Without search text the
    count reads an index (the whole table's or a filter's) and runs on each request, unless
    the caller read the campaigns' `state` already. With search text it reads every name,
    so it is kept and reused until a campaign is added, changed or deleted.
    """
    stmt = select(func.count()).select_from(Campaign).where(*campaign_conditions(query))
    if not query.q and state is None:
        return db.session.scalar(stmt)
    kept = _kept(query, state or campaigns_state())
    if "count" not in kept:
        kept["count"] = db.session.scalar(stmt)
    return kept["count"]


# Orders by a column of the campaigns table alone: a deep page's ids come from its index.
_OWN_COLUMN_SORTS = {"created", "name", "year", "status"}


def campaign_page(
    query: CampaignQuery,
    per_euro: Mapping[str, Any] | None = None,
    markets: Iterable[uuid.UUID] | None = None,
) -> Page:
    """The query's page of campaigns, in two queries (three by budget without `markets`).

    Past the first page, in an order by the campaigns' own columns, the page is found by its
    first row's key when this process has met it (keyset: the index is entered at that key,
    however deep the page), else by skipping index entries (OFFSET over the campaigns alone,
    not joined rows); the row after the page is the next page's start, so "Next" always
    finds its key. Only the page's rows (and the next one) are joined and loaded; the
    campaigns' state comes with the count, so a deep page runs no more statements than the
    first.
    """
    top = query.offset + query.limit if query.limit else None
    stmt = select_campaigns(query, per_euro=per_euro, top=top, markets=markets)
    if not (query.offset and query.limit and query.sort in _OWN_COLUMN_SORTS):
        return fetch_page(stmt, count_campaigns(query), query)
    conditions = campaign_conditions(query)
    # Filtered (not searched): the count comes along; unfiltered it is the row count itself.
    counted = []
    if conditions and not query.q:
        counted = [select(func.count()).select_from(Campaign).where(*conditions)]
    found = db.session.execute(
        select(
            row_count(Campaign),
            latest(Campaign.updated_at),
            *(stmt.correlate(None).scalar_subquery() for stmt in counted),
        )
    ).one()
    state = tuple(found[:2])
    starts = _kept(query, state)["starts"]
    column = CAMPAIGN_SORTS[query.sort]
    ids = select(Campaign.id).where(*conditions).order_by(*_campaign_ordering(query, None))
    ids = ids.limit(query.limit + 1)
    start = starts.get(query.page)
    if start is None:
        ids = ids.offset(query.offset)
    else:
        at = tuple_(column, Campaign.id)
        ids = ids.where(at <= start if query.desc else at >= start)
    rows = db.session.scalars(stmt.where(Campaign.id.in_(ids))).unique().all()
    if rows:
        starts[query.page] = (getattr(rows[0], column.key), rows[0].id)
    if len(rows) > query.limit:
        starts[query.page + 1] = (getattr(rows[-1], column.key), rows[-1].id)
    total = found[2] if counted else count_campaigns(query, state) if conditions else found[0]
    return Page(list(rows[: query.limit]), total, query.page, query.limit)


def ticket_conditions(query: TicketQuery) -> list:
    """WHERE conditions on tickets joined to their campaign and channel."""
    conditions = []
    if query.status:
        conditions.append(Ticket.status == query.status)
    if query.brand:
        conditions.append(Campaign.brand_id == query.brand)
    if query.market:
        conditions.append(Campaign.market_id == query.market)
    if query.channel:
        conditions.append(Ticket.channel_id == query.channel)
    if query.campaign:
        conditions.append(Ticket.campaign_id == query.campaign)
    if query.assignee:
        conditions.append(Ticket.assignee_id == query.assignee)
    if query.q:
        # Search the platform name: the campaign name with this channel's code for MULTI.
        platform = func.replace(Campaign.name, "_MULTI_", "_" + Channel.api_identifier + "_")
        conditions.append(contains(platform, query.q))
    return conditions


# A ticket's owner, as joined to the ticket (User alone is the signed-in user's table too).
Assignee = aliased(User, name="assignee")


def joined_tickets(*columns) -> Select:
    """Tickets joined to what a card shows: campaign, brand, market, channel and owner.

    Without `columns`: Ticket rows with all five loaded from the same join.
    """
    stmt = (
        select(*columns)
        if columns
        else select(Ticket).options(
            contains_eager(Ticket.campaign).contains_eager(Campaign.brand),
            contains_eager(Ticket.campaign).contains_eager(Campaign.market),
            contains_eager(Ticket.channel),
            contains_eager(Ticket.assignee.of_type(Assignee)),
        )
    )
    return (
        stmt.select_from(Ticket)
        .join(Ticket.campaign)
        .join(Campaign.brand)
        .join(Campaign.market)
        .join(Ticket.channel)
        .outerjoin(Assignee, Ticket.assignee_id == Assignee.id)
    )


def select_tickets(query: TicketQuery, *columns, where: tuple = ()) -> Select:
    """Tickets under the query, in its order, joined as `joined_tickets` joins them.

    `where`: further conditions, put first (a status the index finds before the text search
    SQLite would otherwise run on every row).
    """
    return (
        joined_tickets(*columns)
        .where(*where, *ticket_conditions(query))
        .order_by(*_ordering(TICKET_SORTS, query, Ticket.id))
    )


def select_tickets_per_status(
    query: TicketQuery, shown: Mapping[TicketStatus, int], *columns
) -> Select:
    """The first `shown[status]` tickets of each status under the query, in its order, in
    one statement (the board's columns).

    Each status picks its ids from the tickets alone (joined only when a filter needs it),
    by the index on status and time of the last move; only those ids are then joined to
    what a card shows. One statement rather than one per column: PostgreSQL plans a
    six-table join afresh on every execution, and planning costs more than running it.
    """
    picks = []
    for status, limit in shown.items():
        pick = (
            _counting_tickets(query, Ticket.id)
            .where(Ticket.status == status)
            .order_by(*_ordering(TICKET_SORTS, query, Ticket.id))
            .limit(limit)
            .subquery()
        )
        picks.append(select(pick.c.id))
    chosen = union_all(*picks).subquery("shown")
    return (
        joined_tickets(*columns)
        .join(chosen, chosen.c.id == Ticket.id)
        .order_by(*_ordering(TICKET_SORTS, query, Ticket.id))
    )


def _counting_tickets(query: TicketQuery, *columns, campaign: bool = False) -> Select:
    """A select of `columns` over the query's tickets, joined only when a filter needs it
    (`campaign`: join the campaigns whatever the filters)."""
    stmt = select(*columns).select_from(Ticket).where(*ticket_conditions(query))
    if query.brand or query.market or query.q:
        stmt = stmt.join(Ticket.campaign).join(Ticket.channel)
    elif campaign:
        stmt = stmt.join(Ticket.campaign)
    return stmt


def count_tickets(query: TicketQuery) -> int:
    return db.session.scalar(_counting_tickets(query, func.count(Ticket.id)))


def count_tickets_by_status(query: TicketQuery) -> dict[TicketStatus, int]:
    """Tickets per status under the query, every status present, in one query."""
    counts = dict.fromkeys(TicketStatus, 0)
    stmt = _counting_tickets(query, Ticket.status, func.count()).group_by(Ticket.status)
    counts.update(db.session.execute(stmt).all())
    return counts


# What splits the board into swimlanes: the ticket's (or its campaign's) foreign key the
# counts group by, the table it points at, and that row's key and label in the page.
_LANES = {
    "brand": (Campaign.brand_id, Brand, Brand.internal_code, Brand.name),
    "market": (Campaign.market_id, Market, Market.code, Market.code),
    "channel": (Ticket.channel_id, Channel, Channel.api_identifier, Channel.platform_name),
    "assignee": (
        Ticket.assignee_id,
        User,
        User.email,
        func.coalesce(func.nullif(User.name, ""), User.email),
    ),
}


def count_tickets_by_lane(query: TicketQuery) -> dict:
    """{(lane key, status): count} and {lane key: label} under the query, in one query.

    The tickets are counted by the lane's foreign key alone (an index on the key and the
    status covers it: no join for channels and owners, the campaigns only for brands and
    markets), and only the few groups are then joined to the lane's table for its name.
    """
    fk, table, key, name = _LANES[query.lanes]
    counted = (
        _counting_tickets(
            query,
            fk.label("lane"),
            Ticket.status.label("status"),
            func.count().label("n"),
            campaign=fk.class_ is Campaign,
        )
        .group_by(fk, Ticket.status)
        .subquery()
    )
    stmt = select(key, name, counted.c.status, counted.c.n).select_from(counted)
    stmt = stmt.outerjoin(table, table.id == counted.c.lane)
    counts, labels = {}, {}
    for lane, lane_label, status, n in db.session.execute(stmt):
        counts[(lane, status)] = n
        labels[lane] = lane_label
    return {"counts": counts, "labels": labels}


def ticket_page(query: TicketQuery) -> Page:
    """The query's page of tickets, with what their rows show, in two queries."""
    return fetch_page(select_tickets(query), count_tickets(query), query)


def _table_conditions(query: TableQuery) -> list:
    spec = query.spec
    if not query.q:
        return []
    matches = [contains(column, query.q) for column in spec.searchable]
    if spec.search_more is not None:
        matches.append(spec.search_more(query.q))
    return [or_(*matches)]


def select_table(query: TableQuery) -> Select:
    """The table's rows under the query's search, in its order (id breaks ties)."""
    model = query.spec.model
    return (
        select(model)
        .where(*_table_conditions(query))
        .order_by(*_ordering(query.spec.sortable, query, model.id))
    )


def count_table(query: TableQuery) -> int:
    # count(*), not count(id): SQLite then scans the smallest index, three times faster.
    stmt = select(func.count()).select_from(query.spec.model)
    return db.session.scalar(stmt.where(*_table_conditions(query)))


def table_page(query: TableQuery) -> Page:
    return fetch_page(select_table(query), count_table(query), query)


def fetch_page(stmt: Select, total: int, query: ListQuery) -> Page:
    """The query's page of `stmt`'s rows; `total` is how many there are in all."""
    rows = db.session.scalars(stmt.limit(query.limit).offset(query.offset)).unique().all()
    return Page(list(rows), total, query.page, query.limit or max(1, total))
