import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.ts';
import { HttpError, readBody } from '../server/http.ts';
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
