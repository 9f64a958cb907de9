/**
 * The widget's DOM: a view toggle, the cluster bar, the worker table, the
 * legend and one tooltip.
 *
 * The worker table is virtualised: rows have a fixed height, a spacer gives
 * the scroll area its full height, and only the rows in sight (plus a few
 * either side) exist as elements. Row elements are keyed by worker address,
 * so a focused or hovered row survives data updates and re-sorting.
 */

import { Bar, type BarFigures, SEGMENTS, sharedScale } from "./bar";
import {
  baseColour,
  type Colour,
  colourMeaning,
  NO_THRESHOLDS,
  statusIsAlarming,
  type Thresholds,
  worstColour,
} from "./colour";
import { h, setAttr, setHidden, setStyle, setText } from "./dom";
import { formatBytes, formatDuration, formatShare, statusName } from "./format";
import {
  Arrangement,
  DEFAULT_SORT,
  nextSort,
  type Sort,
  type SortKey,
  sameWorkers,
} from "./model";
import { CSS, ROW_HEIGHT } from "./styles";
import { FIGURE_LABELS, type TipContent, Tooltip } from "./tooltip";
import {
  type Cluster,
  type Meta,
  parseCluster,
  parseMeta,
  type Row,
  STATUS_RUNNING,
  STATUS_UNKNOWN,
  type Worker,
} from "./wire";

export type ViewName = "cluster" | "workers";

/** Rows visible at once before the table scrolls. */
export const MAX_VISIBLE_ROWS = 15;
/** Rows rendered beyond each edge of the visible area. */
export const OVERSCAN = 4;

interface Column {
  id: string;
  label: string;
  sort?: SortKey;
  numeric?: boolean;
  /** Hidden first when the widget is narrow; the tooltip still has it. */
  secondary?: boolean;
}

const COLUMNS: readonly Column[] = [
  { id: "name", label: "Name", sort: "name" },
  { id: "bar", label: "Memory" },
  { id: "process", label: "Process", sort: "process", numeric: true },
  {
    id: "managed",
    label: "Managed",
    sort: "managed",
    numeric: true,
    secondary: true,
  },
  {
    id: "unmanaged_recent",
    label: "Unmanaged recent",
    sort: "unmanaged_recent",
    numeric: true,
    secondary: true,
  },
  {
    id: "managed_spilled",
    label: "Spilled",
    sort: "managed_spilled",
    numeric: true,
    secondary: true,
  },
  { id: "share", label: "Share of limit", sort: "share", numeric: true },
  { id: "status", label: "Status" },
];

type TipTarget = { kind: "cluster" } | { kind: "worker"; address: string };

type TipAnchor =
  | { kind: "pointer"; x: number; y: number }
  | { kind: "element"; element: HTMLElement };

interface RowParts {
  element: HTMLDivElement;
  bar: Bar;
  cells: Record<string, HTMLDivElement>;
}

let nextId = 0;

function cellClass(column: Column): string {
  let name = `mw-cell mw-col-${column.id}`;
  if (column.numeric) {
    name += " mw-num";
  }
  if (column.secondary) {
    name += " mw-secondary";
  }
  return name;
}

/** The short mark a worker's status earns in its row, if any. */
function statusMark(status: number): string {
  if (status === STATUS_RUNNING || status === STATUS_UNKNOWN) {
    return "";
  }
  return statusName(status).replace(" gracefully", "");
}

/** What one message changed; absent fields stay as they were. */
export interface ViewUpdate {
  rows?: readonly Row[];
  cluster?: Cluster;
  meta?: Meta;
  view?: string;
}

export interface ViewOptions {
  /** Called when the user picks a view with the toggle. */
  onViewChange?: (view: ViewName) => void;
}

export class MemoryView {
  readonly root: HTMLDivElement;

  private view: ViewName = "cluster";
  private rows: readonly Row[] = [];
  /** Each address's position in `rows`, kept while the workers stay. */
  private positions = new Map<string, number>();
  private positionsOf: readonly Worker[] = [];
  private clusterSummary: {
    rows: readonly Row[];
    status: string;
    oldest: number;
    alarming: boolean;
  } | null = null;
  private colours: Colour[] = [];
  private clusterColour: Colour = "neutral";
  private scale = 1;
  private cluster: Cluster = parseCluster(null);
  private meta: Meta = parseMeta(null);
  private sort: Sort = DEFAULT_SORT;
  private query = "";
  private readonly arrangement = new Arrangement();

