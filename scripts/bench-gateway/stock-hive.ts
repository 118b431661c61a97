/**
 * Stock Hive Gateway runtime with the Rust query planner over `schema/supergraph.graphql`, as a team
 * would deploy it from the documentation: no plugins and no options of ours but the forwarding of
 * `authorization`. The benchmark's comparison target, run as its own process:
 * `node stock-hive.ts <port> <subgraph urls as JSON>`.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { bindSubgraphUrls, SUPERGRAPH_FILE } from '../../gateway/gateway.ts';

const [port, urls] = [Number(process.argv[2]), JSON.parse(process.argv[3] ?? '{}')];
const gateway = createGatewayRuntime({
  supergraph: bindSubgraphUrls(readFileSync(SUPERGRAPH_FILE, 'utf8'), urls),
  unifiedGraphHandler,
  logging: 'error',
  // The one addition to the defaults: the caller's token reaches the subgraphs, without which
  // CaseOverview would be refused.
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
  },
});
await gateway.getSchema();
createServer(gateway).listen(port, '127.0.0.1', () => process.send?.('listening'));
// Exit normally on the harness's SIGTERM, so that a --cpu-prof profile is written.
process.on('SIGTERM', () => process.exit(0));
