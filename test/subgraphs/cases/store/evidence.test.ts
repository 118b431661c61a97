import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { connectMongo } from '../../../../platform/store/mongo.ts';
import { sha256Hex, type EvidenceMetadata } from '../../../../subgraphs/cases/domain/evidence.ts';
import {
  resolveEvidenceForCase,
  saveEvidence,
  type EvidenceStore,
} from '../../../../subgraphs/cases/store/evidence.ts';
import {
  createFileEvidenceBlobStore,
  createSqliteEvidenceStore,
} from '../../../../subgraphs/cases/store/evidence-sqlite.ts';
import {
  createMongoEvidenceStore,
  evidenceByIdsFilter,
  toEvidenceDocument,
} from '../../../../subgraphs/cases/store/evidence-mongo.ts';
import { SAMPLES } from '../evidence-samples.ts';

const NOW = new Date('2026-10-01T08:00:00.000Z');
const complainant = { id: 'user-1', role: 'complainant' as const };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-evidence-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What every evidence store (metadata + blobs) must do; run once per adapter. */
function describeEvidenceStoreContract(
  name: string,
  makeStore: () => Promise<{ store: EvidenceStore; close(): Promise<void> }>,
) {
  const maybe = name === 'mongo' && !process.env.MONGODB_URI ? describe.skip : describe;
  maybe(`EvidenceStore contract (${name})`, () => {
    let store: EvidenceStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await makeStore());
    });
    afterEach(async () => close());

    test('saved evidence reads back with its metadata and exact bytes', async () => {
      const saved = await saveEvidence(store, {
        actor: complainant,
        name: '发票.pdf',
        mediaType: 'application/pdf',
        bytes: SAMPLES.pdf,
        now: NOW,
      });
      expect(await store.metadata.findById(saved.id)).toEqual({
        id: saved.id,
        sha256: sha256Hex(SAMPLES.pdf),
        name: '发票.pdf',
        mediaType: 'application/pdf',
        size: SAMPLES.pdf.length,
        uploadedBy: 'user-1',
        uploaderRole: 'complainant',
        uploadedAt: NOW.toISOString(),
      });
      expect(await store.blobs.read(saved.sha256)).toEqual(SAMPLES.pdf);
    });
    test('the same bytes uploaded twice make two records sharing one blob', async () => {
      const first = await saveEvidence(store, {
        actor: complainant,
        name: 'a.png',
        mediaType: 'image/png',
        bytes: SAMPLES.png,
        now: NOW,
      });
      const second = await saveEvidence(store, {
        actor: complainant,
        name: 'b.png',
        mediaType: 'image/png',
        bytes: SAMPLES.png,
        now: NOW,
      });
      expect(first.id).not.toBe(second.id);
      expect(await store.metadata.countBySha256(first.sha256)).toBe(2);
      expect(await store.blobs.read(first.sha256)).toEqual(SAMPLES.png);
    });
    test('findByIds returns only the ids that exist', async () => {
      const saved = await saveEvidence(store, {
        actor: complainant,
        name: 'a.txt',
        mediaType: 'text/plain',
        bytes: SAMPLES.text,
        now: NOW,
      });
      expect((await store.metadata.findByIds([saved.id, 'ev_missing'])).map((e) => e.id)).toEqual([saved.id]);
    });
    test('an unknown id or hash reads as null', async () => {
      expect(await store.metadata.findById('ev_missing')).toBeNull();
      expect(await store.blobs.read('0'.repeat(64))).toBeNull();
    });
    test('a failure before any write stores nothing', async () => {
      await expect(
        saveEvidence(
          store,
          { actor: complainant, name: 'x.jpg', mediaType: 'image/jpeg', bytes: SAMPLES.jpeg, now: NOW },
          () => {
            throw new Error('id generator failed');
          },
        ),
      ).rejects.toThrow('id generator failed');
      expect(await store.blobs.read(sha256Hex(SAMPLES.jpeg))).toBeNull();
    });
    test('a duplicate id insert fails and leaves no orphan blob', async () => {
      await saveEvidence(
        store,
        { actor: complainant, name: 'a.txt', mediaType: 'text/plain', bytes: SAMPLES.text, now: NOW },
        () => 'ev_fixed',
      );
      await expect(
        saveEvidence(
          store,
          { actor: complainant, name: 'b.webp', mediaType: 'image/webp', bytes: SAMPLES.webp, now: NOW },
          () => 'ev_fixed',
        ),
      ).rejects.toThrow();
      expect(await store.blobs.read(sha256Hex(SAMPLES.webp))).toBeNull();
      expect(await store.blobs.read(sha256Hex(SAMPLES.text))).toEqual(SAMPLES.text);
    });
    test('resolveEvidenceForCase returns the metadata of the actor’s own uploads', async () => {
      const saved = await saveEvidence(store, {
        actor: complainant,
        name: 'a.txt',
        mediaType: 'text/plain',
        bytes: SAMPLES.text,
        now: NOW,
      });
      expect(await resolveEvidenceForCase(store.metadata, complainant, complainant.id, [saved.id])).toEqual([saved]);
      await expect(
        resolveEvidenceForCase(store.metadata, complainant, complainant.id, ['ev_nope'], 'input.evidenceIds'),
      ).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', argumentPath: 'input.evidenceIds.0' },
      });
    });
  });
}

