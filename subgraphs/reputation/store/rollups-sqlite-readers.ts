import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';
import { figuresBySource, figuresInRange, type RangeFigures, sourceName, type YearProfile } from '../domain/profile.ts';
import type { RankPosition } from '../domain/rankings.ts';
import { computeStats } from '../domain/statistics.ts';
import { type DayRange, yearOfDay } from '../domain/windows.ts';
import type { RankingSync } from './rollups-sqlite-rankings.ts';
import type { RollupTables, YearRow } from './rollups-sqlite-tables.ts';
import type { EnterpriseRangeStats, EnterpriseSummary, PeriodRow, RankingPage, RollupReader } from './rollups.ts';

/**
 * The read side of the SQLite rollups: enterprises and their aliases, an enterprise's figures over
 * any range, industry months and totals from the years, sources, and rankings from memory. The
 * day roll (`ensureCurrent`) is the adapter's, in rollups-sqlite-day-roll.ts.
 */
export type RollupQueries = Omit<RollupReader, 'ensureCurrent'>;

interface SummaryColumns {
  enterprise_id: string;
  name: string;
  industry: string | null;
  listings: number;
}

/** Ids per query of `enterprises`: far below SQLite's limit of bound parameters. */
const IDS_PER_QUERY = 500;

/** An enterprise's figures over a range, in total and per source, from its years that overlap the range. */
function rangeStats(profile: YearProfile[], range: DayRange): EnterpriseRangeStats {
  const statsOf = (figures: RangeFigures) => computeStats(figures.counts, figures.median, figures.sample);
  const { total, bySource } = figuresBySource(profile, range);
  return {
    total: statsOf(total),
    bySource: bySource.map(({ source, figures }) => ({ source: sourceName(source), stats: statsOf(figures) })),
  };
}

