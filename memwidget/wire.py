"""The binary columns sent to the frontend each tick.

The layout is documented in ``docs/wire.md``; this module and
``js/src/wire.ts`` are its two ends.
"""

from __future__ import annotations

import struct
from array import array
from typing import TYPE_CHECKING

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


def encode_columns(tick: Tick) -> bytes:
    """Pack a tick's per-worker figures into fixed-width little-endian columns."""
    n = len(tick.rows)
    process = array("d", bytes(8 * n))
    in_memory = array("d", bytes(8 * n))
    spilled = array("d", bytes(8 * n))
    old = array("d", bytes(8 * n))
    disk = array("d", bytes(8 * n))
    age = array("f", bytes(4 * n))
    status = bytearray(n)
    flags = bytearray(n)
    for i, row in enumerate(tick.rows):
        status[i] = status_code(row.sample.status)
        if row.age is not None:
            age[i] = row.age
        b = row.breakdown
        if b is None:
            continue
        flags[i] = HAS_DATA if row.split_known else HAS_DATA | SPLIT_UNKNOWN
        process[i] = b.process
        in_memory[i] = b.managed_in_memory
        spilled[i] = b.managed_spilled
        old[i] = b.unmanaged_old
        disk[i] = b.spilled_disk
    columns = (process, in_memory, spilled, old, disk, age)
    if struct.pack("=H", 1) != struct.pack("<H", 1):  # pragma: no cover
        for column in columns:
            column.byteswap()
    header = HEADER.pack(VERSION, n, tick.generation, 0)
    return b"".join((header, *(c.tobytes() for c in columns), status, flags))
