import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { issueToken } from '../../../../platform/auth.ts';
import { loadConfig } from '../../../../platform/config.ts';
import { createLogger } from '../../../../platform/logger.ts';
import { startSubgraph, type RunningSubgraph } from '../../../../platform/server/subgraph-server.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import { resolvers } from '../../../../subgraphs/reputation/resolvers.ts';
import { createSqliteListingRepository } from '../../../../subgraphs/reputation/store/listings-sqlite.ts';
import {
  DEMO_ENTERPRISES,
  demoListings,
  seedDemoReputation,
} from '../../../../subgraphs/reputation/store/rollups-seed.ts';
import { openSqliteRollupStore } from '../../../../subgraphs/reputation/store/rollups-open.ts';
import type { SqliteRollups } from '../../../../subgraphs/reputation/store/rollups-sqlite.ts';
import { createStatistics, type Statistics } from '../../../../subgraphs/reputation/subgraph.ts';
import { createReputationLoaders } from '../../../../subgraphs/reputation/resolvers/loaders.ts';
import { createEnterpriseLoader } from '../../../../subgraphs/reputation/resolvers/reputation.ts';
import { postGraphQL } from '../../../support/graph.ts';

/** Sunday 2026-11-22, 12:00 in Beijing: the fixed clock of every figure below. */
const NOW = Date.parse('2026-11-22T04:00:00Z');
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

/** The reputation subgraph over a statistics service that counts some of its calls (the batching tests). */
function startCountingSubgraph(counting: typeof slice.service): Promise<RunningSubgraph> {
  return startSubgraph(
    {
      name: 'reputation',
      resolvers,
      createContext: (base) => ({
        ...base,
        statistics: counting,
        enterpriseLoader: createEnterpriseLoader(counting),
        reputationLoaders: createReputationLoaders(counting),
      }),
      checkReady: async () => {},
      close: async () => {},
    },
    { config, logger: createLogger('silent', 'test'), host: '127.0.0.1', port: 0 },
  );
}
let dir: string;
let db: DatabaseSync;
let slice: Statistics<SqliteRollups>;
let server: RunningSubgraph;
const best = enterpriseResolver().resolve({ name: DEMO_ENTERPRISES[0].name }).id;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reputation-resolvers-'));
  db = openSqlite(join(dir, 'reputation.db'));
  await seedDemoReputation(db, { asOf: NOW });
  const listings = createSqliteListingRepository(db);
  slice = createStatistics(openSqliteRollupStore(db), {
    now: () => NOW,
    findListings: (query, page) => listings.find(query, page),
    lastCrawlBySource: async () =>
      new Map([
        ['blackcat', NOW - 3600_000],
        ['jutousu', NOW - 7200_000],
        ['12315', NOW - 86_400_000],
      ]),
  });
  server = await startSubgraph(
    {
      name: 'reputation',
      resolvers,
      createContext: (base) => ({
        ...base,
        statistics: slice.service,
        enterpriseLoader: createEnterpriseLoader(slice.service),
        reputationLoaders: createReputationLoaders(slice.service),
      }),
      handleHttp: slice.handleHttp,
      checkReady: async () => {},
      close: async () => {},
    },
    { config, logger: createLogger('silent', 'test'), host: '127.0.0.1', port: 0 },
  );
});

