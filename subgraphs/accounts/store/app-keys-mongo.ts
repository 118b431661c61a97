import type { Db, Filter, IndexDescription } from 'mongodb';
import { ensureIndexes } from '../../../platform/store/mongo.ts';
import type { AppKeyRecord } from '../domain/app-keys.ts';
import type { AppKeyStore } from './app-keys.ts';

/** App keys in the accounts MongoDB database; the filters are exported for the mingo checks. */
type AppKeyDocument = Omit<AppKeyRecord, 'id'> & { _id: string };

export const APP_KEY_INDEXES: Record<string, IndexDescription[]> = {
  app_keys: [
    { key: { keyHash: 1 }, name: 'key_hash_unique', unique: true },
    { key: { accountId: 1, createdAt: -1 }, name: 'account' },
  ],
};

/** Matches a key only while it is live: revoking it is one atomic update. */
export function liveAppKeyFilter(id: string): Filter<AppKeyDocument> {
  return { _id: id, revokedAt: null };
}
export function liveAppKeysOfFilter(accountId: string): Filter<AppKeyDocument> {
  return { accountId, revokedAt: null };
}

export function toAppKeyDocument({ id, ...rest }: AppKeyRecord): AppKeyDocument {
  return { _id: id, ...rest };
}
function fromAppKeyDocument({ _id, ...rest }: AppKeyDocument): AppKeyRecord {
  return { id: _id, ...rest };
}

export class MongoAppKeyStore implements AppKeyStore {
  private readonly db: Db;

  private constructor(db: Db) {
    this.db = db;
  }

  static async open(db: Db): Promise<MongoAppKeyStore> {
    await ensureIndexes(db, APP_KEY_INDEXES);
    return new MongoAppKeyStore(db);
  }

  private get keys() {
    return this.db.collection<AppKeyDocument>('app_keys');
  }

  async insertAppKey(key: AppKeyRecord): Promise<void> {
    await this.keys.insertOne(toAppKeyDocument(key));
  }

  async appKeyByHash(keyHash: string): Promise<AppKeyRecord | null> {
    const doc = await this.keys.findOne({ keyHash });
    return doc ? fromAppKeyDocument(doc) : null;
  }

  async appKeyById(id: string): Promise<AppKeyRecord | null> {
    const doc = await this.keys.findOne({ _id: id });
    return doc ? fromAppKeyDocument(doc) : null;
  }

  async appKeysOf(accountId: string): Promise<AppKeyRecord[]> {
    const docs = await this.keys.find({ accountId }).sort({ createdAt: -1, _id: -1 }).toArray();
    return docs.map(fromAppKeyDocument);
  }

  async allAppKeys(limit: number): Promise<AppKeyRecord[]> {
    const docs = await this.keys.find({}).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
    return docs.map(fromAppKeyDocument);
  }

  async revokeAppKey(id: string, at: Date): Promise<boolean> {
    return (await this.keys.updateOne(liveAppKeyFilter(id), { $set: { revokedAt: at } })).modifiedCount === 1;
  }

  async revokeAppKeysOf(accountId: string, at: Date): Promise<number> {
    return (await this.keys.updateMany(liveAppKeysOfFilter(accountId), { $set: { revokedAt: at } })).modifiedCount;
  }

  async setAppKeyRateLimit(id: string, requestsPerMinute: number | null): Promise<boolean> {
    return (await this.keys.updateOne({ _id: id }, { $set: { requestsPerMinute } })).matchedCount === 1;
  }
}
