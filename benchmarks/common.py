"""Timing, machine description and result files shared by the benchmarks."""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
COUNTS = (10, 100, 1_000, 10_000)


def arguments(
    description: str, **extra: tuple[type, object, str]
) -> argparse.Namespace:
    """Parse the options every benchmark takes, plus ``extra`` ones.

    ``extra`` maps an option's name to its (type, default, help).
    """
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="*", default=list(COUNTS))
    for name, (kind, default, text) in extra.items():
        parser.add_argument(f"--{name}", type=kind, default=default, help=text)
    parser.add_argument("--json", help="write the figures here too")
    return parser.parse_args()


def command() -> str:
    """The command line that is running, as one would type it from the repo."""
    script = Path(sys.argv[0]).resolve()
    try:
        script_text = str(script.relative_to(ROOT))
    except ValueError:
        script_text = str(script)
    return shlex.join([".venv/bin/python", script_text, *sys.argv[1:]])


@dataclass(frozen=True)
class Timing:
    """Medians over ``runs`` calls, in milliseconds."""

    wall_ms: float
    cpu_ms: float
    runs: int


def measure(
    call: Callable[[int], object],
    *,
    budget: float = 3.0,
    min_runs: int = 15,
    max_runs: int = 400,
) -> Timing:
    """Median wall and CPU time of ``call(i)`` for i = 0, 1, ...

    Runs until ``budget`` seconds have passed (at least ``min_runs``, at most
    ``max_runs``). The machine is shared and noisy: medians, not means.
    """
    gc.collect()
    call(-1)  # warm up caches and lazy imports
    walls: list[float] = []
    cpus: list[float] = []
    start = time.perf_counter()
    i = 0
    while i < max_runs and (i < min_runs or time.perf_counter() - start < budget):
        w0, c0 = time.perf_counter(), time.process_time()
        call(i)
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
        i += 1
    return Timing(
        1e3 * statistics.median(walls), 1e3 * statistics.median(cpus), len(walls)
    )


def machine() -> dict[str, Any]:
    """What the figures ran on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        node = subprocess.run(
            ["node", "--version"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        node = "not found"
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gib": round(ram / 2**30, 1),
        "python": platform.python_version(),
        "node": node,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def write_results(path: str | None, name: str, rows: list[dict[str, Any]]) -> None:
    """Save ``rows`` for run_all.py, when it asked for them."""
    if path:
        Path(path).write_text(
            json.dumps({"name": name, "command": command(), "rows": rows}, indent=1)
        )


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    """Print rows of figures as an aligned text table, with the command."""
    print(f"\n## {title}")
    print(f"command: {command()}")
    if not rows:
        return
    keys = list(rows[0])
    cells = [[_cell(row.get(k)) for k in keys] for row in rows]
    widths = [max(len(k), *(len(c[j]) for c in cells)) for j, k in enumerate(keys)]
    print("  ".join(k.rjust(w) for k, w in zip(keys, widths, strict=True)))
    for c in cells:
        print("  ".join(v.rjust(w) for v, w in zip(c, widths, strict=True)))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
    return str(value)
