/** Sorting and filtering of worker rows: pure, and memoised per input. */

import type { Row, Worker } from "./wire";

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

/** Whether `rows` hold exactly `workers`, in that order. */
export function sameWorkers(
  rows: readonly Row[],
  workers: readonly Worker[],
): boolean {
  if (rows.length !== workers.length) {
    return false;
  }
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].worker !== workers[i]) {
      return false;
    }
  }
  return true;
}

/**
 * The rows to show, recomputed only when rows, sort or filter change.
 *
 * Every tick brings new rows, but names change only with membership: while
 * the workers stay the same (the same `Worker` records at the same
 * positions), their order by name and the filter's matches are kept, so a
 * tick costs a numeric sort at most, never a collator one. The result is
 * the same as `sortRows(filterRows(rows, query), sort)`.
 */
export class Arrangement {
  private rows: readonly Row[] | null = null;
  private sort: Sort | null = null;
  private query = "";
  private result: Row[] = [];

  private workers: readonly Worker[] = [];
  /** Position of each row when all are sorted by name, A to Z. */
  private rank = new Int32Array(0);
  private matchQuery: string | null = null;
  /** Positions of the rows the filter keeps, in the kernel's order. */
  private matches: number[] = [];
  private nameOrder: { descending: boolean; order: number[] } | null = null;

  get(rows: readonly Row[], sort: Sort, query: string): Row[] {
    if (
      rows !== this.rows ||
      query !== this.query ||
      this.sort === null ||
      sort.key !== this.sort.key ||
      sort.descending !== this.sort.descending
    ) {
      this.result = this.arrange(rows, sort, query);
      this.rows = rows;
      this.sort = sort;
      this.query = query;
    }
    return this.result;
  }

  private arrange(rows: readonly Row[], sort: Sort, query: string): Row[] {
    if (!sameWorkers(rows, this.workers)) {
      this.workers = rows.map((row) => row.worker);
      const byNameOrder = rows.map((_, position) => position);
      byNameOrder.sort((a, b) => byName(rows[a], rows[b]));
      this.rank = new Int32Array(rows.length);
      byNameOrder.forEach((position, rank) => {
        this.rank[position] = rank;
      });
      this.matchQuery = null;
    }
    if (query !== this.matchQuery) {
      const needle = query.trim().toLowerCase();
      this.matches = [];
      for (let position = 0; position < rows.length; position++) {
        if (needle === "" || rows[position].worker.search.includes(needle)) {
          this.matches.push(position);
        }
      }
      this.matchQuery = query;
      this.nameOrder = null;
    }
    const { rank } = this;
    const sign = sort.descending ? -1 : 1;
    let order: number[];
    if (sort.key === "name") {
      if (this.nameOrder?.descending !== sort.descending) {
        this.nameOrder = {
          descending: sort.descending,
          order: this.matches
            .slice()
            .sort((a, b) => sign * (rank[a] - rank[b])),
        };
      }
      order = this.nameOrder.order;
    } else {
      const key = sort.key;
      const figures = new Float64Array(rows.length);
      for (const position of this.matches) {
        figures[position] = figureOf(rows[position], key);
      }
      order = this.matches
        .slice()
        .sort((a, b) => sign * (figures[a] - figures[b]) || rank[a] - rank[b]);
    }
    return order.map((position) => rows[position]);
  }
}
