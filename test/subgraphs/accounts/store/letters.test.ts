/** The letter store contract, run against every adapter (MongoDB when MONGODB_URI is set). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMongo } from '../../../../platform/store/mongo.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import type { LetterRecord } from '../../../../subgraphs/accounts/domain/letters.ts';
import { createMongoLetterStore } from '../../../../subgraphs/accounts/store/letters-mongo.ts';
import { createSqliteLetterStore } from '../../../../subgraphs/accounts/store/letters-sqlite.ts';
import type { LetterStore } from '../../../../subgraphs/accounts/store/letters.ts';

const bytes = Buffer.from('%PDF-1.7\n授权委托书\n');
const letter = (id: string, accountId: string): LetterRecord => ({
  id,
  accountId,
  name: '授权委托书.pdf',
  mediaType: 'application/pdf',
  size: bytes.length,
  sha256: 'a'.repeat(64),
  uploadedAt: new Date(Date.UTC(2026, 10, 20, 8)),
});

function describeContract(name: string, open: () => Promise<LetterStore>) {
  describe(`LetterStore contract (${name})`, () => {
    let store: LetterStore;
    beforeEach(async () => {
      store = await open();
    });

    test('a letter comes back with its bytes; its metadata alone without them', async () => {
      await store.insert(letter('l1', 'a1'), bytes);
      expect(await store.metadata('l1')).toEqual(letter('l1', 'a1'));
      expect(await store.content('l1')).toEqual({ letter: letter('l1', 'a1'), bytes });
      expect(await store.metadata('nope')).toBeNull();
      expect(await store.content('nope')).toBeNull();
    });

    test("purging an account keeps the letters asked for and other accounts' letters", async () => {
      for (const [id, account] of [
        ['l1', 'a1'],
        ['l2', 'a1'],
        ['l3', 'a2'],
      ]) {
        await store.insert(letter(id, account), bytes);
      }
      await store.purgeAccount('a1', ['l2']);
      expect(await store.metadata('l1')).toBeNull();
      expect(await store.metadata('l2')).not.toBeNull();
      expect(await store.metadata('l3')).not.toBeNull();
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'weiquan-letters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
describeContract('sqlite', async () => createSqliteLetterStore(openSqlite(join(dir, `accounts-${++n}.db`))));

const uri = process.env.MONGODB_URI;
if (uri) {
  describeContract('mongodb', async () => {
    const { db } = await connectMongo(uri, `weiquan_letters_test_${process.pid}_${++n}`);
    await db.dropDatabase();
    return createMongoLetterStore(db);
  });
} else {
  describe.skip('LetterStore contract (mongodb): set MONGODB_URI to run', () => {
    test('skipped', () => undefined);
  });
}
