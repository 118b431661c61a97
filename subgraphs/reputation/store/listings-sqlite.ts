import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { migrate, transaction } from '../../../platform/store/sqlite.ts';
import { hashRaw } from '../domain/normalise.ts';
import type { ListingChange, ListingRecord, ListingSource } from '../domain/listing.ts';
import {
  decodeListingCursor,
  dedupeBatch,
  encodeListingCursor,
  listingKey,
  planUpsert,
  type ListingHistoryEntry,
  type ListingPage,
  type ListingPageRequest,
  type ListingQuery,
  type ListingRepository,
  type OnListingChanges,
  type StoredQuarantinedItem,
  type UpsertOptions,
  type UpsertResult,
} from './listings.ts';

export const LISTINGS_COMPONENT = 'reputation.listings';

/** Append only: each entry is one schema version of the `reputation.listings` component. */
export const LISTINGS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE listings (
     source TEXT NOT NULL,
     external_id TEXT NOT NULL,
     url TEXT,
     enterprise_name TEXT NOT NULL,
     enterprise_id TEXT NOT NULL,
     enterprise_basis TEXT NOT NULL,
     industry TEXT,
     title TEXT,
     issue TEXT,
     demand TEXT,
     amount REAL,
     status TEXT NOT NULL,
     raw_status TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     replied_at INTEGER,
     completed_at INTEGER,
     satisfaction INTEGER,
     raw_hash TEXT NOT NULL,
     PRIMARY KEY (source, external_id)
   ) WITHOUT ROWID;
   CREATE INDEX listings_enterprise_created ON listings (enterprise_id, created_at);
   CREATE INDEX listings_created ON listings (created_at DESC, source, external_id);
   CREATE TABLE listing_history (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     source TEXT NOT NULL,
     external_id TEXT NOT NULL,
     record TEXT NOT NULL,
     replaced_at INTEGER NOT NULL
   );
   CREATE INDEX listing_history_key ON listing_history (source, external_id, id);
   CREATE TABLE listing_quarantine (
     source TEXT NOT NULL,
     raw_hash TEXT NOT NULL,
     external_id TEXT,
     reason TEXT NOT NULL,
     raw TEXT NOT NULL,
     url TEXT,
     quarantined_at INTEGER NOT NULL,
     PRIMARY KEY (source, raw_hash)
   );
   CREATE TABLE crawl_state (
     source TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );`,
  // A statistics rebuild reads every listing grouped by enterprise. Covering the columns it needs,
  // this index hands them over in (enterprise, time) order without a sort or a table lookup, so
  // rebuild threads each read one range of enterprises. It replaces (enterprise_id, created_at),
  // whose queries it still serves with the same leading columns.
  `DROP INDEX listings_enterprise_created;
   CREATE INDEX listings_by_enterprise ON listings
     (enterprise_id, created_at, source, status, replied_at, completed_at, satisfaction, industry, enterprise_name);`,
];

const COLUMNS = `source, external_id, url, enterprise_name, enterprise_id, enterprise_basis, industry, title, issue,
  demand, amount, status, raw_status, created_at, replied_at, completed_at, satisfaction, raw_hash`;

interface ListingRow {
  source: string;
  external_id: string;
  url: string | null;
  enterprise_name: string;
  enterprise_id: string;
  enterprise_basis: string;
  industry: string | null;
  title: string | null;
  issue: string | null;
  demand: string | null;
  amount: number | null;
  status: string;
  raw_status: string;
  created_at: number;
  replied_at: number | null;
  completed_at: number | null;
  satisfaction: number | null;
  raw_hash: string;
}

/** Row of the `listings` table to a record (exported for the statistics queries on the same db). */
export function listingFromRow(row: ListingRow): ListingRecord {
  return {
    source: row.source as ListingSource,
    externalId: row.external_id,
    url: row.url,
    enterpriseName: row.enterprise_name,
    enterpriseId: row.enterprise_id,
    enterpriseBasis: row.enterprise_basis,
    industry: row.industry,
    title: row.title,
    issue: row.issue,
    demand: row.demand,
    amount: row.amount,
    status: row.status as ListingRecord['status'],
    rawStatus: row.raw_status,
    createdAt: Number(row.created_at),
    repliedAt: row.replied_at === null ? null : Number(row.replied_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
    satisfaction: row.satisfaction,
    rawHash: row.raw_hash,
  };
}

function rowValues(r: ListingRecord) {
  return [
    r.source,
    r.externalId,
    r.url,
    r.enterpriseName,
    r.enterpriseId,
    r.enterpriseBasis,
    r.industry,
    r.title,
    r.issue,
    r.demand,
    r.amount,
    r.status,
    r.rawStatus,
    r.createdAt,
    r.repliedAt,
    r.completedAt,
    r.satisfaction,
    r.rawHash,
  ] as const;
}

/** SQL WHERE clause + parameters for a listing query (mirrors `listingFilter` for MongoDB). */
function whereClause(query: ListingQuery, after: ReturnType<typeof decodeListingCursor>) {
  const conditions: string[] = [];
  const params: Array<string | number> = [];
  if (query.source !== undefined) {
    conditions.push('source = ?');
    params.push(query.source);
  }
  if (query.enterpriseId !== undefined) {
    conditions.push('enterprise_id = ?');
    params.push(query.enterpriseId);
  }
  if (query.status !== undefined) {
    conditions.push('status = ?');
    params.push(query.status);
  }
  if (query.createdFrom !== undefined) {
    conditions.push('created_at >= ?');
    params.push(query.createdFrom);
  }
  if (query.createdTo !== undefined) {
    conditions.push('created_at < ?');
    params.push(query.createdTo);
  }
  if (after) {
    conditions.push('(created_at < ? OR (created_at = ? AND (source > ? OR (source = ? AND external_id > ?))))');
    params.push(after.createdAt, after.createdAt, after.source, after.source, after.externalId);
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * The SQLite listings repository over a database the reputation subgraph opened (statistics
 * share it, so `onChanges` can write rollups in the same transaction).
 */
export function createSqliteListingRepository(db: DatabaseSync): ListingRepository {
  migrate(db, LISTINGS_COMPONENT, LISTINGS_MIGRATIONS);
  // Tens of millions of rows with two secondary indexes: a larger page cache keeps index inserts
  // from re-reading pages (the default is 2 MB). Applies to this connection only.
  db.exec('PRAGMA cache_size = -65536');
  const selectOne = db.prepare(`SELECT ${COLUMNS} FROM listings WHERE source = ? AND external_id = ?`);
  const insert = db.prepare(`INSERT INTO listings (${COLUMNS}) VALUES (${Array(18).fill('?').join(', ')})`);
  const update = db.prepare(
    `UPDATE listings SET url = ?, enterprise_name = ?, enterprise_id = ?, enterprise_basis = ?, industry = ?, title = ?,
       issue = ?, demand = ?, amount = ?, status = ?, raw_status = ?, created_at = ?, replied_at = ?, completed_at = ?,
       satisfaction = ?, raw_hash = ? WHERE source = ? AND external_id = ?`,
  );
  const insertHistory = db.prepare(
    'INSERT INTO listing_history (source, external_id, record, replaced_at) VALUES (?, ?, ?, ?)',
  );
  const insertQuarantine = db.prepare(
    `INSERT INTO listing_quarantine (source, raw_hash, external_id, reason, raw, url, quarantined_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, raw_hash) DO NOTHING`,
  );
  // Batches are read with one IN (...) per chunk; prepared per chunk size and cached.
  const selectManyCache = new Map<number, StatementSync>();
  const selectMany = (size: number) => {
    let statement = selectManyCache.get(size);
    if (!statement) {
      statement = db.prepare(
        `SELECT ${COLUMNS} FROM listings WHERE source = ? AND external_id IN (${Array(size).fill('?').join(', ')})`,
      );
      selectManyCache.set(size, statement);
    }
    return statement;
  };

  function loadExisting(source: string, ids: string[]): Map<string, ListingRecord> {
    const found = new Map<string, ListingRecord>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const row of selectMany(chunk.length).all(source, ...chunk) as unknown as ListingRow[]) {
        found.set(listingKey(row.source, row.external_id), listingFromRow(row));
      }
    }
    return found;
  }

  return {
    async upsertBatch(records, onChanges?: OnListingChanges, options: UpsertOptions = {}): Promise<UpsertResult> {
      const now = options.now ?? Date.now();
      const batch = dedupeBatch(records);
      return transaction(db, () => {
        const existing = new Map<string, ListingRecord>();
        const bySource = new Map<string, string[]>();
        for (const record of batch) {
          const ids = bySource.get(record.source) ?? [];
          ids.push(record.externalId);
          bySource.set(record.source, ids);
        }
        for (const [source, ids] of bySource) for (const [k, v] of loadExisting(source, ids)) existing.set(k, v);
        const plan = planUpsert(batch, existing);
        const changes: ListingChange[] = [];
        for (const record of plan.inserts) {
          insert.run(...rowValues(record));
          changes.push({ before: null, after: record });
        }
        for (const { before, after } of plan.updates) {
          insertHistory.run(before.source, before.externalId, JSON.stringify(before), now);
          const [source, externalId, ...rest] = rowValues(after);
          update.run(...rest, source, externalId);
          changes.push({ before, after });
        }
        let quarantined = 0;
        for (const item of options.quarantine ?? []) {
          const result = insertQuarantine.run(
            item.source,
            hashRaw(item.raw),
            item.externalId,
            item.reason,
            item.raw,
            item.url,
            now,
          );
          quarantined += Number(result.changes);
        }
        if (onChanges && changes.length > 0) {
          const returned = onChanges(changes);
          if (returned instanceof Promise) {
            throw new Error('onChanges must be synchronous on SQLite: it runs inside the write transaction.');
          }
        }
        return {
          inserted: plan.inserts.length,
          updated: plan.updates.length,
          unchanged: plan.unchanged,
          quarantined,
          changes,
        };
      });
    },

    async get(source, externalId) {
      const row = selectOne.get(source, externalId) as ListingRow | undefined;
      return row ? listingFromRow(row) : null;
    },

    async rawHashes(source, externalIds) {
      const hashes = new Map<string, string>();
      for (const record of loadExisting(source, [...new Set(externalIds)]).values())
        hashes.set(record.externalId, record.rawHash);
      return hashes;
    },

    async history(source, externalId): Promise<ListingHistoryEntry[]> {
      const rows = db
        .prepare('SELECT record, replaced_at FROM listing_history WHERE source = ? AND external_id = ? ORDER BY id')
        .all(source, externalId) as Array<{ record: string; replaced_at: number }>;
      return rows.map((row) => ({
        record: JSON.parse(row.record) as ListingRecord,
        replacedAt: Number(row.replaced_at),
      }));
    },

    async find(query, page: ListingPageRequest): Promise<ListingPage> {
      const after = page.after ? decodeListingCursor(page.after) : null;
      const where = whereClause(query, after);
      const rows = db
        .prepare(`SELECT ${COLUMNS} FROM listings ${where.sql} ORDER BY created_at DESC, source, external_id LIMIT ?`)
        .all(...where.params, page.first + 1) as unknown as ListingRow[];
      const records = rows.slice(0, page.first).map(listingFromRow);
      const last = records.at(-1);
      return { records, hasNextPage: rows.length > page.first, endCursor: last ? encodeListingCursor(last) : null };
    },

    async count(query = {}) {
      const where = whereClause(query, null);
      const row = db.prepare(`SELECT COUNT(*) AS n FROM listings ${where.sql}`).get(...where.params) as { n: number };
      return Number(row.n);
    },

    async countBySource() {
      const rows = db.prepare('SELECT source, COUNT(*) AS n FROM listings GROUP BY source').all() as Array<{
        source: string;
        n: number;
      }>;
      return Object.fromEntries(rows.map((row) => [row.source, Number(row.n)]));
    },

    async quarantined(source, limit = 100): Promise<StoredQuarantinedItem[]> {
      const rows = db
        .prepare(
          `SELECT source, raw_hash, external_id, reason, raw, url, quarantined_at FROM listing_quarantine
           WHERE source = ? ORDER BY quarantined_at, raw_hash LIMIT ?`,
        )
        .all(source, limit) as Array<Record<string, string | number | null>>;
      return rows.map((row) => ({
        source: row.source as ListingSource,
        rawHash: String(row.raw_hash),
        externalId: row.external_id === null ? null : String(row.external_id),
        reason: String(row.reason),
        raw: String(row.raw),
        url: row.url === null ? null : String(row.url),
        quarantinedAt: Number(row.quarantined_at),
      }));
    },

    async countQuarantined(source) {
      const row = (
        source === undefined
          ? db.prepare('SELECT COUNT(*) AS n FROM listing_quarantine').get()
          : db.prepare('SELECT COUNT(*) AS n FROM listing_quarantine WHERE source = ?').get(source)
      ) as { n: number };
      return Number(row.n);
    },

    async close() {
      // The database belongs to the subgraph that opened it.
    },
  };
}
