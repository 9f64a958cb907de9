import type { RenderProps } from "@anywidget/types";
import { afterEach, describe, expect, it } from "vitest";
import widget, { type WidgetModel } from "../src/index";
import { MAX_VISIBLE_ROWS, OVERSCAN } from "../src/view";
import {
  cluster,
  columns,
  FakeModel,
  type FakeWorker,
  GiB,
  identities,
  meta,
  tick,
  worker,
} from "./helpers";

type Cleanup = () => void;

const cleanups: Cleanup[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  document.body.replaceChildren();
});

function mount(model: FakeModel): HTMLElement {
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({
    model: model.asModel(),
    el,
  } as unknown as RenderProps<WidgetModel>) as Cleanup;
  cleanups.push(cleanup);
  return el;
}

/** The accessible name, as far as this widget's markup needs it. */
function nameOf(element: Element): string {
  const label = element.getAttribute("aria-label");
  if (label !== null) return label;
  let text = "";
  for (const node of element.childNodes) {
    if (node instanceof Element) {
      if (node.getAttribute("aria-hidden") !== "true") text += nameOf(node);
    } else {
      text += node.textContent ?? "";
    }
  }
  return text.trim();
}

const IMPLICIT: Record<string, string> = {
  button: "button",
  searchbox: 'input[type="search"]',
};

function byRole(root: Element, role: string, name?: string): HTMLElement[] {
  const implicit = IMPLICIT[role] === undefined ? "" : `,${IMPLICIT[role]}`;
  const found = [
    ...root.querySelectorAll<HTMLElement>(`[role="${role}"]${implicit}`),
  ];
  return name === undefined ? found : found.filter((e) => nameOf(e) === name);
}

function one(root: Element, role: string, name?: string): HTMLElement {
  const found = byRole(root, role, name);
  if (found.length !== 1) {
    throw new Error(`${found.length} elements of role ${role} named ${name}`);
  }
  return found[0] as HTMLElement;
}

/** Worker rows only, in DOM order (the header row has no data-address). */
function workerRows(root: Element): HTMLElement[] {
  return byRole(root, "row").filter((row) => row.dataset.address);
}

function isShown(element: HTMLElement): boolean {
  for (let e: HTMLElement | null = element; e; e = e.parentElement) {
    if (e.hidden) return false;
  }
  return true;
}

function hover(target: Element, x = 10, y = 10): void {
  target.dispatchEvent(
    new MouseEvent("pointermove", { bubbles: true, clientX: x, clientY: y }),
  );
}

function figure(tooltip: HTMLElement, field: string): HTMLElement {
  const element = tooltip.querySelector<HTMLElement>(`[data-field="${field}"]`);
  if (element === null) throw new Error(`no ${field} in the tooltip`);
  return element;
}

function workersView(workers: FakeWorker[]): {
  model: FakeModel;
  el: HTMLElement;
} {
  const model = new FakeModel({ ...tick(workers), view: "workers" });
  return { model, el: mount(model) };
}

describe("view toggle", () => {
  it("switches at once on click, then syncs the view to the kernel", () => {
    const model = new FakeModel(tick([worker()]));
    const el = mount(model);
    const clusterButton = one(el, "button", "Cluster");
    const workersButton = one(el, "button", "Workers");
    expect(clusterButton.getAttribute("aria-pressed")).toBe("true");
    expect(workersButton.getAttribute("aria-pressed")).toBe("false");
    expect(isShown(one(el, "table", "Workers"))).toBe(false);

    workersButton.click();

    expect(workersButton.getAttribute("aria-pressed")).toBe("true");
    expect(clusterButton.getAttribute("aria-pressed")).toBe("false");
    expect(isShown(one(el, "table", "Workers"))).toBe(true);
    expect(isShown(one(el, "img", "Cluster memory"))).toBe(false);
    expect(model.get("view")).toBe("workers");
    expect(model.saved).toHaveLength(1);
    expect(model.saved[0]?.view).toBe("workers");
  });

  it("does not save when the view picked is already shown", () => {
    const model = new FakeModel(tick([worker()]));
    const el = mount(model);
    one(el, "button", "Cluster").click();
    expect(model.saved).toHaveLength(0);
  });

  it("follows a change of view from the kernel", () => {
    const model = new FakeModel(tick([worker()]));
    const el = mount(model);
    model.receive({ view: "workers" });
    expect(one(el, "button", "Workers").getAttribute("aria-pressed")).toBe(
      "true",
    );
    expect(isShown(one(el, "table", "Workers"))).toBe(true);
    model.receive({ view: "cluster" });
    expect(isShown(one(el, "img", "Cluster memory"))).toBe(true);
    expect(model.saved).toHaveLength(0);
  });
});

