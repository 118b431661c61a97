/**
 * The cases subgraph alone, on its own port (CASES_PORT),
 * for deployments that run the parts on separate machines.
 */
import { runProcess } from '../../platform/server/process.ts';
import { startSubgraphPart } from '../../platform/server/subgraph-server.ts';
import { createCasesSubgraph } from './subgraph.ts';

await runProcess('cases', async (config, logger) => [
  await startSubgraphPart('cases', createCasesSubgraph, config, logger),
]);
