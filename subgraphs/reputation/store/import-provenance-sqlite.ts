import type { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../../platform/store/sqlite.ts';
import type { ListingSource } from '../domain/listing.ts';
import { type ImportProvenance, type ImportProvenanceRepository, provenanceKey } from './import-provenance.ts';

const COMPONENT = 'listing-imports';
const MIGRATIONS = [
  `CREATE TABLE listing_imports (
     source TEXT NOT NULL, external_id TEXT NOT NULL, raw_hash TEXT NOT NULL,
     file_sha256 TEXT NOT NULL, file_name TEXT NOT NULL, row INTEGER NOT NULL, imported_at INTEGER NOT NULL,
     PRIMARY KEY (source, external_id)) WITHOUT ROWID`,
] as const;
const LOOKUP_CHUNK = 400;

/** `record` runs synchronously, so it lands in the SQLite transaction the listing write holds open. */
export function createSqliteImportProvenanceRepository(db: DatabaseSync): ImportProvenanceRepository {
  migrate(db, COMPONENT, MIGRATIONS);
  const upsert = db.prepare(
    `INSERT INTO listing_imports (source, external_id, raw_hash, file_sha256, file_name, row, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (source, external_id) DO UPDATE SET raw_hash = excluded.raw_hash,
       file_sha256 = excluded.file_sha256, file_name = excluded.file_name, row = excluded.row,
       imported_at = excluded.imported_at`,
  );
  return {
    record(entries) {
      for (const e of entries)
        upsert.run(e.source, e.externalId, e.rawHash, e.fileSha256, e.fileName, e.row, e.importedAt);
    },
    async forListings(keys) {
      const found = new Map<string, ImportProvenance>();
      for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
        const chunk = keys.slice(i, i + LOOKUP_CHUNK);
        const where = chunk.map(() => '(source = ? AND external_id = ?)').join(' OR ');
        const rows = db
          .prepare(`SELECT * FROM listing_imports WHERE ${where}`)
          .all(...chunk.flatMap((key) => [key.source, key.externalId])) as Array<Record<string, string | number>>;
        for (const row of rows)
          found.set(provenanceKey(String(row.source), String(row.external_id)), {
            source: row.source as ListingSource,
            externalId: String(row.external_id),
            rawHash: String(row.raw_hash),
            fileSha256: String(row.file_sha256),
            fileName: String(row.file_name),
            row: Number(row.row),
            importedAt: Number(row.imported_at),
          });
      }
      return found;
    },
  };
}
