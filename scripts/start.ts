/**
 * `npm start`: the whole graph in one process on loopback (four subgraphs and the gateway), on the
 * embedded SQLite store under DATA_DIR unless MONGODB_URI is set. Each part also runs alone
 * (`npm run start:<part>`) for deployments that spread them over machines.
 */
import { startGateway } from '../gateway/gateway.ts';
import { startOneSubgraph } from '../graph/subgraphs.ts';
import { runProcess } from '../platform/server/process.ts';
import type { RunningSubgraph } from '../platform/server/subgraph-server.ts';

// Each part is owned as soon as it has started: if a later one fails, those are stopped (process.ts).
await runProcess('weiquan', async (config, logger, own) => {
  const subgraphs: RunningSubgraph[] = [];
  // accounts first: the others verify access tokens against its JWKS.
  for (const name of ['accounts', 'directory', 'cases', 'reputation'] as const) {
    const running = own(await startOneSubgraph(name, config, logger));
    subgraphs.push(running);
    if (name === 'accounts' && !config.ACCOUNTS_URL) config.subgraphUrls.accounts = running.url;
  }
  const urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Record<RunningSubgraph['name'], string>;
  const gateway = own(
    await startGateway({
      config,
      logger: logger.child({ part: 'gateway' }),
      host: config.HOST,
      port: config.GATEWAY_PORT,
      subgraphUrls: urls,
    }),
  );
  logger.info({ url: gateway.url, store: config.store }, 'Weiquan is ready');
  // Stopped in reverse start order: the gateway first, so nothing new reaches the subgraphs.
  return undefined;
});