  private readonly buttons: Record<ViewName, HTMLButtonElement>;
  private readonly stateBadge = h("span", { class: "mw-state" });
  private readonly stateMessage = h("span", { class: "mw-message" });
  private readonly windowText = h("span", { class: "mw-window" });
  private readonly clusterSection: HTMLElement;
  private readonly clusterBar = new Bar();
  private readonly clusterTarget: HTMLDivElement;
  private readonly headline: Record<string, HTMLElement> = {};
  private readonly workersSection: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly count = h("span", { class: "mw-count" });
  private readonly table: HTMLDivElement;
  private readonly headers = new Map<SortKey, HTMLElement>();
  private readonly scroller = h("div", { class: "mw-scroll" });
  private readonly spacer = h("div", { class: "mw-spacer", role: "rowgroup" });
  private readonly empty = h("p", { class: "mw-empty" });
  private readonly tooltip: Tooltip;

  private rendered = new Map<string, RowParts>();
  private readonly spare: RowParts[] = [];
  private tipTarget: TipTarget | null = null;
  private tipAnchor: TipAnchor | null = null;
  private readonly options: ViewOptions;
  private resizes: ResizeObserver | null = null;

  constructor(el: HTMLElement, options: ViewOptions = {}) {
    this.options = options;
    const id = `memwidget-${nextId++}`;
    this.tooltip = new Tooltip(`${id}-tooltip`);

    this.buttons = {
      cluster: this.viewButton("cluster", "Cluster"),
      workers: this.viewButton("workers", "Workers"),
    };
    const toolbar = h(
      "div",
      { class: "mw-toolbar" },
      h(
        "div",
        { class: "mw-toggle", role: "group", "aria-label": "View" },
        this.buttons.cluster,
        this.buttons.workers,
      ),
      h(
        "div",
        { class: "mw-status", role: "status" },
        this.stateBadge,
        this.stateMessage,
        this.windowText,
      ),
    );

    this.clusterTarget = h(
      "div",
      {
        class: "mw-cluster-bar",
        role: "img",
        "aria-label": "Cluster memory",
        tabindex: "0",
      },
      this.clusterBar.element,
    );
    this.clusterSection = h(
      "section",
      { class: "mw-cluster-view", "aria-label": "Cluster" },
      h(
        "div",
        { class: "mw-cluster-row" },
        this.clusterTarget,
        this.buildHeadline(),
      ),
    );

    this.filter = h("input", {
      type: "search",
      class: "mw-filter",
      "aria-label": "Filter workers",
      placeholder: "Filter by name, address or host",
      autocomplete: "off",
      spellcheck: "false",
    });
    this.scroller.append(this.spacer);
    this.table = h(
      "div",
      { class: "mw-table", role: "table", "aria-label": "Workers" },
      h("div", { class: "mw-head", role: "rowgroup" }, this.buildHeader()),
      h("div", { class: "mw-body" }, this.scroller),
    );
    this.workersSection = h(
      "section",
      { class: "mw-workers-view", "aria-label": "Workers" },
      h("div", { class: "mw-tools" }, this.filter, this.count),
      this.table,
      this.empty,
    );

    this.root = h(
      "div",
      {
        class: "memwidget",
        "data-view": this.view,
        // JupyterLab: keys pressed inside the widget are not notebook
        // shortcuts (arrows move between rows here, not between cells).
        "data-lm-suppress-shortcuts": "true",
      },
      h("style", {}, CSS),
      toolbar,
      h(
        "div",
        { class: "mw-figures" },
        this.clusterSection,
        this.workersSection,
      ),
      this.buildLegend(),
      this.tooltip.element,
    );
    this.listen();
    // New figures can change the tooltip's size; re-place it then, after
    // layout, instead of reading layout on every update.
    const Observer = el.ownerDocument.defaultView?.ResizeObserver;
    if (Observer !== undefined) {
      this.resizes = new Observer(() => {
        if (this.tooltip.shown && this.tooltip.sizeChanged()) {
          this.placeTip(false);
        }
      });
      this.resizes.observe(this.tooltip.element);
    }
    el.append(this.root);
    this.render();
  }

  /** Switch views, as the toggle does, without telling anyone. */
  setView(view: string): void {
    this.update({ view });
  }

