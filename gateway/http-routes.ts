/**
 * The subgraphs' plain HTTP routes, served on the gateway's origin too so clients need one base
 * URL: evidence upload/download on cases, CSV exports on reputation, authorisation letters on
 * accounts. Access rules stay in the subgraph (the caller's Authorization header is passed through
 * untouched).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { request as undiciRequest } from 'undici';
import { ErrorCode } from '../platform/errors.ts';
import { sendJson } from '../platform/server/http.ts';
import type { SubgraphName } from '../platform/server/subgraph-server.ts';

export const HTTP_ROUTES: Array<{ path: string; subgraph: SubgraphName }> = [
  { path: '/evidence', subgraph: 'cases' },
  { path: '/export', subgraph: 'reputation' },
  { path: '/representation-letters', subgraph: 'accounts' },
];

/**
 * The subgraph and path a plain HTTP request is forwarded to, or null when it is not one of
 * HTTP_ROUTES. Matched on the normalised path, the one forwarded, so `/export/../graphql` can
 * never reach a subgraph's own GraphQL endpoint, and `/evidencefoo` is not `/evidence`.
 */
export function httpRouteFor(url: URL): { subgraph: SubgraphName; pathAndQuery: string } | null {
  const route = HTTP_ROUTES.find(({ path }) => url.pathname === path || url.pathname.startsWith(`${path}/`));
  return route ? { subgraph: route.subgraph, pathAndQuery: `${url.pathname}${url.search}` } : null;
}

const FORWARDED_HEADERS = ['authorization', 'content-type', 'content-length', 'x-filename', 'x-request-id', 'accept'];
const HOP_BY_HOP_HEADERS = ['connection', 'keep-alive', 'transfer-encoding'];

async function forwardHttp(req: IncomingMessage, res: ServerResponse, target: URL, timeoutMs: number): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const upstream = await undiciRequest(target, {
    method: (req.method ?? 'GET') as 'GET',
    headers,
    body: hasBody ? req : undefined,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const passHeaders: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && !HOP_BY_HOP_HEADERS.includes(name)) passHeaders[name] = value;
  }
  res.writeHead(upstream.statusCode, passHeaders);
  await pipeline(upstream.body, res);
}

/**
 * Forwards `route` to its subgraph; an unreachable subgraph answers 503 SERVICE_UNAVAILABLE naming
 * it (the address and the cause go to the log only).
 */
export async function forwardHttpRoute(
  req: IncomingMessage,
  res: ServerResponse,
  route: { subgraph: SubgraphName; pathAndQuery: string },
  options: { subgraphUrls: Record<SubgraphName, string>; timeoutMs: number; logger: Logger },
): Promise<void> {
  const target = new URL(route.pathAndQuery, options.subgraphUrls[route.subgraph]);
  try {
    await forwardHttp(req, res, target, options.timeoutMs);
  } catch (error) {
    options.logger.warn({ err: error, subgraph: route.subgraph }, 'HTTP route failed');
    if (res.headersSent) return void res.destroy();
    sendJson(res, 503, {
      errors: [
        {
          message: `The ${route.subgraph} service is unavailable; try again later.`,
          extensions: { code: ErrorCode.ServiceUnavailable, service: route.subgraph },
        },
      ],
    });
  }
}