describe("worker rows", () => {
  it("shows a row per worker, named by name or else address", () => {
    const a = worker({ name: "alice" });
    const b = worker({ name: "" });
    const { el } = workersView([a, b]);
    const labels = workerRows(el).map((row) => row.getAttribute("aria-label"));
    expect(labels.sort()).toEqual(["alice", b.address].sort());
    expect(one(el, "row", "alice").textContent).toContain("alice");
  });

  it("shows a hostile name as literal text, never as markup", () => {
    const name = "<img src=x onerror=alert(1)>";
    const { el } = workersView([worker({ name, host: "<b>host</b>" })]);
    const row = one(el, "row", name);
    expect(row.querySelector(".mw-col-name")?.textContent).toBe(name);
    hover(row);
    expect(one(el, "tooltip").textContent).toContain(name);
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector("b")).toBeNull();
  });

  it("marks paused workers, workers without data, and unknown splits", () => {
    const paused = worker({ name: "paused", status: 2 });
    const empty = worker({ name: "empty", flags: 0, process: 0 });
    const old = worker({ name: "old", flags: 3 });
    const { el } = workersView([paused, empty, old]);
    expect(one(el, "row", "paused").textContent).toContain("paused");
    expect(one(el, "row", "paused").dataset.colour).toBe("red");
    expect(one(el, "row", "empty").textContent).toContain("no data");
    expect(one(el, "row", "empty").dataset.colour).toBe("neutral");
    const row = one(el, "row", "old");
    expect(row.textContent).toContain("split unknown");
    const shown = [...row.querySelectorAll<HTMLElement>(".mw-seg")]
      .filter((s) => !s.hidden)
      .map((s) => s.dataset.segment);
    expect(shown).toEqual(["process"]);
  });

  it("colours each worker by its own thresholds", () => {
    const limit = 1000;
    const { el } = workersView([
      worker({ name: "low", process: 599, memory_limit: limit }),
      worker({ name: "spilling", process: 600, memory_limit: limit }),
      worker({ name: "dying", process: 950, memory_limit: limit }),
      worker({ name: "unlimited", process: 10 ** 12, memory_limit: null }),
    ]);
    const colour = (name: string) =>
      one(el, "row", name).querySelector<HTMLElement>(".mw-bar")?.dataset
        .colour;
    expect(colour("low")).toBe("neutral");
    expect(colour("spilling")).toBe("orange");
    expect(colour("dying")).toBe("red");
    expect(colour("unlimited")).toBe("neutral");
  });

  it("draws every bar on one scale, with the limit and thresholds", () => {
    const small = worker({
      name: "small",
      memory_limit: 4 * GiB,
      process: 1 * GiB,
      managed_in_memory: 1 * GiB,
      unmanaged_old: 0,
    });
    const big = worker({ name: "big", memory_limit: 8 * GiB });
    const { el } = workersView([small, big]);
    const row = one(el, "row", "small");
    // A tick's place in the bar: its share of the span from 0 to the limit.
    const span = row.querySelector<HTMLElement>(".mw-ticks");
    const left = (selector: string) =>
      (Number.parseFloat(span?.style.width ?? "") *
        Number.parseFloat(
          row.querySelector<HTMLElement>(selector)?.style.left ?? "",
        )) /
      100;
    expect(left('[data-threshold="limit"]')).toBeCloseTo(50);
    expect(left('[data-threshold="target"]')).toBeCloseTo(30);
    expect(left('[data-threshold="terminate"]')).toBeCloseTo(47.5);
    const managed = row.querySelector<HTMLElement>(
      '[data-segment="managed_in_memory"]',
    );
    expect(Number.parseFloat(managed?.style.width ?? "")).toBeCloseTo(12.5);
  });

  it("hides the ticks of thresholds that are off", () => {
    const model = new FakeModel({
      ...tick([worker({ name: "w" })]),
      view: "workers",
    });
    const el = mount(model);
    model.receive({
      _meta: meta({
        thresholds: { target: null, spill: 0.7, pause: null, terminate: 0.95 },
      }),
    });
    const mark = (name: string) =>
      one(el, "row", "w").querySelector<HTMLElement>(
        `[data-threshold="${name}"]`,
      );
    expect(mark("target")?.hidden).toBe(true);
    expect(mark("spill")?.hidden).toBe(false);
  });

  it("hides every tick of a worker without a limit", () => {
    const { el } = workersView([worker({ name: "w", memory_limit: null })]);
    const ticks = one(el, "row", "w").querySelectorAll<HTMLElement>(".mw-tick");
    expect(ticks).toHaveLength(5);
    for (const tick of ticks) {
      expect(tick.hidden).toBe(true);
    }
  });
});

