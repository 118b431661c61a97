import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { readListingsByEnterprise, type EnterpriseRange } from './listings-sqlite-by-enterprise.ts';
import { enterpriseRollup, type EnterpriseRollup } from './rollups-sqlite-enterprise-rollup.ts';

/**
 * One range of enterprises of a parallel rebuild (rollups-sqlite-rebuild.ts `rebuildFromListings`): reads
 * their listings over a read-only connection of its own, computes their rollups and posts them in
 * batches. It never writes: the parent inserts everything in its one transaction.
 */
export interface RebuildRangeRequest {
  path: string;
  range: EnterpriseRange;
  today: number;
}

export type RebuildRangeMessage =
  | { kind: 'rollups'; rollups: EnterpriseRollup[] }
  | { kind: 'done'; listings: number; sourceDays: Array<[number, number]>; ms: number };

const BATCH = 1_000;

if (parentPort) {
  const { path, range, today } = workerData as RebuildRangeRequest;
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const started = performance.now();
    const sourceDays = new Map<number, number>();
    let listings = 0;
    let batch: EnterpriseRollup[] = [];
    for (const enterprise of readListingsByEnterprise(db, range)) {
      listings += enterprise.contributions.length;
      batch.push(enterpriseRollup(enterprise, today, sourceDays));
      if (batch.length === BATCH) {
        parentPort.postMessage({ kind: 'rollups', rollups: batch } satisfies RebuildRangeMessage);
        batch = [];
      }
    }
    if (batch.length) parentPort.postMessage({ kind: 'rollups', rollups: batch } satisfies RebuildRangeMessage);
    parentPort.postMessage({
      kind: 'done',
      listings,
      sourceDays: [...sourceDays],
      ms: performance.now() - started,
    } satisfies RebuildRangeMessage);
  } finally {
    db.close();
  }
}
