"""Mutants of one module, made with Cosmic Ray's operators (a maintained mutation library).

A mutant is one operator applied at one place: `occurrence` counts that operator's places in
the module in Cosmic Ray's walk order, so `mutate_code(source, operator, occurrence)` makes it.
Only code inside function bodies is mutated: module-level statements (constants, decorator
arguments, class attributes) run once at import, and the runner swaps function code into a
live process, which cannot replay an import faithfully.

Each mutant has a stable key: the module, the text of the line it changes (stripped), the
operator, and its index among mutants with that same line text and operator. An equivalent
mutant is listed under that key, so it stays matched when lines above it move.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass

import cosmic_ray.plugins
from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.mutating import mutate_code


@dataclass(frozen=True)
class Mutant:
    module: str  # path relative to the repository, e.g. omnitraffick/services/qa.py
    operator: str  # a Cosmic Ray operator name, e.g. core/ReplaceComparisonOperator_Lt_LtE
    occurrence: int  # that operator's place in the module, in Cosmic Ray's walk order
    line: int  # first line the mutation touches (1-based)
    end_line: int
    text: str  # the first line's text, stripped
    index: int  # among mutants with the same module, text and operator
    # The lines of the innermost function around it: a test that runs any of them may run
    # the mutated line once the mutation changes which branch is taken (`a and b` -> `a or b`
    # reaches `b` where the original stopped at `a`), so all of them choose the tests.
    scope_start: int = 0
    scope_end: int = 0

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.module, self.text, self.operator, self.index)

    def as_dict(self) -> dict:
        return asdict(self)

    def source(self, original: str) -> str:
        """The module's source with this mutation applied."""
        operator = cosmic_ray.plugins.get_operator(self.operator)()
        mutated = mutate_code(original, operator, self.occurrence)
        if mutated is None:  # the plan was made from another version of the file
            raise ValueError(f"{self.operator} #{self.occurrence} no longer applies")
        return mutated


def function_scopes(source: str) -> dict[int, tuple[int, int]]:
    """For each line in a function, the first and last line of the innermost function."""
    scopes: dict[int, tuple[int, int]] = {}
    functions = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    # Outer functions first, so an inner function's lines end up with the inner scope.
    for node in sorted(functions, key=lambda n: n.end_lineno - n.lineno, reverse=True):
        for line in range(node.lineno, node.end_lineno + 1):
            scopes[line] = (node.lineno, node.end_lineno)
    return scopes


def function_body_lines(source: str) -> set[int]:
    """Lines that belong to a function's body (not its decorators, signature or defaults)."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0]
            # A docstring is not code to mutate; the statements after it are.
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
                and len(node.body) > 1
            ):
                first = node.body[1]
            lines.update(range(first.lineno, node.end_lineno + 1))
    return lines


def mutants_of(module: str, source: str, operators: list[str]) -> list[Mutant]:
    body = function_body_lines(source)
    scopes = function_scopes(source)
    text_of = source.splitlines()
    tree = get_ast(source)
    nodes = list(ast_nodes(tree))
    made: list[Mutant] = []
    seen: dict[tuple[str, str], int] = {}
    for name in operators:
        operator = cosmic_ray.plugins.get_operator(name)()
        occurrence = 0
        for node in nodes:
            for start, end in operator.mutation_positions(node):
                line, end_line = start[0], end[0]
                if line in body:
                    text = text_of[line - 1].strip()
                    index = seen.get((text, name), 0)
                    seen[(text, name)] = index + 1
                    start_line, stop_line = scopes[line]
                    made.append(
                        Mutant(
                            module,
                            name,
                            occurrence,
                            line,
                            end_line,
                            text,
                            index,
                            start_line,
                            stop_line,
                        )
                    )
                occurrence += 1
    return made
