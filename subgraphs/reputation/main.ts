/**
 * The reputation subgraph alone, on its own port (REPUTATION_PORT),
 * for deployments that run the parts on separate machines.
 */
import { startOneSubgraph } from '../../platform/server/graph.ts';
import { runProcess } from '../../platform/server/process.ts';

await runProcess('reputation', async (config, logger) => [await startOneSubgraph('reputation', config, logger)]);
