"""Notebook code and page checks shared by the memwidget browser tests."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from memwidget.breakdown import FIELDS

# The first cell of most test notebooks: a two-worker LocalCluster, the
# workers' addresses in a fixed order, and a way to hold unmanaged memory.
CLUSTER_SETUP = """\
import json
import time

from distributed import Client, LocalCluster
from memwidget import MemoryWidget

cluster = LocalCluster(
    n_workers=2,
    threads_per_worker=1,
    memory_limit="1GiB",
    dashboard_address="127.0.0.1:0",
    processes=True,
)
client = Client(cluster)
client.wait_for_workers(2)
first, second = sorted(client.scheduler_info()["workers"])


def hold(nbytes):
    # Memory Dask does not know about, kept in the worker process.
    import sys
    import types

    module = sys.modules.setdefault("ballast", types.ModuleType("ballast"))
    if not hasattr(module, "hold"):
        module.hold = []
    block = bytearray(nbytes)
    block[::4096] = b"x" * len(block[::4096])
    module.hold.append(block)


def wait_for_process(address, nbytes, timeout=60):
    # Until the scheduler has a heartbeat from the worker with this much memory.
    def process(dask_scheduler):
        return dask_scheduler.workers[address].memory.process

    deadline = time.monotonic() + timeout
    while client.run_on_scheduler(process) < nbytes:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{address} never reached {nbytes} bytes")
        time.sleep(0.2)"""

# Distinct memory on each worker: managed results on the first, unmanaged
# memory on the second.
DISTINCT_MEMORY = """\
scattered = client.scatter(b"m" * (64 * 2**20), workers=[first])
client.run(hold, 100 * 2**20, workers=[second])
wait_for_process(first, 64 * 2**20)
wait_for_process(second, 100 * 2**20)
print("memory placed")"""

# Every figure the tooltip gives exactly, as ``data-bytes``.
EXACT_FIELDS = (*FIELDS, "memory_limit")

WIDGET_TIMEOUT = 30_000


def widget_roots(notebook: Locator) -> Locator:
    """Every displayed memwidget in the notebook."""
    return notebook.locator(".memwidget")


def worker_rows(widget: Locator) -> Locator:
    """The worker rows of one widget's table, header excluded, in screen order."""
    return widget.locator(".mw-body [role='row']")


def view_button(widget: Locator, name: str) -> Locator:
    return widget.get_by_role("button", name=name, exact=True)


def expect_view(widget: Locator, view: str) -> None:
    """The widget shows ``view`` ("cluster" or "workers") and says so."""
    other = "workers" if view == "cluster" else "cluster"
    expect(view_button(widget, view.capitalize())).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(view_button(widget, other.capitalize())).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(widget).to_have_attribute("data-view", view)
    table = widget.get_by_role("table", name="Workers")
    cluster_bar = widget.get_by_role("img", name="Cluster memory")
    if view == "workers":
        expect(table).to_be_visible()
        expect(cluster_bar).to_be_hidden()
    else:
        expect(cluster_bar).to_be_visible()
        expect(table).to_be_hidden()


def tooltip_bytes(widget: Locator) -> dict[str, int]:
    """The shown tooltip's exact figures: ``{field: bytes}``."""
    tooltip = widget.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    figures = tooltip.locator("dd[data-field][data-bytes]").evaluate_all(
        "(dds) => dds.map((dd) => [dd.dataset.field, dd.dataset.bytes])"
    )
    return {field: int(value) for field, value in figures}


def hover_worker(widget: Locator, address: str) -> dict[str, int]:
    """Hover a worker's bar; return its tooltip's exact figures."""
    row = widget.locator(f"[role='row'][data-address='{address}']")
    row.locator(".mw-bar").hover()
    tooltip = widget.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".mw-tip-title")).to_have_text(
        row.get_attribute("aria-label") or ""
    )
    return tooltip_bytes(widget)
