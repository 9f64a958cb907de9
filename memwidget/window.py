"""A rolling minimum over a time window, amortised O(1) per sample."""

from __future__ import annotations

from collections import deque


class RollingMin:
    """The minimum of the values seen over the last ``window`` seconds.

    A monotonic deque keeps only the samples that can still become the
    minimum: each new sample evicts every older one that is not smaller, so
    each sample is pushed and popped at most once.

    Parameters
    ----------
    window
        Length of the window in seconds, ``>= 0``. A sample at time ``t`` is
        inside the window while the newest sample's time is ``<= t + window``.

    Notes
    -----
    Sample times come from a worker's clock and can arrive out of order (a
    late heartbeat) or repeat (polling faster than heartbeats). A sample older
    than the newest is taken as happening at the newest time: the value is
    real and current, only its timestamp is stale, and clamping keeps the
    deque ordered by time.
    """

    __slots__ = ("_samples", "latest", "window")

    def __init__(self, window: float) -> None:
        if not window >= 0:
            msg = f"window must be a number of seconds >= 0, got {window!r}"
            raise ValueError(msg)
        self.window = float(window)
        self._samples: deque[tuple[float, int]] = deque()
        self.latest = float("-inf")

    def push(self, time: float, value: int) -> int:
        """Add a sample and return the minimum over the window, itself included."""
        time = max(time, self.latest)
        self.latest = time
        samples = self._samples
        while samples and samples[-1][1] >= value:
            samples.pop()
        samples.append((time, value))
        horizon = time - self.window
        while samples[0][0] < horizon:
            samples.popleft()
        return samples[0][1]

    def __len__(self) -> int:
        """Return how many samples are kept, which is bounded by the window."""
        return len(self._samples)
