import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../platform/config.ts';
import { formatImportSummary, parseImportArguments, runImportCli } from '../../scripts/import.ts';
import { listingOrigin } from '../../subgraphs/reputation/store/import-provenance.ts';
import { openImportProvenance } from '../../subgraphs/reputation/store/import-provenance-open.ts';
import { type IngestionStore, openIngestionStore } from '../../subgraphs/reputation/store/listings-open.ts';
import { openRollupStore } from '../../subgraphs/reputation/store/rollups-open.ts';
import { startGraph } from '../support/graph.ts';

/** Imports on a real SQLite store with the statistics hook, as `npm run import` does. */
let dir: string;
let config: Config;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-'));
  config = loadConfig({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CSV = [
  'source_id,enterprise_name,created_at,status,amount,completed_at,备注',
  'A1,京东,2026-01-15 08:10,COMPLETED,199元,2026-01-16 09:00,first',
  'A2,,2026-01-15,PENDING,,,no business',
  '"A3","某某""优选""店, 旗舰",2026-01-14 09:00,replied,12.5,,quoted',
  'A4,淘宝,not a date,CLOSED,,,bad time',
  'A5,腾讯客服,2026-01-13,IN_PROGRESS,,,',
].join('\n');

async function importFile(store: IngestionStore, name: string, content: string | Buffer, format = 'csv') {
  const path = join(dir, name);
  writeFileSync(path, content);
  const statistics = await openRollupStore(store);
  const lines: string[] = [];
  const summary = await runImportCli(parseImportArguments(['--source', 'blackcat', '--format', format, path]), {
    config,
    store,
    onChanges: () => statistics.onListingChanges,
    out: (line) => lines.push(line),
  });
  return { summary, text: lines.join('\n') };
}

test('a CSV import stores valid rows, quarantines invalid ones with row and reason, and is idempotent', async () => {
  const store = await openIngestionStore(config);
  try {
    const { summary, text } = await importFile(store, 'complaints.csv', CSV);
    expect(summary).toMatchObject({ rows: 5, inserted: 3, updated: 0, quarantined: 2, ignoredColumns: ['备注'] });
    expect(summary.errors).toEqual([
      'row 3: enterprise_name: required unless credit_code is given',
      expect.stringMatching(/^row 5: created_at: expected a date-time.*got "not a date"$/),
    ]);
    expect(text).toContain('quarantined row 3: enterprise_name');
    expect(await store.listings.get('blackcat', 'A3')).toMatchObject({ enterpriseName: '某某"优选"店, 旗舰' });
    const quarantined = await store.listings.quarantined('blackcat');
    expect(quarantined.map((q) => q.reason).sort()).toEqual(summary.errors.slice().sort());
    // The same data again, from a file of another name: nothing changes, nothing is duplicated.
    const again = await importFile(store, 'copy.csv', CSV);
    expect(again.summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await store.listings.count()).toBe(3);
    expect(await store.listings.countQuarantined()).toBe(2);
    // A changed row is an update, with the earlier version kept in history.
    const changed = await importFile(store, 'changed.csv', CSV.replace('IN_PROGRESS', 'REPLIED'));
    expect(changed.summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    expect((await store.listings.history('blackcat', 'A5')).map((h) => h.record.status)).toEqual(['IN_PROGRESS']);
  } finally {
    await store.close();
  }
});

test('imported records keep their provenance: the file sha256, its name and the row', async () => {
  const store = await openIngestionStore(config);
  try {
    const { summary } = await importFile(store, 'complaints.csv', CSV);
    const provenance = await openImportProvenance(store).forListings([{ source: 'blackcat', externalId: 'A5' }]);
    expect(provenance.get('blackcat:A5')).toMatchObject({
      fileSha256: summary.sha256,
      fileName: 'complaints.csv',
      row: 6,
    });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    // A crawl that later writes another version of the listing makes it a crawled one again.
    const imported = (await store.listings.get('blackcat', 'A5'))!;
    expect(listingOrigin(imported, provenance).origin).toBe('IMPORTED');
    await store.listings.upsertBatch([{ ...imported, status: 'REPLIED', rawHash: 'crawled-version' }]);
    const crawled = (await store.listings.get('blackcat', 'A5'))!;
    expect(listingOrigin(crawled, provenance)).toEqual({ origin: 'CRAWLED', provenance: null });
  } finally {
    await store.close();
  }
});

test('JSON and XLSX imports read the same columns; XLSX dates are China time', async () => {
  const store = await openIngestionStore(config);
  try {
    const json = JSON.stringify([
      { source_id: 'J1', enterprise_name: '京东', created_at: '2026-01-15T08:10:00+08:00', status: 'PENDING' },
      { source_id: 'J2', created_at: '2026-01-15', status: 'PENDING' },
    ]);
    const fromJson = await importFile(store, 'rows.json', json, 'json');
    expect(fromJson.summary).toMatchObject({ rows: 2, inserted: 1, quarantined: 1 });
    expect(fromJson.summary.errors[0]).toMatch(/^row 2: enterprise_name/);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('投诉');
    sheet.addRow(['投诉编号', '投诉对象', '投诉时间', '状态', '涉诉金额']);
    sheet.addRow(['X1', '淘宝', new Date(Date.UTC(2026, 0, 15, 8, 10)), 'REPLIED', 88]);
    sheet.addRow(['X2', { richText: [{ text: '拼' }, { text: '多多' }] }, '2026-01-14 10:00', 'CLOSED', '']);
    sheet.addRow([]);
    sheet.addRow(['X3', '某店', '', 'CLOSED', '']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const fromXlsx = await importFile(store, 'rows.xlsx', buffer, 'xlsx');
    expect(fromXlsx.summary).toMatchObject({ rows: 3, inserted: 2, quarantined: 1 });
    expect(fromXlsx.summary.errors).toEqual(['row 5: created_at: required: when the complaint was filed']);
    expect(await store.listings.get('blackcat', 'X1')).toMatchObject({
      createdAt: Date.UTC(2026, 0, 15, 0, 10),
      amount: 88,
    });
    expect((await store.listings.get('blackcat', 'X2'))?.enterpriseName).toBe('拼多多');
  } finally {
    await store.close();
  }
});

test(
  'on a terminal the import draws a progress bar with ' + 'the rows and counts; a missing file is a clear error',
  async () => {
    const store = await openIngestionStore(config);
    const chunks: string[] = [];
    const terminal = Object.assign(
      new Writable({
        write: (chunk, _encoding, done) => {
          chunks.push(String(chunk));
          done();
        },
      }),
      { isTTY: true, columns: 160 },
    );
    try {
      const path = join(dir, 'complaints.csv');
      writeFileSync(path, CSV);
      const args = parseImportArguments(['--source', 'blackcat', '--format', 'csv', path]);
      await runImportCli(args, { config, store, out: () => undefined, progress: terminal });
      const drawn = chunks.join('').replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g'), '');
      expect(drawn).toMatch(/import blackcat \|[█░]+\| 100% · 5 rows · 3 new · 0 updated · 2 quarantined/);
      const missing = parseImportArguments(['--source', 'blackcat', '--format', 'csv', join(dir, 'nope.csv')]);
      await expect(runImportCli(missing, { config, store, out: () => undefined })).rejects.toThrow(
        'nope.csv: no such file, or not readable',
      );
    } finally {
      await store.close();
    }
  },
);

test('the command line says what is wrong: source, format, file, batch', () => {
  expect(() => parseImportArguments(['--format', 'csv', 'f.csv'])).toThrow(
    '--source: expected one of blackcat, 12315, jutousu',
  );
  expect(() => parseImportArguments(['--source', 'weiquan', '--format', 'csv', 'f'])).toThrow('got "weiquan"');
  expect(() => parseImportArguments(['--source', 'blackcat', '--format', 'xls', 'f'])).toThrow(
    '--format: expected one of csv, json, xlsx',
  );
  expect(() => parseImportArguments(['--source', 'blackcat', '--format', 'csv'])).toThrow('expected exactly one FILE');
  expect(() => parseImportArguments(['--source', 'blackcat', '--format', 'csv', 'f', '--batch', '0'])).toThrow(
    '--batch',
  );
  expect(formatImportSummary).toBeInstanceOf(Function);
});

test('Enterprise.listings says which listings were imported, and from which file', async () => {
  const store = await openIngestionStore(config);
  let sha256: string;
  let enterpriseId: string;
  try {
    ({ sha256 } = (await importFile(store, 'complaints.csv', CSV)).summary);
    enterpriseId = (await store.listings.get('blackcat', 'A1'))!.enterpriseId;
  } finally {
    await store.close();
  }
  const graph = await startGraph({ env: { DATA_DIR: config.DATA_DIR } });
  try {
    const result = await graph.query<{ enterprise: { listings: { nodes: unknown[] } } }>(
      `query($id: ID!) { enterprise(id: $id) { listings(window: ALL_TIME) { nodes {
        source externalId provenance { origin fileSha256 fileName row importedAt } } } } }`,
      { id: enterpriseId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.enterprise.listings.nodes).toEqual([
      {
        source: 'blackcat',
        externalId: 'A1',
        provenance: {
          origin: 'IMPORTED',
          fileSha256: sha256,
          fileName: 'complaints.csv',
          row: 2,
          importedAt: expect.any(String),
        },
      },
    ]);
  } finally {
    await graph.stop();
  }
});
