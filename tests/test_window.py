from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from memwidget.window import RollingMin


def brute_force(samples: list[tuple[float, int]], window: float) -> list[int]:
    """The minimum over the window after each sample, by rescanning history.

    A sample older than the newest counts at the newest time, as RollingMin
    documents.
    """
    result = []
    effective: list[tuple[float, int]] = []
    latest = float("-inf")
    for t, v in samples:
        latest = max(latest, t)
        effective.append((latest, v))
        result.append(min(v for (s, v) in effective if s >= latest - window))
    return result


times = st.floats(min_value=0, max_value=1000, allow_nan=False)
values = st.integers(min_value=0, max_value=2**40)


@given(
    st.lists(st.tuples(times, values), max_size=200),
    st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_matches_brute_force_on_random_series(samples, window):
    rolling = RollingMin(window)
    got = [rolling.push(t, v) for t, v in samples]
    assert got == brute_force(samples, window)


@given(st.lists(values, min_size=1, max_size=50))
def test_duplicate_times_all_count(vals):
    rolling = RollingMin(5)
    got = [rolling.push(1.0, v) for v in vals]
    assert got[-1] == min(vals)


def test_out_of_order_sample_counts_at_the_newest_time():
    rolling = RollingMin(10)
    rolling.push(100.0, 50)
    assert rolling.push(20.0, 5) == 5  # late, but its value is current
    assert rolling.push(105.0, 70) == 5
    assert rolling.push(111.0, 80) == 70  # the late sample expired with t=100


def test_minimum_expires_after_the_window():
    rolling = RollingMin(30)
    rolling.push(0, 10)
    assert rolling.push(29, 100) == 10
    assert rolling.push(30, 100) == 10  # the window includes its edge
    assert rolling.push(30.5, 100) == 100


def test_memory_stays_bounded_by_what_can_still_be_the_minimum():
    rolling = RollingMin(10)
    for i in range(10_000):
        rolling.push(i * 0.5, 10_000 - i)  # decreasing: each evicts the last
    assert len(rolling) == 1
    for i in range(10_000, 20_000):
        rolling.push(i * 0.5, i)  # increasing: only the window is kept
    assert len(rolling) <= 21


def test_rejects_a_negative_window():
    with pytest.raises(ValueError, match="window must be"):
        RollingMin(-1)
    with pytest.raises(ValueError, match="window must be"):
        RollingMin(float("nan"))
