import { createMongoImportProvenanceRepository } from './import-provenance-mongo.ts';
import { createSqliteImportProvenanceRepository } from './import-provenance-sqlite.ts';
import type { ImportProvenanceRepository } from './import-provenance.ts';
import type { IngestionStore } from './listings-open.ts';

/** Import provenance on the store the listings live in (same file or database, same transactions). */
export function openImportProvenance(store: Pick<IngestionStore, 'sqlite' | 'mongo'>): ImportProvenanceRepository {
  if (store.sqlite) return createSqliteImportProvenanceRepository(store.sqlite);
  if (store.mongo) return createMongoImportProvenanceRepository(store.mongo);
  throw new Error('the ingestion store has neither SQLite nor MongoDB');
}
