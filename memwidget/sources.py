"""Where the raw memory figures come from: a Dask cluster, or this machine.

A source turns whatever its backend reports into :class:`WorkerSample`
records, accepting the field names of every distributed release since 2022
and never raising on bad data: a record it cannot read becomes a sample with
no data. Sources know nothing about Jupyter.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
import time
from dataclasses import dataclass
from itertools import compress
from operator import ne
from typing import TYPE_CHECKING, Any, Protocol

import psutil

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from distributed import Client
    from distributed.core import PooledRPCCall, rpc

    SchedulerRPC = rpc | PooledRPCCall

MAX_BYTES = 2**53
"""Figures above this are implausible (8 PiB) and not exact as float64."""


class SourceError(Exception):
    """The source could not be read this time: the scheduler is gone or slow."""


@dataclass(frozen=True, slots=True)
class WorkerSample:
    """One worker's raw figures, as read from its latest heartbeat.

    ``process is None`` means the worker has sent no usable sample: a row with
    no data. ``managed_bytes is None`` means the heartbeat cannot split
    managed from unmanaged memory (releases before 2022.10 without the
    scheduler's ``nbytes``).
    """

    address: str
    name: str = ""
    host: str = ""
    nthreads: int = 0
    memory_limit: int | None = None
    status: str = "unknown"
    time: float | None = None
    process: int | None = None
    managed_bytes: int | None = None
    spilled: int = 0
    spilled_disk: int = 0

    @property
    def has_data(self) -> bool:
        """Whether the sample carries a usable process figure."""
        return self.process is not None


_SETTERS = tuple(getattr(WorkerSample, name).__set__ for name in WorkerSample.__slots__)


def _new_sample(  # noqa: PLR0917 - one argument per field
    address: str,
    name: str,
    host: str,
    nthreads: int,
    memory_limit: int | None,
    status: str,
    time: float | None,
    process: int | None = None,
    managed_bytes: int | None = None,
    spilled: int = 0,
    spilled_disk: int = 0,
) -> WorkerSample:
    """Build a sample as ``WorkerSample(...)`` does, in half the time.

    A frozen dataclass sets each field with ``object.__setattr__``; the slots'
    own descriptors are faster, which counts for the hundreds of samples a
    large cluster's read builds at every tick.
    """
    sample: WorkerSample = object.__new__(WorkerSample)
    (a, b, c, d, e, f, g, h, i, j, k) = _SETTERS
    a(sample, address)
    b(sample, name)
    c(sample, host)
    d(sample, nthreads)
    e(sample, memory_limit)
    f(sample, status)
    g(sample, time)
    h(sample, process)
    i(sample, managed_bytes)
    j(sample, spilled)
    k(sample, spilled_disk)
    return sample


class Source(Protocol):
    """Anything that can report every worker's raw memory figures."""

    def read(self, timeout: float) -> list[WorkerSample]:
        """Return one sample per worker, or raise :class:`SourceError`."""
        ...

    def close(self) -> None:
        """Release what the source holds; reading after this is an error."""
        ...


def _bytes(value: object) -> int | None:
    """Return ``value`` as a byte count, or ``None`` where it is not one."""
    if type(value) is int:  # what every release sends
        return value if 0 <= value <= MAX_BYTES else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not 0 <= value <= MAX_BYTES:
        return None
    return int(value)


def _limit(value: object) -> int | None:
    limit = _bytes(value)
    return limit or None


def _time(value: object) -> float | None:
    if isinstance(value, int | float) and math.isfinite(value):
        return value
    return None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def parse_worker(address: object, info: object) -> WorkerSample:
    """Read one worker's entry of the scheduler's ``identity()``.

    Never raises: a record that is not what any release sends gives a sample
    with no data, keeping whatever identity it could read.
    """
    if not isinstance(info, dict):
        return WorkerSample(address=_text(address))
    metrics = info.get("metrics")
    if not isinstance(metrics, dict):
        metrics = {}
    flags = _HAS_MANAGED if "managed_bytes" in metrics else 0
    spilled = metrics.get("spilled_bytes", metrics.get("spilled_nbytes"))
    spilled_disk: object = 0
    if spilled is not None:
        flags |= _HAS_SPILLED
        if isinstance(spilled, dict):
            spilled, spilled_disk = spilled.get("memory", 0), spilled.get("disk", 0)
    return _sample(
        address,
        info.get("name", ""),
        info.get("host", ""),
        info.get("nthreads"),
        info.get("memory_limit"),
        info.get("status"),
        info.get("nbytes"),
        flags,
        metrics.get("memory"),
        metrics.get("managed_bytes"),
        spilled,
        spilled_disk,
        metrics.get("time"),
    )


_HAS_MANAGED = 1
"""The heartbeat has ``managed_bytes`` (distributed 2022.10 and later)."""
_HAS_SPILLED = 2
"""The heartbeat has ``spilled_bytes`` or ``spilled_nbytes``."""


def _sample(  # noqa: PLR0917 - one argument per column of the lean read
    address: object,
    name: object,
    host: object,
    nthreads: object,
    memory_limit: object,
    status: object,
    nbytes: object,
    flags: object,
    memory: object,
    managed_bytes: object,
    spilled: object,
    spilled_disk: object,
    sample_time: object,
) -> WorkerSample:
    """Build a sample from one worker's raw inputs, as the lean read lists them.

    ``spilled`` and ``spilled_disk`` are the heartbeat's ``{"memory",
    "disk"}``, or the one integer of releases before 2022.02 and 0.
    """
    # Each check has a fast path first for what every release sends.
    if not (
        type(address) is str and type(host) is str and type(status) is str and status
    ):
        address, host = _text(address), _text(host)
        status = _text(getattr(status, "name", status) if status else "unknown")
    name = name if type(name) is str else _text(name)  # LocalCluster's are ints
    if not (isinstance(nthreads, int) and nthreads > 0):
        nthreads = 0
    if not (type(memory_limit) is int and 0 < memory_limit <= MAX_BYTES):
        memory_limit = _limit(memory_limit)
    sample_time = _time(sample_time)
    flags = flags if isinstance(flags, int) else 0
    process = _bytes(memory)
    spilled_bytes: int | None = 0
    disk_bytes: int | None = 0
    if flags & _HAS_SPILLED:
        spilled_bytes, disk_bytes = _bytes(spilled), _bytes(spilled_disk)
    if flags & _HAS_MANAGED:
        managed = _bytes(managed_bytes)
        if managed is None:
            process = None
    else:
        # Releases before 2022.10: the scheduler's own count of every key the
        # worker holds, in memory and spilled, where a lean read fetched it.
        managed = _bytes(nbytes)
    if process is None or spilled_bytes is None or disk_bytes is None:
        return _new_sample(
            address, name, host, nthreads, memory_limit, status, sample_time
        )
    return _new_sample(
        address,
        name,
        host,
        nthreads,
        memory_limit,
        status,
        sample_time,
        process,
        managed,
        spilled_bytes,
        disk_bytes,
    )


class ReplyCache:
    """The previous lean reply, and the samples read from it.

    A worker whose inputs did not change since (most of them, in a large
    cluster, whose workers send a heartbeat every few tens of seconds) keeps
    its sample object, which :class:`~memwidget.tracker.Tracker` then need
    not recompute.
    """

    __slots__ = ("columns", "samples")

    def __init__(self) -> None:
        self.columns: list[list[Any]] = []
        self.samples: list[WorkerSample] = []


def parse_identity(
    identity: object, cache: ReplyCache | None = None
) -> list[WorkerSample]:
    """Read every worker of a scheduler's ``identity()`` or lean reply.

    Parameters
    ----------
    identity
        ``{"workers": {address: info}}``, as ``identity()`` answers, or
        ``{"columns": {name: [value per worker]}}``, as the lean read does.
    cache
        For lean replies: the previous reply and its samples, replaced here
        by this reply's.
    """
    if isinstance(identity, dict) and isinstance(identity.get("columns"), dict):
        return _parse_columns(identity["columns"], cache)
    workers = identity.get("workers") if isinstance(identity, dict) else None
    if not isinstance(workers, dict):
        msg = f"the scheduler's reply has no workers table: {type(identity)}"
        raise SourceError(msg)
    return [parse_worker(address, info) for address, info in workers.items()]


LEAN_COLUMNS = (
    "address",
    "name",
    "host",
    "nthreads",
    "memory_limit",
    "status",
    "nbytes",
    "flags",
    "memory",
    "managed_bytes",
    "spilled",
    "spilled_disk",
    "time",
)
"""The lean reply's columns, in the order of :func:`_sample`'s arguments."""

_MOST_CHANGING = sorted(
    range(1, len(LEAN_COLUMNS)), key=lambda c: LEAN_COLUMNS[c] != "time"
)
"""Every column but the address, the one that changes with each heartbeat first."""


def _parse_columns(
    columns: dict[str, Any], cache: ReplyCache | None
) -> list[WorkerSample]:
    try:
        lists = [columns[name] for name in LEAN_COLUMNS]
        lists = [c if type(c) is list else list(c) for c in lists]
    except (KeyError, TypeError) as error:
        msg = f"the scheduler's lean reply is malformed: {error!r}"
        raise SourceError(msg) from error
    n = len(lists[0])
    if any(len(c) != n for c in lists):
        msg = "the scheduler's lean reply is malformed: columns of unequal lengths"
        raise SourceError(msg)
    if cache is None:
        return [_sample(*raw) for raw in zip(*lists, strict=True)]
    try:
        # Equal inputs give an equal sample. (1, 1.0 and True are equal but
        # not equal inputs; no release sends a figure's type changing from
        # one heartbeat to the next.)
        if cache.columns and cache.columns[0] == lists[0]:
            samples = cache.samples[:]
            changed = _changed_rows(lists, cache.columns)
            picked = [list(map(column.__getitem__, changed)) for column in lists]
            rows = zip(*picked, strict=True)
            for i, raw in zip(changed, rows, strict=True):
                samples[i] = _sample(*raw)
        else:
            samples = _reuse_by_address(lists, cache)
    except (TypeError, ValueError):  # a value that cannot be compared
        samples = [_sample(*raw) for raw in zip(*lists, strict=True)]
        lists = []
    cache.columns = lists
    cache.samples = samples
    return samples


def _changed_rows(new: list[list[Any]], old: list[list[Any]]) -> list[int]:
    """Return the rows where two replies of the same workers differ.

    Each column is compared whole first, in C; only a column that differs is
    searched, and only outside the rows already known to differ, which is
    where a heartbeat changes most columns at once.

    Still a pass over every worker's inputs, and the reply still carries
    them all: a handler answering only the workers whose inputs changed since
    the previous read would make both cost what the new heartbeats cost.
    """
    n = len(new[0])
    changed: list[int] | None = None
    for c in _MOST_CHANGING:
        column, before = new[c], old[c]
        if column == before:
            continue
        if changed is not None:
            patched = column[:]
            for i in changed:
                patched[i] = before[i]
            if patched == before:
                continue
        found = compress(range(n), map(ne, column, before))
        changed = sorted({*changed, *found}) if changed else list(found)
        if len(changed) == n:
            break
    return changed or []


def _reuse_by_address(lists: list[list[Any]], cache: ReplyCache) -> list[WorkerSample]:
    """Read a reply whose workers changed, keeping the samples of the others."""
    where = (
        {address: i for i, address in enumerate(cache.columns[0])}
        if (cache.columns)
        else {}
    )
    before = list(zip(*cache.columns, strict=True))
    kept = cache.samples
    samples = []
    for raw in zip(*lists, strict=True):
        i = where.get(raw[0])
        samples.append(kept[i] if i is not None and before[i] == raw else _sample(*raw))
    return samples


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


LEAN_HANDLER = "memwidget_memory_columns"
"""The scheduler RPC that the lean read installs and then calls."""

_INSTALLED_ON: set[str] = set()
"""Addresses of the schedulers this kernel has installed the handler on."""

# Compiled into a module of its own that cannot be imported, so that
# cloudpickle sends these functions by value: the scheduler does not need
# memwidget installed. Keep it to the standard library and attributes that
# every WorkerState since 2022 has.
_LEAN_CODE = f"""
def memory_inputs(scheduler):
    columns = {{name: [] for name in {LEAN_COLUMNS!r}}}
    (address, name, host, nthreads, memory_limit, status, nbytes, flags, memory,
     managed_bytes, spilled, spilled_disk, sample_time) = columns.values()
    for key, ws in scheduler.workers.items():
        metrics = ws.metrics if isinstance(ws.metrics, dict) else {{}}
        address.append(key)
        name.append(ws.name)
        host.append(ws.host)
        nthreads.append(ws.nthreads)
        memory_limit.append(ws.memory_limit)
        status.append(getattr(ws.status, "name", ws.status))
        nbytes.append(ws.nbytes)
        flag = {_HAS_MANAGED} if "managed_bytes" in metrics else 0
        raw = metrics.get("spilled_bytes", metrics.get("spilled_nbytes"))
        disk = 0
        if raw is not None:
            flag |= {_HAS_SPILLED}
            if isinstance(raw, dict):
                raw, disk = raw.get("memory", 0), raw.get("disk", 0)
        flags.append(flag)
        memory.append(metrics.get("memory"))
        managed_bytes.append(metrics.get("managed_bytes"))
        spilled.append(raw)
        spilled_disk.append(disk)
        sample_time.append(metrics.get("time"))
    return {{"columns": columns}}


def install(dask_scheduler):
    def {LEAN_HANDLER}():
        return memory_inputs(dask_scheduler)

    dask_scheduler.handlers["{LEAN_HANDLER}"] = {LEAN_HANDLER}
    return True
"""


def _lean_functions() -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "memwidget_on_scheduler"}
    exec(compile(_LEAN_CODE, "<memwidget_on_scheduler>", "exec"), namespace)  # noqa: S102
    return namespace


