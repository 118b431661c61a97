/**
 * The directory subgraph alone, on its own port (DIRECTORY_PORT), for deployments that run the parts on separate
 * machines.
 */
import { startOneSubgraph } from '../../platform/server/graph.ts';
import { runProcess } from '../../platform/server/process.ts';

await runProcess('directory', async (config, logger) => [await startOneSubgraph('directory', config, logger)]);