  get currentView(): ViewName {
    return this.view;
  }

  setRows(rows: readonly Row[]): void {
    this.update({ rows });
  }

  setCluster(cluster: Cluster): void {
    this.update({ cluster });
  }

  setMeta(meta: Meta): void {
    this.update({ meta });
  }

  /** Take everything one message changed, then render once. */
  update(changes: ViewUpdate): void {
    let recolour = false;
    if (changes.meta !== undefined) {
      const old = this.meta.thresholds;
      this.meta = changes.meta;
      recolour = !sameThresholds(old, changes.meta.thresholds);
    }
    if (changes.cluster !== undefined) {
      this.cluster = changes.cluster;
    }
    if (changes.rows !== undefined) {
      const rows = changes.rows;
      this.rows = rows;
      if (!sameWorkers(rows, this.positionsOf)) {
        this.positionsOf = rows.map((row) => row.worker);
        this.positions = new Map(
          rows.map((row, position) => [row.worker.address, position]),
        );
      }
      this.scale = sharedScale(rows);
      recolour = true;
    }
    if (recolour) {
      this.recolour();
    }
    if (changes.view !== undefined) {
      const next: ViewName = changes.view === "workers" ? "workers" : "cluster";
      if (next !== this.view) {
        this.view = next;
        this.hideTip();
      } else if (
        changes.rows === undefined &&
        changes.cluster === undefined &&
        changes.meta === undefined
      ) {
        return;
      }
    }
    this.render();
  }

  destroy(): void {
    this.resizes?.disconnect();
    this.root.remove();
  }

  private get thresholds(): Thresholds {
    return this.meta.thresholds ?? NO_THRESHOLDS;
  }

  private recolour(): void {
    const thresholds = this.thresholds;
    this.colours = this.rows.map((row) =>
      baseColour(
        row.process,
        row.memory_limit,
        row.status,
        row.hasData,
        thresholds,
      ),
    );
    this.clusterColour = worstColour(this.colours);
  }

  private render(): void {
    const { root, view } = this;
    setAttr(root, "data-view", view);
    setAttr(root, "data-state", this.meta.state);
    for (const name of ["cluster", "workers"] as const) {
      setAttr(this.buttons[name], "aria-pressed", String(name === view));
    }
    this.renderState();
    setHidden(this.clusterSection, view !== "cluster");
    setHidden(this.workersSection, view !== "workers");
    if (view === "cluster") {
      this.renderCluster();
    } else {
      this.renderWorkers();
    }
    this.renderTip();
  }

  private renderState(): void {
    const { state, message, window } = this.meta;
    setAttr(this.stateBadge, "data-state", state);
    setText(this.stateBadge, state);
    setText(this.stateMessage, message);
    setHidden(this.stateMessage, message === "");
    setText(
      this.windowText,
      Number.isFinite(window) ? `window ${formatDuration(window)}` : "",
    );
  }

  // Cluster view

  private buildHeadline(): HTMLElement {
    const part = (key: string, tag: "strong" | "span" = "span") => {
      const element = h(tag, { "data-field": key });
      this.headline[key] = element;
      return element;
    };
    return h(
      "div",
      { class: "mw-headline" },
      h(
        "div",
        {},
        "process ",
        part("process", "strong"),
        part("memory_limit"),
        " ",
        part("share"),
      ),
      h(
        "div",
        {},
        "unmanaged ",
        part("unmanaged", "strong"),
        ", recent ",
        part("unmanaged_recent"),
      ),
      h(
        "div",
        {},
        "spilled ",
        part("managed_spilled", "strong"),
        " (",
        part("spilled_disk"),
        " on disk)",
      ),
      h("div", {}, part("workers")),
    );
  }