describe("sorting and filtering", () => {
  const workers = [
    worker({ name: "b", host: "node-1", process: 3 * GiB }),
    worker({ name: "a", host: "node-2", process: 1 * GiB }),
    worker({ name: "c", host: "node-1", process: 2 * GiB }),
  ];

  it("sorts by a header click, and reverses on a second click", () => {
    const { el } = workersView(workers);
    const order = () => workerRows(el).map((r) => r.getAttribute("aria-label"));
    expect(order()).toEqual(["a", "b", "c"]);
    const header = one(el, "columnheader", "Process");
    const button = one(header, "button", "Process");
    button.click();
    expect(order()).toEqual(["b", "c", "a"]);
    expect(header.getAttribute("aria-sort")).toBe("descending");
    expect(one(el, "columnheader", "Name").getAttribute("aria-sort")).toBe(
      "none",
    );
    button.click();
    expect(order()).toEqual(["a", "c", "b"]);
    expect(header.getAttribute("aria-sort")).toBe("ascending");
  });

  it("offers every sort key as a header button", () => {
    const { el } = workersView(workers);
    for (const name of [
      "Name",
      "Process",
      "Managed",
      "Unmanaged recent",
      "Spilled",
      "Share of limit",
    ]) {
      expect(byRole(el, "button", name)).toHaveLength(1);
    }
  });

  it("filters by host through the filter box", () => {
    const { el } = workersView(workers);
    const box = one(el, "searchbox", "Filter workers");
    expect(box).toBeInstanceOf(HTMLInputElement);
    (box as HTMLInputElement).value = "NODE-1";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    const labels = workerRows(el).map((r) => r.getAttribute("aria-label"));
    expect(labels).toEqual(["b", "c"]);
    expect(el.textContent).toContain("2 of 3 workers");
  });
});

