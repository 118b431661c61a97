import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { GraphQLError } from 'graphql';
import type { MongoClient } from 'mongodb';
import {
  RateLimiterMongo,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import { ErrorCode } from '../../platform/errors.ts';
import { transaction } from '../../platform/store/sqlite.ts';
import type { AttemptLimits } from './attempt-limits.ts';
import type { Contact } from './domain/contact.ts';
import type { Caller } from './service.ts';
import { SecurityEventKind, type AccountStore } from './store/accounts.ts';

/**
 * Brute-force limits with rate-limiter-flexible, counted in the accounts store itself (its SQLite
 * file or its MongoDB database), so they hold across restarts and across processes. Keys are
 * hashes of the contact and of the client address: the limiter tables hold no personal data.
 *
 * | what                      | per contact                              | per client address           |
 * | ------------------------- | ---------------------------------------- | ---------------------------- |
 * | failed sign-ins           | 5 in 15 min, then locked 15 min, doubling | 30 in 1 h, then locked 1 h   |
 * |                           | with each lock in 24 h (at most 24 h)     |                              |
 * | failed code checks        | 10 in 1 h, then locked 1 h               | 30 in 1 h, then locked 1 h   |
 * | codes requested           | 5 in 1 h, then refused for 1 h           | 20 in 1 h, then refused 1 h  |
 *
 * A code itself also burns after 5 wrong tries (domain/codes.ts); a successful sign-in clears the
 * contact's failures, not the address's.
 */
export const LIMITS = {
  signInByContact: { points: 5, duration: 15 * 60, blockDuration: 15 * 60 },
  signInByAddress: { points: 30, duration: 3600, blockDuration: 3600 },
  codeCheckByContact: { points: 10, duration: 3600, blockDuration: 3600 },
  codeCheckByAddress: { points: 30, duration: 3600, blockDuration: 3600 },
  codeSendByContact: { points: 5, duration: 3600, blockDuration: 3600 },
  codeSendByAddress: { points: 20, duration: 3600, blockDuration: 3600 },
  /** Locks of one contact within a day: each doubles the next lock, up to a day. */
  locksByContact: { points: 1000, duration: 24 * 3600, blockDuration: 0 },
} as const;
type LimiterName = keyof typeof LIMITS;
const MAX_LOCK_SECONDS = 24 * 3600;

export function rateLimited(what: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many ${what}: try again in ${retryAfterSeconds} s.`, {
    extensions: { code: ErrorCode.RateLimited, retryAfterSeconds },
  });
}

const hashed = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 32);
const contactKey = (contact: Contact) => hashed(`${contact.kind}:${contact.value}`);
const addressKey = (caller: Caller) => hashed(`address:${caller.address}`);

/**
 * node:sqlite in the shape rate-limiter-flexible's `better-sqlite3` store type uses: `prepare`
 * (positional parameters, the same in both) and `transaction(fn)` returning a function, here our
 * own IMMEDIATE transaction.
 */
function betterSqliteShape(db: DatabaseSync) {
  return {
    prepare: (sql: string) => db.prepare(sql),
    transaction:
      <T>(work: () => T) =>
      () =>
        transaction(db, work),
  };
}

export type LimiterBackend =
  | { kind: 'sqlite'; db: DatabaseSync }
  | { kind: 'mongodb'; client: MongoClient; dbName: string };

function createLimiter(backend: LimiterBackend, name: LimiterName): RateLimiterStoreAbstract {
  const options = { ...LIMITS[name], keyPrefix: name };
  if (backend.kind === 'sqlite') {
    const table = `rate_limit_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    backend.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`);
    return new RateLimiterSQLite({
      ...options,
      storeClient: betterSqliteShape(backend.db),
      storeType: 'better-sqlite3',
      tableName: table,
      tableCreated: true,
    });
  }
  return new RateLimiterMongo({ ...options, storeClient: backend.client, dbName: backend.dbName });
}

export function createAttemptLimits(backend: LimiterBackend, store: AccountStore, logger: Logger): AttemptLimits {
  const limiters = Object.fromEntries(
    (Object.keys(LIMITS) as LimiterName[]).map((name) => [name, createLimiter(backend, name)]),
  ) as Record<LimiterName, RateLimiterStoreAbstract>;

  /** Throws RATE_LIMITED when any of `checks` has used up its failures (the N-th failure locks). */
  async function refuseIfLocked(what: string, checks: Array<[LimiterName, string]>): Promise<void> {
    for (const [name, key] of checks) {
      const state = await limiters[name].get(key);
      if (state && state.consumedPoints >= LIMITS[name].points) {
        throw rateLimited(what, Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
      }
    }
  }

  async function lockEvent(name: LimiterName, contact: Contact | null): Promise<void> {
    const account = contact ? await store.accountByContact(contact) : null;
    logger.warn({ securityEvent: SecurityEventKind.Locked, accountId: account?.id ?? null, limiter: name }, 'locked');
    await store.appendSecurityEvent({
      at: new Date(),
      kind: SecurityEventKind.Locked,
      accountId: account?.id ?? null,
      detail: name,
    });
  }

  /** Counts one failure: the consumed points after it (a rejected consume counts as over the limit). */
  async function consume(name: LimiterName, key: string): Promise<number> {
    try {
      return (await limiters[name].consume(key)).consumedPoints;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return rejection.consumedPoints;
    }
  }

  /** Counts one failure; the one that reaches the limit locks the key, and the lock is logged. */
  async function countFailure(name: LimiterName, key: string, contact: Contact | null): Promise<void> {
    if ((await consume(name, key)) === LIMITS[name].points) await lockEvent(name, contact);
  }

  /** Back-off: the contact's sign-in locks for 15 min, doubling with each lock within a day (at most a day). */
  async function signInFailureByContact(contact: Contact): Promise<void> {
    const key = contactKey(contact);
    if ((await consume('signInByContact', key)) < LIMITS.signInByContact.points) return;
    const locks = await consume('locksByContact', key);
    const seconds = Math.min(MAX_LOCK_SECONDS, LIMITS.signInByContact.blockDuration * 2 ** (locks - 1));
    await limiters.signInByContact.block(key, seconds);
    await lockEvent('signInByContact', contact);
  }

  return {
    beforeSignIn: (contact, caller) =>
      refuseIfLocked('sign-in attempts', [
        ['signInByContact', contactKey(contact)],
        ['signInByAddress', addressKey(caller)],
      ]),
    async onSignInFailure(contact, caller) {
      await signInFailureByContact(contact);
      await countFailure('signInByAddress', addressKey(caller), null);
    },
    async onSignInSuccess(contact) {
      await limiters.signInByContact.delete(contactKey(contact));
    },
    beforeCodeCheck: (contact, caller) =>
      refuseIfLocked('code attempts', [
        ['codeCheckByContact', contactKey(contact)],
        ['codeCheckByAddress', addressKey(caller)],
      ]),
    async onCodeFailure(contact, caller) {
      await countFailure('codeCheckByContact', contactKey(contact), contact);
      await countFailure('codeCheckByAddress', addressKey(caller), null);
    },
    async onCodeSuccess(contact) {
      await limiters.codeCheckByContact.delete(contactKey(contact));
    },
    async beforeCodeSend(contact, caller) {
      for (const [name, key] of [
        ['codeSendByContact', contactKey(contact)],
        ['codeSendByAddress', addressKey(caller)],
      ] as Array<[LimiterName, string]>) {
        try {
          await limiters[name].consume(key);
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          throw rateLimited('code requests', Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
        }
      }
    },
  };
}
