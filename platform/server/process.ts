import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Supervisors (systemd, Kubernetes, docker stop) send SIGKILL 10 s after SIGTERM; stopping within
 * that keeps the store's close in our hands. The gateway's drain (8 s at most) comes first.
 */
const SHUTDOWN_BUDGET_MS = 9_500;

/**
 * Runs a process's parts and owns its shutdown: on SIGINT/SIGTERM it stops the parts in the
 * order given (the gateway first, so nothing new reaches the subgraphs; each part drains its
 * in-flight requests, then closes its store). Libraries' own signal handlers are not relied on.
 */
export async function runProcess(
  name: string,
  start: (config: Config, logger: Logger) => Promise<Stoppable[]>,
): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL, name);
  let parts: Stoppable[] = [];
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_BUDGET_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_BUDGET_MS);
    timer.unref();
    for (const part of parts) {
      try {
        await part.stop();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    parts = await start(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    for (const part of parts) await part.stop().catch(() => {});
    process.exit(1);
  }
}
