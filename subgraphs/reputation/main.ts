/**
 * The reputation subgraph alone, on its own port (REPUTATION_PORT),
 * for deployments that run the parts on separate machines.
 */
import { runProcess } from '../../platform/server/process.ts';
import { startSubgraphPart } from '../../platform/server/subgraph-server.ts';
import { createReputationSubgraph } from './subgraph.ts';

await runProcess('reputation', async (config, logger) => [
  await startSubgraphPart('reputation', createReputationSubgraph, config, logger),
]);
