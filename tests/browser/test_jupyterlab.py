"""The widget in a real JupyterLab and Notebook 7, driven as a user would."""

from __future__ import annotations

import re
import sys

from browser_cells import CLUSTER_SETUP, WIDGET_TIMEOUT
from jupyter_harness import (
    assert_no_tracebacks,
    assert_no_widget_errors,
    notebook_outputs,
    notebook_panel,
    open_and_run,
)
from playwright.sync_api import expect

CLUSTER_CELLS = [
    CLUSTER_SETUP,
    """\
w = MemoryWidget(client, interval=0.5)
w""",
    """\
import sys
print(f"memwidget-test workers={len(client.nthreads())} prefix={sys.prefix}")""",
]


def test_widget_renders_one_row_per_worker(
    page, jupyter_server, page_errors, screenshot
):
    path = jupyter_server.write_notebook("workers.ipynb", CLUSTER_CELLS)
    open_and_run(page, jupyter_server, path)
    # The last cell ran, in a kernel of the environment under test.
    printed = f"memwidget-test workers=2 prefix={sys.prefix}"
    expect(notebook_outputs(page).get_by_text(printed)).to_be_visible()

    notebook = notebook_panel(page)
    notebook.get_by_role("button", name="Workers", exact=True).click(
        timeout=WIDGET_TIMEOUT
    )

    worker_rows = notebook.get_by_role("row", name=re.compile(r"^[01]$"))
    expect(worker_rows).to_have_count(2, timeout=WIDGET_TIMEOUT)
    expect(notebook.get_by_role("row", name="0", exact=True)).to_have_count(1)
    expect(notebook.get_by_role("row", name="1", exact=True)).to_have_count(1)
    # Every row but the header (which holds the column headers) is a worker.
    body_rows = notebook.get_by_role("row").filter(
        has_not=page.get_by_role("columnheader")
    )
    expect(body_rows).to_have_count(2)

    screenshot("workers")
    assert_no_widget_errors(page)
    assert_no_tracebacks(page)
    page_errors.assert_none()
