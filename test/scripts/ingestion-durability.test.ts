/**
 * kill -9 during an ingestion batch (issue 18): `npm run import` (the real CLI, a child process)
 * writes a 4,000-row file in batches of 200 over the reputation store, and is SIGKILLed at three
 * kill points while it writes: after its first batch, about a third and about two thirds in. A
 * batch counts as acknowledged once another connection sees it committed. After each kill, on the
 * store as it was left: every acknowledged batch is there, the rows written are a whole number of
 * batches from the start of the file (no batch half-written), each listing holds its row's values
 * and its provenance, and the statistics rollups equal a rebuild from the listings. Then the same
 * file imported again completes: every valid row once, every invalid row quarantined once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { createSqliteRollups } from '../../subgraphs/reputation/store/rollups-sqlite.ts';
import { REPO_ROOT, waitForExit } from '../support/process.ts';

const ROWS = 4000;
const BATCH = 200;
const DAY = 86_400_000;
/** Every 37th row has a date that does not parse: quarantined, in the batch it falls in. */
const invalid = (n: number) => n % 37 === 36;

/** The generated file's row n (0-based), as the listing it must become. */
function row(n: number) {
  const created = Date.now() - (1 + (n % 300)) * DAY;
  const status = ['PENDING', 'REPLIED', 'COMPLETED', 'CLOSED'][n % 4] as string;
  return {
    id: `D${n}`,
    enterprise: `耐久导入测试商贸有限公司${n % 40}`,
    created: invalid(n) ? 'not a date' : new Date(created).toISOString(),
    status,
    amount: 10 + (n % 90),
    replied: status === 'PENDING' ? '' : new Date(created + 3_600_000 * (1 + (n % 48))).toISOString(),
  };
}

