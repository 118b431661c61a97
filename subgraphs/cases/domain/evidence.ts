import type { UploadMediaType } from '../../../platform/uploads/files.ts';
import { badUserInput, forbidden } from '../../../platform/errors.ts';
import { Role, type Actor } from '../../../platform/context.ts';

export {
  UploadMediaType as EvidenceMediaType,
  UPLOAD_MEDIA_TYPES as EVIDENCE_MEDIA_TYPES,
  MAX_UPLOAD_NAME_LENGTH as MAX_EVIDENCE_NAME_LENGTH,
  SHA256_PATTERN,
  bytesMatchMediaType,
  blobRelativePath as evidenceBlobRelativePath,
  parseUploadMediaType as parseEvidenceMediaType,
  parseUploadName as parseEvidenceName,
  sha256Hex,
} from '../../../platform/uploads/files.ts';

/** The stored description of one uploaded file; the bytes live in the blob store under `sha256`. */
export interface EvidenceMetadata {
  id: string;
  /** Lower-case hex SHA-256 of the bytes: the content address. */
  sha256: string;
  /** The file name the uploader gave, without any directory part. */
  name: string;
  mediaType: UploadMediaType;
  size: number;
  /** Actor id of the uploader. */
  uploadedBy: string;
  /**
   * The uploader's role: ids are unique only within a role, so "the uploader" is id and role.
   * Null for files stored before the role was recorded (then the id alone decides).
   */
  uploaderRole: Role | null;
  /** ISO-8601 instant. */
  uploadedAt: string;
}

/** Who may upload evidence: the complainant preparing or completing a case, and staff. */
export function mayUploadEvidence(actor: Actor): boolean {
  return actor.role === Role.Complainant || actor.role === Role.Staff;
}

/**
 * Who may read a file back: staff, its uploader, and anyone the caller says may see a case the
 * file is attached to (`viewableViaCase`: the case layer decides, e.g. the case's complainant).
 */
export function mayReadEvidence(actor: Actor, evidence: EvidenceMetadata, viewableViaCase: boolean): boolean {
  return actor.role === Role.Staff || isUploader(actor, evidence) || viewableViaCase;
}

/**
 * Whether `actor` uploaded the file: same id and same role (a complainant never passes for a
 * staff member of that id).
 */
export function isUploader(actor: Actor, evidence: EvidenceMetadata): boolean {
  return evidence.uploadedBy === actor.id && (evidence.uploaderRole === null || evidence.uploaderRole === actor.role);
}

/**
 * Whether `actor` may attach a file to a case filed by `caseComplainantId`: their own upload; for
 * staff, also a file staff uploaded or the case's own complainant did. Never another complainant's
 * file: everyone who may read the case could then download it.
 */
export function mayAttachEvidence(actor: Actor, evidence: EvidenceMetadata, caseComplainantId: string): boolean {
  if (isUploader(actor, evidence)) return true;
  if (actor.role !== Role.Staff) return false;
  if (evidence.uploaderRole === Role.Staff) return true;
  return (
    evidence.uploadedBy === caseComplainantId &&
    (evidence.uploaderRole === null || evidence.uploaderRole === Role.Complainant)
  );
}

/**
 * Checks the evidence ids attached to a case filed by `caseComplainantId` (for `submitCase` and
 * `addEvidence`): every id must exist, appear once, and be a file the actor may attach
 * (`mayAttachEvidence`), so nobody can attach someone else's file by guessing its id. Returns the
 * metadata in the requested order. `argumentPath` is where the ids came from, e.g. `input.evidenceIds`.
 */
export function checkEvidenceAttachment(
  actor: Actor,
  caseComplainantId: string,
  requestedIds: readonly string[],
  found: readonly EvidenceMetadata[],
  argumentPath = 'evidenceIds',
): EvidenceMetadata[] {
  const byId = new Map(found.map((evidence) => [evidence.id, evidence]));
  const seen = new Set<string>();
  return requestedIds.map((id, index) => {
    const path = `${argumentPath}.${index}`;
    if (seen.has(id)) throw badUserInput(path, 'each evidence id at most once', id);
    seen.add(id);
    const evidence = byId.get(id);
    if (!evidence) throw badUserInput(path, 'the id of a file uploaded through POST /evidence', id);
    if (!mayAttachEvidence(actor, evidence, caseComplainantId)) {
      throw forbidden(
        actor.role === Role.Staff
          ? `Evidence "${id}" was uploaded by another complainant; ` +
              "attach files staff uploaded or this case's complainant did."
          : `Evidence "${id}" was uploaded by someone else; attach only your own files.`,
      );
    }
    return evidence;
  });
}
