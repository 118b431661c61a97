/**
 * Benchmarks reputation statistics on the embedded store (SQLite):
 *   1. a full rebuild of every rollup from N raw listings, phase by phase, against one plain scan
 *      of the same listings in the same run (the baseline);
 *   2. `rankings` over HTTP under concurrent load (p50/p95/p99), against `{ __typename }` under the
 *      same load (the HTTP + GraphQL baseline), plus the in-process read and the same ranking
 *      computed by scanning raw listings (what the rollups avoid);
 *   3. the incremental update of 1,000-record batches of status changes: the rollup hook alone,
 *      and ingestion's upsert with and without the hook;
 *   4. the day rollover (re-materialising every window).
 *
 * Listings are generated (bench-stats-listings.ts) straight into ingestion's `listings` table with a
 * skewed enterprise distribution (enterprise = floor(E · u²): the busiest 1% get about 10% of
 * complaints), realistic status mixes and reply delays over 3 years.
 *
 * The rest stays one script (over 400 lines on purpose): one run read top to bottom in the order it
 * measures, each phase using the store, the server and the figures of the phases before it, and the
 * report at the end printing them together.
 *
 * Usage: node scripts/bench-stats.ts [--records 1000000] [--enterprises 10000] [--requests 2000]
 *          [--concurrency 16] [--batches 10]
 *          [--dir PATH]   keep the database in PATH and reuse its listings when it already holds --records of them
 *                         (generating 10M takes ~10 min; the rebuild at the start resets every rollup either way)
 *          [--generate-only]  stop after writing the listings (with --dir: prepare a dataset for later runs)
 *          [--pick-seed N]    which listings the incremental batches change (default: from the clock, printed)
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startSubgraph } from '../platform/server/subgraph-server.ts';
import { REPUTATION_SQLITE } from '../subgraphs/reputation/store/listings-open.ts';
import { openSqlite, transaction } from '../platform/store/sqlite.ts';
import { INDUSTRIES } from '../platform/vocabulary.ts';
import type { ListingRecord } from '../subgraphs/reputation/domain/listing.ts';
import { RankingMetric } from '../subgraphs/reputation/domain/rankings.ts';
import { rollingWindow } from '../subgraphs/reputation/domain/windows.ts';
import { resolvers } from '../subgraphs/reputation/resolvers.ts';
import { createSqliteListingRepository, listingFromRow } from '../subgraphs/reputation/store/listings-sqlite.ts';
import { openSqliteRollupStore } from '../subgraphs/reputation/store/rollups-open.ts';
import { createStatistics } from '../subgraphs/reputation/subgraph.ts';
import { BENCH_SOURCES, generateBenchListings } from './bench-stats-listings.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    enterprises: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    batches: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    dir: { type: 'string' },
    'generate-only': { type: 'boolean', default: false },
    'pick-seed': { type: 'string' },
  },
});
const RECORDS = Number(values.records);
const ENTERPRISES = Number(values.enterprises);
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const BATCHES = Number(values.batches);
const AS_OF = Date.parse('2026-11-22T04:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const SOURCES = BENCH_SOURCES;

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const log = (line: string) => console.log(line);

const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'bench-stats-'));
mkdirSync(dir, { recursive: true });
const db = openSqlite(join(dir, 'reputation.db'), REPUTATION_SQLITE);
// The benchmark measures the statistics, not fsync: durability settings stay those of production.
const listings = createSqliteListingRepository(db);
// Created before any listing is written, so opening it does not rebuild (that is measured below).
const slice = createStatistics(openSqliteRollupStore(db), { now: () => AS_OF });
const random = rng(42);

log(`# bench-stats: ${RECORDS.toLocaleString()} listings over ${ENTERPRISES.toLocaleString()} enterprises`);
log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node ${process.version}`,
);

// 1. Generate ----------------------------------------------------------------------------------
const existing = Number((db.prepare('SELECT COUNT(*) AS n FROM listings').get() as { n: number }).n);
if (existing === RECORDS) {
  log(`reusing the ${RECORDS.toLocaleString()} listings in ${dir}`);
} else {
  if (existing !== 0) throw new Error(`${dir} holds ${existing} listings, not ${RECORDS}: use an empty directory`);
  generateBenchListings(db, { records: RECORDS, enterprises: ENTERPRISES, asOf: AS_OF, random, log });
}
if (values['generate-only']) {
  db.close();
  process.exit(0);
}

// 2. Rebuild ------------------------------------------------------------------------------------
const scanStarted = performance.now();
db.prepare(
  `SELECT enterprise_id, COUNT(*), SUM(status = 'COMPLETED'), SUM(replied_at IS NOT NULL) ` +
    `FROM listings GROUP BY enterprise_id`,
).all();
const scanMs = performance.now() - scanStarted;
const phases: Array<[string, number]> = [];
const rebuildStarted = performance.now();
await slice.rollups.rebuildFromListings(AS_OF, { onPhase: (phase, took) => phases.push([phase, took]) });
const rebuildMs = performance.now() - rebuildStarted;
const serialPhases: Array<[string, number]> = [];
const serialStarted = performance.now();
slice.rollups.rebuild(AS_OF, undefined, (phase, took) => serialPhases.push([phase, took]));
const serialMs = performance.now() - serialStarted;
const count = (table: string) => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
log(
  `\n## full rebuild (npm run stats:rebuild: worker threads): ${(rebuildMs / 1000).toFixed(1)} s (baseline: ` +
    `one SQL pass counting each enterprise's listings, grouped along the covering index, ` +
    `${(scanMs / 1000).toFixed(1)} s; ratio ${(rebuildMs / scanMs).toFixed(1)}x)`,
);
for (const [phase, took] of phases)
  log(`- ${phase}: ${(took / 1000).toFixed(2)} s (${((100 * took) / rebuildMs).toFixed(0)}%)`);
log(
  `the same rebuild on one thread: ${(serialMs / 1000).toFixed(1)} s (${(serialMs / rebuildMs).toFixed(1)}x ` +
    `the threaded one)`,
);
for (const [phase, took] of serialPhases)
  log(`- ${phase}: ${(took / 1000).toFixed(2)} s (${((100 * took) / serialMs).toFixed(0)}%)`);
log(
  `rows: ${count('rep_stats_years').toLocaleString()} enterprise-years (daily buckets and reply delays ` +
    `packed per row), ${count('rep_enterprises').toLocaleString()} enterprises (each row holding its five ` +
    `rolling windows); database ${(statSync(join(dir, 'reputation.db')).size / 2 ** 30).toFixed(2)} GiB`,
);

// 3. Rankings -----------------------------------------------------------------------------------
const metrics = Object.values(RankingMetric);
const windows = ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS', 'LAST_365_DAYS', 'ALL_TIME'] as const;
function rankingRequest(i: number) {
  const r = rng(i + 1);
  return {
    industry: INDUSTRIES[Math.floor(r() * INDUSTRIES.length)],
    window: windows[Math.floor(r() * windows.length)],
    metric: metrics[Math.floor(r() * metrics.length)],
    order: r() < 0.5 ? 'BEST_FIRST' : 'WORST_FIRST',
    offset: r() < 0.8 ? 0 : 20 * Math.floor(r() * 10),
  } as const;
}

{
  const inProcess: number[] = [];
  for (let i = 0; i < 500; i++) {
    const req = rankingRequest(i);
    const started = performance.now();
    await slice.service.rankings({ ...req, minComplaints: 30, limit: 20 });
    inProcess.push(performance.now() - started);
  }
  const naive: number[] = [];
  for (let i = 0; i < 3; i++) {
    const req = rankingRequest(i);
    const range = rollingWindow(req.window, AS_OF);
    const started = performance.now();
    db.prepare(
      `SELECT enterprise_id, COUNT(*) AS n, SUM(status = 'COMPLETED' OR completed_at IS NOT NULL) AS done FROM listings
       WHERE industry = ? AND created_at >= ? AND created_at < ? GROUP BY enterprise_id HAVING n >= 30`,
    ).all(req.industry, range.fromDay * 86_400_000 - 8 * HOUR, (range.toDay + 1) * 86_400_000 - 8 * HOUR);
    naive.push(performance.now() - started);
  }
  const s = summary(inProcess);
  const naiveMedian = summary(naive).p50;
  log(
    `\n## rankings, in process (500 calls, page of 20, random industry/window/metric/order/page): ` +
      `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`,
  );
  log(
    `baseline: the same ranking's counts by scanning raw listings (no rollups, no median): ` +
      `${ms(naiveMedian)} per call; rollups are ${(naiveMedian / s.p50).toFixed(0)}x faster at p50`,
  );
}

const config = loadConfig({
  NODE_ENV: 'production',
  AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0000',
  WEBHOOK_SIGNING_SECRET: 'bench-webhook-secret-0000',
  LOG_LEVEL: 'silent',
});
const server = await startSubgraph(
  {
    name: 'reputation',
    resolvers,
    createContext: (base) => ({ ...base, statistics: slice.service }),
    handleHttp: slice.handleHttp,
    checkReady: async () => {},
    close: async () => {},
  },
  { config, logger: createLogger('silent', 'bench'), host: '127.0.0.1', port: 0 },
);
const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
async function load(body: (i: number) => string): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t = performance.now();
        const response = await request(server.url, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
          body: body(i),
        });
        const text = await response.body.text();
        if (response.statusCode !== 200 || text.includes('"errors"'))
          throw new Error(`request ${i} failed: ${text.slice(0, 300)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
{
  const query = `query($industry: Industry!, $window: ReputationWindow!, $metric: RankingMetric!,
      $order: RankingOrder!, $after: String) {
    rankings(industry: $industry, window: $window, metric: $metric, order: $order, first: 20, after: $after) {
      totalCount edges { node { position tie value name
        figures { complaints completionRate wilsonScore medianReplyHours } } }
      pageInfo { endCursor hasNextPage } methodology { formula period { from to } sources dataFreshAsOf } } }`;
  const warm = await load(() => JSON.stringify({ query: '{ __typename }' }));
  void warm;
  const baseline = await load(() => JSON.stringify({ query: '{ __typename }' }));
  const ranked = await load((i) => {
    const req = rankingRequest(i);
    const after = req.offset ? Buffer.from(`r1:${req.offset}`).toString('base64url') : null;
    return JSON.stringify({
      query,
      variables: { industry: req.industry, window: req.window, metric: req.metric, order: req.order, after },
    });
  });
  const b = summary(baseline.latencies);
  const r = summary(ranked.latencies);
  log(`\n## rankings over HTTP, ${REQUESTS} requests, ${CONCURRENCY} concurrent clients`);
  log(
    `rankings: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, max ${ms(r.max)}, ` +
      `${(REQUESTS / ranked.seconds).toFixed(0)} req/s`,
  );
  log(
    `baseline { __typename }: p50 ${ms(b.p50)}, p99 ${ms(b.p99)}, ` +
      `${(REQUESTS / baseline.seconds).toFixed(0)} req/s; rankings/baseline p99 ratio ` +
      `${(r.p99 / b.p99).toFixed(1)}x`,
  );
}
await server.stop();
await agent.close();

// 4. Incremental batches ------------------------------------------------------------------------
{
  const hookOnly: number[] = [];
  const withHook: number[] = [];
  const withoutHook: number[] = [];
  const rankingAfterBatch: number[] = [];
  const select = db.prepare('SELECT * FROM listings WHERE source = ? AND external_id = ?');
  // Every change is a real one (a status that moves on, or a rating that differs), and the listings
  // picked differ from run to run (a seed of its own), so a run on a reused --dir never re-applies
  // what an earlier run already wrote: that would be a no-op the rollups skip.
  const progress = (r: ListingRecord, tag: string): ListingRecord =>
    r.status === 'COMPLETED'
      ? { ...r, satisfaction: ((r.satisfaction ?? 0) % 5) + 1, rawHash: `${r.rawHash}${tag}` }
      : {
          ...r,
          status: 'COMPLETED',
          repliedAt: r.repliedAt ?? r.createdAt + 5 * HOUR,
          completedAt: r.createdAt + 48 * HOUR,
          rawHash: `${r.rawHash}${tag}`,
        };
  const pickSeed = Number(values['pick-seed'] ?? Date.now() % 2 ** 31);
  log(`\n(listings picked with --pick-seed ${pickSeed})`);
  const pickRandom = rng(pickSeed);
  const pick = (): ListingRecord[] => {
    const out: ListingRecord[] = [];
    const seen = new Set<number>();
    while (out.length < 1000) {
      const i = Math.floor(pickRandom() * RECORDS);
      if (seen.has(i)) continue;
      seen.add(i);
      const row = [...new Set(SOURCES)]
        .map((source) => select.get(source, `b${i}`))
        .find((found) => found !== undefined);
      out.push(listingFromRow(row as never));
    }
    return out;
  };
  // Each measurement starts from an empty WAL and ends with its own pages copied back into the
  // database (a checkpoint): otherwise whichever write crosses the auto-checkpoint threshold pays
  // for the pages of the writes before it, and the measurements charge each other.
  const checkpoint = () => db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
  const measure = async (work: () => unknown): Promise<number> => {
    checkpoint();
    const t = performance.now();
    await work();
    checkpoint();
    return performance.now() - t;
  };
  for (let b = 0; b < BATCHES; b++) {
    const before = pick();
    const changes = before.map((r) => ({ before: r, after: progress(r, `x${b}`) }));
    // The hook alone, in its own transaction, then undone so the next measurement starts equal.
    hookOnly.push(await measure(() => slice.rollups.applyChangesInTransaction(changes)));
    slice.rollups.applyChangesInTransaction(changes.map((c) => ({ before: c.after, after: c.before })));
    withHook.push(
      await measure(() =>
        listings.upsertBatch(
          changes.map((c) => c.after),
          (c) => slice.rollups.applyChanges(c),
        ),
      ),
    );
    // The first ranking read after a batch brings the in-memory rankings up to it (the deferred part of the update).
    const t = performance.now();
    await slice.service.rankings({ ...rankingRequest(b), minComplaints: 30, limit: 20 });
    rankingAfterBatch.push(performance.now() - t);
    const next = pick().map((r) => progress(r, `y${b}`));
    withoutHook.push(await measure(() => listings.upsertBatch(next)));
  }
  // New complaints filed today: every window of each enterprise they reach moves, so this is the
  // hook's heaviest batch shape. They are deleted afterwards so a reused --dir keeps its count.
  const freshWithHook: number[] = [];
  const freshWithoutHook: number[] = [];
  const fresh = (tag: string): ListingRecord[] =>
    Array.from({ length: 1000 }, (_, i) => {
      const u = pickRandom();
      const e = Math.floor(ENTERPRISES * u * u);
      return {
        source: SOURCES[i % SOURCES.length],
        externalId: `new-${pickSeed}-${tag}-${i}`,
        url: null,
        enterpriseName: `企业${e}有限公司`,
        enterpriseId: `ent_bench_${e}`,
        enterpriseBasis: 'NAME',
        industry: INDUSTRIES[e % INDUSTRIES.length],
        title: null,
        issue: null,
        demand: null,
        amount: null,
        status: 'PENDING',
        rawStatus: 'PENDING',
        createdAt: AS_OF - Math.floor(pickRandom() * 11 * HOUR),
        repliedAt: null,
        completedAt: null,
        satisfaction: null,
        rawHash: `new-${tag}-${i}`,
      };
    });
  for (let b = 0; b < BATCHES; b++) {
    const withRollups = fresh(`h${b}`);
    freshWithHook.push(await measure(() => listings.upsertBatch(withRollups, (c) => slice.rollups.applyChanges(c))));
    const without = fresh(`o${b}`);
    freshWithoutHook.push(await measure(() => listings.upsertBatch(without)));
  }
  db.prepare(`DELETE FROM listings WHERE external_id LIKE 'new-${pickSeed}-%'`).run();

  const h = summary(hookOnly);
  const w = summary(withHook);
  const o = summary(withoutHook);
  const fw = summary(freshWithHook);
  const fo = summary(freshWithoutHook);
  log(
    `\n## incremental update, ${BATCHES} batches of 1,000 status changes (random listings, ` +
      `so up to 1,000 enterprises each)`,
  );
  log('(each figure includes its commit and the checkpoint that copies its pages back)');
  log(`rollup hook alone: p50 ${ms(h.p50)}, p90 ${ms(h.p90)}, max ${ms(h.max)}`);
  log(
    `ingestion upsert + hook (one transaction): p50 ${ms(w.p50)}, p90 ${ms(w.p90)}, max ${ms(w.max)}; ` +
      `baseline upsert without hook p50 ${ms(o.p50)}; ratio ${(w.p50 / o.p50).toFixed(1)}x; ` +
      `the hook's share ${ms(w.p50 - o.p50)}`,
  );
  log(
    `1,000 new listings filed today (every window of each enterprise reached moves): ` +
      `upsert + hook p50 ${ms(fw.p50)}, p90 ${ms(fw.p90)}, max ${ms(fw.max)}; ` +
      `baseline upsert without hook p50 ${ms(fo.p50)}; the hook's share ${ms(fw.p50 - fo.p50)}`,
  );
  const a = summary(rankingAfterBatch);
  log(
    `first rankings call after each batch (syncs the in-memory rankings with the batch): p50 ${ms(a.p50)}, ` +
      `max ${ms(a.max)}`,
  );
}

// 5. Day rollover -------------------------------------------------------------------------------
{
  // What readers feel is how long the process stops answering: the event loop's longest block.
  const blocked = monitorEventLoopDelay({ resolution: 10 });
  blocked.enable();
  let started = performance.now();
  await slice.rollups.ensureCurrent(AS_OF + DAY);
  const rolled = performance.now() - started;
  // A block is recorded when the timer fires late: let it fire once more before reading.
  await new Promise((resolve) => setTimeout(resolve, 50));
  blocked.disable();
  // Baseline: the next day's roll in this thread, as every roll ran before it moved to worker threads.
  started = performance.now();
  transaction(db, () => slice.rollups.refreshWindows(AS_OF + 2 * DAY));
  const inThread = performance.now() - started;
  started = performance.now();
  await slice.rollups.ensureCurrent(AS_OF + 2 * DAY);
  const reload = performance.now() - started;
  log(`\n## day rollover (re-materialise every window, then reload the in-memory rankings)`);
  log(
    `ensureCurrent on the new day: ${(rolled / 1000).toFixed(1)} s; ` +
      `the longest the event loop was blocked meanwhile: ${ms(blocked.max / 1e6)}`,
  );
  log(
    `baseline: the roll to the next day in this thread ${(inThread / 1000).toFixed(1)} s, ` +
      `blocking throughout, then the rankings reload ${(reload / 1000).toFixed(1)} s`,
  );
}

log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
db.close();
if (!values.keep && !values.dir) rmSync(dir, { recursive: true, force: true });
