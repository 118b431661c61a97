import {
  descending as isDescending,
  metricValue,
  RankingMetric,
  type RankingRequest,
  type RankPosition,
} from './rankings.ts';
import type { ReputationStats } from './statistics.ts';
import type { ReputationWindow } from './windows.ts';

/** One enterprise's materialised figures for one rolling window, as rankings list them. */
export interface RankableRow {
  enterpriseId: string;
  window: ReputationWindow;
  industry: string | null;
  name: string;
  stats: ReputationStats;
}

export interface RankedRow {
  row: RankableRow;
  position: number;
  tie: boolean;
}

const METRICS = Object.values(RankingMetric);

/** The rows an index holds, by slot number: lists refer to rows by slot, not by object reference. */
class RowTable {
  readonly rows: RankableRow[] = [];
  private readonly slots = new Map<RankableRow, number>();
  private readonly free: number[] = [];

  slotOf(row: RankableRow): number {
    let slot = this.slots.get(row);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.rows.length;
      this.rows[slot] = row;
      this.slots.set(row, slot);
    }
    return slot;
  }

  release(row: RankableRow): void {
    const slot = this.slots.get(row);
    if (slot === undefined) return;
    this.slots.delete(row);
    this.free.push(slot);
  }
}

/** One ranking's entries before sorting, appended in enterprise id order. */
interface UnsortedColumns {
  values: number[];
  complaints: number[];
  slots: number[];
}

/**
 * One ranking's rows sorted ascending by (value, enterprise id), in typed columns: values,
 * complaint counts and row slots. Moving a row is a native memmove of three typed arrays, and the
 * heap holds no object per entry (millions of them would lengthen every major GC pause).
 */
class SortedList {
  values = new Float64Array(16);
  complaints = new Int32Array(16);
  slots = new Int32Array(16);
  length = 0;

  private readonly table: RowTable;

  constructor(table: RowTable) {
    this.table = table;
  }

  row(k: number): RankableRow {
    return this.table.rows[this.slots[k]];
  }

  /** First position not before (value, enterpriseId). */
  search(value: number, enterpriseId: string): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.values[mid];
      if (v < value || (v === value && this.row(mid).enterpriseId < enterpriseId)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(value: number, row: RankableRow): void {
    const at = this.search(value, row.enterpriseId);
    const n = this.length;
    if (n === this.values.length) this.grow(n * 2);
    this.values.copyWithin(at + 1, at, n);
    this.complaints.copyWithin(at + 1, at, n);
    this.slots.copyWithin(at + 1, at, n);
    this.values[at] = value;
    this.complaints[at] = row.stats.complaints;
    this.slots[at] = this.table.slotOf(row);
    this.length++;
  }

  remove(value: number, enterpriseId: string): void {
    const at = this.search(value, enterpriseId);
    const n = this.length;
    if (at >= n || this.row(at).enterpriseId !== enterpriseId) return;
    this.values.copyWithin(at, at + 1, n);
    this.complaints.copyWithin(at, at + 1, n);
    this.slots.copyWithin(at, at + 1, n);
    this.length--;
  }

  /**
   * A list from parallel columns appended in enterprise id order: sorted by value, ties keep that
   * order, so (value, id). Columns, not an object per entry: a load sorts millions of entries.
   */
  static sorted(table: RowTable, unsorted: UnsortedColumns): SortedList {
    const { values, complaints, slots } = unsorted;
    const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b] || a - b);
    const list = new SortedList(table);
    list.grow(Math.max(16, values.length));
    for (let to = 0; to < order.length; to++) {
      const from = order[to];
      list.values[to] = values[from];
      list.complaints[to] = complaints[from];
      list.slots[to] = slots[from];
    }
    list.length = values.length;
    return list;
  }

  private grow(capacity: number): void {
    const values = new Float64Array(capacity);
    values.set(this.values.subarray(0, this.length));
    const complaints = new Int32Array(capacity);
    complaints.set(this.complaints.subarray(0, this.length));
    const slots = new Int32Array(capacity);
    slots.set(this.slots.subarray(0, this.length));
    this.values = values;
    this.complaints = complaints;
    this.slots = slots;
  }
}

