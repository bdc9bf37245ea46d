"""The pytest side of `make mutate`: one pytest process per mutated module.

`python -m pytest -p tools.mutation.plugin --mutation-plan PLAN --mutation-results OUT <tests>`

1. Every collected test runs once, unmutated, with a line tracer on the module: this records
   which tests reach which lines (and how long each takes). A failing test stops the run.
2. For each mutant the process forks; the child swaps the mutated code into the live
   functions (`function.__code__`, so decorated functions, registries and anything that
   imported a function by name see the mutant), then runs only the tests that reach the
   function around the mutated line, fastest first, and stops at the first failure. The
   parent waits, with a time limit (a mutant that loops forever counts as killed).

Session fixtures (the app, its migrated database) are set up once, in the parent; each
child runs its tests' function fixtures, which empty the tables afterwards, so the next
child starts from the same state.
"""

from __future__ import annotations

import builtins
import gc
import json
import os
import signal
import sys
import threading
import time
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol
from werkzeug.local import LocalProxy

from .mutants import Mutant

KILLED, SURVIVED, TIMEOUT, INCOMPETENT = "killed", "survived", "timeout", "incompetent"
INVALID = "invalid"  # the operator made code that does not compile: not counted


def pytest_addoption(parser):
    group = parser.getgroup("mutation")
    group.addoption("--mutation-plan", help="JSON: the module and its mutants")
    group.addoption("--mutation-results", help="where to write the results (JSON)")


class _SessionOnly:
    """A stand-in next item whose chain is the session alone: tearing down to it keeps the
    session fixtures (the app and its database) and finalises everything below them."""

    def __init__(self, session):
        self.session = session

    def listchain(self):
        return [self.session]


def pytest_configure(config):
    if config.getoption("--mutation-plan"):
        config.pluginmanager.register(MutationRunner(config), "mutation-runner")


class MutationRunner:
    def __init__(self, config):
        self.config = config
        plan = json.loads(Path(config.getoption("--mutation-plan")).read_text())
        self.module_path = Path(plan["module"]).resolve()
        self.module_name = plan["module_name"]
        self.mutants = [Mutant(**m) for m in plan["mutants"]]
        self.source = plan["source"]
        if self.module_path.read_text() != self.source:
            raise pytest.UsageError(f"{self.module_path} changed after its mutants were made")
        self.results_path = Path(config.getoption("--mutation-results"))
        # One line per mutant as it finishes, to follow a long run (tail -f).
        self.progress_path = self.results_path.with_suffix(".progress")

    # -- 1. the unmutated run, traced ------------------------------------------------------

    def _trace(self, lines: set[int]):
        target = str(self.module_path)

        def local(frame, event, _arg):
            if event == "line":
                lines.add(frame.f_lineno)
            return local

        def global_(frame, event, _arg):
            if event == "call" and frame.f_code.co_filename == target:
                lines.add(frame.f_lineno)
                return local
            return None

        return global_

    def _run(self, item, nextitem) -> bool:
        reports = runtestprotocol(item, nextitem=nextitem, log=False)
        return all(not report.failed for report in reports)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        items = session.items
        # The module the tests imported must be the text the mutants were made from.
        if Path(sys.modules[self.module_name].__file__).read_text() != self.source:
            raise pytest.UsageError(f"{self.module_path} changed while the tests were loading")
        # Cached functions (functools.cache) run once and answer from memory after: each test
        # starts with empty caches, so the trace shows every test that needs their code.
        caches = _caches(sys.modules[self.module_name])
        coverage: list[set[int]] = []
        durations: list[float] = []
        for i, item in enumerate(items):
            lines: set[int] = set()
            tracer = self._trace(lines)
            nextitem = items[i + 1] if i + 1 < len(items) else _SessionOnly(session)
            for clear in caches:
                clear()
            started = time.perf_counter()
            threading.settrace(tracer)
            sys.settrace(tracer)
            try:
                passed = self._run(item, nextitem)
            finally:
                sys.settrace(None)
                threading.settrace(None)  # type: ignore[arg-type]
            durations.append(time.perf_counter() - started)
            coverage.append(lines)
            if not passed:
                self._write({"error": f"{item.nodeid} fails without any mutation"})
                session.shouldfail = f"{item.nodeid} fails without any mutation"
                return True

        from sqlalchemy.engine import Engine

        # The engines the session fixtures made; each child drops their pooled connections.
        self.engines = [o for o in gc.get_objects() if isinstance(o, Engine)]
        # Thread pools made by the unmutated run (e.g. the app's job runner): a child has
        # none of their threads, so each child gives them fresh ones (see _child).
        self.pools = [o for o in gc.get_objects() if isinstance(o, ThreadPoolExecutor)]
        results = []
        for mutant in self.mutants:
            lines = set(range(mutant.scope_start, mutant.scope_end + 1))
            chosen = sorted(
                (i for i, covered in enumerate(coverage) if covered & lines),
                key=lambda i: durations[i],
            )
            started = time.perf_counter()
            if chosen:
                limit = 10 + 5 * sum(durations[i] for i in chosen)
                outcome, detail = self._try(session, mutant, [items[i] for i in chosen], limit)
            else:
                outcome, detail = SURVIVED, "no test reaches this function"
            with self.progress_path.open("a") as progress:
                progress.write(f"{mutant.line} {mutant.operator} {outcome} {len(chosen)}\n")
            results.append(
                {
                    **mutant.as_dict(),
                    "outcome": outcome,
                    "detail": detail,
                    "tests": len(chosen),
                    "seconds": round(time.perf_counter() - started, 3),
                }
            )
        self._write({"results": results})
        return True

    def _write(self, payload):
        self.results_path.write_text(json.dumps(payload, indent=1))

    # -- 2. one mutant, in a child process -------------------------------------------------

    def _try(self, session, mutant: Mutant, chosen, limit: float):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read)
            code, detail = self._child(session, mutant, chosen)
            os.write(write, detail.encode()[:4000])
            os.close(write)
            os._exit(code)
        os.close(write)
        deadline = time.monotonic() + limit
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(read)
                return TIMEOUT, f"no answer within {limit:.0f} s"
            time.sleep(0.005)
        with os.fdopen(read, "rb") as pipe:
            detail = pipe.read().decode(errors="replace")
        code = os.waitstatus_to_exitcode(status)
        outcomes = {0: SURVIVED, 1: KILLED, 3: INCOMPETENT, 4: INVALID}
        return outcomes.get(code, KILLED), detail

    def _child(self, session, mutant: Mutant, chosen) -> tuple[int, str]:
        # The parent's pooled database connections must not be shared with the child.
        for engine in self.engines:
            engine.dispose(close=False)
        for pool in self.pools:
            _rethread(pool)
        try:
            swapped = apply(self.module_name, self.module_path, self.source, mutant)
        except SyntaxError as error:  # e.g. `not` put before a walrus: not Python, no mutant
            return 4, f"not valid Python: {error.msg}"
        except Exception as error:  # noqa: BLE001 - reported as an incompetent mutant
            return 3, f"could not apply: {error!r}"
        if not swapped:
            return 3, "no live function holds this code"
        session._setupstate.teardown_exact(chosen[0])
        for i, item in enumerate(chosen):
            nextitem = chosen[i + 1] if i + 1 < len(chosen) else _SessionOnly(session)
            if not self._run(item, nextitem):
                session._setupstate.teardown_exact(_SessionOnly(session))
                return 1, item.nodeid
        return 0, ""


