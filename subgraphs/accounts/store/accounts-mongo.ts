import type { Db, Filter, IndexDescription, MongoClient } from 'mongodb';
import { ensureIndexes, pingMongo } from '../../../platform/store/mongo.ts';
import type { AccountRecord, AccountRole, RepresentationRecord } from '../domain/account.ts';
import type { CodePurpose, CodeRecord } from '../domain/codes.ts';
import type { Contact } from '../domain/contact.ts';
import type { RefreshTokenRecord } from '../domain/sessions.ts';
import type { AccountStore, SecurityEvent, SigningKeyRecord } from './accounts.ts';

/**
 * The accounts store on MongoDB. The filters the adapter writes are exported, so the tests check
 * them with mingo against documents (no MongoDB server is needed for that).
 */
interface AccountDocument {
  _id: string;
  role: AccountRole;
  contactKind: string | null;
  /** Unique where present (partial index): a deleted account has none. */
  contact: string | null;
  passwordHash: string | null;
  verifiedAt: Date | null;
  createdAt: Date;
  deletedAt: Date | null;
}
type CodeDocument = CodeRecord & { _id: string };
type RefreshDocument = Omit<RefreshTokenRecord, 'tokenHash'> & { _id: string };
type KeyDocument = Omit<SigningKeyRecord, 'kid'> & { _id: string };
type RepresentationDocument = RepresentationRecord & { _id: string };
type EventDocument = SecurityEvent;

export const ACCOUNT_INDEXES: Record<string, IndexDescription[]> = {
  accounts: [
    {
      key: { contactKind: 1, contact: 1 },
      name: 'contact_unique',
      unique: true,
      partialFilterExpression: { contact: { $type: 'string' } },
    },
  ],
  // A code outlives its expiry by a day at most (TTL), so the collection does not grow.
  account_codes: [{ key: { expiresAt: 1 }, name: 'code_ttl', expireAfterSeconds: 86_400 }],
  refresh_tokens: [
    { key: { familyId: 1 }, name: 'family' },
    { key: { accountId: 1 }, name: 'account' },
    { key: { expiresAt: 1 }, name: 'refresh_ttl', expireAfterSeconds: 86_400 },
  ],
  representations: [
    { key: { accountId: 1 }, name: 'account' },
    { key: { status: 1, requestedAt: 1 }, name: 'pending' },
  ],
  security_events: [{ key: { at: -1 }, name: 'newest' }],
};

/** A stored request; documents written before the name and letter were kept have neither. */
function representationOf({ _id, ...doc }: RepresentationDocument): RepresentationRecord {
  return { ...doc, enterpriseName: doc.enterpriseName ?? null, letterId: doc.letterId ?? null };
}

export function contactFilter(contact: Contact): Filter<AccountDocument> {
  return { contactKind: contact.kind, contact: contact.value };
}
export function codeId(accountId: string, purpose: CodePurpose): string {
  return `${accountId}:${purpose}`;
}
/** Matches a refresh token only while it is neither used nor revoked: claiming it is one atomic update. */
export function claimableRefreshFilter(hash: string): Filter<RefreshDocument> {
  return { _id: hash, usedAt: null, revokedAt: null };
}
export function pendingRepresentationsFilter(): Filter<RepresentationDocument> {
  return { status: 'pending' };
}
export function liveFamilyFilter(familyId: string): Filter<RefreshDocument> {
  return { familyId, revokedAt: null };
}
export function liveAccountTokensFilter(accountId: string): Filter<RefreshDocument> {
  return { accountId, revokedAt: null };
}

export function toAccountDocument(account: AccountRecord): AccountDocument {
  return {
    _id: account.id,
    role: account.role,
    contactKind: account.contact?.kind ?? null,
    contact: account.contact?.value ?? null,
    passwordHash: account.passwordHash,
    verifiedAt: account.verifiedAt,
    createdAt: account.createdAt,
    deletedAt: account.deletedAt,
  };
}

function fromAccountDocument(doc: AccountDocument): AccountRecord {
  return {
    id: doc._id,
    role: doc.role,
    contact: doc.contact === null ? null : ({ kind: doc.contactKind, value: doc.contact } as Contact),
    passwordHash: doc.passwordHash,
    verifiedAt: doc.verifiedAt,
    createdAt: doc.createdAt,
    deletedAt: doc.deletedAt,
  };
}

function fromRefreshDocument({ _id, ...rest }: RefreshDocument): RefreshTokenRecord {
  return { tokenHash: _id, ...rest };
}

export class MongoAccountStore implements AccountStore {
  /** Shared with the attempt limiter (limits.ts), which keeps its counters in the same database. */
  readonly client: MongoClient;
  readonly db: Db;

  private constructor(client: MongoClient, db: Db) {
    this.client = client;
    this.db = db;
  }

  static async open(client: MongoClient, db: Db): Promise<MongoAccountStore> {
    await ensureIndexes(db, ACCOUNT_INDEXES);
    return new MongoAccountStore(client, db);
  }

