"""In a real IPython kernel: updates keep flowing while a cell blocks."""

from __future__ import annotations

import queue
import textwrap

import psutil
import pytest
from jupyter_client.manager import start_new_kernel

pytestmark = pytest.mark.cluster

SETUP = textwrap.dedent(
    """
    from distributed import Client, LocalCluster
    from memwidget import MemoryWidget
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="1GiB",
                           dashboard_address="127.0.0.1:0")
    client = Client(cluster)
    widget = MemoryWidget(client, interval=0.25)
    display(widget)
    print(widget.model_id)
    """
)


@pytest.fixture
def kernel():
    manager, client = start_new_kernel(kernel_name="python3")
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def run(client, code, timeout=120):
    """Execute ``code``; return every iopub message until the kernel is idle."""
    msg_id = client.execute(code)
    messages = []
    while True:
        try:
            msg = client.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no idle from the kernel after running {code!r}")
        messages.append(msg)
        if (
            msg["parent_header"].get("msg_id") == msg_id
            and msg["msg_type"] == "status"
            and msg["content"]["execution_state"] == "idle"
        ):
            return messages


def updates_for(messages, model_id):
    return [
        m
        for m in messages
        if m["msg_type"] == "comm_msg"
        and m["content"]["comm_id"] == model_id
        and m["content"]["data"].get("method") == "update"
    ]


def test_updates_keep_flowing_while_a_cell_sleeps(kernel):
    setup = run(kernel, SETUP)
    errors = [m for m in setup if m["msg_type"] == "error"]
    assert not errors, errors[0]["content"]
    (model_id,) = [
        m["content"]["text"].strip()
        for m in setup
        if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"
    ]

    busy = run(kernel, "import time; time.sleep(5)")
    updates = updates_for(busy, model_id)
    # Polling every 0.25 s for 5 s: about 20. Any handful proves that the
    # polling thread, not the blocked main thread, sends them.
    assert len(updates) >= 5, len(updates)
    states = [u["content"]["data"]["state"] for u in updates]
    # One message per tick: each carries that tick's metadata, with whatever
    # figures changed since the last (unchanged traits are not resent).
    ticks = [s["_meta"]["tick"] for s in states]
    assert ticks == sorted(set(ticks)), ticks
    with_figures = [
        u
        for u in updates
        if ["_columns"] in u["content"]["data"].get("buffer_paths", [])
    ]
    assert all(u["buffers"] for u in with_figures)
    assert with_figures
    assert all(s["_meta"]["state"] == "live" for s in states)

    teardown = run(kernel, "widget.close(); client.close(); cluster.close()")
    assert not [m for m in teardown if m["msg_type"] == "error"]


def test_a_kernel_restart_leaves_nothing_running():
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        run(client, SETUP)
        kernel = psutil.Process(manager.provisioner.pid)
        started = [kernel, *kernel.children(recursive=True)]
        # The kernel, and the cluster's worker processes under it.
        assert len(started) >= 3, started
        manager.restart_kernel(now=True)
        gone, alive = psutil.wait_procs(started, timeout=60)
        assert not alive, alive
        assert gone
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
