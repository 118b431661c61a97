import { join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { Logger } from 'pino';
import { API_KEY_HEADER, APP_KEY_VERIFY_PATH } from '../../platform/app-keys.ts';
import { JWKS_PATH } from '../../platform/auth.ts';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ErrorCode } from '../../platform/errors.ts';
import { sendJson } from '../../platform/server/http.ts';
import type { Ownership } from '../../platform/server/field-policy.ts';
import type { SubgraphDefinition } from '../../platform/server/subgraph-server.ts';
import { connectMongo, ensureIndexes } from '../../platform/store/mongo.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { type AppKeyDeps, verifyAppKey } from './app-keys.ts';
import type { AttemptLimits } from './attempt-limits.ts';
import { createAttemptLimits, type LimiterBackend } from './limits.ts';
import { SigningKeys } from './keys.ts';
import { codeTransportsFromConfig, startCodeDispatcher, type CodeSender } from './notify/code-delivery.ts';
import { accountsOwnership } from './ownership.ts';
import { resolvers, type AccountsContext } from './resolvers.ts';
import { seedDemoAccounts } from './seed.ts';
import { RefreshCookie, refreshCookiePlugin } from './session-cookie.ts';
import type { AccountStore } from './store/accounts.ts';
import { MongoAccountStore } from './store/accounts-mongo.ts';
import { SqliteAccountStore } from './store/accounts-sqlite.ts';
import type { AppKeyStore } from './store/app-keys.ts';
import { MongoAppKeyStore } from './store/app-keys-mongo.ts';
import { SqliteAppKeyStore } from './store/app-keys-sqlite.ts';
import type { CodeOutboxStore } from './store/code-outbox.ts';
import { CODE_OUTBOX_INDEXES, createMongoCodeOutboxStore } from './store/code-outbox-mongo.ts';
import { createSqliteCodeOutboxStore } from './store/code-outbox-sqlite.ts';
import { createCodeSealer } from './secrets.ts';
import { createLetterHttpHandler } from './http/letters.ts';
import type { LetterStore } from './store/letters.ts';
import { LETTER_INDEXES, createMongoLetterStore } from './store/letters-mongo.ts';
import { createSqliteLetterStore } from './store/letters-sqlite.ts';
import { openEnterpriseRegistry } from '../../platform/enterprise/registry-open.ts';
import type { RetryPolicy } from '../../platform/outbox/retry.ts';

