import type { ClientSession, Db, Document, IndexDescription, MongoClient } from 'mongodb';
import { hashRaw } from '../domain/normalise.ts';
import type { ListingChange, ListingRecord, ListingSource } from '../domain/listing.ts';
import {
  decodeListingCursor,
  dedupeBatch,
  encodeListingCursor,
  listingKey,
  pickRecord,
  planUpsert,
  type ListingQuery,
  type ListingRepository,
  type StoredQuarantinedItem,
  type UpsertResult,
} from './listings.ts';

export const LISTINGS_COLLECTION = 'listings';
export const LISTING_HISTORY_COLLECTION = 'listing_history';
export const LISTING_QUARANTINE_COLLECTION = 'listing_quarantine';

export const LISTINGS_INDEXES: Record<string, IndexDescription[]> = {
  [LISTINGS_COLLECTION]: [
    { key: { source: 1, externalId: 1 }, name: 'source_externalId', unique: true },
    { key: { enterpriseId: 1, createdAt: 1 }, name: 'enterprise_created' },
    { key: { createdAt: -1, source: 1, externalId: 1 }, name: 'created_desc' },
  ],
  [LISTING_HISTORY_COLLECTION]: [{ key: { source: 1, externalId: 1, replacedAt: 1 }, name: 'key_replaced' }],
  [LISTING_QUARANTINE_COLLECTION]: [{ key: { source: 1, quarantinedAt: 1 }, name: 'source_time' }],
};

/** The document `_id` of a listing: one document per (source, externalId). */
export function listingDocumentId(source: string, externalId: string): string {
  return listingKey(source, externalId);
}

/** Mongo filter for a listing query and optional cursor (mirrors the SQLite WHERE clause). */
export function listingFilter(query: ListingQuery, afterCursor?: string | null): Document {
  const and: Document[] = [];
  if (query.source !== undefined) and.push({ source: query.source });
  if (query.enterpriseId !== undefined) and.push({ enterpriseId: query.enterpriseId });
  if (query.status !== undefined) and.push({ status: query.status });
  if (query.createdFrom !== undefined) and.push({ createdAt: { $gte: query.createdFrom } });
  if (query.createdTo !== undefined) and.push({ createdAt: { $lt: query.createdTo } });
  const after = afterCursor ? decodeListingCursor(afterCursor) : null;
  if (after) {
    and.push({
      $or: [
        { createdAt: { $lt: after.createdAt } },
        { createdAt: after.createdAt, source: { $gt: after.source } },
        { createdAt: after.createdAt, source: after.source, externalId: { $gt: after.externalId } },
      ],
    });
  }
  return and.length === 0 ? {} : and.length === 1 ? and[0] : { $and: and };
}

/** Newest first, then source and externalId: the same total order as SQLite. */
export const LISTING_SORT = { createdAt: -1, source: 1, externalId: 1 } as const;

/** Aggregation counting records per source: `[{ _id: source, count }]`. */
export function countBySourcePipeline(): Document[] {
  return [{ $group: { _id: '$source', count: { $sum: 1 } } }, { $sort: { _id: 1 } }];
}

/** Listing record to its document. */
export function listingDocument(record: ListingRecord): Document {
  return { _id: listingDocumentId(record.source, record.externalId), ...record };
}

/**
 * The MongoDB listings repository. Each batch runs in one multi-document transaction (a replica
 * set is required, as for every MongoDB deployment of Weiquan).
 */
