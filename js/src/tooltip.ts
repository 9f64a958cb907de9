/** The one tooltip of a widget: every figure of a breakdown, placed safely. */

import { h, setAttr, setHidden, setStyle, setText } from "./dom";
import { formatAge, formatBytes, formatShare } from "./format";
import { type Breakdown, FIGURES, type Figure } from "./wire";

/** The SPEC.md names, in words. */
export const FIGURE_LABELS: Record<Figure, string> = {
  process: "process",
  managed: "managed",
  managed_in_memory: "managed in memory",
  managed_spilled: "managed spilled",
  unmanaged: "unmanaged",
  unmanaged_old: "unmanaged old",
  unmanaged_recent: "unmanaged recent",
  optimistic: "optimistic",
  spilled_disk: "spilled on disk",
};

/** Figures that depend on the managed/unmanaged split. */
const SPLIT_FIGURES: ReadonlySet<Figure> = new Set([
  "managed",
  "managed_in_memory",
  "unmanaged",
  "unmanaged_old",
  "unmanaged_recent",
  "optimistic",
]);

export interface TipContent {
  title: string;
  subtitle: string;
  notes: string[];
  figures: Breakdown;
  memory_limit: number | null;
  splitUnknown: boolean;
  status: string;
  age: number;
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, Math.max(low, high)));
}

/**
 * Where a tooltip of the given size goes near the point (x, y): below and
 * to the right, flipped to the other side where that would leave `bounds`,
 * and clamped inside `bounds` in any case.
 */
export function placeTooltip(
  x: number,
  y: number,
  width: number,
  height: number,
  bounds: Box,
  gap = 12,
): { left: number; top: number } {
  let left = x + gap;
  if (left + width > bounds.right) {
    left = x - gap - width;
  }
  let top = y + gap;
  if (top + height > bounds.bottom) {
    top = y - gap - height;
  }
  return {
    left: clamp(left, bounds.left, bounds.right - width),
    top: clamp(top, bounds.top, bounds.bottom - height),
  };
}

function intersect(a: Box, b: Box): Box {
  return {
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  };
}

export class Tooltip {
  readonly element: HTMLDivElement;
  private readonly title = h("span", { class: "mw-tip-title" });
  private readonly subtitle = h("span", { class: "mw-tip-subtitle" });
  private readonly notes = h("div", { class: "mw-tip-notes" });
  private readonly values = new Map<string, HTMLElement>();
  /** The size the tooltip had when last placed. */
  private placedSize: [number, number] = [0, 0];

  constructor(id: string) {
    const list = h("dl", { class: "mw-tip-figures" });
    const add = (field: string, label: string) => {
      const value = h("dd", { "data-field": field });
      this.values.set(field, value);
      list.append(h("dt", {}, label), value);
    };
    for (const figure of FIGURES) {
      add(figure, FIGURE_LABELS[figure]);
    }
    add("memory_limit", "memory limit");
    add("share", "share of limit");
    add("status", "status");
    add("age", "sample age");
    this.element = h(
      "div",
      { class: "mw-tooltip", role: "tooltip", id },
      h("div", { class: "mw-tip-head" }, this.title, " ", this.subtitle),
      this.notes,
      list,
    );
    setHidden(this.element, true);
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  show(content: TipContent): void {
    setText(this.title, content.title);
    setText(this.subtitle, content.subtitle);
    setHidden(this.subtitle, content.subtitle === "");
    setText(this.notes, content.notes.join(" · "));
    setHidden(this.notes, content.notes.length === 0);
    for (const figure of FIGURES) {
      const bytes = content.figures[figure];
      const unknown = content.splitUnknown && SPLIT_FIGURES.has(figure);
      this.setValue(
        figure,
        unknown ? "split unknown" : formatBytes(bytes),
        "data-bytes",
        String(bytes),
      );
    }
    const limit = content.memory_limit;
    this.setValue(
      "memory_limit",
      limit === null ? "no limit" : formatBytes(limit),
      "data-bytes",
      limit === null ? null : String(limit),
    );
    const process = content.figures.process;
    this.setValue(
      "share",
      formatShare(process, limit),
      "data-ratio",
      limit === null ? null : String(process / limit),
    );
    this.setValue("status", content.status, "data-status", content.status);
    this.setValue(
      "age",
      formatAge(content.age),
      "data-seconds",
      Number.isFinite(content.age) ? String(content.age) : null,
    );
    setHidden(this.element, false);
  }

  /** Whether the size differs from the last placement's; reads layout. */
  sizeChanged(): boolean {
    const { width, height } = this.element.getBoundingClientRect();
    return width !== this.placedSize[0] || height !== this.placedSize[1];
  }

  hide(): void {
    setHidden(this.element, true);
  }

  /**
   * Move next to (x, y), in viewport coordinates, staying inside `root`:
   * inside its visible part when the tooltip fits there, inside its box in
   * any case. `fit` also caps its size to the root's.
   */
  place(x: number, y: number, root: HTMLElement, fit = true): void {
    const view = root.ownerDocument.defaultView;
    const rect = root.getBoundingClientRect();
    const element = this.element;
    if (fit) {
      setStyle(element, "maxWidth", `${Math.max(0, rect.width)}px`);
      setStyle(element, "maxHeight", `${Math.max(0, rect.height)}px`);
    }
    const tip = this.element.getBoundingClientRect();
    this.placedSize = [tip.width, tip.height];
    let bounds: Box = rect;
    if (view !== null) {
      const visible = intersect(rect, {
        left: 0,
        top: 0,
        right: view.innerWidth,
        bottom: view.innerHeight,
      });
      if (
        visible.right - visible.left >= tip.width &&
        visible.bottom - visible.top >= tip.height
      ) {
        bounds = visible;
      }
    }
    const at = placeTooltip(x, y, tip.width, tip.height, bounds);
    setStyle(element, "left", `${at.left - rect.left}px`);
    setStyle(element, "top", `${at.top - rect.top}px`);
  }

  private setValue(
    field: string,
    shown: string,
    attribute: string,
    exact: string | null,
  ): void {
    const element = this.values.get(field);
    if (element === undefined) {
      return;
    }
    setText(element, shown);
    if (exact === null) {
      element.removeAttribute(attribute);
    } else {
      setAttr(element, attribute, exact);
    }
  }
}
