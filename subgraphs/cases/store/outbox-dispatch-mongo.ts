import type { Db, Filter, IndexDescription, Sort, UpdateFilter } from 'mongodb';
import { OUTBOX_COLLECTION, type OutboxRow } from './case-repository.ts';
import { DeliveryOutcome, type DeliveryLogEntry, type OutboxDispatchStore } from './outbox-dispatch.ts';

/** An outbox row as the case repository stores it in MongoDB: the row plus `_id` = id (times as ISO strings). */
export type OutboxDocument = OutboxRow & { _id: string; lastError?: string | null };
export type DeliveryLogDocument = DeliveryLogEntry;

export const DELIVERY_LOG_COLLECTION = 'case_outbox_deliveries';

export const outboxDispatchIndexes: Record<string, IndexDescription[]> = {
  [DELIVERY_LOG_COLLECTION]: [{ key: { outboxId: 1, attempt: 1 }, name: 'case_outbox_deliveries_outbox' }],
};

/** Undelivered rows due by `now` for the given recipient kinds. Exported for the mingo tests. */
export function dueOutboxFilter(now: Date, kinds: readonly string[]): Filter<OutboxDocument> {
  return { deliveredAt: null, nextAttemptAt: { $lte: now.toISOString() }, 'recipient.kind': { $in: [...kinds] } };
}

/** Oldest due first, the same order as the SQLite adapter. */
export const DUE_OUTBOX_SORT: Sort = { nextAttemptAt: 1, _id: 1 };

export function claimOutboxUpdate(claimUntil: Date): UpdateFilter<OutboxDocument> {
  return { $set: { nextAttemptAt: claimUntil.toISOString() } };
}

/** The row itself, only while it is not delivered: a late duplicate never un-delivers it. */
export function undeliveredOutboxFilter(id: string): Filter<OutboxDocument> {
  return { _id: id, deliveredAt: null };
}

/**
 * MongoDB adapter. Each claim is one `findOneAndUpdate` on a due row, so two dispatchers can
 * never both get the same row: the second one's filter no longer matches once the first
 * moved `nextAttemptAt` past `now`.
 */
export function createMongoOutboxDispatchStore(db: Db): OutboxDispatchStore {
  const outbox = db.collection<OutboxDocument>(OUTBOX_COLLECTION);
  const log = db.collection<DeliveryLogDocument>(DELIVERY_LOG_COLLECTION);
  const lastAttempt = async (outboxId: string) =>
    (await log.find({ outboxId }).sort({ attempt: -1 }).limit(1).next())?.attempt ?? 0;

  return {
    async claimDue({ now, claimUntil, limit, kinds }) {
      const claimed: OutboxRow[] = [];
      if (kinds.length === 0) return claimed;
      while (claimed.length < limit) {
        const doc = await outbox.findOneAndUpdate(dueOutboxFilter(now, kinds), claimOutboxUpdate(claimUntil), {
          sort: DUE_OUTBOX_SORT,
          returnDocument: 'after',
        });
        if (!doc) break;
        const { _id, lastError: _lastError, ...row } = doc;
        claimed.push({ ...row, id: _id });
      }
      return claimed;
    },
    async markDelivered(id, now, detail) {
      const updated = await outbox.findOneAndUpdate(
        undeliveredOutboxFilter(id),
        { $set: { deliveredAt: now.toISOString(), lastError: null }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      );
      const attempt = updated?.attempts ?? (await lastAttempt(id)) + 1;
      await log.insertOne({
        outboxId: id,
        attempt,
        at: now.toISOString(),
        outcome: DeliveryOutcome.Delivered,
        detail,
        error: null,
      });
    },
    async markFailed(id, failure) {
      const updated = await outbox.findOneAndUpdate(
        undeliveredOutboxFilter(id),
        { $set: { lastError: failure.error, nextAttemptAt: failure.nextAttemptAt }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      );
      const attempt = updated?.attempts ?? (await lastAttempt(id)) + 1;
      await log.insertOne({
        outboxId: id,
        attempt,
        at: failure.now.toISOString(),
        outcome: failure.parked ? DeliveryOutcome.Parked : DeliveryOutcome.Failed,
        detail: failure.detail,
        error: failure.error,
      });
    },
    async deliveryLog(outboxId) {
      const docs = await log.find({ outboxId }).sort({ attempt: 1, _id: 1 }).toArray();
      return docs.map(({ outboxId: o, attempt, at, outcome, detail, error }) => ({
        outboxId: o,
        attempt,
        at,
        outcome,
        detail,
        error,
      }));
    },
  };
}
