import type { ListingSource } from '../domain/listing.ts';

/**
 * Where an imported listing came from: the file (by its sha256, and its name), the row, when,
 * and the raw hash of the version the import wrote. A listing whose stored hash is no longer
 * that one was overwritten since (a crawl, another import of other data): it is then reported
 * as crawled, not as imported. Kept beside the listings, written in the transaction of the
 * listing write itself (through the `onChanges` hook), never on its own.
 */
export interface ImportProvenance {
  source: ListingSource;
  externalId: string;
  rawHash: string;
  fileSha256: string;
  fileName: string;
  row: number;
  importedAt: number;
}

export interface ImportProvenanceRepository {
  /** Records provenance inside the listing write's transaction (`session` is MongoDB's). */
  record(entries: ImportProvenance[], session?: unknown): void | Promise<void>;
  /** Provenance of these listings, keyed `source:externalId`; listings never imported are absent. */
  forListings(keys: Array<{ source: string; externalId: string }>): Promise<Map<string, ImportProvenance>>;
}

export function provenanceKey(source: string, externalId: string): string {
  return `${source}:${externalId}`;
}

/** How a listing reached the store, as `Enterprise.listings` reports it. */
export function listingOrigin(
  record: { source: string; externalId: string; rawHash: string },
  imports: Map<string, ImportProvenance>,
): { origin: 'IMPORTED'; provenance: ImportProvenance } | { origin: 'CRAWLED'; provenance: null } {
  const entry = imports.get(provenanceKey(record.source, record.externalId));
  return entry && entry.rawHash === record.rawHash
    ? { origin: 'IMPORTED', provenance: entry }
    : { origin: 'CRAWLED', provenance: null };
}
