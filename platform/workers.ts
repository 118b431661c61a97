import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Runs `script` on one worker thread per request (each request is that thread's `workerData`) and
 * hands every message to `onMessage`, on this thread in arrival order. A thread is done when
 * `onMessage` returns true for one of its messages or when it exits cleanly. Rejects on the first
 * failure (a thread's error or exit code, or a throw from `onMessage`), after every thread is
 * terminated: no message arrives after it settles.
 */
export async function runWorkers<Message>(
  script: URL,
  requests: readonly unknown[],
  onMessage: (message: Message) => boolean,
): Promise<void> {
  const threads: Worker[] = [];
  try {
    await Promise.all(
      requests.map((workerData, k) => {
        const thread = new Worker(script, { workerData });
        threads.push(thread);
        return new Promise<void>((resolve, reject) => {
          thread.on('message', (message: Message) => {
            try {
              if (onMessage(message)) resolve();
            } catch (error) {
              reject(error);
            }
          });
          thread.on('error', reject);
          thread.on('exit', (code) =>
            code === 0
              ? resolve()
              : reject(new Error(`${basename(script.pathname)} thread ${k} exited with code ${code}`)),
          );
        });
      }),
    );
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}

/** How many threads to start: `requested` when given (at least 1), else one per core, at most `max`. */
export function workerCount(requested: number | undefined, max: number): number {
  return Math.max(1, Math.trunc(requested ?? Math.min(max, availableParallelism())));
}