class DaskSource:
    """Reads every worker's figures from a Dask scheduler.

    One scheduler call per read, run on the client's own event loop and
    bounded by a timeout, so that a dead or slow scheduler costs one timeout
    and not distributed's 30 s connect retries.

    Parameters
    ----------
    client
        A ``distributed.Client``, synchronous or asynchronous, running.
    lean
        Read only the figures memwidget needs, through a small handler this
        source installs on the scheduler once (a few bytes per worker instead
        of every worker's whole metrics). Where the scheduler refuses it (no
        pickled functions allowed), the source falls back, once and for good,
        to ``identity(n_workers=-1)``, which every scheduler answers.

    Notes
    -----
    ``identity`` is called with ``n_workers=-1``: distributed 2025.4 to 2026.6
    otherwise return only 5 workers.
    """

    def __init__(self, client: Client, *, lean: bool = True) -> None:
        from distributed import Client

        if not isinstance(client, Client):
            msg = (
                "client must be a distributed.Client, got "
                f"{type(client).__name__}; make one with "
                "`from distributed import Client; client = Client()`"
            )
            raise TypeError(msg)
        if client.status in {"closing", "closed"}:
            msg = (
                "the client is closed; make a new one with "
                "`client = Client(<scheduler address>)` and pass it in"
            )
            raise ValueError(msg)
        self.client = client
        self.lean = lean
        self._samples = ReplyCache()

    @property
    def status(self) -> str:
        """The client's connection status, as distributed reports it."""
        return str(self.client.status)

    async def _identity(self) -> object:
        scheduler = self.client.scheduler
        if scheduler is None:
            msg = "the client has no scheduler connection"
            raise SourceError(msg)
        if self.lean:
            try:
                return await self._lean_identity(scheduler)
            except (OSError, asyncio.TimeoutError):
                raise
            except Exception as error:  # noqa: BLE001 - any refusal means fall back
                logger.info(
                    "memwidget: the scheduler refused the lean read (%s: %s); "
                    "reading its full identity instead",
                    type(error).__name__,
                    error,
                )
                self.lean = False
        return await scheduler.identity(n_workers=-1)

    async def _lean_identity(self, scheduler: SchedulerRPC) -> object:
        address = str(scheduler.address)
        if address not in _INSTALLED_ON:
            # Once per scheduler and kernel, however many widgets: each
            # install is a logged event on the scheduler.
            await self._install(scheduler)
            _INSTALLED_ON.add(address)
        try:
            reply = await getattr(scheduler, LEAN_HANDLER)()
        except (OSError, asyncio.TimeoutError):
            raise
        except Exception:  # noqa: BLE001 - reinstall below
            reply = None
        if not isinstance(reply, dict):
            # A new scheduler at the same address, without the handler: it
            # answers an unknown call with None (recent releases) or an error.
            await self._install(scheduler)
            reply = await getattr(scheduler, LEAN_HANDLER)()
        return reply

    async def _install(self, scheduler: SchedulerRPC) -> None:
        from distributed.protocol.pickle import dumps

        response = await scheduler.run_function(
            function=dumps(_lean_functions()["install"]),  # type: ignore[no-untyped-call]
            args=dumps(()),  # type: ignore[no-untyped-call]
            kwargs=dumps({}),  # type: ignore[no-untyped-call]
            wait=True,
        )
        if response.get("status") != "OK":
            msg = f"installing the lean read failed: {response.get('exception')}"
            raise SourceError(msg)

    def read(self, timeout: float) -> list[WorkerSample]:
        """Return every worker's sample, or raise :class:`SourceError`."""
        from distributed.utils import sync

        # Client.scheduler_info() would hide a dead scheduler behind its
        # cached copy; asking the client's status first never blocks.
        status = self.status
        if status != "running":
            msg = f"the client is {status}"
            raise SourceError(msg)
        loop = self.client.loop
        if loop is None:
            msg = "the client has no event loop"
            raise SourceError(msg)
        if _running_loop() is getattr(loop, "asyncio_loop", None):
            # Waiting here would block the very loop that must answer.
            msg = "cannot read synchronously from the client's own event loop"
            raise SourceError(msg)
        try:
            reply = sync(loop, self._identity, callback_timeout=timeout)
        except SourceError:
            raise
        except (OSError, TimeoutError, RuntimeError) as error:
            msg = f"the scheduler did not answer: {error or type(error).__name__}"
            raise SourceError(msg) from error
        except Exception as error:
            msg = f"the scheduler call failed: {type(error).__name__}: {error}"
            raise SourceError(msg) from error
        return parse_identity(reply, self._samples)

    def close(self) -> None:
        """Forget the client; the client itself belongs to the caller."""


class ProcessSource:
    """Reads this kernel's process and its children with psutil.

    For use without a Dask cluster: each process is a row, with all its memory
    unmanaged (nothing here is Dask's).
    """

    def __init__(self, pid: int | None = None) -> None:
        self.process = psutil.Process(pid if pid is not None else os.getpid())

    def read(self, timeout: float) -> list[WorkerSample]:  # noqa: ARG002
        """Return one sample for the process and one for each descendant."""
        samples = []
        limit = psutil.virtual_memory().total
        try:
            processes = [self.process, *self.process.children(recursive=True)]
        except psutil.Error as error:
            msg = f"cannot read process {self.process.pid}: {error}"
            raise SourceError(msg) from error
        now = time.time()
        for proc in processes:
            try:
                with proc.oneshot():
                    rss = proc.memory_info().rss
                    name = proc.name()
            except psutil.Error:
                continue
            samples.append(
                WorkerSample(
                    address=f"pid://{proc.pid}",
                    name=f"{name} ({proc.pid})",
                    host=socket.gethostname(),
                    nthreads=1,
                    memory_limit=limit,
                    status="running",
                    time=now,
                    process=rss,
                    managed_bytes=0,
                )
            )
        return samples

    def close(self) -> None:
        """Nothing to release."""