describe("tooltip", () => {
  const w = worker({
    name: "w",
    process: 3 * GiB + 17,
    managed_in_memory: 1 * GiB + 3,
    managed_spilled: 512 * 2 ** 20,
    unmanaged_old: 1.5 * GiB,
    spilled_disk: 300 * 2 ** 20 + 5,
    age: 2.5,
    memory_limit: 4 * GiB,
  });
  const expected: Record<string, number> = {
    process: w.process,
    managed: w.managed_in_memory + w.managed_spilled,
    managed_in_memory: w.managed_in_memory,
    managed_spilled: w.managed_spilled,
    unmanaged: w.process - w.managed_in_memory,
    unmanaged_old: w.unmanaged_old,
    unmanaged_recent: w.process - w.managed_in_memory - w.unmanaged_old,
    optimistic: w.managed_in_memory + w.unmanaged_old,
    spilled_disk: w.spilled_disk,
  };
  const labels: Record<string, string> = {
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

  it("is hidden until a bar is hovered", () => {
    const { el } = workersView([w]);
    expect(one(el, "tooltip").hidden).toBe(true);
    expect(el.querySelector("[title]")).toBeNull();
  });

  it("lists every figure of a worker with its exact bytes", () => {
    const { el } = workersView([w]);
    hover(one(el, "row", "w").querySelector(".mw-bar") as Element);
    const tooltip = one(el, "tooltip");
    expect(tooltip.hidden).toBe(false);
    for (const [field, bytes] of Object.entries(expected)) {
      const value = figure(tooltip, field);
      expect(value.dataset.bytes, field).toBe(String(bytes));
      expect(value.previousElementSibling?.textContent).toBe(labels[field]);
      expect(value.textContent).toMatch(/^[0-9.]+ (B|KiB|MiB|GiB|TiB)$/);
    }
    expect(figure(tooltip, "process").textContent).toBe("3.00 GiB");
    expect(figure(tooltip, "memory_limit").dataset.bytes).toBe(String(4 * GiB));
    expect(figure(tooltip, "memory_limit").textContent).toBe("4.00 GiB");
    expect(figure(tooltip, "share").textContent).toBe("75%");
    expect(figure(tooltip, "status").textContent).toBe("running");
    expect(figure(tooltip, "age").dataset.seconds).toBe("2.5");
    expect(figure(tooltip, "age").textContent).toBe("2.5 s");
  });

  it("lists the cluster's figures from the kernel's cluster row", () => {
    const workers = [w, worker({ name: "v", status: 2, age: 7 })];
    const model = new FakeModel(tick(workers));
    const el = mount(model);
    const target = one(el, "img", "Cluster memory");
    expect(target.dataset.colour).toBe("red");
    hover(target);
    const tooltip = one(el, "tooltip");
    const sent = cluster(workers) as unknown as Record<string, number>;
    for (const field of Object.keys(expected)) {
      expect(figure(tooltip, field).dataset.bytes, field).toBe(
        String(sent[field]),
      );
    }
    expect(figure(tooltip, "status").textContent).toBe("1 running, 1 paused");
    expect(figure(tooltip, "age").dataset.seconds).toBe("7");
  });

  it("updates live while shown, and hides when the pointer leaves", () => {
    const { model, el } = workersView([w]);
    const row = one(el, "row", "w");
    hover(row);
    const bigger = { ...w, process: w.process + 1024 };
    model.receive({ _columns: columns([bigger]) });
    const tooltip = one(el, "tooltip");
    expect(figure(tooltip, "process").dataset.bytes).toBe(
      String(bigger.process),
    );
    el.querySelector(".mw-scroll")?.dispatchEvent(
      new MouseEvent("pointerleave"),
    );
    expect(tooltip.hidden).toBe(true);
  });

  it("shows for a focused row, described by it, and hides on Escape", () => {
    const { el } = workersView([w]);
    const row = one(el, "row", "w");
    expect(row.tabIndex).toBe(0);
    row.focus();
    const tooltip = one(el, "tooltip");
    expect(tooltip.hidden).toBe(false);
    expect(row.getAttribute("aria-describedby")).toBe(tooltip.id);
    row.dispatchEvent(
      new KeyboardEvent("keydown", { key: "Escape", bubbles: true }),
    );
    expect(tooltip.hidden).toBe(true);
    expect(row.hasAttribute("aria-describedby")).toBe(false);
  });

  it("stays inside the widget near its bottom-right corner", () => {
    const { el } = workersView([w]);
    const root = el.querySelector<HTMLElement>(".memwidget") as HTMLElement;
    const tooltip = one(el, "tooltip");
    const box =
      (left: number, top: number, width: number, height: number) => () =>
        ({
          left,
          top,
          width,
          height,
          right: left + width,
          bottom: top + height,
          x: left,
          y: top,
          toJSON: () => ({}),
        }) as DOMRect;
    root.getBoundingClientRect = box(100, 50, 600, 300);
    tooltip.getBoundingClientRect = box(0, 0, 250, 120);
    hover(one(el, "row", "w"), 690, 340);
    const left = Number.parseFloat(tooltip.style.left);
    const top = Number.parseFloat(tooltip.style.top);
    expect(left).toBeGreaterThanOrEqual(0);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(left + 250).toBeLessThanOrEqual(600);
    expect(top + 120).toBeLessThanOrEqual(300);
  });
});

describe("one render per message", () => {
  it("draws a message's traits on its plain change event", () => {
    const a = worker({ name: "a" });
    const { model, el } = workersView([a]);
    const grown = { ...a, process: 2 * GiB };
    model.receive({
      _columns: columns([grown]),
      _cluster: cluster([grown]),
      _meta: meta({ tick: 2 }),
    });
    const row = one(el, "row", "a");
    const process = row.querySelector(".mw-col-process");
    expect(process?.textContent).toBe("2.00 GiB / 4.00 GiB");
    expect(one(el, "img", "Cluster memory")).toBeDefined();
  });

  it("renders in a microtask where the host fires no plain change", async () => {
    const a = worker({ name: "a" });
    const { model, el } = workersView([a]);
    model.quiet = true;
    const grown = { ...a, process: 2 * GiB };
    model.receive({ _columns: columns([grown]), _cluster: cluster([grown]) });
    const process = () =>
      one(el, "row", "a").querySelector(".mw-col-process")?.textContent;
    expect(process()).toBe("1.00 GiB / 4.00 GiB");
    await Promise.resolve();
    expect(process()).toBe("2.00 GiB / 4.00 GiB");
  });

  it("renders nothing after cleanup", async () => {
    const a = worker({ name: "a" });
    const model = new FakeModel({ ...tick([a]), view: "workers" });
    model.quiet = true;
    const el = mount(model);
    const handlers = model.listenerCount();
    model.receive({ _columns: columns([{ ...a, process: 2 * GiB }]) });
    cleanups.pop()?.();
    await Promise.resolve();
    expect(handlers).toBe(6);
    expect(el.querySelector(".memwidget")).toBeNull();
  });
});

describe("many workers", () => {
  const many = Array.from({ length: 10_000 }, (_, i) =>
    worker({ name: `w${String(i).padStart(5, "0")}`, process: i * 1024 }),
  );

  it("keeps only the rows in sight in the DOM", () => {
    const { el } = workersView(many);
    const bound = MAX_VISIBLE_ROWS + 2 * OVERSCAN + 1;
    const rows = workerRows(el);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(bound);
    expect(rows[0]?.getAttribute("aria-label")).toBe("w00000");
    expect(one(el, "table").getAttribute("aria-rowcount")).toBe("10001");
    const spacer = el.querySelector<HTMLElement>(".mw-spacer");
    expect(spacer?.style.height).toBe(`${10_000 * 24}px`);

    const scroller = el.querySelector(".mw-scroll") as HTMLElement;
    scroller.scrollTop = 5000 * 24;
    scroller.dispatchEvent(new Event("scroll"));
    const after = workerRows(el);
    expect(after.length).toBeLessThanOrEqual(bound);
    const labels = after.map((r) => r.getAttribute("aria-label"));
    expect(labels).toContain("w05000");
    expect(labels).not.toContain("w00000");
    expect(labels).toEqual([...labels].sort());
  });

  it("moves focus with the arrow keys past the rendered rows", () => {
    const { el } = workersView(many);
    const first = one(el, "row", "w00000");
    first.focus();
    for (let i = 0; i < 40; i++) {
      const focused = document.activeElement as HTMLElement;
      focused.dispatchEvent(
        new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }),
      );
    }
    expect(document.activeElement?.getAttribute("aria-label")).toBe("w00040");
    expect(workerRows(el).length).toBeLessThanOrEqual(
      MAX_VISIBLE_ROWS + 2 * OVERSCAN + 1,
    );
  });
});

