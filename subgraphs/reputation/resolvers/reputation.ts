import type { GraphQLResolverMap } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { requireRole } from '../../../platform/auth.ts';
import { Role, type RequestContext } from '../../../platform/context.ts';
import { badUserInput } from '../../../platform/errors.ts';
import { INDUSTRIES, type Industry } from '../../../platform/vocabulary.ts';
import { cstTimestamp, type Methodology } from '../domain/methodology.ts';
import {
  DEFAULT_MIN_COMPLAINTS,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  RankingMetric,
  RankingOrder,
  TIE_RULE,
  decodeCursor,
  encodeCursor,
  metricValue,
  type ListedEnterprise,
} from '../domain/rankings.ts';
import { contributionOf, type ReputationStats } from '../domain/statistics.ts';
import type { EnterpriseReputation, StatisticsService } from '../domain/statistics-service.ts';
import { REPUTATION_WINDOWS, monthRange, quarterRange, type ReputationWindow } from '../domain/windows.ts';
import type { EnterpriseSummary } from '../store/rollups.ts';
import { type ImportProvenance, type ImportProvenanceRepository, listingOrigin } from '../store/import-provenance.ts';
import type { RedBlackSnapshot } from '../store/snapshots.ts';
import type { ReputationLoaders } from './loaders.ts';

/** What the statistics resolvers need on the request context (attached by subgraph.ts). */
export interface StatisticsContext extends RequestContext {
  statistics: StatisticsService;
  /** Per request: every Enterprise entity and field of one response shares one batched lookup. */
  enterpriseLoader: DataLoader<string, EnterpriseSummary | null>;
  /** Per request: the figures of every Enterprise entity of one response, batched per field arguments. */
  reputationLoaders: ReputationLoaders;
  /** Which listings were imported from a file, and from which (absent: every listing reads as crawled). */
  listingImports?: ImportProvenanceRepository;
}

function provenanceOf(
  record: { source: string; externalId: string; rawHash: string },
  imports: Map<string, ImportProvenance>,
) {
  const { origin, provenance } = listingOrigin(record, imports);
  return {
    origin,
    fileSha256: provenance?.fileSha256 ?? null,
    fileName: provenance?.fileName ?? null,
    row: provenance?.row ?? null,
    importedAt: provenance ? cstTimestamp(provenance.importedAt) : null,
  };
}

export function createEnterpriseLoader(statistics: StatisticsService): DataLoader<string, EnterpriseSummary | null> {
  return new DataLoader((ids) => statistics.enterprises(ids), { maxBatchSize: 500 });
}

export const MAX_LIST_SIZE = 50;
export const MAX_SEARCH_RESULTS = 50;
/**
 * Registered Chinese company names stay well under 60 characters; a longer search text is a
 * mistake or an attack (50,000 characters made SQLite's LIKE fail with "pattern too complex").
 */
export const MAX_SEARCH_TEXT_LENGTH = 100;

interface EnterpriseRef {
  id: string;
  name?: string | null;
  industry?: string | null;
  creditCode?: string | null;
  aliases?: string[];
}

function industryOrNull(value: string | null | undefined): Industry | null {
  return value && (INDUSTRIES as string[]).includes(value) ? (value as Industry) : null;
}

export function enterpriseFields(id: string, summary: EnterpriseSummary | null): Required<EnterpriseRef> {
  return {
    id,
    name: summary?.name ?? null,
    industry: industryOrNull(summary?.industry),
    creditCode: null,
    aliases: summary?.aliases ?? [],
  };
}

export function figures(stats: ReputationStats) {
  return {
    ...stats,
    satisfaction: { mean: stats.satisfactionMean, count: stats.satisfactionCount },
  };
}

