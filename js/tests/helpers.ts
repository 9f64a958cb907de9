/** Test fixtures: wire buffers built by hand, and a fake widget model. */

import type { AnyModel } from "@anywidget/types";
import type { WidgetModel } from "../src/index";

export interface FakeWorker {
  address: string;
  name: string;
  host: string;
  nthreads: number;
  memory_limit: number | null;
  process: number;
  managed_in_memory: number;
  managed_spilled: number;
  unmanaged_old: number;
  spilled_disk: number;
  age: number;
  status: number;
  flags: number;
}

export const GiB = 2 ** 30;

let counter = 0;

/** A running worker with data and a 4 GiB limit, overridden by `fields`. */
export function worker(fields: Partial<FakeWorker> = {}): FakeWorker {
  counter += 1;
  return {
    address: `tcp://10.0.0.${counter}:4000${counter % 10}`,
    name: `worker-${counter}`,
    host: `10.0.0.${counter}`,
    nthreads: 2,
    memory_limit: 4 * GiB,
    process: 1 * GiB,
    managed_in_memory: 0.25 * GiB,
    managed_spilled: 0,
    unmanaged_old: 0.5 * GiB,
    spilled_disk: 0,
    age: 0.5,
    status: 1,
    flags: 1,
    ...fields,
  };
}

/** `_columns` exactly as docs/wire.md lays it out. */
export function columns(
  workers: readonly FakeWorker[],
  generation = 1,
  version = 1,
): DataView {
  const n = workers.length;
  // An offset into a larger buffer, as a DataView from a comm message may be.
  const pad = 3;
  const buffer = new ArrayBuffer(pad + 16 + 46 * n);
  const view = new DataView(buffer, pad);
  view.setUint32(0, version, true);
  view.setUint32(4, n, true);
  view.setUint32(8, generation, true);
  view.setUint32(12, 0, true);
  const float64 = [
    "process",
    "managed_in_memory",
    "managed_spilled",
    "unmanaged_old",
    "spilled_disk",
  ] as const;
  workers.forEach((w, i) => {
    float64.forEach((field, column) => {
      view.setFloat64(16 + 8 * n * column + 8 * i, w[field], true);
    });
    view.setFloat32(16 + 40 * n + 4 * i, w.age, true);
    view.setUint8(16 + 44 * n + i, w.status);
    view.setUint8(16 + 45 * n + i, w.flags);
  });
  return view;
}

export function identities(workers: readonly FakeWorker[], generation = 1) {
  return {
    generation,
    workers: workers.map(({ address, name, host, nthreads, memory_limit }) => ({
      address,
      name,
      host,
      nthreads,
      memory_limit,
    })),
  };
}

/** `_cluster` summed from workers, as the kernel does. */
export function cluster(workers: readonly FakeWorker[]) {
  const sum = (f: (w: FakeWorker) => number) =>
    workers.reduce((total, w) => total + f(w), 0);
  const process = sum((w) => w.process);
  const managed_in_memory = sum((w) => w.managed_in_memory);
  const managed_spilled = sum((w) => w.managed_spilled);
  const unmanaged_old = sum((w) => w.unmanaged_old);
  const unmanaged = process - managed_in_memory;
  const limited = workers.every((w) => w.memory_limit !== null);
  return {
    process,
    managed: managed_in_memory + managed_spilled,
    managed_in_memory,
    managed_spilled,
    unmanaged,
    unmanaged_old,
    unmanaged_recent: unmanaged - unmanaged_old,
    optimistic: managed_in_memory + unmanaged_old,
    spilled_disk: sum((w) => w.spilled_disk),
    memory_limit: limited ? sum((w) => w.memory_limit ?? 0) : null,
    workers: workers.length,
    workers_with_data: workers.filter((w) => w.flags & 1).length,
  };
}

export const THRESHOLDS = {
  target: 0.6,
  spill: 0.7,
  pause: 0.8,
  terminate: 0.95,
};

export function meta(fields: Record<string, unknown> = {}) {
  return {
    tick: 1,
    time: 1_700_000_000,
    state: "live",
    message: "",
    window: 30,
    interval: 1,
    thresholds: THRESHOLDS,
    ...fields,
  };
}

/** Every trait of one tick, for `FakeModel.receive` or the initial state. */
export function tick(workers: readonly FakeWorker[], generation = 1) {
  return {
    _identities: identities(workers, generation),
    _columns: columns(workers, generation),
    _cluster: cluster(workers),
    _meta: meta(),
  };
}

type Handler = (...args: unknown[]) => void;

/** A widget model with Backbone's event semantics, enough for the widget. */
export class FakeModel {
  readonly state: Record<string, unknown>;
  readonly saved: Record<string, unknown>[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Fire only `change:<trait>`, no plain `change`, as some hosts do. */
  quiet = false;

  constructor(state: Record<string, unknown> = {}) {
    this.state = { view: "cluster", ...state };
  }

  get(key: string): unknown {
    return this.state[key];
  }

  set(key: string, value: unknown): void {
    this.receive({ [key]: value });
  }

  save_changes(): void {
    this.saved.push({ ...this.state });
  }

  on(event: string, handler: Handler): void {
    let set = this.handlers.get(event);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
  }

  off(event?: string | null, handler?: Handler | null): void {
    if (event == null) {
      this.handlers.clear();
    } else if (handler == null) {
      this.handlers.delete(event);
    } else {
      this.handlers.get(event)?.delete(handler);
    }
  }

  /** A message from the kernel: set every trait, then fire the changes. */
  receive(update: Record<string, unknown>): void {
    const changed = Object.keys(update).filter(
      (key) => this.state[key] !== update[key],
    );
    Object.assign(this.state, update);
    for (const key of changed) {
      for (const handler of this.handlers.get(`change:${key}`) ?? []) {
        handler();
      }
    }
    // Backbone then fires one plain `change` for the whole set.
    if (changed.length > 0 && !this.quiet) {
      for (const handler of this.handlers.get("change") ?? []) {
        handler();
      }
    }
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.handlers.values()) {
      count += set.size;
    }
    return count;
  }

  asModel(): AnyModel<WidgetModel> {
    return this as unknown as AnyModel<WidgetModel>;
  }
}
