import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor, RequestContext } from '../../../platform/context.ts';
import { ErrorCode } from '../../../platform/errors.ts';
import { HttpError, readBody, sendHttpError, sendJson } from '../../../platform/server/http.ts';
import {
  EVIDENCE_MEDIA_TYPES,
  bytesMatchMediaType,
  mayReadEvidence,
  mayUploadEvidence,
  parseEvidenceMediaType,
  parseEvidenceName,
  type EvidenceMetadata,
} from '../domain/evidence.ts';
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
  return async function handleEvidenceHttp(
    req: IncomingMessage,
    res: ServerResponse,
    base: RequestContext,
  ): Promise<boolean> {
    const { pathname } = new URL(req.url ?? '/', 'http://cases');
    if (pathname !== EVIDENCE_PATH && !pathname.startsWith(`${EVIDENCE_PATH}/`)) return false;
    try {
      if (pathname === EVIDENCE_PATH && req.method === 'POST') await upload(req, res, base);
      else if (pathname.startsWith(`${EVIDENCE_PATH}/`) && (req.method === 'GET' || req.method === 'HEAD')) {
        await download(pathname.slice(EVIDENCE_PATH.length + 1), req, res, base);
      } else {
        throw new HttpError(
          405,
          'METHOD_NOT_ALLOWED',
          'Use POST /evidence to upload and GET /evidence/{id} to download.',
        );
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (res.headersSent || res.destroyed) return true;
      // The client may still be sending a body we refused to read; do not keep the connection.
      if (!req.complete) res.setHeader('connection', 'close');
      sendHttpError(res, error);
    }
    return true;
  };

  async function upload(req: IncomingMessage, res: ServerResponse, base: RequestContext): Promise<void> {
    const actor = signedIn(base);
    if (!mayUploadEvidence(actor))
      throw new HttpError(403, ErrorCode.Forbidden, 'Only complainants and staff upload evidence.');
    const mediaType = parseEvidenceMediaType(req.headers['content-type']);
    if (!mediaType) {
      throw new HttpError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted; ` +
          `send one of ${EVIDENCE_MEDIA_TYPES.join(', ')}.`,
      );
    }
    const name = parseEvidenceName(headerValue(req, 'x-filename'));
    if (!name) {
      throw new HttpError(
        400,
        ErrorCode.BadUserInput,
        'Send the file name in the X-Filename header (percent-encoded UTF-8, no directory, at most 200 characters).',
      );
    }
    const bytes = await readBody(req, options.maxBytes);
    if (bytes.length === 0) throw new HttpError(400, ErrorCode.BadUserInput, 'The file is empty.');
    if (!bytesMatchMediaType(mediaType, bytes)) {
      throw new HttpError(415, 'MEDIA_TYPE_MISMATCH', `The content is not ${mediaType}, as its Content-Type says.`);
    }
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
    res.writeHead(200, {
      'content-type': evidence.mediaType,
      'content-length': bytes.length,
      // Served as a download in a sandbox, never rendered as our origin's page.
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(evidence.name)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private, max-age=0',
      etag: `"${evidence.sha256}"`,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }
}

function signedIn(base: RequestContext): Actor {
  if (!base.actor) throw new HttpError(401, ErrorCode.Unauthenticated, 'Sign-in required: send a valid bearer token.');
  return base.actor;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
