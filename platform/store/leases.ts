import type { DatabaseSync } from 'node:sqlite';
import type { Collection, Db, Filter, IndexDescription } from 'mongodb';
import { migrate } from './sqlite.ts';

/**
 * A named, time-limited lock kept in the store, so that background work (the cases scheduler,
 * the reputation crawler) runs on one instance at a time even when several are started.
 * A holder that dies simply stops renewing: after `ttlMs` another holder may take the lease,
 * so no lease is ever stuck. `now` is passed in (never read from the clock here) so that tests
 * can move time without sleeping.
 */
export interface LeaseStore {
  /** Takes `name` for `holder` until `now + ttlMs` if it is free, expired, or already held by `holder`. */
  tryAcquire(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Extends a lease `holder` still holds (not expired); false when it was lost. */
  renew(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Gives the lease up early; a no-op when `holder` does not hold it. */
  release(name: string, holder: string): Promise<void>;
}

/** The lease as stored in MongoDB: one document per lease name. */
export interface LeaseDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
}

const SQLITE_MIGRATIONS = [
  `CREATE TABLE leases (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   ) STRICT`,
];

/**
 * SQLite adapter. Acquisition is one UPSERT whose update only applies when the current lease has
 * expired or belongs to the same holder, so two connections racing for the same name cannot both
 * see `changes = 1`: SQLite serialises writers and the WHERE is evaluated inside the write.
 */
export function createSqliteLeaseStore(db: DatabaseSync): LeaseStore {
  migrate(db, 'leases', SQLITE_MIGRATIONS);
  const acquire = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES (:name, :holder, :expiresAt)
     ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.expires_at <= :now OR leases.holder = excluded.holder`,
  );
  const renew = db.prepare(
    `UPDATE leases SET expires_at = :expiresAt WHERE name = :name AND holder = :holder AND expires_at > :now`,
  );
  const release = db.prepare('DELETE FROM leases WHERE name = :name AND holder = :holder');
  return {
    async tryAcquire(name, holder, ttlMs, now) {
      assertTtl(ttlMs);
      const result = acquire.run({ name, holder, expiresAt: now.getTime() + ttlMs, now: now.getTime() });
      return Number(result.changes) === 1;
    },
    async renew(name, holder, ttlMs, now) {
      assertTtl(ttlMs);
      const result = renew.run({ name, holder, expiresAt: now.getTime() + ttlMs, now: now.getTime() });
      return Number(result.changes) === 1;
    },
    async release(name, holder) {
      release.run({ name, holder });
    },
  };
}

/**
 * The filter under which `holder` may take lease `name`: absent (the upsert inserts it), expired,
 * or its own. Exported so that tests can evaluate it with mingo, as no MongoDB server runs here.
 */
export function leaseAcquireFilter(name: string, holder: string, now: Date): Filter<LeaseDocument> {
  return { _id: name, $or: [{ expiresAt: { $lte: now } }, { holder }] };
}

/** The filter under which `holder` may extend lease `name`: its own and not yet expired. */
export function leaseRenewFilter(name: string, holder: string, now: Date): Filter<LeaseDocument> {
  return { _id: name, holder, expiresAt: { $gt: now } };
}

export const LEASE_COLLECTION = 'leases';
export const leaseIndexes: Record<string, IndexDescription[]> = {
  // `_id` is the name and already unique; this one lets an operator list stale leases cheaply.
  [LEASE_COLLECTION]: [{ key: { expiresAt: 1 }, name: 'leases_expiresAt' }],
};

/**
 * MongoDB adapter. When the lease is held by someone else and unexpired, the filter matches
 * nothing, so the upsert tries to insert a second document with the same `_id`: the server
 * refuses with a duplicate-key error, which means "not acquired".
 */
export function createMongoLeaseStore(db: Db): LeaseStore {
  const leases: Collection<LeaseDocument> = db.collection<LeaseDocument>(LEASE_COLLECTION);
  return {
    async tryAcquire(name, holder, ttlMs, now) {
      assertTtl(ttlMs);
      try {
        const updated = await leases.findOneAndUpdate(
          leaseAcquireFilter(name, holder, now),
          { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs) } },
          { upsert: true, returnDocument: 'after' },
        );
        return updated?.holder === holder;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },
    async renew(name, holder, ttlMs, now) {
      assertTtl(ttlMs);
      const result = await leases.updateOne(leaseRenewFilter(name, holder, now), {
        $set: { expiresAt: new Date(now.getTime() + ttlMs) },
      });
      return result.matchedCount === 1;
    },
    async release(name, holder) {
      await leases.deleteOne({ _id: name, holder });
    },
  };
}

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

function assertTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`A lease needs a positive TTL, got ${ttlMs}.`);
}

/**
 * Runs `work` only while holding `name`: acquires, runs, and releases. Returns undefined without
 * running when another holder has the lease. For work that may outlast `ttlMs`, the callback
 * receives `renew` to extend the lease between steps (it reports false once the lease is lost).
 */
export async function withLease<T>(
  store: LeaseStore,
  options: { name: string; holder: string; ttlMs: number; now: () => Date },
  work: (renew: () => Promise<boolean>) => Promise<T>,
): Promise<T | undefined> {
  const { name, holder, ttlMs, now } = options;
  if (!(await store.tryAcquire(name, holder, ttlMs, now()))) return undefined;
  try {
    return await work(() => store.renew(name, holder, ttlMs, now()));
  } finally {
    await store.release(name, holder);
  }
}
