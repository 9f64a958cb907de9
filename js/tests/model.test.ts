import { describe, expect, it } from "vitest";
import {
  Arrangement,
  filterRows,
  nextSort,
  type SortKey,
  sortRows,
} from "../src/model";
import {
  decodeColumns,
  joinRows,
  parseIdentities,
  type Row,
} from "../src/wire";
import { columns, type FakeWorker, identities, worker } from "./helpers";

function rowsOf(workers: FakeWorker[]): Row[] {
  const rows = joinRows(
    decodeColumns(columns(workers)),
    parseIdentities(identities(workers)),
  );
  if (rows === null) throw new Error("fixture does not join");
  return rows;
}

// Each worker is the largest by exactly one key, so each key sorts differently.
const rows = rowsOf([
  worker({
    name: "worker-10",
    address: "tcp://10.1.0.1:1",
    host: "alpha.example",
    process: 500,
    managed_in_memory: 100,
    managed_spilled: 0,
    unmanaged_old: 50,
    memory_limit: 600,
  }),
  worker({
    name: "worker-2",
    address: "tcp://10.1.0.2:1",
    host: "beta.example",
    process: 900,
    managed_in_memory: 50,
    managed_spilled: 10,
    unmanaged_old: 800,
    memory_limit: 10_000,
  }),
  worker({
    name: "Worker-3",
    address: "tcp://10.1.0.3:1",
    host: "gamma.example",
    process: 400,
    managed_in_memory: 390,
    managed_spilled: 5,
    unmanaged_old: 10,
    memory_limit: null,
  }),
  worker({
    name: "",
    address: "tcp://10.1.0.4:1",
    host: "delta.example",
    process: 300,
    managed_in_memory: 0,
    managed_spilled: 700,
    unmanaged_old: 0,
    memory_limit: 1000,
  }),
]);

const names = (list: Row[]) => list.map((r) => r.worker.label);

describe("sortRows", () => {
  const expected: Record<SortKey, string[]> = {
    // Natural order: worker-2 before worker-10; case ignored.
    name: ["tcp://10.1.0.4:1", "worker-2", "Worker-3", "worker-10"],
    process: ["worker-2", "worker-10", "Worker-3", "tcp://10.1.0.4:1"],
    managed: ["tcp://10.1.0.4:1", "Worker-3", "worker-10", "worker-2"],
    unmanaged_recent: ["worker-10", "tcp://10.1.0.4:1", "worker-2", "Worker-3"],
    managed_spilled: ["tcp://10.1.0.4:1", "worker-2", "Worker-3", "worker-10"],
    // Share: 500/600, 900/10000, none, 300/1000; no limit sorts last.
    share: ["worker-10", "tcp://10.1.0.4:1", "worker-2", "Worker-3"],
  };

  for (const [key, order] of Object.entries(expected)) {
    it(`sorts by ${key}, and reverses`, () => {
      const sort = { key: key as SortKey, descending: key !== "name" };
      expect(names(sortRows(rows, sort))).toEqual(order);
      const reversed = { ...sort, descending: !sort.descending };
      expect(names(sortRows(rows, reversed))).toEqual([...order].reverse());
    });
  }

  it("does not reorder its input", () => {
    const before = names(rows);
    sortRows(rows, { key: "process", descending: true });
    expect(names(rows)).toEqual(before);
  });
});

describe("nextSort", () => {
  it("starts names ascending and figures descending, then flips", () => {
    const byProcess = nextSort({ key: "name", descending: false }, "process");
    expect(byProcess).toEqual({ key: "process", descending: true });
    expect(nextSort(byProcess, "process")).toEqual({
      key: "process",
      descending: false,
    });
    expect(nextSort(byProcess, "name")).toEqual({
      key: "name",
      descending: false,
    });
  });
});

describe("filterRows", () => {
  it("matches a substring of the name, ignoring case", () => {
    expect(names(filterRows(rows, "WORKER-1"))).toEqual(["worker-10"]);
  });

  it("matches a substring of the address", () => {
    expect(names(filterRows(rows, "10.1.0.2"))).toEqual(["worker-2"]);
  });

  it("matches a substring of the host", () => {
    expect(names(filterRows(rows, "Gamma"))).toEqual(["Worker-3"]);
  });

  it("keeps everything for an empty query and nothing for a miss", () => {
    expect(filterRows(rows, "  ")).toHaveLength(4);
    expect(filterRows(rows, "nowhere")).toHaveLength(0);
  });
});

describe("Arrangement", () => {
  it("recomputes only when rows, sort or filter change", () => {
    const arrangement = new Arrangement();
    const sort = { key: "process" as const, descending: true };
    const first = arrangement.get(rows, sort, "");
    expect(arrangement.get(rows, { ...sort }, "")).toBe(first);
    expect(arrangement.get(rows, sort, "worker")).not.toBe(first);
    const again = arrangement.get(rows, sort, "worker");
    expect(arrangement.get(rows.slice(), sort, "worker")).not.toBe(again);
    expect(
      arrangement.get(rows, { key: "process", descending: false }, ""),
    ).not.toBe(first);
  });
});
