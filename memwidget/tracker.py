"""From raw samples to breakdowns: one rolling window per live worker."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from memwidget.breakdown import EMPTY, MemoryBreakdown, managed_in_memory_of
from memwidget.window import RollingMin

if TYPE_CHECKING:
    from collections.abc import Iterable

    from memwidget.sources import WorkerSample


@dataclass(frozen=True, slots=True)
class WorkerRow:
    """A worker's latest sample and its breakdown.

    ``breakdown is None`` when the worker has sent no usable sample.
    ``split_known`` is false when only process memory is known: the breakdown
    then counts all of it as unmanaged, and must not be shown as a split.
    """

    sample: WorkerSample
    breakdown: MemoryBreakdown | None
    split_known: bool
    age: float | None


@dataclass(frozen=True, slots=True)
class Tick:
    """Everything one poll learned, ready to be sent or snapshotted."""

    time: float
    rows: tuple[WorkerRow, ...]
    cluster: MemoryBreakdown
    cluster_limit: int | None
    generation: int
    """Increases whenever the set of workers, or an identity, changes."""


def heartbeat_interval(n_workers: int) -> float:
    """Seconds between a worker's heartbeats in a cluster of ``n_workers``."""
    if n_workers <= 10:  # noqa: PLR2004 - distributed's own steps
        return 0.5
    if n_workers < 50:  # noqa: PLR2004
        return 1.0
    if n_workers < 200:  # noqa: PLR2004
        return 2.0
    return n_workers / 200 + 1


def cluster_limit(rows: Iterable[WorkerRow]) -> int | None:
    """Sum the workers' memory limits: no limit if any worker has none."""
    total = 0
    for row in rows:
        if row.sample.memory_limit is None:
            return None
        total += row.sample.memory_limit
    return total or None


def _identity(sample: WorkerSample) -> tuple[object, ...]:
    return (sample.name, sample.host, sample.nthreads, sample.memory_limit)


class Tracker:
    """Turns successive readings into breakdowns.

    Holds one :class:`~memwidget.window.RollingMin` of unmanaged memory per
    worker, keyed by address, and drops it as soon as the worker is gone from
    a reading, so a worker that comes back starts a fresh window.

    Parameters
    ----------
    window
        The recent-to-old window, in seconds.
    """

    def __init__(self, window: float) -> None:
        if not (isinstance(window, int | float) and math.isfinite(window)):
            msg = f"window must be a finite number of seconds, got {window!r}"
            raise TypeError(msg)
        if window < 0:
            msg = f"window must be >= 0 seconds, got {window}"
            raise ValueError(msg)
        self.window = float(window)
        self.windows: dict[str, RollingMin] = {}
        self.generation = 0
        self._latest: dict[str, WorkerSample] = {}
        self._breakdowns: dict[str, MemoryBreakdown] = {}

    def update(self, samples: Iterable[WorkerSample], now: float) -> Tick:
        """Fold one reading in and return its breakdowns.

        Samples with no data keep their row (saying so) but do not touch the
        worker's window. A repeated address keeps only its last sample.

        Notes
        -----
        A sample that is the very object of the previous reading (a source
        that keeps unchanged samples, as :class:`~memwidget.sources.DaskSource`
        does) keeps its breakdown: pushing the same timed value again leaves
        its window as it was. In a large cluster most workers are in that case
        at any tick, because heartbeats come every ``n / 200 + 1`` seconds.
        """
        latest = {sample.address: sample for sample in samples}
        previous = self._latest
        if latest.keys() != previous.keys() or any(
            sample is not previous[address]
            and _identity(sample) != _identity(previous[address])
            for address, sample in latest.items()
        ):
            self.generation += 1
        for gone in self.windows.keys() - latest.keys():
            del self.windows[gone]

        kept = self._breakdowns
        breakdowns: dict[str, MemoryBreakdown] = {}
        rows = []
        limit: int | None = 0
        for address, sample in latest.items():
            sample_time = sample.time
            age = None if sample_time is None else max(0.0, now - sample_time)
            if limit is not None:
                limit = (
                    None if sample.memory_limit is None else limit + sample.memory_limit
                )
            if sample.process is None:
                rows.append(WorkerRow(sample, None, split_known=False, age=age))
                continue
            breakdown = kept.get(address)
            if (
                breakdown is None
                or sample_time is None
                or sample is not previous[address]
            ):
                breakdown = self._breakdown(sample, now)
            breakdowns[address] = breakdown
            rows.append(
                WorkerRow(sample, breakdown, sample.managed_bytes is not None, age)
            )
        self._latest = latest
        self._breakdowns = breakdowns
        return Tick(
            time=now,
            rows=tuple(rows),
            cluster=MemoryBreakdown.total(breakdowns.values()),
            cluster_limit=limit or None,
            generation=self.generation,
        )

    def _breakdown(self, sample: WorkerSample, now: float) -> MemoryBreakdown:
        process = sample.process or 0
        managed_bytes = (
            sample.managed_bytes if sample.managed_bytes is not None else sample.spilled
        )
        unmanaged = process - managed_in_memory_of(
            process, managed_bytes or 0, sample.spilled
        )
        window = self.windows.get(sample.address)
        if window is None:
            window = self.windows[sample.address] = RollingMin(self.window)
        old = window.push(now if sample.time is None else sample.time, unmanaged)
        return MemoryBreakdown.from_inputs(
            process=process,
            managed_bytes=managed_bytes or 0,
            spilled=sample.spilled,
            spilled_disk=sample.spilled_disk,
            unmanaged_old_window=old,
        )


def empty_tick() -> Tick:
    """Return the tick before the first reading: no workers, nothing known."""
    return Tick(time=0.0, rows=(), cluster=EMPTY, cluster_limit=None, generation=0)