/**
 * Every ranking (window × industry × metric) as an in-memory sorted list, kept current one
 * enterprise at a time. An industry holds a few thousand enterprises even at 100,000 in all, so a
 * page, a total and a rank are walks over one short array; this replaces six SQL indexes that
 * every statistics update had to rewrite (most of the pages a 1,000-listing batch dirtied).
 */
export class RankingIndex {
  private readonly byEnterprise = new Map<string, RankableRow[]>();
  /** Key `window industry`, then one list per metric (METRICS order). */
  private readonly lists = new Map<string, SortedList[]>();
  private table = new RowTable();

  get size(): number {
    return this.byEnterprise.size;
  }

  clear(): void {
    this.byEnterprise.clear();
    this.lists.clear();
    this.table = new RowTable();
  }

  /**
   * The enterprise's window rows as they now are (none: it is gone). A row that keeps its industry
   * is updated in place and moves only in the lists whose value or sample changed: a status change
   * typically moves an enterprise in a few of its thirty lists.
   */
  replaceEnterprise(enterpriseId: string, rows: readonly RankableRow[]): void {
    const previous = this.byEnterprise.get(enterpriseId) ?? [];
    const kept: RankableRow[] = [];
    for (const row of rows) {
      const old = previous.find((p) => p.window === row.window);
      if (!old || old.industry !== row.industry) {
        kept.push({ ...row });
        continue;
      }
      const before = METRICS.map((metric) => metricValue(old.stats, metric));
      const complaintsBefore = old.stats.complaints;
      Object.assign(old, row);
      if (old.industry !== null) {
        const key = listKey(old.window, old.industry);
        const perMetric = this.lists.get(key);
        if (!perMetric) throw new Error(`ranking index: expected lists for ${key}, where ${enterpriseId} is listed`);
        METRICS.forEach((metric, m) => {
          const value = metricValue(old.stats, metric);
          const valueBefore = before[m];
          if (value === valueBefore && old.stats.complaints === complaintsBefore) return;
          if (valueBefore !== null) perMetric[m].remove(valueBefore, enterpriseId);
          if (value !== null) perMetric[m].insert(value, old);
        });
      }
      kept.push(old);
    }
    for (const old of previous) {
      if (kept.includes(old)) continue;
      this.forEachMetric(old, (list, value) => list.remove(value, enterpriseId));
      this.table.release(old);
    }
    for (const row of kept) {
      if (!previous.includes(row)) this.forEachMetric(row, (list, value) => list.insert(value, row));
    }
    if (kept.length === 0) this.byEnterprise.delete(enterpriseId);
    else this.byEnterprise.set(enterpriseId, kept);
  }

  /** Loads every enterprise at once (start, rebuild, day roll), sorting each list once. */
  load(rows: Iterable<RankableRow>): void {
    this.clear();
    for (const row of rows) {
      let own = this.byEnterprise.get(row.enterpriseId);
      if (!own) {
        own = [];
        this.byEnterprise.set(row.enterpriseId, own);
      }
      own.push(row);
    }
    const pending = new Map<string, UnsortedColumns[]>();
    for (const enterpriseId of [...this.byEnterprise.keys()].sort()) {
      for (const row of this.byEnterprise.get(enterpriseId) ?? []) {
        if (row.industry === null) continue;
        const key = listKey(row.window, row.industry);
        let perMetric = pending.get(key);
        if (!perMetric) {
          perMetric = METRICS.map(() => ({ values: [], complaints: [], slots: [] }));
          pending.set(key, perMetric);
        }
        const slot = this.table.slotOf(row);
        for (let m = 0; m < METRICS.length; m++) {
          const value = metricValue(row.stats, METRICS[m]);
          if (value === null) continue;
          perMetric[m].values.push(value);
          perMetric[m].complaints.push(row.stats.complaints);
          perMetric[m].slots.push(slot);
        }
      }
    }
    for (const [key, perMetric] of pending)
      this.lists.set(
        key,
        perMetric.map((unsorted) => SortedList.sorted(this.table, unsorted)),
      );
  }

