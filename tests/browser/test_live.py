"""Updates reach the page while a cell keeps the kernel busy, and the toggle works.

The widget polls on its own thread in the kernel and owns its view toggle in
the page, so neither waits for the kernel to finish a cell.
"""

from __future__ import annotations

from browser_cells import (
    CLUSTER_SETUP,
    WIDGET_TIMEOUT,
    expect_view,
    hover_worker,
    view_button,
    widget_roots,
    worker_rows,
)
from jupyter_harness import (
    append_and_run_cell,
    assert_no_tracebacks,
    assert_no_widget_errors,
    cell_is_running,
    notebook_outputs,
    notebook_panel,
    open_and_run,
    printed_json,
    wait_until_ran,
)
from playwright.sync_api import expect

FIRST = "memwidget-first"

CELLS = [
    CLUSTER_SETUP,
    """\
widget = MemoryWidget(client, interval=0.5)
widget""",
    f'print("{FIRST}", json.dumps(first))',
]

HELD = 300 * 2**20
BUSY_CELL = f"""\
client.run(hold, {HELD}, workers=[first])
time.sleep(15)
print("busy cell done")"""


def _segment_width(widget, address, segment):
    """The drawn width of one segment of a worker's bar, in CSS pixels."""
    bar = widget.locator(f"[role='row'][data-address='{address}'] .mw-bar")
    return bar.locator(f".mw-seg[data-segment='{segment}']").evaluate(
        "(el) => el.hidden ? 0 : el.getBoundingClientRect().width"
    )


def test_bars_grow_and_toggle_works_while_a_cell_runs(
    page, lab_server, page_errors, screenshot
):
    path = lab_server.write_notebook("live.ipynb", CELLS)
    open_and_run(page, lab_server, path)
    first = printed_json(page, FIRST)

    widget = widget_roots(notebook_panel(page)).first
    expect(widget).to_have_attribute("data-state", "live", timeout=WIDGET_TIMEOUT)
    view_button(widget, "Workers").click()
    expect_view(widget, "workers")
    expect(worker_rows(widget)).to_have_count(2)
    before = hover_worker(widget, first)["process"]
    unmanaged_before = _segment_width(widget, first, "unmanaged_old") + _segment_width(
        widget, first, "unmanaged_recent"
    )

    append_and_run_cell(page, BUSY_CELL)
    assert cell_is_running(page), "the busy cell should be running"

    # The toggle answers at once although the kernel cannot read messages.
    view_button(widget, "Cluster").click()
    expect_view(widget, "cluster")
    view_button(widget, "Workers").click()
    expect_view(widget, "workers")
    assert cell_is_running(page), "the views switched only after the cell ended"

    # The first worker's bar grows by what the busy cell holds, while it runs.
    grown = before
    while cell_is_running(page):
        grown = hover_worker(widget, first)["process"]
        if grown >= before + HELD * 0.9:
            break
        page.wait_for_timeout(250)
    assert grown >= before + HELD * 0.9, (before, grown)
    unmanaged_after = _segment_width(widget, first, "unmanaged_old") + _segment_width(
        widget, first, "unmanaged_recent"
    )
    assert cell_is_running(page), "the update arrived only after the cell ended"
    assert unmanaged_after > unmanaged_before, (unmanaged_before, unmanaged_after)
    screenshot("busy-workers", widget)

    wait_until_ran(page, lab_server, path)
    expect(notebook_outputs(page).get_by_text("busy cell done")).to_be_visible()
    assert_no_widget_errors(page)
    assert_no_tracebacks(page)
    page_errors.assert_none()
