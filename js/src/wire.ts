/**
 * Decoding of the synced traits, as docs/wire.md lays them out.
 *
 * Everything here is pure: values in, plain records out. Anything malformed
 * decodes to `null` or to zeros, never to an exception, because a widget
 * that throws in a notebook shows nothing at all.
 */

import type { Thresholds } from "./colour";

export const WIRE_VERSION = 1;
export const HEADER_BYTES = 16;
export const BYTES_PER_WORKER = 46;

export const HAS_DATA = 1;
export const SPLIT_UNKNOWN = 2;

export const STATUS_UNKNOWN = 0;
export const STATUS_RUNNING = 1;
export const STATUS_INIT = 6;

export const STATUS_NAMES: readonly string[] = [
  "unknown",
  "running",
  "paused",
  "closing_gracefully",
  "closing",
  "closed",
  "init",
  "other",
];

/** The breakdown's figures, in the order the tooltip lists them. */
export const FIGURES = [
  "process",
  "managed",
  "managed_in_memory",
  "managed_spilled",
  "unmanaged",
  "unmanaged_old",
  "unmanaged_recent",
  "optimistic",
  "spilled_disk",
] as const;

export type Figure = (typeof FIGURES)[number];

export type Breakdown = Record<Figure, number>;

export interface Columns {
  generation: number;
  n: number;
  process: Float64Array;
  managed_in_memory: Float64Array;
  managed_spilled: Float64Array;
  unmanaged_old: Float64Array;
  spilled_disk: Float64Array;
  age: Float32Array;
  status: Uint8Array;
  flags: Uint8Array;
}

export interface Worker {
  address: string;
  name: string;
  host: string;
  nthreads: number;
  memory_limit: number | null;
  /** What the UI calls the worker: its name, or its address if unnamed. */
  label: string;
  /** Lower-cased name, address and host, for the filter. */
  search: string;
}

export interface Identities {
  generation: number;
  workers: Worker[];
}

export interface Row extends Breakdown {
  /** Position in the kernel's worker order. */
  index: number;
  worker: Worker;
  memory_limit: number | null;
  age: number;
  status: number;
  hasData: boolean;
  splitUnknown: boolean;
}

export interface Cluster extends Breakdown {
  memory_limit: number | null;
  workers: number;
  workers_with_data: number;
}

export type ConnectionState = "connecting" | "live" | "stale" | "disconnected";

export interface Meta {
  tick: number;
  time: number;
  state: ConnectionState;
  message: string;
  window: number;
  interval: number;
  thresholds: Thresholds;
}

const STATES: readonly ConnectionState[] = [
  "connecting",
  "live",
  "stale",
  "disconnected",
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function finite(value: unknown, fallback = 0): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function text(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) {
    return String(value);
  }
  return typeof value === "string" ? value : "";
}

/** A limit of 0, null or anything not a positive number means no limit. */
export function limitOf(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? value
    : null;
}

