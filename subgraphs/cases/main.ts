/** The cases subgraph alone, on its own port (CASES_PORT), for deployments that run the parts on separate machines. */
import { startOneSubgraph } from '../../platform/server/graph.ts';
import { runProcess } from '../../platform/server/process.ts';

await runProcess('cases', async (config, logger) => [await startOneSubgraph('cases', config, logger)]);
