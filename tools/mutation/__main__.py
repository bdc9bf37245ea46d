"""`make mutate`: mutation testing of the modules that hold the rules.

    python -m tools.mutation [--jobs N] [--only MODULE ...] [--changed-since REF]

Reads tests/mutation/config.toml (modules, the tests of each, operators, the floor) and
tests/mutation/equivalent.toml (mutants no test can tell from the original, each with a
reason). Each module runs in a pytest process of its own (tools/mutation/plugin.py), N at a
time. Prints a table per module and every surviving mutant; exits 1 when a module scores
under the floor, when an equivalent entry matches no mutant (it has gone stale), or when a
mutant could not be run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .mutants import mutants_of

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "tests" / "mutation" / "config.toml"
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.toml"


def module_name(path: str) -> str:
    dotted = path.removesuffix(".py").replace("/", ".")
    return dotted.removesuffix(".__init__")


def load_equivalents() -> dict[tuple[str, str, str, int], str]:
    entries = tomllib.loads(EQUIVALENT.read_text()).get("equivalent", [])
    found = {}
    for entry in entries:
        key = (entry["module"], entry["line"].strip(), entry["operator"], entry.get("index", 0))
        if not entry.get("reason", "").strip():
            raise SystemExit(f"equivalent.toml: {key} has no reason")
        found[key] = entry["reason"]
    return found


def changed_modules(base: str, modules: list[str]) -> list[str]:
    """Modules whose file, or whose tests, changed since `base` (git diff)."""
    config = tomllib.loads(CONFIG.read_text())["modules"]
    diff = subprocess.run(
        ["git", "diff", "--name-only", f"{base}...HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    touched = set(diff)
    chosen = []
    for module in modules:
        paths = [module, *config[module], "tests/mutation/config.toml", "tools/mutation"]
        if any(
            changed == p or changed.startswith(p.rstrip("/") + "/")
            for changed in touched
            for p in paths
        ):
            chosen.append(module)
    return chosen


def run_module(module: str, tests: list[str], operators: list[str], workdir: Path) -> dict:
    source = (ROOT / module).read_text()
    mutants = mutants_of(module, source, operators)
    stem = module.replace("/", "_")
    plan = workdir / f"{stem}.plan.json"
    out = workdir / f"{stem}.results.json"
    plan.write_text(
        json.dumps(
            {
                "module": str(ROOT / module),
                "module_name": module_name(module),
                # The text the mutants were made from: the runner refuses a file edited since.
                "source": source,
                "mutants": [m.as_dict() for m in mutants],
            }
        )
    )
    started = time.monotonic()
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "tools.mutation.plugin",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-n",
        "0",
        "-q",
        "-m",
        "not e2e and not worker",
        f"--mutation-plan={plan}",
        f"--mutation-results={out}",
        *tests,
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if not out.exists():
        return {"module": module, "error": done.stdout[-3000:] + done.stderr[-3000:]}
    payload = json.loads(out.read_text())
    return {"module": module, "seconds": seconds, **payload}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutation")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", 0)) or None)
    parser.add_argument("--only", nargs="*", help="modules (paths) to mutate")
    parser.add_argument("--changed-since", help="mutate only the modules changed since this ref")
    args = parser.parse_args(argv)

    config = tomllib.loads(CONFIG.read_text())
    modules = list(config["modules"])
    if args.only:
        unknown = set(args.only) - set(modules)
        if unknown:
            raise SystemExit(f"not in tests/mutation/config.toml: {', '.join(sorted(unknown))}")
        modules = args.only
    if args.changed_since:
        modules = changed_modules(args.changed_since, modules)
        if not modules:
            print(f"mutation: no listed module changed since {args.changed_since}")
            return 0
    equivalents = load_equivalents()
    jobs = args.jobs or os.cpu_count() or 1
    # The largest modules start first, so the last one to finish is a small one.
    modules.sort(key=lambda m: -(ROOT / m).stat().st_size)

    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="mutation-") as folder,
        ThreadPoolExecutor(jobs) as pool,
    ):
        runs = list(
            pool.map(
                lambda m: run_module(m, config["modules"][m], config["operators"], Path(folder)),
                modules,
            )
        )
    floors = {m: config.get("floors", {}).get(m, config["floor"]) for m in config["modules"]}
    partial = bool(args.only or args.changed_since)
    return report(runs, equivalents, floors, time.monotonic() - started, partial)


def report(runs, equivalents, floors, seconds, partial: bool) -> int:
    failed = False
    used: set = set()
    rows = []
    survivors = []
    for run in sorted(runs, key=lambda r: r["module"]):
        module = run["module"]
        if "results" not in run:
            print(f"\n{module}: the run stopped\n{run.get('error')}")
            failed = True
            continue
        counts = dict.fromkeys(("generated", "killed", "survived", "equivalent", "not run"), 0)
        for result in run["results"]:
            if result["outcome"] == "invalid":
                continue  # the operator's output was not Python (see plugin.INVALID)
            counts["generated"] += 1
            key = (module, result["text"], result["operator"], result["index"])
            if key in equivalents:
                used.add(key)
                counts["equivalent"] += 1
                if result["outcome"] in ("killed", "timeout"):
                    print(
                        f"note: {module}:{result['line']} {result['operator']} is listed as "
                        f"equivalent but a test kills it ({result['detail']})"
                    )
            elif result["outcome"] in ("killed", "timeout"):
                counts["killed"] += 1
            elif result["outcome"] == "survived":
                counts["survived"] += 1
                survivors.append(result)
            else:
                counts["not run"] += 1
                survivors.append(result)
        scored = counts["killed"] + counts["survived"]
        score = 100.0 * counts["killed"] / scored if scored else 100.0
        below = score < floors[module] or counts["not run"]
        failed = failed or below
        rows.append((module, counts, score, run["seconds"], below, floors[module]))

    header = (
        f"{'module':48} {'generated':>9} {'killed':>7} {'survived':>8} {'equivalent':>10} "
        f"{'score':>7} {'floor':>6} {'time':>6}"
    )
    print("\n" + header)
    print("-" * len(header))
    for module, c, score, secs, below, floor in rows:
        extra = f"  not run: {c['not run']}" if c["not run"] else ""
        mark = "  < floor" if below else ""
        print(
            f"{module:48} {c['generated']:>9} {c['killed']:>7} {c['survived']:>8} "
            f"{c['equivalent']:>10} {score:>6.1f}% {floor:>5}% {secs:>5.0f}s{extra}{mark}"
        )
    total = {
        k: sum(r[1][k] for r in rows) for k in ("generated", "killed", "survived", "equivalent")
    }
    scored = total["killed"] + total["survived"]
    print("-" * len(header))
    print(
        f"{'all':48} {total['generated']:>9} {total['killed']:>7} {total['survived']:>8} "
        f"{total['equivalent']:>10} {100.0 * total['killed'] / (scored or 1):>6.1f}% {'':>6} "
        f"{seconds:>5.0f}s"
    )
    print("score = killed / (generated - equivalent); a module under its floor fails the run")

    if survivors:
        print(
            "\nSurviving mutants (write a test that fails on each, or list it in "
            "tests/mutation/equivalent.toml with the reason):"
        )
        for s in survivors:
            why = f" ({s['detail']})" if s["detail"] else ""
            print(f"  {s['module']}:{s['line']}  {s['operator']}  [{s['outcome']}]{why}")
            print(f"      {s['text']}")
    stale = [] if partial else [k for k in equivalents if k not in used]
    for module, text, operator, index in stale:
        print(
            f"stale entry in tests/mutation/equivalent.toml (matches no mutant): "
            f"{module} / {operator} / {text!r} / index {index}"
        )
        failed = True
    print("\nmutation: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
