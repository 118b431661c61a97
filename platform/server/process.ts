import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Supervisors (systemd, Kubernetes, docker stop) send SIGKILL 10 s after SIGTERM; stopping within
 * that keeps the store's close in our hands. The HTTP drain (`SHUTDOWN_DRAIN_MS`, 8 s by default)
 * comes first, and closing the stores gets this much after it: 9.5 s in all by default.
 */
const AFTER_DRAIN_MS = 1_500;

/** Hands a part that has started to the process, which stops it on shutdown or when a later part fails to start. */
export type OwnPart = <Part extends Stoppable>(part: Part) => Part;

/**
 * Runs a process's parts and owns its shutdown: on SIGINT/SIGTERM it stops the parts in the
 * reverse of the order they started (the gateway, started last, first, so nothing new reaches
 * the subgraphs; each part drains its in-flight requests, then closes its store). `start` hands
 * each part to `own` as soon as it has started, so that when a later part fails to start, the
 * earlier ones are stopped (ports released, stores closed) before the process exits with 1.
 * Parts returned by `start` and not yet owned are owned then, to be stopped in the order returned.
 * Libraries' own signal handlers are not relied on.
 */
export async function runProcess(
  name: string,
  start: (config: Config, logger: Logger, own: OwnPart) => Promise<Stoppable[] | undefined>,
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
  const parts: Stoppable[] = [];
  const own: OwnPart = (part) => {
    if (!parts.includes(part)) parts.push(part);
    return part;
  };
  const stopAll = async () => {
    const budgetMs = config.SHUTDOWN_DRAIN_MS + AFTER_DRAIN_MS;
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${budgetMs} ms; exiting`);
      process.exit(1);
    }, budgetMs);
    timer.unref();
    for (const part of [...parts].reverse()) {
      try {
        await part.stop();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
  };
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    await stopAll();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    const returned = (await start(config, logger, own)) ?? [];
    for (const part of [...returned].reverse()) own(part);
  } catch (error) {
    const started = parts.length;
    logger.fatal({ err: error }, `start-up failed; stopping the ${started} part(s) already started`);
    shuttingDown = true;
    await stopAll();
    logger.fatal(`${name} did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
