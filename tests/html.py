"""The one HTML reader for tests: a page (or an htmx fragment) as a tree to query, read with
BeautifulSoup, and what a user sees on it: form values, field errors, flashes, table rows."""

from bs4 import BeautifulSoup, NavigableString, Tag


class Node:
    """One element of a parsed page (or the whole document)."""

    def __init__(self, tag: Tag):
        self._tag = tag

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    @property
    def tag(self) -> str:
        return self._tag.name

    @property
    def attrs(self) -> dict[str, str]:
        """Attributes as written; a multi-valued one (class) joined with spaces."""
        return {
            name: " ".join(value) if isinstance(value, list) else value
            for name, value in self._tag.attrs.items()
        }

    @property
    def classes(self) -> list[str]:
        return list(self._tag.get("class") or [])

    @property
    def children(self) -> list["Node | str"]:
        """Child elements and text, in order."""
        return [
            Node(child) if isinstance(child, Tag) else str(child)
            for child in self._tag.children
            if isinstance(child, Tag | NavigableString)
        ]

    @property
    def text(self) -> str:
        """The element's visible text, whitespace collapsed."""
        return " ".join(self._tag.get_text().split())

    def walk(self):
        """Every descendant element, in document order."""
        for tag in self._tag.find_all(True):
            yield Node(tag)

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        """Descendants by tag, class and attributes (`hx_swap_oob` means `hx-swap-oob`).

        An attribute given as True only has to be present; otherwise its value must match.
        """
        wanted = {name.replace("_", "-").rstrip("-"): value for name, value in attrs.items()}
        return [
            node
            for node in self.walk()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(
                (name in node.attrs) if value is True else node.attrs.get(name) == value
                for name, value in wanted.items()
            )
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node | None":
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def by_id(self, id_: str) -> "Node":
        node = self.find(id=id_)
        assert node is not None, f"no element with id {id_!r}"
        return node

    # --- forms ---------------------------------------------------------------------------------

    def values(self, name: str) -> list[str]:
        """The values of the inputs named `name`."""
        return [node.attrs.get("value", "") for node in self.find_all("input", name=name)]

    def options(self, name: str) -> list[str]:
        """The non-empty option values of the select named `name`."""
        select_ = self.find("select", name=name)
        assert select_ is not None, f"no select named {name!r}"
        return [o.attrs.get("value", "") for o in select_.find_all("option") if o.attrs["value"]]

    def selected(self, name: str) -> str | None:
        select_ = self.find("select", name=name)
        chosen = select_.find("option", selected=True) if select_ else None
        return chosen.attrs.get("value") if chosen else None

    @property
    def selects(self) -> dict[str, str]:
        """Each select that has a chosen option: its name and the option's value."""
        found = {}
        for node in self.find_all("select"):
            chosen = node.find("option", selected=True)
            if "name" in node.attrs and chosen is not None:
                found[node.attrs["name"]] = chosen.attrs.get("value", "")
        return found

    @property
    def inputs(self) -> dict[str, str]:
        """Each named input's value, a textarea's text and a select's chosen option ("" if none)."""
        found = {}
        for node in self.walk():
            name = node.attrs.get("name")
            if name is None:
                continue
            if node.tag == "input":
                found[name] = node.attrs.get("value", "")
            elif node.tag == "textarea":
                found[name] = node._tag.get_text()
            elif node.tag == "select":
                found[name] = self.selected(name) or ""
        return found

    # --- what the page tells the user ----------------------------------------------------------

    @property
    def field_errors(self) -> dict[str, str]:
        """The error shown under each form field, by field name."""
        return {
            node.attrs["id"].removesuffix("-help"): node.text
            for node in self.find_all("small", cls="field-error")
        }

    @property
    def flashes(self) -> list[tuple[str, str]]:
        """(category, text) of each flash message."""
        return [
            (
                next(c.removeprefix("flash-") for c in node.classes if c.startswith("flash-")),
                node.text,
            )
            for node in self.find_all(cls="flash")
        ]

    @property
    def rows(self) -> list[list[str]]:
        """The cell texts of each table body row (an "empty" placeholder row is no row)."""
        return [
            cells
            for row in self.find_all("tr")
            if row._tag.find_parent("tbody") is not None
            and (cells := [td.text for td in row.find_all("td") if "empty" not in td.classes])
        ]

    @property
    def names(self) -> list[str]:
        """The first cell of each table row: the names in a list, in the order shown."""
        return [row[0] for row in self.rows]

    @property
    def links(self) -> list[tuple[str, str]]:
        """(href, text) of each link."""
        return [(a.attrs.get("href", ""), a.text) for a in self.find_all("a")]


def parse(source) -> Node:
    """The page (a response or a string) as a tree of elements."""
    return Node(BeautifulSoup(source if isinstance(source, str) else source.text, "html.parser"))


def text_of(response) -> str:
    """All the text of a page, each element's apart from the next, whitespace collapsed."""
    return " ".join(parse(response)._tag.get_text(" ").split())


def csrf_token(source) -> str:
    """The CSRF token of the page's first form (the hidden `csrf_token` input)."""
    field = parse(source).find("input", name="csrf_token")
    assert field is not None, "the page has no CSRF token field"
    return field.attrs["value"]
