"""The notebook widget: polls a source on its own thread, syncs to the browser."""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from memwidget import _config
from memwidget.breakdown import FIELDS
from memwidget.sources import DaskSource, Source, SourceError
from memwidget.tracker import Tick, Tracker, empty_tick, heartbeat_interval
from memwidget.wire import encode_columns

if TYPE_CHECKING:
    from distributed import Client

    from memwidget.tracker import WorkerRow

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_STATIC = Path(__file__).parent / "static"
_BUNDLE = _STATIC / "widget.js"
_MISSING_BUNDLE = """
export default { render({ el }) {
  el.textContent = "memwidget: the frontend is not built. Reinstall with " +
    "`pip install -e .` on a machine with Node.js 20+.";
} };
"""

VIEWS = ("cluster", "workers")


class ViewError(traitlets.TraitError, ValueError):
    """A view name that is neither ``"cluster"`` nor ``"workers"``."""


def _default_client() -> Client:
    from distributed import default_client

    try:
        return default_client()  # type: ignore[no-untyped-call,no-any-return]
    except ValueError:
        msg = (
            "No Dask client found. Start one first, for example "
            "`from distributed import Client; client = Client()` for a local "
            "cluster, then `MemoryWidget(client)`; or pass "
            "`source=memwidget.ProcessSource()` to watch this kernel's processes."
        )
        raise ValueError(msg) from None


def _row_dict(row: WorkerRow) -> dict[str, Any]:
    sample = row.sample
    figures: dict[str, Any]
    if row.breakdown is None:
        figures = dict.fromkeys(FIELDS)
    else:
        figures = row.breakdown.to_dict()
    return {
        **figures,
        "memory_limit": sample.memory_limit,
        "name": sample.name,
        "host": sample.host,
        "status": sample.status,
        "has_data": row.breakdown is not None,
        "split_known": row.split_known,
        "age": row.age,
        "sample_time": sample.time,
    }


