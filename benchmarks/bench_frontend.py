"""Frontend time per update in headless Chromium, with the real bundle.

A static page (frontend/harness.html) imports the built
``memwidget/static/widget.js`` and mounts it on a fake anywidget model. The
messages are what ``MemoryWidget.poll()`` sends for synthetic workers (every
worker with new figures each tick), in the real wire format. Each update
sets the traits, fires their change events as Backbone does (one
``change:<trait>`` each, then one plain ``change``, on which the widget
renders the whole message once), lets any microtask the widget queued run,
and forces style and layout; its time is the median over many updates, with
the pointer on a bar so the tooltip follows too. ``<view>_<trait>_mean_ms``
is the mean time in each trait's change handler (marking it changed),
``<view>_render_mean_ms`` in the plain ``change`` handler (the render). The
page paints between updates
(``frame``: from the update until the next animation frame, which includes
waiting for it). ``decode`` is ``decodeColumns`` alone, from js/src/wire.ts.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench_kernel import ReplaySource, replies
from common import ROOT, arguments, print_table, write_results

from memwidget import MemoryWidget

# The tests' browser: MEMWIDGET_CHROMIUM, or Debian's.
CHROMIUM = os.environ.get("MEMWIDGET_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TICKS = 12


def messages(n: int) -> dict[str, Any]:
    """The identities and TICKS ticks' traits, as the widget sends them."""
    packed, _ = replies(n, 1.0)
    widget = MemoryWidget(source=ReplaySource(packed), interval=3600)
    try:
        ticks = []
        for _ in range(TICKS):
            widget.poll()
            ticks.append(
                {
                    "columns": base64.b64encode(widget._columns).decode(),
                    "cluster": widget._cluster,
                    "meta": widget._meta,
                }
            )
        return {"identities": widget._identities, "ticks": ticks}
    finally:
        widget.close()


def prepare(directory: Path, counts: list[int]) -> None:
    bundle = ROOT / "memwidget" / "static" / "widget.js"
    if not bundle.exists():
        subprocess.run(["npm", "run", "build"], cwd=ROOT / "js", check=True)  # noqa: S607
    shutil.copy(bundle, directory / "widget.js")
    shutil.copy(Path(__file__).parent / "frontend" / "harness.html", directory)
    subprocess.run(  # noqa: S603 - the project's own esbuild, fixed arguments
        [
            str(ROOT / "js" / "node_modules" / ".bin" / "esbuild"),
            "src/wire.ts",
            "--bundle",
            "--format=esm",
            f"--outfile={directory / 'wire.js'}",
        ],
        cwd=ROOT / "js",
        check=True,
        capture_output=True,
    )
    for n in counts:
        (directory / f"data-{n}.json").write_text(json.dumps(messages(n)))


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def run(counts: list[int], updates: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        prepare(directory, counts)
        handler = functools.partial(QuietHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/harness.html"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                page.goto(url)
                page.wait_for_function("window.harnessReady === true")
                for n in counts:
                    row: dict[str, Any] = {"workers": n}
                    for view in ("cluster", "workers"):
                        page.evaluate(
                            "([f, v]) => mountWidget(f, v)", [f"data-{n}.json", view]
                        )
                        bar = (
                            ".mw-cluster-bar"
                            if view == "cluster"
                            else ".mw-body .mw-row .mw-bar"
                        )
                        page.hover(bar)
                        page.wait_for_selector("[role=tooltip]:not([hidden])")
                        result = page.evaluate("u => runUpdates(u)", updates)
                        shown = page.is_visible("[role=tooltip]")
                        assert shown, "the tooltip went away during the updates"
                        row[f"{view}_ms"] = result["update"]
                        row[f"{view}_frame_ms"] = result["frame"]
                        row[f"{view}_max_ms"] = result["max"]
                        row[f"{view}_layout_ms"] = result["layout"]
                        for event, ms in result["split"].items():
                            key = event.removeprefix("change").lstrip(":_")
                            row[f"{view}_{key or 'render'}_mean_ms"] = ms
                    row["decode_ms"] = page.evaluate("r => timeDecode(r)", 200)
                    row["workers_us_per_worker"] = 1e3 * row["workers_ms"] / n
                    rows.append(row)
                version = browser.version
                browser.close()
        finally:
            server.shutdown()
    for row in rows:
        row["chromium"] = version
    return rows


def main() -> None:
    args = arguments(__doc__, updates=(int, 120, "updates per view and count"))
    start = time.perf_counter()
    rows = run(args.counts, args.updates)
    print_table(
        f"Frontend per update, headless Chromium {rows[0]['chromium']} "
        f"(ms, medians of {args.updates} updates, pointer on a bar)",
        [{k: v for k, v in r.items() if k != "chromium"} for r in rows],
    )
    print(f"({time.perf_counter() - start:.0f} s)")
    write_results(args.json, "frontend", rows)


if __name__ == "__main__":
    main()
