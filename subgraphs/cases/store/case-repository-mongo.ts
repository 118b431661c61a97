import type { ClientSession, Db, Document, MongoClient } from 'mongodb';
import { ensureIndexes } from '../../../platform/store/mongo.ts';
import { formatReference, referenceDay } from '../domain/filing.ts';
import type { IdempotencyRecord } from '../domain/idempotency.ts';
import type { CaseRecord, CaseRevision, TimelineEvent } from '../domain/model.ts';
import {
  SORT_KEYS,
  toPage,
  IdempotencyKeyTakenError,
  StaleVersionError,
  publishedFactsOf,
  type CaseChange,
  type CaseRepository,
  type EnterpriseCasesFilter,
  type EnterpriseFacts,
  type EvidenceCasesFilter,
  type NewCase,
  type OutboxRow,
  type Page,
  type PageRequest,
  type PublishedFilter,
  type QueueFilter,
} from './case-repository.ts';
import {
  CASE_MONGO_INDEXES,
  type CaseDocument,
  COLLECTIONS,
  fromCaseDocument,
  type IdempotencyDocument,
  idempotencyKeyFilter,
  toCaseDocument,
  toIdempotencyRecord,
} from './case-repository-mongo-documents.ts';
import {
  casesWithEvidenceQuery,
  complainantCasesQuery,
  enterpriseCasesQuery,
  type FindSpec,
  latestPublishedPipeline,
  pastDeadlineQuery,
  publishedQuery,
  queueQuery,
  relinkFilter,
} from './case-repository-mongo-queries.ts';

/**
 * The MongoDB adapter: each write runs in one session transaction (majority write concern from
 * platform/store/mongo.ts), so a change, its events and its outbox rows land together or not at all.
 */
export class MongoCaseRepository implements CaseRepository {
  readonly client: MongoClient;
  readonly db: Db;

  constructor(client: MongoClient, db: Db) {
    this.client = client;
    this.db = db;
  }

  static async open(client: MongoClient, db: Db): Promise<MongoCaseRepository> {
    await ensureIndexes(db, CASE_MONGO_INDEXES);
    return new MongoCaseRepository(client, db);
  }

  private get cases() {
    return this.db.collection<CaseDocument>(COLLECTIONS.cases);
  }

  private get idempotencyKeys() {
    return this.db.collection<IdempotencyDocument>(COLLECTIONS.idempotencyKeys);
  }

