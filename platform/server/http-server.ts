/**
 * The one HTTP skeleton the gateway and every subgraph run on. It owns what every part does the
 * same way: the request id (the caller's `x-request-id` or a new one, echoed back), the access log
 * line, parsing the request target, `/healthz` and `/readyz`, turning a thrown HttpError into its
 * JSON error (anything else into a 500 that hides the cause), listening, and the graceful stop.
 * The part itself only says how it is ready and how it answers everything else. Requests Node's
 * parser refuses before any handler runs (headers past MAX_HEADER_BYTES, a malformed request
 * line) get the same JSON error shape, with a code, instead of Node's empty answer.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors.ts';
import { HttpError, requestTarget, sendHttpError, sendJson } from './http.ts';

/** What the skeleton knows about a request before the part sees it. */
export interface RequestScope {
  requestId: string;
  /** The parsed, normalised request target. */
  url: URL;
  /** The part's logger with `requestId` bound. */
  logger: Logger;
}

export interface Readiness {
  ready: boolean;
  /** The `/readyz` body besides `status` (which subgraphs answer, whether the supergraph loaded, …). */
  details: Record<string, unknown>;
}

export interface HttpServerOptions {
  /** Names the part in `/healthz`. */
  service: string;
  logger: Logger;
  host: string;
  port: number;
  /** Answers `/readyz`: 200 when ready, 503 when not. */
  readiness(scope: RequestScope): Promise<Readiness>;
  /** Every other request. A thrown HttpError becomes its JSON error; anything else a 500. */
  handle(req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<void>;
  /** On stop, how long in-flight requests get to finish before their connections are cut. */
  drainMs?: number;
  /** How long a client has to send a whole request, headers and body (`HTTP_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs?: number;
  /** All request headers together, at most (`HTTP_MAX_HEADER_BYTES`); default MAX_HEADER_BYTES. */
  maxHeaderBytes?: number;
}

export interface RunningHttpServer {
  port: number;
  /** `http://host:port`, without a path. */
  origin: string;
  /** Stops accepting, lets in-flight requests finish, closes idle keep-alive connections. */
  stop(): Promise<void>;
}

/**
 * A client that trickles its request (slowloris) holds a connection until this; Node's own default
 * is 300 s for the request and 60 s for its headers, checked every 30 s. The default leaves a 10 MiB
 * evidence upload about 1.4 Mbit/s.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** The headers of any honest request arrive in one packet or a few. */
const HEADERS_TIMEOUT_MS = 10_000;

/** Leaves room inside the 10 s a supervisor usually waits between SIGTERM and SIGKILL. */
export const DEFAULT_DRAIN_MS = 8_000;

/**
 * All request headers together, at most, unless `HTTP_MAX_HEADER_BYTES` says otherwise: Node's own
 * default. A bearer token is under 1 KiB; 16 KiB leaves room for proxies' headers and refuses a
 * 200 KB token.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * A client's `x-request-id` is logged and forwarded to every subgraph, so only a short id of
 * safe characters is taken; anything else is replaced by a new one.
 */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function acceptedRequestId(given: string | undefined): string {
  return given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Node's parser errors (`err.code`) answered with a status and one of our codes. */
function clientErrors(maxHeaderBytes: number): Record<string, { status: number; code: ErrorCode; message: string }> {
  return {
    ERR_HTTP_REQUEST_TIMEOUT: {
      status: 408,
      code: ErrorCode.BadRequest,
      message: 'The request was not received in time; send it whole and promptly.',
    },
    HPE_HEADER_OVERFLOW: {
      status: 431,
      code: ErrorCode.HeadersTooLarge,
      message: `The request headers exceed ${maxHeaderBytes} bytes.`,
    },
  };
}
const MALFORMED_REQUEST = {
  status: 400,
  code: ErrorCode.BadRequest,
  message: 'The request is not valid HTTP/1.1.',
};

/** Sockets already answered: Node's parser reports an error again for each further chunk. */
const answeredSockets = new WeakSet<Duplex>();

/** Replaces Node's default `clientError` answer (a status line with an empty body) by a coded JSON error. */
function answerClientError(
  errors: ReturnType<typeof clientErrors>,
  error: Error & { code?: string },
  socket: Duplex,
): void {
  if (answeredSockets.has(socket)) return;
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  answeredSockets.add(socket);
  const { status, code, message } = errors[error.code ?? ''] ?? MALFORMED_REQUEST;
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  const reason = { 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status] ?? 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  // Read and drop what the client is still sending: closing with unread data would reset the
  // connection, and the client would lose the answer. A client still sending after 5 s is cut, a
  // client already too slow after 1 s.
  socket.on('data', () => {});
  socket.resume();
  setTimeout(() => socket.destroy(), status === 408 ? 1_000 : 5_000).unref();
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;

  const serve = async (req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<void> => {
    const { pathname } = scope.url;
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok', service: options.service });
    if (pathname === '/readyz') {
      const { ready, details } = await options.readiness(scope);
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', ...details });
    }
    await options.handle(req, res, scope);
  };

  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const timeouts = {
    requestTimeout,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
    // Node looks for expired requests this often (30 s by default, which let a 1 s limit run 30 s).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(requestTimeout / 4))),
  };
  const maxHeaderSize = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
  const server: Server = createServer({ maxHeaderSize, ...timeouts }, (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = acceptedRequestId(headerValue(req, 'x-request-id'));
    // Downstream code (the gateway runtime's own request id, header propagation) reads it from here.
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    const requestLogger = logger.child({ requestId });
    let path = req.url ?? '/';
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      requestLogger.info({ method: req.method, path, status: res.statusCode, ms }, 'request');
    });
    const answer = async () => {
      const url = requestTarget(req.url ?? '/');
      path = url.pathname;
      await serve(req, res, { requestId, url, logger: requestLogger });
    };
    answer().catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HttpError) return sendHttpError(res, error);
      requestLogger.error({ err: error }, 'unhandled request error');
      sendJson(res, 500, {
        errors: [{ message: 'Internal server error.', extensions: { code: ErrorCode.InternalServerError } }],
      });
    });
  });
  const errors = clientErrors(maxHeaderSize);
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) =>
    answerClientError(errors, error, socket),
  );
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const drain = trackForDrain(server);
  let stopping: Promise<void> | undefined;
  return {
    port,
    origin: `http://${options.host}:${port}`,
    stop() {
      stopping ??= drain(options.drainMs ?? DEFAULT_DRAIN_MS);
      return stopping;
    },
  };
}

