/**
 * `npm start`: the whole graph in one process on loopback (four subgraphs and the gateway), on the
 * embedded SQLite store under DATA_DIR unless MONGODB_URI is set. Each part also runs alone
 * (`npm run start:<part>`) for deployments that spread them over machines.
 */
import { startGateway } from '../gateway/gateway.ts';
import { startOneSubgraph } from '../graph/subgraphs.ts';
import { runProcess, type Stoppable } from '../platform/server/process.ts';
import type { RunningSubgraph } from '../platform/server/subgraph-server.ts';

await runProcess('weiquan', async (config, logger) => {
  const parts: Stoppable[] = [];
  const subgraphs: RunningSubgraph[] = [];
  // accounts first: the others verify access tokens against its JWKS.
  for (const name of ['accounts', 'directory', 'cases', 'reputation'] as const) {
    const running = await startOneSubgraph(name, config, logger);
    subgraphs.push(running);
    if (name === 'accounts' && !config.ACCOUNTS_URL) config.subgraphUrls.accounts = running.url;
  }
  const urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Record<RunningSubgraph['name'], string>;
  const gateway = await startGateway({
    config,
    logger: logger.child({ part: 'gateway' }),
    host: config.HOST,
    port: config.GATEWAY_PORT,
    subgraphUrls: urls,
  });
  parts.push(gateway, ...subgraphs);
  logger.info({ url: gateway.url, store: config.store }, 'Weiquan is ready');
  return parts;
});