  private async inTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      return await session.withTransaction(work);
    } finally {
      await session.endSession();
    }
  }

  private async writeRest(
    session: ClientSession,
    record: CaseRecord,
    events: readonly TimelineEvent[],
    revision: CaseRevision | undefined,
    outbox: readonly OutboxRow[],
    at: string,
  ): Promise<void> {
    if (events.length > 0) {
      await this.db.collection(COLLECTIONS.events).insertMany(
        events.map((e) => ({ ...e, _id: e.id }) as Document),
        { session },
      );
    }
    if (revision) {
      await this.db
        .collection(COLLECTIONS.revisions)
        .insertOne({ ...revision, _id: `${revision.caseId}:${revision.version}` } as Document, { session });
    }
    if (outbox.length > 0) {
      await this.db.collection(COLLECTIONS.outbox).insertMany(
        outbox.map((row) => ({ ...row, _id: row.id }) as Document),
        { session },
      );
    }
    const r = record.respondent;
    await this.db.collection(COLLECTIONS.enterprises).updateOne(
      { _id: r.enterpriseId } as Document,
      {
        $set: {
          name: r.name,
          industry: record.industry,
          updatedAt: at,
          ...(r.creditCode ? { creditCode: r.creditCode } : {}),
        },
      },
      { upsert: true, session },
    );
  }

  /**
   * Two first filings of a new day can race to upsert the day's counter; the loser gets a
   * duplicate-key error (not a transient one the driver retries), so it is retried here.
   */
  async insert(newCase: NewCase): Promise<CaseRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.insertOnce(newCase);
      } catch (error) {
        if ((error as { code?: number }).code !== 11000 || attempt >= 3) throw error;
      }
    }
  }

  private async insertOnce(newCase: NewCase): Promise<CaseRecord> {
    const claim = newCase.idempotency;
    return this.inTransaction(async (session) => {
      if (claim) {
        const held = await this.idempotencyKeys.findOne({ scope: claim.scope, key: claim.key }, { session });
        if (held && held.expiresAt > claim.createdAt) {
          throw new IdempotencyKeyTakenError(claim.key, toIdempotencyRecord(held));
        }
        // An expired claim the TTL monitor has not removed yet gives way to this one.
        if (held) await this.idempotencyKeys.deleteOne({ scope: claim.scope, key: claim.key }, { session });
      }
      const day = referenceDay(newCase.record.submittedAt);
      const counter = await this.db
        .collection<{ _id: string; last: number }>(COLLECTIONS.referenceDays)
        .findOneAndUpdate({ _id: day }, { $inc: { last: 1 } }, { upsert: true, returnDocument: 'after', session });
      const record: CaseRecord = {
        ...newCase.record,
        reference: formatReference(newCase.record.submittedAt, counter?.last ?? 1),
      };
      await this.cases.insertOne(toCaseDocument(record), { session });
      await this.writeRest(
        session,
        record,
        [newCase.event],
        newCase.revision,
        newCase.enqueue(record),
        record.submittedAt,
      );
      if (claim) {
        await this.idempotencyKeys.insertOne(
          { ...claim, caseId: record.id, expiresAtDate: new Date(claim.expiresAt) },
          { session },
        );
      }
      return record;
    });
  }

  async commit(change: CaseChange): Promise<void> {
    const { record } = change;
    await this.inTransaction(async (session) => {
      const result = await this.cases.replaceOne(
        { _id: record.id, version: record.version - 1 },
        toCaseDocument(record),
        { session },
      );
      if (result.matchedCount !== 1) {
        const current = await this.cases.findOne({ _id: record.id }, { session, projection: { version: 1 } });
        throw new StaleVersionError(record.id, current?.version ?? null);
      }
      await this.writeRest(
        session,
        record,
        change.events,
        change.revision,
        change.enqueue,
        change.events[0]?.at ?? record.statusChangedAt,
      );
    });
  }

  async findById(id: string): Promise<CaseRecord | null> {
    const document = await this.cases.findOne({ _id: id });
    return document ? fromCaseDocument(document) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Array<CaseRecord | null>> {
    if (ids.length === 0) return [];
    const found = (await this.cases.find({ _id: { $in: [...ids] } }).toArray()).map(fromCaseDocument);
    const byId = new Map(found.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async findByReference(reference: string): Promise<CaseRecord | null> {
    const document = await this.cases.findOne({ reference });
    return document ? fromCaseDocument(document) : null;
  }

  async findIdempotencyKey(scope: string, key: string, now: string): Promise<IdempotencyRecord | null> {
    const held = await this.idempotencyKeys.findOne(idempotencyKeyFilter(scope, key, now));
    return held ? toIdempotencyRecord(held) : null;
  }

  async timelines(caseIds: readonly string[]): Promise<Map<string, TimelineEvent[]>> {
    const result = new Map<string, TimelineEvent[]>(caseIds.map((id) => [id, []]));
    const rows = await this.db
      .collection(COLLECTIONS.events)
      .find({ caseId: { $in: [...caseIds] } })
      .sort({ caseId: 1, sequence: 1 })
      .toArray();
    for (const { _id, ...event } of rows) result.get(event.caseId as string)?.push(event as unknown as TimelineEvent);
    return result;
  }

  async revisions(caseIds: readonly string[]): Promise<Map<string, CaseRevision[]>> {
    const result = new Map<string, CaseRevision[]>(caseIds.map((id) => [id, []]));
    const rows = await this.db
      .collection(COLLECTIONS.revisions)
      .find({ caseId: { $in: [...caseIds] } })
      .sort({ caseId: 1, version: 1 })
      .toArray();
    for (const { _id, ...revision } of rows)
      result.get(revision.caseId as string)?.push(revision as unknown as CaseRevision);
    return result;
  }

  async enterprises(ids: readonly string[]): Promise<Map<string, EnterpriseFacts>> {
    const rows = await this.db
      .collection(COLLECTIONS.enterprises)
      .find({ _id: { $in: [...ids] } } as Document)
      .toArray();
    return new Map(
      rows.map((row) => [
        String(row._id),
        {
          id: String(row._id),
          name: String(row.name),
          creditCode: (row.creditCode as string | undefined) ?? null,
          industry: row.industry as EnterpriseFacts['industry'],
        },
      ]),
    );
  }

  async publishedEnterprises(ids: readonly string[]): Promise<Map<string, EnterpriseFacts>> {
    if (ids.length === 0) return new Map();
    const latest = await this.cases.aggregate<CaseDocument>(latestPublishedPipeline([...new Set(ids)])).toArray();
    const facts = latest.map(fromCaseDocument).map(publishedFactsOf);
    return new Map(facts.filter((f) => f !== null).map((f) => [f.id, f]));
  }

  private async run(spec: FindSpec): Promise<CaseRecord[]> {
    return (await this.cases.find(spec.filter).sort(spec.sort).limit(spec.limit).toArray()).map(fromCaseDocument);
  }

  async listForComplainant(complainantId: string, page: PageRequest): Promise<Page<CaseRecord>> {
    const spec = complainantCasesQuery(complainantId, page);
    return toPage(await this.run(spec), spec.limit - 1, SORT_KEYS.newestFirst);
  }

  async listForEnterprise(filter: EnterpriseCasesFilter, page: PageRequest): Promise<Page<CaseRecord>> {
    const spec = enterpriseCasesQuery(filter, page);
    return toPage(await this.run(spec), spec.limit - 1, SORT_KEYS.newestFirst);
  }

  async queue(filter: QueueFilter, page: PageRequest): Promise<Page<CaseRecord>> {
    const spec = queueQuery(filter, page);
    return toPage(await this.run(spec), spec.limit - 1, SORT_KEYS.queue);
  }

  async listPastDeadline(beforeDate: string, limit: number): Promise<CaseRecord[]> {
    return this.run(pastDeadlineQuery(beforeDate, limit));
  }

  async casesWithEvidence(evidenceId: string, filter: EvidenceCasesFilter, limit: number): Promise<CaseRecord[]> {
    return this.run(casesWithEvidenceQuery(evidenceId, filter, limit));
  }

  async published(filter: PublishedFilter, page: PageRequest): Promise<Page<CaseRecord>> {
    const spec = publishedQuery(filter, page);
    return toPage(await this.run(spec), spec.limit - 1, SORT_KEYS.published);
  }

  async outboxFor(caseId: string): Promise<OutboxRow[]> {
    const rows = await this.db.collection(COLLECTIONS.outbox).find({ caseId }).sort({ createdAt: 1, _id: 1 }).toArray();
    return rows.map(({ _id, ...row }) => row as unknown as OutboxRow);
  }

  async countCases(): Promise<number> {
    return this.cases.countDocuments();
  }

  async relinkRespondent(fromIds: readonly string[], toId: string): Promise<number> {
    const from = fromIds.filter((id) => id !== toId);
    const cases = this.db.collection(COLLECTIONS.cases);
    if (from.length === 0 || !(await cases.findOne(relinkFilter(from), { projection: { _id: 1 } }))) return 0;
    const facts = await this.db
      .collection(COLLECTIONS.enterprises)
      .find({ _id: { $in: from } } as Document)
      .sort({ updatedAt: -1 })
      .limit(1)
      .next();
    if (facts) {
      const { _id, ...rest } = facts;
      await this.db
        .collection(COLLECTIONS.enterprises)
        .updateOne({ _id: toId } as Document, { $setOnInsert: rest }, { upsert: true });
    }
    const moved = await cases.updateMany(relinkFilter(from), {
      $set: { enterpriseId: toId, 'respondent.enterpriseId': toId },
    });
    return moved.modifiedCount;
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