/** A `Reputation` as the type's resolvers read it; `trendOf` is what `Reputation.trend` loads from. */
function reputationResult(enterpriseId: string, r: EnterpriseReputation) {
  return {
    ...figures(r),
    window: r.window,
    period: r.period,
    sampleSize: r.complaints,
    trendOf: { id: enterpriseId, range: r.range, current: r, previousPeriod: r.previousPeriod },
    rank: r.rank,
    bySource: r.bySource.map((part) => ({ source: part.source, figures: figures(part.stats) })),
    computedAt: r.computedAt,
  };
}

export function methodologyResult(m: Methodology) {
  return { ...m, period: m.window };
}

function listed(entries: ListedEnterprise[]) {
  return entries.map((e) => ({
    position: e.position,
    tie: e.tie,
    enterprise: { id: e.enterpriseId },
    name: e.name,
    figures: figures(e.stats),
  }));
}

function snapshotResult(s: RedBlackSnapshot) {
  return {
    id: s.id,
    version: s.version,
    industry: s.industry,
    month: s.month,
    size: s.size,
    red: listed(s.red),
    black: listed(s.black),
    methodology: methodologyResult(s.methodology),
    publishedAt: cstTimestamp(s.createdAt),
    contentHash: s.contentHash,
    csvPath: `/export/snapshots/${encodeURIComponent(s.id)}.csv?version=${s.version}`,
  };
}

/** Boundary validation shared by the GraphQL resolvers and the CSV export. */
export function validateMinComplaints(value: number | null | undefined, path = 'minComplaints'): number {
  const min = value ?? DEFAULT_MIN_COMPLAINTS;
  if (!Number.isInteger(min) || min < 0) throw badUserInput(path, 'an integer >= 0', value);
  return min;
}

export function validatePageSize(value: number | null | undefined, path = 'first', max = MAX_PAGE_SIZE): number {
  const first = value ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badUserInput(path, `an integer from 1 to ${max}`, value);
  return first;
}

export function validateOffset(after: string | null | undefined, path = 'after'): number {
  if (after === null || after === undefined) return 0;
  const offset = decodeCursor(after);
  if (offset === null) throw badUserInput(path, 'a cursor returned by a previous page', after);
  return offset;
}

export function validateMonth(month: string, path = 'month'): string {
  if (!monthRange(month)) throw badUserInput(path, 'a month as YYYY-MM', month);
  return month;
}

function validateSize(size: number | null | undefined): number {
  const n = size ?? 10;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_SIZE)
    throw badUserInput('size', `an integer from 1 to ${MAX_LIST_SIZE}`, size);
  return n;
}

export function rankingsCsvPath(args: {
  industry: string;
  window: string;
  metric: string;
  order: string;
  minComplaints: number;
}): string {
  const query = new URLSearchParams({
    industry: args.industry,
    window: args.window,
    metric: args.metric,
    order: args.order,
    minComplaints: String(args.minComplaints),
  });
  return `/export/rankings.csv?${query}`;
}

/** The industry the listings give an enterprise (loaded on demand when a ranking entry does not carry it). */
async function listedIndustry(parent: EnterpriseRef, _args: unknown, ctx: StatisticsContext) {
  return parent.industry !== undefined
    ? parent.industry
    : industryOrNull((await ctx.enterpriseLoader.load(parent.id))?.industry);
}

