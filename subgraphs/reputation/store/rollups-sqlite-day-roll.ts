import { transaction } from '../../../platform/store/sqlite.ts';
import { runWorkers, workerCount } from '../../../platform/workers.ts';
import { profileWindows } from '../domain/profile.ts';
import { cstDay } from '../domain/windows.ts';
import { enterpriseRanges } from './listings-sqlite-by-enterprise.ts';
import type { WindowRollMessage, WindowRollRequest } from './rollups-sqlite-day-roll-worker.ts';
import { encodeWindows, sameBytes } from './rollups-sqlite-profile-codec.ts';
import { MAX_REBUILD_WORKERS } from './rollups-sqlite-rebuild.ts';
import type { RollupTables, SummaryRow } from './rollups-sqlite-tables.ts';

/**
 * The day roll of the SQLite rollups: when the CST day moves on, every enterprise's rolling
 * windows are re-materialised for the new day, in this thread for a small store, on worker threads
 * (rollups-sqlite-day-roll-worker.ts) for a large one.
 */

/**
 * From this many enterprises the day roll runs on worker threads: below it, rolling in this thread
 * is quicker than starting them (10,000 enterprises rolled in 0.7 s here, in this thread).
 */
const OFF_THREAD_ROLL_FROM = 5_000;

export interface DayRollOptions {
  /** From this many enterprises `ensureDay` rolls the day on worker threads (default OFF_THREAD_ROLL_FROM). */
  offThreadRollFrom?: number;
  /** Told when the roll on worker threads failed and the day is rolled in this thread instead. */
  onRollFallback?: (error: unknown) => void;
}

export interface DayRoll {
  /**
   * Re-materialises every rolling window as of the CST day of `asOf`, in this thread (call it
   * inside a transaction).
   */
  refreshWindows(asOf: number): void;
  /** The same roll without blocking this thread for it (see the function). */
  rollWindows(asOf: number, options?: { workers?: number; onSnapshot?: () => void }): Promise<void>;
  /** Rolls the windows to the CST day of `now` unless they are there already; one roll at a time. */
  ensureDay(now: number): Promise<void>;
}

export function createDayRoll(t: RollupTables, options: DayRollOptions = {}): DayRoll {
  const { db } = t;
  const selectAllWindows = db.prepare('SELECT enterprise_id, windows FROM rep_enterprises');
  const countEnterprises = db.prepare('SELECT count(*) AS n FROM rep_enterprises');

  /** Re-materialises every enterprise's rolling windows as of the CST day of `asOf`, rewriting only what moved. */
  function refreshWindows(asOf: number): void {
    t.local.version++;
    const today = cstDay(asOf);
    t.writeAsOfDay(today);
    for (const { enterprise_id, windows } of selectAllWindows.all() as Array<{
      enterprise_id: string;
      windows: Uint8Array | null;
    }>) {
      rematerialise(enterprise_id, windows, today);
    }
    t.pruneLog.run();
  }

  /**
   * Recomputes an enterprise's windows for `today` from its years; writes and logs them only when
   * they differ from `stored`.
   */
  function rematerialise(enterpriseId: string, stored: Uint8Array | null, today: number): void {
    const next = encodeWindows(profileWindows(t.profileOf(enterpriseId), today));
    if (stored && sameBytes(stored, next)) return;
    t.updateWindows.run(next, enterpriseId);
    t.logChange.run(enterpriseId);
  }

  /**
   * The day roll off this thread. Worker threads (one range of enterprises each) recompute every
   * window for the new day from a snapshot, while ingestion goes on writing as of the old day.
   * Then one transaction writes their results, except for the enterprises the change log shows
   * written since the snapshot: those are recomputed from their current years. A rebuild since
   * the snapshot voids the results, and the roll is done in this thread.
   */
  async function rollWindows(asOf: number, roll: { workers?: number; onSnapshot?: () => void } = {}): Promise<void> {
    const today = cstDay(asOf);
    const path = db.location();
    const workers = workerCount(roll.workers, MAX_REBUILD_WORKERS);
    if (path === null) {
      transaction(db, () => refreshWindows(asOf));
      return;
    }
    const rolled = new Map<string, Uint8Array>();
    let snapshotSeq = Number.POSITIVE_INFINITY;
    let snapshots = 0;
    const requests = enterpriseRanges(db, workers, 'rep_enterprises').map(
      (range): WindowRollRequest => ({ path, range, today }),
    );
    await runWorkers<WindowRollMessage>(
      new URL('./rollups-sqlite-day-roll-worker.ts', import.meta.url),
      requests,
      (message) => {
        if (message.kind === 'snapshot') {
          snapshotSeq = Math.min(snapshotSeq, message.seq);
          snapshots++;
          if (snapshots === requests.length) roll.onSnapshot?.();
        } else if (message.kind === 'windows') {
          for (const [id, windows] of message.windows) rolled.set(id, windows);
        }
        return message.kind === 'done';
      },
    );
    transaction(db, () => {
      if (t.asOfDay() === today) return; // rolled meanwhile, by this process or another
      const since = t.loggedSince.all(snapshotSeq) as Array<{ enterprise_id: string | null }>;
      const firstKept = Number((t.firstLogged.get() as { seq: number | null }).seq ?? 0);
      // A rebuild since the snapshot, or a log pruned past it (writes since are unknown): redo it here.
      if (since.some((entry) => entry.enterprise_id === null) || firstKept > snapshotSeq + 1) {
        refreshWindows(asOf);
        return;
      }
      t.local.version++;
      t.writeAsOfDay(today);
      const written = new Set(since.map((entry) => entry.enterprise_id as string));
      for (const [enterpriseId, windows] of rolled) {
        if (written.has(enterpriseId)) continue;
        t.updateWindows.run(windows, enterpriseId);
        t.logChange.run(enterpriseId);
      }
      for (const enterpriseId of written) {
        const row = t.selectSummary.get(enterpriseId) as SummaryRow | undefined;
        if (row) rematerialise(enterpriseId, row.windows, today); // gone since: nothing to roll
      }
      t.pruneLog.run();
    });
  }

  let rolling: Promise<void> | null = null;

  async function ensureDay(now: number): Promise<void> {
    const today = cstDay(now);
    if (t.asOfDay() === today) return;
    const enterprises = Number((countEnterprises.get() as { n: number }).n);
    if (enterprises < (options.offThreadRollFrom ?? OFF_THREAD_ROLL_FROM)) {
      transaction(db, () => refreshWindows(now));
    } else {
      // Callers during a roll wait for it without blocking the process; one roll at a time.
      // Should the worker threads fail (they start from files next to this one), the roll is
      // done in this thread, as for a small store: late, blocking, but right, and reported.
      rolling ??= rollWindows(now)
        .catch((error: unknown) => {
          options.onRollFallback?.(error);
          transaction(db, () => refreshWindows(now));
        })
        .finally(() => {
          rolling = null;
        });
      await rolling;
    }
    if (t.asOfDay() !== today) transaction(db, () => refreshWindows(now)); // the roll was for another day
  }

  return { refreshWindows, rollWindows, ensureDay };
}
