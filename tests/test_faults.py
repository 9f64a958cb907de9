"""When things go wrong: a dead scheduler, restarted workers, churn, long runs."""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest
from distributed import Client, LocalCluster
from ipywidgets.widgets.widget import _instances

from memwidget import MemoryWidget
from memwidget.sources import WorkerSample

from helpers import CLUSTER_KWARGS, memwidget_threads, poll_until

pytestmark = pytest.mark.cluster
MIB = 2**20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args):
    # The `dask` command of this environment, on loopback only.
    dask = Path(sys.executable).parent / "dask"
    return subprocess.Popen(
        [dask, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture
def scheduler_address():
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = []

    def launch():
        scheduler = start(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        )
        worker = start(
            "worker",
            address,
            "--host",
            "127.0.0.1",
            "--nworkers",
            "1",
            "--nthreads",
            "1",
            "--memory-limit",
            "1GiB",
            "--no-dashboard",
        )
        processes[:] = [scheduler, worker]
        return scheduler

    launch()
    yield address, launch, processes
    for process in processes:
        stop(process)


def test_a_killed_scheduler_shows_disconnected_then_resumes(scheduler_address, caplog):
    address, launch, processes = scheduler_address
    client = Client(address, timeout=60)
    try:
        client.wait_for_workers(1, timeout=60)
        # Polls are driven by hand here, so the count of polls is exact.
        widget = MemoryWidget(client, interval=3600)
        widget.poll()
        assert widget.state == "live"
        before = widget.snapshot()
        assert len(before["workers"]) == 1

        with caplog.at_level("INFO", logger="memwidget"):
            stop(processes[0])
            polls = 0
            while widget.state != "disconnected" and polls < 2:
                widget.poll()
                polls += 1
            assert widget.state == "disconnected", "still live two polls after"
            for _ in range(3):
                widget.poll()
            # The last figures stay, greyed by the frontend.
            assert widget.snapshot()["workers"] == before["workers"]
            lost = [r for r in caplog.records if "lost the scheduler" in r.message]
            assert len(lost) == 1

            stop(processes[1])
            launch()  # a new scheduler at the same address, and a worker

            def resumed():
                widget.poll()
                return widget.state == "live" and widget.snapshot()["workers"]

            poll_until(resumed, timeout=120, step=0.5, what="the widget to resume")
        assert any("reconnected" in r.message for r in caplog.records)
        assert set(widget.snapshot()["workers"]) != set(before["workers"])
        widget.close()
    finally:
        client.close()


@pytest.fixture
def own_client():
    """A cluster of its own, for tests that restart its workers."""
    with LocalCluster(**CLUSTER_KWARGS) as cluster, Client(cluster) as client:
        client.wait_for_workers(CLUSTER_KWARGS["n_workers"])
        yield client


def test_a_restarted_worker_gets_a_fresh_row_and_window(own_client):
    client = own_client
    widget = MemoryWidget(client, interval=0.2)
    try:
        snap = poll_until(
            lambda: len(widget.snapshot()["workers"]) == 2 and widget.snapshot(),
            what="two workers",
        )
        victim = min(snap["workers"])
        client.restart_workers([victim])
        after = poll_until(
            lambda: (
                (s := widget.snapshot())["workers"].keys() != snap["workers"].keys()
                and len(s["workers"]) == 2
                and s
            ),
            what="the restarted worker's new row",
        )
        assert victim not in after["workers"]
        assert set(widget.tracker.windows) == set(after["workers"])
    finally:
        widget.close()


def test_client_restart_resumes_by_itself(own_client):
    client = own_client
    widget = MemoryWidget(client, interval=0.2)
    try:
        poll_until(lambda: len(widget.snapshot()["workers"]) == 2, what="workers")
        client.restart()
        poll_until(
            lambda: widget.state == "live" and len(widget.snapshot()["workers"]) == 2,
            what="the widget to follow the restart",
        )
        assert set(widget.tracker.windows) == set(widget.snapshot()["workers"])
    finally:
        widget.close()


def test_two_widgets_on_one_client_agree(client):
    a = MemoryWidget(client, interval=0.2)
    b = MemoryWidget(client, interval=0.3, view="workers")
    try:
        for w in (a, b):
            poll_until(lambda w=w: len(w.snapshot()["workers"]) == 2, what="rows")
        a.poll()
        b.poll()
        sa, sb = a.snapshot(), b.snapshot()
        assert sa["workers"].keys() == sb["workers"].keys()
        for address in sa["workers"]:
            # Same heartbeat, or one apart: the process figures are close.
            pa, pb = (
                sa["workers"][address]["process"],
                sb["workers"][address]["process"],
            )
            assert abs(pa - pb) < 64 * MIB
        assert (a.view, b.view) == ("cluster", "workers")
    finally:
        a.close()
        b.close()
    assert not memwidget_threads()


def test_two_hundred_create_display_close_cycles_leave_nothing_behind(client):
    process = psutil.Process()

    def cycle():
        widget = MemoryWidget(client, interval=0.05)
        bundle = widget._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle[0]
        widget.snapshot()
        widget.close()

    for _ in range(20):  # warm up caches, imports and allocator pools
        cycle()
    gc.collect()
    widgets_before = len(_instances)
    threads_before = threading.active_count()
    rss_before = process.memory_info().rss

    for _ in range(200):
        cycle()
    gc.collect()

    assert not memwidget_threads()
    assert threading.active_count() <= threads_before
    assert len(_instances) == widgets_before
    growth = process.memory_info().rss - rss_before
    print(f"RSS growth over 200 cycles: {growth / MIB:.1f} MiB")
    assert growth < 4 * MIB, f"{growth / MIB:.1f} MiB"


class SimulatedCluster:
    """A source whose clock advances one second per read: a day in a minute."""

    def __init__(self, n_workers):
        self.now = 1_700_000_000.0
        self.n = n_workers

    def read(self, timeout):  # noqa: ARG002
        self.now += 1.0
        tick = int(self.now)
        return [
            WorkerSample(
                f"tcp://10.1.{i // 250}.{i % 250}:40000",
                name=f"worker-{i}",
                memory_limit=4 * 2**30,
                status="running",
                time=self.now,
                process=(600 + (tick * (i + 7)) % 400) * MIB,
                managed_bytes=((tick * (i + 3)) % 300) * MIB,
                spilled=((tick + i) % 5) * MIB,
                spilled_disk=((tick + i) % 5) * MIB // 2,
            )
            for i in range(self.n)
        ]

    def close(self):
        pass


def test_a_simulated_day_at_one_hertz_keeps_memory_flat():
    source = SimulatedCluster(100)
    widget = MemoryWidget(source=source, interval=3600, recent_to_old_time=30)
    process = psutil.Process()
    try:
        for _ in range(3_600):  # the first hour fills every window
            widget.poll()
        gc.collect()
        rss_hour = process.memory_info().rss
        for _ in range(86_400 - 3_600):
            widget.poll()
        gc.collect()
        growth = process.memory_info().rss - rss_hour
        assert widget._tick_count >= 86_400  # and the poll thread's first
        assert len(widget.tracker.windows) == 100
        assert all(len(w) <= 31 for w in widget.tracker.windows.values())
        print(f"RSS growth over 23 simulated hours: {growth / MIB:.1f} MiB")
        assert growth < 8 * MIB, f"{growth / MIB:.1f} MiB"
    finally:
        widget.close()