class MemoryWidget(anywidget.AnyWidget):
    """Where a Dask cluster's memory goes, live, in the notebook.

    Shows, per worker and for the whole cluster, how process memory splits
    into Dask's managed results (in memory and spilled) and unmanaged memory,
    old and recent. The figures are computed in the kernel on a background
    thread, so they keep updating while a cell blocks the kernel.

    Parameters
    ----------
    client
        A ``distributed.Client``, synchronous or asynchronous. ``None`` takes
        distributed's default client (the last one created).
    interval
        Seconds between polls, ``> 0``, or a time string such as ``"2s"``.
        Polling faster than workers send heartbeats (every 0.5 s for up to 10
        workers, slower for more) adds no information.
    recent_to_old_time
        The window after which unmanaged memory counts as old, in seconds or
        as a time string. ``None`` uses the dask config
        ``distributed.worker.memory.recent-to-old-time`` (30 s by default).
    source
        Read figures from this instead of a client, for example
        :class:`memwidget.ProcessSource` for the kernel's own processes.

    Examples
    --------
    >>> from distributed import Client
    >>> from memwidget import MemoryWidget
    >>> client = Client(n_workers=2)  # doctest: +SKIP
    >>> MemoryWidget(client)  # doctest: +SKIP
    """

    # The bundle's text, not its path: for a path anywidget connects every
    # instance to a file-change signal that is never disconnected, which keeps
    # every widget ever made alive.
    _esm = _BUNDLE.read_text(encoding="utf-8") if _BUNDLE.exists() else _MISSING_BUNDLE

    view = traitlets.Unicode("cluster").tag(sync=True)
    """Which view the frontend shows: ``"cluster"`` or ``"workers"``."""

    _identities = traitlets.Dict().tag(sync=True)
    """``{"generation", "workers": [identity, ...]}``; sent on membership changes."""

    _columns = traitlets.Bytes(b"").tag(sync=True)
    """Per-worker figures as binary columns, in ``_identities`` order."""

    _cluster = traitlets.Dict().tag(sync=True)
    """The cluster's breakdown and limit."""

    _meta = traitlets.Dict().tag(sync=True)
    """Tick metadata: time, state, message, window, interval, thresholds."""

    def __init__(
        self,
        client: Client | None = None,
        *,
        interval: float | str = 1.0,
        recent_to_old_time: float | str | None = None,
        source: Source | None = None,
        view: str = "cluster",
    ) -> None:
        self.interval = _config.seconds("interval", interval, allow_zero=False)
        window = (
            _config.default_window()
            if recent_to_old_time is None
            else _config.seconds(
                "recent_to_old_time", recent_to_old_time, allow_zero=True
            )
        )
        if source is not None and client is not None:
            msg = "pass either client or source, not both"
            raise TypeError(msg)
        if source is None:
            source = DaskSource(_default_client() if client is None else client)
        elif not callable(getattr(source, "read", None)):
            msg = (
                f"source must have a read(timeout) method, got {type(source).__name__}"
            )
            raise TypeError(msg)
        self.source = source
        self.tracker = Tracker(window)
        self._thresholds = _config.thresholds()
        self._tick = empty_tick()
        self._sent_generation = -1
        self._tick_count = 0
        self._state = "connecting"
        self._message = ""
        self._newest_sample = -math.inf
        self._newest_seen_at = 0.0
        self._lock = threading.RLock()
        self._stop = threading.Event()
        super().__init__(view=view)
        self._send_meta()
        self._thread = threading.Thread(
            target=_poll,
            args=(weakref.ref(self), self._stop, self.interval),
            name=f"memwidget-poll-{id(self):x}",
            daemon=True,
        )
        self._finalizer = weakref.finalize(self, self._stop.set)
        self._thread.start()

    @traitlets.validate("view")
    def _validate_view(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value not in VIEWS:
            msg = f"view must be 'cluster' or 'workers', got {value!r}"
            raise ViewError(msg)
        return str(value)

    @property
    def window(self) -> float:
        """The recent-to-old window in use, in seconds."""
        return self.tracker.window

    @property
    def read_timeout(self) -> float:
        """Seconds a poll waits for the scheduler before calling it lost.

        One interval, so a lost scheduler shows within two; at least 0.5 s, so
        a fast poll still gives a large cluster time to answer; at most 5 s,
        so a slow poll does not wait out distributed's connect retries.
        """
        return min(max(0.5, self.interval), 5.0)

    @property
    def state(self) -> str:
        """``"connecting"``, ``"live"``, ``"stale"`` or ``"disconnected"``."""
        return self._state

    def poll(self) -> None:
        """Read the source once and send the result; the poll thread calls this.

        Never raises: a failed read marks the widget disconnected, keeping the
        last figures, and is logged once until a read succeeds again.
        """
        with self._lock:
            if self._stop.is_set():
                return
            now = time.time()
            try:
                samples = self.source.read(timeout=self.read_timeout)
            except SourceError as error:
                self._set_state("disconnected", str(error))
                self._send_meta()
                return
            except Exception as error:
                logger.exception("memwidget: reading the source failed")
                self._set_state("disconnected", f"{type(error).__name__}: {error}")
                self._send_meta()
                return
            tick = self.tracker.update(samples, now)
            self._tick = tick
            self._tick_count += 1
            self._set_state(*self._freshness(tick))
            self._send_tick(tick)

    def _freshness(self, tick: Tick) -> tuple[str, str]:
        """Say whether heartbeats still arrive, on the kernel's clock alone.

        Sample times come from the workers' clocks, which may be skewed from
        the kernel's on a remote cluster; what counts is when the kernel last
        saw a newer sample, not how old that sample claims to be.
        """
        freshest = tick.freshest_age
        if freshest is None:
            return "live", "" if tick.workers else "no workers"
        newest = tick.time - freshest  # the newest sample's time, worker clock
        if newest > self._newest_sample:
            self._newest_sample, self._newest_seen_at = newest, tick.time
        silent = tick.time - self._newest_seen_at
        limit = 3 * heartbeat_interval(tick.workers) + 2 * self.interval
        if silent > limit:
            return "stale", f"no heartbeat for {silent:.0f} s"
        return "live", ""

    def _set_state(self, state: str, message: str) -> None:
        if state == "disconnected" and self._state != "disconnected":
            logger.warning("memwidget: lost the scheduler: %s", message)
        elif self._state == "disconnected" and state != "disconnected":
            logger.info("memwidget: reconnected")
        self._state = state
        self._message = message

    def _meta_dict(self) -> dict[str, Any]:
        return {
            "tick": self._tick_count,
            "time": time.time(),
            "state": self._state,
            "message": self._message,
            "window": self.tracker.window,
            "interval": self.interval,
            "thresholds": self._thresholds,
        }

    def _send_meta(self) -> None:
        self._meta = self._meta_dict()

    def _send_tick(self, tick: Tick) -> None:
        with self.hold_sync():
            if tick.generation != self._sent_generation:
                self._identities = {
                    "generation": tick.generation,
                    "workers": [
                        {
                            "address": sample.address,
                            "name": sample.name,
                            "host": sample.host,
                            "nthreads": sample.nthreads,
                            "memory_limit": sample.memory_limit,
                        }
                        for sample in tick.samples
                    ],
                }
                self._sent_generation = tick.generation
            self._columns = encode_columns(tick)
            self._cluster = {
                **tick.cluster.to_dict(),
                "memory_limit": tick.cluster_limit,
                "workers": tick.workers,
                "workers_with_data": tick.workers_with_data,
                "workers_split_unknown": tick.workers_split_unknown,
            }
            self._meta = self._meta_dict()

    def snapshot(self) -> dict[str, Any]:
        """Return the latest figures as plain data.

        Returns
        -------
        dict
            ``{"time": float, "state": str, "window": float, "cluster": {...},
            "workers": {address: {...}}}``. Each inner dict holds the eight
            breakdown fields and ``spilled_disk`` as ints (bytes) and
            ``memory_limit`` (int, or ``None`` for no limit); workers also
            carry ``name``, ``host``, ``status``, ``has_data``,
            ``split_known``, ``sample_time`` (the worker's clock) and ``age``
            (seconds since then). A worker with no data has ``None`` for every figure.
            Before the first poll, reads the source once.
        """
        if self._tick_count == 0 and not self._stop.is_set():
            self.poll()
        with self._lock:
            tick = self._tick
            return {
                "time": tick.time,
                "state": self._state,
                "window": self.tracker.window,
                "cluster": {
                    **tick.cluster.to_dict(),
                    "memory_limit": tick.cluster_limit,
                },
                "workers": {row.sample.address: _row_dict(row) for row in tick.rows},
            }

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has stopped the widget."""
        return self._stop.is_set()

    def close(self) -> None:
        """Stop polling and close the widget; nothing it started keeps running."""
        stop = getattr(self, "_stop", None)
        if stop is None:  # __init__ failed before it started anything
            super().close()
            return
        stop.set()
        thread = getattr(self, "_thread", None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=max(5.0, 2 * self.interval))
        with contextlib.suppress(Exception):
            self.source.close()
        # ipywidgets closes a widget but not the Layout it made for it, which
        # would stay registered, and leak, once per widget.
        layout = getattr(self, "layout", None)
        if layout is not None:
            layout.close()
        super().close()

    def __repr__(self) -> str:
        """Return a short repr: the default one serialises every trait."""
        return (
            f"<MemoryWidget {self._state}, {self._tick.workers} workers, "
            f"window {self.tracker.window:g} s, interval {self.interval:g} s>"
        )


def _poll(
    ref: weakref.ref[MemoryWidget], stop: threading.Event, interval: float
) -> None:
    """Poll at a steady rate while the widget lives and is not closed.

    Holds the widget only weakly between ticks, so a widget nobody else
    holds can be collected, which stops this loop.
    """
    deadline = time.monotonic()
    while not stop.is_set():
        widget = ref()
        if widget is None:
            return
        try:
            widget.poll()
        except Exception:
            logger.exception("memwidget: a poll failed")
        del widget
        deadline = max(deadline + interval, time.monotonic())
        if stop.wait(deadline - time.monotonic()):
            return
