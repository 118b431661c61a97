import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Opens an embedded SQLite database for one subgraph. WAL lets readers run beside the single
 * writer; `synchronous = FULL` fsyncs every commit, so a write acknowledged to a client survives
 * `kill -9` and power loss alike (NORMAL would only survive the former).
 */
export function openSqlite(
  path: string,
  options: { cacheMiB?: number; walAutocheckpointPages?: number } = {},
): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  // SQLite's default page cache is 2 MiB: a store whose working set is larger asks for more.
  if (options.cacheMiB !== undefined) db.exec(`PRAGMA cache_size = ${-Math.round(options.cacheMiB * 1024)}`);
  if (options.walAutocheckpointPages !== undefined)
    db.exec(`PRAGMA wal_autocheckpoint = ${Math.round(options.walAutocheckpointPages)}`);
  return db;
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

/** Runs `work` in one IMMEDIATE transaction: all of it lands or none of it does. Not re-entrant. */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** A cheap round trip for /readyz. */
export function pingSqlite(db: DatabaseSync): void {
  db.prepare('SELECT 1').get();
}
