import type { GraphQLResolverMap } from '@apollo/subgraph';
import { Role, type RequestContext } from '../../../platform/context.ts';
import { ListingSource } from '../domain/listing.ts';
import {
  type CrawlStatus,
  initialCrawlState,
  type CrawlState,
  type CrawlStateRepository,
} from '../store/crawl-state.ts';
import type { ListingRepository } from '../store/listings.ts';

/** Display names of the sources, in Chinese and English. */
const SOURCE_NAMES: Record<ListingSource, { zhCN: string; en: string }> = {
  [ListingSource.BlackCat]: { zhCN: '黑猫投诉', en: 'Black Cat Complaints' },
  [ListingSource.Samr12315]: { zhCN: '全国12315平台公示', en: 'National 12315 Platform public listing' },
  [ListingSource.Jutousu]: { zhCN: '21CN聚投诉', en: '21CN Jutousu' },
  [ListingSource.Weiquan]: { zhCN: '维权公开案例', en: 'Weiquan published cases' },
};

export interface ListingSourceStatusView {
  source: ListingSource;
  name: { zhCN: string; en: string };
  status: CrawlStatus;
  lastAttemptAt: string | null;
  lastSuccessfulCrawlAt: string | null;
  dataAgeSeconds: number | null;
  recordsHeld: number;
  quarantined: number;
  lastError: string | null;
  lastErrorAt: string | null;
  evidence: string | null;
}

export interface SourcesService {
  list(options: { includeEvidence: boolean }): Promise<ListingSourceStatusView[]>;
}

/**
 * Health of every listing source, as the `sources` query shows it. Counting records is a scan of
 * the primary key, so counts are cached briefly; states are read fresh.
 */
export function createSourcesService(deps: {
  listings: ListingRepository;
  crawlState: CrawlStateRepository;
  now?: () => number;
  countCacheMs?: number;
}): SourcesService {
  const now = deps.now ?? Date.now;
  const cacheMs = deps.countCacheMs ?? 30_000;
  let counts: {
    at: number;
    records: Partial<Record<ListingSource, number>>;
    quarantined: Map<ListingSource, number>;
  } | null = null;

  async function currentCounts() {
    if (counts && now() - counts.at < cacheMs) return counts;
    const records = await deps.listings.countBySource();
    const quarantined = new Map<ListingSource, number>();
    for (const source of Object.values(ListingSource))
      quarantined.set(source, await deps.listings.countQuarantined(source));
    counts = { at: now(), records, quarantined };
    return counts;
  }

  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  return {
    async list({ includeEvidence }) {
      const states = new Map<ListingSource, CrawlState>(
        (await deps.crawlState.list()).map((state) => [state.source, state]),
      );
      const { records, quarantined } = await currentCounts();
      const at = now();
      return Object.values(ListingSource).map((source) => {
        const state = states.get(source) ?? initialCrawlState(source);
        return {
          source,
          name: SOURCE_NAMES[source],
          status: state.status,
          lastAttemptAt: iso(state.lastAttemptAt),
          lastSuccessfulCrawlAt: iso(state.lastSuccessAt),
          dataAgeSeconds:
            state.lastSuccessAt === null ? null : Math.max(0, Math.floor((at - state.lastSuccessAt) / 1000)),
          recordsHeld: records[source] ?? 0,
          quarantined: quarantined.get(source) ?? 0,
          lastError: state.lastError,
          lastErrorAt: iso(state.lastErrorAt),
          evidence: includeEvidence ? state.evidence : null,
        };
      });
    },
  };
}

export interface SourcesContext extends RequestContext {
  listingSources: SourcesService;
}

/**
 * `Query.sources`: public, because users must see how fresh the figures are. The raw evidence
 * (page samples) is shown to staff and the system only.
 */
export const sourcesResolvers: GraphQLResolverMap<SourcesContext> = {
  Query: {
    sources: (_parent: unknown, _args: unknown, ctx: SourcesContext) =>
      ctx.listingSources.list({ includeEvidence: ctx.actor?.role === Role.Staff || ctx.actor?.role === Role.System }),
  },
};
