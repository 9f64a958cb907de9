import { describe, expect, it } from "vitest";
import { placeTooltip } from "../src/tooltip";

const bounds = { left: 100, top: 50, right: 700, bottom: 350 };

describe("placeTooltip", () => {
  it("goes below and to the right of the pointer when there is room", () => {
    expect(placeTooltip(200, 100, 150, 80, bounds)).toEqual({
      left: 212,
      top: 112,
    });
  });

  it("flips to the left and above near the far corner", () => {
    expect(placeTooltip(690, 340, 150, 80, bounds)).toEqual({
      left: 528,
      top: 248,
    });
  });

  it("stays inside the bounds when neither side has room", () => {
    const at = placeTooltip(400, 200, 500, 250, bounds);
    expect(at.left).toBeGreaterThanOrEqual(bounds.left);
    expect(at.left + 500).toBeLessThanOrEqual(bounds.right);
    expect(at.top).toBeGreaterThanOrEqual(bounds.top);
    expect(at.top + 250).toBeLessThanOrEqual(bounds.bottom);
  });

  it("keeps to the top-left corner when larger than the bounds", () => {
    expect(placeTooltip(400, 200, 900, 400, bounds)).toEqual({
      left: 100,
      top: 50,
    });
  });
});
