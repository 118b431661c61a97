import { issueToken } from '../../../platform/auth.ts';
import type { Config } from '../../../platform/config.ts';
import type { Role } from '../../../platform/context.ts';
import { createCasesSubgraph, openCasesStores, type CasesStores } from '../../../subgraphs/cases/subgraph.ts';
import { countingRepository } from '../../../subgraphs/cases/store/case-repository-counting.ts';
import { startGraph, type GraphQLResponse } from '../../support/graph.ts';

export interface CasesGraph {
  gatewayUrl: string;
  casesUrl: string;
  config: Config;
  clock: { now: Date };
  calls: string[];
  stores: CasesStores;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the shapes they assert on; the assertions check them.
  query<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    url?: string,
  ): Promise<GraphQLResponse<T>>;
  token(role: Role, id: string, enterpriseId?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real graph (three subgraphs and the gateway on loopback), with the cases subgraph on a
 * clock the test sets and a repository that counts its queries.
 */
export async function startCasesGraph(start: Date): Promise<CasesGraph> {
  const clock = { now: start };
  let stores: CasesStores | undefined;
  let calls: string[] = [];
  const graph = await startGraph({
    env: { STAFF_NOTIFY_EMAIL: 'desk@weiquan.invalid' },
    overrides: {
      cases: async (config, logger) => {
        const opened = await openCasesStores(config);
        const counting = countingRepository(opened.repo);
        stores = { ...opened, repo: counting.repo };
        calls = counting.calls;
        return createCasesSubgraph({ config, logger }, { stores, now: () => clock.now });
      },
    },
  });
  return {
    gatewayUrl: graph.gatewayUrl,
    casesUrl: graph.urls.cases,
    config: graph.config,
    clock,
    calls,
    stores: stores!,
    query: graph.query,
    token: (role, id, enterpriseId) =>
      issueToken(graph.config.AUTH_SECRET, { id, role, ...(enterpriseId ? { enterpriseId } : {}) }),
    stop: graph.stop,
  };
}
