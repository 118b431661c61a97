import type { DatabaseSync } from 'node:sqlite';
import { migrate, transaction } from '../../../platform/store/sqlite.ts';
import { contentHash, snapshotId, type RedBlackSnapshot, type SnapshotStore } from './snapshots.ts';

export const SNAPSHOTS_COMPONENT = 'reputation.snapshots';

/** Append only. The triggers make immutability a property of the store, not a promise of the code. */
export const SNAPSHOTS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE rep_snapshots (
     id TEXT NOT NULL,
     version INTEGER NOT NULL,
     industry TEXT NOT NULL,
     month TEXT NOT NULL,
     content TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     PRIMARY KEY (id, version)
   ) WITHOUT ROWID;
   CREATE INDEX rep_snapshots_month ON rep_snapshots (month, industry);
   CREATE TRIGGER rep_snapshots_no_update BEFORE UPDATE ON rep_snapshots
     BEGIN SELECT RAISE(ABORT, 'snapshots are immutable: publish a new version instead'); END;
   CREATE TRIGGER rep_snapshots_no_delete BEFORE DELETE ON rep_snapshots
     BEGIN SELECT RAISE(ABORT, 'snapshots are immutable: publish a new version instead'); END;`,
];

interface SnapshotRow {
  id: string;
  version: number;
  content: string;
  content_hash: string;
}

function fromRow(row: SnapshotRow): RedBlackSnapshot {
  return {
    ...(JSON.parse(row.content) as Omit<RedBlackSnapshot, 'id' | 'version' | 'contentHash'>),
    id: row.id,
    version: Number(row.version),
    contentHash: row.content_hash,
  };
}

export function createSqliteSnapshotStore(db: DatabaseSync): SnapshotStore {
  migrate(db, SNAPSHOTS_COMPONENT, SNAPSHOTS_MIGRATIONS);
  const nextVersion = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM rep_snapshots WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO rep_snapshots (id, version, industry, month, content, content_hash, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const one = db.prepare('SELECT id, version, content, content_hash FROM rep_snapshots WHERE id = ? AND version = ?');
  const latest = db.prepare(
    'SELECT id, version, content, content_hash FROM rep_snapshots WHERE id = ? ORDER BY version DESC LIMIT 1',
  );
  return {
    async publish(input) {
      const id = snapshotId(input.industry, input.month);
      const hash = contentHash(input);
      // IMMEDIATE transaction: two publishers of the same month get versions n and n+1, never a clash.
      const version = transaction(db, () => {
        const v = Number((nextVersion.get(id) as { v: number }).v);
        insert.run(id, v, input.industry, input.month, JSON.stringify(input), hash, input.createdAt, input.createdBy);
        return v;
      });
      return { ...input, id, version, contentHash: hash };
    },
    async get(id, version) {
      const row = (version === undefined ? latest.get(id) : one.get(id, version)) as SnapshotRow | undefined;
      return row ? fromRow(row) : null;
    },
    async list(filter) {
      const conditions: string[] = [];
      const params: string[] = [];
      if (filter.industry) {
        conditions.push('industry = ?');
        params.push(filter.industry);
      }
      if (filter.month) {
        conditions.push('month = ?');
        params.push(filter.month);
      }
      const rows = db
        .prepare(
          `SELECT id, version, content, content_hash FROM rep_snapshots
           ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
           ORDER BY month DESC, industry, version DESC`,
        )
        .all(...params) as unknown as SnapshotRow[];
      return rows.map(fromRow);
    },
  };
}
