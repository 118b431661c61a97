/**
 * Ingestion benchmark, end to end: the local fixture server (a child process, as a remote site
 * would be) serves a long 12315 listing (synthetic rows, 50 per page, ETags on), the real
 * fetcher reads it over loopback HTTP, the
 * adapter parses and normalises, and the pipeline upserts page by page into a fresh SQLite store.
 *
 *   node --expose-gc scripts/bench-ingest.ts [--records 50000] [--import-rows 100000]
 *
 * Import row: `npm run import`'s path on a 100,000-row CSV (csv-parse, row validation,
 * normalisation, enterprise resolution, batched upserts with the statistics rollups and the
 * provenance in each write transaction) into a fresh SQLite store.
 *
 * Baselines in the same run: parse+normalise only (no HTTP, no store), and HTTP fetch only.
 * Memory: peak RSS of the process and the heap sampled after every page of the long crawl.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config.ts';
import { enterpriseResolver } from '../platform/enterprise/aliases.ts';
import { runImport } from '../subgraphs/reputation/sources/import/run.ts';
import { openImportProvenance } from '../subgraphs/reputation/store/import-provenance-open.ts';
import { openIngestionStore } from '../subgraphs/reputation/store/listings-open.ts';
import { openRollupStore } from '../subgraphs/reputation/store/rollups-open.ts';
import { REPUTATION_SQLITE } from '../subgraphs/reputation/store/listings-open.ts';
import { openSqlite } from '../platform/store/sqlite.ts';
import { ListingSource } from '../subgraphs/reputation/domain/listing.ts';
import { createFetcher } from '../subgraphs/reputation/fetch/fetcher.ts';
import { runIngest } from '../subgraphs/reputation/ingest/run.ts';
import { parseSamrPage, samrListUrl, SAMR_PAGE_SIZE } from '../subgraphs/reputation/sources/samr12315.ts';
import { SOURCE_ADAPTERS } from '../subgraphs/reputation/sources/index.ts';
import { createSqliteCrawlStateRepository } from '../subgraphs/reputation/store/crawl-state-sqlite.ts';
import { createSqliteListingRepository } from '../subgraphs/reputation/store/listings-sqlite.ts';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FIXTURE_12315_TOKEN } from './fixture-server.ts';
import { syntheticSamrRow } from './fixture-server/dataset.ts';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '50000' }, 'import-rows': { type: 'string', default: '100000' } },
});
const importRows = Number(values['import-rows']);
if (!Number.isInteger(importRows) || importRows < 1) {
  console.error(`--import-rows: expected a positive integer, got "${values['import-rows']}".`);
  process.exit(2);
}
const records = Number(values.records);
if (!Number.isInteger(records) || records < SAMR_PAGE_SIZE || records > 1000 * SAMR_PAGE_SIZE) {
  console.error(
    `--records: expected an integer from ${SAMR_PAGE_SIZE} to ${1000 * SAMR_PAGE_SIZE}, got "${values.records}".`,
  );
  process.exit(2);
}
const pages = Math.ceil(records / SAMR_PAGE_SIZE);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));

// 1. Parse + normalise only, over page bodies built in memory.
const resolver = enterpriseResolver();
const context = { baseUrl: 'http://bench.invalid/samr', resolver, since: null };
const range = { from: '2025-01-01', to: '2026-01-20' };
const listUrl = (base: string, page: number) => samrListUrl(base, range, (page - 1) * SAMR_PAGE_SIZE);
let parsed = 0;
let started = performance.now();
for (let page = 1; page <= pages; page++) {
  const list = [];
  for (let i = (page - 1) * SAMR_PAGE_SIZE; i < Math.min(records, page * SAMR_PAGE_SIZE); i++)
    list.push(syntheticSamrRow(i));
  const body = JSON.stringify({ total: records, rows: list });
  const outcome = parseSamrPage(body, { url: listUrl(context.baseUrl, page), page }, context);
  if (outcome.kind === 'items') parsed += outcome.items.length;
}
const parseMs = performance.now() - started;

const child = spawn(
  process.execPath,
  [fileURLToPath(new URL('./fixture-server.ts', import.meta.url)), '--port', '0', '--volume', `samr12315=${records}`],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const serverUrl = await new Promise<string>((resolve, reject) => {
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const match = /on (http:\/\/[\d.]+:\d+)/.exec(output);
    if (match) resolve(match[1]);
  });
  child.on('exit', (code) => reject(new Error(`fixture server exited with ${code}`)));
});
const server = { baseUrls: { samr12315: `${serverUrl}/samr/public-web` } };
const fetcher = createFetcher({ userAgent: 'WeiquanBot/0.1 (+bench)', minTimeMs: 0, maxConcurrentPerHost: 1 });

// 2. HTTP only: every page fetched, nothing parsed.
started = performance.now();
for (let page = 1; page <= pages; page++)
  await fetcher.fetch({ url: listUrl(server.baseUrls.samr12315, page), headers: { token: FIXTURE_12315_TOKEN } });
const fetchMs = performance.now() - started;

// 3. End to end: fetch, parse, normalise, upsert page by page (one transaction each), fresh store.
const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
const db = openSqlite(join(dir, 'reputation.db'), REPUTATION_SQLITE);
const listings = createSqliteListingRepository(db);
const crawlState = createSqliteCrawlStateRepository(db);
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
let heapPeak = heapBefore;
const liveHeap: number[] = [];
const deps = {
  adapter: SOURCE_ADAPTERS[ListingSource.Samr12315],
  fetcher,
  listings,
  crawlState,
  resolver,
  baseUrl: server.baseUrls.samr12315,
  credential: FIXTURE_12315_TOKEN,
  onPage: (progress: { page: number }) => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    // With --expose-gc: the live heap every 100 pages, to show it does not grow with the crawl.
    if (global.gc && progress.page % 100 === 0) {
      global.gc();
      liveHeap.push(Math.round(process.memoryUsage().heapUsed / 1048576));
    }
  },
};
started = performance.now();
const first = await runIngest(deps);
const ingestMs = performance.now() - started;
// 4. Re-run with nothing new, without conditional requests: every page fetched and parsed, nothing written.
started = performance.now();
const again = await runIngest(deps, { since: 0, conditional: false });
const rerunMs = performance.now() - started;

const stored = await listings.count();
await fetcher.close();
child.kill();
db.close();
rmSync(dir, { recursive: true, force: true });

// 5. Import: a generated CSV of `importRows` rows, through runImport with the statistics hook.
const importDir = mkdtempSync(join(tmpdir(), 'bench-import-'));
const csvPath = join(importDir, 'complaints.csv');
const csvLines = ['source_id,enterprise_name,credit_code,created_at,status,title,amount,replied_at'];
for (let i = 0; i < importRows; i++) {
  const row = syntheticSamrRow(i);
  const created = String(row.endtime);
  const status = ['PENDING', 'IN_PROGRESS', 'REPLIED', 'CLOSED'][i % 4];
  const replied = status === 'REPLIED' ? created : '';
  csvLines.push(
    `B${i},"${row.entName}",,${created},${status},"${String(row.content).replace(/"/g, '""')}",${i % 500},${replied}`,
  );
}
writeFileSync(csvPath, `${csvLines.join('\n')}\n`);
const importConfig = loadConfig({ DATA_DIR: join(importDir, 'data'), LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
const importStore = await openIngestionStore(importConfig);
const importStatistics = await openRollupStore(importStore);
started = performance.now();
const imported = await runImport(
  {
    listings: importStore.listings,
    provenance: openImportProvenance(importStore),
    resolver,
    onChanges: importStatistics.onListingChanges,
  },
  { source: ListingSource.BlackCat, format: 'csv', path: csvPath },
);
const importMs = performance.now() - started;
await importStore.close();
rmSync(importDir, { recursive: true, force: true });

const report = {
  machine:
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mb(totalmem())} RAM, Node ${process.version}, ` +
    `${process.platform}`,
  records,
  pages,
  parseOnlyPerSecond: rate(parsed, parseMs),
  fetchOnlyPagesPerSecond: rate(pages, fetchMs),
  fetchOnlyRecordsPerSecond: rate(records, fetchMs),
  endToEnd: {
    status: first.status,
    inserted: first.inserted,
    seconds: +(ingestMs / 1000).toFixed(2),
    recordsPerSecond: rate(first.inserted, ingestMs),
  },
  rerunUnchanged: {
    status: again.status,
    inserted: again.inserted,
    updated: again.updated,
    unchanged: again.unchanged,
    recordsPerSecond: rate(again.unchanged, rerunMs),
  },
  stored,
  importCsv: {
    rows: imported.rows,
    inserted: imported.inserted,
    quarantined: imported.quarantined,
    seconds: +(importMs / 1000).toFixed(2),
    rowsPerSecond: rate(imported.rows, importMs),
    withRollupsAndProvenance: true,
  },
  memory: {
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapBeforeMB: Math.round(heapBefore / 1048576),
    heapPeakDuringCrawlMB: Math.round(heapPeak / 1048576),
    liveHeapEvery100PagesMB: liveHeap,
  },
};
console.log(JSON.stringify(report, null, 2));
if (first.inserted !== records || stored !== records || report.endToEnd.recordsPerSecond < 5000) {
  console.error('FAIL: expected every record stored at >= 5,000 records/s.');
  process.exit(1);
}
if (imported.inserted !== importRows || report.importCsv.rowsPerSecond < 5000) {
  console.error('FAIL: expected every imported row stored at >= 5,000 rows/s.');
  process.exit(1);
}
