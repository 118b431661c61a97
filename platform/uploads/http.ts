import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.ts';
import { HttpError, readBody, sendHttpError } from '../server/http.ts';
import {
  UPLOAD_MEDIA_TYPES,
  bytesMatchMediaType,
  parseUploadMediaType,
  parseUploadName,
  type UploadMediaType,
} from './files.ts';

/** An upload as read and checked, before anything is written. */
export interface CheckedUpload {
  name: string;
  mediaType: UploadMediaType;
  bytes: Buffer;
}

/**
 * Reads an upload sent as the raw body: its type in `content-type` (one of UPLOAD_MEDIA_TYPES), its
 * percent-encoded name in `x-filename`. The body is read in full (at most `maxBytes`, else 413) and
 * its magic number checked against the declared type before the caller writes anything, so a
 * refused upload leaves nothing behind. Throws HttpError: 415 a type not allowed or bytes that are
 * not of the declared type, 400 no usable name or an empty body. Shared by the case evidence and
 * the representatives' authorisation letters, so both refuse the same files.
 */
export async function readCheckedUpload(req: IncomingMessage, maxBytes: number): Promise<CheckedUpload> {
  const mediaType = parseUploadMediaType(req.headers['content-type']);
  if (!mediaType) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted; ` +
        `send one of ${UPLOAD_MEDIA_TYPES.join(', ')}.`,
    );
  }
  const name = parseUploadName(headerValue(req, 'x-filename'));
  if (!name) {
    throw new HttpError(
      400,
      ErrorCode.BadUserInput,
      'Send the file name in the X-Filename header (percent-encoded UTF-8, no directory, at most 200 characters).',
    );
  }
  const bytes = await readBody(req, maxBytes);
  if (bytes.length === 0) throw new HttpError(400, ErrorCode.BadUserInput, 'The file is empty.');
  if (!bytesMatchMediaType(mediaType, bytes)) {
    throw new HttpError(415, 'MEDIA_TYPE_MISMATCH', `The content is not ${mediaType}, as its Content-Type says.`);
  }
  return { name, mediaType, bytes };
}

/**
 * Sends a stored upload back as a download in a sandbox, never rendered as our origin's page
 * (`attachment`, `nosniff`, a sandboxing CSP), private to the caller's cache.
 */
export function sendStoredUpload(
  req: IncomingMessage,
  res: ServerResponse,
  file: { mediaType: string; name: string; sha256: string; bytes: Buffer },
): void {
  res.writeHead(200, {
    'content-type': file.mediaType,
    'content-length': file.bytes.length,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
    'cache-control': 'private, max-age=0',
    etag: `"${file.sha256}"`,
  });
  res.end(req.method === 'HEAD' ? undefined : file.bytes);
}

/** A header's first value. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What an upload route does once it knows the request is one of its own. */
export interface UploadRouteHandlers<Ctx> {
  upload(req: IncomingMessage, res: ServerResponse, context: Ctx): Promise<void>;
  download(id: string, req: IncomingMessage, res: ServerResponse, context: Ctx): Promise<void>;
}

/**
 * The route shape shared by the case evidence and the authorisation letters: `POST path` uploads,
 * `GET|HEAD path/{id}` downloads, any other method is 405. An HttpError becomes its JSON answer;
 * anything else propagates to the server's error mapping. Resolves false for a path not its own.
 */
export function uploadRoute<Ctx>(path: string, handlers: UploadRouteHandlers<Ctx>) {
  return async function handleUploadRoute(req: IncomingMessage, res: ServerResponse, context: Ctx): Promise<boolean> {
    const { pathname } = new URL(req.url ?? '/', 'http://upload');
    if (pathname !== path && !pathname.startsWith(`${path}/`)) return false;
    try {
      if (pathname === path && req.method === 'POST') await handlers.upload(req, res, context);
      else if (pathname.startsWith(`${path}/`) && (req.method === 'GET' || req.method === 'HEAD')) {
        await handlers.download(pathname.slice(path.length + 1), req, res, context);
      } else {
        throw new HttpError(
          405,
          ErrorCode.MethodNotAllowed,
          `Use POST ${path} to upload and GET ${path}/{id} to download.`,
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
}