afterAll(async () => {
  await server.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const q = <T = unknown>(query: string, variables?: Record<string, unknown>, token?: string) =>
  postGraphQL<T>(server.url, query, variables, token);

/** The reputation fields these tests read; each query asks for a subset. */
interface Reputation {
  period: { from: string; to: string; timeZone: string };
  complaints: number;
  sampleSize: number;
  computedAt: string;
  rank: { position: number; outOf: number } | null;
  trend: { previousPeriod: { from: string; to: string } };
  bySource: Array<{ source: string; figures: { complaints: number } }>;
}

/** A page of a ranking, with the fields the cursor test asks for. */
interface RankingPage {
  totalCount: number;
  edges: Array<{ node: { position: number; value: number } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  csvPath: string;
  methodology: { tieRule: string };
}

describe('reputation statistics resolvers', () => {
  test('Enterprise.reputation: figures, rank with outOf and tie, per-source breakdown, trend, computedAt', async () => {
    const { data, errors } = await q<{ _entities: Array<{ reputation: Reputation }> }>(
      `query($rep: [_Any!]!) { _entities(representations: $rep) { ... on Enterprise {
         id name industry reputation(window: LAST_90_DAYS) {
         window period { from to timeZone } complaints replied completed replyRate completionRate wilsonScore sampleSize
         medianReplyHours replyDelaySampleSize satisfaction { mean count } computedAt
         rank { position outOf tie metric minComplaints tieRule }
         trend { previousComplaints complaintsDelta direction previousPeriod { from to } }
         bySource { source figures { complaints } } } } } }`,
      { rep: [{ __typename: 'Enterprise', id: best }] },
    );
    expect(errors).toBeUndefined();
    const e = data!._entities[0];
    expect(e).toMatchObject({ id: best, name: DEMO_ENTERPRISES[0].name, industry: 'ECOMMERCE' });
    const r = e.reputation;
    expect(r.period).toEqual({ from: '2026-08-25', to: '2026-11-22', timeZone: 'Asia/Shanghai (UTC+08:00)' });
    expect(r.complaints).toBeGreaterThanOrEqual(30);
    expect(r.sampleSize).toBe(r.complaints);
    expect(r.bySource.reduce((n, s) => n + s.figures.complaints, 0)).toBe(r.complaints);
    expect(r.rank).toMatchObject({ position: 1, metric: 'WILSON_SCORE', minComplaints: 30 });
    expect(r.rank?.outOf).toBe(3); // the fourth e-commerce demo shop has too few complaints to be ranked
    expect(r.trend.previousPeriod).toEqual({ from: '2026-05-27', to: '2026-08-24' });
    expect(r.computedAt).toBe('2026-11-22T12:00:00+08:00');
  });

  test('an enterprise with no listings gets zeros with sample size 0 and no rank, never NaN', async () => {
    const { data, errors } = await q<{ _entities: unknown[] }>(
      `{ _entities(representations: [{ __typename: "Enterprise", id: "ent1_nobody" }]) {
         ... on Enterprise { name reputation(window: LAST_30_DAYS) {
         complaints replyRate completionRate wilsonScore sampleSize medianReplyHours satisfaction { mean count }
         rank { position } bySource { source } } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?._entities[0]).toEqual({
      name: null,
      reputation: {
        complaints: 0,
        replyRate: 0,
        completionRate: 0,
        wilsonScore: 0,
        sampleSize: 0,
        medianReplyHours: null,
        satisfaction: { mean: null, count: 0 },
        rank: null,
        bySource: [],
      },
    });
  });

  test('rankings page with cursors, state their methodology, and the pages join into the whole ranking', async () => {
    const query = `query($after: String) {
      rankings(industry: ECOMMERCE, window: LAST_365_DAYS, metric: COMPLETION_RATE, minComplaints: 20, first: 2,
        after: $after) {
      totalCount edges { cursor node { position tie value name enterprise { id }
        figures { complaints completionRate } } }
      pageInfo { hasNextPage endCursor } csvPath
      methodology { metric order formula period { from to startsAt timeZone }
        sources minComplaints tieRule dataFreshAsOf computedAt } } }`;
    const first = await q<{ rankings: RankingPage }>(query);
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.rankings;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.methodology).toMatchObject({
      metric: 'COMPLETION_RATE',
      order: 'BEST_FIRST',
      period: {
        from: '2025-11-23',
        to: '2026-11-22',
        startsAt: '2025-11-23T00:00:00+08:00',
        timeZone: 'Asia/Shanghai (UTC+08:00)',
      },
      sources: ['12315', 'blackcat', 'jutousu'],
      minComplaints: 20,
      dataFreshAsOf: '2026-11-21T12:00:00+08:00',
    });
    expect(page1.methodology.tieRule).toContain('1224');
    const second = await q<{ rankings: RankingPage }>(query, { after: page1.pageInfo.endCursor });
    const page2 = second.data!.rankings;
    expect(page2.edges).toHaveLength(1);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const values = [...page1.edges, ...page2.edges].map((e) => e.node.value);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    expect(page2.edges[0].node.position).toBe(3);
    expect(page1.csvPath).toBe(
      '/export/rankings.csv?industry=ECOMMERCE&window=LAST_365_DAYS&metric=COMPLETION_RATE' +
        '&order=BEST_FIRST&minComplaints=20',
    );
  });

  test('minComplaints below 0 and first above the page maximum are BAD_USER_INPUT with the argument path', async () => {
    const negative = await q('{ rankings(industry: FOOD, minComplaints: -1) { totalCount } }');
    expect(negative.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'minComplaints' });
    const tooMany = await q('{ rankings(industry: FOOD, first: 101) { totalCount } }');
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'first' });
    const badCursor = await q('{ rankings(industry: FOOD, after: "nonsense") { totalCount } }');
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'after' });
  });

  test('an unknown window or metric is rejected by the schema', async () => {
    const { errors } = await q('{ rankings(industry: FOOD, window: LAST_2_DAYS, metric: LOUDNESS) { totalCount } }');
    expect(errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('Enterprise.listings lists the counted records with ids, sources and URLs', async () => {
    const expected = demoListings(NOW).filter(
      (r) => r.enterpriseId === best && r.createdAt >= Date.parse('2026-10-23T16:00:00Z'),
    );
    type Listed = {
      reputation: { complaints: number };
      listings: { period: { from: string }; nodes: Array<{ source: string; externalId: string; url: string }> };
    };
    const { data, errors } = await q<{ _entities: Listed[] }>(
      `{ _entities(representations: [{ __typename: "Enterprise", id: "${best}" }]) { ... on Enterprise {
         reputation(window: LAST_30_DAYS) { complaints }
         listings(window: LAST_30_DAYS, first: 100) {
           period { from } nodes { source externalId url countedCompleted } hasNextPage } } } }`,
    );
    expect(errors).toBeUndefined();
    const e = data!._entities[0];
    expect(e.listings.period.from).toBe('2026-10-24');
    expect(e.listings.nodes).toHaveLength(e.reputation.complaints);
    expect(new Set(e.listings.nodes.map((n) => `${n.source}:${n.externalId}`))).toEqual(
      new Set(expected.map((r) => `${r.source}:${r.externalId}`)),
    );
    expect(e.listings.nodes[0].url).toMatch(/^https:\/\/demo\.weiquan\.invalid\//);
  });

  test('searchEnterprises finds enterprises by part of their published name', async () => {
    const { data } = await q<{ searchEnterprises: unknown[] }>(
      '{ searchEnterprises(text: "演示通信") { id name industry aliases } }',
    );
    expect(data?.searchEnterprises).toEqual([
      {
        id: enterpriseResolver().resolve({ name: '演示通信服务有限公司' }).id,
        name: '演示通信服务有限公司',
        industry: 'TELECOM',
        aliases: ['演示通信服务有限公司'],
      },
    ]);
  });

  test('searchEnterprises refuses a text over 100 characters with BAD_USER_INPUT, not a 500', async () => {
    const search = 'query($text: String!) { searchEnterprises(text: $text) { id } }';
    const res = await q(search, { text: '演'.repeat(50_010) });
    expect(res.status).toBe(200);
    expect(res.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argumentPath: 'text',
      expected: 'a search text of at most 100 characters',
    });
    expect((await q(search, { text: '演'.repeat(100) })).errors).toBeUndefined();
  });

  test('searchEnterprises matches % and _ literally, not as LIKE wildcards', async () => {
    const search = 'query($text: String!) { searchEnterprises(text: $text) { id } }';
    for (const text of ['%', '_', '演示%', '演_通信']) {
      const res = await q<{ searchEnterprises: unknown[] }>(search, { text });
      expect(res.errors).toBeUndefined();
      expect(res.data?.searchEnterprises).toEqual([]);
    }
  });

  test('periodReputation covers a calendar month or quarter and rejects both or neither', async () => {
    const ok = await q<{ _entities: Array<{ m: unknown; qq: { period: unknown } }> }>(
      `{ _entities(representations: [{ __typename: "Enterprise", id: "${best}" }]) { ... on Enterprise { m: ` +
        `periodReputation(month: "2026-10") { window period { label from to } rank { position } } qq: ` +
        `periodReputation(quarter: "2026-Q3") { period { from to } } } } }`,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data?._entities[0].m).toEqual({
      window: null,
      period: { label: 'MONTH 2026-10', from: '2026-10-01', to: '2026-10-31' },
      rank: null,
    });
    expect(ok.data?._entities[0].qq.period).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    const bad = await q(
      `{ _entities(representations: [{ __typename: "Enterprise", id: "${best}" }]) { ... ` +
        `on Enterprise { periodReputation(month: "2026-10", quarter: "2026-Q3") { complaints } } } }`,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'month' });
  });

  test('publishing a red/black list needs staff; each publication is a new immutable version', async () => {
    const mutation =
      'mutation { publishRedBlackSnapshot(industry: ECOMMERCE, month: "2026-10", size: 2, minComplaints: 5) ' +
      '{ id version contentHash red { position name } black { position name } csvPath } }';
    const anonymous = await q(mutation);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const complainant = await q(
      mutation,
      undefined,
      await issueToken(config.AUTH_SECRET, { id: 'u1', role: 'complainant' }),
    );
    expect(complainant.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const staff = await issueToken(config.AUTH_SECRET, { id: 'editor-1', role: 'staff' });
    type Published = { publishRedBlackSnapshot: { id: string; version: number; contentHash: string; red: unknown[] } };
    const v1 = (await q<Published>(mutation, undefined, staff)).data!.publishRedBlackSnapshot;
    const v2 = (await q<Published>(mutation, undefined, staff)).data!.publishRedBlackSnapshot;
    expect([v1.id, v1.version, v2.version]).toEqual(['rbl-ECOMMERCE-2026-10', 1, 2]);
    expect(v1.red).toHaveLength(2);
    const fetched = await q<{ redBlackSnapshot: unknown; all: Array<{ version: number }> }>(
      '{ redBlackSnapshot(id: "rbl-ECOMMERCE-2026-10", version: 1) { version contentHash red { name } } all: ' +
        'redBlackSnapshots(industry: ECOMMERCE) { version } }',
    );
    expect(fetched.data?.redBlackSnapshot).toMatchObject({ version: 1, contentHash: v1.contentHash });
    expect(fetched.data?.all.map((s) => s.version)).toEqual([2, 1]);
  });

  test('redBlackList rejects a malformed month and an oversized list', async () => {
    const month = await q('{ redBlackList(industry: FOOD, month: "2026-13") { closed } }');
    expect(month.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'month' });
    const size = await q('{ redBlackList(industry: FOOD, month: "2026-10", size: 500) { closed } }');
    expect(size.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'size' });
    const ok = await q<{ redBlackList: unknown }>(
      '{ redBlackList(industry: ECOMMERCE, month: "2026-11", minComplaints: 1) ' +
        '{ closed red { position } methodology { period { from to } } } }',
    );
    expect(ok.data?.redBlackList).toMatchObject({
      closed: false,
      methodology: { period: { from: '2026-11-01', to: '2026-11-30' } },
    });
  });

  test('industryReputation totals the industry', async () => {
    const { data, errors } = await q<{ industryReputation: { figures: { complaints: number } } }>(
      '{ industryReputation(industry: TELECOM, window: ALL_TIME) { figures { complaints medianReplyHours } } }',
    );
    expect(errors).toBeUndefined();
    expect(data?.industryReputation.figures.complaints).toBe(440);
  });
});

describe('Enterprise lookups are batched per request', () => {
  test('enterprises(ids) answers in the order asked, null for an unknown id, as enterprise(id) would', async () => {
    const ids = [
      ...DEMO_ENTERPRISES.map((e) => enterpriseResolver().resolve({ name: e.name }).id),
      'ent1_unknown00000000000',
    ];
    const batched = await slice.service.enterprises(ids);
    const single = await Promise.all(ids.map((id) => slice.service.enterprise(id)));
    expect(batched).toEqual(single);
    expect(batched.at(-1)).toBeNull();
  });

  test('Enterprise entities with name, industry and aliases cost one batched lookup, not one per field', async () => {
    const calls: number[] = [];
    const counting = {
      ...slice.service,
      enterprises: (ids: readonly string[]) => {
        calls.push(ids.length);
        return slice.service.enterprises(ids);
      },
    };
    const counted = await startCountingSubgraph(counting);
    try {
      const representations = DEMO_ENTERPRISES.map((e) => ({
        __typename: 'Enterprise',
        id: enterpriseResolver().resolve({ name: e.name }).id,
      }));
      const { data, errors } = await postGraphQL<{ _entities: unknown[] }>(
        counted.url,
        `query($rep: [_Any!]!) { _entities(representations: $rep) { ... on Enterprise { id name industry aliases } } }`,
        { rep: representations },
      );
      expect(errors).toBeUndefined();
      expect(data?._entities).toHaveLength(DEMO_ENTERPRISES.length);
      expect(calls).toEqual([DEMO_ENTERPRISES.length]);
    } finally {
      await counted.stop();
    }
  });

  test('reputation, periodReputation and rank of many entities cost one batched read each, same answers', async () => {
    const calls: string[] = [];
    const counting = {
      ...slice.service,
      reputations: (...args: Parameters<typeof slice.service.reputations>) => {
        calls.push(`reputations:${args[0].length}`);
        return slice.service.reputations(...args);
      },
      periodReputations: (...args: Parameters<typeof slice.service.periodReputations>) => {
        calls.push(`periodReputations:${args[0].length}`);
        return slice.service.periodReputations(...args);
      },
      ranks: (...args: Parameters<typeof slice.service.ranks>) => {
        calls.push(`ranks:${args[0].length}`);
        return slice.service.ranks(...args);
      },
      trends: (...args: Parameters<typeof slice.service.trends>) => {
        calls.push(`trends:${args[0].length}`);
        return slice.service.trends(...args);
      },
    };
    const counted = await startCountingSubgraph(counting);
    const fields =
      'reputation { complaints wilsonScore trend { complaintsDelta } rank { position outOf } } ' +
      'periodReputation(month: "2026-10") { complaints completionRate } ' +
      'rank(window: ALL_TIME, minComplaints: 1) { position outOf tie }';
    const ids = DEMO_ENTERPRISES.map((e) => enterpriseResolver().resolve({ name: e.name }).id);
    try {
      const { data, errors } = await postGraphQL<{ _entities: unknown[] }>(
        counted.url,
        `query($rep: [_Any!]!) { _entities(representations: $rep) { ... on Enterprise { ${fields} } } }`,
        { rep: ids.map((id) => ({ __typename: 'Enterprise', id })) },
      );
      expect(errors).toBeUndefined();
      expect(calls.sort()).toEqual([
        `periodReputations:${ids.length}`,
        `ranks:${ids.length}`,
        `reputations:${ids.length}`,
        `trends:${ids.length}`,
      ]);
      for (const [i, id] of ids.entries()) {
        const one = await postGraphQL<{ enterprise: unknown }>(server.url, `{ enterprise(id: "${id}") { ${fields} } }`);
        expect(one.errors).toBeUndefined();
        expect(data?._entities[i]).toEqual(one.data?.enterprise);
      }
      expect(data?._entities.some((e) => (e as { rank: unknown }).rank !== null)).toBe(true);

      // The trend costs a read of the range before; a query without it does not pay for it.
      calls.length = 0;
      const figuresOnly = await postGraphQL<{ _entities: unknown[] }>(
        counted.url,
        'query($rep: [_Any!]!) { _entities(representations: $rep) { ... on Enterprise { ' +
          'reputation { complaints completionRate wilsonScore } } } }',
        { rep: ids.map((id) => ({ __typename: 'Enterprise', id })) },
      );
      expect(figuresOnly.errors).toBeUndefined();
      expect(calls).toEqual([`reputations:${ids.length}`]);
    } finally {
      await counted.stop();
    }
  });
});
