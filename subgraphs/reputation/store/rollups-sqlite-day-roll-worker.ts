import { DatabaseSync } from 'node:sqlite';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { inTransaction } from '../../../platform/store/transaction.ts';
import { profileWindows, type YearProfile } from '../domain/profile.ts';
import type { EnterpriseRange } from './listings-sqlite-by-enterprise.ts';
import { decodeYear, encodeWindows, sameBytes } from './rollups-sqlite-profile-codec.ts';

/**
 * One range of enterprises of the day roll (rollups-sqlite-day-roll.ts `rollWindows`): in one read
 * transaction of its own (a snapshot), recomputes their rolling windows for `today` from their
 * years and posts those that differ from the stored ones. It never writes: the parent writes the
 * results in one short transaction, after re-doing the enterprises written since the snapshot
 * (`seq`, the change log's last entry the snapshot holds).
 */
export interface WindowRollRequest {
  path: string;
  range: EnterpriseRange;
  today: number;
}

export type WindowRollMessage =
  | { kind: 'snapshot'; seq: number }
  | { kind: 'windows'; windows: Array<[string, Uint8Array]> }
  | { kind: 'done'; enterprises: number };

const BATCH = 2_000;

const port = parentPort;
if (port) {
  const { path, range, today } = workerData as WindowRollRequest;
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    // A read transaction: its first read fixes the snapshot, so the log position and the years
    // read below agree.
    const enterprises = await inTransaction(db, () => rollRange(db, port, range, today), 'DEFERRED');
    port.postMessage({ kind: 'done', enterprises } satisfies WindowRollMessage);
  } finally {
    db.close();
  }
}

/** Posts the snapshot's log position, then the windows that differ, in batches; returns the enterprises read. */
function rollRange(db: DatabaseSync, port: MessagePort, range: EnterpriseRange, today: number): number {
  const seq = Number(
    (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM rep_stats_window_log').get() as { seq: number }).seq,
  );
  port.postMessage({ kind: 'snapshot', seq } satisfies WindowRollMessage);
  const conditions: string[] = [];
  const params: string[] = [];
  if (range.from !== null) {
    conditions.push('e.enterprise_id >= ?');
    params.push(range.from);
  }
  if (range.to !== null) {
    conditions.push('e.enterprise_id < ?');
    params.push(range.to);
  }
  const rows = db.prepare(
    `SELECT e.enterprise_id, e.windows, y.year, y.profile FROM rep_enterprises e
     LEFT JOIN rep_stats_years y ON y.enterprise_id = e.enterprise_id
     ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY e.enterprise_id, y.year`,
  );
  rows.setReturnArrays(true);
  let enterprises = 0;
  let batch: Array<[string, Uint8Array]> = [];
  let current = null as { id: string; stored: Uint8Array | null; profile: YearProfile[] } | null;
  const finish = () => {
    if (!current) return;
    enterprises++;
    const next = encodeWindows(profileWindows(current.profile, today));
    if (!current.stored || !sameBytes(current.stored, next)) batch.push([current.id, next]);
    if (batch.length >= BATCH) {
      port.postMessage({ kind: 'windows', windows: batch } satisfies WindowRollMessage);
      batch = [];
    }
  };
  for (const [id, stored, year, profile] of rows.iterate(...params) as Iterable<
    [string, Uint8Array | null, number | null, Uint8Array | null]
  >) {
    if (current?.id !== id) {
      finish();
      current = { id, stored, profile: [] };
    }
    if (year !== null && profile !== null) current.profile.push({ year: Number(year), ...decodeYear(profile) });
  }
  finish();
  if (batch.length) port.postMessage({ kind: 'windows', windows: batch } satisfies WindowRollMessage);
  return enterprises;
}
