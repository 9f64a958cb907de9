from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from memwidget import MemoryBreakdown
from memwidget.breakdown import EMPTY, FIELDS

from helpers import assert_invariants

byte_counts = st.integers(min_value=-(2**40), max_value=2**50)


@given(
    process=byte_counts,
    managed=byte_counts,
    spilled=byte_counts,
    disk=byte_counts,
    window=st.none() | byte_counts,
)
def test_every_invariant_holds_for_any_raw_inputs(
    process, managed, spilled, disk, window
):
    b = MemoryBreakdown.from_inputs(
        process=process,
        managed_bytes=managed,
        spilled=spilled,
        spilled_disk=disk,
        unmanaged_old_window=window,
    )
    assert_invariants(b)


@given(
    st.lists(
        st.tuples(byte_counts, byte_counts, byte_counts, byte_counts, byte_counts),
        max_size=20,
    )
)
def test_cluster_total_sums_independent_figures_and_keeps_invariants(raw):
    parts = [
        MemoryBreakdown.from_inputs(
            process=p,
            managed_bytes=m,
            spilled=s,
            spilled_disk=d,
            unmanaged_old_window=w,
        )
        for p, m, s, d, w in raw
    ]
    total = MemoryBreakdown.total(parts)
    assert_invariants(total)
    for field in FIELDS:
        assert getattr(total, field) == sum(getattr(p, field) for p in parts)


def test_spec_formulas_on_a_plain_worker():
    b = MemoryBreakdown.from_inputs(
        process=1000,
        managed_bytes=600,
        spilled=200,
        spilled_disk=150,
        unmanaged_old_window=250,
    )
    assert b.managed_in_memory == 400
    assert b.managed_spilled == 200
    assert b.managed == 600
    assert b.unmanaged == 600
    assert b.unmanaged_old == 250
    assert b.unmanaged_recent == 350
    assert b.optimistic == 650
    assert b.spilled_disk == 150


def test_managed_above_process_is_clamped_to_process():
    b = MemoryBreakdown.from_inputs(process=100, managed_bytes=500)
    assert b.managed_in_memory == 100
    assert b.unmanaged == 0


def test_spilled_above_managed_leaves_nothing_in_memory():
    b = MemoryBreakdown.from_inputs(process=100, managed_bytes=10, spilled=50)
    assert b.managed_in_memory == 0
    assert b.managed_spilled == 50
    assert b.unmanaged == 100


def test_window_above_unmanaged_is_clamped_to_unmanaged():
    b = MemoryBreakdown.from_inputs(
        process=100, managed_bytes=40, unmanaged_old_window=10**9
    )
    assert b.unmanaged_old == 60
    assert b.unmanaged_recent == 0


def test_negative_inputs_become_zero():
    b = MemoryBreakdown.from_inputs(
        process=-5, managed_bytes=-1, spilled=-3, spilled_disk=-4
    )
    assert b.to_dict() == dict.fromkeys(FIELDS, 0)


def test_cluster_old_is_the_sum_of_worker_windows():
    a = MemoryBreakdown.from_inputs(
        process=100, managed_bytes=0, unmanaged_old_window=10
    )
    b = MemoryBreakdown.from_inputs(
        process=200, managed_bytes=0, unmanaged_old_window=20
    )
    assert (a + b).unmanaged_old == 30
    assert MemoryBreakdown.total([]) == EMPTY


def test_the_constructor_rejects_records_that_break_an_invariant():
    with pytest.raises(ValueError, match="from_inputs"):
        MemoryBreakdown(
            process=10,
            managed_in_memory=20,
            managed_spilled=0,
            unmanaged_old=0,
            spilled_disk=0,
        )
    with pytest.raises(ValueError, match="unmanaged_old"):
        MemoryBreakdown(
            process=10,
            managed_in_memory=5,
            managed_spilled=0,
            unmanaged_old=6,
            spilled_disk=0,
        )
    with pytest.raises(ValueError, match="process must be >= 0"):
        MemoryBreakdown(
            process=-1,
            managed_in_memory=0,
            managed_spilled=0,
            unmanaged_old=0,
            spilled_disk=0,
        )


def test_breakdowns_are_immutable():
    b = MemoryBreakdown.from_inputs(process=1, managed_bytes=0)
    with pytest.raises(AttributeError):
        b.process = 2  # type: ignore[misc]