def _rethread(pool: ThreadPoolExecutor) -> None:
    """Make a pool forked without its threads start new ones: a fork copies only the thread
    that forked, so the pool's workers are gone, yet it counts them (and an idle one) and
    would queue work that no thread ever runs; a test waiting on it would fail under every
    mutant and count it as killed."""
    pool._threads = set()
    pool._idle_semaphore = threading.Semaphore(0)
    pool._shutdown_lock = threading.Lock()


# -- swapping code into a live module ------------------------------------------------------


def _code_tree(code: types.CodeType, path=()):
    """Every code object nested in `code`, by its position in the tree."""
    yield path, code
    nested = [c for c in code.co_consts if isinstance(c, types.CodeType)]
    for i, child in enumerate(nested):
        yield from _code_tree(child, (*path, i))


def _caches(module: types.ModuleType):
    """The cache_clear of every cached function in the module (found as _live_functions
    walks it, which also empties them)."""
    found = []
    for value in _module_values(module):
        if hasattr(value, "__wrapped__") and hasattr(value, "cache_clear"):
            found.append(value.cache_clear)
    return found


def _live_functions(module: types.ModuleType):
    """The module's function objects: module-level, in classes, behind decorators."""
    seen: set[int] = set()
    found: list[types.FunctionType] = []

    def visit(obj, depth=0):
        if id(obj) in seen or depth > 4:
            return
        seen.add(id(obj))
        if isinstance(obj, types.FunctionType):
            found.append(obj)
            wrapped = getattr(obj, "__wrapped__", None)
            if wrapped is not None:
                visit(wrapped, depth + 1)
        elif isinstance(obj, staticmethod | classmethod):
            visit(obj.__func__, depth + 1)
        elif isinstance(obj, property):
            for accessor in (obj.fget, obj.fset, obj.fdel):
                if accessor is not None:
                    visit(accessor, depth + 1)
        elif isinstance(obj, type) and obj.__module__ == module.__name__:
            for value in vars(obj).values():
                visit(value, depth + 1)
        elif hasattr(obj, "__wrapped__"):  # functools.cache and the like
            if hasattr(obj, "cache_clear"):
                obj.cache_clear()
            visit(obj.__wrapped__, depth + 1)
        elif hasattr(obj, "func") and isinstance(obj.func, types.FunctionType):
            visit(obj.func, depth + 1)  # functools.cached_property, partial

    for value in _module_values(module):
        visit(value)
    return found


def _module_values(module: types.ModuleType) -> list:
    """The module's globals, less context-bound proxies (Flask's `current_app`, `request`):
    reading any attribute of one outside an app context raises, and none is a function of
    the module."""
    return [value for value in vars(module).values() if not issubclass(type(value), LocalProxy)]


def apply(module_name: str, path: Path, original_source: str, mutant: Mutant) -> int:
    """Swap the mutant's code into the live module's functions; return how many changed."""
    import cosmic_ray.exceptions

    # Cosmic Ray's exception replacer writes `except CosmicRayTestingException:`.
    builtins.CosmicRayTestingException = cosmic_ray.exceptions.CosmicRayTestingException
    original = dict(_code_tree(compile(original_source, str(path), "exec")))
    mutated = dict(_code_tree(compile(mutant.source(original_source), str(path), "exec")))
    by_identity = {(c.co_qualname, c.co_firstlineno): p for p, c in original.items()}
    swapped = 0
    for function in _live_functions(sys.modules[module_name]):
        code = function.__code__
        if code.co_filename != str(path):
            continue
        where = by_identity.get((code.co_qualname, code.co_firstlineno))
        if where is None or where not in mutated:
            continue
        if mutated[where] != code:
            function.__code__ = mutated[where]
            swapped += 1
    return swapped
