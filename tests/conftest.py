"""Fixtures shared by the integration tests: real clusters with worker processes."""

from __future__ import annotations

import gc
import threading
import time

import pytest
from distributed import Client, LocalCluster

CLUSTER_KWARGS = {
    "n_workers": 2,
    "threads_per_worker": 1,
    "memory_limit": "1GiB",
    "processes": True,
    "dashboard_address": "127.0.0.1:0",
}


@pytest.fixture(scope="session")
def cluster():
    with LocalCluster(**CLUSTER_KWARGS) as cluster:
        yield cluster


@pytest.fixture
def client(cluster):
    with Client(cluster) as client:
        client.wait_for_workers(CLUSTER_KWARGS["n_workers"])
        yield client
        # Leave the workers as the next test expects them: nothing held.
        client.run(release_unmanaged)


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
