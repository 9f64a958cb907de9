"""Synthetic clusters: WorkerState objects with realistic heartbeat metrics.

Every worker's ``metrics`` copies the shape of a real worker's heartbeat
(``real_worker.json``, captured by ``capture_worker.py``), extra keys
included, with figures drawn per worker: process memory, managed and spilled
bytes, CPU, I/O. A busy cluster's heartbeats carry more (one digest and one
bandwidth entry per task prefix and peer), so these payloads are a lower
bound on what a real ``identity()`` weighs.
"""

from __future__ import annotations

import copy
import json
import random
import time
import types
import weakref
from pathlib import Path
from typing import Any

from memwidget.sources import _lean_functions

REAL_WORKER = json.loads(Path(__file__).with_name("real_worker.json").read_text())
TEMPLATE: dict[str, Any] = REAL_WORKER["worker"]
GIB = 2**30
COUNTS = (10, 100, 1_000, 10_000)
_MEMORY_INPUTS = _lean_functions()["memory_inputs"]


def _address(i: int) -> str:
    return f"tcp://10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}:{40000 + i % 2000}"


def _name(i: int) -> object:
    # Clusters name workers by integer (LocalCluster), by spec name, or by pod.
    kind = i % 3
    if kind == 0:
        return i
    if kind == 1:
        return f"worker-{i}"
    return f"dask-worker-{i:05x}-{(i * 7919) % 100000:05d}"


def metrics(rng: random.Random, limit: int, now: float) -> dict[str, Any]:
    """One heartbeat's metrics: the real shape, with plausible figures."""
    out = copy.deepcopy(TEMPLATE["metrics"])
    process = int(limit * rng.uniform(0.05, 0.9))
    managed = int(process * rng.uniform(0.0, 0.8))
    spilled = int(managed * rng.uniform(0.1, 0.6)) if rng.random() < 0.2 else 0
    out.update(
        memory=process,
        managed_bytes=managed + spilled,
        spilled_bytes={"memory": spilled, "disk": int(spilled * 0.7)},
        time=now - rng.uniform(0.0, 2.0),
        cpu=round(rng.uniform(0, 200), 1),
        event_loop_interval=rng.uniform(0.019, 0.03),
        num_fds=rng.randint(18, 60),
        task_counts={"memory": rng.randint(0, 500), "executing": rng.randint(0, 4)},
        host_net_io={"read_bps": rng.uniform(0, 1e8), "write_bps": rng.uniform(0, 1e8)},
        host_disk_io={
            "read_bps": rng.uniform(0, 1e7),
            "write_bps": rng.uniform(0, 1e7),
        },
    )
    out["digests_total_since_heartbeat"] = {
        "tick-duration": rng.uniform(0.49, 0.52),
        "latency": rng.uniform(0.001, 0.01),
    }
    return out


def worker_states(n: int, scheduler: Any = None, seed: int = 0) -> dict[str, Any]:
    """``n`` WorkerState objects, as a scheduler holds them after a heartbeat."""
    from distributed.core import Status
    from distributed.scheduler import WorkerState

    rng = random.Random(seed)
    now = time.time()
    workers = {}
    for i in range(n):
        address = _address(i)
        limit = rng.choice((8, 16, 16, 32)) * GIB
        ws = WorkerState(
            address=address,
            status=Status.paused if rng.random() < 0.01 else Status.running,
            pid=1000 + i,
            name=_name(i),
            nthreads=rng.choice((1, 2, 4, 8)),
            memory_limit=limit,
            local_directory=f"/tmp/dask-scratch-space/worker-{i:08x}",  # noqa: S108
            nanny=_address(i).replace(":4", ":3", 1),
            server_id=f"Worker-{i:08x}",
            services=dict(TEMPLATE["services"]),
        )
        if scheduler is not None:
            ws.scheduler_ref = weakref.ref(scheduler)
        ws.metrics = metrics(rng, limit, now)
        ws.nbytes = ws.metrics["managed_bytes"]
        workers[address] = ws
    return workers


def heartbeat(
    workers: dict[str, Any], rng: random.Random, now: float, fraction: float = 1.0
) -> None:
    """Give a ``fraction`` of the workers (all by default) a new sample."""
    chosen = list(workers.values())
    if fraction < 1:
        chosen = rng.sample(chosen, max(1, round(fraction * len(chosen))))
    for ws in chosen:
        ws.metrics = metrics(rng, ws.memory_limit, now)
        ws.nbytes = ws.metrics["managed_bytes"]


def identity_reply(workers: dict[str, Any]) -> dict[str, Any]:
    """What ``Scheduler.identity(n_workers=-1)`` returns for these workers."""
    return {
        "type": "Scheduler",
        "id": "Scheduler-synthetic",
        "address": "tcp://10.0.0.1:8786",
        "workers": {address: ws.identity() for address, ws in workers.items()},
    }


def lean_reply(workers: dict[str, Any]) -> Any:
    """What the lean handler returns for these workers."""
    scheduler = types.SimpleNamespace(workers=workers)
    return _MEMORY_INPUTS(scheduler)


def over_the_wire(message: Any) -> tuple[Any, int]:
    """Pack ``message`` as distributed does, unpack it; return it and its bytes."""
    from distributed.protocol import dumps, loads

    frames = dumps(message)
    return loads(frames), sum(len(memoryview(f).cast("B")) for f in frames)