export const reputationStatisticsResolvers: GraphQLResolverMap<StatisticsContext> = {
  Query: {
    async enterprise(_root, args: { id: string }, ctx) {
      const summary = await ctx.statistics.enterprise(args.id);
      return summary ? enterpriseFields(args.id, summary) : null;
    },
    async searchEnterprises(_root, args: { text: string; first?: number | null }, ctx) {
      const first = validatePageSize(args.first, 'first', MAX_SEARCH_RESULTS);
      if (args.text.trim().length === 0) throw badUserInput('text', 'a non-empty search text', args.text);
      const length = Array.from(args.text).length;
      if (length > MAX_SEARCH_TEXT_LENGTH) {
        throw badUserInput(
          'text',
          `a search text of at most ${MAX_SEARCH_TEXT_LENGTH} characters`,
          `${length} characters`,
        );
      }
      return (await ctx.statistics.searchEnterprises(args.text, first)).map((s) => enterpriseFields(s.id, s));
    },
    async rankings(
      _root,
      args: {
        industry: string;
        window: ReputationWindow;
        metric: RankingMetric;
        order: RankingOrder;
        minComplaints?: number | null;
        first?: number | null;
        after?: string | null;
      },
      ctx,
    ) {
      const minComplaints = validateMinComplaints(args.minComplaints);
      const first = validatePageSize(args.first);
      const offset = validateOffset(args.after);
      const result = await ctx.statistics.rankings({
        industry: args.industry,
        window: args.window,
        metric: args.metric,
        order: args.order,
        minComplaints,
        offset,
        limit: first,
      });
      const edges = result.rows.map((row, i) => ({
        cursor: encodeCursor(offset + i + 1),
        node: {
          position: row.position,
          tie: row.tie,
          value: metricValue(row.stats, args.metric),
          enterprise: { id: row.enterpriseId, name: row.name, industry: industryOrNull(row.industry) },
          name: row.name,
          figures: figures(row.stats),
        },
      }));
      return {
        edges,
        pageInfo: {
          hasNextPage: offset + edges.length < result.total,
          endCursor: edges.length ? edges[edges.length - 1].cursor : null,
        },
        totalCount: result.total,
        methodology: methodologyResult(result.methodology),
        csvPath: rankingsCsvPath({ ...args, minComplaints }),
      };
    },
    async industryReputation(_root, args: { industry: string; window: ReputationWindow }, ctx) {
      const result = await ctx.statistics.industryReputation(args.industry, args.window);
      return { ...result, figures: figures(result.stats) };
    },
    async redBlackList(
      _root,
      args: { industry: string; month: string; size?: number | null; minComplaints?: number | null },
      ctx,
    ) {
      const list = await ctx.statistics.redBlackList(
        args.industry,
        validateMonth(args.month),
        validateSize(args.size),
        validateMinComplaints(args.minComplaints),
      );
      return {
        ...list,
        red: listed(list.red),
        black: listed(list.black),
        methodology: methodologyResult(list.methodology),
      };
    },
    async redBlackSnapshot(_root, args: { id: string; version?: number | null }, ctx) {
      if (
        args.version !== null &&
        args.version !== undefined &&
        (!Number.isInteger(args.version) || args.version < 1)
      ) {
        throw badUserInput('version', 'an integer >= 1', args.version);
      }
      const snapshot = await ctx.statistics.snapshot(args.id, args.version ?? undefined);
      return snapshot ? snapshotResult(snapshot) : null;
    },
    async redBlackSnapshots(_root, args: { industry?: string | null; month?: string | null }, ctx) {
      if (args.month) validateMonth(args.month);
      return (
        await ctx.statistics.snapshots({ industry: args.industry ?? undefined, month: args.month ?? undefined })
      ).map(snapshotResult);
    },
  },
  Mutation: {
    async publishRedBlackSnapshot(
      _root,
      args: { industry: string; month: string; size?: number | null; minComplaints?: number | null },
      ctx,
    ) {
      const actor = requireRole(ctx, Role.Staff, Role.System);
      const snapshot = await ctx.statistics.publishRedBlackSnapshot(
        args.industry,
        validateMonth(args.month),
        validateSize(args.size),
        validateMinComplaints(args.minComplaints),
        actor.id,
      );
      return snapshotResult(snapshot);
    },
  },
  Reputation: {
    // Its own read (the figures of the range before), made only when a query asks for the trend.
    async trend({ trendOf }: ReturnType<typeof reputationResult>, _args: unknown, ctx: StatisticsContext) {
      if (!trendOf.previousPeriod) return null;
      const trend = await ctx.reputationLoaders.trend.load(trendOf);
      return trend ? { ...trend, previousPeriod: trendOf.previousPeriod } : null;
    },
  },
  Enterprise: {
    async __resolveReference(ref: EnterpriseRef, ctx: StatisticsContext) {
      return enterpriseFields(ref.id, await ctx.enterpriseLoader.load(ref.id));
    },
    // Entries of rankings and lists carry only some fields; the rest are loaded on demand.
    async name(parent: EnterpriseRef, _args: unknown, ctx: StatisticsContext) {
      return parent.name !== undefined ? parent.name : ((await ctx.enterpriseLoader.load(parent.id))?.name ?? null);
    },
    industry: listedIndustry,
    // Only this subgraph resolves it, so the directory can rely on it whichever
    // subgraph the planner asks for `industry`.
    listedIndustry,
    creditCode: (parent: EnterpriseRef) => parent.creditCode ?? null,
    async aliases(parent: EnterpriseRef, _args: unknown, ctx: StatisticsContext) {
      return parent.aliases !== undefined
        ? parent.aliases
        : ((await ctx.enterpriseLoader.load(parent.id))?.aliases ?? []);
    },
    async reputation(parent: EnterpriseRef, args: { window: ReputationWindow }, ctx: StatisticsContext) {
      const reputation = await ctx.reputationLoaders.reputation.load({ id: parent.id, window: args.window });
      return reputationResult(parent.id, reputation);
    },
    async periodReputation(
      parent: EnterpriseRef,
      args: { month?: string | null; quarter?: string | null },
      ctx: StatisticsContext,
    ) {
      const given = [args.month, args.quarter].filter((v) => v !== null && v !== undefined);
      if (given.length !== 1)
        throw badUserInput(
          'month',
          'exactly one of month (YYYY-MM) or quarter (YYYY-Qn)',
          given.length === 0 ? null : 'both',
        );
      const range = args.month ? monthRange(args.month) : args.quarter ? quarterRange(args.quarter) : null;
      if (!range)
        throw args.month
          ? badUserInput('month', 'a month as YYYY-MM', args.month)
          : badUserInput('quarter', 'a quarter as YYYY-Qn', args.quarter);
      return reputationResult(parent.id, await ctx.reputationLoaders.periodReputation.load({ id: parent.id, range }));
    },
    async rank(
      parent: EnterpriseRef,
      args: { window: ReputationWindow; metric: RankingMetric; minComplaints?: number | null },
      ctx: StatisticsContext,
    ) {
      const minComplaints = validateMinComplaints(args.minComplaints);
      const position = await ctx.reputationLoaders.rank.load({
        id: parent.id,
        window: args.window,
        metric: args.metric,
        minComplaints,
      });
      return position ? { ...position, metric: args.metric, minComplaints, tieRule: TIE_RULE } : null;
    },
    async listings(
      parent: EnterpriseRef,
      args: { window: ReputationWindow; first?: number | null; after?: string | null },
      ctx: StatisticsContext,
    ) {
      const first = validatePageSize(args.first);
      const page = await ctx.statistics.provenance(parent.id, args.window, { first, after: args.after ?? null });
      const imports = (await ctx.listingImports?.forListings(page.records)) ?? new Map();
      return {
        period: page.period,
        nodes: page.records.map((record) => {
          const counted = contributionOf(record);
          return {
            source: record.source,
            externalId: record.externalId,
            url: record.url,
            status: record.status,
            createdAt: cstTimestamp(record.createdAt),
            repliedAt: record.repliedAt === null ? null : cstTimestamp(record.repliedAt),
            completedAt: record.completedAt === null ? null : cstTimestamp(record.completedAt),
            countedReplied: counted.replied,
            countedCompleted: counted.completed,
            provenance: provenanceOf(record, imports),
          };
        }),
        endCursor: page.endCursor,
        hasNextPage: page.hasNextPage,
      };
    },
  },
};

/** Every rolling window, exported for the month-end job and the CSV export's validation. */
export const WINDOWS: readonly string[] = REPUTATION_WINDOWS;
export const METRICS: readonly string[] = Object.values(RankingMetric);
export const ORDERS: readonly string[] = Object.values(RankingOrder);
