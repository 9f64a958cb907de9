"""The widget in a real marimo app, shown with ``mo.ui.anywidget``.

``marimo run`` serves the app from a temporary world (home, config, cache and
state folders) on loopback; the app's cell runs in the server's own process,
so the LocalCluster's worker processes are children of the server and must
end with it.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import ipaddress
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from browser_cells import WIDGET_TIMEOUT, expect_view, view_button, worker_rows
from jupyter_harness import free_port, isolated_environment, log_tail
from playwright.sync_api import expect

SERVER_START_TIMEOUT = 90.0
# Not `import marimo` here: importing it writes a log folder into the home of
# the process that runs the tests.
MARIMO_VERSION = importlib.metadata.version("marimo")

APP = f"""\
import marimo

__generated_with = "{MARIMO_VERSION}"
app = marimo.App()


@app.cell
def _():
    import marimo as mo
    from distributed import Client, LocalCluster

    from memwidget import MemoryWidget

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        memory_limit="1GiB",
        dashboard_address="127.0.0.1:0",
    )
    client = Client(cluster)
    client.wait_for_workers(2)
    widget = mo.ui.anywidget(MemoryWidget(client, interval=0.5))
    widget
    return


if __name__ == "__main__":
    app.run()
"""


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - http://127.0.0.1
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _loopback(address) -> bool:
    return not address or ipaddress.ip_address(address.ip).is_loopback


@dataclass
class MarimoServer:
    """``marimo run app.py`` on a free loopback port, in ``base``."""

    base: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    _log: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def log_path(self) -> Path:
        return self.base / "marimo.log"

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_path, lines)

    def _environment(self) -> dict[str, str]:
        env = isolated_environment(
            self.base,
            {
                "HOME": "home",
                "XDG_CONFIG_HOME": "home/.config",
                "XDG_CACHE_HOME": "home/.cache",
                "XDG_DATA_HOME": "home/.local/share",
                "XDG_STATE_HOME": "home/.local/state",
                "TMPDIR": "tmp",
            },
        )
        # `marimo edit` asks PyPI for a newer version unless told not to;
        # `marimo run` does not ask, and this keeps it that way.
        env["MARIMO_SKIP_UPDATE_CHECK"] = "1"
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def start(self) -> None:
        app = self.base / "app.py"
        app.write_text(APP)
        self.port = free_port()
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "marimo",
                "run",
                str(app),
                "--headless",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-token",
                "--no-sandbox",
            ],
            cwd=self.base,
            env=self._environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                msg = f"marimo exited.\n{self.log_tail()}"
                raise AssertionError(msg)
            if _answers(self.url + "health"):
                return
            time.sleep(0.2)
        msg = f"marimo did not answer within {SERVER_START_TIMEOUT:.0f} s.\n"
        raise AssertionError(msg + self.log_tail())

    def tree(self) -> list[psutil.Process]:
        """The server and every process under it."""
        if self.process is None or self.process.poll() is not None:
            return []
        server = psutil.Process(self.process.pid)
        return [server, *server.children(recursive=True)]

    def stop(self) -> list[str]:
        """Terminate the server, then kill it; return what outlived it.

        The LocalCluster lives in the server's process: its workers should
        exit with it. Any that do not are killed, and named in the result.
        """
        process = self.process
        if process is None:
            return []
        descendants = self.tree()[1:]
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        _, alive = psutil.wait_procs(descendants, timeout=15)
        survivors = []
        for proc in alive:
            with contextlib.suppress(psutil.Error):
                survivors.append(f"{proc.pid}: {' '.join(proc.cmdline())}")
                proc.kill()
        psutil.wait_procs(alive, timeout=5)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return survivors


@pytest.fixture
def marimo_server(tmp_path):
    server = MarimoServer(tmp_path / "marimo")
    server.base.mkdir()
    try:
        server.start()
        yield server
    finally:
        server.stop()


def test_widget_renders_in_marimo(marimo_server, page, page_errors, screenshot):
    requested = set()
    page.on(
        "request", lambda request: requested.add(urllib.parse.urlsplit(request.url))
    )
    page.goto(marimo_server.url, wait_until="domcontentloaded")

    # marimo renders the widget inside <marimo-anywidget>'s shadow root;
    # Playwright's CSS and role locators pierce open shadow roots.
    widget = page.locator("marimo-anywidget .memwidget")
    try:
        expect(widget).to_have_count(1, timeout=WIDGET_TIMEOUT * 2)
    except AssertionError as error:
        msg = f"{error}\npage:\n{page.inner_text('body')}\n{marimo_server.log_tail()}"
        raise AssertionError(msg) from None

    view_button(widget, "Workers").click()
    expect_view(widget, "workers")
    rows = worker_rows(widget)
    expect(rows).to_have_count(2, timeout=WIDGET_TIMEOUT)
    expect(widget.get_by_role("row", name=re.compile(r"^[01]$"))).to_have_count(2)
    expect(widget.get_by_role("row", name="0", exact=True)).to_have_count(1)
    expect(widget.get_by_role("row", name="1", exact=True)).to_have_count(1)
    # Every column header, the last (status) included, fits in the table: the
    # widget takes its narrow layout where the full one would overflow.
    table_box = widget.get_by_role("table", name="Workers").bounding_box()
    for header in widget.get_by_role("columnheader").all():
        box = header.bounding_box()
        if box is not None and box["width"] > 0:
            assert box["x"] + box["width"] <= table_box["x"] + table_box["width"] + 1

    expect(widget).to_have_attribute("data-state", "live", timeout=WIDGET_TIMEOUT)
    status = widget.get_by_role("status")
    expect(status.locator(".mw-state")).to_have_attribute("data-state", "live")

    first = widget.get_by_role("row", name="0", exact=True)
    first.locator(".mw-bar").hover()
    tooltip = widget.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".mw-tip-title")).to_have_text("0")
    process = tooltip.locator('dd[data-field="process"][data-bytes]')
    expect(process).to_have_count(1)
    assert int(process.get_attribute("data-bytes") or 0) > 0

    screenshot("workers")

    # Everything the page asked for came from the marimo server.
    origins = {(url.scheme, url.netloc) for url in requested if url.scheme != "data"}
    assert origins == {("http", f"127.0.0.1:{marimo_server.port}")}, origins
    # The server and the cluster listen and talk on loopback only, and the
    # two worker processes run under the server.
    tree = marimo_server.tree()
    for proc in tree:
        for conn in proc.net_connections(kind="inet"):
            assert _loopback(conn.laddr), (proc.cmdline(), conn)
            assert _loopback(conn.raddr), (proc.cmdline(), conn)
    spawned = [p for p in tree if "multiprocessing.spawn" in " ".join(p.cmdline())]
    assert len(spawned) == 2, [p.cmdline() for p in tree]

    # marimo itself logs nothing to the console on this page: no filter.
    page_errors.assert_none(known=())

    survivors = marimo_server.stop()
    assert not survivors, f"processes outlived the marimo server: {survivors}"
