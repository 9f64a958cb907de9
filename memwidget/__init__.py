"""memwidget: where a Dask cluster's memory goes, live, in the notebook."""

from __future__ import annotations

from memwidget.breakdown import MemoryBreakdown
from memwidget.sources import DaskSource, ProcessSource, WorkerSample
from memwidget.widget import MemoryWidget

__version__ = "0.1.0"
__all__ = [
    "DaskSource",
    "MemoryBreakdown",
    "MemoryWidget",
    "ProcessSource",
    "WorkerSample",
    "__version__",
]
