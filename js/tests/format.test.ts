import { describe, expect, it } from "vitest";
import {
  formatAge,
  formatBytes,
  formatDuration,
  formatShare,
  statusName,
} from "../src/format";

const KiB = 1024;
const MiB = KiB ** 2;
const GiB = KiB ** 3;
const TiB = KiB ** 4;

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1, "1 B"],
    [1023, "1023 B"],
    [1024, "1.00 KiB"],
    [1536, "1.50 KiB"],
    [10 * KiB, "10.0 KiB"],
    [100 * KiB, "100 KiB"],
    [MiB - 1, "1.00 MiB"],
    [MiB, "1.00 MiB"],
    [1.5 * MiB, "1.50 MiB"],
    [GiB - 1, "1.00 GiB"],
    [GiB, "1.00 GiB"],
    [3.7 * GiB, "3.70 GiB"],
    [TiB - 1, "1.00 TiB"],
    [TiB, "1.00 TiB"],
    [2048 * TiB, "2048 TiB"],
  ])("%d bytes reads %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it("says so when a figure is not a number", () => {
    expect(formatBytes(Number.NaN)).toBe("unknown");
  });
});

describe("formatAge", () => {
  it.each([
    [0, "0.0 s"],
    [0.42, "0.4 s"],
    [9.9, "9.9 s"],
    [12.4, "12 s"],
    [59.6, "1 min 0 s"],
    [185, "3 min 5 s"],
    [7800, "2 h 10 min"],
  ])("%d s reads %s", (seconds, text) => {
    expect(formatAge(seconds)).toBe(text);
  });

  it("says unknown for a missing age", () => {
    expect(formatAge(Number.NaN)).toBe("unknown");
    expect(formatAge(-1)).toBe("unknown");
  });
});

describe("formatDuration, formatShare, statusName", () => {
  it("formats a window", () => {
    expect(formatDuration(30)).toBe("30 s");
    expect(formatDuration(2.5)).toBe("2.5 s");
    expect(formatDuration(300)).toBe("5 min");
  });

  it("formats the share of the limit", () => {
    expect(formatShare(1, 4)).toBe("25%");
    expect(formatShare(1, 1000)).toBe("<1%");
    expect(formatShare(0, 1000)).toBe("0%");
    expect(formatShare(5, null)).toBe("no limit");
  });

  it("names statuses in words", () => {
    expect(statusName(1)).toBe("running");
    expect(statusName(3)).toBe("closing gracefully");
    expect(statusName(200)).toBe("other");
  });
});
