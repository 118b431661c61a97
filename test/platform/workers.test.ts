import { availableParallelism } from 'node:os';
import { runWorkers, workerCount } from '../../platform/workers.ts';
import type { EchoMessage, EchoRequest } from './workers-echo.ts';

const ECHO = new URL('./workers-echo.ts', import.meta.url);

describe('runWorkers', () => {
  it('hands every message to onMessage, each thread in its own order, and resolves when all are done', async () => {
    const seen = new Map<number, number[]>();
    const requests: EchoRequest[] = [
      { id: 0, count: 5, end: 'done' },
      { id: 1, count: 3, end: 'done' },
    ];
    await runWorkers<EchoMessage>(ECHO, requests, (message) => {
      if ('done' in message) return true;
      seen.set(message.id, [...(seen.get(message.id) ?? []), message.n]);
      return false;
    });
    expect(seen).toEqual(
      new Map([
        [0, [0, 1, 2, 3, 4]],
        [1, [0, 1, 2]],
      ]),
    );
  });

  it('counts a thread that exits cleanly without a final message as done', async () => {
    let messages = 0;
    await runWorkers<EchoMessage>(ECHO, [{ id: 0, count: 2, end: 'exit' } satisfies EchoRequest], () => {
      messages++;
      return false;
    });
    expect(messages).toBe(2);
  });

  it('resolves at once when there is nothing to run', async () => {
    await expect(runWorkers(ECHO, [], () => true)).resolves.toBeUndefined();
  });

  it('rejects naming the script and thread when a thread exits with a code', async () => {
    const requests: EchoRequest[] = [
      { id: 0, count: 0, end: 'hang' },
      { id: 1, count: 0, end: 'exit-code' },
    ];
    await expect(runWorkers(ECHO, requests, () => false)).rejects.toThrow(
      'workers-echo.ts thread 1 exited with code 3',
    );
  });

  it('rejects with the error a thread throws, and terminates the others', async () => {
    const requests: EchoRequest[] = [
      { id: 0, count: 0, end: 'hang' },
      { id: 1, count: 0, end: 'throw' },
    ];
    await expect(runWorkers(ECHO, requests, () => false)).rejects.toThrow('echo 1 failed');
  });

  it('rejects with what onMessage throws, and delivers no message after settling', async () => {
    let after = false;
    let settled = false;
    const run = runWorkers<EchoMessage>(ECHO, [{ id: 0, count: 50, end: 'hang' } satisfies EchoRequest], (message) => {
      if (settled) after = true;
      if ('n' in message && message.n === 1) throw new Error('bad message');
      return false;
    });
    await expect(run).rejects.toThrow('bad message');
    settled = true;
    await new Promise((resolve) => setImmediate(resolve));
    expect(after).toBe(false);
  });
});

describe('workerCount', () => {
  it('takes the number asked for, truncated, and never less than one thread', () => {
    expect(workerCount(3.7, 8)).toBe(3);
    expect(workerCount(0, 8)).toBe(1);
  });

  it('defaults to one thread per core, capped', () => {
    expect(workerCount(undefined, 64)).toBe(availableParallelism());
    expect(workerCount(undefined, 1)).toBe(1);
  });
});
