import { IdentityBasis } from '../../../platform/enterprise/identity.ts';
import type { ListingRecord } from '../domain/listing.ts';
import type { QuarantinedItem } from '../store/listings.ts';
import type { IngestDependencies, IngestSummary } from './types.ts';

/**
 * The writes of a crawl (run.ts): whole pages of records and quarantined items wait in `pending`
 * and `flush` writes them in one transaction (the statistics hook inside it), counting what was
 * inserted, updated or unchanged and the names tied to an enterprise by name only.
 */

const MAX_LOW_CONFIDENCE_NAMES = 1000;

export interface PageWriter {
  pending: { records: ListingRecord[]; quarantine: QuarantinedItem[] };
  flush(): Promise<void>;
}

export function createPageWriter(
  deps: Pick<IngestDependencies, 'listings' | 'onChanges'>,
  now: () => number,
  summary: IngestSummary,
  lowConfidence: Set<string>,
): PageWriter {
  const pending: PageWriter['pending'] = { records: [], quarantine: [] };
  const flush = async () => {
    if (pending.records.length === 0 && pending.quarantine.length === 0) return;
    const written = await deps.listings.upsertBatch(pending.records, deps.onChanges, {
      quarantine: pending.quarantine,
      now: now(),
    });
    pending.records = [];
    pending.quarantine = [];
    summary.inserted += written.inserted;
    summary.updated += written.updated;
    summary.unchanged += written.unchanged;
    for (const change of written.changes) {
      if (change.after.enterpriseBasis !== IdentityBasis.Name) continue;
      // Bounded: a long crawl of a source without credit codes must not grow memory with it.
      if (lowConfidence.size < MAX_LOW_CONFIDENCE_NAMES) lowConfidence.add(change.after.enterpriseName);
      else if (!lowConfidence.has(change.after.enterpriseName)) summary.lowConfidenceTruncated = true;
    }
  };
  return { pending, flush };
}
