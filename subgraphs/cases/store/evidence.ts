import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../platform/context.ts';
import {
  checkEvidenceAttachment,
  sha256Hex,
  type EvidenceMediaType,
  type EvidenceMetadata,
} from '../domain/evidence.ts';

/** The metadata rows, one per upload (two uploads of the same bytes share one blob). */
export interface EvidenceRepository {
  /** Inserts a new row; the id is new, so this never overwrites. */
  insert(evidence: EvidenceMetadata): Promise<void>;
  findById(id: string): Promise<EvidenceMetadata | null>;
  /** The rows that exist among `ids`, in no particular order. */
  findByIds(ids: readonly string[]): Promise<EvidenceMetadata[]>;
  /** How many rows point at a blob; a blob with none may be removed. */
  countBySha256(sha256: string): Promise<number>;
}

/**
 * The bytes, addressed by their SHA-256. `put` is idempotent and atomic: after it returns the
 * whole content is durable under its hash; if it fails, nothing appears under that hash.
 */
export interface EvidenceBlobStore {
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  read(sha256: string): Promise<Buffer | null>;
  remove(sha256: string): Promise<void>;
}

/** Evidence storage as the route and the case layer see it. */
export interface EvidenceStore {
  metadata: EvidenceRepository;
  blobs: EvidenceBlobStore;
}

export interface NewEvidence {
  actor: Actor;
  name: string;
  mediaType: EvidenceMediaType;
  bytes: Uint8Array;
  now: Date;
}

/**
 * Stores the bytes, then the row that points at them, so a row never names a missing blob.
 * If writing the row fails, the blob is removed again unless another row already shares it:
 * a failed upload leaves neither a record nor an orphan file behind.
 */
export async function saveEvidence(
  store: EvidenceStore,
  upload: NewEvidence,
  newId: () => string = newEvidenceId,
): Promise<EvidenceMetadata> {
  const sha256 = sha256Hex(upload.bytes);
  const evidence: EvidenceMetadata = {
    id: newId(),
    sha256,
    name: upload.name,
    mediaType: upload.mediaType,
    size: upload.bytes.byteLength,
    uploadedBy: upload.actor.id,
    uploaderRole: upload.actor.role,
    uploadedAt: upload.now.toISOString(),
  };
  await store.blobs.put(sha256, upload.bytes);
  try {
    await store.metadata.insert(evidence);
  } catch (error) {
    if ((await store.metadata.countBySha256(sha256).catch(() => 1)) === 0) {
      await store.blobs.remove(sha256).catch(() => undefined);
    }
    throw error;
  }
  return evidence;
}

export function newEvidenceId(): string {
  return `ev_${randomUUID()}`;
}

/**
 * For the `submitCase` and `addEvidence` commands (commands.ts): loads the files behind `evidenceIds` and checks
 * that each exists, is named once and may be attached by the actor to a case of
 * `caseComplainantId` (`mayAttachEvidence`). Returns their metadata in the requested order;
 * throws BAD_USER_INPUT (with `argumentPath`) or FORBIDDEN.
 */
export async function resolveEvidenceForCase(
  repository: EvidenceRepository,
  actor: Actor,
  caseComplainantId: string,
  evidenceIds: readonly string[],
  argumentPath = 'evidenceIds',
): Promise<EvidenceMetadata[]> {
  if (evidenceIds.length === 0) return [];
  const found = await repository.findByIds([...new Set(evidenceIds)]);
  return checkEvidenceAttachment(actor, caseComplainantId, evidenceIds, found, argumentPath);
}