/** The accounts store from config: `accounts.db` under DATA_DIR, or MongoDB when MONGODB_URI is set. */
export async function openAccountStore(config: Config): Promise<AccountStore> {
  if (config.MONGODB_URI) {
    const { client, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
    return MongoAccountStore.open(client, db);
  }
  return new SqliteAccountStore(openSqlite(join(config.DATA_DIR, 'accounts.db')));
}

/** App keys beside the accounts: the same SQLite file (and connection) or MongoDB database. */
async function openAppKeyStore(store: AccountStore): Promise<AppKeyStore> {
  if (store instanceof SqliteAccountStore) return new SqliteAppKeyStore(store.db);
  if (store instanceof MongoAccountStore) return MongoAppKeyStore.open(store.db);
  throw new Error('The accounts store is neither SQLite nor MongoDB: pass options.appKeys.');
}

/** Where the attempt limits count: the accounts store's own SQLite file or MongoDB database. */
function limiterBackend(store: AccountStore, config: Config): LimiterBackend {
  if (store instanceof SqliteAccountStore) return { kind: 'sqlite', db: store.db };
  if (store instanceof MongoAccountStore) return { kind: 'mongodb', client: store.client, dbName: config.MONGODB_DB };
  throw new Error('The accounts store is neither SQLite nor MongoDB: pass options.limits.');
}

/**
 * The code outbox and the authorisation letters beside the accounts store: the same SQLite file,
 * or the same MongoDB database.
 */
async function openSideStores(store: AccountStore): Promise<{ codes: CodeOutboxStore; letters: LetterStore }> {
  if (store instanceof SqliteAccountStore) {
    return { codes: createSqliteCodeOutboxStore(store.db), letters: createSqliteLetterStore(store.db) };
  }
  if (store instanceof MongoAccountStore) {
    await ensureIndexes(store.db, { ...CODE_OUTBOX_INDEXES, ...LETTER_INDEXES });
    return { codes: createMongoCodeOutboxStore(store.db), letters: createMongoLetterStore(store.db) };
  }
  throw new Error('The accounts store is neither SQLite nor MongoDB: it has no place for codes and letters.');
}

export interface AccountsOptions {
  store?: AccountStore;
  now?: () => Date;
  /** Where codes go instead of SMTP and SMS; tests pass a sink that reads them (still through the outbox). */
  sendCode?: CodeSender;
  /** The code outbox's retry policy and poll interval (tests shorten them). */
  codeRetry?: RetryPolicy;
  codePollIntervalMs?: number;
  limits?: AttemptLimits;
  appKeys?: AppKeyStore;
}

/**
 * The accounts slice: registration, codes, sign-in and sessions, and the JWKS every subgraph
 * verifies access tokens against (GET /.well-known/jwks.json). The signing key is created on the
 * first start.
 */
export async function createAccountsSubgraph(
  deps: { config: Config; logger: Logger },
  options: AccountsOptions = {},
): Promise<SubgraphDefinition<RequestContext>> {
  const { config, logger } = deps;
  const store = options.store ?? (await openAccountStore(config));
  const now = options.now ?? (() => new Date());
  const keys = new SigningKeys(store, now, config.ACCESS_TOKEN_LIFETIME_SECONDS);
  await keys.ensureCurrent();
  if (config.SEED_DEMO) {
    const lines = await seedDemoAccounts(store, config.DATA_DIR, now());
    if (lines.length > 0) {
      // Printed once, to the terminal rather than the JSON log: the log may be shipped elsewhere.
      process.stdout.write(
        `\nDemo accounts (passwords shown once; also in ${join(config.DATA_DIR, 'demo-accounts.txt')}):\n` +
          `${lines.map((line) => `  ${line}`).join('\n')}\n\n`,
      );
    }
  }
  const appKeys = options.appKeys ?? (await openAppKeyStore(store));
  const sealer = createCodeSealer(config.AUTH_SECRET);
  const { codes: codeOutbox, letters } = await openSideStores(store);
  const registry = await openEnterpriseRegistry(config, store instanceof MongoAccountStore ? store.db : null);
  // Codes are interactive, not scheduled work: their dispatcher runs whatever SCHEDULER_ENABLED
  // says. Several processes may run it on one store; each row is claimed by one of them.
  const codeDispatcher = startCodeDispatcher({
    store: codeOutbox,
    transports: codeTransportsFromConfig({ config, logger, sealer, now, sendCode: options.sendCode }),
    logger: logger.child({ component: 'code-outbox' }),
    now,
    retry: options.codeRetry,
    intervalMs: options.codePollIntervalMs,
  });
  const accounts: AppKeyDeps = {
    store,
    appKeys,
    keys,
    codes: { store: codeOutbox, sealer, nudge: codeDispatcher.nudge },
    letters,
    registry,
    limits: options.limits ?? createAttemptLimits(limiterBackend(store, config), store, logger),
    now,
    logger,
  };
  const letterHttp = createLetterHttpHandler({ accounts: store, letters, maxBytes: config.EVIDENCE_MAX_BYTES, now });
  return {
    name: 'accounts',
    // createContext below always builds an AccountsContext, which is what these resolvers read.
    resolvers: resolvers as unknown as GraphQLResolverMap<RequestContext>,
    ownership: accountsOwnership as unknown as Ownership<RequestContext>,
    createContext: (base: RequestContext): AccountsContext => ({
      ...base,
      accounts,
      caller: { address: base.clientAddress ?? 'unknown' },
      refreshCookie: new RefreshCookie(),
    }),
    // As the resolvers: createContext always builds the AccountsContext this plugin reads.
    plugins: [refreshCookiePlugin<AccountsContext>() as unknown as ApolloServerPlugin<RequestContext>],
    checkReady: () => store.ping(),
    async handleHttp(req, res, base) {
      const path = new URL(req.url ?? '/', 'http://accounts').pathname;
      if (path === APP_KEY_VERIFY_PATH) {
        // The gateway's question (platform/app-keys.ts); it caches the answer, so nothing else may.
        res.setHeader('cache-control', 'no-store');
        const key = req.headers[API_KEY_HEADER];
        const verified = typeof key === 'string' ? await verifyAppKey(appKeys, key) : null;
        if (verified) sendJson(res, 200, verified);
        else
          sendJson(res, 401, {
            errors: [{ message: 'Unknown or revoked app key.', extensions: { code: ErrorCode.Unauthenticated } }],
          });
        return true;
      }
      if (path !== JWKS_PATH) return letterHttp(req, res, base);
      res.setHeader('cache-control', 'public, max-age=300');
      sendJson(res, 200, await keys.jwks());
      return true;
    },
    close: async () => {
      await codeDispatcher.stop();
      await registry.close();
      await store.close();
    },
  };
}
