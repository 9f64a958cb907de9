"""The harness itself: a minimal anywidget renders and syncs in both frontends.

When this passes and a memwidget browser test fails, look at memwidget.
"""

from __future__ import annotations

from jupyter_harness import (
    assert_no_tracebacks,
    assert_no_widget_errors,
    notebook_outputs,
    notebook_panel,
    open_and_run,
)
from playwright.sync_api import expect

PROBE_CELLS = [
    '''\
import anywidget
import traitlets


class Probe(anywidget.AnyWidget):
    _esm = """
    export default {
      render({ model, el }) {
        const button = document.createElement("button");
        button.textContent = "Probe";
        const status = document.createElement("span");
        status.setAttribute("role", "status");
        const show = () => { status.textContent = `clicks=${model.get("clicks")}`; };
        button.addEventListener("click", () => {
          model.set("clicks", model.get("clicks") + 1);
          model.save_changes();
        });
        model.on("change:clicks", show);
        show();
        el.append(button, status);
      },
    };
    """
    clicks = traitlets.Int(0).tag(sync=True)


probe = Probe()
probe''',
    'print("harness-probe ran")',
]


def test_anywidget_renders_and_syncs(page, jupyter_server, page_errors, screenshot):
    path = jupyter_server.write_notebook("probe.ipynb", PROBE_CELLS)
    open_and_run(page, jupyter_server, path)
    expect(notebook_outputs(page).get_by_text("harness-probe ran")).to_be_visible()

    notebook = notebook_panel(page)
    status = notebook.get_by_role("status").filter(has_text="clicks=")
    expect(status).to_have_text("clicks=0", timeout=30_000)
    notebook.get_by_role("button", name="Probe", exact=True).click()
    expect(status).to_have_text("clicks=1")

    screenshot("probe")
    assert_no_widget_errors(page)
    assert_no_tracebacks(page)
    page_errors.assert_none()
