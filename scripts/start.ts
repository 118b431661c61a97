/**
 * `npm start`: the whole graph in one process on loopback (three subgraphs and the gateway), on the
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
  for (const name of ['directory', 'cases', 'reputation'] as const) {
    subgraphs.push(own(await startOneSubgraph(name, config, logger)));
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