let counter = 0;
describeEvidenceStoreContract('sqlite', async () => {
  const dataDir = join(dir, `contract-${counter++}`);
  const db = openSqlite(join(dataDir, 'cases.db'));
  return { store: createSqliteEvidenceStore(db, dataDir), close: async () => db.close() };
});
describeEvidenceStoreContract('mongo', async () => {
  const { client, db } = await connectMongo(
    process.env.MONGODB_URI!,
    `weiquan_evidence_test_${process.pid}_${counter++}`,
  );
  return {
    store: createMongoEvidenceStore(db),
    close: async () => {
      await db.dropDatabase();
      await client.close();
    },
  };
});

describe('file blob store layout', () => {
  test('a blob lands at evidence/ab/cd/<sha256> with no temp file left over', async () => {
    const root = join(dir, 'layout');
    const blobs = createFileEvidenceBlobStore(root);
    const sha = sha256Hex(SAMPLES.png);
    await blobs.put(sha, SAMPLES.png);
    const path = join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
    expect(statSync(path).size).toBe(SAMPLES.png.length);
    expect(readdirSync(join(root, '.incoming'))).toEqual([]);
  });
  test('putting an existing hash again leaves the stored file untouched', async () => {
    const root = join(dir, 'dedupe');
    const blobs = createFileEvidenceBlobStore(root);
    const sha = sha256Hex(SAMPLES.pdf);
    await blobs.put(sha, SAMPLES.pdf);
    const path = join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
    const before = statSync(path).mtimeMs;
    await blobs.put(sha, SAMPLES.pdf);
    expect(statSync(path).mtimeMs).toBe(before);
  });
  test('removing a blob deletes its file', async () => {
    const root = join(dir, 'remove');
    const blobs = createFileEvidenceBlobStore(root);
    const sha = sha256Hex(SAMPLES.text);
    await blobs.put(sha, SAMPLES.text);
    await blobs.remove(sha);
    expect(existsSync(join(root, sha.slice(0, 2), sha.slice(2, 4), sha))).toBe(false);
  });
});

describe('the MongoDB evidence filter, evaluated with mingo', () => {
  test('selects the same rows by id as the SQLite adapter', async () => {
    const dataDir = join(dir, 'mingo');
    const db = openSqlite(join(dataDir, 'cases.db'));
    const store = createSqliteEvidenceStore(db, dataDir);
    const saved: EvidenceMetadata[] = [];
    for (const [i, bytes] of [SAMPLES.png, SAMPLES.pdf, SAMPLES.text].entries()) {
      saved.push(
        await saveEvidence(store, { actor: complainant, name: `f${i}`, mediaType: 'text/plain', bytes, now: NOW }),
      );
    }
    const wanted = [saved[0].id, saved[2].id, 'ev_missing'];
    const docs = saved.map(toEvidenceDocument);
    const viaMingo = docs.filter((doc) =>
      new Query(evidenceByIdsFilter(wanted) as Record<string, unknown>).test(doc as unknown as Record<string, unknown>),
    );
    const viaSqlite = await store.metadata.findByIds(wanted);
    expect(viaMingo.map((d) => d._id).sort()).toEqual(viaSqlite.map((e) => e.id).sort());
    db.close();
  });
});
