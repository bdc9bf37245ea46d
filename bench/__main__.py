"""Run every benchmark against SQLite and PostgreSQL: `python -m bench [name ...]`."""

import sys

from . import (
    bench_board,
    bench_campaigns,
    bench_imports,
    bench_names,
    bench_reference,
    bench_reports,
    bench_sends,
)
from .common import bench_app, databases

BENCHMARKS = {
    "reference": bench_reference,
    "campaigns": bench_campaigns,
    "board": bench_board,
    "reports": bench_reports,
    "sends": bench_sends,
    "imports": bench_imports,
    "names": bench_names,
}


def main(names: list[str]) -> None:
    chosen = [BENCHMARKS[n] for n in names] if names else list(BENCHMARKS.values())
    for label, base_url in databases():
        for module in chosen:
            print(f"\n== {label} ==")
            with bench_app(base_url) as app:
                module.run(app)


if __name__ == "__main__":
    main(sys.argv[1:])
