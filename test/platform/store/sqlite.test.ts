import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import {
  asStoreError,
  openSqlite,
  pingSqlite,
  RECOVERY_FREE_BYTES,
  storageFailureOf,
  transaction,
} from '../../../platform/store/sqlite.ts';
import { REPO_ROOT } from '../../support/process.ts';
import { describeOnTmpfs, mountTmpfs, unmountTmpfs } from '../../support/tmpfs.ts';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'weiquan-sqlite-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function withTable(db: DatabaseSync): DatabaseSync {
  db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
    CREATE TRIGGER refuse_13 BEFORE INSERT ON notes WHEN NEW.id = 13
    BEGIN SELECT RAISE(ROLLBACK, 'number 13 is refused'); END;`);
  return db;
}
const count = (db: DatabaseSync) => (db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n;

describe('transaction', () => {
  test('a failure SQLite already rolled back (RAISE(ROLLBACK)) surfaces its own error, not ROLLBACK’s', () => {
    const db = withTable(openSqlite(join(scratch, 'raise.db')));
    expect(() =>
      transaction(db, () => {
        db.prepare('INSERT INTO notes (id, body) VALUES (1, ?)').run('kept only if all lands');
        db.prepare('INSERT INTO notes (id, body) VALUES (13, ?)').run('refused');
      }),
    ).toThrow('number 13 is refused');
    expect(db.isTransaction).toBe(false);
    expect(count(db)).toBe(0);
    transaction(db, () => db.prepare('INSERT INTO notes (id, body) VALUES (2, ?)').run('later work lands'));
    expect(count(db)).toBe(1);
    db.close();
  });

  test('an error thrown by the work rolls back what it wrote and is rethrown unchanged', () => {
    const db = withTable(openSqlite(join(scratch, 'throw.db')));
    const failure = new Error('the work gave up');
    expect(() =>
      transaction(db, () => {
        db.prepare('INSERT INTO notes (id, body) VALUES (1, ?)').run('undone');
        throw failure;
      }),
    ).toThrow(failure);
    expect(count(db)).toBe(0);
    db.close();
  });

  test('storage failures (full, I/O, read-only) become SERVICE_UNAVAILABLE without a path; others stay', () => {
    const db = openSqlite(join(scratch, 'codes.db'));
    expect(storageFailureOf({ errcode: 13 })).toBe('storage full');
    expect(storageFailureOf({ errcode: 778 })).toBe('storage I/O error'); // SQLITE_IOERR_WRITE
    expect(storageFailureOf({ errcode: 1032 })).toBe('storage read-only'); // SQLITE_READONLY_DBMOVED
    expect(storageFailureOf({ errcode: 1811 })).toBeNull(); // SQLITE_CONSTRAINT_TRIGGER
    const sqliteError = Object.assign(new Error('database or disk is full'), { errcode: 13 });
    const mapped = asStoreError(db, sqliteError) as Error & { extensions: Record<string, unknown> };
    expect(mapped.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', service: 'codes', reason: 'storage full' });
    expect(mapped.message).toMatch(/storage full/);
    expect(mapped.message).not.toContain(scratch);
    const other = new Error('UNIQUE constraint failed');
    expect(asStoreError(db, other)).toBe(other);
    db.close();
  });
});

describeOnTmpfs('on a full disk (a 4 MiB tmpfs)', () => {
  const full = { dir: '' };
  beforeAll(() => {
    full.dir = join(scratch, 'full');
    mkdirSync(full.dir);
    mountTmpfs(full.dir, '4m');
  });
  afterAll(() => unmountTmpfs(full.dir));
  const freeBytes = () => {
    const stats = statfsSync(full.dir);
    return Number(stats.bavail) * Number(stats.bsize);
  };

  test('a write says "storage full" as SERVICE_UNAVAILABLE, readiness fails, and both recover with space', () => {
    const filler = join(full.dir, 'filler');
    const db = withTable(openSqlite(join(full.dir, 'data', 'cases.db')));
    transaction(db, () => db.prepare('INSERT INTO notes (id, body) VALUES (1, ?)').run('before'));
    writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes() - 64 * 1024)));
    let thrown: unknown;
    try {
      transaction(db, () => db.prepare('INSERT INTO notes (id, body) VALUES (2, ?)').run('x'.repeat(512 * 1024)));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      message: expect.stringMatching(/storage full/),
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'cases', reason: 'storage full' },
    });
    expect((thrown as Error).message).not.toContain(full.dir);
    expect(db.isTransaction).toBe(false);
    expect(() => pingSqlite(db)).toThrow(/storage full/);
    expect(count(db)).toBe(1); // reads go on

    rmSync(filler);
    expect(freeBytes()).toBeGreaterThan(RECOVERY_FREE_BYTES);
    pingSqlite(db);
    transaction(db, () => db.prepare('INSERT INTO notes (id, body) VALUES (2, ?)').run('x'.repeat(512 * 1024)));
    expect(count(db)).toBe(2);
    db.close();
  });
});

describeOnTmpfs('a read-only data directory', () => {
  const readOnly = { dir: '' };
  beforeAll(() => {
    readOnly.dir = join(scratch, 'read-only');
    mkdirSync(readOnly.dir);
    mountTmpfs(readOnly.dir, '1m');
  });
  afterAll(() => unmountTmpfs(readOnly.dir));
  test('start-up names the path and says the file system is read-only', () => {
    mkdirSync(join(readOnly.dir, 'data'));
    execFileSync('mount', ['-o', 'remount,ro', readOnly.dir]);
    const readOnlyFs = (dir: string) => `the directory ${dir} is on a read-only file system (EROFS)`;
    const path = join(readOnly.dir, 'data', 'cases.db');
    expect(() => openSqlite(path)).toThrow(
      `Cannot open the SQLite store ${path}: ${readOnlyFs(join(readOnly.dir, 'data'))}.`,
    );
    const missing = join(readOnly.dir, 'missing', 'cases.db');
    expect(() => openSqlite(missing)).toThrow(`Cannot open the SQLite store ${missing}: ${readOnlyFs(readOnly.dir)}.`);
  });
});

/** Root ignores permission bits, so the 0555 directory is opened by an unprivileged user. */
function unprivileged(): string | null {
  try {
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'true'], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `cannot run as an unprivileged user (${String((error as Error).message).split('\n')[0]})`;
  }
}
const noSetpriv = process.getuid?.() === 0 ? unprivileged() : 'not root: permissions apply as they are';
if (noSetpriv) console.warn(`skipped: ${noSetpriv}`);
(noSetpriv ? test.skip : test)('a directory without write permission is named with "permission denied"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weiquan-0555-'));
  chmodSync(dir, 0o555);
  const path = join(dir, 'cases.db');
  const script = `import { openSqlite } from ${JSON.stringify(join(REPO_ROOT, 'platform/store/sqlite.ts'))};
    try { openSqlite(${JSON.stringify(path)}); } catch (error) { console.log(error.message); }`;
  try {
    const output = execFileSync(
      'setpriv',
      ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '--input-type=module', '-e', script],
      { encoding: 'utf8', cwd: REPO_ROOT },
    );
    expect(output.trim()).toBe(
      `Cannot open the SQLite store ${path}: the directory ${dir} is not writable (permission denied) (EACCES).`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
