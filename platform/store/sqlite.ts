import { accessSync, constants, existsSync, mkdirSync, statfsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors.ts';

/**
 * SQLite primary result codes (https://sqlite.org/rescode.html) that mean the store cannot write
 * now, whatever the statement: the disk is full, the file system failed, or it is read-only.
 */
const STORAGE_FAILURES: ReadonlyMap<number, StorageFailure> = new Map([
  [13, 'storage full'], // SQLITE_FULL
  [10, 'storage I/O error'], // SQLITE_IOERR
  [8, 'storage read-only'], // SQLITE_READONLY
  [5, 'storage locked'], // SQLITE_BUSY: another connection (a script, a backup) holds the write lock
  [6, 'storage locked'], // SQLITE_LOCKED
]);
export type StorageFailure = 'storage full' | 'storage I/O error' | 'storage read-only' | 'storage locked';

/**
 * How long a write waits for another connection's write lock. `node:sqlite` is synchronous, so the
 * wait blocks the event loop of every part in the process: 5 s made each write during a held lock
 * freeze the graph for 5 s and then answer INTERNAL_SERVER_ERROR (test/faults/store-locked.test.ts).
 * Past it the write is SERVICE_UNAVAILABLE "storage locked" and readiness fails until a write works.
 */
export const BUSY_TIMEOUT_MS = 1_000;

/**
 * After a full disk, readiness comes back only once this much is free again, so a node that just
 * freed a few pages does not flap between ready and failing writes.
 */
export const RECOVERY_FREE_BYTES = 1024 * 1024;

/** What readiness needs to know about a store opened by `openSqlite`. */
interface StoreHealth {
  path: string;
  /** Names the store to clients (`cases`, `reputation`): never its path. */
  label: string;
  /** Set by a write that failed for lack of storage; cleared by a readiness probe that writes. */
  failure: StorageFailure | null;
}
const healthOf = new WeakMap<DatabaseSync, StoreHealth>();

/**
 * Opens an embedded SQLite database for one subgraph. WAL lets readers run beside the single
 * writer; `synchronous = FULL` fsyncs every commit, so a write acknowledged to a client survives
 * `kill -9` and power loss alike (NORMAL would only survive the former). A store that cannot be
 * opened says which path and why (read-only, permission denied, does not exist).
 */
export function openSqlite(
  path: string,
  options: { cacheMiB?: number; walAutocheckpointPages?: number } = {},
): DatabaseSync {
  let db: DatabaseSync;
  try {
    if (path !== ':memory:') assertWritable(path);
    db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL');
  } catch (error) {
    throw path === ':memory:' || error instanceof StoreOpenError ? error : openFailure(path, error);
  }
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // SQLite's default page cache is 2 MiB: a store whose working set is larger asks for more.
  if (options.cacheMiB !== undefined) db.exec(`PRAGMA cache_size = ${-Math.round(options.cacheMiB * 1024)}`);
  if (options.walAutocheckpointPages !== undefined)
    db.exec(`PRAGMA wal_autocheckpoint = ${Math.round(options.walAutocheckpointPages)}`);
  healthOf.set(db, { path, label: basename(path, extname(path)), failure: null });
  return db;
}

/** Start-up could not open a store: the message names the file and the cause, for the operator. */
export class StoreOpenError extends Error {}

const ERRNO_CAUSES: Record<string, string> = {
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable (permission denied)',
  EPERM: 'is not writable (operation not permitted)',
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a directory',
};

/**
 * WAL needs the database file and its directory writable (it creates `-wal` and `-shm` beside the
 * file), so both are checked before SQLite's own "unable to open database file" can hide which.
 */
function assertWritable(path: string): void {
  const directory = dirname(resolve(path));
  let existing = directory;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const checks: Array<[string, string]> = [[`the directory ${existing}`, existing]];
  if (existing === directory && existsSync(path)) checks.push([`the file ${resolve(path)}`, resolve(path)]);
  for (const [subject, target] of checks) {
    try {
      accessSync(target, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw openFailure(path, error, subject);
    }
  }
  mkdirSync(directory, { recursive: true });
}

function openFailure(path: string, error: unknown, subject?: string): StoreOpenError {
  const { code: errno = '', path: failedPath } = error as NodeJS.ErrnoException;
  const cause = ERRNO_CAUSES[errno];
  const what = subject ?? failedPath ?? `the file ${resolve(path)}`;
  const message = error instanceof Error ? error.message : String(error);
  const failure = storageFailureOf(error);
  const detail = cause ? `${what} ${cause} (${errno})` : failure ? `${failure} (${message})` : message;
  return new StoreOpenError(`Cannot open the SQLite store ${resolve(path)}: ${detail}.`, { cause: error });
}

/**
 * Applies, in order and each in its own transaction, the migrations a component has not yet
 * applied. Versions are the 1-based index in `migrations`: append, never edit or reorder.
 */
export function migrate(db: DatabaseSync, component: string, migrations: readonly string[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at TEXT NOT NULL)`);
  const row = db.prepare('SELECT version FROM schema_versions WHERE component = ?').get(component) as
    | { version: number }
    | undefined;
  let version = row?.version ?? 0;
  if (version > migrations.length) {
    throw new Error(
      `${component}: the store is at schema version ${version}, newer than this code (${migrations.length}).`,
    );
  }
  for (; version < migrations.length; version++) {
    transaction(db, () => {
      db.exec(migrations[version]);
      db.prepare(
        `INSERT INTO schema_versions (component, version, applied_at) VALUES (?, ?, ?)
         ON CONFLICT(component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at`,
      ).run(component, version + 1, new Date().toISOString());
    });
  }
  return version;
}

/**
 * Runs `work` in one IMMEDIATE transaction: all of it lands or none of it does. Not re-entrant.
 * SQLite rolls back by itself on some errors (a full disk, an I/O error, RAISE(ROLLBACK)), so
 * ROLLBACK runs only while a transaction is still open, and the error that caused the failure is
 * the one thrown. A failure for lack of storage becomes SERVICE_UNAVAILABLE (`storeUnavailable`)
 * and fails readiness (`pingSqlite`) until a probe write succeeds again.
 */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw asStoreError(db, error);
  }
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // The connection is unusable if even ROLLBACK fails; the first error says why, so it wins.
      }
    }
    throw asStoreError(db, error);
  }
}

/** The storage failure an SQLite error stands for, or null for any other error (constraint, bug). */
export function storageFailureOf(error: unknown): StorageFailure | null {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  // Extended result codes keep the primary code in their low byte (SQLITE_IOERR_WRITE = 778 → 10).
  return typeof errcode === 'number' ? (STORAGE_FAILURES.get(errcode & 0xff) ?? null) : null;
}

/**
 * A write failed for lack of storage: the client gets SERVICE_UNAVAILABLE saying so (never the
 * path; the SQLite error stays as `originalError` for the log), and readiness fails. Any other
 * error is returned as it is. Exported for transaction helpers other than `transaction`.
 */
export function asStoreError(db: DatabaseSync, error: unknown): unknown {
  const failure = storageFailureOf(error);
  if (!failure) return error;
  const health = healthOf.get(db);
  if (health) health.failure = failure;
  return storeUnavailable(health?.label ?? 'store', failure, error);
}

export function storeUnavailable(label: string, failure: StorageFailure, cause?: unknown): GraphQLError {
  return new GraphQLError(`The ${label} store cannot save changes (${failure}); nothing was saved. Try again later.`, {
    extensions: { code: ErrorCode.ServiceUnavailable, service: label, reason: failure },
    ...(cause instanceof Error ? { originalError: cause } : {}),
  });
}

/**
 * /readyz: the store answers, and, after a write failed for lack of storage, writes again. Until
 * then it throws the storage failure, so readiness fails while writes would; it recovers by
 * itself once space returns (a full disk needs `RECOVERY_FREE_BYTES` free before it is tried).
 */
export function pingSqlite(db: DatabaseSync): void {
  db.prepare('SELECT 1').get();
  const health = healthOf.get(db);
  if (!health?.failure) return;
  if (health.failure === 'storage full' && freeBytes(health.path) < RECOVERY_FREE_BYTES) {
    throw storeUnavailable(health.label, health.failure);
  }
  // A failing probe throws SERVICE_UNAVAILABLE through `transaction` and leaves the failure set.
  transaction(db, () => {
    db.exec('CREATE TABLE IF NOT EXISTS store_write_probe (id INTEGER PRIMARY KEY, at TEXT NOT NULL)');
    db.prepare('INSERT OR REPLACE INTO store_write_probe (id, at) VALUES (1, ?)').run(new Date().toISOString());
  });
  health.failure = null;
}

function freeBytes(path: string): number {
  const stats = statfsSync(dirname(resolve(path)));
  return Number(stats.bavail) * Number(stats.bsize);
}
