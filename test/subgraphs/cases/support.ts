import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../../platform/auth.ts';
import { loadConfig, type Config } from '../../../platform/config.ts';
import type { Role } from '../../../platform/context.ts';
import { createLogger } from '../../../platform/logger.ts';
import { startOneSubgraph } from '../../../platform/server/graph.ts';
import { startSubgraph, type RunningSubgraph } from '../../../platform/server/subgraph-server.ts';
import { startGateway } from '../../../gateway/gateway.ts';
import { createCasesSubgraph, openCasesStores, type CasesStores } from '../../../subgraphs/cases/subgraph.ts';
import type { CaseRepository } from '../../../subgraphs/cases/store/repository.ts';
import { postGraphQL, type GraphQLResponse } from '../../support/graph.ts';

/** Counts the store queries made through a repository (each method is one round trip). */
export function countingRepository(inner: CaseRepository): { repo: CaseRepository; calls: string[] } {
  const calls: string[] = [];
  const repo = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { repo, calls };
}

export interface CasesGraph {
  gatewayUrl: string;
  casesUrl: string;
  config: Config;
  clock: { now: Date };
  calls: string[];
  stores: CasesStores;
  query<T = any>(query: string, variables?: Record<string, unknown>, token?: string, url?: string): Promise<GraphQLResponse<T>>;
  token(role: Role, id: string, enterpriseId?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real graph (three subgraphs and the gateway on loopback), with the cases subgraph on a
 * clock the test sets and a repository that counts its queries.
 */
export async function startCasesGraph(start: Date): Promise<CasesGraph> {
  const dataDir = mkdtempSync(join(tmpdir(), 'weiquan-cases-graph-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    SCHEDULER_ENABLED: 'false',
    CRAWL_ENABLED: 'false',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    STAFF_NOTIFY_EMAIL: 'desk@weiquan.invalid',
  });
  const logger = createLogger(config.LOG_LEVEL, 'test');
  const clock = { now: start };
  const opened = await openCasesStores(config);
  const counting = countingRepository(opened.repo);
  const stores: CasesStores = { ...opened, repo: counting.repo };
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const directory = await startOneSubgraph('directory', config, logger, 0);
    started.push(directory);
    const reputation = await startOneSubgraph('reputation', config, logger, 0);
    started.push(reputation);
    const definition = await createCasesSubgraph({ config, logger }, { stores, now: () => clock.now });
    const cases: RunningSubgraph = await startSubgraph(definition, { config, logger, host: '127.0.0.1', port: 0 });
    started.push(cases);
    const urls = { directory: directory.url, cases: cases.url, reputation: reputation.url };
    config.subgraphUrls = urls;
    const gateway = await startGateway({ config, logger, host: '127.0.0.1', port: 0, subgraphUrls: urls });
    started.unshift(gateway);
    return {
      gatewayUrl: gateway.url,
      casesUrl: cases.url,
      config,
      clock,
      calls: counting.calls,
      stores,
      query: (query, variables, token, url) => postGraphQL(url ?? gateway.url, query, variables, token),
      token: (role, id, enterpriseId) => issueToken(config.AUTH_SECRET, { id, role, ...(enterpriseId ? { enterpriseId } : {}) }, 24 * 3600 * 365 * 20),
      async stop() {
        for (const part of started) await part.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const part of started) await part.stop().catch(() => {});
    await opened.repo.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
