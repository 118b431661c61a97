import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { GridFSBucket, type Db, type Filter, type IndexDescription } from 'mongodb';
import type { Role } from '../../../platform/context.ts';
import { ensureIndexes } from '../../../platform/store/mongo.ts';
import type { EvidenceMediaType, EvidenceMetadata } from '../domain/evidence.ts';
import type { EvidenceBlobStore, EvidenceRepository, EvidenceStore } from './evidence.ts';

export const EVIDENCE_COLLECTION = 'evidence';
export const EVIDENCE_BUCKET = 'evidence';

/** One upload's metadata as stored in MongoDB. */
export interface EvidenceDocument {
  _id: string;
  sha256: string;
  name: string;
  mediaType: EvidenceMediaType;
  size: number;
  uploadedBy: string;
  /** Absent on files stored before the role was recorded. */
  uploaderRole?: Role | null;
  uploadedAt: Date;
}

export const evidenceIndexes: Record<string, IndexDescription[]> = {
  [EVIDENCE_COLLECTION]: [{ key: { sha256: 1 }, name: 'evidence_sha256' }],
  // Not declared for the bucket: GridFS creates { filename: 1, uploadDate: 1 } on its first write,
  // which already makes "is this hash stored?" an index lookup.
};

export function toEvidenceDocument(evidence: EvidenceMetadata): EvidenceDocument {
  const { id, uploadedAt, ...rest } = evidence;
  return { _id: id, ...rest, uploadedAt: new Date(uploadedAt) };
}

export function fromEvidenceDocument(doc: EvidenceDocument): EvidenceMetadata {
  return {
    id: doc._id,
    sha256: doc.sha256,
    name: doc.name,
    mediaType: doc.mediaType,
    size: doc.size,
    uploadedBy: doc.uploadedBy,
    uploaderRole: doc.uploaderRole ?? null,
    uploadedAt: doc.uploadedAt.toISOString(),
  };
}

/** The filter for a batch of ids; exported so tests can evaluate it with mingo. */
export function evidenceByIdsFilter(ids: readonly string[]): Filter<EvidenceDocument> {
  return { _id: { $in: [...ids] } };
}

export function createMongoEvidenceRepository(db: Db): EvidenceRepository {
  const collection = db.collection<EvidenceDocument>(EVIDENCE_COLLECTION);
  return {
    async insert(evidence) {
      await collection.insertOne(toEvidenceDocument(evidence));
    },
    async findById(id) {
      const doc = await collection.findOne({ _id: id });
      return doc ? fromEvidenceDocument(doc) : null;
    },
    async findByIds(ids) {
      if (ids.length === 0) return [];
      return (await collection.find(evidenceByIdsFilter(ids)).toArray()).map(fromEvidenceDocument);
    },
    async countBySha256(sha256) {
      return collection.countDocuments({ sha256 });
    },
  };
}

/**
 * Blobs in the GridFS bucket `evidence`, one file per hash (`filename` = sha256). GridFS writes
 * the `files` document only after every chunk, so an interrupted upload is never visible under
 * its hash; its chunks are removed by `abort()`.
 */
export function createGridFsEvidenceBlobStore(db: Db): EvidenceBlobStore {
  const bucket = new GridFSBucket(db, { bucketName: EVIDENCE_BUCKET });
  const firstFile = (sha256: string) => bucket.find({ filename: sha256 }).sort({ uploadDate: 1 }).limit(1).next();
  return {
    async put(sha256, bytes) {
      if (await firstFile(sha256)) return;
      const upload = bucket.openUploadStream(sha256, { metadata: { sha256 } });
      try {
        await pipeline(Readable.from([Buffer.from(bytes)]), upload);
      } catch (error) {
        await upload.abort().catch(() => undefined);
        throw error;
      }
    },
    async read(sha256) {
      const file = await firstFile(sha256);
      if (!file) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of bucket.openDownloadStream(file._id)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    async remove(sha256) {
      for await (const file of bucket.find({ filename: sha256 })) await bucket.delete(file._id);
    },
  };
}

/**
 * Metadata in `evidence`, bytes in the GridFS bucket `evidence`. The indexes are created before
 * the first write (idempotent), so the store can be built synchronously at start.
 */
export function createMongoEvidenceStore(db: Db): EvidenceStore {
  let indexed: Promise<void> | undefined;
  const ready = () =>
    (indexed ??= ensureIndexes(db, evidenceIndexes).catch((error: unknown) => {
      indexed = undefined;
      throw error;
    }));
  const metadata = createMongoEvidenceRepository(db);
  const blobs = createGridFsEvidenceBlobStore(db);
  return {
    metadata: {
      ...metadata,
      insert: async (evidence) => {
        await ready();
        return metadata.insert(evidence);
      },
    },
    blobs: {
      ...blobs,
      put: async (sha256, bytes) => {
        await ready();
        return blobs.put(sha256, bytes);
      },
    },
  };
}
