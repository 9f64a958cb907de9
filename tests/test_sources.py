"""Reading heartbeats from every distributed release, good and bad."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memwidget.sources import (
    LEAN_COLUMNS,
    MAX_BYTES,
    ReplyCache,
    SourceError,
    WorkerSample,
    _new_sample,
    parse_identity,
    parse_worker,
)
from memwidget.tracker import Tracker

from helpers import assert_invariants

GIB = 2**30


def heartbeat(**metrics):
    base = {"memory": 500, "managed_bytes": 200, "time": 1000.0}
    base.update(metrics)
    base = {k: v for k, v in base.items() if v is not ...}
    return {
        "name": "w",
        "host": "127.0.0.1",
        "nthreads": 2,
        "memory_limit": GIB,
        "status": "running",
        "metrics": base,
    }


NEW = {"spilled_bytes": {"memory": 50, "disk": 40}}

# (id, record, expected (process, managed_bytes, spilled, disk) or None = no data)
RECORDS = [
    ("current release", heartbeat(**NEW), (500, 200, 50, 40)),
    (
        "2022.02-2022.09: spilled_nbytes dict, no managed_bytes, no nbytes",
        heartbeat(managed_bytes=..., spilled_nbytes={"memory": 50, "disk": 40}),
        (500, None, 50, 40),
    ),
    (
        "2022.02-2022.09 with the scheduler's nbytes from a lean read",
        {
            **heartbeat(managed_bytes=..., spilled_nbytes={"memory": 5, "disk": 4}),
            "nbytes": 300,
        },
        (500, 300, 5, 4),
    ),
    (
        "before 2022.02: spilled_nbytes is one integer",
        heartbeat(managed_bytes=..., spilled_nbytes=70),
        (500, None, 70, 0),
    ),
    ("before 2022.02: memory None before first sample", heartbeat(memory=None), None),
    ("no metrics at all (no heartbeat yet)", {"name": "w", "status": "init"}, None),
    ("metrics is None", {**heartbeat(), "metrics": None}, None),
    ("metrics is a list", {**heartbeat(), "metrics": [1, 2]}, None),
    ("record is None", None, None),
    ("record is a string", "tcp://nonsense", None),
    ("memory missing", heartbeat(memory=...), None),
    ("memory negative", heartbeat(memory=-1), None),
    ("memory NaN", heartbeat(memory=float("nan")), None),
    ("memory infinite", heartbeat(memory=float("inf")), None),
    ("memory a string", heartbeat(memory="500"), None),
    ("memory a bool", heartbeat(memory=True), None),
    ("memory huge", heartbeat(memory=10**30), None),
    ("memory a float", heartbeat(memory=500.0, **NEW), (500, 200, 50, 40)),
    ("managed_bytes None", heartbeat(managed_bytes=None), None),
    ("managed_bytes negative", heartbeat(managed_bytes=-10), None),
    ("managed_bytes a string", heartbeat(managed_bytes="x"), None),
    (
        "spilled_bytes None means none spilled",
        heartbeat(spilled_bytes=None),
        (500, 200, 0, 0),
    ),
    ("spilled_bytes missing keys", heartbeat(spilled_bytes={}), (500, 200, 0, 0)),
    (
        "spilled_bytes negative",
        heartbeat(spilled_bytes={"memory": -5, "disk": 0}),
        None,
    ),
    (
        "old and new spill names mixed: the new one wins",
        heartbeat(spilled_bytes={"memory": 1, "disk": 2}, spilled_nbytes=99),
        (500, 200, 1, 2),
    ),
    (
        "process below managed",
        heartbeat(memory=100, managed_bytes=900),
        (100, 900, 0, 0),
    ),
    ("time missing", heartbeat(time=...), (500, 200, 0, 0)),
    ("time NaN", heartbeat(time=float("nan")), (500, 200, 0, 0)),
    ("time a string", heartbeat(time="now"), (500, 200, 0, 0)),
]


@pytest.mark.parametrize(
    ("record", "expected"), [r[1:] for r in RECORDS], ids=[r[0] for r in RECORDS]
)
def test_malformed_records_give_a_correct_row_or_no_data(record, expected):
    sample = parse_worker("tcp://10.0.0.1:1234", record)
    assert sample.address == "tcp://10.0.0.1:1234"
    if expected is None:
        assert not sample.has_data
    else:
        got = (
            sample.process,
            sample.managed_bytes,
            sample.spilled,
            sample.spilled_disk,
        )
        assert got == expected

    tracker = Tracker(window=30)
    tick = tracker.update([sample], now=1001.0)
    (row,) = tick.rows
    assert (row.breakdown is None) == (expected is None)
    assert_invariants(tick.cluster)
    if row.breakdown is not None:
        assert_invariants(row.breakdown)
        assert row.split_known == (expected[1] is not None)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("memory_limit", 0, None),
        ("memory_limit", None, None),
        ("memory_limit", -5, None),
        ("memory_limit", "1GiB", None),
        ("memory_limit", GIB, GIB),
        ("name", None, ""),
        ("name", 7, "7"),
        ("nthreads", "two", 0),
        ("status", None, "unknown"),
    ],
)
def test_identity_fields_are_read_leniently(field, value, expected):
    sample = parse_worker("a", {**heartbeat(), field: value})
    attribute = {"memory": "process"}.get(field, field)
    assert getattr(sample, attribute) == expected


def test_a_status_enum_is_read_by_name():
    class Status:
        name = "paused"

    assert parse_worker("a", {**heartbeat(), "status": Status()}).status == "paused"


def test_a_reply_without_a_workers_table_is_a_source_error():
    with pytest.raises(SourceError, match="no workers table"):
        parse_identity({"type": "Scheduler"})
    with pytest.raises(SourceError):
        parse_identity(None)


def test_every_worker_of_a_reply_is_read():
    reply = {"workers": {f"tcp://h:{i}": heartbeat() for i in range(50)}}
    samples = parse_identity(reply)
    assert [s.address for s in samples] == [f"tcp://h:{i}" for i in range(50)]
    assert all(s.has_data for s in samples)


def test_max_bytes_is_exact_in_float64():
    assert float(MAX_BYTES) == MAX_BYTES
    assert math.isfinite(float(MAX_BYTES))
    assert WorkerSample("a").process is None


values = st.none() | st.integers(-5, 2**54) | st.text(max_size=2)
times = st.none() | st.floats(allow_nan=True, allow_infinity=True)


def lean_row(address):
    return st.fixed_dictionaries(
        {
            "address": st.just(address),
            "name": values,
            "host": st.sampled_from(["h", "k"]),
            "nthreads": values,
            "memory_limit": values,
            "status": st.sampled_from(["running", "paused", None]),
            "nbytes": values,
            "flags": st.integers(0, 3),
            "memory": values,
            "managed_bytes": values,
            "spilled": values,
            "spilled_disk": values,
            "time": times,
        }
    )


def lean_reply(rows):
    return {"columns": {name: [row[name] for row in rows] for name in LEAN_COLUMNS}}


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_cached_lean_read_equals_a_fresh_one_and_keeps_unchanged_samples(data):
    cache = ReplyCache()
    rows: list[dict] = []
    before: dict[str, tuple] = {}
    for _ in range(data.draw(st.integers(1, 8))):
        if rows and data.draw(st.booleans()):  # the usual read: a few new samples
            rows = list(rows)
            for i in data.draw(st.lists(st.integers(0, len(rows) - 1), max_size=3)):
                fresh = data.draw(lean_row(rows[i]["address"]))
                field = data.draw(st.sampled_from(LEAN_COLUMNS[1:]))
                rows[i] = {**rows[i], field: fresh[field]}
        else:  # workers join, leave or move
            addresses = data.draw(st.lists(st.sampled_from("abcdef"), unique=True))
            old = {row["address"]: row for row in rows}
            rows = [
                old[a]
                if a in old and data.draw(st.booleans())
                else data.draw(lean_row(a))
                for a in addresses
            ]
        reply = lean_reply(rows)
        samples = parse_identity(reply, cache)

        assert samples == parse_identity(lean_reply(rows))
        for row, sample in zip(rows, samples, strict=True):
            raw = tuple(row[name] for name in LEAN_COLUMNS)
            kept = before.get(row["address"])
            # Inputs that are NaN never compare equal: they may be read again.
            same = not any(isinstance(v, float) and math.isnan(v) for v in raw)
            if kept is not None and kept[0] == raw and same:
                assert sample is kept[1]
        before = {
            row["address"]: (tuple(row[name] for name in LEAN_COLUMNS), sample)
            for row, sample in zip(rows, samples, strict=True)
        }


@pytest.mark.parametrize(
    "columns",
    [
        {name: [1, 2] for name in LEAN_COLUMNS} | {"time": [1.0]},
        {name: [1] for name in LEAN_COLUMNS[1:]},
        dict.fromkeys(LEAN_COLUMNS, 5),
    ],
    ids=["columns of unequal lengths", "a column missing", "not lists"],
)
def test_a_malformed_lean_reply_is_a_source_error(columns):
    with pytest.raises(SourceError, match="malformed"):
        parse_identity({"columns": columns}, ReplyCache())


def test_a_lean_reply_in_tuples_reads_as_in_lists():
    rows = [{"address": "a", **dict.fromkeys(LEAN_COLUMNS[1:], 5)}]
    reply = lean_reply(rows)
    as_tuples = {"columns": {k: tuple(v) for k, v in reply["columns"].items()}}
    cache = ReplyCache()
    assert parse_identity(as_tuples, cache) == parse_identity(reply)
    assert parse_identity(reply, cache) == parse_identity(reply)


@given(st.builds(WorkerSample, address=st.text(max_size=3)))
def test_a_sample_built_fast_is_the_dataclass_s_own(sample):
    fields = [getattr(sample, name) for name in WorkerSample.__slots__]
    fast = _new_sample(*fields)
    assert type(fast) is WorkerSample
    assert fast == sample
    assert repr(fast) == repr(sample)
    assert hash(fast) == hash(sample)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.process = 1
