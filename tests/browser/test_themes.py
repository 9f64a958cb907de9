"""The widget follows JupyterLab's light and dark themes and stays legible.

Screenshots of both views in both themes, of the widget and of the page. The
theme is switched as a user would, from the Settings menu, and restored
afterwards so later tests see the default light theme.
"""

from __future__ import annotations

import contextlib
import json
import urllib.error

import pytest
from browser_cells import (
    CLUSTER_SETUP,
    DISTINCT_MEMORY,
    WIDGET_TIMEOUT,
    expect_view,
    view_button,
    widget_roots,
    worker_rows,
)
from jupyter_harness import (
    assert_no_tracebacks,
    assert_no_widget_errors,
    notebook_panel,
    open_and_run,
)
from playwright.sync_api import expect

THEMES_PLUGIN = "@jupyterlab/apputils-extension:themes"
LIGHT = "JupyterLab Light"
DARK = "JupyterLab Dark"
MIN_CONTRAST = 4.5

CELLS = [
    CLUSTER_SETUP,
    DISTINCT_MEMORY,
    """\
widget = MemoryWidget(client, interval=1, view="workers")
widget""",
]

# For each piece of text: its colour, the colour behind it (the first opaque
# background up the tree, with translucent ones blended over it), and the
# WCAG contrast ratio of the two. Translucent text is blended too.
CONTRAST = """(root) => {
  const parse = (css) => {
    const m = css.match(/^rgba?\\(([^)]*)\\)$/);
    if (m === null) throw new Error(`unexpected colour ${css}`);
    const [r, g, b, a] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a === undefined ? 1 : a];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const background = (element) => {
    const layers = [];
    for (let el = element; el !== null; el = el.parentElement) {
      const colour = parse(getComputedStyle(el).backgroundColor);
      if (colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 1) break;
      }
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const measure = (element) => {
    const bg = background(element);
    const fg = over(parse(getComputedStyle(element).color), bg);
    const [fgLum, bgLum] = [luminance(fg), luminance(bg)];
    const [hi, lo] = [fgLum, bgLum].sort((a, b) => b - a);
    return {
      fgLum,
      bgLum,
      fg: `rgb(${fg.slice(0, 3).map(Math.round).join(", ")})`,
      bg: `rgb(${bg.slice(0, 3).map(Math.round).join(", ")})`,
      ratio: (hi + 0.05) / (lo + 0.05),
    };
  };
  const pieces = {
    widget: root,
    "worker name": root.querySelector(".mw-body .mw-col-name"),
    "column header": root.querySelector(".mw-head [role='columnheader']"),
    "pressed toggle": root.querySelector(".mw-toggle [aria-pressed='true']"),
    "other toggle": root.querySelector(".mw-toggle [aria-pressed='false']"),
    "filter box": root.querySelector(".mw-filter"),
    "worker count": root.querySelector(".mw-count"),
    legend: root.querySelector(".mw-legend"),
    "cluster headline": root.querySelector(".mw-headline strong"),
    "connection state": root.querySelector(".mw-state"),
    "tooltip figure": root.querySelector("[role='tooltip'] dd"),
  };
  const out = {};
  for (const [name, element] of Object.entries(pieces)) {
    if (element === null) throw new Error(`no ${name} in the widget`);
    out[name] = measure(element);
  }
  return out;
}"""


def _theme_setting(server):
    settings = server.api("GET", f"lab/api/settings/{THEMES_PLUGIN}")
    return settings.get("settings", {}).get("theme")


def _choose_theme(page, theme):
    """Settings menu, Theme, then the theme, as a user picks one."""
    page.get_by_role("menuitem", name="Settings", exact=True).click()
    # A submenu: listed as a list item, not a menu item.
    page.locator(".lm-Menu").get_by_text("Theme", exact=True).click()
    page.get_by_role("menuitemcheckbox", name=theme, exact=True).or_(
        page.get_by_role("menuitem", name=theme, exact=True)
    ).click()


def _expect_theme(page, server, theme):
    body = page.locator("body")
    expect(body).to_have_attribute("data-jp-theme-name", theme)
    expect(body).to_have_attribute(
        "data-jp-theme-light", "true" if theme == LIGHT else "false"
    )
    # The choice was saved as the user's setting.
    for _ in range(120):  # up to 30 s: saving is asynchronous
        if _theme_setting(server) == theme:
            return
        page.wait_for_timeout(250)
    pytest.fail(f"the theme setting is {_theme_setting(server)!r}, not {theme!r}")


def _shoot_both_views(page, widget, screenshot, theme_name):
    colours = {}
    for view in ("workers", "cluster"):
        view_button(widget, view.capitalize()).click()
        expect_view(widget, view)
        page.mouse.move(0, 0)
        widget.scroll_into_view_if_needed()
        screenshot(f"{view}-{theme_name}", widget)
        screenshot(f"{view}-{theme_name}-page")
        colours[view] = widget.evaluate(CONTRAST)
    return colours


def _illegible(theme, colours):
    return {
        f"{theme} {view}: {piece}": measured
        for view, pieces in colours.items()
        for piece, measured in pieces.items()
        if measured["ratio"] < MIN_CONTRAST
    }


@pytest.fixture
def restore_light_theme(lab_server):
    """Put the theme back to JupyterLab's default after the test."""
    yield
    with contextlib.suppress(urllib.error.URLError, OSError):
        lab_server.api(
            "PUT",
            f"lab/api/settings/{THEMES_PLUGIN}",
            {"raw": json.dumps({"theme": LIGHT})},
        )


def test_light_and_dark_themes_are_followed_and_legible(
    page, lab_server, page_errors, screenshot, restore_light_theme
):
    path = lab_server.write_notebook("themes.ipynb", CELLS)
    open_and_run(page, lab_server, path)
    widget = widget_roots(notebook_panel(page)).first
    expect(widget).to_have_attribute("data-state", "live", timeout=WIDGET_TIMEOUT)
    expect(worker_rows(widget)).to_have_count(2)
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "true")

    light = _shoot_both_views(page, widget, screenshot, "light")
    _choose_theme(page, DARK)
    _expect_theme(page, lab_server, DARK)
    dark = _shoot_both_views(page, widget, screenshot, "dark")

    # The widget's own text and what is behind it change with the theme.
    for view in ("workers", "cluster"):
        for piece in ("widget", "worker name", "cluster headline"):
            assert light[view][piece]["fg"] != dark[view][piece]["fg"], piece
            assert light[view][piece]["bg"] != dark[view][piece]["bg"], piece
    # Dark text on a light page, light text on a dark one.
    for view in ("workers", "cluster"):
        assert light[view]["widget"]["fgLum"] < light[view]["widget"]["bgLum"]
        assert dark[view]["widget"]["fgLum"] > dark[view]["widget"]["bgLum"]

    # Every piece of text reads against its background in both themes.
    unreadable = {**_illegible("light", light), **_illegible("dark", dark)}
    assert not unreadable, f"contrast below {MIN_CONTRAST}:1: {unreadable}"

    # And back: the light theme returns.
    _choose_theme(page, LIGHT)
    _expect_theme(page, lab_server, LIGHT)

    assert_no_widget_errors(page)
    assert_no_tracebacks(page)
    page_errors.assert_none()
