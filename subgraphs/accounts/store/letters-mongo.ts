import { Binary, type Db, type IndexDescription } from 'mongodb';
import type { LetterRecord } from '../domain/letters.ts';
import type { LetterStore } from './letters.ts';

export const LETTERS_COLLECTION = 'representation_letters';

type LetterDocument = Omit<LetterRecord, 'id'> & { _id: string; bytes: Binary };

export const LETTER_INDEXES: Record<string, IndexDescription[]> = {
  [LETTERS_COLLECTION]: [{ key: { accountId: 1 }, name: 'representation_letters_account' }],
};

const toRecord = ({ _id, bytes: _bytes, ...letter }: LetterDocument): LetterRecord => ({ ...letter, id: _id });

export function createMongoLetterStore(db: Db): LetterStore {
  const letters = db.collection<LetterDocument>(LETTERS_COLLECTION);
  return {
    async insert({ id, ...letter }, bytes) {
      await letters.insertOne({ ...letter, _id: id, bytes: new Binary(bytes) });
    },
    async metadata(id) {
      const doc = await letters.findOne({ _id: id }, { projection: { bytes: 0 } });
      return doc ? toRecord(doc) : null;
    },
    async content(id) {
      const doc = await letters.findOne({ _id: id });
      return doc ? { letter: toRecord(doc), bytes: Buffer.from(doc.bytes.buffer) } : null;
    },
    async purgeAccount(accountId, keep) {
      await letters.deleteMany({ accountId, _id: { $nin: [...keep] } });
    },
  };
}
