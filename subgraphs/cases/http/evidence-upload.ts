import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor, RequestContext } from '../../../platform/context.ts';
import { ErrorCode } from '../../../platform/errors.ts';
import { HttpError, sendJson } from '../../../platform/server/http.ts';
import { readCheckedUpload, sendStoredUpload, uploadRoute } from '../../../platform/uploads/http.ts';
import { mayReadEvidence, mayUploadEvidence, type EvidenceMetadata } from '../domain/evidence.ts';
import { saveEvidence, type EvidenceStore } from '../store/evidence.ts';

export const EVIDENCE_PATH = '/evidence';

export interface EvidenceHttpOptions {
  store: EvidenceStore;
  maxBytes: number;
  now?: () => Date;
  /**
   * Whether `actor` may see a case that `evidence` is attached to (the case's complainant, or
   * the respondent's representative once forwarded). The case layer answers; without it, only
   * staff and the uploader may read a file.
   */
  viewableViaCase?: (actor: Actor, evidence: EvidenceMetadata) => Promise<boolean>;
}

/**
 * The evidence routes of the cases subgraph, for `SubgraphDefinition.handleHttp`:
 *
 * - `POST /evidence`: the raw file as the body, its type in `content-type` (one of
 *   EVIDENCE_MEDIA_TYPES) and its percent-encoded name in `x-filename`. Answers 201
 *   `{ id, sha256, size, mediaType, name }`; 401 anonymous, 403 a role that may not upload,
 *   400 no usable name / empty or truncated body, 413 too large, 415 a type not allowed or
 *   bytes that are not of the declared type. The body is read in full and checked before
 *   anything is written, so a refused upload leaves nothing behind.
 * - `GET /evidence/:id`: the file, for staff, its uploader and those who may see its case.
 *
 * Errors have the JSON shape `{ errors: [{ message, extensions: { code } }] }`.
 */
export function createEvidenceHttpHandler(options: EvidenceHttpOptions) {
  const now = options.now ?? (() => new Date());
  return uploadRoute<RequestContext>(EVIDENCE_PATH, { upload, download });

  async function upload(req: IncomingMessage, res: ServerResponse, base: RequestContext): Promise<void> {
    const actor = signedIn(base);
    if (!mayUploadEvidence(actor))
      throw new HttpError(403, ErrorCode.Forbidden, 'Only complainants and staff upload evidence.');
    const { name, mediaType, bytes } = await readCheckedUpload(req, options.maxBytes);
    const evidence = await saveEvidence(options.store, { actor, name, mediaType, bytes, now: now() });
    base.logger.info({ evidenceId: evidence.id, sha256: evidence.sha256, size: evidence.size }, 'evidence stored');
    sendJson(
      res,
      201,
      {
        id: evidence.id,
        sha256: evidence.sha256,
        size: evidence.size,
        mediaType: evidence.mediaType,
        name: evidence.name,
      },
      { location: `${EVIDENCE_PATH}/${encodeURIComponent(evidence.id)}` },
    );
  }

  async function download(id: string, req: IncomingMessage, res: ServerResponse, base: RequestContext): Promise<void> {
    const actor = signedIn(base);
    // Our ids are URL-safe (`ev_<uuid>`); anything else cannot name a stored file.
    const evidence = /^[\w-]{1,100}$/.test(id) ? await options.store.metadata.findById(id) : null;
    if (!evidence) throw new HttpError(404, ErrorCode.NotFound, `Evidence "${id}" was not found.`);
    const viaCase = options.viewableViaCase ? await options.viewableViaCase(actor, evidence) : false;
    if (!mayReadEvidence(actor, evidence, viaCase)) {
      throw new HttpError(
        403,
        ErrorCode.Forbidden,
        'Only staff, the uploader and the parties to its case may read this evidence.',
      );
    }
    const bytes = await options.store.blobs.read(evidence.sha256);
    if (!bytes) throw new HttpError(404, ErrorCode.NotFound, `The content of evidence "${id}" is missing.`);
    sendStoredUpload(req, res, { ...evidence, bytes });
  }
}

function signedIn(base: RequestContext): Actor {
  if (!base.actor) throw new HttpError(401, ErrorCode.Unauthenticated, 'Sign-in required: send a valid bearer token.');
  return base.actor;
}
