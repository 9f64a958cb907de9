"""The quickstart notebook, run as a user would in JupyterLab: the product's face."""

from __future__ import annotations

import shutil
from pathlib import Path

from jupyter_harness import (
    assert_no_tracebacks,
    assert_no_widget_errors,
    notebook_panel,
    open_and_run,
)
from playwright.sync_api import expect

QUICKSTART = Path(__file__).parents[2] / "notebooks" / "quickstart.ipynb"


def test_quickstart_shows_every_kind_of_memory(
    page, lab_server, page_errors, screenshot
):
    shutil.copy(QUICKSTART, lab_server.root_dir / "quickstart.ipynb")
    open_and_run(page, lab_server, "quickstart.ipynb")
    notebook = notebook_panel(page)
    widget = notebook.locator(".memwidget").first

    # The notebook switched to the worker view: one row per worker.
    table = widget.get_by_role("table", name="Workers")
    expect(table).to_be_visible()
    rows = table.get_by_role("row").filter(has_not=page.get_by_role("columnheader"))
    expect(rows).to_have_count(4)

    # Every segment kind is drawn somewhere: the workload made each visible.
    for segment in (
        "managed_in_memory",
        "unmanaged_old",
        "unmanaged_recent",
        "managed_spilled",
    ):
        drawn = widget.locator(f'.mw-seg[data-segment="{segment}"]:not([hidden])')
        expect(drawn.first).to_be_attached()
    # The worker holding the pinned data passed its target: it may be spilling.
    expect(widget.locator('[role="row"][data-colour="orange"]').first).to_be_attached()

    widget.scroll_into_view_if_needed()
    screenshot("quickstart-workers", widget)
    widget.get_by_role("button", name="Cluster", exact=True).click()
    expect(widget.get_by_role("img", name="Cluster memory")).to_be_visible()
    screenshot("quickstart-cluster", widget)

    assert_no_widget_errors(page)
    assert_no_tracebacks(page)
    page_errors.assert_none()
