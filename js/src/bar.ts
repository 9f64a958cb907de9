/** One stacked bar: segments on a shared scale, with threshold ticks. */

import type { Colour, Thresholds } from "./colour";
import { h, setAttr, setHidden, setStyle } from "./dom";
import type { Breakdown } from "./wire";

export const SEGMENTS = [
  "managed_in_memory",
  "unmanaged_old",
  "unmanaged_recent",
  "managed_spilled",
] as const;

export type Segment = (typeof SEGMENTS)[number];

const TICKS = ["target", "spill", "pause", "terminate"] as const;

export interface BarFigures extends Pick<Breakdown, "process" | Segment> {
  memory_limit: number | null;
  splitUnknown: boolean;
}

function percent(value: number, scale: number): string {
  const share = Math.min(100, Math.max(0, (100 * value) / scale));
  return `${share.toFixed(3)}%`;
}

/**
 * The scale shared by bars drawn side by side: the largest of each one's
 * limit and its process plus spilled memory, so every bar and tick fits.
 */
export function sharedScale(bars: Iterable<BarFigures>): number {
  let scale = 0;
  for (const bar of bars) {
    scale = Math.max(
      scale,
      bar.memory_limit ?? 0,
      bar.process + bar.managed_spilled,
    );
  }
  return scale > 0 ? scale : 1;
}

export class Bar {
  readonly element: HTMLDivElement;
  private readonly segments: Record<Segment | "process", HTMLDivElement>;
  private readonly ticks: Record<(typeof TICKS)[number] | "limit", HTMLElement>;

  constructor() {
    const segment = (name: string) =>
      h("div", { class: `mw-seg mw-seg-${name}`, "data-segment": name });
    const tick = (name: string) =>
      h("div", { class: `mw-tick mw-tick-${name}`, "data-threshold": name });
    this.segments = {
      managed_in_memory: segment("managed_in_memory"),
      unmanaged_old: segment("unmanaged_old"),
      unmanaged_recent: segment("unmanaged_recent"),
      managed_spilled: segment("managed_spilled"),
      process: segment("process"),
    };
    this.ticks = {
      target: tick("target"),
      spill: tick("spill"),
      pause: tick("pause"),
      terminate: tick("terminate"),
      limit: tick("limit"),
    };
    this.element = h(
      "div",
      { class: "mw-bar", "data-colour": "neutral" },
      ...Object.values(this.segments),
      ...Object.values(this.ticks),
    );
  }

  update(
    figures: BarFigures,
    colour: Colour,
    scale: number,
    thresholds: Thresholds,
  ): void {
    setAttr(this.element, "data-colour", colour);
    const widths: [Segment | "process", number][] = figures.splitUnknown
      ? [
          ["process", figures.process],
          ["managed_spilled", figures.managed_spilled],
        ]
      : SEGMENTS.map((name) => [name, figures[name]]);
    // Only what changed is written: an unchanged bar then costs no style
    // or layout work, which matters when a tick re-renders several times.
    const shown = new Set<string>();
    let left = 0;
    for (const [name, value] of widths) {
      const element = this.segments[name];
      if (value > 0) {
        shown.add(name);
      }
      setStyle(element, "left", percent(left, scale));
      setStyle(element, "width", percent(value, scale));
      left += Math.max(0, value);
    }
    for (const [name, element] of Object.entries(this.segments)) {
      setHidden(element, !shown.has(name));
    }
    const limit = figures.memory_limit;
    this.place(this.ticks.limit, limit === null ? null : limit, scale);
    for (const name of TICKS) {
      const fraction = thresholds[name];
      const at = limit === null || fraction === null ? null : limit * fraction;
      this.place(this.ticks[name], at, scale);
    }
  }

  private place(tick: HTMLElement, at: number | null, scale: number): void {
    setHidden(tick, at === null);
    if (at !== null) {
      setStyle(tick, "left", percent(at, scale));
    }
  }
}
