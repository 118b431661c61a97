/**
 * The directory subgraph alone, on its own port (DIRECTORY_PORT),
 * for deployments that run the parts on separate machines.
 */
import { runProcess } from '../../platform/server/process.ts';
import { startSubgraphPart } from '../../platform/server/subgraph-server.ts';
import { createDirectorySubgraph } from './subgraph.ts';

await runProcess('directory', async (config, logger) => [
  await startSubgraphPart('directory', createDirectorySubgraph, config, logger),
]);
