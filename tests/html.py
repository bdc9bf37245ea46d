"""A small HTML reader for tests: pages as a tree of elements to query."""

from html.parser import HTMLParser

# Elements that never have content, so never stay open.
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Node:
    """One element of a parsed page."""

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs, self.children = tag, attrs, []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def text(self) -> str:
        """The element's visible text, whitespace collapsed."""
        parts: list[str] = []

        def collect(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    collect(child)

        collect(self)
        return " ".join("".join(parts).split())

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        """Descendants by tag, class and attributes (`hx_swap_oob` means `hx-swap-oob`)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
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


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(source) -> Node:
    """The page (a response or a string) as a tree of elements."""
    builder = _TreeBuilder()
    builder.feed(source if isinstance(source, str) else source.text)
    builder.close()
    return builder.root
