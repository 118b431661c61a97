/**
 * The gateway alone: subgraph URLs come from DIRECTORY_URL, CASES_URL and REPUTATION_URL. With
 * GATEWAY_WORKERS above 1 (default: the cores less one), this process is the primary of that many
 * gateway processes sharing GATEWAY_PORT (`workers.ts`).
 */
import cluster from 'node:cluster';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { runProcess } from '../platform/server/process.ts';
import { startGateway } from './gateway.ts';
import { defaultGatewayWorkers, runGatewayWorkers } from './workers.ts';

let workers = 1;
if (cluster.isPrimary) {
  try {
    workers = loadConfig().GATEWAY_WORKERS ?? defaultGatewayWorkers();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

if (workers > 1) {
  runGatewayWorkers(workers);
} else {
  await runProcess('gateway', async (config, logger) => [
    await startGateway({ config, logger, host: config.HOST, port: config.GATEWAY_PORT }),
  ]);
}
