import { pino, type Logger } from 'pino';

/** One JSON logger per process; request loggers are children carrying `requestId`. */
export function createLogger(level: string, name: string): Logger {
  return pino({ level, name, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
