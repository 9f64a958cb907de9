"""Scheduler-side cost per poll, and the Dask dashboard's own memory plot.

On a real ``Scheduler`` filled with synthetic WorkerState objects: the bytes
and CPU of answering ``identity(n_workers=-1)`` (what ``scheduler_info``
costs) against the lean handler memwidget installs, each packed as
distributed packs a reply; and the time of the dashboard's per-worker plot,
``WorkersMemory(scheduler).update()``, on the same workers.

Synthetic metrics are smaller than a busy cluster's (see synthetic.py), so
the identity() figures are a lower bound.
"""

from __future__ import annotations

import asyncio
from typing import Any

from common import arguments, measure, print_table, write_results
from synthetic import lean_reply, worker_states


async def bench(n: int, budget: float) -> dict[str, Any]:
    from distributed import Scheduler
    from distributed.dashboard.components.scheduler import WorkersMemory
    from distributed.protocol import dumps

    def nbytes(frames: list[Any]) -> int:
        return sum(memoryview(f).nbytes for f in frames)

    async with Scheduler(host="127.0.0.1", dashboard_address=None) as scheduler:
        scheduler.workers.update(worker_states(n, scheduler))
        full = measure(lambda _: dumps(scheduler.identity(n_workers=-1)), budget=budget)
        lean = measure(lambda _: dumps(lean_reply(scheduler.workers)), budget=budget)
        full_bytes = nbytes(dumps(scheduler.identity(n_workers=-1)))
        lean_bytes = nbytes(dumps(lean_reply(scheduler.workers)))
        plot = WorkersMemory(scheduler)
        dashboard = measure(lambda _: plot.update(), budget=budget)
        scheduler.workers.clear()
    return {
        "workers": n,
        "identity_ms": full.cpu_ms,
        "identity_bytes": full_bytes,
        "identity_B_per_worker": full_bytes / n,
        "lean_ms": lean.cpu_ms,
        "lean_bytes": lean_bytes,
        "lean_B_per_worker": lean_bytes / n,
        "bytes_ratio": full_bytes / lean_bytes,
        "cpu_ratio": full.cpu_ms / lean.cpu_ms,
        "dashboard_update_ms": dashboard.cpu_ms,
        "dashboard_us_per_worker": 1e3 * dashboard.cpu_ms / n,
    }


def main() -> None:
    args = arguments(__doc__, budget=(float, 2.0, "seconds per figure"))
    rows = [asyncio.run(bench(n, args.budget)) for n in args.counts]
    keys = ["workers", "identity_ms", "identity_bytes", "identity_B_per_worker"]
    keys += ["lean_ms", "lean_bytes", "lean_B_per_worker", "bytes_ratio"]
    keys += ["cpu_ratio"]
    print_table(
        "Scheduler per poll: identity(n_workers=-1) vs lean handler, packed "
        "(CPU ms, medians)",
        [{k: r[k] for k in keys} for r in rows],
    )
    print_table(
        "Dask dashboard: WorkersMemory(scheduler).update() (CPU ms, medians)",
        [
            {k: r[k] for k in ("workers", "dashboard_update_ms")}
            | {"us_per_worker": r["dashboard_us_per_worker"]}
            for r in rows
        ],
    )
    print(
        "The dashboard status page shows this per-worker plot up to 100 workers "
        "and a histogram (WorkersMemoryHistogram) beyond; the figures time the "
        "per-worker plot anyway, server side only (no browser)."
    )
    print("Synthetic metrics are smaller than a busy cluster's heartbeats.")
    write_results(args.json, "scheduler", rows)


if __name__ == "__main__":
    main()
