import type { Logger } from 'pino';
import { startPeriodicJob, type JobSchedule, type PeriodicJob } from '../../platform/jobs.ts';

/** The statistics' clock: the rolling windows and the red/black months are China Standard Time. */
export const STATISTICS_TIMEZONE = 'Asia/Shanghai';

/** Five seconds past each CST midnight, when the rolling windows move (seconds-first croner pattern). */
export const DAY_ROLL_SCHEDULE: JobSchedule = { cron: '5 0 0 * * *', timezone: STATISTICS_TIMEZONE };

/**
 * Ten minutes past each hour of the first three days of a CST month: the month just closed is
 * published at 00:10 on the 1st (after the day roll); publishing is idempotent, so the later
 * ticks only retry a month whose publication failed. Each start publishes too (a missed tick).
 */
export const MONTH_END_SCHEDULE: JobSchedule = { cron: '0 10 * 1-3 * *', timezone: STATISTICS_TIMEZONE };

export interface ReputationJobs {
  stop(): Promise<void>;
}

/**
 * The reputation slice's calendar jobs: the day roll always (requests still check, in case a tick
 * was missed), the month-end snapshots when `snapshots` is given (SCHEDULER_ENABLED).
 */
export function startReputationJobs(deps: {
  logger: Logger;
  rollWindows: () => Promise<unknown>;
  publishClosedMonth?: () => Promise<unknown>;
}): ReputationJobs {
  const jobs: PeriodicJob<unknown>[] = [
    startPeriodicJob({
      name: 'rollups-day-roll',
      schedule: DAY_ROLL_SCHEDULE,
      run: deps.rollWindows,
      logger: deps.logger,
    }),
  ];
  if (deps.publishClosedMonth) {
    jobs.push(
      startPeriodicJob({
        name: 'red-black-month-end',
        schedule: MONTH_END_SCHEDULE,
        runAtStart: true,
        run: deps.publishClosedMonth,
        logger: deps.logger,
      }),
    );
  }
  return {
    async stop() {
      await Promise.all(jobs.map((job) => job.stop()));
    },
  };
}
