import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../platform/config.ts';
import { startFixtureServer, type FixtureServer } from '../../../../scripts/fixture-server.ts';
import { parseIngestArguments, runIngestCli } from '../../../../scripts/ingest.ts';
import { openIngestionStore } from '../../../../subgraphs/reputation/store/listings-open.ts';

let server: FixtureServer;
let dir: string;
beforeAll(async () => {
  server = await startFixtureServer();
  dir = mkdtempSync(join(tmpdir(), 'ingest-cli-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the command line accepts --source, --since and --max-pages and rejects anything else with the reason', () => {
  expect(parseIngestArguments(['--source', 'blackcat', '--since', '2026-01-01', '--max-pages', '3'])).toEqual({
    sources: ['blackcat'], since: Date.UTC(2025, 11, 31, 16), maxPages: 3, quiet: false,
  });
  expect(parseIngestArguments(['--source', 'all']).sources).toEqual(['blackcat', '12315', 'jutousu', 'weiquan']);
  expect(() => parseIngestArguments([])).toThrow('--source is required');
  expect(() => parseIngestArguments(['--source', 'weibo'])).toThrow('unknown source "weibo"');
  expect(() => parseIngestArguments(['--source', 'blackcat', '--since', 'yesterday'])).toThrow('--since: expected a date');
  expect(() => parseIngestArguments(['--source', 'blackcat', '--max-pages', '0'])).toThrow('--max-pages: expected a positive integer');
});

test('ingesting from the fixture server fills the configured store and prints the summary', async () => {
  const config = loadConfig({
    DATA_DIR: dir,
    SOURCE_BLACKCAT_BASE_URL: server.baseUrls.blackcat,
    SOURCE_12315_BASE_URL: server.baseUrls.samr12315,
    LOG_LEVEL: 'silent',
  });
  const lines: string[] = [];
  const store = await openIngestionStore(config);
  try {
    // A near-zero politeness gap: the fixture server is ours.
    const summaries = await runIngestCli({ sources: ['12315'], since: null, maxPages: undefined, quiet: true }, { config, store, out: (line) => lines.push(line) });
    expect(summaries.map((s) => s.status)).toEqual(['OK']);
    expect(await store.listings.count()).toBe(10);
    expect(lines.join('\n')).toMatch(/fetched 12, new 10, updated 0, unchanged 0, quarantined 2, errors 0/);
  } finally {
    await store.close();
  }
});
