"""The binary columns sent to the frontend each tick.

The layout is documented in ``docs/wire.md``; this module and
``js/src/wire.ts`` are its two ends.
"""

from __future__ import annotations

import struct
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

CODES = {"unknown": UNKNOWN_STATUS, **STATUS_CODES}
"""Every status name with a code of its own; the rest are ``OTHER_STATUS``."""

_LITTLE_ENDIAN = struct.pack("=H", 1) == struct.pack("<H", 1)


def status_code(status: str) -> int:
    """Return the wire code of a worker status name."""
    return CODES.get(status, OTHER_STATUS)


def encode_columns(tick: Tick) -> bytes:
    """Pack a tick's per-worker figures into fixed-width little-endian columns.

    The tick already holds them as typed columns, so this only joins their
    bytes: no work per worker in Python.
    """
    columns = [*tick.figures, tick.ages]
    if not _LITTLE_ENDIAN:  # pragma: no cover
        columns = [column[:] for column in columns]
        for column in columns:
            column.byteswap()
    header = HEADER.pack(VERSION, tick.workers, tick.generation, 0)
    return b"".join((header, *columns, tick.status, tick.flags))