function fraction(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function asDataView(data: unknown): DataView | null {
  if (ArrayBuffer.isView(data)) {
    return new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer) {
    return new DataView(data);
  }
  return null;
}

/** Decode `_columns`; `null` when empty, truncated or of another version. */
export function decodeColumns(data: unknown): Columns | null {
  const view = asDataView(data);
  if (view === null || view.byteLength < HEADER_BYTES) {
    return null;
  }
  if (view.getUint32(0, true) !== WIRE_VERSION) {
    return null;
  }
  const n = view.getUint32(4, true);
  if (view.byteLength < HEADER_BYTES + n * BYTES_PER_WORKER) {
    return null;
  }
  const float64 = (column: number): Float64Array => {
    const out = new Float64Array(n);
    const start = HEADER_BYTES + 8 * n * column;
    for (let i = 0; i < n; i++) {
      out[i] = view.getFloat64(start + 8 * i, true);
    }
    return out;
  };
  const age = new Float32Array(n);
  const status = new Uint8Array(n);
  const flags = new Uint8Array(n);
  const ageStart = HEADER_BYTES + 40 * n;
  const statusStart = HEADER_BYTES + 44 * n;
  const flagsStart = HEADER_BYTES + 45 * n;
  for (let i = 0; i < n; i++) {
    age[i] = view.getFloat32(ageStart + 4 * i, true);
    status[i] = view.getUint8(statusStart + i);
    flags[i] = view.getUint8(flagsStart + i);
  }
  return {
    generation: view.getUint32(8, true),
    n,
    process: float64(0),
    managed_in_memory: float64(1),
    managed_spilled: float64(2),
    unmanaged_old: float64(3),
    spilled_disk: float64(4),
    age,
    status,
    flags,
  };
}

/** Decode `_identities`; `null` until the kernel has sent any. */
export function parseIdentities(value: unknown): Identities | null {
  if (!isRecord(value) || !Array.isArray(value.workers)) {
    return null;
  }
  const workers = value.workers.map((entry: unknown): Worker => {
    const item = isRecord(entry) ? entry : {};
    const address = text(item.address);
    const name = text(item.name);
    const host = text(item.host);
    return {
      address,
      name,
      host,
      nthreads: finite(item.nthreads),
      memory_limit: limitOf(item.memory_limit),
      label: name === "" ? address : name,
      search: `${name}\n${address}\n${host}`.toLowerCase(),
    };
  });
  return { generation: finite(value.generation, -1), workers };
}

/**
 * Join the columns with the identities they describe.
 *
 * Returns `null` when the two belong to different generations (membership
 * changed and only one of them has arrived yet): the caller keeps showing
 * its previous rows until both agree.
 */
export function joinRows(
  columns: Columns | null,
  identities: Identities | null,
): Row[] | null {
  if (columns === null || identities === null) {
    return null;
  }
  if (
    columns.generation !== identities.generation ||
    columns.n !== identities.workers.length
  ) {
    return null;
  }
  const rows: Row[] = new Array(columns.n);
  for (let i = 0; i < columns.n; i++) {
    const worker = identities.workers[i];
    const process = columns.process[i];
    const managed_in_memory = columns.managed_in_memory[i];
    const managed_spilled = columns.managed_spilled[i];
    const unmanaged_old = columns.unmanaged_old[i];
    const unmanaged = process - managed_in_memory;
    const flags = columns.flags[i];
    rows[i] = {
      index: i,
      worker,
      memory_limit: worker.memory_limit,
      process,
      managed: managed_in_memory + managed_spilled,
      managed_in_memory,
      managed_spilled,
      unmanaged,
      unmanaged_old,
      unmanaged_recent: unmanaged - unmanaged_old,
      optimistic: managed_in_memory + unmanaged_old,
      spilled_disk: columns.spilled_disk[i],
      age: columns.age[i],
      status: columns.status[i],
      hasData: (flags & HAS_DATA) !== 0,
      splitUnknown: (flags & SPLIT_UNKNOWN) !== 0,
    };
  }
  return rows;
}

/** Decode `_cluster`; missing figures read as 0. */
export function parseCluster(value: unknown): Cluster {
  const item = isRecord(value) ? value : {};
  const figures = {} as Breakdown;
  for (const figure of FIGURES) {
    figures[figure] = finite(item[figure]);
  }
  return {
    ...figures,
    memory_limit: limitOf(item.memory_limit),
    workers: finite(item.workers),
    workers_with_data: finite(item.workers_with_data),
  };
}

/** Decode `_meta`; before the first tick it reads as "connecting". */
export function parseMeta(value: unknown): Meta {
  const item = isRecord(value) ? value : {};
  const thresholds = isRecord(item.thresholds) ? item.thresholds : {};
  const state = STATES.find((s) => s === item.state) ?? "connecting";
  return {
    tick: finite(item.tick),
    time: finite(item.time),
    state,
    message: text(item.message),
    window: finite(item.window, Number.NaN),
    interval: finite(item.interval, Number.NaN),
    thresholds: {
      target: fraction(thresholds.target),
      spill: fraction(thresholds.spill),
      pause: fraction(thresholds.pause),
      terminate: fraction(thresholds.terminate),
    },
  };
}

/**
 * The latest `_columns` and `_identities`, and the rows they last agreed
 * on: while membership changes and only one of the two has arrived, the
 * previous rows stay.
 */
export class RowSource {
  rows: Row[] = [];
  private columns: Columns | null = null;
  private identities: Identities | null = null;

  /** Take new columns; true when the rows changed. */
  setColumns(data: unknown): boolean {
    this.columns = decodeColumns(data);
    return this.join();
  }

  /** Take new identities; true when the rows changed. */
  setIdentities(value: unknown): boolean {
    this.identities = parseIdentities(value);
    return this.join();
  }

  private join(): boolean {
    const rows = joinRows(this.columns, this.identities);
    if (rows === null) {
      return false;
    }
    this.rows = rows;
    return true;
  }
}
