import { MongoClient, type Db, type IndexDescription } from 'mongodb';

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

/** Indexes are declared next to the repository that needs them and created at start (idempotent). */
export async function ensureIndexes(db: Db, indexes: Record<string, IndexDescription[]>): Promise<void> {
  for (const [collection, specs] of Object.entries(indexes)) {
    if (specs.length > 0) await db.collection(collection).createIndexes(specs);
  }
}

export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}