let dir: string;
let dataDir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-ingest-kill-'));
  dataDir = join(dir, 'data');
  file = join(dir, 'listings.csv');
  const lines = ['source_id,enterprise_name,created_at,status,amount,replied_at'];
  for (let n = 0; n < ROWS; n++) {
    const r = row(n);
    lines.push([r.id, r.enterprise, r.created, r.status, r.amount, r.replied].join(','));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const databasePath = () => join(dataDir, 'reputation.db');

/** How many of the file's rows another connection sees committed (listings and quarantined rows). */
function committedRows(reader: DatabaseSync): number {
  const { n } = reader
    .prepare(
      `SELECT (SELECT COUNT(*) FROM listings WHERE source = 'blackcat')
            + (SELECT COUNT(*) FROM listing_quarantine WHERE source = 'blackcat') AS n`,
    )
    .get() as { n: number };
  return Number(n);
}

function startImport() {
  const child = spawn(
    process.execPath,
    ['scripts/import.ts', '--source', 'blackcat', '--format', 'csv', file, '--batch', String(BATCH), '--quiet'],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/**
 * Runs the import and SIGKILLs it once at least `killAt` rows are seen committed; returns the
 * most rows seen committed before the kill (acknowledged).
 */
async function importKilledAfter(killAt: number): Promise<number> {
  const { child, output } = startImport();
  let reader: DatabaseSync | undefined;
  let acknowledged = 0;
  try {
    while (acknowledged < killAt) {
      if (child.exitCode !== null) throw new Error(`the import ended before the kill point:\n${output()}`);
      // Polled: a commit by another process raises no event here.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!reader) {
        if (!existsSync(databasePath())) continue;
        reader = new DatabaseSync(databasePath(), { readOnly: true });
      }
      try {
        acknowledged = committedRows(reader);
      } catch {
        // the tables are not created yet
      }
    }
    child.kill('SIGKILL');
  } finally {
    reader?.close();
  }
  expect(await waitForExit(child)).toEqual({ code: null, signal: 'SIGKILL' });
  return acknowledged;
}

/** The rollup tables whose incremental upkeep must equal a rebuild (as in rollups-sqlite.test.ts). */
const ROLLUP_TABLES = ['rep_stats_years', 'rep_stats_source_daily', 'rep_enterprise_aliases', 'rep_enterprises'];
const dumpRollups = (db: DatabaseSync) =>
  Object.fromEntries(ROLLUP_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));

/** Checks the store as a kill left it; returns how many rows of the file are committed. */
async function checkStore(acknowledged: number, label: string): Promise<number> {
  const db = openSqlite(databasePath());
  try {
    const committed = committedRows(db);
    expect({ label, atLeastAcknowledged: committed >= acknowledged }).toEqual({ label, atLeastAcknowledged: true });
    // Whole batches from the start of the file: the first `committed` rows, and no other.
    expect({ label, wholeBatches: committed % BATCH === 0 || committed === ROWS }).toEqual({
      label,
      wholeBatches: true,
    });
    const listings = db
      .prepare(
        `SELECT l.external_id AS id, l.enterprise_name AS enterprise, l.status, l.amount, i.row AS provenanceRow
         FROM listings l LEFT JOIN listing_imports i ON i.source = l.source AND i.external_id = l.external_id
         WHERE l.source = 'blackcat' ORDER BY CAST(SUBSTR(l.external_id, 2) AS INTEGER)`,
      )
      .all() as Array<{ id: string; enterprise: string; status: string; amount: number; provenanceRow: number }>;
    const expected = Array.from({ length: committed }, (_, n) => n).filter((n) => !invalid(n));
    expect(listings.map((listing) => listing.id)).toEqual(expected.map((n) => `D${n}`));
    for (const listing of listings) {
      const n = Number(listing.id.slice(1));
      const r = row(n);
      // The CSV's header is line 1, so row n is line n + 2.
      expect(listing).toEqual({
        id: r.id,
        enterprise: r.enterprise,
        status: r.status,
        amount: r.amount,
        provenanceRow: n + 2,
      });
    }
    const quarantined = db.prepare(`SELECT COUNT(*) AS n FROM listing_quarantine WHERE source = 'blackcat'`).get() as {
      n: number;
    };
    expect(Number(quarantined.n)).toBe(committed - expected.length);

    // The rollups kept during the import equal a rebuild from the listings. On two copies: the
    // import keeps the day and year rollups; the rolling windows are derived from them as of today.
    const [kept, rebuilt] = ['kept', 'rebuilt'].map((name) => {
      const path = join(dir, `${label}-${name}.db`);
      db.exec(`VACUUM INTO '${path}'`);
      return openSqlite(path);
    }) as [DatabaseSync, DatabaseSync];
    try {
      const asOf = Date.now();
      createSqliteRollups(kept).refreshWindows(asOf);
      createSqliteRollups(rebuilt).rebuild(asOf);
      expect(dumpRollups(kept)).toEqual(dumpRollups(rebuilt));
    } finally {
      kept.close();
      rebuilt.close();
    }
    return committed;
  } finally {
    db.close();
  }
}

test('batches acknowledged before three SIGKILLs are whole and present; a re-import completes once', async () => {
  const committedAfter: number[] = [];
  for (const [label, killAt] of [
    ['first batch', 1],
    ['a third', ROWS / 3],
    ['two thirds', (2 * ROWS) / 3],
  ] as const) {
    const acknowledged = await importKilledAfter(killAt);
    committedAfter.push(await checkStore(acknowledged, label));
  }
  // Each kill landed with rows still to write.
  expect(Math.max(...committedAfter)).toBeLessThan(ROWS);

  const validBefore = (rows: number) => Array.from({ length: rows }, (_, n) => n).filter((n) => !invalid(n)).length;
  const lastCommitted = committedAfter.at(-1) ?? 0;
  const rest = startImport();
  expect(await waitForExit(rest.child)).toEqual({ code: 0, signal: null });
  expect(rest.output()).toContain(`rows ${ROWS}, new ${validBefore(ROWS) - validBefore(lastCommitted)}, updated 0`);
  expect(await checkStore(ROWS, 'complete')).toBe(ROWS);
  // Once more: nothing new, nothing changed, nothing duplicated.
  const again = startImport();
  expect(await waitForExit(again.child)).toEqual({ code: 0, signal: null });
  expect(again.output()).toContain(`new 0, updated 0, unchanged ${validBefore(ROWS)}`);
  expect(await checkStore(ROWS, 'again')).toBe(ROWS);
}, 180_000);
