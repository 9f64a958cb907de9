"""The widget's public face: arguments, errors that name the fix, lifecycle."""

from __future__ import annotations

import gc
import time

import pytest
from distributed import Client

import memwidget
from memwidget import MemoryWidget, ProcessSource
from memwidget.sources import SourceError, WorkerSample

from helpers import memwidget_threads


class FakeSource:
    """A source that returns canned samples: for cases no cluster can make."""

    def __init__(self, samples=(), error=None):
        self.samples = list(samples)
        self.error = error
        self.reads = 0

    def read(self, timeout):  # noqa: ARG002
        self.reads += 1
        if self.error is not None:
            raise self.error
        return self.samples

    def close(self):
        pass


@pytest.fixture
def quiet_widget():
    widgets = []

    def make(**kwargs):
        kwargs.setdefault("source", FakeSource())
        kwargs.setdefault("interval", 60)
        w = MemoryWidget(**kwargs)
        widgets.append(w)
        return w

    yield make
    for w in widgets:
        w.close()


def test_public_names():
    assert memwidget.__version__
    assert {"MemoryWidget", "MemoryBreakdown"} <= set(memwidget.__all__)


def test_without_any_client_the_error_says_how_to_make_one():
    with pytest.raises(ValueError, match=r"Client\(\)"):
        MemoryWidget()


def test_something_that_is_not_a_client_is_a_type_error():
    with pytest.raises(TypeError, match=r"must be a distributed\.Client"):
        MemoryWidget("tcp://127.0.0.1:8786")


def test_a_closed_client_is_refused_with_the_fix(cluster):
    client = Client(cluster)
    client.close()
    with pytest.raises(ValueError, match="closed; make a new one"):
        MemoryWidget(client)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"interval": 0}, ValueError, "interval must be > 0"),
        ({"interval": -1}, ValueError, "interval must be > 0"),
        ({"interval": float("nan")}, ValueError, "interval"),
        ({"interval": "soon"}, ValueError, "interval must be a number of seconds"),
        ({"interval": True}, TypeError, "interval"),
        ({"interval": [1]}, TypeError, "interval"),
        ({"recent_to_old_time": -5}, ValueError, "recent_to_old_time must be >= 0"),
        ({"recent_to_old_time": "-5s"}, ValueError, "recent_to_old_time"),
        ({"recent_to_old_time": object()}, TypeError, "recent_to_old_time"),
        ({"view": "bars"}, ValueError, "view must be 'cluster' or 'workers'"),
        ({"source": object()}, TypeError, "read"),
    ],
)
def test_wrong_arguments_name_the_argument(kwargs, error, match):
    kwargs.setdefault("source", FakeSource())
    with pytest.raises(error, match=match):
        MemoryWidget(**kwargs)
    gc.collect()
    assert not memwidget_threads()


def test_client_and_source_together_is_an_error():
    with pytest.raises(TypeError, match="either client or source"):
        MemoryWidget(object(), source=FakeSource())


def test_time_strings_are_accepted(quiet_widget):
    w = quiet_widget(interval="2s", recent_to_old_time="1 minute")
    assert w.interval == 2.0
    assert w.window == 60.0


def test_the_default_window_comes_from_the_dask_config(quiet_widget):
    import dask.config

    with dask.config.set({"distributed.worker.memory.recent-to-old-time": "12s"}):
        assert quiet_widget().window == 12.0


def test_setting_a_bad_view_later_raises_and_keeps_the_old_one(quiet_widget):
    w = quiet_widget()
    w.view = "workers"
    with pytest.raises(ValueError, match="'cluster' or 'workers'"):
        w.view = "grid"
    assert w.view == "workers"


