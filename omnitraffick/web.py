"""Helpers the HTML views share: htmx fragments, form errors, list arguments."""

import re
from dataclasses import dataclass

from flask import make_response, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, or_, select

from .extensions import db
from .services.errors import DomainError


def is_fragment_request() -> bool:
    """Whether htmx asked for a fragment (not a boosted page or a history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
        and headers.get("HX-Request-Type") != "full"
    )


def render(template: str, partial: str | None = None, status: int = 200, **context):
    """Render the full page, or just `partial` when htmx asks for a fragment."""
    name = partial if partial and is_fragment_request() else template
    response = make_response(render_template(name, **context), status)
    response.vary.add("HX-Request")
    return response


def form_error(form: FlaskForm, err: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    db.session.rollback()
    field = getattr(err, "errors", None) or {}
    if field:
        for name, messages in field.items():
            target = form[name].errors if name in form else form.form_errors
            target.extend(messages)
    elif err.field and err.field in form:
        form[err.field].errors.append(err.message)
    else:
        form.form_errors.append(err.message)


def form_status(form: FlaskForm) -> int:
    """422 when a submitted form comes back with errors, 200 otherwise."""
    return 422 if form.is_submitted() and (form.errors or form.form_errors) else 200


@dataclass(frozen=True)
class ListArgs:
    """Search, sort and page of a list, as they appear in the URL."""

    q: str
    sort: str
    desc: bool
    page: int

    @classmethod
    def from_request(cls, sortable: dict, default_sort: str, default_desc: bool = False):
        args = request.args
        sort = args.get("sort", default_sort)
        if sort not in sortable:
            sort = default_sort
        direction = args.get("dir")
        desc = default_desc if direction not in ("asc", "desc") else direction == "desc"
        page = args.get("page", "1")
        return cls(
            q=args.get("q", "").strip()[:200],
            sort=sort,
            desc=desc,
            page=int(page) if re.fullmatch(r"[0-9]{1,5}", page) and int(page) > 0 else 1,
        )

    def search(self, *columns) -> list:
        """The WHERE conditions for the search text (none when there is no text)."""
        if not self.q or not columns:
            return []
        pattern = "%" + escape_like(self.q) + "%"
        return [or_(*(col.ilike(pattern, escape="\\") for col in columns))]

    def ordering(self, sortable: dict, tie_breaker) -> list:
        """ORDER BY the chosen column; the tie-breaker keeps pages stable."""
        column = sortable[self.sort]
        return [column.desc() if self.desc else column.asc(), tie_breaker]

    def apply(self, stmt: Select, sortable: dict, searchable=()) -> Select:
        """Filter by the search text and order by the chosen column (id breaks ties)."""
        entity = stmt.column_descriptions[0]["entity"]
        return stmt.where(*self.search(*searchable)).order_by(*self.ordering(sortable, entity.id))


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


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def paginate(stmt: Select, page: int, per_page: int, count: Select | None = None) -> Page:
    """One page of rows plus the total, in two queries.

    `count` lets a caller count without the joins the page itself needs.
    """
    if count is None:
        count = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = db.session.scalar(count)
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(list(items), total, page, per_page)
