import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { inTransaction } from '../../../platform/store/transaction.ts';

function openDb(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY)');
  return db;
}
const rows = (db: DatabaseSync) =>
  (db.prepare('SELECT n FROM t ORDER BY n').all() as Array<{ n: number }>).map((r) => r.n);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('inTransaction', () => {
  it('keeps the transaction open across awaits and commits what the work wrote, returning its result', async () => {
    const db = openDb();
    const result = await inTransaction(db, async () => {
      db.exec('INSERT INTO t VALUES (1)');
      await tick();
      expect(db.isTransaction).toBe(true);
      db.exec('INSERT INTO t VALUES (2)');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(db.isTransaction).toBe(false);
    expect(rows(db)).toEqual([1, 2]);
  });

  it('rolls back everything when the work rejects after an await, and rethrows its error', async () => {
    const db = openDb();
    const failure = new Error('worker failed');
    await expect(
      inTransaction(db, async () => {
        db.exec('INSERT INTO t VALUES (1)');
        await tick();
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(db.isTransaction).toBe(false);
    expect(rows(db)).toEqual([]);
  });

  it('accepts synchronous work', async () => {
    const db = openDb();
    await inTransaction(db, () => db.exec('INSERT INTO t VALUES (7)'));
    expect(rows(db)).toEqual([7]);
  });

  it('rethrows the work error, not a failed ROLLBACK, when the transaction already ended', async () => {
    const db = openDb();
    const failure = new Error('after the transaction ended');
    await expect(
      inTransaction(db, () => {
        db.exec('INSERT INTO t VALUES (1)');
        db.exec('ROLLBACK');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(db.isTransaction).toBe(false);
  });

  it('refuses to start inside another transaction on the same connection', async () => {
    const db = openDb();
    db.exec('BEGIN');
    await expect(inTransaction(db, () => 1)).rejects.toThrow(/within a transaction/);
    db.exec('ROLLBACK');
  });

  it('holds the write lock from BEGIN in IMMEDIATE mode, and none while reading in DEFERRED mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weiquan-transaction-'));
    try {
      const db = new DatabaseSync(join(dir, 'db.sqlite'));
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY)');
      const other = new DatabaseSync(join(dir, 'db.sqlite'));
      const otherWrites = () => {
        other.exec('BEGIN IMMEDIATE');
        other.exec('COMMIT');
      };
      await inTransaction(db, () => expect(otherWrites).toThrow(/locked/));
      await inTransaction(db, () => rows(db) && otherWrites(), 'DEFERRED');
      other.close();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
