import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Fault,
  FaultKind,
  type FixtureDataset,
  type FixtureServer,
  type FixtureServerOptions,
  type FixtureTarget,
  type RequestLogEntry,
} from './types.ts';

/**
 * How every fake site answers: the fault picked for a request, the request log, ETag and
 * Last-Modified with 304s, and the faults that replace an answer (errors, resets, hangs, login walls).
 */

export const LAST_MODIFIED = 'Mon, 19 Jan 2026 00:00:00 GMT';

/** One request as a fake source's handler sees it. */
export interface FixtureRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: string;
  /** The list page asked for (`page` or `pageNo`, 1 when absent). */
  page: number;
  body: string;
}

export interface Responder {
  setFaults(list: Fault[]): void;
  takeFault(target: FixtureTarget, page: number | null, id: string | null): Fault | null;
  /** Answers (or applies a body fault); always true, so a handler can `return send(…)` as "handled". */
  send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: string,
    type: string,
    fault: Fault | null,
  ): true;
  /** Faults that replace the answer entirely; true when one was applied. */
  applyTransportFault(req: IncomingMessage, res: ServerResponse, fault: Fault | null): boolean;
}

/** What a fake source's handler works with: the responder, the data and the mutable formats. */
export interface FixtureSite extends Responder {
  dataset: FixtureDataset;
  volume: NonNullable<FixtureServerOptions['volume']>;
  formats: FixtureServer['formats'];
}

export class BadRequest extends Error {}

/** A percent-encoded path segment, or a 400 for one that does not decode (`%E0` alone is not UTF-8). */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`path segment "${segment}" is not valid percent-encoded UTF-8`);
  }
}

function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function paginate<T>(items: T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size);
}

export function createResponder(requests: RequestLogEntry[], initialFaults: Fault[]): Responder {
  let faults: Array<Fault & { remaining: number }> = [];
  const setFaults = (list: Fault[]) => {
    faults = list.map((fault) => ({ ...fault, remaining: fault.times ?? Infinity }));
  };
  setFaults(initialFaults);

  function takeFault(target: FixtureTarget, page: number | null, id: string | null): Fault | null {
    const fault = faults.find(
      (f) =>
        f.target === target &&
        f.remaining > 0 &&
        (f.page === undefined || f.page === page) &&
        (f.id === undefined || f.id === id),
    );
    if (!fault) return null;
    fault.remaining--;
    return fault;
  }

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: string,
    type: string,
    fault: Fault | null,
  ): true {
    if (fault?.kind === FaultKind.Truncated) body = body.slice(0, Math.floor(body.length / 2));
    const etag = etagOf(body);
    const log: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: req.url ?? '',
      userAgent: req.headers['user-agent'],
      conditional: Boolean(req.headers['if-none-match']),
      status,
    };
    requests.push(log);
    if (fault?.kind === FaultKind.SlowDrip) {
      res.writeHead(200, { 'content-type': type });
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 50);
      res.on('close', () => clearInterval(timer));
      return true;
    }
    if (status === 200 && req.headers['if-none-match'] === etag) {
      log.status = 304;
      res.writeHead(304, { etag, 'last-modified': LAST_MODIFIED }).end();
      return true;
    }
    res
      .writeHead(status, {
        'content-type': type,
        etag,
        'last-modified': LAST_MODIFIED,
        'content-length': Buffer.byteLength(body),
      })
      .end(body);
    return true;
  }

  function applyTransportFault(req: IncomingMessage, res: ServerResponse, fault: Fault | null): boolean {
    if (!fault) return false;
    const log = (status: number) =>
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '',
        userAgent: req.headers['user-agent'],
        conditional: Boolean(req.headers['if-none-match']),
        status,
      });
    switch (fault.kind) {
      case FaultKind.Http500:
        log(500);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        return true;
      case FaultKind.Http429:
        log(429);
        res.writeHead(429, { 'retry-after': String(fault.retryAfterSeconds ?? 1) }).end();
        return true;
      case FaultKind.Reset:
        log(0);
        req.socket.destroy();
        return true;
      case FaultKind.Hang:
        log(0);
        return true;
      case FaultKind.Unauthorized:
        log(401);
        res
          .writeHead(401, { 'www-authenticate': 'Cookie realm="passport"', 'content-type': 'text/plain' })
          .end('login required');
        return true;
      case FaultKind.LoginRedirect:
        log(302);
        res.writeHead(302, { location: `/passport/login?return=${encodeURIComponent(req.url ?? '/')}` }).end();
        return true;
      case FaultKind.Forbidden:
        log(403);
        res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
        return true;
      case FaultKind.Banned:
        log(456);
        res.writeHead(456, { 'content-type': 'text/html' }).end('<html><body>访问受限</body></html>');
        return true;
      default:
        return false;
    }
  }

  return { setFaults, takeFault, send, applyTransportFault };
}
