/** One stacked bar: segments on a shared scale, with threshold ticks. */

import type { Colour, Thresholds } from "./colour";
import { h, setAttr, setHidden } from "./dom";
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
  /** Spans the bar from 0 to the memory limit; holds the ticks. */
  private readonly tickSpan: HTMLDivElement;
  private readonly ticks: Record<(typeof TICKS)[number] | "limit", HTMLElement>;
  /** What was last written, so unchanged values cost no DOM access. */
  private readonly written = new Map<HTMLElement, string>();

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
    this.tickSpan = h(
      "div",
      { class: "mw-ticks" },
      ...Object.values(this.ticks),
    );
    this.element = h(
      "div",
      { class: "mw-bar", "data-colour": "neutral" },
      ...Object.values(this.segments),
      this.tickSpan,
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
      this.write(
        element,
        `left: ${percent(left, scale)}; width: ${percent(value, scale)};`,
      );
      left += Math.max(0, value);
    }
    for (const [name, element] of Object.entries(this.segments)) {
      setHidden(element, !shown.has(name));
    }
    // The ticks sit at fractions of the limit, inside a span as wide as the
    // limit: a new scale then restyles the span alone, not every tick.
    const limit = figures.memory_limit;
    setHidden(this.tickSpan, limit === null || !(limit > 0));
    if (limit === null || !(limit > 0)) {
      for (const tick of Object.values(this.ticks)) {
        setHidden(tick, true);
      }
      return;
    }
    this.write(this.tickSpan, `width: ${percent(limit, scale)};`);
    const room = scale / limit;
    this.place(this.ticks.limit, 1, room);
    for (const name of TICKS) {
      this.place(this.ticks[name], thresholds[name], room);
    }
  }

  /** Place a tick at `fraction` of the limit, at most `room` of it. */
  private place(tick: HTMLElement, fraction: number | null, room: number) {
    setHidden(tick, fraction === null);
    if (fraction !== null) {
      const share = 100 * Math.min(Math.max(0, fraction), room);
      this.write(tick, `left: ${share.toFixed(3)}%;`);
    }
  }

  /** Set an element's whole inline style, if it differs from the last. */
  private write(element: HTMLElement, css: string): void {
    if (this.written.get(element) !== css) {
      this.written.set(element, css);
      element.style.cssText = css;
    }
  }
}
