"""What the page shows is what the kernel computed: tooltips, views, sorting.

One notebook per frontend: a two-worker LocalCluster with different memory on
each worker, one widget displayed twice, polled once more by a cell that
prints the widget's snapshot. The widget polls only at start and when told
(``interval=3600``), so the page and the printed snapshot hold the same tick.
"""

from __future__ import annotations

from browser_cells import (
    CLUSTER_SETUP,
    DISTINCT_MEMORY,
    EXACT_FIELDS,
    WIDGET_TIMEOUT,
    expect_view,
    hover_worker,
    tooltip_bytes,
    view_button,
    widget_roots,
    worker_rows,
)
from jupyter_harness import (
    append_and_run_cell,
    assert_no_tracebacks,
    assert_no_widget_errors,
    notebook_outputs,
    notebook_panel,
    open_and_run,
    printed_json,
    wait_until_ran,
)
from playwright.sync_api import expect

SNAPSHOT = "memwidget-snapshot"

CELLS = [
    CLUSTER_SETUP,
    DISTINCT_MEMORY,
    """\
widget = MemoryWidget(client, interval=3600, view="workers")
widget""",
    "display(widget)",
    f"""\
widget.poll()
print("{SNAPSHOT}", json.dumps(widget.snapshot()))""",
]


def _check_worker_tooltips(widget, workers):
    """Every exact figure of each worker's tooltip is the kernel's, to the byte."""
    for address, figures in workers.items():
        shown = hover_worker(widget, address)
        assert set(shown) == set(EXACT_FIELDS), shown
        assert shown == {field: figures[field] for field in EXACT_FIELDS}, address


def _check_sorting(page, widget, workers):
    """Sorting by process puts the largest first; a second click reverses."""
    by_process = sorted(workers, key=lambda a: workers[a]["process"])
    assert workers[by_process[0]]["process"] != workers[by_process[-1]]["process"]
    process_button = widget.get_by_role("button", name="Process", exact=True)
    process_header = widget.get_by_role("columnheader").filter(
        has=page.get_by_role("button", name="Process", exact=True)
    )
    rows = worker_rows(widget)
    process_button.click()
    expect(process_header).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_have_attribute("data-address", by_process[-1])
    expect(rows.last).to_have_attribute("data-address", by_process[0])
    process_button.click()
    expect(process_header).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_have_attribute("data-address", by_process[0])
    expect(rows.last).to_have_attribute("data-address", by_process[-1])


def _check_cluster(widget, cluster):
    """The cluster view's headline and tooltip give the kernel's figures."""
    headline = widget.locator(".mw-headline [data-field][data-bytes]")
    shown_headline = {
        field: int(value)
        for field, value in headline.evaluate_all(
            "(els) => els.map((el) => [el.dataset.field, el.dataset.bytes])"
        )
    }
    assert {"process", "unmanaged", "unmanaged_recent"} <= set(shown_headline)
    assert shown_headline == {field: cluster[field] for field in shown_headline}
    widget.get_by_role("img", name="Cluster memory").hover()
    shown = tooltip_bytes(widget)
    assert set(shown) == set(EXACT_FIELDS), shown
    assert shown == {field: cluster[field] for field in EXACT_FIELDS}


def test_tooltips_views_and_sorting_match_the_kernel(
    page, jupyter_server, page_errors, screenshot
):
    path = jupyter_server.write_notebook("figures.ipynb", CELLS)
    open_and_run(page, jupyter_server, path)
    snapshot = printed_json(page, SNAPSHOT)
    workers = snapshot["workers"]
    assert len(workers) == 2, snapshot
    (first, second) = sorted(workers)
    # The cells made the workers differ: data on one, unmanaged memory on both.
    assert workers[first]["managed"] >= 64 * 2**20, workers[first]
    assert workers[second]["managed"] == 0, workers[second]
    assert workers[second]["unmanaged"] >= 100 * 2**20, workers[second]

    widgets = widget_roots(notebook_panel(page))
    expect(widgets).to_have_count(2, timeout=WIDGET_TIMEOUT)
    widget, again = widgets.nth(0), widgets.nth(1)

    # Both displays start in the worker view, one row per worker, named by
    # the worker's name.
    for shown in (widget, again):
        expect_view(shown, "workers")
        expect(worker_rows(shown)).to_have_count(2, timeout=WIDGET_TIMEOUT)
        for address, figures in workers.items():
            row = shown.locator(f"[role='row'][data-address='{address}']")
            expect(row).to_have_attribute("aria-label", str(figures["name"]))
            expect(row).to_have_attribute("data-status", figures["status"])

    _check_worker_tooltips(widget, workers)
    widget.scroll_into_view_if_needed()
    screenshot("workers-tooltip", widget)
    _check_sorting(page, widget, workers)

    # The toggle: one model, so both displays follow a click in either.
    view_button(widget, "Cluster").click()
    expect_view(widget, "cluster")
    expect_view(again, "cluster")
    _check_cluster(widget, snapshot["cluster"])
    screenshot("cluster-tooltip", widget)

    view_button(again, "Workers").click()
    for shown in (widget, again):
        expect_view(shown, "workers")
        expect(worker_rows(shown)).to_have_count(2)
    view_button(widget, "Cluster").click()
    expect_view(widget, "cluster")
    expect_view(again, "cluster")

    # The kernel heard the last click, and a view set in Python shows in both.
    append_and_run_cell(page, 'print("view-was", widget.view)\nwidget.view = "workers"')
    wait_until_ran(page, jupyter_server, path)
    expect(notebook_outputs(page).get_by_text("view-was cluster")).to_be_visible()
    for shown in (widget, again):
        expect_view(shown, "workers")
        expect(worker_rows(shown)).to_have_count(2)

    assert_no_widget_errors(page)
    assert_no_tracebacks(page)
    page_errors.assert_none()
