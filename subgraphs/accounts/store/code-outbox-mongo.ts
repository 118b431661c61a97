import type { Db, Filter, IndexDescription } from 'mongodb';
import type { CodeDeliveryRow } from '../domain/code-delivery.ts';
import { finishedAddress, type CodeOutboxStore } from './code-outbox.ts';

export const CODE_OUTBOX_COLLECTION = 'code_outbox';

/** A code outbox row in MongoDB: the row plus `_id` = id; `parked` and `lastError` are the dispatcher's. */
export type CodeOutboxDocument = Omit<CodeDeliveryRow, 'id'> & {
  _id: string;
  parked: boolean;
  lastError: string | null;
};

export const CODE_OUTBOX_INDEXES: Record<string, IndexDescription[]> = {
  [CODE_OUTBOX_COLLECTION]: [
    { key: { deliveredAt: 1, parked: 1, nextAttemptAt: 1, _id: 1 }, name: 'code_outbox_due' },
    { key: { accountId: 1, createdAt: 1 }, name: 'code_outbox_account' },
  ],
};

/** Undelivered, unparked rows due by `now` for the given recipient kinds. Exported for the mingo tests. */
export function dueCodeFilter(now: Date, kinds: readonly string[]): Filter<CodeOutboxDocument> {
  return {
    deliveredAt: null,
    parked: false,
    nextAttemptAt: { $lte: now.toISOString() },
    'recipient.kind': { $in: [...kinds] },
  } as Filter<CodeOutboxDocument>;
}

const toRow = ({ _id, parked: _parked, lastError: _lastError, ...row }: CodeOutboxDocument): CodeDeliveryRow => ({
  ...row,
  id: _id,
});

/** The code outbox on MongoDB: each claim is one `findOneAndUpdate`, so two dispatchers never get the same row. */
export function createMongoCodeOutboxStore(db: Db): CodeOutboxStore {
  const rows = db.collection<CodeOutboxDocument>(CODE_OUTBOX_COLLECTION);
  const finishedFields = async (id: string) => {
    const doc = await rows.findOne({ _id: id });
    return { sealedCode: null, 'recipient.address': doc ? finishedAddress(doc.recipient.address) : '' };
  };
  return {
    async enqueue({ id, ...row }) {
      await rows.insertOne({ ...row, _id: id, parked: false, lastError: null });
    },
    async claimDue({ now, claimUntil, limit, kinds }) {
      const claimed: CodeDeliveryRow[] = [];
      while (kinds.length > 0 && claimed.length < limit) {
        const doc = await rows.findOneAndUpdate(
          dueCodeFilter(now, kinds),
          { $set: { nextAttemptAt: claimUntil.toISOString() } },
          { sort: { nextAttemptAt: 1, _id: 1 }, returnDocument: 'after' },
        );
        if (!doc) break;
        claimed.push(toRow(doc));
      }
      return claimed;
    },
    async markDelivered(id, now) {
      await rows.updateOne(
        { _id: id, deliveredAt: null },
        {
          $set: { deliveredAt: now.toISOString(), lastError: null, ...(await finishedFields(id)) },
          $inc: { attempts: 1 },
        },
      );
    },
    async markFailed(id, failure) {
      const finished = failure.parked ? { parked: true, ...(await finishedFields(id)) } : {};
      await rows.updateOne(
        { _id: id, deliveredAt: null },
        {
          $set: { lastError: failure.error, nextAttemptAt: failure.nextAttemptAt, ...finished },
          $inc: { attempts: 1 },
        },
      );
    },
    async rowsOf(accountId) {
      return (await rows.find({ accountId }).sort({ createdAt: 1, _id: 1 }).toArray()).map(toRow);
    },
    async purgeAccount(accountId) {
      await rows.deleteMany({ accountId });
    },
  };
}
