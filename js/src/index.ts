/**
 * The anywidget entry point: wires the synced traits to the view.
 *
 * The kernel sends `_columns`, `_cluster` and `_meta` every tick and
 * `_identities` when membership changes (docs/wire.md). The view toggle is
 * owned here: a click switches at once and is synced back lazily, because
 * the kernel reads messages from the frontend only when it is idle.
 */

import type { AnyModel, RenderProps } from "@anywidget/types";
import { MemoryView, type ViewName } from "./view";
import { parseCluster, parseMeta, RowSource } from "./wire";

export interface WidgetModel {
  [key: string]: unknown;
  view: string;
  _columns: unknown;
  _identities: unknown;
  _cluster: unknown;
  _meta: unknown;
}

/** Mount a widget on `el`; the returned function undoes everything. */
export function mount(model: AnyModel<WidgetModel>, el: HTMLElement) {
  const view = new MemoryView(el, {
    onViewChange: (name: ViewName) => {
      model.set("view", name);
      model.save_changes();
    },
  });
  const source = new RowSource();

  const onColumns = () => {
    if (source.setColumns(model.get("_columns"))) {
      view.setRows(source.rows);
    }
  };
  const onIdentities = () => {
    if (source.setIdentities(model.get("_identities"))) {
      view.setRows(source.rows);
    }
  };
  const onCluster = () => view.setCluster(parseCluster(model.get("_cluster")));
  const onMeta = () => view.setMeta(parseMeta(model.get("_meta")));
  const onView = () => view.setView(model.get("view"));

  const handlers: [string, () => void][] = [
    ["change:_columns", onColumns],
    ["change:_identities", onIdentities],
    ["change:_cluster", onCluster],
    ["change:_meta", onMeta],
    ["change:view", onView],
  ];
  onMeta();
  onCluster();
  source.setIdentities(model.get("_identities"));
  onColumns();
  onView();
  for (const [event, handler] of handlers) {
    model.on(event, handler);
  }
  return () => {
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
