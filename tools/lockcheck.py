"""Check the Python lock files against pyproject.toml, and against what is installed.

    python tools/lockcheck.py              # pyproject.toml and requirements*.txt agree
    python tools/lockcheck.py --installed  # ...and this environment holds exactly the dev lock
    python tools/lockcheck.py --venv-only  # only the latter (right after an install)

The locks are written by `make lock` (uv pip compile); this only reads them, offline, so CI
can tell "someone changed pyproject.toml and forgot `make lock`" apart from a test failure.
Exit status 1 with one line per problem when anything disagrees.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements.txt"
DEV_LOCK = ROOT / "requirements-dev.txt"
PROJECT = "omnitraffick (pyproject.toml)"
# What `pip freeze` leaves out, and so what "the venv equals the lock" does not compare.
FREEZE_SKIPS = frozenset({"pip", "setuptools", "wheel", "distribute"})
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
FIX = "run `make lock` and commit pyproject.toml with requirements*.txt"


@dataclass
class Pin:
    version: str
    marker: Marker | None
    hashes: int = 0
    via: set[str] = field(default_factory=set)

    def applies(self) -> bool:
        return self.marker is None or self.marker.evaluate()


def read_lock(path: Path) -> dict[str, Pin]:
    """The pins of a lock file written by `uv pip compile --generate-hashes`."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if match := PIN.match(line):
            name, version, marker = match.groups()
            current = Pin(version, Marker(marker) if marker else None)
            pins[canonicalize_name(name)] = current
        elif current and stripped.startswith("--hash="):
            current.hashes += 1
        elif current and stripped.startswith("#"):
            reason = stripped.lstrip("#").strip()
            reason = reason.removeprefix("via").strip()
            if reason:
                current.via.add(reason)
    return pins


def requirements(extras: tuple[str, ...] = ()) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(text) for text in project["dependencies"]]
    for extra in extras:
        wanted += [Requirement(text) for text in project["optional-dependencies"][extra]]
    return wanted


def check_lock(path: Path, wanted: list[Requirement]) -> list[str]:
    problems = []
    if not path.exists():
        return [f"{path.name} is missing: {FIX}."]
    pins = read_lock(path)
    direct = {canonicalize_name(r.name) for r in wanted}
    for req in wanted:
        if req.marker is not None and not req.marker.evaluate():
            continue
        pin = pins.get(canonicalize_name(req.name))
        if pin is None:
            problems.append(f"{path.name}: pyproject.toml asks for {req} but it is not locked.")
        elif not req.specifier.contains(pin.version, prereleases=True):
            problems.append(
                f"{path.name}: pyproject.toml asks for {req} but the lock pins {pin.version}."
            )
    for name, pin in pins.items():
        if PROJECT in pin.via and name not in direct:
            problems.append(
                f"{path.name}: {name}=={pin.version} is locked for pyproject.toml, "
                "which no longer asks for it."
            )
        if not pin.hashes:
            problems.append(f"{path.name}: {name}=={pin.version} has no --hash.")
    return problems


def check_same_pins(runtime: Path, dev: Path) -> list[str]:
    dev_pins = read_lock(dev)
    return [
        f"{dev.name} pins {name}=={dev_pins[name].version} but {runtime.name} pins {pin.version}."
        for name, pin in read_lock(runtime).items()
        if name in dev_pins and dev_pins[name].version != pin.version
    ]


def check_installed(path: Path) -> list[str]:
    """This environment holds exactly the lock's pins: no more, no fewer, no other versions."""
    locked = {name: pin.version for name, pin in read_lock(path).items() if pin.applies()}
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if canonicalize_name(dist.metadata["Name"]) not in FREEZE_SKIPS
    }
    problems = []
    for name in sorted(locked.keys() | installed.keys()):
        want, have = locked.get(name), installed.get(name)
        if want is None:
            problems.append(f"{name}=={have} is installed but not in {path.name}.")
        elif have is None:
            problems.append(f"{name}=={want} is in {path.name} but not installed.")
        elif want != have:
            problems.append(f"{name} is {have} here but {want} in {path.name}.")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--installed", action="store_true", help="also compare this environment with the lock"
    )
    parser.add_argument(
        "--venv-only", action="store_true", help="only compare this environment with the lock"
    )
    args = parser.parse_args(argv)
    if not args.venv_only:
        problems = check_lock(RUNTIME_LOCK, requirements())
        problems += check_lock(DEV_LOCK, requirements(("test",)))
        if not problems:
            problems += check_same_pins(RUNTIME_LOCK, DEV_LOCK)
        if problems:
            print("The lock files do not match pyproject.toml:", file=sys.stderr)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            print(f"To fix: {FIX}.", file=sys.stderr)
            return 1
    if args.installed or args.venv_only:
        problems = check_installed(DEV_LOCK)
        if problems:
            print(f"This environment is not what {DEV_LOCK.name} says:", file=sys.stderr)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            print("To fix: `make clean install` rebuilds .venv from the lock.", file=sys.stderr)
            return 1
    if args.venv_only:
        print(f"This environment holds exactly {DEV_LOCK.name}.")
    else:
        print("Locks match pyproject.toml" + (" and this environment." if args.installed else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
