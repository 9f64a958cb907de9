/**
 * The anywidget entry point: wires the synced traits to the view.
 *
 * The kernel sends `_columns`, `_cluster` and `_meta` every tick and
 * `_identities` when membership changes (docs/wire.md). The view toggle is
 * owned here: a click switches at once and is synced back lazily, because
 * the kernel reads messages from the frontend only when it is idle.
 */

import type { AnyModel, RenderProps } from "@anywidget/types";
import { Batch } from "./batch";
import { MemoryView, type ViewName, type ViewUpdate } from "./view";
import { parseCluster, parseMeta, RowSource } from "./wire";

export interface WidgetModel {
  [key: string]: unknown;
  view: string;
  _columns: unknown;
  _identities: unknown;
  _cluster: unknown;
  _meta: unknown;
}

const TRAITS = [
  "_identities",
  "_columns",
  "_cluster",
  "_meta",
  "view",
] as const;
type Trait = (typeof TRAITS)[number];

/** Mount a widget on `el`; the returned function undoes everything. */
export function mount(model: AnyModel<WidgetModel>, el: HTMLElement) {
  const view = new MemoryView(el, {
    onViewChange: (name: ViewName) => {
      model.set("view", name);
      model.save_changes();
    },
  });
  const source = new RowSource();
  let rows = source.rows;

  // The change events of one message mark what changed; the view renders
  // once per message (see Batch), decoding only what changed.
  const batch = new Batch<Trait>((changed) => {
    const update: ViewUpdate = {};
    if (changed.has("_identities")) {
      source.setIdentities(model.get("_identities"));
    }
    if (changed.has("_columns")) {
      source.setColumns(model.get("_columns"));
    }
    if (source.rows !== rows) {
      rows = source.rows;
      update.rows = rows;
    }
    if (changed.has("_cluster")) {
      update.cluster = parseCluster(model.get("_cluster"));
    }
    if (changed.has("_meta")) {
      update.meta = parseMeta(model.get("_meta"));
    }
    if (changed.has("view")) {
      update.view = model.get("view");
    }
    view.update(update);
  });

  const handlers: [string, () => void][] = TRAITS.map((trait) => [
    `change:${trait}`,
    () => batch.mark(trait),
  ]);
  handlers.push(["change", () => batch.flush()]);
  source.setIdentities(model.get("_identities"));
  source.setColumns(model.get("_columns"));
  rows = source.rows;
  view.update({
    meta: parseMeta(model.get("_meta")),
    cluster: parseCluster(model.get("_cluster")),
    rows,
    view: model.get("view"),
  });
  for (const [event, handler] of handlers) {
    model.on(event, handler);
  }
  return () => {
    batch.close();
    for (const [event, handler] of handlers) {
      model.off(event, handler);
    }
    view.destroy();
  };
}

export function render({ model, el }: RenderProps<WidgetModel>) {
  return mount(model, el);
}

export default { render };
