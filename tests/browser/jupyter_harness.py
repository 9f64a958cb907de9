"""Drive a real JupyterLab or Notebook 7 server from headless Chromium.

The server runs in its own temporary world (config, data, runtime, IPython
and home folders), from the Python that runs the tests, so the kernel, the
widget manager and anywidget are the ones installed in that environment.
Everything a test needs to open a notebook, run it and check the page lives
here; ``conftest.py`` only wraps it in fixtures.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import psutil

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from playwright.sync_api import ConsoleMessage, Error, Locator, Page

CHROMIUM_ENV = "MEMWIDGET_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
ARTIFACTS_ENV = "MEMWIDGET_ARTIFACTS"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

# Generous: the machine may have two busy cores. None of these is a measure.
SERVER_START_TIMEOUT = 90.0
KERNEL_READY_TIMEOUT = 60.0
RUN_TIMEOUT = 120.0
PROMPT_APPEAR_TIMEOUT = 15.0

# Page errors a correct page still produces, matched as substrings.
KNOWN_PAGE_ERRORS = (
    # Notebook 7.6 logs this on every page, with or without widgets.
    "Cannot read properties of undefined (reading 'schema')",
)

KINDS = ("lab", "notebook")

# Written as user settings of the temporary world: every cell stays in the DOM
# (no windowing), and JupyterLab neither fetches news nor asks about it.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

# What the page must load for a widget to render at all.
REQUIRED_LABEXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "anywidget")

_PROMPT = re.compile(r"\[\s*(\*|\d+)\s*\]")
_NUMBERED = re.compile(r"\[\s*\d+\s*\]")
_QUEUED = re.compile(r"\[\s*\*\s*\]")


class HarnessError(AssertionError):
    """The server or the page did not do what the harness waited for."""


def find_chromium() -> str:
    """Return the Chromium to drive, or raise naming the fix."""
    path = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    resolved = shutil.which(path)
    if resolved is None:
        msg = (
            f"No Chromium at {path!r}. Install Debian's Chromium "
            f"(`apt-get install -y chromium`, giving {DEFAULT_CHROMIUM}) or set "
            f"{CHROMIUM_ENV} to a Chromium executable. Do not run "
            "`playwright install`: browser downloads fail on these machines."
        )
        raise HarnessError(msg)
    return resolved


def browser_environment(home: Path) -> dict[str, str]:
    """Return an environment that keeps Chromium's profile and caches in ``home``.

    Headless Chromium writes ``~/.config/chromium-headless`` and
    ``~/.cache/chromium-headless`` even with a temporary profile.
    """
    env = dict(os.environ)
    env["HOME"] = str(home)
    for variable, name in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        folder = home / name
        folder.mkdir(parents=True, exist_ok=True)
        env[variable] = str(folder)
    return env


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_notebook(root: Path, name: str, cells: Sequence[str]) -> str:
    """Write a notebook of code ``cells`` into ``root``; return its server path.

    The notebook names the ``python3`` kernel, so opening it starts one
    without asking.
    """
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path.relative_to(root).as_posix()


def log_tail(path: Path, lines: int = 40) -> str:
    """Return the end of a server's log, for failure messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def isolated_environment(base: Path, folders: dict[str, str]) -> dict[str, str]:
    """Return this process's environment with each variable set to a folder of
    ``base`` (created), so a server under test writes nothing outside it.
    """
    env = dict(os.environ)
    for variable, name in folders.items():
        folder = base / name
        folder.mkdir(parents=True, exist_ok=True)
        env[variable] = str(folder)
    return env