  row(enterpriseId: string, window: ReputationWindow): RankableRow | null {
    return this.byEnterprise.get(enterpriseId)?.find((r) => r.window === window) ?? null;
  }

  /**
   * One page in listing order (ties by enterprise id), with competition positions ("1224") and
   * the number of enterprises that qualify (at least `minComplaints`, a value for the metric).
   */
  page(request: RankingRequest): { rows: RankedRow[]; total: number } {
    const list = this.list(request.window, request.industry, request.metric);
    const rows: RankedRow[] = [];
    if (!list) return { rows, total: 0 };
    const end = request.offset + request.limit;
    let total = 0;
    walk(list, isDescending(request.metric, request.order), request.minComplaints, (from, to, qualifying, ahead) => {
      total += qualifying;
      if (ahead + qualifying <= request.offset || ahead >= end) return;
      // Within a group of equal values rows go by enterprise id in both directions, as in SQL.
      let index = ahead;
      for (let k = from; k <= to; k++) {
        if (list.complaints[k] < request.minComplaints) continue;
        if (index >= request.offset && index < end)
          rows.push({ row: list.row(k), position: ahead + 1, tie: qualifying > 1 });
        index++;
      }
    });
    return { rows, total };
  }

  /** Where one enterprise stands when the best come first, or null when it does not qualify. */
  rank(
    enterpriseId: string,
    window: ReputationWindow,
    metric: RankingMetric,
    minComplaints: number,
  ): RankPosition | null {
    const row = this.row(enterpriseId, window);
    if (!row || row.industry === null || row.stats.complaints < minComplaints) return null;
    const value = metricValue(row.stats, metric);
    const list = this.list(window, row.industry, metric);
    if (value === null || !list) return null;
    let found: { position: number; tie: boolean } | null = null;
    let total = 0;
    walk(list, isDescending(metric, 'BEST_FIRST'), minComplaints, (from, _to, qualifying, ahead) => {
      if (list.values[from] === value) found = { position: ahead + 1, tie: qualifying > 1 };
      total += qualifying;
    });
    return found ? { ...(found as { position: number; tie: boolean }), outOf: total } : null;
  }

  private list(window: string, industry: string, metric: RankingMetric): SortedList | undefined {
    return this.lists.get(listKey(window, industry))?.[METRICS.indexOf(metric)];
  }

  private forEachMetric(row: RankableRow, act: (list: SortedList, value: number) => void): void {
    if (row.industry === null) return;
    const key = listKey(row.window, row.industry);
    let perMetric = this.lists.get(key);
    if (!perMetric) {
      perMetric = METRICS.map(() => new SortedList(this.table));
      this.lists.set(key, perMetric);
    }
    for (let m = 0; m < METRICS.length; m++) {
      const value = metricValue(row.stats, METRICS[m]);
      if (value !== null) act(perMetric[m], value);
    }
  }
}

/**
 * Visits the qualifying rows of `list` in listing order, one group of equal values at a time (as
 * the index range [from, to], plus how many of them qualify), with how many qualify ahead of it.
 */
function walk(
  list: SortedList,
  desc: boolean,
  minComplaints: number,
  visit: (from: number, to: number, qualifying: number, ahead: number) => void,
): void {
  const { values, complaints } = list;
  const n = list.length;
  let ahead = 0;
  let i = desc ? n - 1 : 0;
  while (desc ? i >= 0 : i < n) {
    let j = i;
    if (desc) while (j - 1 >= 0 && values[j - 1] === values[i]) j--;
    else while (j + 1 < n && values[j + 1] === values[i]) j++;
    const from = desc ? j : i;
    const to = desc ? i : j;
    let qualifying = 0;
    for (let k = from; k <= to; k++) if (complaints[k] >= minComplaints) qualifying++;
    if (qualifying) {
      visit(from, to, qualifying, ahead);
      ahead += qualifying;
    }
    i = desc ? j - 1 : j + 1;
  }
}

function listKey(window: string, industry: string): string {
  return `${window}\u0000${industry}`;
}
