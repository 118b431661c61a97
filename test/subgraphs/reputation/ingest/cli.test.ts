import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../../platform/config.ts';
import { startFixtureServer, type FixtureServer, FIXTURE_12315_TOKEN } from '../../../../scripts/fixture-server.ts';
import { parseIngestArguments, runIngestCli } from '../../../../scripts/ingest.ts';
import { createFetcher } from '../../../../subgraphs/reputation/fetch/fetcher.ts';
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
    sources: ['blackcat'],
    since: Date.UTC(2025, 11, 31, 16),
    maxPages: 3,
    quiet: false,
  });
  expect(parseIngestArguments(['--source', 'all']).sources).toEqual(['blackcat', '12315', 'jutousu', 'weiquan']);
  expect(() => parseIngestArguments([])).toThrow('--source is required');
  expect(() => parseIngestArguments(['--source', 'weibo'])).toThrow('unknown source "weibo"');
  expect(() => parseIngestArguments(['--source', 'blackcat', '--since', 'yesterday'])).toThrow(
    '--since: expected a date',
  );
  expect(() => parseIngestArguments(['--source', 'blackcat', '--max-pages', '0'])).toThrow(
    '--max-pages: expected a positive integer',
  );
});

test('12315 without a configured token is LOGIN_REQUIRED before any request, and says how to provide one', async () => {
  const config = loadConfig({ DATA_DIR: dir, SOURCE_12315_BASE_URL: server.baseUrls.samr12315, LOG_LEVEL: 'silent' });
  const lines: string[] = [];
  const store = await openIngestionStore(config);
  const before = server.requests.length;
  try {
    const [summary] = await runIngestCli(
      { sources: ['12315'], since: null, maxPages: undefined, quiet: true },
      { config, store, out: (line) => lines.push(line) },
    );
    expect(summary).toMatchObject({ status: 'LOGIN_REQUIRED', pages: 0 });
    expect(summary.stopReason).toContain('set SOURCE_12315_TOKEN');
    expect((await store.crawlState.get('12315'))?.lastError).toContain('set SOURCE_12315_TOKEN');
    expect(lines.join('\n')).toContain('set SOURCE_12315_TOKEN');
    expect(server.requests.length).toBe(before);
  } finally {
    await store.close();
  }
});

test('ingesting from the fixture server fills the configured store and prints the summary', async () => {
  const config = loadConfig({
    DATA_DIR: dir,
    SOURCE_BLACKCAT_BASE_URL: server.baseUrls.blackcat,
    SOURCE_12315_BASE_URL: server.baseUrls.samr12315,
    SOURCE_12315_TOKEN: FIXTURE_12315_TOKEN,
    LOG_LEVEL: 'silent',
  });
  const lines: string[] = [];
  const store = await openIngestionStore(config);
  try {
    // A near-zero politeness gap: the fixture server is ours.
    const summaries = await runIngestCli(
      { sources: ['12315'], since: null, maxPages: undefined, quiet: true },
      { config, store, out: (line) => lines.push(line) },
    );
    expect(summaries.map((s) => s.status)).toEqual(['OK']);
    expect(await store.listings.count()).toBe(10);
    expect(lines.join('\n')).toMatch(/fetched 12, new 10, updated 0, unchanged 0, quarantined 2, errors 0/);
  } finally {
    await store.close();
  }
});

/** A stream that says it is a terminal and keeps what is drawn on it. */
function fakeTerminal() {
  const chunks: string[] = [];
  const stream = new Writable({
    write: (chunk, _encoding, done) => {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = 160;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the terminal control sequences removed here
  return { stream, text: () => chunks.join('').replace(/\x1B(\[[0-9;?]*[A-Za-z]|[78])/g, '') };
}

test('on a terminal the CLI draws a progress bar per source with page and counts, then the timed summary', async () => {
  const config = loadConfig({
    DATA_DIR: join(dir, 'bar'),
    SOURCE_BLACKCAT_BASE_URL: server.baseUrls.blackcat,
    LOG_LEVEL: 'silent',
  });
  const store = await openIngestionStore(config);
  const terminal = fakeTerminal();
  const lines: string[] = [];
  // No politeness gap: the fixture server is ours.
  const fetcher = createFetcher({ userAgent: config.CRAWL_USER_AGENT, minTimeMs: 0 });
  try {
    await runIngestCli(
      { sources: ['blackcat'], since: null, maxPages: undefined, quiet: false },
      { config, store, out: (line) => lines.push(line), progress: terminal.stream, fetcher },
    );
    expect(terminal.text()).toMatch(/blackcat \|[█░]+\| page 2 · 12 fetched · 10 new · 0 updated · 2 quarantined/);
    expect(lines.join('\n')).toMatch(
      new RegExp(
        /^blackcat: OK \(end of feed\)\n {2}fetched 12, new 10, updated 0, unchanged 0, quarantined 2, /.source +
          /errors 0, pages 2 \(0 failed\), time \d+\.\d s/.source,
      ),
    );
    // Names tied by their normalised name only are listed as low confidence, never merged.
    expect(lines.join('\n')).toMatch(
      /resolved by name only \(low confidence, not merged with anything else\): \d+: .*美团外卖/,
    );
    const quiet = fakeTerminal();
    await runIngestCli(
      { sources: ['blackcat'], since: null, maxPages: undefined, quiet: true },
      { config, store, out: () => undefined, progress: quiet.stream, fetcher },
    );
    expect(quiet.text()).toBe('');
  } finally {
    await fetcher.close();
    await store.close();
  }
});
