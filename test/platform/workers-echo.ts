import { parentPort, workerData } from 'node:worker_threads';

/**
 * Worker script for workers.test.ts: posts `count` numbered messages, then does what `end` says
 * (exit cleanly, exit with a code, throw, or stay alive until terminated).
 */
export interface EchoRequest {
  id: number;
  count: number;
  end: 'done' | 'exit' | 'exit-code' | 'throw' | 'hang';
}

export type EchoMessage = { id: number; n: number } | { id: number; done: true };

if (parentPort) {
  const { id, count, end } = workerData as EchoRequest;
  for (let n = 0; n < count; n++) parentPort.postMessage({ id, n } satisfies EchoMessage);
  if (end === 'done') parentPort.postMessage({ id, done: true } satisfies EchoMessage);
  if (end === 'exit-code') process.exit(3);
  if (end === 'throw') throw new Error(`echo ${id} failed`);
  if (end === 'hang') setInterval(() => {}, 1_000);
}
