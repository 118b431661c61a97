/**
 * The accounts subgraph alone, on its own port (ACCOUNTS_PORT), for deployments that run the parts
 * on separate machines. The other subgraphs find its JWKS through ACCOUNTS_URL.
 */
import { runProcess } from '../../platform/server/process.ts';
import { startSubgraphPart } from '../../platform/server/subgraph-server.ts';
import { createAccountsSubgraph } from './subgraph.ts';

await runProcess('accounts', async (config, logger) => [
  await startSubgraphPart('accounts', createAccountsSubgraph, config, logger),
]);
