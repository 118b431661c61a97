import { MongoClient, MongoServerError, type Db, type Document, type IndexDescription } from 'mongodb';

/**
 * Connects with majority write concern and journaled writes: an acknowledged write is on a
 * majority of the replica set's disks, the MongoDB counterpart of SQLite's synchronous=FULL.
 */
export async function connectMongo(uri: string, dbName?: string): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(uri, {
    writeConcern: { w: 'majority', journal: true },
    readConcern: { level: 'majority' },
    serverSelectionTimeoutMS: 5000,
    appName: 'weiquan',
  });
  await client.connect();
  return { client, db: client.db(dbName) };
}

/**
 * Indexes are declared next to the repository that needs them and created at start (idempotent).
 * A declared index whose definition changed since a store was created keeps its name, and a
 * server refuses to create a known name with another definition: such an index is dropped first.
 */
export async function ensureIndexes(db: Db, indexes: Record<string, IndexDescription[]>): Promise<void> {
  for (const [collection, specs] of Object.entries(indexes)) {
    if (specs.length === 0) continue;
    const target = db.collection(collection);
    for (const name of changedIndexes(await existingIndexes(db, collection), specs)) await target.dropIndex(name);
    await target.createIndexes(specs);
  }
}

async function existingIndexes(db: Db, collection: string): Promise<Document[]> {
  try {
    return await db.collection(collection).indexes();
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 26) return []; // NamespaceNotFound: a new collection
    throw error;
  }
}

/** Names of the existing indexes that a declared index of the same name now defines otherwise. */
export function changedIndexes(existing: readonly Document[], declared: readonly IndexDescription[]): string[] {
  const definition = (index: Document) =>
    JSON.stringify([
      index.key,
      index.unique === true,
      index.partialFilterExpression ?? null,
      index.expireAfterSeconds ?? null,
    ]);
  return declared.flatMap((spec) => {
    const old = existing.find((index) => index.name === spec.name);
    return old && definition(old) !== definition(spec) ? [spec.name as string] : [];
  });
}

export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}