@dataclass
class JupyterServer:
    """A ``jupyter lab`` or ``jupyter notebook`` server in a temporary world.

    Use :func:`start_server`; call :meth:`stop` when done.
    """

    kind: str
    base: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    _opener: urllib.request.OpenerDirector | None = field(default=None, repr=False)
    _cookies: http.cookiejar.CookieJar = field(
        default_factory=http.cookiejar.CookieJar, repr=False
    )
    _log: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The server's base URL, ending in ``/``."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def root_dir(self) -> Path:
        """The folder the server serves; notebooks written here can be opened."""
        return self.base / "root"

    @property
    def log_path(self) -> Path:
        """The server's combined stdout and stderr."""
        return self.base / f"jupyter-{self.kind}.log"

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the server's log, for failure messages."""
        return log_tail(self.log_path, lines)

    def notebook_url(self, path: str) -> str:
        """Return the page URL that opens the notebook at server ``path``."""
        quoted = urllib.parse.quote(path)
        if self.kind == "lab":
            return f"{self.url}lab/tree/{quoted}?reset"
        return f"{self.url}notebooks/{quoted}"

    def write_notebook(self, name: str, cells: Sequence[str]) -> str:
        """Write a notebook into the server root; return its server path."""
        return write_notebook(self.root_dir, name, cells)

    # --- REST ----------------------------------------------------------------

    def _request(
        self, method: str, path: str, body: Any = None, timeout: float = 30.0
    ) -> bytes:
        if self._opener is None:
            self._opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(self._cookies)
            )
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if method != "GET":
            headers["X-XSRFToken"] = self._xsrf()
        request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
            self.url + path.lstrip("/"), data=data, headers=headers, method=method
        )
        with self._opener.open(request, timeout=timeout) as response:
            return bytes(response.read())

    def _xsrf(self) -> str:
        for cookie in self._cookies:
            if cookie.name == "_xsrf" and cookie.value:
                return cookie.value
        # Any page sets the cookie, even with an empty token.
        self._request("GET", "lab" if self.kind == "lab" else "tree")
        for cookie in self._cookies:
            if cookie.name == "_xsrf" and cookie.value:
                return cookie.value
        msg = "the server set no _xsrf cookie"
        raise HarnessError(msg)

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the REST API (``path`` such as ``"api/sessions"``); return JSON."""
        raw = self._request(method, path, body)
        return json.loads(raw) if raw.strip() else None

    def sessions(self) -> list[dict[str, Any]]:
        """Return ``/api/sessions``."""
        result: list[dict[str, Any]] = self.api("GET", "api/sessions")
        return result

    def session_for(self, path: str) -> dict[str, Any] | None:
        """Return the session of the notebook at server ``path``, if any."""
        for session in self.sessions():
            if session.get("path") == path and session.get("kernel"):
                return session
        return None

    def shutdown_kernels(self) -> None:
        """Delete every session and kernel: their LocalClusters exit with them."""
        if not self.running:
            return
        with contextlib.suppress(urllib.error.URLError, OSError):
            for session in self.sessions():
                with contextlib.suppress(urllib.error.HTTPError):
                    self.api("DELETE", f"api/sessions/{session['id']}")
            for kernel in self.api("GET", "api/kernels") or []:
                with contextlib.suppress(urllib.error.HTTPError):
                    self.api("DELETE", f"api/kernels/{kernel['id']}")

    # --- life cycle ----------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self.process is not None and self.process.poll() is None

    def _command(self) -> list[str]:
        module = "jupyterlab" if self.kind == "lab" else "notebook"
        return [
            sys.executable,
            "-m",
            module,
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--allow-root",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabServerApp.user_settings_dir={self.base / 'user-settings'}",
            f"--LabServerApp.workspaces_dir={self.base / 'workspaces'}",
            # Never offer to reach PyPI from the extension manager.
            "--LabApp.extension_manager=readonly",
        ]

    def _environment(self) -> dict[str, str]:
        env = isolated_environment(
            self.base,
            {
                "JUPYTER_CONFIG_DIR": "config",
                "JUPYTER_DATA_DIR": "data",
                "JUPYTER_RUNTIME_DIR": "runtime",
                "IPYTHONDIR": "ipython",
                "HOME": "home",
                "TMPDIR": "tmp",
            },
        )
        for variable in ("JUPYTER_PATH", "JUPYTERLAB_SETTINGS_DIR", "JUPYTER_TOKEN"):
            env.pop(variable, None)
        # The kernel spec says `python`; put this environment's first anyway.
        bin_dir = str(Path(sys.executable).parent)
        env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def _write_settings(self) -> None:
        for plugin, values in USER_SETTINGS.items():
            package, name = plugin.split(":")
            path = self.base / "user-settings" / package / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2))

    def start(self) -> None:
        """Start the server and wait until it answers and can show widgets."""
        self.root_dir.mkdir(parents=True, exist_ok=True)
        self._write_settings()
        env = self._environment()
        last_error = ""
        for _attempt in range(3):
            self.port = free_port()
            self._log = self.log_path.open("ab")
            self.process = subprocess.Popen(
                self._command(),
                cwd=self.root_dir,
                env=env,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                self._wait_until_up()
            except HarnessError as error:
                last_error = str(error)
                self.stop()
                continue
            self._check_environment()
            return
        msg = f"jupyter {self.kind} did not start: {last_error}"
        raise HarnessError(msg)

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.running:
                msg = f"the server exited.\n{self.log_tail()}"
                raise HarnessError(msg)
            with contextlib.suppress(urllib.error.URLError, OSError):
                self.api("GET", "api/status")
                return
            time.sleep(0.2)
        msg = f"no answer within {SERVER_START_TIMEOUT:.0f} s.\n{self.log_tail()}"
        raise HarnessError(msg)

    def _check_environment(self) -> None:
        specs = self.api("GET", "api/kernelspecs")
        python3 = specs.get("kernelspecs", {}).get("python3")
        if python3 is None:
            msg = f"no python3 kernel spec: {sorted(specs.get('kernelspecs', {}))}"
            raise HarnessError(msg)
        argv0 = python3["spec"]["argv"][0]
        # jupyter_client runs a spec saying `python` with the server's own
        # interpreter, which is this one.
        bare = {"python", f"python{sys.version_info[0]}"}
        bare.add("python{}.{}".format(*sys.version_info[:2]))
        in_prefix = Path(argv0).resolve().is_relative_to(Path(sys.prefix).resolve())
        if argv0 not in bare and not in_prefix:
            msg = (
                f"the python3 kernel runs {argv0!r}, not this environment's "
                f"Python ({sys.executable}): the tests would test another install"
            )
            raise HarnessError(msg)
        config = self.page_config()
        loaded = {ext.get("name") for ext in config.get("federated_extensions", [])}
        missing = [name for name in REQUIRED_LABEXTENSIONS if name not in loaded]
        if missing:
            msg = (
                f"jupyter {self.kind} does not load {missing}: install them in the "
                f"server's environment ({sys.prefix})"
            )
            raise HarnessError(msg)
        settings_url = config.get("settingsUrl", "/lab/api/settings").strip("/")
        for plugin, values in USER_SETTINGS.items():
            applied = self.api("GET", f"{settings_url}/{plugin}").get("settings", {})
            wrong = {
                k: applied.get(k) for k, v in values.items() if applied.get(k) != v
            }
            if wrong:
                msg = f"jupyter {self.kind} ignored the settings of {plugin}: {wrong}"
                raise HarnessError(msg)

    def page_config(self) -> dict[str, Any]:
        """Return the page config the server embeds in its pages."""
        page = self._request("GET", "lab" if self.kind == "lab" else "tree").decode()
        match = re.search(
            r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
            page,
            re.DOTALL,
        )
        if match is None:
            msg = f"no page config in jupyter {self.kind}'s page"
            raise HarnessError(msg)
        config: dict[str, Any] = json.loads(match.group(1))
        return config

    def stop(self) -> None:
        """Shut down kernels and server; kill whatever is left of their tree."""
        process = self.process
        if process is None:
            return
        descendants: list[psutil.Process] = []
        with contextlib.suppress(psutil.Error):
            descendants = psutil.Process(process.pid).children(recursive=True)
        if process.poll() is None:
            # The server's own shutdown stops kernels before it exits.
            with contextlib.suppress(urllib.error.URLError, OSError):
                self._request("POST", "api/shutdown", timeout=20.0)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
        _end_processes(descendants)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None


def _end_processes(processes: Iterable[psutil.Process]) -> None:
    alive = []
    for proc in processes:
        with contextlib.suppress(psutil.Error):
            if proc.is_running():
                proc.terminate()
                alive.append(proc)
    _, still = psutil.wait_procs(alive, timeout=5)
    for proc in still:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(still, timeout=5)


def start_server(kind: str, base: Path) -> JupyterServer:
    """Start ``jupyter lab`` (``kind="lab"``) or Notebook 7 (``"notebook"``)."""
    if kind not in KINDS:
        msg = f"kind must be one of {KINDS}, got {kind!r}"
        raise ValueError(msg)
    server = JupyterServer(kind=kind, base=base)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


# --- the page -----------------------------------------------------------------


@dataclass
class PageErrors:
    """Uncaught page errors and console errors of one page, as text."""

    messages: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        """Record ``page``'s errors from now on."""
        page.on("pageerror", self._on_page_error)
        page.on("console", self._on_console)
        page.on("crash", lambda _page: self.messages.append("page crashed"))

    def _on_page_error(self, error: Error) -> None:
        self.messages.append(f"pageerror: {error.message}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.messages.append(f"console.error: {message.text} ({where})")

    def unexpected(self, known: Iterable[str] = KNOWN_PAGE_ERRORS) -> list[str]:
        """Return the errors that contain none of the ``known`` substrings."""
        known = tuple(known)
        return [m for m in self.messages if not any(k in m for k in known)]

    def assert_none(self, known: Iterable[str] = KNOWN_PAGE_ERRORS) -> None:
        """Fail listing every error that is not a known, harmless one."""
        unexpected = self.unexpected(known)
        assert not unexpected, "unexpected page errors:\n" + "\n".join(unexpected)


def notebook_panel(page: Page) -> Locator:
    """The open notebook, without JupyterLab's file browser and menus.

    Find widget parts inside it: the file browser lists ``workers.ipynb`` as a
    button that ``get_by_role("button", name="Workers")`` also matches.
    """
    return page.locator(".jp-NotebookPanel").first


def notebook_cells(page: Page) -> Locator:
    """Every cell of the open notebook, in order."""
    return notebook_panel(page).locator(".jp-Notebook .jp-Cell")


def cell_output(page: Page, index: int) -> Locator:
    """The output area of the notebook's cell number ``index`` (from 0)."""
    return notebook_cells(page).nth(index).locator(".jp-OutputArea")


def notebook_outputs(page: Page) -> Locator:
    """The output areas of the open notebook, without the cells' source.

    Look for printed text here: ``page.get_by_text`` also matches the code.
    """
    return notebook_panel(page).locator(".jp-OutputArea")


def outputs_text(page: Page) -> str:
    """All the notebook's outputs as text, for assertions and failure messages."""
    return "\n".join(notebook_outputs(page).all_inner_texts())


def _prompts(page: Page) -> list[str]:
    prompts = page.locator(
        ".jp-NotebookPanel .jp-CodeCell .jp-InputArea .jp-InputPrompt"
    )
    return [text.strip() for text in prompts.all_inner_texts()]


def dismiss_news_toast(page: Page) -> bool:
    """Answer "No" to the Jupyter news toast if it shows; return whether it did."""
    button = page.locator(".Toastify").get_by_role("button", name="No", exact=True)
    try:
        if button.count() and button.first.is_visible():
            button.first.click(timeout=5_000)
            return True
    except Exception:  # the toast may leave while we look
        return False
    return False


def wait_for_kernel(
    server: JupyterServer, path: str, timeout: float = KERNEL_READY_TIMEOUT
) -> dict[str, Any]:
    """Wait until the page is connected to the notebook's kernel and it is idle.

    JupyterLab shows "idle" before the page's connection is up, so this asks
    the server: the kernel must have ``connections >= 1`` and be idle.
    """
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        session = server.session_for(path)
        if session is not None:
            kernel = session["kernel"]
            last = kernel
            connected = kernel.get("connections", 0) >= 1
            if connected and kernel.get("execution_state") == "idle":
                return session
        time.sleep(0.25)
    msg = (
        f"the kernel of {path} was not connected and idle within {timeout:.0f} s "
        f"(last seen: {last}).\n{server.log_tail()}"
    )
    raise HarnessError(msg)


def _click_run_all(page: Page) -> None:
    dismiss_news_toast(page)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    item = page.get_by_role("menuitem", name=re.compile(r"^Run All Cells"))
    item.first.click()


def _wait_for_prompt(page: Page, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(_PROMPT.search(p) for p in _prompts(page)):
            return True
        page.wait_for_timeout(200)
    return False


def open_notebook(page: Page, server: JupyterServer, path: str) -> None:
    """Open the notebook at server ``path`` and wait for its cells and kernel."""
    page.goto(server.notebook_url(path), wait_until="domcontentloaded")
    notebook_cells(page).first.wait_for(
        state="visible", timeout=KERNEL_READY_TIMEOUT * 1000
    )
    wait_for_kernel(server, path)
    dismiss_news_toast(page)


def run_all(page: Page, server: JupyterServer, path: str, *, wait: bool = True) -> None:
    """Run all cells from the Run menu; with ``wait``, until every cell ran.

    Checks that a prompt shows ``[*]`` or a number and retries once if not.
    Fails with the cells' outputs if a cell stops the run.
    """
    _click_run_all(page)
    if not _wait_for_prompt(page, PROMPT_APPEAR_TIMEOUT):
        dismiss_news_toast(page)
        _click_run_all(page)
        if not _wait_for_prompt(page, PROMPT_APPEAR_TIMEOUT):
            msg = f"Run All Cells did not start the cells: prompts {_prompts(page)}"
            raise HarnessError(msg)
    if wait:
        wait_until_ran(page, server, path)


def wait_until_ran(
    page: Page, server: JupyterServer, path: str, timeout: float = RUN_TIMEOUT
) -> None:
    """Wait until no cell is queued or running and the kernel is idle.

    Fails if a code cell was left unrun (an earlier cell raised) or the run
    does not end within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    prompts: list[str] = []
    while time.monotonic() < deadline:
        prompts = _prompts(page)
        if prompts and not any(_QUEUED.search(p) for p in prompts):
            session = server.session_for(path)
            idle = session is not None and (
                session["kernel"].get("execution_state") == "idle"
            )
            if idle and not any(_QUEUED.search(p) for p in _prompts(page)):
                break
        page.wait_for_timeout(250)
    else:
        msg = (
            f"the cells did not finish within {timeout:.0f} s: prompts {prompts}\n"
            f"outputs:\n{outputs_text(page)}"
        )
        raise HarnessError(msg)
    unrun = [i for i, p in enumerate(prompts) if not _NUMBERED.search(p)]
    if unrun:
        msg = (
            f"code cells {unrun} did not run (prompts {prompts}): an earlier cell "
            f"failed.\noutputs:\n{outputs_text(page)}"
        )
        raise HarnessError(msg)


def open_and_run(
    page: Page, server: JupyterServer, path: str, *, wait: bool = True
) -> None:
    """Open the notebook at server ``path``, wait for its kernel, run all cells.

    With ``wait`` (the default), returns once every cell has run.
    """
    open_notebook(page, server, path)
    run_all(page, server, path, wait=wait)
    dismiss_news_toast(page)


def assert_no_widget_errors(page: Page) -> None:
    """Fail if the widget manager wrote "Error displaying widget" anywhere."""
    errors = page.get_by_text("Error displaying widget")
    count = errors.count()
    assert count == 0, (
        f"{count} output(s) say 'Error displaying widget':\n{outputs_text(page)}"
    )


TRACEBACK = "Traceback (most recent call last)"


def assert_no_tracebacks(page: Page) -> None:
    """Fail if any output shows a Python traceback (a cell raised, or a log)."""
    text = outputs_text(page)
    assert TRACEBACK not in text, f"an output shows a traceback:\n{text}"


def save_screenshot(
    page: Page, folder: Path, name: str, locator: Locator | None = None
) -> Path:
    """Save a PNG of the page (or of ``locator``) as ``folder/name.png``.

    Also copies it into the folder named by ``MEMWIDGET_ARTIFACTS``, if set.
    """
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{safe}.png"
    if locator is None:
        page.screenshot(path=str(path), full_page=True)
    else:
        locator.screenshot(path=str(path))
    artifacts = os.environ.get(ARTIFACTS_ENV)
    if artifacts:
        target = Path(artifacts)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / path.name)
    return path


# --- more cells, printed data, settings ---------------------------------------


def prompts(page: Page) -> list[str]:
    """The input prompts of the open notebook's code cells, as shown."""
    return _prompts(page)


def cell_is_running(page: Page, index: int = -1) -> bool:
    """Whether the code cell at ``index`` shows ``[*]`` (queued or running)."""
    shown = _prompts(page)
    return bool(shown) and bool(_QUEUED.search(shown[index]))


def append_and_run_cell(page: Page, code: str) -> None:
    """Add a code cell holding ``code`` below the last cell and run it.

    Uses the keyboard as a user would (select the last cell, ``b``, type,
    Ctrl+Enter, which runs the cell without adding another below it), which
    works alike in JupyterLab and Notebook 7. Returns once
    the new cell shows ``[*]`` or a number; wait for the end with
    :func:`wait_until_ran`.
    """
    cells = notebook_cells(page)
    count = cells.count()
    dismiss_news_toast(page)
    cells.last.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    new_cell = cells.nth(count)
    new_cell.wait_for(state="visible")
    new_cell.locator(".jp-InputArea-editor").click()
    page.keyboard.insert_text(code)
    editor = new_cell.locator(".cm-content")
    deadline = time.monotonic() + PROMPT_APPEAR_TIMEOUT
    while editor.inner_text().strip() != code.strip():
        if time.monotonic() > deadline:
            msg = f"the new cell holds {editor.inner_text()!r}, not {code!r}"
            raise HarnessError(msg)
        page.wait_for_timeout(100)
    page.keyboard.press("Control+Enter")
    prompt = new_cell.locator(".jp-InputPrompt")
    deadline = time.monotonic() + PROMPT_APPEAR_TIMEOUT
    while not _PROMPT.search(prompt.inner_text()):
        if time.monotonic() > deadline:
            msg = f"the new cell did not start: prompt {prompt.inner_text()!r}"
            raise HarnessError(msg)
        page.wait_for_timeout(100)


def printed_json(page: Page, marker: str, timeout: float = RUN_TIMEOUT) -> Any:
    """Parse the JSON a cell printed on one line after ``marker`` and a space.

    Takes the last such line, so a later print of the same marker wins.
    """
    pattern = re.compile(re.escape(marker) + r" (.+)")
    deadline = time.monotonic() + timeout
    while True:
        found = pattern.findall(outputs_text(page))
        if found:
            return json.loads(found[-1])
        if time.monotonic() > deadline:
            msg = f"no output line starts with {marker!r}:\n{outputs_text(page)}"
            raise HarnessError(msg)
        page.wait_for_timeout(200)


def user_settings_path(server: JupyterServer, plugin: str) -> Path:
    """The user settings file of ``plugin`` ("package:name") in the server's world."""
    package, name = plugin.split(":")
    return server.base / "user-settings" / package / f"{name}.jupyterlab-settings"
