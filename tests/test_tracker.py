from __future__ import annotations

import struct

import pytest

from memwidget.sources import WorkerSample
from memwidget.tracker import Tracker, cluster_limit, heartbeat_interval
from memwidget.wire import BYTES_PER_WORKER, HAS_DATA, SPLIT_UNKNOWN, encode_columns

from helpers import assert_invariants

MIB = 2**20


def sample(address="a", *, t=0.0, process=100 * MIB, managed=0, limit=1024 * MIB, **kw):
    return WorkerSample(
        address=address,
        name=kw.pop("name", address),
        memory_limit=limit,
        status=kw.pop("status", "running"),
        time=t,
        process=process,
        managed_bytes=managed,
        **kw,
    )


def test_a_jump_in_unmanaged_is_recent_until_the_window_passes():
    tracker = Tracker(window=10)
    tracker.update([sample(t=0, process=100)], now=0)
    tick = tracker.update([sample(t=1, process=300)], now=1)
    b = tick.rows[0].breakdown
    assert (b.unmanaged_old, b.unmanaged_recent) == (100, 200)

    tick = tracker.update([sample(t=11, process=300)], now=11)
    b = tick.rows[0].breakdown
    assert (b.unmanaged_old, b.unmanaged_recent) == (300, 0)


def test_freeing_memory_lowers_old_at_once():
    tracker = Tracker(window=10)
    tracker.update([sample(t=0, process=300)], now=0)
    tick = tracker.update([sample(t=1, process=120)], now=1)
    assert tick.rows[0].breakdown.unmanaged_old == 120


def test_departed_workers_lose_their_window_and_come_back_fresh():
    tracker = Tracker(window=100)
    tracker.update([sample("a", t=0, process=10), sample("b", t=0)], now=0)
    assert set(tracker.windows) == {"a", "b"}
    tick = tracker.update([sample("b", t=1)], now=1)
    assert set(tracker.windows) == {"b"}
    assert [r.sample.address for r in tick.rows] == ["b"]

    tick = tracker.update([sample("a", t=2, process=500), sample("b", t=2)], now=2)
    # A fresh window: the old minimum of 10 is gone with the first life.
    assert tick.rows[0].breakdown.unmanaged_old == 500


def test_a_thousand_joins_and_leaves_leave_state_only_for_live_workers():
    tracker = Tracker(window=30)
    live = [sample(f"w{i}") for i in range(5)]
    for i in range(1000):
        joining = sample(f"churn{i}", t=i)
        tracker.update([*live, joining], now=i)
        tracker.update(live, now=i + 0.5)
    assert set(tracker.windows) == {s.address for s in live}
    assert all(len(w) <= 2 for w in tracker.windows.values())


def test_generation_changes_only_with_membership_or_identity():
    tracker = Tracker(window=30)
    g1 = tracker.update([sample("a"), sample("b")], now=0).generation
    g2 = tracker.update([sample("a", process=5), sample("b", t=3)], now=1).generation
    assert g1 == g2
    g3 = tracker.update([sample("a")], now=2).generation
    assert g3 > g2
    g4 = tracker.update([sample("a", limit=None)], now=3).generation
    assert g4 > g3


def test_cluster_sums_workers_and_derives_the_rest():
    tracker = Tracker(window=30)
    tick = tracker.update(
        [
            sample("a", process=1000, managed=300, spilled=100, spilled_disk=80),
            sample("b", process=500, managed=0),
            WorkerSample("c", memory_limit=MIB),  # no data yet
        ],
        now=0,
    )
    assert_invariants(tick.cluster)
    assert tick.cluster.process == 1500
    assert tick.cluster.managed_in_memory == 200
    assert tick.cluster.managed_spilled == 100
    assert tick.cluster.spilled_disk == 80
    assert tick.cluster_limit == 2048 * MIB + MIB


def test_cluster_has_no_limit_if_any_worker_has_none():
    tracker = Tracker(window=30)
    tick = tracker.update([sample("a"), sample("b", limit=None)], now=0)
    assert tick.cluster_limit is None
    assert cluster_limit([]) is None


def test_split_unknown_counts_process_alone():
    tracker = Tracker(window=30)
    tick = tracker.update([sample("a", managed=None, process=777)], now=0)
    row = tick.rows[0]
    assert not row.split_known
    assert row.breakdown.process == 777
    assert row.breakdown.managed_in_memory == 0


def test_age_is_never_negative():
    tracker = Tracker(window=30)
    tick = tracker.update([sample("a", t=105.0)], now=100.0)
    assert tick.rows[0].age == 0.0


@pytest.mark.parametrize(
    ("n", "seconds"),
    [(1, 0.5), (10, 0.5), (11, 1), (49, 1), (50, 2), (199, 2), (200, 2), (10_000, 51)],
)
def test_heartbeat_interval_follows_distributed(n, seconds):
    assert heartbeat_interval(n) == seconds


def test_columns_round_trip_through_the_documented_layout():
    tracker = Tracker(window=30)
    tick = tracker.update(
        [
            sample("a", t=9.0, process=1000, managed=300, spilled=100, spilled_disk=80),
            WorkerSample("b", status="paused"),
            sample("c", t=10.0, managed=None, status="closing_gracefully"),
        ],
        now=10.0,
    )
    buf = encode_columns(tick)
    n = 3
    assert len(buf) == 16 + BYTES_PER_WORKER * n
    assert BYTES_PER_WORKER <= 64
    version, count, generation, _ = struct.unpack_from("<4I", buf)
    assert (version, count, generation) == (1, n, tick.generation)

    def column(index, fmt, size):
        return struct.unpack_from(f"<{n}{fmt}", buf, 16 + index * size * n)

    process = column(0, "d", 8)
    assert process == (1000, 0, 100 * MIB)
    assert column(1, "d", 8)[0] == 200
    assert column(2, "d", 8)[0] == 100
    assert column(3, "d", 8)[0] == tick.rows[0].breakdown.unmanaged_old
    assert column(4, "d", 8)[0] == 80
    ages = struct.unpack_from(f"<{n}f", buf, 16 + 40 * n)
    assert ages[0] == pytest.approx(1.0)
    status = buf[16 + 44 * n : 16 + 45 * n]
    flags = buf[16 + 45 * n :]
    assert list(status) == [1, 2, 3]
    assert list(flags) == [HAS_DATA, 0, HAS_DATA | SPLIT_UNKNOWN]
