import { describe, expect, it } from "vitest";
import { Batch } from "../src/batch";

describe("Batch", () => {
  it("runs once per burst of marks, with every key marked", async () => {
    const runs: string[][] = [];
    const batch = new Batch<string>((changed) => runs.push([...changed]));
    batch.mark("_columns");
    batch.mark("_cluster");
    batch.mark("_columns");
    expect(runs).toEqual([]);
    await Promise.resolve();
    expect(runs).toEqual([["_columns", "_cluster"]]);
    await Promise.resolve();
    expect(runs).toHaveLength(1);
  });

  it("runs at once on flush, and not again in the microtask", async () => {
    const runs: string[][] = [];
    const batch = new Batch<string>((changed) => runs.push([...changed]));
    batch.mark("_meta");
    batch.flush();
    expect(runs).toEqual([["_meta"]]);
    await Promise.resolve();
    expect(runs).toHaveLength(1);
    batch.flush();
    expect(runs).toHaveLength(1);
  });

  it("drops what is pending when closed", async () => {
    const runs: string[][] = [];
    const batch = new Batch<string>((changed) => runs.push([...changed]));
    batch.mark("_meta");
    batch.close();
    batch.mark("_cluster");
    batch.flush();
    await Promise.resolve();
    expect(runs).toEqual([]);
  });
});
