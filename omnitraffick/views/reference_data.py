"""Reference data pages: one set of views and templates for markets, brands and channels.

Each kind (views/markets.py, brands.py, channels.py) declares what is its own — its form and
how the form is laid out, the list's columns, what a row is called in titles and messages,
the services that keep it — and `blueprint(kind)` gives it the usual four views under its
own blueprint: `<name>.index`, `.new`, `.edit` and `.delete`, at /<name>/, /<name>/new,
/<name>/<id>/edit and /<name>/<id>/delete. The templates are in templates/reference/.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_wtf import FlaskForm

from ..auth import admin_required
from ..extensions import db
from ..services import queries, reference
from ..services.errors import Conflict, DomainError
from ..web import form_error, form_status, render


@dataclass(frozen=True)
class Column:
    """A column of the list: its header, the row attribute it shows and how it draws it."""

    label: str
    attr: str
    cell: str = "text"  # text | code | country | connection (see reference/_table.html)
    sortable: bool = True  # sorted by `attr` (a key of the kind's TableSpec)


@dataclass(frozen=True)
class Kind:
    """One kind of reference data and everything its pages do differently."""

    name: str  # blueprint, URL prefix and plural: "markets"
    noun: str  # "market"
    table: queries.TableSpec  # how the list searches and sorts
    columns: tuple[Column, ...]
    search_placeholder: str
    form: type[FlaskForm]
    # The form's fields in groups, each a grid; a group with a legend is a fieldset.
    layout: tuple[tuple[str | None, tuple[str, ...]], ...]
    called: Callable[[Any], str]  # what titles and messages call a row: a market by its code
    create: Callable
    update: Callable
    delete: Callable
    # What the form page's heading calls a row, when it differs from `called`.
    heading: Callable[[Any], str] | None = None
    # Further values the list needs, computed per request (e.g. where channels send).
    list_context: Callable[[], dict] = field(default=dict)
    # Form values a row keeps elsewhere than in its own columns (a channel's UTM mapping).
    initial: Callable[[Any], dict] = field(default=lambda row: {})

    @property
    def title(self) -> str:
        return self.name.capitalize()

    @property
    def id_arg(self) -> str:
        return f"{self.noun}_id"

    @property
    def fields(self) -> tuple[str, ...]:
        """The form fields the services take, in the layout's order."""
        return tuple(name for _, names in self.layout for name in names)

    def rows(self, rows) -> list[tuple[Any, list[tuple[str, Any]]]]:
        """Each row with, per column, how the cell draws and the value it shows.

        Worked out here, in one call per page: a call, macro or |attr per cell makes a
        list of 50 rows render a fifth slower.
        """
        draws = [(column.cell, column.attr) for column in self.columns]
        return [(row, [(cell, getattr(row, attr)) for cell, attr in draws]) for row in rows]

    def values(self, form: FlaskForm) -> dict:
        return {name: form[name].data for name in self.fields}

    def label(self, row) -> str:
        """The row as messages name it: "Market US"."""
        return f"{self.noun.capitalize()} {self.called(row)}"

    def heading_of(self, row) -> str:
        return f"{self.noun.capitalize()} {(self.heading or self.called)(row)}"


def blueprint(kind: Kind) -> Blueprint:
    """The list, new, edit and delete views of `kind`, under its own blueprint."""
    bp = Blueprint(kind.name, __name__, url_prefix=f"/{kind.name}")

    def get_or_404(row_id):
        return reference.get_or_404(kind.table.model, row_id)

    def form_page(form: FlaskForm, row, status: int):
        return render("reference/form.html", kind=kind, form=form, row=row, status=status)

    def index():
        query = queries.parse_table(request.args, kind.table)
        return render(
            "reference/index.html",
            "reference/_table.html",
            kind=kind,
            query=query,
            page=queries.table_page(query),
            **kind.list_context(),
        )

    def new():
        form = kind.form()
        if form.validate_on_submit():
            try:
                row = kind.create(**kind.values(form))
            except DomainError as err:
                form_error(form, err)
            else:
                db.session.commit()
                flash(f"{kind.label(row)} created.", "success")
                return redirect(url_for(".index"))
        return form_page(form, None, form_status(form))

    def edit(**view_args):
        row = get_or_404(view_args[kind.id_arg])
        form = kind.form(obj=row, **kind.initial(row))
        if form.validate_on_submit():
            try:
                kind.update(row, **kind.values(form))
            except DomainError as err:
                form_error(form, err)
            else:
                db.session.commit()
                flash(f"{kind.label(row)} saved.", "success")
                return redirect(url_for(".index"))
        return form_page(form, row, form_status(form))

    def delete(**view_args):
        row = get_or_404(view_args[kind.id_arg])
        label = kind.label(row)
        try:
            kind.delete(row)
        except Conflict as err:
            db.session.rollback()
            flash(err.message, "error")
            return form_page(kind.form(obj=row, **kind.initial(row)), row, 409)
        db.session.commit()
        flash(f"{label} deleted.", "success")
        return redirect(url_for(".index"))

    index.__doc__ = f"List {kind.name}, searchable and sortable."
    new.__doc__ = f"Create a {kind.noun}."
    edit.__doc__ = f"Change a {kind.noun}."
    delete.__doc__ = f"Delete a {kind.noun} that nothing uses."
    row_url = f"/<uuid:{kind.id_arg}>"
    bp.add_url_rule("/", "index", index, methods=["GET"])
    bp.add_url_rule("/new", "new", admin_required(new), methods=["GET", "POST"])
    bp.add_url_rule(f"{row_url}/edit", "edit", admin_required(edit), methods=["GET", "POST"])
    bp.add_url_rule(f"{row_url}/delete", "delete", admin_required(delete), methods=["POST"])
    return bp
