import { describe, expect, it } from "vitest";
import {
  baseColour,
  NO_THRESHOLDS,
  type Thresholds,
  worstColour,
} from "../src/colour";

const T: Thresholds = { target: 0.6, spill: 0.7, pause: 0.8, terminate: 0.95 };
const LIMIT = 1000;
const RUNNING = 1;

const colour = (process: number, thresholds: Thresholds = T) =>
  baseColour(process, LIMIT, RUNNING, true, thresholds);

describe("baseColour", () => {
  it("is neutral below min(target, spill) and orange at it", () => {
    expect(colour(599)).toBe("neutral");
    expect(colour(600)).toBe("orange");
  });

  it("uses spill when it is lower than target", () => {
    const t = { ...T, target: 0.8, spill: 0.5 };
    expect(colour(499, t)).toBe("neutral");
    expect(colour(500, t)).toBe("orange");
  });

  it("ignores a threshold that is off", () => {
    expect(colour(650, { ...T, target: null })).toBe("neutral");
    expect(colour(700, { ...T, target: null })).toBe("orange");
    expect(colour(600, { ...T, spill: null })).toBe("orange");
  });

  it("never turns orange with target and spill both off", () => {
    const t = { ...T, target: null, spill: null };
    expect(colour(940, t)).toBe("neutral");
    expect(colour(950, t)).toBe("red");
  });

  it("is red at terminate, orange just below", () => {
    expect(colour(949)).toBe("orange");
    expect(colour(950)).toBe("red");
    expect(colour(5000)).toBe("red");
  });

  it("never turns red by memory with terminate off", () => {
    expect(colour(5000, { ...T, terminate: null })).toBe("orange");
  });

  it("stays neutral with every threshold off", () => {
    expect(colour(5000, NO_THRESHOLDS)).toBe("neutral");
  });

  it("is red for a worker that is not running, whatever its memory", () => {
    for (const status of [2, 3, 4, 5, 7]) {
      expect(baseColour(0, LIMIT, status, true, T)).toBe("red");
    }
    expect(baseColour(0, null, 2, true, T)).toBe("red");
  });

  it("does not alarm on an unknown status, nor a starting worker", () => {
    expect(baseColour(0, LIMIT, 0, false, T)).toBe("neutral");
    expect(baseColour(100, LIMIT, 0, true, T)).toBe("neutral");
    expect(baseColour(800, LIMIT, 0, true, T)).toBe("orange");
    expect(baseColour(0, LIMIT, 6, false, T)).toBe("neutral");
    expect(baseColour(0, LIMIT, 6, true, T)).toBe("red");
  });

  it("stays neutral without a limit", () => {
    expect(baseColour(10 ** 12, null, RUNNING, true, T)).toBe("neutral");
    expect(baseColour(10 ** 12, 0, RUNNING, true, T)).toBe("neutral");
  });

  it("stays neutral for a worker without data", () => {
    expect(baseColour(0, LIMIT, RUNNING, false, T)).toBe("neutral");
  });
});

describe("worstColour", () => {
  it("takes the worst colour of all", () => {
    expect(worstColour([])).toBe("neutral");
    expect(worstColour(["neutral", "orange", "neutral"])).toBe("orange");
    expect(worstColour(["orange", "red", "neutral"])).toBe("red");
  });
});
