"""Kernel CPU and wire bytes per tick, for 10 to 10,000 synthetic workers.

The widget polls a fake source that hands it what the lean scheduler read
returns, packed and unpacked as distributed sends it. Figures: the whole
``MemoryWidget.poll()`` and each stage of it (unpack, parse, rolling window,
breakdown, tracker, encode, send), medians over many ticks; and the bytes of
the comm message each tick sends, against a JSON-per-worker encoding of the
same figures.

Synthetic metrics are smaller than a busy cluster's (see synthetic.py).
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

from common import arguments, measure, print_table, write_results
from synthetic import heartbeat, lean_reply, over_the_wire, worker_states

from memwidget import MemoryWidget
from memwidget.breakdown import MemoryBreakdown, managed_in_memory_of
from memwidget.sources import ReplyCache, parse_identity
from memwidget.tracker import Tracker, heartbeat_interval
from memwidget.window import RollingMin
from memwidget.wire import encode_columns

ROUNDS = 24
"""Distinct heartbeat rounds the fake source cycles through."""
INTERVAL = 1.0
"""The widget's default poll interval, in seconds."""


class RecordingComm:
    """Stands in for the kernel's comm: keeps each message, JSON-encoded."""

    def __init__(self, comm: Any) -> None:
        self.comm = comm
        self.messages: list[tuple[int, int, dict[str, Any]]] = []

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        del metadata
        text = json.dumps(data, separators=(",", ":"))
        size = sum(memoryview(b).nbytes for b in buffers or ())
        self.messages.append((len(text.encode()), size, data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.comm, name)


class ReplaySource:
    """Returns one packed scheduler reply after another, unpacking each."""

    def __init__(self, replies: list[list[Any]]) -> None:
        self.replies = replies
        self.i = 0
        self.cache = ReplyCache()

    def read(self, timeout: float) -> Any:
        del timeout
        from distributed.protocol import loads

        frames = self.replies[self.i % len(self.replies)]
        self.i += 1
        return parse_identity(loads(frames), self.cache)

    def close(self) -> None:
        pass


def replies(n: int, fraction: float) -> tuple[list[list[Any]], int]:
    """ROUNDS packed lean replies for ``n`` workers, and the bytes of one.

    From one reply to the next, a ``fraction`` of the workers has sent a new
    heartbeat.
    """
    from distributed.protocol import dumps

    workers = worker_states(n)
    rng = random.Random(1)
    out = []
    for round_ in range(ROUNDS):
        heartbeat(workers, rng, time.time() + round_, fraction)
        out.append(dumps(lean_reply(workers)))
    _, size = over_the_wire(lean_reply(workers))
    return out, size


def json_per_worker(tick: Any) -> int:
    """Bytes of the same per-worker figures as one JSON object per worker."""
    rows = []
    for row in tick.rows:
        b = row.breakdown
        rows.append(
            {
                "address": row.sample.address,
                "process": b.process if b else None,
                "managed_in_memory": b.managed_in_memory if b else None,
                "managed_spilled": b.managed_spilled if b else None,
                "unmanaged_old": b.unmanaged_old if b else None,
                "spilled_disk": b.spilled_disk if b else None,
                "age": row.age,
                "status": row.sample.status,
                "has_data": b is not None,
                "split_known": row.split_known,
            }
        )
    return len(json.dumps(rows, separators=(",", ":")).encode())


def bench(n: int, budget: float, *, paced: bool) -> dict[str, Any]:
    from distributed.protocol import loads

    fraction = min(1.0, INTERVAL / heartbeat_interval(n)) if paced else 1.0
    packed, reply_bytes = replies(n, fraction)
    unpacked = [loads(frames) for frames in packed]
    cache = ReplyCache()
    parsed = [parse_identity(reply, cache) for reply in unpacked]
    now0 = time.time()

    source = ReplaySource(packed)
    widget = MemoryWidget(source=source, interval=3600, recent_to_old_time=30)
    try:
        deadline = time.monotonic() + 30
        while widget._tick_count == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        recorder = RecordingComm(widget.comm)
        widget.comm = recorder

        poll = measure(lambda _: widget.poll(), budget=budget)
        unpack = measure(lambda i: loads(packed[i % ROUNDS]), budget=budget)
        parse = measure(
            lambda i: parse_identity(unpacked[i % ROUNDS], cache), budget=budget
        )

        windows = [RollingMin(30.0) for _ in range(n)]

        def window_stage(i: int) -> None:
            for w, s in zip(windows, parsed[i % ROUNDS], strict=True):
                unmanaged = s.process - managed_in_memory_of(
                    s.process, s.managed_bytes or 0, s.spilled
                )
                w.push(now0 + i, unmanaged)

        window = measure(window_stage, budget=budget)

        def breakdown_stage(i: int) -> None:
            MemoryBreakdown.total(
                MemoryBreakdown.from_inputs(
                    process=s.process,
                    managed_bytes=s.managed_bytes or 0,
                    spilled=s.spilled,
                    spilled_disk=s.spilled_disk,
                    unmanaged_old_window=0,
                )
                for s in parsed[i % ROUNDS]
            )

        breakdown = measure(breakdown_stage, budget=budget)
        tracker = Tracker(30.0)
        track = measure(
            lambda i: tracker.update(parsed[i % ROUNDS], now0 + i), budget=budget
        )
        ticks = [tracker.update(parsed[i], now0 + 100 + i) for i in range(ROUNDS)]
        encode = measure(lambda i: encode_columns(ticks[i % ROUNDS]), budget=budget)
        send = measure(lambda i: widget._send_tick(ticks[i % ROUNDS]), budget=budget)

        recorder.messages.clear()
        widget.poll()
        ((json_bytes, buffer_bytes, data),) = recorder.messages
        assert "_identities" not in data["state"], "membership did not change"
        identities = json.dumps(
            widget.get_state(["_identities"]), separators=(",", ":")
        )
        baseline = json_per_worker(widget._tick)
    finally:
        widget.close()

    tick_bytes = json_bytes + buffer_bytes
    return {
        "workers": n,
        "new_samples": round(fraction * n),
        "poll_ms": poll.wall_ms,
        "poll_cpu_ms": poll.cpu_ms,
        "poll_us_per_worker": 1e3 * poll.cpu_ms / n,
        "unpack_ms": unpack.cpu_ms,
        "parse_ms": parse.cpu_ms,
        "window_ms": window.cpu_ms,
        "breakdown_ms": breakdown.cpu_ms,
        "tracker_ms": track.cpu_ms,
        "encode_ms": encode.cpu_ms,
        "send_ms": send.cpu_ms,
        "ticks": poll.runs,
        "reply_bytes_per_worker": reply_bytes / n,
        "tick_bytes": tick_bytes,
        "tick_bytes_per_worker": tick_bytes / n,
        "tick_json_part": json_bytes,
        "join_bytes_per_worker": len(identities.encode()) / n,
        "json_per_worker_bytes": baseline / n,
        "json_vs_wire": baseline / tick_bytes,
    }


def main() -> None:
    args = arguments(__doc__, budget=(float, 2.0, "seconds per figure"))
    results = []
    for paced, title in (
        (True, "heartbeat-paced: new samples from n / heartbeat interval workers"),
        (False, "worst case: every worker has a new sample every tick"),
    ):
        rows = [bench(n, args.budget, paced=paced) for n in args.counts]
        for row in rows:
            row["scenario"] = "paced" if paced else "all new"
        results += rows
        cpu = ["workers", "new_samples", "poll_ms", "poll_cpu_ms"]
        cpu += ["poll_us_per_worker", "unpack_ms", "parse_ms", "window_ms"]
        cpu += ["breakdown_ms", "tracker_ms", "encode_ms", "send_ms", "ticks"]
        print_table(
            f"Kernel CPU per tick, {title} (ms, medians; stages are CPU time)",
            [{k: r[k] for k in cpu} for r in rows],
        )
    wire = ["workers", "tick_bytes", "tick_bytes_per_worker", "tick_json_part"]
    wire += ["join_bytes_per_worker", "json_per_worker_bytes", "json_vs_wire"]
    wire += ["reply_bytes_per_worker"]
    print_table(
        "Bytes to the browser per tick (comm message: JSON + buffers)",
        [{k: r[k] for k in wire} for r in results if r["scenario"] == "paced"],
    )
    print("Synthetic metrics are smaller than a busy cluster's heartbeats.")
    write_results(args.json, "kernel", results)


if __name__ == "__main__":
    main()
