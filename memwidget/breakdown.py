"""The memory breakdown of one worker, or of a whole cluster.

Pure arithmetic: no Dask, no Jupyter. Every figure is an ``int`` number of
bytes, and every record satisfies the invariants::

    every field >= 0
    process   == managed_in_memory + unmanaged
    unmanaged == unmanaged_old + unmanaged_recent
    optimistic == managed_in_memory + unmanaged_old
    managed   == managed_in_memory + managed_spilled
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

FIELDS = (
    "process",
    "managed",
    "managed_in_memory",
    "managed_spilled",
    "unmanaged",
    "unmanaged_old",
    "unmanaged_recent",
    "optimistic",
    "spilled_disk",
)
"""Every figure of a breakdown, in the order users read them."""

_INDEPENDENT = tuple(
    attrgetter(name)
    for name in (
        "process",
        "managed_in_memory",
        "managed_spilled",
        "unmanaged_old",
        "spilled_disk",
    )
)


def managed_in_memory_of(process: int, managed_bytes: int, spilled: int) -> int:
    """Return the part of ``process`` that is Dask's stored results in memory.

    ``managed_bytes`` counts spilled keys too, so they are taken out first; the
    result is clamped to ``[0, process]`` because ``sizeof()`` is an estimate
    and can exceed what the OS measures.
    """
    return min(process, max(0, managed_bytes - spilled))


@dataclass(frozen=True, slots=True)
class MemoryBreakdown:
    """Where the memory of a worker (or of a cluster) goes, in bytes.

    Build one with :meth:`from_inputs` from a worker's raw heartbeat figures,
    or add several with :meth:`total`; the constructor itself is only for the
    five independent figures, from which the rest are derived.

    Attributes
    ----------
    process
        Everything the OS says the worker holds (its resident set size).
    managed
        All results Dask holds, in memory or spilled to disk.
    managed_in_memory
        The part of ``process`` that is Dask's stored results.
    managed_spilled
        Results Dask moved to disk, counted at their size in memory.
    unmanaged
        Process memory Dask cannot account for.
    unmanaged_old
        The part of ``unmanaged`` that has lasted the whole recent-to-old window.
    unmanaged_recent
        The part of ``unmanaged`` that appeared within the window: hopefully a
        temporary spike.
    optimistic
        What the worker holds long-term if every recent spike goes away.
    spilled_disk
        Bytes the spilled results take on disk. Not part of any sum above.
    """

    process: int
    managed_in_memory: int
    managed_spilled: int
    unmanaged_old: int
    spilled_disk: int

    def __post_init__(self) -> None:
        """Reject a record that breaks an invariant: it would show wrong bars."""
        for name in ("process", "managed_in_memory", "managed_spilled"):
            if getattr(self, name) < 0:
                msg = f"{name} must be >= 0, got {getattr(self, name)}"
                raise ValueError(msg)
        if self.managed_in_memory > self.process:
            msg = (
                f"managed_in_memory ({self.managed_in_memory}) cannot exceed "
                f"process ({self.process}); use MemoryBreakdown.from_inputs, "
                "which applies the clamps"
            )
            raise ValueError(msg)
        if not 0 <= self.unmanaged_old <= self.unmanaged:
            msg = (
                f"unmanaged_old ({self.unmanaged_old}) must be within "
                f"[0, unmanaged={self.unmanaged}]"
            )
            raise ValueError(msg)
        if self.spilled_disk < 0:
            msg = f"spilled_disk must be >= 0, got {self.spilled_disk}"
            raise ValueError(msg)

    @classmethod
    def from_inputs(
        cls,
        *,
        process: int,
        managed_bytes: int,
        spilled: int = 0,
        spilled_disk: int = 0,
        unmanaged_old_window: int | None = None,
    ) -> MemoryBreakdown:
        """Apply the clamps to a worker's raw figures.

        Parameters
        ----------
        process
            Resident set size of the worker process.
        managed_bytes
            ``sizeof()`` of every key the worker holds, in memory and spilled.
        spilled
            ``sizeof()`` of the keys spilled to disk.
        spilled_disk
            Bytes the spilled keys take on disk.
        unmanaged_old_window
            The minimum of this worker's unmanaged memory over the
            recent-to-old window. ``None`` treats all unmanaged memory as old,
            which is right when there is only one sample.

        Notes
        -----
        Negative inputs are clamped to zero here rather than rejected: they
        come from clusters, not from users, and a widget must not crash on
        them. Sources mark a worker as having no data when an input is
        unusable (missing, ``None``, not a number).
        """
        process = max(0, process)
        managed_spilled = max(0, spilled)
        in_memory = managed_in_memory_of(
            process, max(0, managed_bytes), managed_spilled
        )
        unmanaged = process - in_memory
        old = unmanaged if unmanaged_old_window is None else unmanaged_old_window
        return cls(
            process=process,
            managed_in_memory=in_memory,
            managed_spilled=managed_spilled,
            unmanaged_old=min(max(0, old), unmanaged),
            spilled_disk=max(0, spilled_disk),
        )

    @classmethod
    def total(cls, parts: Iterable[MemoryBreakdown]) -> MemoryBreakdown:
        """Add up breakdowns: the cluster's is the sum of its workers'.

        The independent figures are summed and the rest derived, so the
        cluster's ``unmanaged_old`` is the sum of each worker's window, not the
        minimum of a summed series.
        """
        parts = parts if isinstance(parts, list | tuple) else list(parts)
        return cls(*(sum(map(figure, parts)) for figure in _INDEPENDENT))

    def __add__(self, other: MemoryBreakdown) -> MemoryBreakdown:
        """Add two breakdowns: the same as :meth:`total` of both."""
        return MemoryBreakdown.total((self, other))

    @property
    def managed(self) -> int:
        """All results Dask holds, in memory or spilled."""
        return self.managed_in_memory + self.managed_spilled

    @property
    def unmanaged(self) -> int:
        """Process memory Dask cannot account for."""
        return self.process - self.managed_in_memory

    @property
    def unmanaged_recent(self) -> int:
        """Unmanaged memory that appeared within the window."""
        return self.unmanaged - self.unmanaged_old

    @property
    def optimistic(self) -> int:
        """What the worker holds long-term if every recent spike goes away."""
        return self.managed_in_memory + self.unmanaged_old

    def to_dict(self) -> dict[str, int]:
        """Return every figure, derived ones included, as a plain dict."""
        independent = asdict(self)
        return {name: independent.get(name, getattr(self, name)) for name in FIELDS}


def unchecked(
    process: int,
    managed_in_memory: int,
    managed_spilled: int,
    unmanaged_old: int,
    spilled_disk: int,
) -> MemoryBreakdown:
    """Build a breakdown from figures that meet the invariants by construction.

    Skips the checks of the constructor, which cost more than building the
    record: only for callers that have applied the clamps of
    :meth:`MemoryBreakdown.from_inputs` themselves, as the tracker does.
    """
    breakdown = object.__new__(MemoryBreakdown)
    _set(breakdown, "process", process)
    _set(breakdown, "managed_in_memory", managed_in_memory)
    _set(breakdown, "managed_spilled", managed_spilled)
    _set(breakdown, "unmanaged_old", unmanaged_old)
    _set(breakdown, "spilled_disk", spilled_disk)
    return breakdown


_set = object.__setattr__

EMPTY = MemoryBreakdown(0, 0, 0, 0, 0)
"""The breakdown of nothing: the cluster total of no workers."""
