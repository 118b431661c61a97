import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Role, type Actor, type RequestContext } from '../../../platform/context.ts';
import { ErrorCode } from '../../../platform/errors.ts';
import { HttpError, sendJson } from '../../../platform/server/http.ts';
import { sha256Hex } from '../../../platform/uploads/files.ts';
import { readCheckedUpload, sendStoredUpload, uploadRoute } from '../../../platform/uploads/http.ts';
import { AccountRole } from '../domain/account.ts';
import { mayReadLetter, type LetterRecord } from '../domain/letters.ts';
import type { AccountStore } from '../store/accounts.ts';
import type { LetterStore } from '../store/letters.ts';

export const LETTERS_PATH = '/representation-letters';

export interface LetterHttpOptions {
  accounts: AccountStore;
  letters: LetterStore;
  /** EVIDENCE_MAX_BYTES: letters are evidence, with evidence's limit. */
  maxBytes: number;
  now: () => Date;
}

/**
 * The authorisation letters' routes on the accounts subgraph (and on the gateway's origin):
 *
 * - `POST /representation-letters`: a signed-in complainant account (or one of its representative
 *   sessions) uploads a letter, sent exactly as evidence is (platform/uploads/http.ts: the raw file,
 *   `content-type` one of the evidence types, checked against its magic number, `x-filename`, at
 *   most EVIDENCE_MAX_BYTES). Answers 201 `{ id, sha256, size, mediaType, name }`; the id then goes
 *   to `requestRepresentation(letterId:)`.
 * - `GET /representation-letters/:id`: the file, for its uploader and the desk (staff, admin);
 *   anyone else gets the 404 an unknown id gets, so ids cannot be probed.
 */
export function createLetterHttpHandler(options: LetterHttpOptions) {
  return uploadRoute<RequestContext>(LETTERS_PATH, { upload, download });

  async function upload(req: IncomingMessage, res: ServerResponse, base: RequestContext): Promise<void> {
    const actor = signedIn(base);
    const account =
      actor.role === Role.Complainant || actor.role === Role.Enterprise
        ? await options.accounts.accountById(actor.id)
        : null;
    if (!account || account.deletedAt || account.role !== AccountRole.Complainant) {
      throw new HttpError(
        403,
        ErrorCode.Forbidden,
        'Only a signed-in complainant account uploads an authorisation letter (for its own representation request).',
      );
    }
    const { name, mediaType, bytes } = await readCheckedUpload(req, options.maxBytes);
    const letter: LetterRecord = {
      id: `letter_${randomUUID()}`,
      accountId: account.id,
      name,
      mediaType,
      size: bytes.length,
      sha256: sha256Hex(bytes),
      uploadedAt: options.now(),
    };
    await options.letters.insert(letter, bytes);
    base.logger.info({ letterId: letter.id, accountId: account.id, size: letter.size }, 'authorisation letter stored');
    sendJson(
      res,
      201,
      { id: letter.id, sha256: letter.sha256, size: letter.size, mediaType: letter.mediaType, name: letter.name },
      { location: `${LETTERS_PATH}/${encodeURIComponent(letter.id)}` },
    );
  }

  async function download(id: string, req: IncomingMessage, res: ServerResponse, base: RequestContext): Promise<void> {
    const actor = signedIn(base);
    const stored = /^[\w-]{1,100}$/.test(id) ? await options.letters.content(id) : null;
    // Someone else's letter answers as an unknown one: its existence is not theirs to learn.
    if (!stored || !mayReadLetter(actor, stored.letter)) {
      throw new HttpError(404, ErrorCode.NotFound, `Authorisation letter "${id}" was not found.`);
    }
    sendStoredUpload(req, res, { ...stored.letter, bytes: stored.bytes });
  }
}

function signedIn(base: RequestContext): Actor {
  if (!base.actor) throw new HttpError(401, ErrorCode.Unauthenticated, 'Sign-in required: send a valid bearer token.');
  return base.actor;
}
