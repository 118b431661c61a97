import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { scanListings } from './listing-columns.ts';
import { enterpriseRollups, type EnterpriseRollup } from './rollup-rebuild.ts';

/**
 * One shard of a parallel rebuild (rollups-sqlite.ts `rebuildFromListings`): reads the listings of
 * the enterprises in its shard over a read-only connection of its own, computes their rollups and
 * posts them in batches. It never writes: the parent inserts everything in its one transaction.
 */
export interface RebuildShardRequest {
  path: string;
  shard: number;
  shards: number;
  today: number;
}

export type RebuildShardMessage =
  | { kind: 'rollups'; rollups: EnterpriseRollup[] }
  | { kind: 'done'; listings: number; sourceDays: Array<[number, number]>; readMs: number };

const BATCH = 1_000;

if (parentPort) {
  const { path, shard, shards, today } = workerData as RebuildShardRequest;
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const started = performance.now();
    const columns = scanListings(db, undefined, { shard, shards });
    const readMs = performance.now() - started;
    let batch: EnterpriseRollup[] = [];
    for (const rollup of enterpriseRollups(columns, columns.groupByEnterprise(), today)) {
      batch.push(rollup);
      if (batch.length === BATCH) {
        parentPort.postMessage({ kind: 'rollups', rollups: batch } satisfies RebuildShardMessage);
        batch = [];
      }
    }
    if (batch.length) parentPort.postMessage({ kind: 'rollups', rollups: batch } satisfies RebuildShardMessage);
    parentPort.postMessage({ kind: 'done', listings: columns.length, sourceDays: [...columns.sourceDays], readMs } satisfies RebuildShardMessage);
  } finally {
    db.close();
  }
}