/**
 * During a drain, a kept-alive connection idle this long is closed. Closing one at once (what
 * `http.Server#close` does) resets a request a client is sending on it at that moment: under load
 * that was a few requests per SIGTERM (ECONNRESET). A connection used within this time is answered,
 * with `Connection: close`, and then closed by the client's own reading of that header.
 */
const DRAIN_IDLE_MS = 1_000;

/**
 * A graceful stop: stop accepting, let in-flight requests finish and answer those arriving on
 * kept-alive connections (each response carries `Connection: close`, so the client is told rather
 * than reset), close connections still idle after DRAIN_IDLE_MS. Connections still busy after
 * `graceMs` are cut.
 */
function trackForDrain(server: Server): (graceMs: number) => Promise<void> {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    if (draining) res.setHeader('connection', 'close');
    res.on('close', () => inFlight.delete(res));
  });
  return (graceMs) => {
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    return closeServer(server, graceMs, Math.min(DRAIN_IDLE_MS, graceMs));
  };
}

/**
 * Stops accepting new connections, lets in-flight requests finish, closes kept-alive connections
 * that are idle after `idleMs` (and each that becomes idle later), and cuts what is still open
 * after `graceMs`.
 */
export function closeServer(server: Server, graceMs = DEFAULT_DRAIN_MS, idleMs = 0): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    cut.unref();
    let sweep: NodeJS.Timeout | undefined;
    const idle = setTimeout(() => {
      server.closeIdleConnections();
      // A connection busy now may be kept alive after its answer (headers sent before the drain).
      sweep = setInterval(() => server.closeIdleConnections(), 100);
    }, idleMs);
    // http.Server#close closes the idle connections at once: held back here until `idleMs`.
    const closeIdleConnections = server.closeIdleConnections;
    server.closeIdleConnections = () => {};
    server.close(() => {
      clearTimeout(cut);
      clearTimeout(idle);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections = closeIdleConnections;
  });
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
