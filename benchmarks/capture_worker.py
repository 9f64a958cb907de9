"""Capture one real worker's ``identity()`` entry, the shape synthetic ones copy.

Starts a one-worker LocalCluster, gives it one array to hold, waits for a
heartbeat and writes the worker's entry of ``scheduler_info(n_workers=-1)`` to
``benchmarks/real_worker.json``. Run once; the file is committed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

OUT = Path(__file__).with_name("real_worker.json")


def main() -> None:
    import dask
    import distributed
    import numpy as np
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        held = client.submit(np.ones, 10_000_000)
        held.result()
        time.sleep(2.5)
        info = client.scheduler_info(n_workers=-1)
        ((address, worker),) = info["workers"].items()
    record = {
        "command": " ".join([".venv/bin/python", *sys.argv]),
        "distributed": distributed.__version__,
        "dask": dask.__version__,
        "address": address,
        "worker": worker,
    }
    OUT.write_text(json.dumps(record, indent=1, default=repr) + "\n")
    print(f"wrote {OUT}")
    print("command:", record["command"])


if __name__ == "__main__":
    main()