describe("updates from the kernel", () => {
  it("keeps the previous rows until a new membership fully arrives", () => {
    const old = [worker({ name: "a" })];
    const next = [worker({ name: "a2" }), worker({ name: "b2" })];
    const { model, el } = workersView(old);
    model.receive({ _columns: columns(next, 2) });
    expect(workerRows(el).map((r) => r.getAttribute("aria-label"))).toEqual([
      "a",
    ]);
    model.receive({ _identities: identities(next, 2) });
    expect(workerRows(el).map((r) => r.getAttribute("aria-label"))).toEqual([
      "a2",
      "b2",
    ]);
  });

  it("shows the connection state and the window", () => {
    const model = new FakeModel(tick([worker()]));
    const el = mount(model);
    const status = one(el, "status");
    expect(status.textContent).toContain("live");
    expect(status.textContent).toContain("window 30 s");
    const root = el.querySelector<HTMLElement>(".memwidget");
    model.receive({
      _meta: meta({ state: "disconnected", message: "scheduler gone" }),
    });
    expect(root?.dataset.state).toBe("disconnected");
    expect(status.querySelector(".mw-state")?.textContent).toBe("disconnected");
    expect(status.textContent).toContain("scheduler gone");
    const process = el.querySelector('.mw-headline [data-field="process"]');
    expect(process?.textContent).toBe("1.00 GiB");
  });

  it("shows the cluster headline", () => {
    const workers = [
      worker({ process: 1 * GiB, managed_spilled: 2 * GiB, spilled_disk: 5 }),
      worker({ process: 1 * GiB, flags: 0 }),
    ];
    const el = mount(new FakeModel(tick(workers)));
    const headline = el.querySelector(".mw-headline") as HTMLElement;
    expect(headline.textContent).toContain("2.00 GiB / 8.00 GiB");
    expect(headline.textContent).toContain("(25%)");
    expect(headline.textContent).toContain("spilled 2.00 GiB (5 B on disk)");
    expect(headline.textContent).toContain("2 workers, 1 with data");
  });

  it("removes its listeners and its elements on cleanup", () => {
    const model = new FakeModel(tick([worker()]));
    const el = mount(model);
    expect(model.listenerCount()).toBe(6);
    cleanups.pop()?.();
    expect(model.listenerCount()).toBe(0);
    expect(el.childElementCount).toBe(0);
  });

  it("renders before any data arrives", () => {
    const model = new FakeModel({ view: "workers" });
    const el = mount(model);
    expect(workerRows(el)).toHaveLength(0);
    expect(el.textContent).toContain("Waiting for the first sample");
    expect(one(el, "status").textContent).toContain("connecting");
  });
});
