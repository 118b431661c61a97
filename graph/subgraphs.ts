/**
 * The composition root: the one place that knows which slices make up the graph. `platform/` is
 * the spine every slice uses and imports none of them; the start scripts and the test harness ask
 * this file for a slice by name.
 */
import type { Logger } from 'pino';
import type { Config } from '../platform/config.ts';
import {
  startSubgraphPart,
  type RunningSubgraph,
  type SubgraphFactory,
  type SubgraphName,
} from '../platform/server/subgraph-server.ts';
import { createAccountsSubgraph } from '../subgraphs/accounts/subgraph.ts';
import { createCasesSubgraph } from '../subgraphs/cases/subgraph.ts';
import { createDirectorySubgraph } from '../subgraphs/directory/subgraph.ts';
import { createReputationSubgraph } from '../subgraphs/reputation/subgraph.ts';

export const SUBGRAPH_FACTORIES: Record<SubgraphName, SubgraphFactory> = {
  directory: createDirectorySubgraph as SubgraphFactory,
  cases: createCasesSubgraph as SubgraphFactory,
  reputation: createReputationSubgraph as SubgraphFactory,
  accounts: createAccountsSubgraph as SubgraphFactory,
};

/** Builds the slice `name` and serves it on `port` (by default its configured port). */
export function startOneSubgraph(
  name: SubgraphName,
  config: Config,
  logger: Logger,
  port?: number,
): Promise<RunningSubgraph> {
  return startSubgraphPart(name, SUBGRAPH_FACTORIES[name], config, logger, port);
}
