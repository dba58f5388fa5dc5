"""Run every benchmark module (``tests/bench/bench_*.py``) and print one table.

Each module has ``run() -> list[Row]``. A row holds what was measured, the figure, the target
or the reference measured in the same run, and whether the target is met.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

from tests.bench.common import Row, print_table


def main(names: list[str]) -> int:
    """Run the named benchmarks (all when none are named); exit 1 if a target is missed."""
    rows: list[Row] = []
    package = importlib.import_module("tests.bench")
    modules = sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("bench_")
    )
    for name in modules:
        if names and not any(n in name for n in names):
            continue
        started = time.perf_counter()
        module = importlib.import_module(f"tests.bench.{name}")
        print(f"running {name}...", file=sys.stderr, flush=True)
        rows.extend(module.run())
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print_table(rows)
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
