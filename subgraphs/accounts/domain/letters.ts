import { Role, type Actor } from '../../../platform/context.ts';
import type { UploadMediaType } from '../../../platform/uploads/files.ts';

/**
 * A representative's authorisation letter: the evidence staff read before approving a request to
 * represent an enterprise. Uploaded by the requesting account (POST /representation-letters, the
 * same types, size limit and content sniffing as case evidence), attached to its request, and
 * readable by that account and the desk (staff, admin) only.
 */
export interface LetterRecord {
  /** `letter_<uuid>`. */
  id: string;
  /** The account that uploaded it. */
  accountId: string;
  name: string;
  mediaType: UploadMediaType;
  size: number;
  sha256: string;
  uploadedAt: Date;
}

/** Staff and admins read any letter (they decide on it); an account reads its own, in any of its sessions. */
export function mayReadLetter(actor: Actor, letter: LetterRecord): boolean {
  if (actor.role === Role.Staff || actor.role === Role.Admin) return true;
  return (actor.role === Role.Complainant || actor.role === Role.Enterprise) && actor.id === letter.accountId;
}
