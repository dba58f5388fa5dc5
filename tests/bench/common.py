"""The row every benchmark reports, and the table they are printed in."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One measured figure, beside its target or same-run reference."""

    what: str
    measured: str
    target: str
    ok: bool


def print_table(rows: list[Row]) -> None:
    """Print the rows as an aligned table."""
    header = ("benchmark", "measured", "target / reference", "")
    table = [header] + [(r.what, r.measured, r.target, "ok" if r.ok else "MISSED") for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(4)]
    for index, line in enumerate(table):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))


def median_seconds(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``func``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
