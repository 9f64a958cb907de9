import { describe, expect, it } from "vitest";
import {
  decodeColumns,
  joinRows,
  parseCluster,
  parseIdentities,
  parseMeta,
  RowSource,
} from "../src/wire";
import { columns, GiB, identities, worker } from "./helpers";

describe("decodeColumns", () => {
  it("reads every column of every worker, little-endian", () => {
    const a = worker({
      process: 3 * GiB + 1,
      managed_in_memory: 1 * GiB,
      managed_spilled: 2 ** 52 + 1,
      unmanaged_old: 7,
      spilled_disk: 123_456_789,
      age: 1.5,
      status: 2,
      flags: 3,
    });
    const b = worker({ process: 5, status: 1, flags: 0, age: 42 });
    const decoded = decodeColumns(columns([a, b], 9));
    expect(decoded).not.toBeNull();
    if (decoded === null) return;
    expect(decoded.generation).toBe(9);
    expect(decoded.n).toBe(2);
    expect([...decoded.process]).toEqual([3 * GiB + 1, 5]);
    expect(decoded.managed_in_memory[0]).toBe(1 * GiB);
    expect(decoded.managed_spilled[0]).toBe(2 ** 52 + 1);
    expect(decoded.unmanaged_old[0]).toBe(7);
    expect(decoded.spilled_disk[0]).toBe(123_456_789);
    expect([...decoded.age]).toEqual([1.5, 42]);
    expect([...decoded.status]).toEqual([2, 1]);
    expect([...decoded.flags]).toEqual([3, 0]);
  });

  it("accepts an ArrayBuffer and a Uint8Array as well as a DataView", () => {
    const view = columns([worker({ process: 99 })]);
    const bytes = new Uint8Array(view.buffer, view.byteOffset);
    const copy = bytes.slice().buffer;
    expect(decodeColumns(bytes)?.process[0]).toBe(99);
    expect(decodeColumns(copy)?.process[0]).toBe(99);
  });

  it("decodes zero workers", () => {
    expect(decodeColumns(columns([]))?.n).toBe(0);
  });

  it("rejects an empty, truncated or other-version buffer", () => {
    const view = columns([worker(), worker()]);
    const truncated = new DataView(
      view.buffer,
      view.byteOffset,
      view.byteLength - 1,
    );
    expect(decodeColumns(new DataView(new ArrayBuffer(0)))).toBeNull();
    expect(decodeColumns(truncated)).toBeNull();
    expect(decodeColumns(columns([worker()], 1, 2))).toBeNull();
    expect(decodeColumns(null)).toBeNull();
    expect(decodeColumns("not bytes")).toBeNull();
  });
});

describe("joinRows", () => {
  it("derives the breakdown from the independent figures", () => {
    const w = worker({
      process: 1000,
      managed_in_memory: 300,
      managed_spilled: 50,
      unmanaged_old: 400,
      flags: 1,
    });
    const rows = joinRows(
      decodeColumns(columns([w])),
      parseIdentities(identities([w])),
    );
    expect(rows).not.toBeNull();
    const row = rows?.[0];
    expect(row?.unmanaged).toBe(700);
    expect(row?.unmanaged_recent).toBe(300);
    expect(row?.managed).toBe(350);
    expect(row?.optimistic).toBe(700);
    expect(row?.hasData).toBe(true);
    expect(row?.splitUnknown).toBe(false);
    expect(row?.worker.label).toBe(w.name);
    expect(row?.memory_limit).toBe(w.memory_limit);
  });

  it("reads the flags and labels unnamed workers by address", () => {
    const w = worker({ name: "", flags: 2 });
    const rows = joinRows(
      decodeColumns(columns([w])),
      parseIdentities(identities([w])),
    );
    expect(rows?.[0]?.hasData).toBe(false);
    expect(rows?.[0]?.splitUnknown).toBe(true);
    expect(rows?.[0]?.worker.label).toBe(w.address);
  });

  it("refuses to join different generations", () => {
    const ws = [worker(), worker()];
    const cols = decodeColumns(columns(ws, 4));
    expect(joinRows(cols, parseIdentities(identities(ws, 3)))).toBeNull();
    expect(joinRows(cols, parseIdentities(identities(ws, 4)))).toHaveLength(2);
  });

  it("refuses to join when counts disagree", () => {
    const ws = [worker(), worker()];
    const cols = decodeColumns(columns(ws, 4));
    const ids = parseIdentities(identities(ws.slice(0, 1), 4));
    expect(joinRows(cols, ids)).toBeNull();
  });
});

describe("RowSource", () => {
  it("keeps the previous rows until columns and identities agree", () => {
    const old = [worker({ name: "a" }), worker({ name: "b" })];
    const joined = [...old, worker({ name: "c" })];
    const source = new RowSource();
    source.setIdentities(identities(old, 1));
    expect(source.setColumns(columns(old, 1))).toBe(true);
    expect(source.rows.map((r) => r.worker.name)).toEqual(["a", "b"]);

    // New columns arrive before the new identities: nothing changes.
    expect(source.setColumns(columns(joined, 2))).toBe(false);
    expect(source.rows.map((r) => r.worker.name)).toEqual(["a", "b"]);

    expect(source.setIdentities(identities(joined, 2))).toBe(true);
    expect(source.rows.map((r) => r.worker.name)).toEqual(["a", "b", "c"]);
  });

  it("keeps the previous rows when identities arrive first", () => {
    const old = [worker({ name: "a" })];
    const next = [worker({ name: "z" })];
    const source = new RowSource();
    source.setIdentities(identities(old, 1));
    source.setColumns(columns(old, 1));
    expect(source.setIdentities(identities(next, 2))).toBe(false);
    expect(source.rows[0]?.worker.name).toBe("a");
    expect(source.setColumns(columns(next, 2))).toBe(true);
    expect(source.rows[0]?.worker.name).toBe("z");
  });
});

describe("parse", () => {
  it("treats a zero or missing limit as no limit", () => {
    const ids = parseIdentities({
      generation: 1,
      workers: [
        { address: "a", name: "", host: "h", nthreads: 1, memory_limit: 0 },
        { address: "b", name: "", host: "h", nthreads: 1 },
        { address: "c", name: "", host: "h", nthreads: 1, memory_limit: 8 },
      ],
    });
    expect(ids?.workers.map((w) => w.memory_limit)).toEqual([null, null, 8]);
  });

  it("reads a numeric worker name as text", () => {
    const ids = parseIdentities({
      generation: 1,
      workers: [{ address: "tcp://a:1", name: 0, host: "h", nthreads: 1 }],
    });
    expect(ids?.workers[0]?.label).toBe("0");
  });

  it("reads the cluster row, defaulting missing figures to 0", () => {
    const c = parseCluster({ process: 10, memory_limit: null, workers: 2 });
    expect(c.process).toBe(10);
    expect(c.unmanaged_recent).toBe(0);
    expect(c.memory_limit).toBeNull();
    expect(c.workers).toBe(2);
  });

  it("reads meta, with null thresholds kept as off", () => {
    const m = parseMeta({
      state: "stale",
      message: "slow scheduler",
      window: 45,
      thresholds: { target: 0.6, spill: null, pause: 0.8, terminate: null },
    });
    expect(m.state).toBe("stale");
    expect(m.message).toBe("slow scheduler");
    expect(m.window).toBe(45);
    expect(m.thresholds).toEqual({
      target: 0.6,
      spill: null,
      pause: 0.8,
      terminate: null,
    });
    expect(parseMeta({ state: "bogus" }).state).toBe("connecting");
  });
});
