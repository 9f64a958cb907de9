"""The quickstart notebook runs top to bottom and shows every kind of memory."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.cluster
NOTEBOOKS = Path(__file__).parent.parent / "notebooks"


def test_quickstart_runs_and_shows_every_kind_of_memory(tmp_path):
    nb = nbformat.read(NOTEBOOKS / "quickstart.ipynb", as_version=4)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
        store_widget_state=True,
    ).execute()

    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors, errors

    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
    (model,) = [
        m["state"]
        for m in state["state"].values()
        if m["model_name"] == "AnyModel" and "_cluster" in m["state"]
    ]
    cluster = model["_cluster"]
    assert cluster["workers"] == cluster["workers_with_data"] == 4
    for kind in (
        "managed_in_memory",
        "managed_spilled",
        "unmanaged_old",
        "unmanaged_recent",
        "spilled_disk",
    ):
        assert cluster[kind] > 150 * 2**20, (kind, repr(cluster))
    assert model["view"] == "workers"
    assert model["_meta"]["state"] == "live"
