import { Aggregator, Query } from 'mingo';
import type { Db, Document } from 'mongodb';

/**
 * The part of the MongoDB collection API the rollups use, over in-memory arrays, with mingo
 * evaluating every filter and pipeline, and a record of each call that would be one round trip to
 * a server. No MongoDB server can run on this machine kind: this lets the MongoDB adapter's code run
 * end to end (its contract against SQLite, and how many round trips a batch costs). It is as
 * faithful as mingo (see stack.md: `$push` keeps missing fields as null, `$median` is wrong; the
 * rollups use neither that way), and it ignores sessions and indexes.
 */
export interface RoundTrip {
  collection: string;
  operation: string;
}

type Filter = Record<string, unknown>;

class MemoryCursor {
  private sortSpec: Record<string, 1 | -1> | null = null;
  private skipped = 0;
  private limited = 0;

  private readonly run: (cursor: { sort: Record<string, 1 | -1> | null; skip: number; limit: number }) => Document[];

  constructor(run: (cursor: { sort: Record<string, 1 | -1> | null; skip: number; limit: number }) => Document[]) {
    this.run = run;
  }

  sort(spec: Record<string, 1 | -1>): this {
    this.sortSpec = spec;
    return this;
  }

  skip(n: number): this {
    this.skipped = n;
    return this;
  }

  limit(n: number): this {
    this.limited = n;
    return this;
  }

  async toArray(): Promise<Document[]> {
    return this.run({ sort: this.sortSpec, skip: this.skipped, limit: this.limited });
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Document> {
    for (const doc of await this.toArray()) yield doc;
  }
}

const copy = <T>(value: T): T => structuredClone(value);

export function createMemoryDb(): { db: Db; trips: RoundTrip[]; data: Map<string, Document[]> } {
  const data = new Map<string, Document[]>();
  const trips: RoundTrip[] = [];
  const docsOf = (name: string) => {
    let docs = data.get(name);
    if (!docs) {
      docs = [];
      data.set(name, docs);
    }
    return docs;
  };
  const matching = (name: string, filter: Filter) => new Query(filter).find<Document>(docsOf(name)).all();
  const remove = (name: string, doc: Document) => {
    const docs = docsOf(name);
    docs.splice(docs.indexOf(doc), 1);
  };
  const idOf = (filter: Filter) => (typeof filter._id === 'string' ? filter._id : undefined);

  function applyUpdate(name: string, filter: Filter, update: Document, upsert: boolean): void {
    let [doc] = matching(name, filter);
    if (!doc) {
      if (!upsert) return;
      doc = { _id: idOf(filter), ...copy(update.$setOnInsert ?? {}) };
      docsOf(name).push(doc);
    }
    for (const [field, n] of Object.entries((update.$inc ?? {}) as Record<string, number>))
      doc[field] = (doc[field] ?? 0) + n;
    for (const [field, value] of Object.entries((update.$set ?? {}) as Record<string, unknown>))
      doc[field] = copy(value);
  }

  function replace(name: string, filter: Filter, replacement: Document, upsert: boolean): void {
    const [doc] = matching(name, filter);
    if (doc) remove(name, doc);
    else if (!upsert) return;
    docsOf(name).push({ _id: doc?._id ?? idOf(filter), ...copy(replacement) });
  }

  function collection(name: string) {
    const trip = (operation: string) => trips.push({ collection: name, operation });
    const aggregate = (pipeline: Document[]) => {
      const last = pipeline.at(-1);
      const merge = last?.$merge as { into: string } | undefined;
      const stages = merge ? pipeline.slice(0, -1) : pipeline;
      const out = new Aggregator(stages, { collectionResolver: (other: string) => docsOf(other) }).run(
        docsOf(name),
      ) as Document[];
      if (merge) for (const doc of out) replace(merge.into, { _id: doc._id }, doc, true);
      return merge ? [] : copy(out);
    };
    return {
      async findOne(filter: Filter) {
        trip('findOne');
        const [doc] = matching(name, filter);
        return doc ? copy(doc) : null;
      },
      find(filter: Filter, options: { projection?: Record<string, 0 | 1> } = {}) {
        return new MemoryCursor(({ sort, skip, limit }) => {
          trip('find');
          let cursor = new Query(filter).find<Document>(docsOf(name), options.projection);
          if (sort) cursor = cursor.sort(sort);
          if (skip) cursor = cursor.skip(skip);
          if (limit) cursor = cursor.limit(limit);
          return copy(cursor.all());
        });
      },
      aggregate(pipeline: Document[]) {
        return new MemoryCursor(() => {
          trip('aggregate');
          return aggregate(pipeline);
        });
      },
      async bulkWrite(ops: Document[]) {
        trip('bulkWrite');
        for (const op of ops) {
          if (op.updateOne) applyUpdate(name, op.updateOne.filter, op.updateOne.update, Boolean(op.updateOne.upsert));
          else if (op.replaceOne)
            replace(name, op.replaceOne.filter, op.replaceOne.replacement, Boolean(op.replaceOne.upsert));
          else if (op.deleteOne) {
            const [doc] = matching(name, op.deleteOne.filter);
            if (doc) remove(name, doc);
          } else throw new Error(`bulkWrite: unsupported operation ${Object.keys(op).join()}`);
        }
      },
      async updateOne(filter: Filter, update: Document, options: { upsert?: boolean } = {}) {
        trip('updateOne');
        applyUpdate(name, filter, update, Boolean(options.upsert));
      },
      async replaceOne(filter: Filter, replacement: Document, options: { upsert?: boolean } = {}) {
        trip('replaceOne');
        replace(name, filter, replacement, Boolean(options.upsert));
      },
      async deleteOne(filter: Filter) {
        trip('deleteOne');
        const [doc] = matching(name, filter);
        if (doc) remove(name, doc);
      },
      async deleteMany(filter: Filter) {
        trip('deleteMany');
        for (const doc of matching(name, filter)) remove(name, doc);
      },
      async countDocuments(filter: Filter = {}) {
        trip('countDocuments');
        return matching(name, filter).length;
      },
      async distinct(field: string, filter: Filter = {}) {
        trip('distinct');
        return [...new Set(matching(name, filter).map((doc) => doc[field]))];
      },
      async insertMany(docs: Document[]) {
        trip('insertMany');
        docsOf(name).push(...copy(docs));
      },
    };
  }

  return { db: { collection } as unknown as Db, trips, data };
}
