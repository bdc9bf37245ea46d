"""Draw the app's import graph (who imports whom, by module) into the README.

    python tools/import_graph.py          # rewrite the graph between the README's markers
    python tools/import_graph.py --check  # exit 1 when the README's graph is out of date

The graph comes from grimp (the library import-linter uses), so it shows exactly what the
contracts in pyproject.toml are checked against. Modules are grouped at the depth people
think in: the app's top-level modules, with the send pipeline and the translators shown apart
from the other services.
"""

import argparse
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = "<!-- import-graph:start -->"
END = "<!-- import-graph:end -->"
# Packages drawn apart from the package that holds them.
APART = ("omnitraffick.services.trafficking", "omnitraffick.services.translators")
# The app factory and its CLI wire everything together, and everything uses the extensions
# and the domain errors: drawn, they would hide the rest.
LEFT_OUT = {
    "omnitraffick",
    "omnitraffick.cli",
    "omnitraffick.worker",
    "omnitraffick.extensions",
    "omnitraffick.services.errors",
}


def group(module: str) -> str:
    if module in LEFT_OUT:
        return module
    for package in APART:
        if module == package or module.startswith(package + "."):
            return package
    return ".".join(module.split(".")[:2])


def edges() -> list[tuple[str, str]]:
    graph = grimp.build_graph("omnitraffick")
    found = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = group(importer), group(imported)
            if a != b and not {a, b} & LEFT_OUT:
                found.add((a, b))
    return sorted(found)


def mermaid() -> str:
    def node(name: str) -> str:
        return name.removeprefix("omnitraffick.").replace(".", "_")

    lines = ["```mermaid", "graph LR"]
    lines += [f"    {node(a)} --> {node(b)}" for a, b in edges()]
    lines.append("```")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the README is stale")
    args = parser.parse_args(argv)
    text = README.read_text()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    updated = f"{head}{START}\n{mermaid()}\n{END}{tail}"
    if args.check:
        if updated != text:
            print("README.md's import graph is out of date: run `make import-graph`.")
            return 1
        return 0
    README.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
