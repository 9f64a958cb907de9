"""Worker names are user data: the page shows them as text and never runs them.

Each worker is a real process under its own Nanny, named with a payload that
would run script, inject markup or reorder text if the widget wrote names as
HTML.
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

LONG_NAME = "long-" + "x" * 490 + "-end"

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    '"><iframe src=javascript:alert(1)>',
    "{{7*7}}",
    LONG_NAME,
    "\u202eevil",
    "🔥💥 worker",
    "</table><b>bold</b>",
    "&lt;escaped&gt;",
]

CELLS = [
    f"""\
from distributed import Client, Nanny, Scheduler, SpecCluster
from memwidget import MemoryWidget

payloads = {PAYLOADS!r}
cluster = SpecCluster(
    scheduler={{
        "cls": Scheduler,
        "options": {{"host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"}},
    }},
    workers={{
        f"w{{i}}": {{
            "cls": Nanny,
            "options": {{
                "name": payload,
                "nthreads": 1,
                "memory_limit": "512MiB",
                "host": "127.0.0.1",
            }},
        }}
        for i, payload in enumerate(payloads)
    }},
)
client = Client(cluster)
client.wait_for_workers(len(payloads))""",
    """\
widget = MemoryWidget(client, interval=1, view="workers")
widget""",
    """\
names = sorted(w["name"] for w in widget.snapshot()["workers"].values())
print("names match:", names == sorted(payloads))""",
]

TRAP = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__xss.push(`${name}: ${message}`); };
}
"""

INJECTED = "img, script, svg, iframe, b, a, object, embed"

# Where each character of the tooltip's subtitle (the worker's address, host
# and threads, which read left to right) starts on screen.
SUBTITLE_LEFTS = """(subtitle) => {
  const text = subtitle.firstChild;
  const range = document.createRange();
  const lefts = [];
  for (let i = 0; i < Math.min(text.length, 12); i++) {
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    lefts.push(range.getBoundingClientRect().left);
  }
  return lefts;
}"""


def test_hostile_worker_names_are_shown_as_text(
    page, jupyter_server, page_errors, screenshot
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(TRAP)
    path = jupyter_server.write_notebook("hostile.ipynb", CELLS)
    open_and_run(page, jupyter_server, path)
    expect(notebook_outputs(page).get_by_text("names match: True")).to_be_visible()

    widget = notebook_panel(page).locator(".memwidget").first
    rows = widget.locator(".mw-body [role='row']")
    expect(rows).to_have_count(len(PAYLOADS), timeout=30_000)
    expect(widget).to_have_attribute("data-state", "live")

    # Each name is a row's accessible name and its name cell's text, exactly.
    shown = rows.evaluate_all(
        """(rows) => rows.map((row) => [
            row.getAttribute("aria-label"),
            row.querySelector(".mw-col-name").textContent,
        ])"""
    )
    assert sorted(label for label, _ in shown) == sorted(PAYLOADS)
    assert all(label == text for label, text in shown), shown
    reversed_subtitles = {}
    for payload in PAYLOADS:
        row = widget.get_by_role("row", name=payload, exact=True)
        expect(row).to_have_count(1)
        # The tooltip's title is the name too, as text.
        row.locator(".mw-bar").hover()
        tooltip = widget.get_by_role("tooltip")
        title = tooltip.locator(".mw-tip-title")
        expect(title).to_have_text(payload)
        assert title.evaluate("(el) => el.textContent") == payload
        # A name's direction marks stay inside the name: what follows it
        # still reads left to right.
        subtitle = tooltip.locator(".mw-tip-subtitle")
        lefts = subtitle.evaluate(SUBTITLE_LEFTS)
        if lefts != sorted(lefts):
            reversed_subtitles[payload] = subtitle.text_content()
            screenshot("hostile-reversed-tooltip", widget)

    # The long name is clipped on screen, not in the text.
    long_row = widget.get_by_role("row", name=LONG_NAME, exact=True)
    name_cell = long_row.locator(".mw-col-name")
    assert name_cell.evaluate("(el) => el.textContent") == LONG_NAME
    assert name_cell.evaluate("(el) => el.scrollWidth > el.clientWidth")

    # The filter matches names as text.
    search = widget.get_by_role("searchbox", name="Filter workers")
    search.fill("<script>")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("aria-label", "<script>alert(1)</script>")
    search.fill("")
    expect(rows).to_have_count(len(PAYLOADS))

    widget.scroll_into_view_if_needed()
    screenshot("hostile-workers", widget)

    assert widget.locator(INJECTED).count() == 0, widget.inner_html()
    assert page.evaluate("window.__xss") == []
    assert dialogs == []
    assert_no_widget_errors(page)
    assert_no_tracebacks(page)
    page_errors.assert_none()
    assert not reversed_subtitles, (
        "a worker name's right-to-left override reverses the text after it in "
        f"the tooltip (shown mirrored on screen): {reversed_subtitles}"
    )