  private renderCluster(): void {
    const cluster = this.cluster;
    const figures: BarFigures = {
      ...cluster,
      splitUnknown: this.clusterSplitUnknown(),
    };
    setAttr(this.clusterTarget, "data-colour", this.clusterColour);
    this.clusterBar.update(
      figures,
      this.clusterColour,
      sharedScale([figures]),
      this.thresholds,
    );
    const { headline } = this;
    const limit = cluster.memory_limit;
    this.setBytes(headline.process, cluster.process);
    setText(
      headline.memory_limit,
      limit === null ? " (no limit)" : ` / ${formatBytes(limit)}`,
    );
    setText(
      headline.share,
      limit === null ? "" : `(${formatShare(cluster.process, limit)})`,
    );
    this.setBytes(headline.unmanaged, cluster.unmanaged);
    this.setBytes(headline.unmanaged_recent, cluster.unmanaged_recent);
    const split = headline.unmanaged?.parentElement;
    if (split) {
      setHidden(split, figures.splitUnknown);
    }
    this.setBytes(headline.managed_spilled, cluster.managed_spilled);
    this.setBytes(headline.spilled_disk, cluster.spilled_disk);
    const workers = cluster.workers;
    let count = `${workers} ${workers === 1 ? "worker" : "workers"}`;
    if (cluster.workers_with_data !== workers) {
      count += `, ${cluster.workers_with_data} with data`;
    }
    setText(headline.workers, count);
  }

  private setBytes(element: HTMLElement | undefined, bytes: number): void {
    if (element !== undefined) {
      setText(element, formatBytes(bytes));
      setAttr(element, "data-bytes", String(bytes));
    }
  }

  /** The cluster's split is unknown when no worker with data knows it. */
  private clusterSplitUnknown(): boolean {
    let unknown = false;
    for (const row of this.rows) {
      if (row.hasData && !row.splitUnknown) {
        return false;
      }
      unknown ||= row.splitUnknown;
    }
    return unknown;
  }

  // Worker view

  private buildHeader(): HTMLElement {
    const header = h("div", { class: "mw-row mw-header-row", role: "row" });
    for (const column of COLUMNS) {
      const cell = h("div", {
        class: cellClass(column),
        role: "columnheader",
      });
      if (column.sort === undefined) {
        cell.textContent = column.label;
      } else {
        const key = column.sort;
        const button = h(
          "button",
          { type: "button", "data-sort-key": key },
          column.label,
          h("span", { class: "mw-arrow", "aria-hidden": "true" }),
        );
        button.addEventListener("click", () => {
          this.sort = nextSort(this.sort, key);
          this.render();
        });
        cell.append(button);
        this.headers.set(key, cell);
      }
      header.append(cell);
    }
    return header;
  }

  private renderWorkers(): void {
    for (const [key, cell] of this.headers) {
      const active = key === this.sort.key;
      const direction = this.sort.descending ? "descending" : "ascending";
      setAttr(cell, "aria-sort", active ? direction : "none");
      const arrow = cell.querySelector(".mw-arrow");
      if (arrow !== null) {
        setText(arrow, active ? (this.sort.descending ? "▼" : "▲") : "");
      }
    }
    const rows = this.arranged();
    const total = this.rows.length;
    setText(
      this.count,
      rows.length === total
        ? `${total} ${total === 1 ? "worker" : "workers"}`
        : `${rows.length} of ${total} workers`,
    );
    setAttr(this.table, "aria-rowcount", String(rows.length + 1));
    setHidden(this.empty, rows.length > 0);
    if (rows.length === 0) {
      setText(this.empty, this.emptyMessage());
    }
    setStyle(this.spacer, "height", `${rows.length * ROW_HEIGHT}px`);
    setStyle(this.scroller, "height", `${this.viewportHeight(rows.length)}px`);
    this.renderRows(rows);
  }

  private emptyMessage(): string {
    if (this.rows.length > 0) {
      return `No worker matches “${this.query}”.`;
    }
    return this.meta.state === "connecting"
      ? "Waiting for the first sample…"
      : "No workers.";
  }

  private arranged(): Row[] {
    return this.arrangement.get(this.rows, this.sort, this.query);
  }

  private viewportHeight(count: number): number {
    return Math.min(count, MAX_VISIBLE_ROWS) * ROW_HEIGHT;
  }

