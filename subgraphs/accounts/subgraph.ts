import { join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { Logger } from 'pino';
import { JWKS_PATH } from '../../platform/auth.ts';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import { sendJson } from '../../platform/server/http.ts';
import type { SubgraphDefinition } from '../../platform/server/subgraph-server.ts';
import { connectMongo } from '../../platform/store/mongo.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import type { AttemptLimits } from './attempt-limits.ts';
import { createAttemptLimits, type LimiterBackend } from './limits.ts';
import { SigningKeys } from './keys.ts';
import { codeSenderFromConfig, type CodeSender } from './notify/code-delivery.ts';
import { resolvers, type AccountsContext } from './resolvers.ts';
import { seedDemoAccounts } from './seed.ts';
import { RefreshCookie, refreshCookiePlugin } from './session-cookie.ts';
import type { AccountsDeps } from './service.ts';
import type { AccountStore } from './store/accounts.ts';
import { MongoAccountStore } from './store/accounts-mongo.ts';
import { SqliteAccountStore } from './store/accounts-sqlite.ts';

/** The accounts store from config: `accounts.db` under DATA_DIR, or MongoDB when MONGODB_URI is set. */
export async function openAccountStore(config: Config): Promise<AccountStore> {
  if (config.MONGODB_URI) {
    const { client, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
    return MongoAccountStore.open(client, db);
  }
  return new SqliteAccountStore(openSqlite(join(config.DATA_DIR, 'accounts.db')));
}

/** Where the attempt limits count: the accounts store's own SQLite file or MongoDB database. */
function limiterBackend(store: AccountStore, config: Config): LimiterBackend {
  if (store instanceof SqliteAccountStore) return { kind: 'sqlite', db: store.db };
  if (store instanceof MongoAccountStore) return { kind: 'mongodb', client: store.client, dbName: config.MONGODB_DB };
  throw new Error('The accounts store is neither SQLite nor MongoDB: pass options.limits.');
}

export interface AccountsOptions {
  store?: AccountStore;
  now?: () => Date;
  /** Where codes go; tests pass a sink that reads them. */
  sendCode?: CodeSender;
  limits?: AttemptLimits;
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
  const accounts: AccountsDeps = {
    store,
    keys,
    sendCode: options.sendCode ?? codeSenderFromConfig(config, logger),
    limits: options.limits ?? createAttemptLimits(limiterBackend(store, config), store, logger),
    now,
    logger,
  };
  return {
    name: 'accounts',
    // createContext below always builds an AccountsContext, which is what these resolvers read.
    resolvers: resolvers as unknown as GraphQLResolverMap<RequestContext>,
    createContext: (base: RequestContext): AccountsContext => ({
      ...base,
      accounts,
      caller: { address: base.clientAddress ?? 'unknown' },
      refreshCookie: new RefreshCookie(),
    }),
    // As the resolvers: createContext always builds the AccountsContext this plugin reads.
    plugins: [refreshCookiePlugin<AccountsContext>() as unknown as ApolloServerPlugin<RequestContext>],
    checkReady: () => store.ping(),
    async handleHttp(req, res) {
      const path = new URL(req.url ?? '/', 'http://accounts').pathname;
      if (path !== JWKS_PATH) return false;
      res.setHeader('cache-control', 'public, max-age=300');
      sendJson(res, 200, await keys.jwks());
      return true;
    },
    close: () => store.close(),
  };
}
