"""Arguments checked once, with messages that name the fix."""

from __future__ import annotations

import math
from typing import Any

import dask.config
from dask.utils import parse_timedelta

THRESHOLDS = ("target", "spill", "pause", "terminate")


def seconds(name: str, value: object, *, allow_zero: bool) -> float:
    """Return ``value`` as seconds: a number, or a dask time string like ``"30s"``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        msg = (
            f"{name} must be a number of seconds or a time string such as "
            f"'30s', got {type(value).__name__} {value!r}"
        )
        raise TypeError(msg)
    try:
        result = (
            float(value)
            if not isinstance(value, str)
            else float(parse_timedelta(value, default="seconds"))
        )
    except (ValueError, KeyError, TypeError) as error:
        msg = (
            f"{name} must be a number of seconds or a time string such as "
            f"'30s', got {value!r}"
        )
        raise ValueError(msg) from error
    if not math.isfinite(result) or result < 0 or (result == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        msg = f"{name} must be {bound} seconds and finite, got {value!r}"
        raise ValueError(msg)
    return result


def default_window() -> float:
    """Return the window distributed itself uses, from the dask config."""
    value = dask.config.get("distributed.worker.memory.recent-to-old-time", "30s")
    return seconds(
        "distributed.worker.memory.recent-to-old-time", value, allow_zero=True
    )


def thresholds() -> dict[str, float | None]:
    """Return the worker memory policy fractions; ``None`` where turned off."""
    result: dict[str, float | None] = {}
    for name in THRESHOLDS:
        value: Any = dask.config.get(f"distributed.worker.memory.{name}", None)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        result[name] = float(value) if ok and value > 0 else None
    return result
