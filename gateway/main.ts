/** The gateway alone: subgraph URLs come from DIRECTORY_URL, CASES_URL and REPUTATION_URL. */
import { runProcess } from '../platform/server/process.ts';
import { startGateway } from './gateway.ts';

await runProcess('gateway', async (config, logger) => [
  await startGateway({ config, logger, host: config.HOST, port: config.GATEWAY_PORT }),
]);
