"""Fixtures for tests that drive JupyterLab and Notebook 7 in headless Chromium.

Servers and the browser are started once per session; each test gets a fresh
browser context (``page``), and the kernels it started are shut down after it.
Tests parametrised by ``jupyter_server`` run once in each of JupyterLab and
Notebook 7.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyter_harness import (
    CHROMIUM_ARGS,
    KINDS,
    HarnessError,
    JupyterServer,
    PageErrors,
    browser_environment,
    find_chromium,
    save_screenshot,
    start_server,
)
from playwright.sync_api import expect

# Assertions wait longer than Playwright's 5 s: the machine may be busy.
expect.set_options(timeout=15_000)

_HERE = Path(__file__).parent.resolve()
_RUNNING: list[JupyterServer] = []


def pytest_collection_modifyitems(items):
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    """The Chromium executable: ``$MEMWIDGET_CHROMIUM`` or /usr/bin/chromium."""
    try:
        return find_chromium()
    except HarnessError as error:
        message = str(error)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def playwright_session():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session, chromium_path, tmp_path_factory):
    """Headless Chromium, shared by the session."""
    browser = playwright_session.chromium.launch(
        executable_path=chromium_path,
        headless=True,
        args=list(CHROMIUM_ARGS),
        env=browser_environment(tmp_path_factory.mktemp("chromium-home")),
    )
    yield browser
    browser.close()


def _server(kind, tmp_path_factory):
    server = start_server(kind, tmp_path_factory.mktemp(f"jupyter-{kind}"))
    _RUNNING.append(server)
    return server


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """A running ``jupyter lab`` in a temporary world."""
    server = _server("lab", tmp_path_factory)
    yield server
    _RUNNING.remove(server)
    server.stop()


@pytest.fixture(scope="session")
def notebook_server(tmp_path_factory):
    """A running Notebook 7 (``jupyter notebook``) in a temporary world."""
    server = _server("notebook", tmp_path_factory)
    yield server
    _RUNNING.remove(server)
    server.stop()


@pytest.fixture(scope="session", params=KINDS)
def jupyter_server(request):
    """Each of JupyterLab and Notebook 7 in turn."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(autouse=True)
def _shutdown_kernels_after_test():
    """Stop the kernels (and their LocalClusters) a test started."""
    yield
    for server in _RUNNING:
        server.shutdown_kernels()


@pytest.fixture
def page_errors():
    """The page's uncaught errors and console errors; see ``PageErrors``."""
    return PageErrors()


@pytest.fixture
def page(browser, page_errors):
    """A fresh page in its own browser context, its errors watched."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page_errors.watch(page)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, tmp_path, request):
    """``screenshot(name="page", locator=None) -> Path`` under the test's tmp_path.

    Named after the test, and copied into ``$MEMWIDGET_ARTIFACTS`` if set.
    """

    def take(name="page", locator=None):
        return save_screenshot(
            page, tmp_path, f"{request.node.name}-{name}", locator=locator
        )

    return take
