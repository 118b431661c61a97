import { recordCalls } from '../../../platform/store/call-recorder.ts';
import type { CaseRepository } from './case-repository.ts';

/**
 * Wraps a repository so that every store round trip (each method call is one) is recorded: the
 * DataLoader test and the cases benchmark use it to show that a page costs a constant number of
 * queries, whatever its size.
 */
export function countingRepository(inner: CaseRepository): { repo: CaseRepository; calls: string[] } {
  const { store, calls } = recordCalls(inner);
  return { repo: store, calls };
}
