import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

/**
 * Tells when anything was committed to the reputation database: a connection of its own that never
 * writes, so SQLite's `PRAGMA data_version` moves on every commit of any other connection, this
 * process's (crawls, snapshots, the day roll) or another's (`npm run ingest`, `npm run import`).
 * A prefix drawn per open keeps a restarted subgraph from repeating an earlier process's numbers.
 */
export function openSqliteDataVersion(path: string): { current(): string; close(): void } {
  const db = new DatabaseSync(path, { readOnly: true });
  const dataVersion = db.prepare('PRAGMA data_version');
  const instance = randomBytes(6).toString('base64url');
  return {
    current: () => `${instance}.${(dataVersion.get() as { data_version: number }).data_version}`,
    close: () => db.close(),
  };
}