export function createMongoListingRepository(client: MongoClient, db: Db): ListingRepository {
  const listings = db.collection<Document>(LISTINGS_COLLECTION);
  const history = db.collection<Document>(LISTING_HISTORY_COLLECTION);
  const quarantine = db.collection<Document>(LISTING_QUARANTINE_COLLECTION);

  async function loadExisting(ids: string[], session?: ClientSession): Promise<Map<string, ListingRecord>> {
    const found = new Map<string, ListingRecord>();
    if (ids.length === 0) return found;
    for await (const doc of listings.find({ _id: { $in: ids } } as Document, { session })) {
      const record = pickRecord(doc);
      found.set(listingKey(record.source, record.externalId), record);
    }
    return found;
  }

  return {
    async upsertBatch(records, onChanges, options = {}): Promise<UpsertResult> {
      const now = options.now ?? Date.now();
      const batch = dedupeBatch(records);
      const session = client.startSession();
      try {
        let result!: UpsertResult;
        await session.withTransaction(async () => {
          const existing = await loadExisting(
            batch.map((r) => listingDocumentId(r.source, r.externalId)),
            session,
          );
          const plan = planUpsert(batch, existing);
          const changes: ListingChange[] = [...plan.inserts.map((after) => ({ before: null, after })), ...plan.updates];
          if (plan.inserts.length)
            await listings.insertMany(plan.inserts.map(listingDocument), { session, ordered: true });
          if (plan.updates.length) {
            await history.insertMany(
              plan.updates.map(({ before }) => ({
                source: before.source,
                externalId: before.externalId,
                record: before,
                replacedAt: now,
              })),
              { session },
            );
            await listings.bulkWrite(
              plan.updates.map(({ after }) => ({
                replaceOne: {
                  filter: { _id: listingDocumentId(after.source, after.externalId) } as Document,
                  replacement: { ...after },
                },
              })),
              { session },
            );
          }
          let quarantined = 0;
          for (const item of options.quarantine ?? []) {
            const rawHash = hashRaw(item.raw);
            const written = await quarantine.updateOne(
              { _id: `${item.source}:${rawHash}` } as Document,
              { $setOnInsert: { ...item, rawHash, quarantinedAt: now } },
              { upsert: true, session },
            );
            quarantined += written.upsertedCount;
          }
          if (onChanges && changes.length > 0) await onChanges(changes, session);
          result = {
            inserted: plan.inserts.length,
            updated: plan.updates.length,
            unchanged: plan.unchanged,
            quarantined,
            changes,
          };
        });
        return result;
      } finally {
        await session.endSession();
      }
    },

    async get(source, externalId) {
      const doc = await listings.findOne({ _id: listingDocumentId(source, externalId) } as Document);
      return doc ? pickRecord(doc) : null;
    },

    async rawHashes(source, externalIds) {
      const existing = await loadExisting([...new Set(externalIds)].map((id) => listingDocumentId(source, id)));
      return new Map([...existing.values()].map((r) => [r.externalId, r.rawHash]));
    },

    async history(source, externalId) {
      const docs = await history.find({ source, externalId }).sort({ replacedAt: 1, _id: 1 }).toArray();
      return docs.map((doc) => ({ record: pickRecord(doc.record as Document), replacedAt: Number(doc.replacedAt) }));
    },

    async find(query, page) {
      const docs = await listings
        .find(listingFilter(query, page.after))
        .sort(LISTING_SORT)
        .limit(page.first + 1)
        .toArray();
      const records = docs.slice(0, page.first).map(pickRecord);
      const last = records.at(-1);
      return { records, hasNextPage: docs.length > page.first, endCursor: last ? encodeListingCursor(last) : null };
    },

    async count(query = {}) {
      return listings.countDocuments(listingFilter(query));
    },

    async countBySource() {
      const rows = await listings.aggregate<{ _id: string; count: number }>(countBySourcePipeline()).toArray();
      return Object.fromEntries(rows.map((row) => [row._id, row.count])) as Partial<Record<ListingSource, number>>;
    },

    async quarantined(source, limit = 100): Promise<StoredQuarantinedItem[]> {
      const docs = await quarantine.find({ source }).sort({ quarantinedAt: 1, rawHash: 1 }).limit(limit).toArray();
      return docs.map((doc) => ({
        source: doc.source as ListingSource,
        rawHash: String(doc.rawHash),
        externalId: (doc.externalId as string | null) ?? null,
        reason: String(doc.reason),
        raw: String(doc.raw),
        url: (doc.url as string | null) ?? null,
        quarantinedAt: Number(doc.quarantinedAt),
      }));
    },

    async countQuarantined(source) {
      return quarantine.countDocuments(source === undefined ? {} : { source });
    },

    async close() {
      // The client belongs to the subgraph that connected it.
    },
  };
}
