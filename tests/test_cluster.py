"""The widget against a real LocalCluster with worker processes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time

import dask.config
import pytest
from distributed import Client, LocalCluster

from memwidget import MemoryWidget

from helpers import (
    CLUSTER_KWARGS,
    assert_invariants,
    hold_unmanaged,
    memwidget_threads,
    poll_until,
    release_unmanaged,
)

pytestmark = pytest.mark.cluster
MIB = 2**20


@pytest.fixture
def widget(client):
    w = MemoryWidget(client, interval=0.25, recent_to_old_time=2)
    yield w
    w.close()


def worker_figures(widget, address):
    return widget.snapshot()["workers"][address]


def fresh(widget, predicate, what):
    """Wait until a snapshot satisfies ``predicate``; return that snapshot."""

    def check():
        snap = widget.snapshot()
        return snap if snap["workers"] and predicate(snap) else None

    return poll_until(check, what=what)


def test_reports_every_worker_with_process_memory(client, widget):
    addresses = set(client.scheduler_info(n_workers=-1)["workers"])
    snap = fresh(widget, lambda s: set(s["workers"]) == addresses, "both workers")
    for address, row in snap["workers"].items():
        assert row["has_data"], address
        assert row["process"] > 10 * MIB  # a Python process with dask imported
        assert row["memory_limit"] == 1024 * MIB
        assert row["status"] == "running"
    assert snap["cluster"]["memory_limit"] == 2048 * MIB
    assert snap["cluster"]["process"] == sum(
        r["process"] for r in snap["workers"].values()
    )


def test_scattered_data_shows_as_managed_in_memory(client, widget):
    address = min(client.scheduler_info(n_workers=-1)["workers"])
    future = client.scatter(b"x" * (64 * MIB), workers=[address])
    row = fresh(
        widget,
        lambda s: s["workers"][address]["managed_in_memory"] >= 64 * MIB,
        "scattered bytes to show as managed",
    )["workers"][address]
    assert row["managed"] == row["managed_in_memory"] < 65 * MIB
    assert row["managed_spilled"] == 0
    del future
    fresh(
        widget,
        lambda s: s["workers"][address]["managed"] < MIB,
        "released data to leave managed memory",
    )


def test_unmanaged_jump_is_recent_then_old_and_freeing_lowers_old_at_once(
    client, widget
):
    address = sorted(client.scheduler_info(n_workers=-1)["workers"])[1]
    before = fresh(widget, lambda s: True, "a first sample")["workers"][address]
    client.run(hold_unmanaged, 200 * MIB, workers=[address])

    recent = fresh(
        widget,
        lambda s: s["workers"][address]["unmanaged"] > before["unmanaged"] + 190 * MIB,
        "the jump to reach the heartbeat",
    )["workers"][address]
    assert recent["unmanaged_recent"] >= 150 * MIB
    assert recent["unmanaged_old"] < before["unmanaged"] + 50 * MIB

    old = fresh(  # the window is 2 s
        widget,
        lambda s: (
            s["workers"][address]["unmanaged_old"] > before["unmanaged"] + 190 * MIB
        ),
        "the jump to become old",
    )["workers"][address]
    assert old["unmanaged_recent"] < 20 * MIB

    client.run(release_unmanaged, workers=[address])
    freed = fresh(
        widget,
        lambda s: s["workers"][address]["process"] < old["process"] - 150 * MIB,
        "freed memory to reach the heartbeat",
    )["workers"][address]
    # Old can never exceed unmanaged: it drops with the very first sample.
    assert freed["unmanaged_old"] <= freed["unmanaged"]
    assert freed["unmanaged_old"] < old["unmanaged_old"] - 150 * MIB


def test_spilled_keys_show_as_managed_spilled_and_on_disk(client, widget):
    address = min(client.scheduler_info(n_workers=-1)["workers"])
    futures = [
        client.scatter(bytes([i]) * (8 * MIB), workers=[address]) for i in range(3)
    ]

    def evict(dask_worker):
        return [dask_worker.data.evict() for _ in range(2)]

    evicted = client.run(evict, workers=[address])[address]
    assert all(n > 0 for n in evicted)
    row = fresh(
        widget,
        lambda s: s["workers"][address]["managed_spilled"] >= 16 * MIB,
        "spilled keys to reach the heartbeat",
    )["workers"][address]
    assert 16 * MIB <= row["managed_spilled"] < 17 * MIB
    assert row["spilled_disk"] > 0  # on disk, maybe compressed
    assert 8 * MIB <= row["managed_in_memory"] < 9 * MIB
    assert row["managed"] == row["managed_in_memory"] + row["managed_spilled"]
    del futures


def _scheduler_view(dask_scheduler):
    return {
        address: {
            "time": ws.metrics.get("time"),
            "process": ws.memory.process,
            "managed": ws.memory.managed,
            "unmanaged": ws.memory.unmanaged,
            "unmanaged_old": ws.memory.unmanaged_old,
            "spilled": ws.memory.spilled,
            "nbytes": ws.nbytes,
            "managed_bytes": ws.metrics.get("managed_bytes"),
        }
        for address, ws in dask_scheduler.workers.items()
    }


def test_snapshot_matches_the_schedulers_own_breakdown_at_rest():
    # Equal windows: the scheduler (in this process) and the widget both read
    # this config key. A short one lets both histories settle quickly.
    with (
        dask.config.set({"distributed.worker.memory.recent-to-old-time": "1s"}),
        LocalCluster(**CLUSTER_KWARGS) as cluster,
        Client(cluster) as client,
    ):
        address = min(client.scheduler_info(n_workers=-1)["workers"])
        future = client.scatter(b"y" * (16 * MIB), workers=[address])
        client.run(hold_unmanaged, 32 * MIB, workers=[address])
        widget = MemoryWidget(client, interval=0.25)
        try:
            assert widget.window == 1.0
            ours, theirs = poll_until(
                lambda: _agreeing_pair(widget, client),
                what="a heartbeat both have read, at rest",
            )
        finally:
            widget.close()
        del future
    assert ours[address]["managed_in_memory"] >= 16 * MIB
    for a, t in theirs.items():
        o = ours[a]
        assert o["process"] == t["process"], a
        assert o["managed_in_memory"] == t["managed"], a
        assert o["unmanaged"] == t["unmanaged"], a
        assert o["spilled_disk"] == t["spilled"], a
        # Both windows see the same heartbeats, but the widget samples them
        # when it polls, so its minimum can include a heartbeat more or less.
        assert abs(o["unmanaged_old"] - t["unmanaged_old"]) <= 4 * MIB, a


def _agreeing_pair(widget, client):
    """Both views of one heartbeat, once the history is at rest, or None."""
    time.sleep(1.5)  # longer than the window: a settled history on both sides
    widget.poll()
    ours = widget.snapshot()["workers"]
    theirs = client.run_on_scheduler(_scheduler_view)
    same_heartbeat = set(ours) == set(theirs) and all(
        ours[a]["sample_time"] == t["time"] and t["nbytes"] == t["managed_bytes"]
        for a, t in theirs.items()
    )
    return (ours, theirs) if same_heartbeat else None


def test_workers_that_join_and_leave_appear_and_vanish(client, cluster, widget):
    fresh(widget, lambda s: len(s["workers"]) == 2, "two workers")
    cluster.scale(3)
    try:
        snap = fresh(widget, lambda s: len(s["workers"]) == 3, "a third worker")
        assert set(widget.tracker.windows) == set(snap["workers"])
    finally:
        cluster.scale(2)
    client.wait_for_workers(2)
    snap = fresh(widget, lambda s: len(s["workers"]) == 2, "back to two workers")
    poll_until(lambda: len(widget.tracker.windows) == 2, what="the window to go")
    assert set(widget.tracker.windows) == set(snap["workers"])


def test_every_invariant_holds_at_every_tick(client, widget):
    client.run(hold_unmanaged, 20 * MIB)
    future = client.scatter(list(range(100_000)))
    for _ in range(10):
        snap = fresh(widget, lambda s: True, "a tick")
        for row in snap["workers"].values():
            if row["has_data"]:
                check_row(row)
        check_row(snap["cluster"])
        widget.poll()
    del future


def check_row(row):
    from memwidget import MemoryBreakdown

    b = MemoryBreakdown(
        process=row["process"],
        managed_in_memory=row["managed_in_memory"],
        managed_spilled=row["managed_spilled"],
        unmanaged_old=row["unmanaged_old"],
        spilled_disk=row["spilled_disk"],
    )
    assert_invariants(b)
    assert b.to_dict() == {k: row[k] for k in b.to_dict()}


def test_works_with_an_asynchronous_client(cluster):
    async def main():
        async with Client(cluster.scheduler_address, asynchronous=True) as client:
            widget = MemoryWidget(client, interval=0.2)
            try:
                for _ in range(100):
                    await asyncio.sleep(0.1)
                    if widget.state == "live" and widget._tick.rows:
                        break
                snap = widget.snapshot()
            finally:
                widget.close()
            return snap

    # A thread of its own: another test's tool (Playwright's sync API) may
    # already run an event loop in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        snap = pool.submit(asyncio.run, main()).result()
    assert snap["state"] == "live"
    assert len(snap["workers"]) == 2
    assert all(r["process"] > 0 for r in snap["workers"].values())


def test_close_stops_the_poll_thread(client):
    widget = MemoryWidget(client, interval=0.1)
    assert memwidget_threads()
    widget.close()
    assert not memwidget_threads()
    ticks = widget._tick_count
    widget.poll()
    assert widget._tick_count == ticks
