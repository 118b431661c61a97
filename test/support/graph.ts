import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { issueToken } from '../../platform/auth.ts';
import { loadConfig, type Config } from '../../platform/config.ts';
import type { Role } from '../../platform/context.ts';
import { createLogger } from '../../platform/logger.ts';
import type { Logger } from 'pino';
import type { RequestContext } from '../../platform/context.ts';
import { startOneSubgraph } from '../../graph/subgraphs.ts';
import {
  startSubgraph,
  type RunningSubgraph,
  type SubgraphDefinition,
  type SubgraphName,
} from '../../platform/server/subgraph-server.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';

/** A GraphQL response as a test sees it; `T` is the shape of `data` the test's query asks for. */
export interface GraphQLResponse<T = unknown> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestGraph {
  gatewayUrl: string;
  urls: Record<SubgraphName, string>;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  gateway: RunningGateway;
  config: Config;
  dataDir: string;
  /** POSTs to the gateway (or to `url`), as the holder of `token` when given. */
  query<T = unknown>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    url?: string,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  tokenFor(role: Role, id: string, enterpriseId?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Builds one subgraph differently for a test (a pinned clock, a query-counting store). */
export type SubgraphOverride = (config: Config, logger: Logger) => Promise<SubgraphDefinition<RequestContext>>;

/**
 * Every test's requests come from loopback, most of them anonymous: the gateway's per-client rate
 * limit is kept out of the way unless a test sets its own (test/gateway/client-rate-limit.test.ts).
 */
export const RATE_LIMITS_OUT_OF_THE_WAY = {
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
  RATE_LIMIT_SIGNED_IN_PER_MINUTE: '1000000',
  RATE_LIMIT_APP_KEY_PER_MINUTE: '1000000',
} as const;

/**
 * The real graph for a test: four subgraph HTTP servers and the gateway on random loopback ports,
 * over a fresh SQLite data directory. No demo seed unless asked for; no background schedulers
 * unless `env` turns them on.
 */
export async function startGraph(
  options: {
    env?: Record<string, string>;
    overrides?: Partial<Record<SubgraphName, SubgraphOverride>>;
    /** Every part logs here instead (a test that reads what was logged). */
    logger?: Logger;
  } = {},
): Promise<TestGraph> {
  const dataDir = mkdtempSync(join(tmpdir(), 'weiquan-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    SCHEDULER_ENABLED: 'false',
    CRAWL_ENABLED: 'false',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    ...RATE_LIMITS_OUT_OF_THE_WAY,
    ...(process.env.MONGODB_URI
      ? { MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: `weiquan_test_${process.pid}_${Date.now()}` }
      : {}),
    ...options.env,
  });
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, 'test');
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
    // accounts first: the others verify access tokens against its JWKS, at the URL it got.
    for (const name of ['accounts', 'directory', 'cases', 'reputation'] as const) {
      const override = options.overrides?.[name];
      subgraphs[name] = override
        ? await startSubgraph(await override(config, logger), { config, logger, host: '127.0.0.1', port: 0 })
        : await startOneSubgraph(name, config, logger, 0);
      started.push(subgraphs[name]);
      if (name === 'accounts') config.subgraphUrls.accounts = subgraphs.accounts.url;
    }
    const urls = {
      directory: subgraphs.directory.url,
      cases: subgraphs.cases.url,
      reputation: subgraphs.reputation.url,
      accounts: subgraphs.accounts.url,
    };
    // Subgraphs reach each other (e.g. reputation reading the publication feed) at their real ports.
    config.subgraphUrls = urls;
    const gateway = await startGateway({ config, logger, host: '127.0.0.1', port: 0, subgraphUrls: urls });
    started.unshift(gateway);
    return {
      gatewayUrl: gateway.url,
      urls,
      subgraphs,
      gateway,
      config,
      dataDir,
      query: (query, variables, token, url, headers) =>
        postGraphQL(url ?? gateway.url, query, variables, token, headers),
      tokenFor: (role, id, enterpriseId) =>
        issueToken(config.AUTH_SECRET, { id, role, ...(enterpriseId ? { enterpriseId } : {}) }),
      async stop() {
        for (const part of started) await part.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const part of started) await part.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export async function postGraphQL<T = unknown>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  extraHeaders: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...extraHeaders,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.body.text();
  let body: Pick<GraphQLResponse<T>, 'data' | 'errors'>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Non-JSON response ${response.statusCode}: ${text.slice(0, 200)}`);
  }
  return { status: response.statusCode, data: body.data, errors: body.errors, headers: response.headers };
}
