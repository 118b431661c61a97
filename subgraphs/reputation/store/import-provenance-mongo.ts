import type { ClientSession, Db } from 'mongodb';
import { type ImportProvenance, type ImportProvenanceRepository, provenanceKey } from './import-provenance.ts';

interface ProvenanceDocument extends ImportProvenance {
  _id: string;
}

/** One document per listing (`_id` = `source:externalId`), written in the listing write's session. */
export function createMongoImportProvenanceRepository(db: Db): ImportProvenanceRepository {
  const imports = db.collection<ProvenanceDocument>('listing_imports');
  return {
    async record(entries, session) {
      if (entries.length === 0) return;
      await imports.bulkWrite(
        entries.map((entry) => {
          const _id = provenanceKey(entry.source, entry.externalId);
          return { replaceOne: { filter: { _id }, replacement: { _id, ...entry }, upsert: true } };
        }),
        { session: session as ClientSession | undefined, ordered: false },
      );
    },
    async forListings(keys) {
      const ids = keys.map((key) => provenanceKey(key.source, key.externalId));
      const found = new Map<string, ImportProvenance>();
      for await (const { _id, ...entry } of imports.find({ _id: { $in: ids } })) found.set(_id, entry);
      return found;
    },
  };
}
