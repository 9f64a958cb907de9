"""From raw samples to breakdowns: one rolling window per live worker."""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from itertools import compress
from operator import is_not
from typing import TYPE_CHECKING

from memwidget.breakdown import EMPTY, MemoryBreakdown, unchecked
from memwidget.window import RollingMin
from memwidget.wire import CODES, HAS_DATA, OTHER_STATUS, SPLIT_UNKNOWN

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from memwidget.sources import WorkerSample

FIGURES = (
    "process",
    "managed_in_memory",
    "managed_spilled",
    "unmanaged_old",
    "spilled_disk",
)
"""The independent figures of a breakdown: one wire column each, in wire order."""

Figures = tuple[int, int, int, int, int]
"""A worker's breakdown as its :data:`FIGURES`, exact, in that order."""

_NO_SPLIT = HAS_DATA | SPLIT_UNKNOWN
_UNTIMED = -math.inf
"""The sample time kept for a worker whose sample has none."""


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


class Tick:
    """Everything one poll learned, ready to be sent or snapshotted.

    The per-worker figures are held as the wire's columns, in the order of
    ``samples``, with the aggregates a tick needs; :attr:`rows` builds one
    :class:`WorkerRow` per worker only when asked, because at thousands of
    workers that costs more than everything else a tick does.
    """

    __slots__ = (
        "_parts",
        "_rows",
        "ages",
        "cluster",
        "cluster_limit",
        "figures",
        "flags",
        "freshest_age",
        "generation",
        "samples",
        "status",
        "time",
    )

    def __init__(
        self,
        *,
        time: float,
        generation: int,
        samples: Sequence[WorkerSample],
        parts: Sequence[Figures | None],
        figures: Sequence[array[float]],
        ages: array[float],
        status: bytes,
        flags: bytes,
        cluster: MemoryBreakdown,
        cluster_limit: int | None,
        freshest_age: float | None,
    ) -> None:
        self.time = time
        self.generation = generation
        """Increases whenever the workers, their order, or an identity changes."""
        self.samples = tuple(samples)
        self._parts = tuple(parts)
        self.figures = tuple(figures)
        """The columns of :data:`FIGURES`, float64, one entry per worker."""
        self.ages = ages
        """Seconds since each worker's sample, float32; 0 where unknown."""
        self.status = status
        """Each worker's status code, as the wire sends it."""
        self.flags = flags
        """Each worker's wire flags: ``HAS_DATA``, ``SPLIT_UNKNOWN``."""
        self.cluster = cluster
        self.cluster_limit = cluster_limit
        self.freshest_age = freshest_age
        """The age of the freshest sample; ``None`` if no worker has one."""
        self._rows: tuple[WorkerRow, ...] | None = None

    @property
    def workers(self) -> int:
        """How many workers the tick holds."""
        return len(self.samples)

    @property
    def workers_with_data(self) -> int:
        """How many workers have sent a usable sample."""
        return len(self.flags) - self.flags.count(0)

    @property
    def workers_split_unknown(self) -> int:
        """How many workers have data but no managed/unmanaged split."""
        return self.flags.count(_NO_SPLIT)

    @property
    def rows(self) -> tuple[WorkerRow, ...]:
        """One row per worker, in the order of the columns."""
        if self._rows is None:
            now = self.time
            self._rows = tuple(
                WorkerRow(
                    sample,
                    None if part is None else unchecked(*part),
                    flag == HAS_DATA,
                    None if sample.time is None else max(0.0, now - sample.time),
                )
                for sample, part, flag in zip(
                    self.samples, self._parts, self.flags, strict=True
                )
            )
        return self._rows


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

    Notes
    -----
    The wire's columns and the cluster's sums are kept from one reading to
    the next and updated only where a worker's sample changed: in a large
    cluster most workers send nothing new at a given tick, because heartbeats
    come every ``n / 200 + 1`` seconds. A sample counts as unchanged when it
    is the very object of the previous reading, as
    :class:`~memwidget.sources.DaskSource` keeps them; pushing the same timed
    value again would leave its window as it was. A change of membership or
    of order rebuilds every column.
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
        self._clear()

    def _clear(self) -> None:
        self._addresses: list[str] = []
        self._samples: list[WorkerSample] = []
        self._parts: list[Figures | None] = []
        self._figures = [array("d") for _ in FIGURES]
        self._times = array("d")
        self._untimed: set[int] = set()
        self._status = bytearray()
        self._flags = bytearray()
        self._sums = [0] * len(FIGURES)
        self._limits = 0
        self._no_limit = 0

    def update(self, samples: Iterable[WorkerSample], now: float) -> Tick:
        """Fold one reading in and return its breakdowns.

        Samples with no data keep their row (saying so) but do not touch the
        worker's window. A repeated address keeps only its last sample.
        """
        samples = list(samples)
        if not self._update_in_place(samples, now):
            self._rebuild(samples, now)
        return self._tick(now)

    def _update_in_place(self, samples: list[WorkerSample], now: float) -> bool:
        """Fold in the samples that changed; false if the workers changed."""
        previous = self._samples
        if len(samples) != len(previous) or not previous:
            return False
        changed = list(compress(range(len(samples)), map(is_not, samples, previous)))
        addresses = self._addresses
        if any(samples[i].address != addresses[i] for i in changed):
            return False
        bumped = False
        for i in changed:
            sample, old = samples[i], previous[i]
            if (
                sample.memory_limit != old.memory_limit
                or sample.name != old.name
                or sample.host != old.host
                or sample.nthreads != old.nthreads
            ):
                bumped = True
                self._count_limit(old.memory_limit, -1)
                self._count_limit(sample.memory_limit, 1)
            previous[i] = sample
            self._place(i, sample, self._figures_of(sample, now))
        if bumped:
            self.generation += 1
        # Without a time of its own, a sample is taken as new at every reading.
        for i in self._untimed.difference(changed):
            sample = previous[i]
            if sample.process is not None:
                self._place(i, sample, self._figures_of(sample, now))
        return True

    def _rebuild(self, samples: list[WorkerSample], now: float) -> None:
        latest = {sample.address: sample for sample in samples}
        previous = dict(zip(self._addresses, self._samples, strict=True))
        kept = dict(zip(self._addresses, self._parts, strict=True))
        if list(latest) != self._addresses or any(
            sample is not previous[address]
            and _identity(sample) != _identity(previous[address])
            for address, sample in latest.items()
        ):
            self.generation += 1
        for gone in self.windows.keys() - latest.keys():
            del self.windows[gone]

        self._clear()
        n = len(latest)
        self._addresses = list(latest)
        self._samples = list(latest.values())
        self._parts = [None] * n
        zeros = bytes(8 * n)
        self._figures = [array("d", zeros) for _ in FIGURES]
        self._times = array("d", zeros)
        self._status = bytearray(n)
        self._flags = bytearray(n)
        for i, (address, sample) in enumerate(latest.items()):
            self._count_limit(sample.memory_limit, 1)
            part = kept.get(address)
            if part is None or sample.time is None or sample is not previous[address]:
                part = self._figures_of(sample, now)
            self._place(i, sample, part)

    def _count_limit(self, limit: int | None, sign: int) -> None:
        if limit is None:
            self._no_limit += sign
        else:
            self._limits += sign * limit

    def _place(self, i: int, sample: WorkerSample, part: Figures | None) -> None:
        """Write a worker's figures into the columns and the cluster's sums."""
        old = self._parts[i]
        self._parts[i] = part
        self._status[i] = CODES.get(sample.status, OTHER_STATUS)
        if sample.time is None:
            self._times[i] = _UNTIMED
            self._untimed.add(i)
        else:
            self._times[i] = sample.time
            if self._untimed:
                self._untimed.discard(i)
        sums = self._sums
        if old is not None:
            sums[0] -= old[0]
            sums[1] -= old[1]
            sums[2] -= old[2]
            sums[3] -= old[3]
            sums[4] -= old[4]
        process, in_memory, spilled, unmanaged_old, disk = self._figures
        if part is None:
            self._flags[i] = 0
            process[i] = in_memory[i] = spilled[i] = unmanaged_old[i] = disk[i] = 0
            return
        self._flags[i] = HAS_DATA if sample.managed_bytes is not None else _NO_SPLIT
        process[i] = figure = part[0]
        sums[0] += figure
        in_memory[i] = figure = part[1]
        sums[1] += figure
        spilled[i] = figure = part[2]
        sums[2] += figure
        unmanaged_old[i] = figure = part[3]
        sums[3] += figure
        disk[i] = figure = part[4]
        sums[4] += figure

    def _tick(self, now: float) -> Tick:
        now = float(now)
        times = self._times
        freshest = max(times, default=_UNTIMED)
        ages = array("f", map(now.__sub__, times))
        if freshest > now:  # a worker's clock ahead of the kernel's
            for i in compress(range(len(times)), map(now.__lt__, times)):
                ages[i] = 0.0
        for i in self._untimed:
            ages[i] = 0.0
        n = len(self._samples)
        return Tick(
            time=now,
            generation=self.generation,
            samples=self._samples,
            parts=self._parts,
            figures=[column[:] for column in self._figures],
            ages=ages,
            status=bytes(self._status),
            flags=bytes(self._flags),
            cluster=MemoryBreakdown(*self._sums) if n else EMPTY,
            cluster_limit=None if self._no_limit else self._limits or None,
            freshest_age=None if freshest == _UNTIMED else max(0.0, now - freshest),
        )

    def _figures_of(self, sample: WorkerSample, now: float) -> Figures | None:
        """Push a sample into its worker's window; return its breakdown's figures."""
        process = sample.process
        if process is None:
            return None
        spilled, disk = sample.spilled, sample.spilled_disk
        managed_bytes = sample.managed_bytes
        if managed_bytes is None:
            managed_bytes = spilled
        in_memory = min(process, max(0, managed_bytes - spilled))
        window = self.windows.get(sample.address)
        if window is None:
            window = self.windows[sample.address] = RollingMin(self.window)
        time = now if sample.time is None else sample.time
        old = window.push(time, process - in_memory)
        if min(process, managed_bytes, spilled, disk) < 0:
            b = MemoryBreakdown.from_inputs(
                process=process,
                managed_bytes=managed_bytes,
                spilled=spilled,
                spilled_disk=disk,
                unmanaged_old_window=old,
            )
            return (
                b.process,
                b.managed_in_memory,
                b.managed_spilled,
                b.unmanaged_old,
                b.spilled_disk,
            )
        # The clamps of MemoryBreakdown.from_inputs, which non-negative
        # figures need no more of.
        return (
            process,
            in_memory,
            spilled,
            min(max(0, old), process - in_memory),
            disk,
        )


def empty_tick() -> Tick:
    """Return the tick before the first reading: no workers, nothing known."""
    return Tick(
        time=0.0,
        generation=0,
        samples=(),
        parts=(),
        figures=[array("d") for _ in FIGURES],
        ages=array("f"),
        status=b"",
        flags=b"",
        cluster=EMPTY,
        cluster_limit=None,
        freshest_age=None,
    )
