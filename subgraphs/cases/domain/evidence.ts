import { createHash } from 'node:crypto';
import { badUserInput, forbidden } from '../../../platform/errors.ts';
import { Role, type Actor } from '../../../platform/context.ts';

/**
 * What a complainant may upload as evidence: receipts and screenshots (images), contracts (PDF)
 * and chat transcripts (plain text). Everything else is refused, so no executable or archive
 * ever sits in our store to be served back to staff.
 */
export const EvidenceMediaType = {
  Jpeg: 'image/jpeg',
  Png: 'image/png',
  Webp: 'image/webp',
  Pdf: 'application/pdf',
  Text: 'text/plain',
} as const;
export type EvidenceMediaType = (typeof EvidenceMediaType)[keyof typeof EvidenceMediaType];
export const EVIDENCE_MEDIA_TYPES = Object.values(EvidenceMediaType) as EvidenceMediaType[];

/** The stored description of one uploaded file; the bytes live in the blob store under `sha256`. */
export interface EvidenceMetadata {
  id: string;
  /** Lower-case hex SHA-256 of the bytes: the content address. */
  sha256: string;
  /** The file name the uploader gave, without any directory part. */
  name: string;
  mediaType: EvidenceMediaType;
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

/** `image/PNG; charset=x` → `image/png`; null when the header names no type we accept. */
export function parseEvidenceMediaType(header: string | undefined): EvidenceMediaType | null {
  if (!header) return null;
  const bare = header.split(';')[0].trim().toLowerCase();
  return (EVIDENCE_MEDIA_TYPES as string[]).includes(bare) ? (bare as EvidenceMediaType) : null;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/**
 * Whether the bytes are what the uploader says they are, by their magic number. The declared
 * type alone is the client's word; a mislabelled file could be served back to staff as
 * something it is not. Plain text has no magic number: it must decode as UTF-8 without NULs.
 */
export function bytesMatchMediaType(mediaType: EvidenceMediaType, bytes: Uint8Array): boolean {
  switch (mediaType) {
    case EvidenceMediaType.Jpeg:
      return startsWith(bytes, [0xff, 0xd8, 0xff]);
    case EvidenceMediaType.Png:
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case EvidenceMediaType.Webp:
      return startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8);
    case EvidenceMediaType.Pdf:
      return startsWith(bytes, ascii('%PDF-'));
    case EvidenceMediaType.Text:
      return isPlainUtf8Text(bytes);
  }
}

function isPlainUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export const MAX_EVIDENCE_NAME_LENGTH = 200;

/**
 * The `x-filename` header as a safe display name. HTTP headers carry Latin-1 only, so clients
 * percent-encode other characters (`%E5%8F%91%E7%A5%A8.jpg` for 发票.jpg). Any directory part
 * is dropped; control characters and empty names are refused. Null when unusable.
 */
export function parseEvidenceName(header: string | undefined): string | null {
  if (header === undefined) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return null;
  }
  const base = (decoded.split(/[\\/]/).pop() ?? '').normalize('NFC').trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: names with control characters are refused
  if (base === '' || base === '.' || base === '..' || /[\u0000-\u001f\u007f]/.test(base)) return null;
  if ([...base].length > MAX_EVIDENCE_NAME_LENGTH) return null;
  return base;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Where a blob lives under the evidence directory: two levels of fan-out (`ab/cd/abcd…`) keep
 * any one directory small even with millions of files.
 */
export function evidenceBlobRelativePath(sha256: string): string[] {
  if (!SHA256_PATTERN.test(sha256)) throw new RangeError(`Not a SHA-256 hex digest: ${sha256}`);
  return [sha256.slice(0, 2), sha256.slice(2, 4), sha256];
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
 * Whether `actor` uploaded the file: same id and same role (a complainant never passes for a staff
 * member of that id).
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