  /** Put the rows in sight, and only those, into the DOM. */
  private renderRows(rows: readonly Row[]): void {
    const height = this.viewportHeight(rows.length);
    const top = Math.max(0, this.scroller.scrollTop);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      rows.length,
      Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN,
    );
    const kept = new Map<string, RowParts>();
    for (let position = first; position < last; position++) {
      const row = rows[position];
      const address = row.worker.address;
      const parts =
        kept.get(address) ??
        this.rendered.get(address) ??
        this.spare.pop() ??
        this.buildRow();
      this.rendered.delete(address);
      kept.set(address, parts);
      this.updateRow(parts, row, position);
    }
    for (const parts of this.rendered.values()) {
      parts.element.remove();
      this.spare.push(parts);
    }
    this.rendered = kept;
    this.order(kept);
  }

  /** Keep DOM order equal to screen order, for tabbing and screen readers. */
  private order(kept: Map<string, RowParts>): void {
    // The root node, not the document: inside a shadow root (marimo) the
    // document only knows the shadow host is focused.
    const focused = (this.root.getRootNode() as Document | ShadowRoot)
      .activeElement;
    let cursor = this.spacer.firstElementChild;
    let refocus: HTMLElement | null = null;
    for (const { element } of kept.values()) {
      if (element === cursor) {
        cursor = cursor.nextElementSibling;
        continue;
      }
      if (element === focused) {
        refocus = element;
      }
      this.spacer.insertBefore(element, cursor);
    }
    if (refocus?.isConnected) {
      refocus.focus({ preventScroll: true });
    }
  }

  private buildRow(): RowParts {
    const element = h("div", { class: "mw-row", role: "row", tabindex: "0" });
    const bar = new Bar();
    bar.element.setAttribute("aria-hidden", "true");
    const cells: Record<string, HTMLDivElement> = {};
    for (const column of COLUMNS) {
      const cell = h("div", { class: cellClass(column), role: "cell" });
      if (column.id === "bar") {
        cell.append(bar.element);
      } else if (column.id === "status") {
        cell.classList.add("mw-flag");
      }
      cells[column.id] = cell;
      element.append(cell);
    }
    return { element, bar, cells };
  }

  private updateRow(parts: RowParts, row: Row, position: number): void {
    const { element, cells } = parts;
    const colour = this.colours[row.index] ?? "neutral";
    const label = row.worker.label;
    setStyle(element, "top", `${position * ROW_HEIGHT}px`);
    setAttr(element, "aria-label", label);
    setAttr(element, "aria-rowindex", String(position + 2));
    setAttr(element, "data-address", row.worker.address);
    setAttr(element, "data-index", String(row.index));
    setAttr(element, "data-colour", colour);
    setAttr(element, "data-status", statusName(row.status));
    setText(cells.name, label);
    parts.bar.update(row, colour, this.scale, this.thresholds);

    const limit = row.memory_limit;
    const split = row.hasData && !row.splitUnknown;
    const bytes = (value: number, known: boolean) =>
      known ? formatBytes(value) : "";
    setText(
      cells.process,
      !row.hasData
        ? ""
        : limit === null
          ? formatBytes(row.process)
          : `${formatBytes(row.process)} / ${formatBytes(limit)}`,
    );
    setText(cells.managed, bytes(row.managed, split));
    setText(cells.unmanaged_recent, bytes(row.unmanaged_recent, split));
    setText(cells.managed_spilled, bytes(row.managed_spilled, row.hasData));
    setText(cells.share, row.hasData ? formatShare(row.process, limit) : "");

    const marks: string[] = [];
    const mark = statusMark(row.status);
    if (mark !== "") {
      marks.push(mark);
    }
    if (!row.hasData) {
      marks.push("no data");
    } else if (row.splitUnknown) {
      marks.push("split unknown");
    }
    setText(cells.status, marks.join(" · "));
    setAttr(
      cells.status,
      "data-alarm",
      String(statusIsAlarming(row.status, row.hasData)),
    );
  }

  private scrollToPosition(position: number): void {
    const rows = this.arranged();
    if (rows.length === 0) {
      return;
    }
    const target = Math.max(0, Math.min(rows.length - 1, position));
    const height = this.viewportHeight(rows.length);
    const top = target * ROW_HEIGHT;
    const scroller = this.scroller;
    if (top < scroller.scrollTop) {
      scroller.scrollTop = top;
    } else if (top + ROW_HEIGHT > scroller.scrollTop + height) {
      scroller.scrollTop = top + ROW_HEIGHT - height;
    }
    this.renderRows(rows);
    this.rendered.get(rows[target].worker.address)?.element.focus();
  }

  private onRowKey(event: KeyboardEvent, element: HTMLElement): void {
    const rows = this.arranged();
    const address = element.dataset.address;
    const position = rows.findIndex((row) => row.worker.address === address);
    if (position < 0) {
      return;
    }
    const page = MAX_VISIBLE_ROWS - 1;
    const moves: Record<string, number> = {
      ArrowDown: position + 1,
      ArrowUp: position - 1,
      PageDown: position + page,
      PageUp: position - page,
      Home: 0,
      End: rows.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      event.stopPropagation();
      this.scrollToPosition(target);
    }
  }

  // Legend

  private buildLegend(): HTMLElement {
    const item = (swatch: string, label: string) =>
      h(
        "span",
        { class: "mw-legend-item" },
        h("span", { class: `mw-swatch ${swatch}`, "aria-hidden": "true" }),
        label,
      );
    return h(
      "div",
      { class: "mw-legend", role: "list", "aria-label": "Legend" },
      ...SEGMENTS.map((segment) => {
        const entry = item(`mw-swatch-${segment}`, FIGURE_LABELS[segment]);
        entry.setAttribute("role", "listitem");
        entry.dataset.segment = segment;
        return entry;
      }),
      ...[
        item("mw-swatch-tick mw-swatch-limit", "memory limit"),
        item("mw-swatch-tick", "target, spill, pause, terminate"),
        item("mw-swatch-orange", "may be spilling"),
        item("mw-swatch-red", "near terminate, or not running"),
      ].map((entry) => {
        entry.setAttribute("role", "listitem");
        return entry;
      }),
    );
  }

  // Tooltip

  private showTip(target: TipTarget, anchor: TipAnchor): void {
    this.clearDescribedBy();
    this.tipTarget = target;
    this.tipAnchor = anchor;
    if (anchor.kind === "element") {
      anchor.element.setAttribute("aria-describedby", this.tooltip.element.id);
    }
    this.renderTip(true);
  }

  private hideTip(): void {
    this.clearDescribedBy();
    this.tipTarget = null;
    this.tipAnchor = null;
    this.tooltip.hide();
  }

  private clearDescribedBy(): void {
    if (this.tipAnchor?.kind === "element") {
      this.tipAnchor.element.removeAttribute("aria-describedby");
    }
  }

  /**
   * Fill the tooltip with the target's figures. Placing it reads layout, so
   * a data update places it only when it follows an element (a focused row
   * may have moved); under the pointer it stays where the last pointer move
   * put it, and moves again only if its size changed (`placeTip`).
   */
  private renderTip(place = false): void {
    const target = this.tipTarget;
    const anchor = this.tipAnchor;
    if (target === null || anchor === null) {
      return;
    }
    const content =
      target.kind === "cluster"
        ? this.clusterTip()
        : this.workerTip(target.address);
    if (content === null) {
      this.hideTip();
      return;
    }
    this.tooltip.show(content);
    if (place || anchor.kind === "element") {
      this.placeTip(true);
    }
  }

  /** Put the shown tooltip by its anchor; reads layout. */
  private placeTip(fit: boolean): void {
    const anchor = this.tipAnchor;
    if (anchor === null || !this.tooltip.shown) {
      return;
    }
    if (anchor.kind === "pointer") {
      this.tooltip.place(anchor.x, anchor.y, this.root, fit);
    } else {
      const rect = anchor.element.getBoundingClientRect();
      this.tooltip.place(rect.left + 12, rect.bottom - 10, this.root, fit);
    }
  }

  private workerTip(address: string): TipContent | null {
    const position = this.positions.get(address);
    const row = position === undefined ? undefined : this.rows[position];
    if (row === undefined) {
      return null;
    }
    const { worker } = row;
    const colour = this.colours[row.index] ?? "neutral";
    const notes: string[] = [];
    if (!row.hasData) {
      notes.push("no data yet");
    } else if (row.splitUnknown) {
      notes.push("managed/unmanaged split unknown");
    }
    const meaning = colourMeaning(
      colour,
      statusIsAlarming(row.status, row.hasData),
    );
    if (meaning !== "") {
      notes.push(meaning);
    }
    const threads = `${worker.nthreads} ${worker.nthreads === 1 ? "thread" : "threads"}`;
    const where = [worker.label === worker.address ? "" : worker.address];
    where.push(worker.host, threads);
    return {
      title: worker.label,
      subtitle: where.filter((part) => part !== "").join(" · "),
      notes,
      figures: row,
      memory_limit: row.memory_limit,
      splitUnknown: row.splitUnknown || !row.hasData,
      status: statusName(row.status),
      age: row.hasData ? row.age : Number.NaN,
    };
  }

  /** What the cluster's tooltip says of its workers, once per set of rows. */
  private summary(): { status: string; oldest: number; alarming: boolean } {
    if (this.clusterSummary?.rows === this.rows) {
      return this.clusterSummary;
    }
    const counts = new Map<string, number>();
    let oldest = Number.NaN;
    let alarming = false;
    for (const row of this.rows) {
      const name = statusName(row.status);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (row.hasData && !(row.age <= oldest)) {
        oldest = row.age;
      }
      alarming ||= statusIsAlarming(row.status, row.hasData);
    }
    const status = [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => `${count} ${name}`)
      .join(", ");
    this.clusterSummary = { rows: this.rows, status, oldest, alarming };
    return this.clusterSummary;
  }

  private clusterTip(): TipContent {
    const { status, oldest, alarming } = this.summary();
    const workers = this.cluster.workers;
    const notes: string[] = [];
    const meaning = colourMeaning(this.clusterColour, alarming);
    if (meaning !== "") {
      const verb = meaning === "may be spilling" ? "" : "is ";
      notes.push(`a worker ${verb}${meaning}`);
    }
    return {
      title: "Cluster",
      subtitle: `${workers} ${workers === 1 ? "worker" : "workers"}`,
      notes,
      figures: this.cluster,
      memory_limit: this.cluster.memory_limit,
      splitUnknown: this.clusterSplitUnknown(),
      status: status === "" ? "no workers" : status,
      age: oldest,
    };
  }

  // Events

  private viewButton(view: ViewName, label: string): HTMLButtonElement {
    const button = h(
      "button",
      { type: "button", "aria-pressed": "false", "data-view": view },
      label,
    );
    button.addEventListener("click", () => {
      if (view !== this.view) {
        this.setView(view);
        this.options.onViewChange?.(view);
      }
    });
    return button;
  }

  private listen(): void {
    const rowOf = (target: EventTarget | null): HTMLElement | null =>
      target instanceof Element
        ? target.closest<HTMLElement>(".mw-body .mw-row")
        : null;

    this.scroller.addEventListener("pointermove", (event) => {
      const row = rowOf(event.target);
      const address = row?.dataset.address;
      if (address === undefined) {
        this.hidePointerTip();
        return;
      }
      this.showTip(
        { kind: "worker", address },
        { kind: "pointer", x: event.clientX, y: event.clientY },
      );
    });
    this.scroller.addEventListener("pointerleave", () => this.hidePointerTip());
    this.scroller.addEventListener("scroll", () => {
      this.hidePointerTip();
      this.renderRows(this.arranged());
      this.renderTip();
    });
    this.spacer.addEventListener("focusin", (event) => {
      const row = rowOf(event.target);
      const address = row?.dataset.address;
      if (row !== null && address !== undefined) {
        this.showTip(
          { kind: "worker", address },
          { kind: "element", element: row },
        );
      }
    });
    this.spacer.addEventListener("focusout", (event) => {
      if (
        this.tipAnchor?.kind === "element" &&
        this.tipAnchor.element === event.target
      ) {
        this.hideTip();
      }
    });
    this.spacer.addEventListener("keydown", (event) => {
      const row = rowOf(event.target);
      if (row !== null) {
        this.onRowKey(event, row);
      }
    });

    const target = this.clusterTarget;
    target.addEventListener("pointermove", (event) => {
      this.showTip(
        { kind: "cluster" },
        { kind: "pointer", x: event.clientX, y: event.clientY },
      );
    });
    target.addEventListener("pointerleave", () => this.hidePointerTip());
    target.addEventListener("focus", () =>
      this.showTip({ kind: "cluster" }, { kind: "element", element: target }),
    );
    target.addEventListener("blur", () => {
      if (this.tipAnchor?.kind === "element") {
        this.hideTip();
      }
    });

    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.tooltip.shown) {
        event.stopPropagation();
        this.hideTip();
      }
    });
    this.filter.addEventListener("input", () => {
      this.query = this.filter.value;
      this.scroller.scrollTop = 0;
      this.render();
    });
  }

  private hidePointerTip(): void {
    if (this.tipAnchor?.kind === "pointer") {
      this.hideTip();
    }
  }
}

function sameThresholds(a: Thresholds, b: Thresholds): boolean {
  return (
    a.target === b.target &&
    a.spill === b.spill &&
    a.pause === b.pause &&
    a.terminate === b.terminate
  );
}
