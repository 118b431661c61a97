import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.ts';

export class HttpError extends Error {
  readonly status: number;
  /** One of the closed set, so an HTTP route cannot invent a code clients do not know. */
  readonly code: ErrorCode;
  constructor(status: number, code: ErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * How much of a body past its limit is read and thrown away so the client, which sends before it
 * reads, finishes sending and reads the 413 (an answer sent while it is still sending reaches it
 * as a connection reset). A client that goes on past this is cut off.
 */
export const MAX_DISCARDED_BYTES = 32 * 1024 * 1024;

function tooLarge(maxBytes: number, declared?: number): HttpError {
  const size = declared === undefined ? 'exceeds' : `is ${declared} bytes, over`;
  return new HttpError(413, ErrorCode.PayloadTooLarge, `The body ${size} the limit of ${maxBytes} bytes.`);
}

/**
 * Reads a request body, refusing more than `maxBytes` (413) and a client that stops mid-body (400).
 * A body over the limit, declared so or found so as it streams (chunked), is read to its end
 * without being kept, then refused: answering while the client still sends would reach it (or
 * the gateway forwarding it) as a reset. One declared past MAX_DISCARDED_BYTES more is refused at once.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const declaredTooLarge = Number.isFinite(declared) && declared > maxBytes;
  if (declaredTooLarge && declared > maxBytes + MAX_DISCARDED_BYTES) throw tooLarge(maxBytes, declared);
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes + MAX_DISCARDED_BYTES) {
        reject(tooLarge(maxBytes));
        req.destroy();
      } else if (size > maxBytes || declaredTooLarge) {
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (declaredTooLarge) reject(tooLarge(maxBytes, declared));
      else if (size > maxBytes) reject(tooLarge(maxBytes));
      else if (Number.isFinite(declared) && declared !== size) {
        reject(
          new HttpError(400, ErrorCode.TruncatedBody, `The body ended after ${size} of ${declared} declared bytes.`),
        );
      } else resolve(Buffer.concat(chunks));
    });
    req.on('aborted', () => reject(new HttpError(400, ErrorCode.TruncatedBody, 'The client aborted the upload.')));
    req.on('error', reject);
  });
}

/**
 * A request's target (`req.url`) parsed and normalised (`..` and `%2e%2e` segments resolved).
 * One that does not parse (`//a:b` reads as an authority with a bad port) is refused with 400
 * BAD_USER_INPUT: parsed once, where the request enters, by the gateway and every subgraph.
 */
export function requestTarget(rawUrl: string): URL {
  const url = URL.parse(rawUrl, 'http://request.invalid');
  if (!url)
    throw new HttpError(
      400,
      ErrorCode.BadUserInput,
      'The request target is not a valid URL path; expected an absolute path such as /graphql.',
    );
  return url;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** The JSON error body every non-GraphQL endpoint uses, shaped like a GraphQL error for one client code path. */
export function sendHttpError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
}
