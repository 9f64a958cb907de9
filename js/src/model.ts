/** Sorting and filtering of worker rows: pure, and memoised per input. */

import type { Row } from "./wire";

export type SortKey =
  | "name"
  | "process"
  | "managed"
  | "unmanaged_recent"
  | "managed_spilled"
  | "share";

export interface Sort {
  key: SortKey;
  descending: boolean;
}

export const DEFAULT_SORT: Sort = { key: "name", descending: false };

const collator = new Intl.Collator(undefined, {
  numeric: true,
  sensitivity: "base",
});

/** Process memory as a fraction of the limit; workers without one last. */
export function shareOf(row: Row): number {
  return row.memory_limit === null ? -1 : row.process / row.memory_limit;
}

function figureOf(row: Row, key: Exclude<SortKey, "name">): number {
  return key === "share" ? shareOf(row) : row[key];
}

function byName(a: Row, b: Row): number {
  return (
    collator.compare(a.worker.label, b.worker.label) ||
    collator.compare(a.worker.address, b.worker.address) ||
    a.index - b.index
  );
}

/**
 * A new header click: the same key flips direction; a new key starts with
 * names A to Z and figures largest first, which is what one looks for.
 */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) {
    return { key, descending: !current.descending };
  }
  return { key, descending: key !== "name" };
}

export function sortRows(rows: readonly Row[], sort: Sort): Row[] {
  const sign = sort.descending ? -1 : 1;
  const { key } = sort;
  const compare =
    key === "name"
      ? (a: Row, b: Row) => sign * byName(a, b)
      : (a: Row, b: Row) =>
          sign * (figureOf(a, key) - figureOf(b, key)) || byName(a, b);
  return rows.slice().sort(compare);
}

/** Rows whose name, address or host contain `query`, ignoring case. */
export function filterRows(rows: readonly Row[], query: string): Row[] {
  const needle = query.trim().toLowerCase();
  if (needle === "") {
    return rows.slice();
  }
  return rows.filter((row) => row.worker.search.includes(needle));
}

/** The rows to show, recomputed only when rows, sort or filter change. */
export class Arrangement {
  private rows: readonly Row[] | null = null;
  private sort: Sort | null = null;
  private query = "";
  private result: Row[] = [];

  get(rows: readonly Row[], sort: Sort, query: string): Row[] {
    if (
      rows !== this.rows ||
      query !== this.query ||
      this.sort === null ||
      sort.key !== this.sort.key ||
      sort.descending !== this.sort.descending
    ) {
      this.result = sortRows(filterRows(rows, query), sort);
      this.rows = rows;
      this.sort = sort;
      this.query = query;
    }
    return this.result;
  }
}
