/**
 * Benchmarks the cases store at 100k cases on SQLite:
 *   1. `casesQueue` and `casesForEnterprise` pages with the indexes, against the same queries in
 *      the same run with those indexes dropped (the baseline);
 *   2. the store queries a GraphQL page of 50 cases with respondents and timelines costs
 *      (DataLoader), against a page of 5.
 *
 * Usage: node scripts/bench-cases.ts [--cases 100000] [--runs 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { issueToken } from '../platform/auth.ts';
import { loadConfig } from '../platform/config.ts';
import { enterpriseResolver } from '../platform/enterprise/aliases.ts';
import { createLogger } from '../platform/logger.ts';
import { startSubgraph } from '../platform/server/subgraph-server.ts';
import { openSqlite, transaction } from '../platform/store/sqlite.ts';
import { INDUSTRIES } from '../platform/vocabulary.ts';
import { CASE_STATUSES, type CaseStatus } from '../subgraphs/cases/domain/model.ts';
import { createCasesSubgraph, openCasesStores } from '../subgraphs/cases/subgraph.ts';
import { SqliteCaseRepository } from '../subgraphs/cases/store/case-repository-sqlite.ts';
import { CASE_FORWARDED_INDEX, CASE_INDEXES } from '../subgraphs/cases/store/case-repository-sqlite-schema.ts';
import { countingRepository } from '../subgraphs/cases/store/case-repository-counting.ts';
import { syntheticCase, syntheticCaseWriter } from './synthetic-cases.ts';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '100000' }, runs: { type: 'string', default: '200' } },
});
const CASES = Number(values.cases);
const RUNS = Number(values.runs);
const ENTERPRISES = 2000;

/** Deterministic pseudo-random numbers, so every run builds the same data set. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function fill(repo: SqliteCaseRepository): { bigEnterprise: string; strictEnterprise: string } {
  const random = rng(42);
  const resolver = enterpriseResolver();
  const enterprises = Array.from({ length: ENTERPRISES }, (_, i) => {
    const name = `基准测试企业${i}`;
    return { name, id: resolver.resolve({ name }).id };
  });
  const cases = syntheticCaseWriter(repo.db);
  const insertEvent = repo.db.prepare('INSERT INTO case_events (id, case_id, sequence, doc) VALUES (?, ?, 1, ?)');
  // One enterprise draws one case in ten, and almost none of them is ever forwarded to it
  // (rejected, withdrawn or still waiting): its representative's listing must not scan them.
  const strict = { name: '基准测试企业-多数未转交', id: resolver.resolve({ name: '基准测试企业-多数未转交' }).id };
  const start = Date.parse('2025-01-01T00:00:00Z');
  transaction(repo.db, () => {
    for (let i = 0; i < CASES; i++) {
      // Skewed: a few enterprises draw most complaints, as on the real platforms.
      const isStrict = i % 10 === 0;
      const enterprise = isStrict ? strict : enterprises[Math.floor(ENTERPRISES * random() ** 3)];
      const drawn = CASE_STATUSES[Math.floor(random() * CASE_STATUSES.length)] as CaseStatus;
      const status: CaseStatus =
        isStrict && i % 1000 !== 0 ? (['rejected', 'withdrawn', 'submitted'] as const)[i % 3] : drawn;
      const submittedAt = new Date(start + Math.floor((i / CASES) * 690 * 86_400_000)).toISOString();
      const industry = INDUSTRIES[Math.floor(random() * INDUSTRIES.length)];
      const record = syntheticCase({
        index: i,
        status,
        submittedAt,
        complainantId: `bench-user-${i % 5000}`,
        respondent: enterprise,
        industry,
        random,
      });
      cases.write(record);
      insertEvent.run(
        randomUUID(),
        record.id,
        JSON.stringify({
          id: randomUUID(),
          caseId: record.id,
          sequence: 1,
          type: 'SUBMITTED',
          at: submittedAt,
          actorRole: 'complainant',
          actorId: record.complainantId,
          fromStatus: null,
          toStatus: 'submitted',
          note: null,
        }),
      );
    }
  });
  repo.db.exec('ANALYZE');
  return { bigEnterprise: enterprises[0].id, strictEnterprise: strict.id };
}

async function time(
  label: string,
  work: () => Promise<unknown>,
): Promise<{ label: string; median: number; p95: number }> {
  for (let i = 0; i < 5; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { label, median: samples[Math.floor(samples.length / 2)], p95: samples[Math.floor(samples.length * 0.95)] };
}

async function measure(repo: SqliteCaseRepository, bigEnterprise: string, strictEnterprise: string) {
  const deep = await repo.queue({}, { first: 50 });
  let cursor = deep.cursors.at(-1) ?? null;
  for (let i = 0; i < 20 && cursor; i++)
    cursor = (await repo.queue({}, { first: 50, after: cursor })).cursors.at(-1) ?? null;
  return [
    await time('casesQueue, first page of 50 (default statuses)', () => repo.queue({}, { first: 50 })),
    await time('casesQueue, page 21 of 50 (keyset cursor)', () => repo.queue({}, { first: 50, after: cursor })),
    await time('casesQueue, one status (FORWARDED)', () => repo.queue({ statuses: ['forwarded'] }, { first: 50 })),
    await time('casesForEnterprise, busiest enterprise of the skewed draw, 50 newest', () =>
      repo.listForEnterprise({ enterpriseId: bigEnterprise, forwardedOnly: false }, { first: 50 }),
    ),
    await time('casesForEnterprise, representative view (forwarded only)', () =>
      repo.listForEnterprise({ enterpriseId: bigEnterprise, forwardedOnly: true }, { first: 50 }),
    ),
    await time('casesForEnterprise, representative view, enterprise with ~0.5% of its cases forwarded', () =>
      repo.listForEnterprise({ enterpriseId: strictEnterprise, forwardedOnly: true }, { first: 50 }),
    ),
  ];
}

async function queryCounts(dataDir: string): Promise<Array<{ first: number; calls: string[] }>> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dataDir });
  const logger = createLogger('silent', 'bench');
  const opened = await openCasesStores(config);
  const counting = countingRepository(opened.repo);
  const definition = await createCasesSubgraph({ config, logger }, { stores: { ...opened, repo: counting.repo } });
  const server = await startSubgraph(definition, { config, logger, host: '127.0.0.1', port: 0 });
  const token = await issueToken(config.AUTH_SECRET, { id: 'bench-staff', role: 'staff' });
  const results = [];
  try {
    for (const first of [50, 5]) {
      counting.calls.length = 0;
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query:
            `query($n: Int!) { casesQueue(first: $n) { edges { node { reference status respondent { id ` +
            `name industry } timeline { type at } } } } }`,
          variables: { n: first },
        }),
      });
      const body = (await response.json()) as { data?: { casesQueue: { edges: unknown[] } }; errors?: unknown };
      if (body.errors || body.data?.casesQueue.edges.length !== first)
        throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
      results.push({ first, calls: [...counting.calls] });
    }
  } finally {
    await server.stop();
  }
  return results;
}

const dataDir = mkdtempSync(join(tmpdir(), 'weiquan-bench-cases-'));
try {
  const repo = new SqliteCaseRepository(openSqlite(join(dataDir, 'cases.db')));
  const t0 = Date.now();
  const { bigEnterprise, strictEnterprise } = fill(repo);
  const bigCount = (
    repo.db.prepare('SELECT COUNT(*) AS n FROM cases WHERE enterprise_id = ?').get(bigEnterprise) as { n: number }
  ).n;
  console.log(
    `Filled ${CASES} cases over ${ENTERPRISES} enterprises in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
      `(busiest enterprise of the skewed draw: ${bigCount} cases).`,
  );
  const strictCounts = repo.db
    .prepare('SELECT COUNT(*) AS n, COUNT(forwarded_at) AS forwarded FROM cases WHERE enterprise_id = ?')
    .get(strictEnterprise) as { n: number; forwarded: number };
  console.log(`Enterprise with few forwarded cases: ${strictCounts.n} cases, ${strictCounts.forwarded} forwarded.`);
  const indexed = await measure(repo, bigEnterprise, strictEnterprise);
  repo.db.exec('DROP INDEX cases_enterprise_forwarded; ANALYZE');
  const strictWithoutPartial = await time('same, with cases_enterprise only (no partial index)', () =>
    repo.listForEnterprise({ enterpriseId: strictEnterprise, forwardedOnly: true }, { first: 50 }),
  );
  repo.db.exec(`${CASE_FORWARDED_INDEX}; ANALYZE`);
  repo.db.exec('DROP INDEX cases_queue; DROP INDEX cases_enterprise; DROP INDEX cases_enterprise_forwarded; ANALYZE');
  const baseline = await measure(repo, bigEnterprise, strictEnterprise);
  repo.db.exec(`${CASE_INDEXES.cases_queue}; ${CASE_INDEXES.cases_enterprise}; ${CASE_FORWARDED_INDEX}; ANALYZE`);
  await repo.close();

  console.log(
    `\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB; ${RUNS} runs each after 5 warm-ups.\n`,
  );
  console.log('| query | with indexes: median / p95 ms | without (baseline): median / p95 ms | speed-up (median) |');
  console.log('|---|---|---|---|');
  indexed.forEach((row, i) => {
    const base = baseline[i];
    console.log(
      `| ${row.label} | ${row.median.toFixed(2)} / ${row.p95.toFixed(2)} | ${base.median.toFixed(2)} / ` +
        `${base.p95.toFixed(2)} | ${(base.median / row.median).toFixed(0)}× |`,
    );
  });
  console.log(
    `\nRepresentative view of the enterprise with ~0.5% forwarded, with cases_enterprise only (no partial ` +
      `index): ${strictWithoutPartial.median.toFixed(2)} / ${strictWithoutPartial.p95.toFixed(2)} ms (median / p95).`,
  );
  const counts = await queryCounts(dataDir);
  console.log('\n| GraphQL page (casesQueue with respondent and timeline) | store queries |');
  console.log('|---|---|');
  for (const { first, calls } of counts) console.log(`| first: ${first} | ${calls.length} (${calls.join(', ')}) |`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