def test_a_failing_source_shows_disconnected_and_keeps_the_last_figures(
    quiet_widget, caplog
):
    source = FakeSource(
        [WorkerSample("a", time=time.time(), process=100, managed_bytes=0)]
    )
    w = quiet_widget(source=source)
    w.poll()
    assert w.state == "live"
    assert w.snapshot()["workers"]["a"]["process"] == 100

    source.error = SourceError("the scheduler did not answer")
    with caplog.at_level("WARNING", logger="memwidget"):
        for _ in range(5):
            w.poll()
    assert w.state == "disconnected"
    assert w._meta["state"] == "disconnected"
    assert "did not answer" in w._meta["message"]
    assert w.snapshot()["workers"]["a"]["process"] == 100
    assert len([r for r in caplog.records if "lost the scheduler" in r.message]) == 1

    source.error = None
    w.poll()
    assert w.state == "live"


def test_an_unexpected_error_in_a_source_is_logged_not_raised(quiet_widget, caplog):
    w = quiet_widget(source=FakeSource(error=KeyError("boom")))
    with caplog.at_level("ERROR", logger="memwidget"):
        w.poll()
    assert w.state == "disconnected"
    assert "KeyError" in w._meta["message"]


def test_the_widget_is_stale_when_no_newer_heartbeat_arrives(quiet_widget):
    sample = WorkerSample("a", time=time.time(), process=1, managed_bytes=0)
    source = FakeSource([sample])
    w = quiet_widget(source=source, interval=0.01)  # stale after 1.52 s
    w.poll()
    assert w.state == "live"
    time.sleep(1.6)
    w.poll()  # the same sample again: no heartbeat since
    assert w.state == "stale"
    assert "no heartbeat for 2 s" in w._meta["message"]
    source.samples = [WorkerSample("a", time=time.time(), process=2, managed_bytes=0)]
    w.poll()
    assert w.state == "live"


def test_a_skewed_worker_clock_is_not_taken_for_silence(quiet_widget):
    # A remote worker's clock ten minutes behind the kernel's, heartbeating.
    skew = -600
    source = FakeSource()
    w = quiet_widget(source=source, interval=0.01)
    for i in range(3):
        source.samples = [
            WorkerSample("a", time=time.time() + skew, process=i, managed_bytes=0)
        ]
        w.poll()
        assert w.state == "live"
        time.sleep(0.6)


def test_identities_are_sent_only_when_membership_changes(quiet_widget):
    source = FakeSource()  # empty: the poll thread's first read changes nothing
    w = quiet_widget(source=source)
    sent = []
    w.observe(lambda change: sent.append(change["new"]), names="_identities")
    source.samples = [
        WorkerSample("a", name="x", time=time.time(), process=1, managed_bytes=0)
    ]
    w.poll()
    w.poll()
    assert len(sent) == 1
    source.samples = [*source.samples, WorkerSample("b")]
    w.poll()
    assert len(sent) == 2
    assert [x["address"] for x in sent[-1]["workers"]] == ["a", "b"]
    assert sent[-1]["generation"] == int.from_bytes(w._columns[8:12], "little")


def test_the_process_source_reads_this_kernel(quiet_widget):
    w = quiet_widget(source=ProcessSource())
    w.poll()
    snap = w.snapshot()
    assert snap["state"] == "live"
    (row, *_) = snap["workers"].values()
    assert row["process"] > 10 * 2**20
    assert row["unmanaged"] == row["process"]


def test_close_and_collection_stop_polling():
    source = FakeSource()
    w = MemoryWidget(source=source, interval=0.05)
    assert memwidget_threads()
    w.close()
    assert w.closed
    assert not memwidget_threads()
    reads = source.reads
    w.poll()
    assert source.reads == reads


def test_repr_is_short_and_says_the_state(quiet_widget):
    w = quiet_widget(recent_to_old_time=12)
    w.poll()
    assert repr(w) == "<MemoryWidget live, 0 workers, window 12 s, interval 60 s>"


def test_the_poll_thread_does_not_keep_a_dropped_widget_alive():
    import ipywidgets

    source = FakeSource()
    w = MemoryWidget(source=source, interval=0.05)
    thread = w._thread
    # What a kernel does when the frontend goes away: the comm closes and
    # ipywidgets forgets the widget. memwidget's own close() is not called.
    ipywidgets.Widget.close(w)
    del w
    gc.collect()
    thread.join(timeout=30)
    assert not thread.is_alive()
    reads = source.reads
    time.sleep(0.2)
    assert source.reads == reads
