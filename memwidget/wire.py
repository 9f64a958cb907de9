"""The binary columns sent to the frontend each tick.

The layout is documented in ``docs/wire.md``; this module and
``js/src/wire.ts`` are its two ends.
"""

from __future__ import annotations

import struct
from array import array
from operator import attrgetter
from typing import TYPE_CHECKING

from memwidget.breakdown import EMPTY

if TYPE_CHECKING:
    from memwidget.tracker import Tick

VERSION = 1
HEADER = struct.Struct("<4I")
BYTES_PER_WORKER = 5 * 8 + 4 + 1 + 1

HAS_DATA = 1
SPLIT_UNKNOWN = 2

STATUS_CODES = {
    "running": 1,
    "paused": 2,
    "closing_gracefully": 3,
    "closing": 4,
    "closed": 5,
    "init": 6,
}
UNKNOWN_STATUS = 0
OTHER_STATUS = 7


def status_code(status: str) -> int:
    """Return the wire code of a worker status name."""
    if status == "unknown":
        return UNKNOWN_STATUS
    return STATUS_CODES.get(status, OTHER_STATUS)


_CODES = {"unknown": UNKNOWN_STATUS, **STATUS_CODES}


def encode_columns(tick: Tick) -> bytes:
    """Pack a tick's per-worker figures into fixed-width little-endian columns.

    One pass per column, each in C where Python allows (``map`` with
    ``attrgetter`` into ``array``): a per-row loop in Python costs several
    times more at thousands of workers.
    """
    rows = tick.rows
    n = len(rows)
    breakdowns = [EMPTY if r.breakdown is None else r.breakdown for r in rows]
    columns = [
        array("d", map(attrgetter(name), breakdowns))
        for name in (
            "process",
            "managed_in_memory",
            "managed_spilled",
            "unmanaged_old",
            "spilled_disk",
        )
    ]
    columns.append(array("f", [0.0 if r.age is None else r.age for r in rows]))
    codes = _CODES.get
    status = bytearray([codes(r.sample.status, OTHER_STATUS) for r in rows])
    flags = bytearray(
        [
            0 if r.breakdown is None else HAS_DATA if r.split_known else _NO_SPLIT
            for r in rows
        ]
    )
    if struct.pack("=H", 1) != struct.pack("<H", 1):  # pragma: no cover
        for column in columns:
            column.byteswap()
    header = HEADER.pack(VERSION, n, tick.generation, 0)
    return b"".join((header, *(c.tobytes() for c in columns), status, flags))


_NO_SPLIT = HAS_DATA | SPLIT_UNKNOWN
