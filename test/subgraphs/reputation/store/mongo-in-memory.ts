import { Aggregator, Query } from 'mingo';
import { MongoServerError, type Db, type Document } from 'mongodb';

/**
 * The part of the MongoDB collection API the rollups use, over in-memory arrays, with mingo
 * evaluating every filter and pipeline, and a record of each call that would be one round trip to
 * a server. No MongoDB server can run on this machine kind: this lets the MongoDB adapter's code run
 * end to end (its contract against SQLite, and how many round trips a batch costs). It is as
 * faithful as mingo (see stack.md: `$push` keeps missing fields as null, `$median` is wrong; the
 * rollups use neither that way), and it ignores sessions; indexes are kept as declared, not used.
 * Collections exist once written to or indexed, as on a server; `rename` (with `dropTarget`)
 * moves one atomically. `beforeWrite`, when set, is awaited before each write takes effect, so
 * a test can read the store between any two writes of an operation (what a concurrent reader sees).
 */
export interface RoundTrip {
  collection: string;
  operation: string;
}

type Filter = Record<string, unknown>;
type CursorState = { sort: Record<string, 1 | -1> | null; skip: number; limit: number };

class MemoryCursor {
  private sortSpec: Record<string, 1 | -1> | null = null;
  private skipped = 0;
  private limited = 0;

  private readonly run: (cursor: CursorState) => Document[] | Promise<Document[]>;

  constructor(run: (cursor: CursorState) => Document[] | Promise<Document[]>) {
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

/** A server's error for a collection that does not exist (code 26, NamespaceNotFound). */
function namespaceNotFound(name: string): Error {
  return new MongoServerError({ message: `ns not found: ${name}`, code: 26, codeName: 'NamespaceNotFound' });
}

export interface MemoryDb {
  db: Db;
  trips: RoundTrip[];
  data: Map<string, Document[]>;
  /** Awaited before each write (see above); null by default. */
  beforeWrite: ((trip: RoundTrip) => Promise<void>) | null;
}

export function createMemoryDb(): MemoryDb {
  const data = new Map<string, Document[]>();
  const indexes = new Map<string, Document[]>();
  const trips: RoundTrip[] = [];
  const memory: MemoryDb = { db: undefined as unknown as Db, trips, data, beforeWrite: null };
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
    const write = async (operation: string) => {
      trip(operation);
      await memory.beforeWrite?.({ collection: name, operation });
    };
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
        return new MemoryCursor(async () => {
          if (pipeline.at(-1)?.$merge) await write('aggregate');
          else trip('aggregate');
          return aggregate(pipeline);
        });
      },
      async bulkWrite(ops: Document[]) {
        await write('bulkWrite');
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
        await write('updateOne');
        applyUpdate(name, filter, update, Boolean(options.upsert));
      },
      async replaceOne(filter: Filter, replacement: Document, options: { upsert?: boolean } = {}) {
        await write('replaceOne');
        replace(name, filter, replacement, Boolean(options.upsert));
      },
      async deleteOne(filter: Filter) {
        await write('deleteOne');
        const [doc] = matching(name, filter);
        if (doc) remove(name, doc);
      },
      async deleteMany(filter: Filter) {
        await write('deleteMany');
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
        await write('insertMany');
        docsOf(name).push(...copy(docs));
      },
      async indexes() {
        trip('indexes');
        if (!data.has(name)) throw namespaceNotFound(name);
        return copy([{ key: { _id: 1 }, name: '_id_' }, ...(indexes.get(name) ?? [])]);
      },
      async createIndexes(specs: Document[]) {
        await write('createIndexes');
        docsOf(name);
        const kept = (indexes.get(name) ?? []).filter((index) => !specs.some((spec) => spec.name === index.name));
        indexes.set(name, [...kept, ...copy(specs)]);
        return specs.map((spec) => String(spec.name));
      },
      async dropIndex(indexName: string) {
        await write('dropIndex');
        indexes.set(
          name,
          (indexes.get(name) ?? []).filter((index) => index.name !== indexName),
        );
      },
      async drop() {
        await write('drop');
        if (!data.has(name)) throw namespaceNotFound(name);
        data.delete(name);
        indexes.delete(name);
        return true;
      },
      async rename(target: string, options: { dropTarget?: boolean } = {}) {
        await write('rename');
        if (!data.has(name)) throw namespaceNotFound(name);
        if (data.has(target) && !options.dropTarget) throw new Error(`target namespace exists: ${target}`);
        data.set(target, data.get(name) as Document[]);
        indexes.set(target, indexes.get(name) ?? []);
        data.delete(name);
        indexes.delete(name);
        return collection(target);
      },
    };
  }

  memory.db = { collection } as unknown as Db;
  return memory;
}
