from __future__ import annotations

import struct
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memwidget.breakdown import EMPTY, MemoryBreakdown
from memwidget.sources import WorkerSample
from memwidget.tracker import Tracker, _identity, cluster_limit, heartbeat_interval
from memwidget.window import RollingMin
from memwidget.wire import (
    BYTES_PER_WORKER,
    HAS_DATA,
    SPLIT_UNKNOWN,
    encode_columns,
    status_code,
)

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


def test_a_sample_ahead_of_the_kernel_clock_has_age_zero_on_the_wire():
    tracker = Tracker(window=30)
    tick = tracker.update([sample("a", t=105.0), sample("b", t=90.0)], now=100.0)
    ages = struct.unpack_from("<2f", encode_columns(tick), 16 + 40 * 2)
    assert ages == (0.0, 10.0)
    assert tick.freshest_age == 0.0


def test_a_reordered_reading_sends_the_identities_again():
    tracker = Tracker(window=30)
    first = tracker.update([sample("a"), sample("b")], now=0)
    second = tracker.update([sample("b"), sample("a")], now=1)
    assert second.generation != first.generation
    assert [s.address for s in second.samples] == ["b", "a"]


def test_a_sample_without_time_is_taken_as_new_at_every_reading():
    tracker = Tracker(window=10)
    low = WorkerSample("a", memory_limit=MIB, process=50, managed_bytes=0)
    high = WorkerSample("a", memory_limit=MIB, process=100, managed_bytes=0)
    tracker.update([low], now=0)
    tick = tracker.update([high], now=1)
    assert tick.rows[0].breakdown.unmanaged_old == 50
    # The very same sample again, after the window: pushed again at this
    # reading's time, so the 50 has left the window.
    tick = tracker.update([high], now=20)
    assert tick.rows[0].breakdown.unmanaged_old == 100
    assert tick.rows[0].age is None


def _fields(s):
    return {name: getattr(s, name) for name in s.__slots__}


class ReferenceTracker:
    """The tracker's rules, recomputed from scratch at every reading."""

    def __init__(self, window):
        self.window = window
        self.windows = {}
        self.latest = {}
        self.breakdowns = {}

    def update(self, samples, now):
        latest = {s.address: s for s in samples}
        for gone in self.windows.keys() - latest.keys():
            del self.windows[gone]
        rows, breakdowns = [], {}
        for address, s in latest.items():
            age = None if s.time is None else max(0.0, now - s.time)
            if s.process is None:
                rows.append((s, None, False, age))
                continue
            b = self.breakdowns.get(address)
            if b is None or s.time is None or s is not self.latest.get(address):
                managed = s.managed_bytes if s.managed_bytes is not None else s.spilled
                in_memory = min(s.process, max(0, managed - s.spilled))
                w = self.windows.setdefault(address, RollingMin(self.window))
                old = w.push(now if s.time is None else s.time, s.process - in_memory)
                b = MemoryBreakdown.from_inputs(
                    process=s.process,
                    managed_bytes=managed,
                    spilled=s.spilled,
                    spilled_disk=s.spilled_disk,
                    unmanaged_old_window=old,
                )
            breakdowns[address] = b
            rows.append((s, b, s.managed_bytes is not None, age))
        self.latest, self.breakdowns = latest, breakdowns
        return rows


def columns_from_rows(tick):
    """The wire columns of a tick, encoded row by row from its rows."""
    rows = tick.rows
    parts = [EMPTY if r.breakdown is None else r.breakdown for r in rows]
    names = ("process", "managed_in_memory", "managed_spilled", "unmanaged_old")
    columns = [array("d", [getattr(b, name) for b in parts]) for name in names]
    columns.append(array("d", [b.spilled_disk for b in parts]))
    columns.append(array("f", [0.0 if r.age is None else r.age for r in rows]))
    status = bytes(status_code(r.sample.status) for r in rows)
    flags = bytes(
        0 if r.breakdown is None else HAS_DATA if r.split_known else 3 for r in rows
    )
    header = struct.pack("<4I", 1, len(rows), tick.generation, 0)
    return b"".join([header, *(c.tobytes() for c in columns), status, flags])


figures = st.integers(-3, 2**45) | st.integers(0, 1000)
worker_samples = st.builds(
    WorkerSample,
    address=st.sampled_from("abcdefg"),
    name=st.sampled_from(["", "n"]),
    nthreads=st.integers(0, 2),
    memory_limit=st.none() | st.integers(1, 2**40),
    status=st.sampled_from(["running", "paused", "unknown", "something else"]),
    time=st.none() | st.floats(0, 120),
    process=st.none() | figures,
    managed_bytes=st.none() | figures,
    spilled=figures,
    spilled_disk=figures,
)


@settings(max_examples=300, deadline=None)
@given(st.data(), st.floats(0, 40))
def test_columns_kept_in_place_equal_a_recomputation_from_scratch(data, window):
    tracker, reference = Tracker(window), ReferenceTracker(window)
    reading: list[WorkerSample] = []
    previous = None
    for step in range(data.draw(st.integers(1, 12))):
        now = 10.0 * step + data.draw(st.floats(0, 9))
        kept = data.draw(st.lists(st.sampled_from(reading))) if reading else []
        if data.draw(st.booleans()):  # the usual tick: some workers report anew
            kept = list(reading)
            for i in data.draw(st.lists(st.integers(0, max(0, len(kept) - 1)))):
                if kept:
                    new = data.draw(worker_samples)
                    kept[i] = WorkerSample(
                        **{**_fields(new), "address": kept[i].address}
                    )
        else:
            kept += data.draw(st.lists(worker_samples, max_size=4))
            if data.draw(st.booleans()):
                kept = data.draw(st.permutations(kept))
        reading = kept
        tick = tracker.update(reading, now)
        expected = reference.update(reading, now)

        rows = [(r.sample, r.breakdown, r.split_known, r.age) for r in tick.rows]
        assert rows == expected
        assert encode_columns(tick) == columns_from_rows(tick)
        with_data = [r.breakdown for r in tick.rows if r.breakdown is not None]
        assert tick.cluster == MemoryBreakdown.total(with_data)
        assert_invariants(tick.cluster)
        assert tick.cluster_limit == cluster_limit(tick.rows)
        assert tick.workers_with_data == len(with_data)
        assert tick.workers_split_unknown == sum(
            r.breakdown is not None and not r.split_known for r in tick.rows
        )
        ages = [r.age for r in tick.rows if r.age is not None]
        assert tick.freshest_age == (min(ages) if ages else None)
        assert set(tracker.windows) <= {s.address for s in reading}
        identities = [(s.address, *_identity(s)) for s in tick.samples]
        if previous is not None:
            assert (tick.generation == previous[0]) == (identities == previous[1])
        previous = (tick.generation, identities)
