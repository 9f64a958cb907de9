"""Helpers shared by the tests: memory to hold on workers, waiting, checks."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from memwidget import MemoryBreakdown
from memwidget.breakdown import FIELDS

CLUSTER_KWARGS = {
    "n_workers": 2,
    "threads_per_worker": 1,
    "memory_limit": "1GiB",
    "processes": True,
    "dashboard_address": "127.0.0.1:0",
}


def assert_invariants(b: MemoryBreakdown) -> None:
    figures = b.to_dict()
    assert set(figures) == set(FIELDS)
    assert all(isinstance(v, int) and v >= 0 for v in figures.values()), figures
    assert b.process == b.managed_in_memory + b.unmanaged
    assert b.unmanaged == b.unmanaged_old + b.unmanaged_recent
    assert b.optimistic == b.managed_in_memory + b.unmanaged_old
    assert b.managed == b.managed_in_memory + b.managed_spilled


def release_unmanaged() -> None:
    """Drop what :func:`hold_unmanaged` kept, in the worker process."""
    import sys

    module = sys.modules.get("memwidget_ballast")
    if module is not None:
        module.hold.clear()
    gc.collect()


def hold_unmanaged(nbytes: int) -> None:
    """Keep ``nbytes`` of memory Dask does not know about, in the worker process."""
    import sys
    import types

    module = sys.modules.setdefault(
        "memwidget_ballast", types.ModuleType("memwidget_ballast")
    )
    if not hasattr(module, "hold"):
        module.hold = []
    block = bytearray(nbytes)
    block[::4096] = b"x" * len(block[::4096])  # touch every page: make it resident
    module.hold.append(block)


def poll_until(predicate, *, timeout=30.0, step=0.2, what="condition"):
    """Wait for ``predicate()`` to be truthy; fail with ``what`` after ``timeout``.

    The timeout only bounds a hang: tests assert on values, never on speed.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(step)


def memwidget_threads():
    return [t for t in threading.enumerate() if t.name.startswith("memwidget-")]
