import { type RankableRow, RankingIndex } from '../domain/ranking-index.ts';
import { computeStats } from '../domain/statistics.ts';
import { REPUTATION_WINDOWS } from '../domain/windows.ts';
import { decodeWindows } from './rollups-sqlite-profile-codec.ts';
import type { RollupTables } from './rollups-sqlite-tables.ts';

/**
 * Rankings of the SQLite rollups are served from memory (domain/ranking-index.ts) and follow every
 * writer, in this process or another, through the change log (rollups-sqlite-tables.ts).
 */
export interface RankingSync {
  /** Brings the in-memory rankings up to the database, then returns them. */
  current(): RankingIndex;
}

// One reading of an enterprise's windows for rankings, whether one enterprise is re-read or all
// of them are loaded: rates and scores come from computeStats, as on every other path.
type RankableValues = [string, string, string | null, Uint8Array | null];
const rankableRows = ([enterpriseId, name, industry, windows]: RankableValues): RankableRow[] =>
  windows === null
    ? []
    : decodeWindows(windows).map((figures, i) => ({
        enterpriseId,
        window: REPUTATION_WINDOWS[i],
        industry,
        name,
        stats: computeStats(figures.counts, figures.median, figures.sample),
      }));
const RANKABLE = 'SELECT enterprise_id, name, industry, windows FROM rep_enterprises';

export function createRankingSync(t: RollupTables): RankingSync {
  const { db } = t;
  const rankingIndex = new RankingIndex();
  let rankingVersion: string | null = null;
  let rankingSeq = 0;
  const countLoggedSince = db.prepare('SELECT count(*) AS n FROM rep_stats_window_log WHERE seq > ?');
  const countEnterprisesLoggedSince = db.prepare(
    `SELECT count(DISTINCT enterprise_id) AS n, count(*) - count(enterprise_id) AS rebuilds
     FROM rep_stats_window_log WHERE seq > ?`,
  );
  const rankableOf = db.prepare(`${RANKABLE} WHERE enterprise_id = ?`);
  rankableOf.setReturnArrays(true);
  const rankableRowsOfEnterprise = (enterpriseId: string): RankableRow[] => {
    const row = rankableOf.get(enterpriseId) as unknown as RankableValues | undefined;
    return row ? rankableRows(row) : [];
  };

  /** Every enterprise's rows for rankings, read as arrays (100,000 enterprises: objects cost seconds). */
  function allRankableRows(): RankableRow[] {
    const all = db.prepare(RANKABLE);
    all.setReturnArrays(true);
    const out: RankableRow[] = [];
    for (const row of all.iterate() as Iterable<RankableValues>)
      for (const rankable of rankableRows(row)) out.push(rankable);
    return out;
  }

  /**
   * Brings the in-memory rankings up to the database: re-reads the windows of the enterprises
   * logged since the last look, or everything when the log says so (a rebuild) or was pruned past us.
   */
  function syncRankings(): void {
    const version = t.writeVersion();
    if (version === rankingVersion) return;
    // A rebuild or a day roll changes most enterprises: one load then beats as many single
    // updates, and the count alone decides it, without reading a log of 100,000 entries.
    const threshold = rankingIndex.size / 10;
    let reload = rankingVersion === null;
    if (!reload && Number((countLoggedSince.get(rankingSeq) as { n: number }).n) > threshold) {
      // Many entries, but batches log the same enterprises again and again: count them once.
      const distinct = countEnterprisesLoggedSince.get(rankingSeq) as { n: number; rebuilds: number };
      reload = Number(distinct.n) > threshold || Number(distinct.rebuilds) > 0;
    }
    let logged: Array<{ seq: number; enterprise_id: string | null }> = [];
    if (!reload) {
      logged = t.loggedSince.all(rankingSeq) as typeof logged;
      const firstKept = Number((t.firstLogged.get() as { seq: number | null }).seq ?? 0);
      reload =
        logged.some((entry) => entry.enterprise_id === null) || (logged.length > 0 && firstKept > rankingSeq + 1);
    }
    if (reload) {
      rankingSeq = Number((t.lastLogged.get() as { seq: number }).seq);
      rankingIndex.load(allRankableRows());
    } else {
      for (const enterpriseId of new Set(logged.map((entry) => entry.enterprise_id as string))) {
        rankingIndex.replaceEnterprise(enterpriseId, rankableRowsOfEnterprise(enterpriseId));
      }
      if (logged.length) rankingSeq = Number(logged[logged.length - 1].seq);
    }
    rankingVersion = version;
  }

  return {
    current() {
      syncRankings();
      return rankingIndex;
    },
  };
}
