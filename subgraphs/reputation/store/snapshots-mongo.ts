import type { Db, Document, IndexDescription } from 'mongodb';
import { contentHash, snapshotId, type RedBlackSnapshot, type SnapshotStore } from './snapshots.ts';

export const SNAPSHOTS_COLLECTION = 'rep_snapshots';

export const SNAPSHOT_INDEXES: Record<string, IndexDescription[]> = {
  [SNAPSHOTS_COLLECTION]: [
    { key: { id: 1, version: 1 }, name: 'id_version', unique: true },
    { key: { month: -1, industry: 1, version: -1 }, name: 'month_industry_version' },
  ],
};

/** Filter of `list` (mirrors the SQLite WHERE clause). */
export function snapshotListFilter(filter: { industry?: string; month?: string }): Document {
  return {
    ...(filter.industry ? { industry: filter.industry } : {}),
    ...(filter.month ? { month: filter.month } : {}),
  };
}

export const SNAPSHOT_LIST_SORT = { month: -1, industry: 1, version: -1 } as const;

const DUPLICATE_KEY = 11000;

function fromDoc(doc: Document): RedBlackSnapshot {
  const { _id, ...rest } = doc;
  return rest as RedBlackSnapshot;
}

/**
 * Insert-only: the adapter has no update or delete path, and the unique (id, version) index turns
 * a race between two publishers into a retry with the next version instead of an overwrite.
 */
export function createMongoSnapshotStore(db: Db): SnapshotStore {
  const snapshots = db.collection<Document>(SNAPSHOTS_COLLECTION);
  return {
    async publish(input) {
      const id = snapshotId(input.industry, input.month);
      const hash = contentHash(input);
      for (let attempt = 0; attempt < 5; attempt++) {
        const [latest] = await snapshots.find({ id }).sort({ version: -1 }).limit(1).toArray();
        const version = Number(latest?.version ?? 0) + 1;
        const snapshot: RedBlackSnapshot = { ...input, id, version, contentHash: hash };
        try {
          await snapshots.insertOne({ _id: `${id}|v${version}`, ...snapshot } as Document);
          return snapshot;
        } catch (error) {
          if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        }
      }
      throw new Error(`Could not publish ${id}: too many concurrent publications.`);
    },
    async get(id, version) {
      const [doc] = await snapshots
        .find(version === undefined ? { id } : { id, version })
        .sort({ version: -1 })
        .limit(1)
        .toArray();
      return doc ? fromDoc(doc) : null;
    },
    async list(filter) {
      return (await snapshots.find(snapshotListFilter(filter)).sort(SNAPSHOT_LIST_SORT).toArray()).map(fromDoc);
    },
  };
}
