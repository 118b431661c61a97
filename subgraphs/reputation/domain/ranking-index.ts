import { descending as isDescending, metricValue, RankingMetric, type RankingOrder, type RankPosition } from './rankings.ts';
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

interface Entry {
  value: number;
  enterpriseId: string;
  complaints: number;
  row: RankableRow;
}

export interface RankedRow {
  row: RankableRow;
  position: number;
  tie: boolean;
}

const METRICS = Object.values(RankingMetric);

function compareEntries(a: Entry, b: Entry): number {
  return a.value - b.value || (a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0);
}

/** First position in `entries` (sorted by compareEntries) not before `probe`. */
function searchEntry(entries: readonly Entry[], probe: Entry): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(entries[mid], probe) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every ranking (window × industry × metric) as an in-memory sorted list, kept current one
 * enterprise at a time. An industry holds a few thousand enterprises even at 100,000 in all, so a
 * page, a total and a rank are walks over one short array; this replaces six SQL indexes that
 * every statistics update had to rewrite (most of the pages a 1,000-listing batch dirtied).
 */
export class RankingIndex {
  private readonly byEnterprise = new Map<string, RankableRow[]>();
  /** Key `window industry`, then one list per metric (METRICS order): entries sorted ascending by (value, enterprise id). */
  private readonly lists = new Map<string, Entry[][]>();

  get size(): number {
    return this.byEnterprise.size;
  }

  clear(): void {
    this.byEnterprise.clear();
    this.lists.clear();
  }

  /** The enterprise's window rows as they now are (none: it is gone). */
  replaceEnterprise(enterpriseId: string, rows: readonly RankableRow[]): void {
    for (const row of this.byEnterprise.get(enterpriseId) ?? []) this.forEachEntry(row, (list, entry) => list.splice(searchEntry(list, entry), 1));
    if (rows.length === 0) {
      this.byEnterprise.delete(enterpriseId);
      return;
    }
    this.byEnterprise.set(enterpriseId, [...rows]);
    for (const row of rows) this.forEachEntry(row, (list, entry) => list.splice(searchEntry(list, entry), 0, entry));
  }

  /**
   * Loads every enterprise at once (start, rebuild, day roll): entries are appended in enterprise
   * id order and each list is then sorted by value alone, which a stable sort turns into (value,
   * enterprise id) order without comparing ids: about half the cost of a full comparison sort.
   */
  load(rows: Iterable<RankableRow>): void {
    this.clear();
    for (const row of rows) {
      let own = this.byEnterprise.get(row.enterpriseId);
      if (!own) this.byEnterprise.set(row.enterpriseId, (own = []));
      own.push(row);
    }
    for (const enterpriseId of [...this.byEnterprise.keys()].sort()) {
      for (const row of this.byEnterprise.get(enterpriseId)!) this.forEachEntry(row, (list, entry) => list.push(entry));
    }
    for (const perMetric of this.lists.values()) for (const list of perMetric) list.sort((a, b) => a.value - b.value);
  }

  row(enterpriseId: string, window: ReputationWindow): RankableRow | null {
    return this.byEnterprise.get(enterpriseId)?.find((r) => r.window === window) ?? null;
  }

  /**
   * One page in listing order (ties by enterprise id), with competition positions ("1224") and
   * the number of enterprises that qualify (at least `minComplaints`, a value for the metric).
   */
  page(request: { industry: string; window: ReputationWindow; metric: RankingMetric; order: RankingOrder; minComplaints: number; offset: number; limit: number }): { rows: RankedRow[]; total: number } {
    const list = this.list(request.window, request.industry, request.metric);
    const rows: RankedRow[] = [];
    const end = request.offset + request.limit;
    this.walk(list, isDescending(request.metric, request.order), request.minComplaints, (from, to, qualifying, ahead) => {
      if (ahead + qualifying <= request.offset || ahead >= end) return;
      // Within a group of equal values rows go by enterprise id in both directions, as in SQL.
      let index = ahead;
      for (let k = from; k <= to; k++) {
        if (list[k].complaints < request.minComplaints) continue;
        if (index >= request.offset && index < end) rows.push({ row: list[k].row, position: ahead + 1, tie: qualifying > 1 });
        index++;
      }
    });
    let total = 0;
    this.walk(list, false, request.minComplaints, (_from, _to, qualifying) => (total += qualifying));
    return { rows, total };
  }

  /** Where one enterprise stands when the best come first, or null when it does not qualify. */
  rank(enterpriseId: string, window: ReputationWindow, metric: RankingMetric, minComplaints: number): RankPosition | null {
    const row = this.row(enterpriseId, window);
    if (!row || row.industry === null || row.stats.complaints < minComplaints) return null;
    const value = metricValue(row.stats, metric);
    if (value === null) return null;
    const list = this.list(window, row.industry, metric);
    let found: { position: number; tie: boolean } | null = null;
    let total = 0;
    this.walk(list, isDescending(metric, 'BEST_FIRST'), minComplaints, (from, _to, qualifying, ahead) => {
      if (list[from].value === value) found = { position: ahead + 1, tie: qualifying > 1 };
      total += qualifying;
    });
    return found ? { ...(found as { position: number; tie: boolean }), outOf: total } : null;
  }

  /**
   * Visits the qualifying entries in listing order, one group of equal values at a time (as the
   * index range [from, to] of `list`, plus how many of them qualify), with how many qualify ahead.
   */
  private walk(list: readonly Entry[], desc: boolean, minComplaints: number, visit: (from: number, to: number, qualifying: number, ahead: number) => void): void {
    let ahead = 0;
    let i = desc ? list.length - 1 : 0;
    while (desc ? i >= 0 : i < list.length) {
      let j = i;
      while ((desc ? j - 1 >= 0 : j + 1 < list.length) && list[desc ? j - 1 : j + 1].value === list[i].value) j += desc ? -1 : 1;
      const from = desc ? j : i;
      const to = desc ? i : j;
      let qualifying = 0;
      for (let k = from; k <= to; k++) if (list[k].complaints >= minComplaints) qualifying++;
      if (qualifying) {
        visit(from, to, qualifying, ahead);
        ahead += qualifying;
      }
      i = desc ? j - 1 : j + 1;
    }
  }

  private list(window: string, industry: string, metric: RankingMetric): readonly Entry[] {
    return this.lists.get(listKey(window, industry))?.[METRICS.indexOf(metric)] ?? [];
  }

  private forEachEntry(row: RankableRow, act: (list: Entry[], entry: Entry) => void): void {
    if (row.industry === null) return;
    const key = listKey(row.window, row.industry);
    let perMetric = this.lists.get(key);
    if (!perMetric) this.lists.set(key, (perMetric = METRICS.map(() => [])));
    for (let m = 0; m < METRICS.length; m++) {
      const value = metricValue(row.stats, METRICS[m]);
      if (value !== null) act(perMetric[m], { value, enterpriseId: row.enterpriseId, complaints: row.stats.complaints, row });
    }
  }
}

function listKey(window: string, industry: string): string {
  return `${window}\u0000${industry}`;
}
