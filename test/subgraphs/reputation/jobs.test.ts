import { jest } from '@jest/globals';
import { pino } from 'pino';
import { startReputationJobs } from '../../../subgraphs/reputation/jobs.ts';

afterEach(() => jest.useRealTimers());

test('the day roll runs after each CST midnight; a failed month-end publication is retried the next hour', async () => {
  jest.useFakeTimers({ now: Date.parse('2026-01-31T15:00:00Z') });
  const rolls: string[] = [];
  const publications: string[] = [];
  const jobs = startReputationJobs({
    logger: pino({ level: 'silent' }),
    rollWindows: async () => void rolls.push(new Date().toISOString()),
    publishClosedMonth: async () => {
      publications.push(new Date().toISOString());
      if (publications.length === 2) throw new Error('store unavailable');
    },
  });
  await jest.advanceTimersByTimeAsync(3 * 3600_000);
  await jobs.stop();
  expect(rolls).toEqual(['2026-01-31T16:00:05.000Z']);
  // At start, at 00:10 CST on the 1st (fails), and again at 01:10 CST.
  expect(publications).toEqual(['2026-01-31T15:00:00.000Z', '2026-01-31T16:10:00.000Z', '2026-01-31T17:10:00.000Z']);
});
