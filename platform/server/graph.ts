import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { RequestContext } from '../context.ts';
import { startSubgraph, type RunningSubgraph, type SubgraphDefinition, type SubgraphName } from './subgraph-server.ts';
import { createDirectorySubgraph } from '../../subgraphs/directory/subgraph.ts';
import { createCasesSubgraph } from '../../subgraphs/cases/subgraph.ts';
import { createReputationSubgraph } from '../../subgraphs/reputation/subgraph.ts';

type Factory = (deps: { config: Config; logger: Logger }) => Promise<SubgraphDefinition<RequestContext>>;

/** The one place that knows which slices make up the graph. */
export const SUBGRAPH_FACTORIES: Record<SubgraphName, Factory> = {
  directory: createDirectorySubgraph as Factory,
  cases: createCasesSubgraph as Factory,
  reputation: createReputationSubgraph as Factory,
};

export function subgraphPort(config: Config, name: SubgraphName): number {
  return { directory: config.DIRECTORY_PORT, cases: config.CASES_PORT, reputation: config.REPUTATION_PORT }[name];
}

export async function startOneSubgraph(
  name: SubgraphName,
  config: Config,
  logger: Logger,
  port = subgraphPort(config, name),
): Promise<RunningSubgraph> {
  const childLogger = logger.child({ subgraph: name });
  const definition = await SUBGRAPH_FACTORIES[name]({ config, logger: childLogger });
  try {
    return await startSubgraph(definition, { config, logger: childLogger, host: config.HOST, port });
  } catch (error) {
    await definition.close();
    throw error;
  }
}
