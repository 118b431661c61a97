import { recordCalls } from '../../../platform/store/call-recorder.ts';
import type { RollupReader } from './rollups.ts';

/**
 * Wraps a rollup reader so that every read is recorded: the N+1 guard of the gateway benchmark uses
 * it to show that a page of Enterprise entities costs a constant number of store queries.
 */
export function countingRollups<Rollups extends RollupReader>(inner: Rollups): { rollups: Rollups; calls: string[] } {
  const { store, calls } = recordCalls(inner);
  return { rollups: store, calls };
}