export function createRollupQueries(t: RollupTables, rankings: RankingSync): RollupQueries {
  const { db } = t;
  const selectEnterprise = db.prepare(
    'SELECT enterprise_id, name, industry, listings FROM rep_enterprises WHERE enterprise_id = ?',
  );
  const selectAliases = db.prepare('SELECT name FROM rep_enterprise_aliases WHERE enterprise_id = ? ORDER BY name');
  const searchNames = db.prepare(
    `SELECT DISTINCT e.enterprise_id, e.name, e.industry, e.listings FROM rep_enterprise_aliases n
     JOIN rep_enterprises e ON e.enterprise_id = n.enterprise_id
     WHERE n.name LIKE ? ESCAPE '\\' ORDER BY e.listings DESC, e.enterprise_id LIMIT ?`,
  );
  const summary = (row: SummaryColumns): EnterpriseSummary => ({
    id: row.enterprise_id,
    name: row.name,
    industry: row.industry,
    listings: Number(row.listings),
    aliases: (selectAliases.all(row.enterprise_id) as Array<{ name: string }>).map((r) => r.name),
  });

  // An industry's years over a range, grouped per enterprise: month lists and industry totals.
  const industryQuarters = db.prepare(
    `SELECT e.enterprise_id, e.name, q.year, q.profile FROM rep_enterprises e
     JOIN rep_stats_years q ON q.enterprise_id = e.enterprise_id AND q.year BETWEEN ? AND ?
     WHERE e.industry = ? ORDER BY e.enterprise_id, q.year`,
  );
  function industryProfiles(
    industry: string,
    range: DayRange,
  ): Array<{ enterpriseId: string; name: string; profile: YearProfile[] }> {
    const out: Array<{ enterpriseId: string; name: string; profile: YearProfile[] }> = [];
    const rows = industryQuarters.all(yearOfDay(range.fromDay), yearOfDay(range.toDay), industry) as unknown as Array<
      YearRow & { enterprise_id: string; name: string }
    >;
    let current: { enterpriseId: string; name: string; profile: YearProfile[] } | undefined;
    for (const row of rows) {
      if (current?.enterpriseId !== row.enterprise_id) {
        current = { enterpriseId: row.enterprise_id, name: row.name, profile: [] };
        out.push(current);
      }
      current.profile.push(t.decodeRow(row));
    }
    return out;
  }
  const sourcesWithComplaints = db.prepare(
    `SELECT DISTINCT source FROM rep_stats_source_daily
     WHERE day BETWEEN ? AND ? AND complaints > 0 ORDER BY source`,
  );
  const sourcesCache = new Map<string, string[]>();
  let sourcesVersion = '';

  return {
    async enterprise(id) {
      const row = selectEnterprise.get(id) as SummaryColumns | undefined;
      return row ? summary(row) : null;
    },
    async enterprises(ids) {
      // Two queries per chunk (summaries, then aliases) whatever the number of ids.
      const found = new Map<string, EnterpriseSummary>();
      for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
        const chunk = ids.slice(i, i + IDS_PER_QUERY);
        const marks = chunk.map(() => '?').join(',');
        const rows = db
          .prepare(
            `SELECT enterprise_id, name, industry, listings FROM rep_enterprises WHERE enterprise_id IN (${marks})`,
          )
          .all(...chunk) as unknown as SummaryColumns[];
        for (const row of rows)
          found.set(row.enterprise_id, {
            id: row.enterprise_id,
            name: row.name,
            industry: row.industry,
            listings: Number(row.listings),
            aliases: [],
          });
        const aliases = db
          .prepare(
            `SELECT enterprise_id, name FROM rep_enterprise_aliases
             WHERE enterprise_id IN (${marks}) ORDER BY enterprise_id, name`,
          )
          .all(...chunk) as Array<{ enterprise_id: string; name: string }>;
        for (const alias of aliases) found.get(alias.enterprise_id)?.aliases.push(alias.name);
      }
      return ids.map((id) => found.get(id) ?? null);
    },
    async searchEnterprises(text, limit) {
      const escaped = cleanDisplayName(text).replace(/[\\%_]/g, (c) => `\\${c}`);
      return (searchNames.all(`%${escaped}%`, limit) as unknown as SummaryColumns[]).map(summary);
    },
    async enterpriseStats(enterpriseId, range): Promise<EnterpriseRangeStats> {
      return rangeStats(t.profileIn(enterpriseId, range), range);
    },
    async enterprisesStats(ids, range): Promise<EnterpriseRangeStats[]> {
      // One query per chunk of ids, the years of every enterprise in it, grouped here.
      const profiles = new Map<string, YearProfile[]>();
      for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
        const chunk = ids.slice(i, i + IDS_PER_QUERY);
        const rows = db
          .prepare(
            `SELECT enterprise_id, year, profile FROM rep_stats_years
             WHERE enterprise_id IN (${chunk.map(() => '?').join(',')}) AND year BETWEEN ? AND ?
             ORDER BY enterprise_id, year`,
          )
          .all(...chunk, yearOfDay(range.fromDay), yearOfDay(range.toDay)) as unknown as Array<
          YearRow & { enterprise_id: string }
        >;
        for (const row of rows) {
          const profile = profiles.get(row.enterprise_id);
          if (profile) profile.push(t.decodeRow(row));
          else profiles.set(row.enterprise_id, [t.decodeRow(row)]);
        }
      }
      return ids.map((id) => rangeStats(profiles.get(id) ?? [], range));
    },
    async rank(enterpriseId, window, metric, minComplaints): Promise<RankPosition | null> {
      return rankings.current().rank(enterpriseId, window, metric, minComplaints);
    },
    async ranks(ids, window, metric, minComplaints): Promise<Array<RankPosition | null>> {
      const index = rankings.current();
      return ids.map((id) => index.rank(id, window, metric, minComplaints));
    },
    async rankings(request): Promise<RankingPage> {
      const { rows, total } = rankings.current().page(request);
      return {
        rows: rows.map(({ row, position, tie }) => ({
          enterpriseId: row.enterpriseId,
          name: row.name,
          industry: row.industry,
          stats: row.stats,
          position,
          tie,
        })),
        total,
        asOfDay: t.asOfDay() ?? 0,
      };
    },
    async periodStats(industry, range, minComplaints): Promise<PeriodRow[]> {
      const rows: PeriodRow[] = [];
      for (const { enterpriseId, name, profile } of industryProfiles(industry, range)) {
        const figures = figuresInRange(profile, range);
        if (figures.counts.complaints < Math.max(minComplaints, 1)) continue;
        rows.push({ enterpriseId, name, stats: computeStats(figures.counts, figures.median, figures.sample) });
      }
      return rows;
    },
    async industryStats(industry, range) {
      // The industry's years are whole sorted runs: the median is an order statistic over them.
      const figures = figuresInRange(
        industryProfiles(industry, range).flatMap((e) => e.profile),
        range,
      );
      return computeStats(figures.counts, figures.median, figures.sample);
    },
    async sourcesIn(range) {
      // Asked by every ranking's methodology; it changes only when the data does.
      const version = t.writeVersion();
      if (version !== sourcesVersion) {
        sourcesCache.clear();
        sourcesVersion = version;
      }
      const key = `${range.fromDay}:${range.toDay}`;
      let sources = sourcesCache.get(key);
      if (!sources) {
        sources = (sourcesWithComplaints.all(range.fromDay, range.toDay) as Array<{ source: string }>).map(
          (r) => r.source,
        );
        sourcesCache.set(key, sources);
      }
      return [...sources];
    },
  };
}