  private get accounts() {
    return this.db.collection<AccountDocument>('accounts');
  }
  private get codes() {
    return this.db.collection<CodeDocument>('account_codes');
  }
  private get refresh() {
    return this.db.collection<RefreshDocument>('refresh_tokens');
  }
  private get keys() {
    return this.db.collection<KeyDocument>('signing_keys');
  }
  private get representations() {
    return this.db.collection<RepresentationDocument>('representations');
  }
  private get events() {
    return this.db.collection<EventDocument>('security_events');
  }

  async insertAccount(account: AccountRecord): Promise<boolean> {
    try {
      await this.accounts.insertOne(toAccountDocument(account));
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false; // duplicate key: the contact is taken
      throw error;
    }
  }

  async accountById(id: string): Promise<AccountRecord | null> {
    const doc = await this.accounts.findOne({ _id: id });
    return doc ? fromAccountDocument(doc) : null;
  }

  async accountByContact(contact: Contact): Promise<AccountRecord | null> {
    const doc = await this.accounts.findOne(contactFilter(contact));
    return doc ? fromAccountDocument(doc) : null;
  }

  async updateAccount(
    id: string,
    patch: Partial<{ passwordHash: string; verifiedAt: Date | null; role: AccountRole }>,
  ): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.accounts.updateOne({ _id: id }, { $set: patch });
  }

  async erasePersonalData(id: string, at: Date): Promise<void> {
    await this.accounts.updateOne(
      { _id: id },
      { $set: { contact: null, contactKind: null, passwordHash: null, deletedAt: at } },
    );
    await this.codes.deleteMany({ accountId: id });
    await this.representations.deleteMany({ accountId: id, status: 'pending' });
    await this.refresh.updateMany(liveAccountTokensFilter(id), { $set: { revokedAt: at } });
  }

  async putCode(code: CodeRecord): Promise<void> {
    await this.codes.replaceOne({ _id: codeId(code.accountId, code.purpose) }, code, { upsert: true });
  }

  async codeFor(accountId: string, purpose: CodePurpose): Promise<CodeRecord | null> {
    const doc = await this.codes.findOne({ _id: codeId(accountId, purpose) });
    if (!doc) return null;
    const { _id, ...code } = doc;
    return code;
  }

  async countCodeAttempt(accountId: string, purpose: CodePurpose): Promise<number> {
    const doc = await this.codes.findOneAndUpdate(
      { _id: codeId(accountId, purpose) },
      { $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
    return doc?.attempts ?? 0;
  }

  async deleteCode(accountId: string, purpose: CodePurpose): Promise<void> {
    await this.codes.deleteOne({ _id: codeId(accountId, purpose) });
  }

  async insertRefreshToken({ tokenHash, ...rest }: RefreshTokenRecord): Promise<void> {
    await this.refresh.insertOne({ _id: tokenHash, ...rest });
  }

  async refreshTokenByHash(hash: string): Promise<RefreshTokenRecord | null> {
    const doc = await this.refresh.findOne({ _id: hash });
    return doc ? fromRefreshDocument(doc) : null;
  }

  async claimRefreshToken(hash: string, at: Date): Promise<boolean> {
    const result = await this.refresh.updateOne(claimableRefreshFilter(hash), { $set: { usedAt: at } });
    return result.modifiedCount === 1;
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    return (await this.refresh.updateMany(liveFamilyFilter(familyId), { $set: { revokedAt: at } })).modifiedCount;
  }

  async revokeAccountSessions(accountId: string, at: Date): Promise<number> {
    return (await this.refresh.updateMany(liveAccountTokensFilter(accountId), { $set: { revokedAt: at } }))
      .modifiedCount;
  }

  async signingKeys(): Promise<SigningKeyRecord[]> {
    const docs = await this.keys.find({}).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.map(({ _id, ...rest }) => ({ kid: _id, ...rest }));
  }

  async insertSigningKey({ kid, ...rest }: SigningKeyRecord): Promise<void> {
    await this.keys.insertOne({ _id: kid, ...rest });
  }

  async upsertRepresentation(r: RepresentationRecord): Promise<void> {
    await this.representations.replaceOne({ _id: `${r.accountId}:${r.enterpriseId}` }, r, { upsert: true });
  }

  async representationsOf(accountId: string): Promise<RepresentationRecord[]> {
    const docs = await this.representations.find({ accountId }).sort({ requestedAt: 1, enterpriseId: 1 }).toArray();
    return docs.map(representationOf);
  }

  async pendingRepresentations(): Promise<RepresentationRecord[]> {
    const docs = await this.representations
      .find(pendingRepresentationsFilter())
      .sort({ requestedAt: 1, accountId: 1 })
      .toArray();
    return docs.map(representationOf);
  }

  async appendSecurityEvent(event: SecurityEvent): Promise<void> {
    await this.events.insertOne({ ...event });
  }

  async securityEvents(limit: number): Promise<SecurityEvent[]> {
    const docs = await this.events.find({}).sort({ at: -1, _id: -1 }).limit(limit).toArray();
    return docs.map(({ at, kind, accountId, detail }) => ({ at, kind, accountId, detail }));
  }

  async ping(): Promise<void> {
    await pingMongo(this.db);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
