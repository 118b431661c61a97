import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { pipeline } from 'node:stream/promises';
import { request as undiciRequest } from 'undici';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../platform/config.ts';
import { ErrorCode } from '../platform/errors.ts';
import { HttpError, requestTarget, sendHttpError, sendJson } from '../platform/server/http.ts';
import { OPERATION_LIMITS } from '../platform/server/limits.ts';
import { closeServer, type SubgraphName } from '../platform/server/subgraph-server.ts';

export const SUPERGRAPH_FILE = fileURLToPath(new URL('../schema/supergraph.graphql', import.meta.url));

/** Composition writes placeholder URLs; the deployment decides where each subgraph really is. */
export function bindSubgraphUrls(supergraphSdl: string, urls: Record<SubgraphName, string>): string {
  return supergraphSdl.replace(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (match, name: string) =>
    name in urls ? `@join__graph(name: "${name}", url: "${urls[name as SubgraphName]}")` : match,
  );
}

/**
 * A subgraph that cannot be reached surfaces as an error from the transport, whose message holds
 * the upstream address and sometimes the request body. Clients get a SERVICE_UNAVAILABLE naming
 * the subgraph instead; the details go to our log only. Errors our subgraphs raise themselves
 * (they always carry a code) pass through untouched.
 */
function isTransportFailure(error: { extensions?: Record<string, unknown> | null; message: string }): boolean {
  const code = error.extensions?.code;
  if (
    typeof code === 'string' &&
    (Object.values(ErrorCode) as string[]).includes(code) &&
    code !== ErrorCode.InternalServerError
  ) {
    return false;
  }
  return true;
}

function subgraphFailurePlugin(logger: Logger): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executionRequest }) {
      return ({ result, setResult }) => {
        if (Symbol.asyncIterator in (result as object)) return;
        const single = result as ExecutionResult;
        if (!single.errors?.some(isTransportFailure)) return;
        const requestId = (executionRequest.context as { requestId?: string } | undefined)?.requestId;
        logger.warn(
          { requestId, subgraph: subgraphName, errors: single.errors.map((e) => e.message) },
          'subgraph request failed',
        );
        setResult({
          ...single,
          errors: single.errors.map((error) =>
            isTransportFailure(error)
              ? ({
                  message: `The ${subgraphName} service is unavailable; this part of the answer is missing. Try again later.`,
                  path: error.path,
                  extensions: { code: ErrorCode.ServiceUnavailable, service: subgraphName },
                } as never)
              : error,
          ),
        });
      };
    },
  };
}

/**
 * Validation errors (an unknown field, an enum value that does not exist, a missing argument) get
 * the same `GRAPHQL_VALIDATION_FAILED` code a subgraph reached directly gives, so clients branch on
 * one code whichever way they came in.
 */
function validationErrorCodePlugin(): GatewayPlugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        setResult(
          result.map((error) =>
            error.extensions?.code
              ? error
              : new GraphQLError(error.message, {
                  nodes: error.nodes,
                  source: error.source,
                  positions: error.positions,
                  path: error.path,
                  originalError: error.originalError,
                  extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
                }),
          ),
        );
      };
    },
  };
}

/**
 * The subgraphs' plain HTTP routes, served on the gateway's origin too so clients need one base
 * URL: evidence upload/download on cases, CSV exports on reputation. Access rules stay in the
 * subgraph (the caller's Authorization header is passed through untouched).
 */
export const HTTP_ROUTES: Array<{ path: string; subgraph: SubgraphName }> = [
  { path: '/evidence', subgraph: 'cases' },
  { path: '/export', subgraph: 'reputation' },
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
    if (value !== undefined && !['connection', 'keep-alive', 'transfer-encoding'].includes(name))
      passHeaders[name] = value;
  }
  res.writeHead(upstream.statusCode, passHeaders);
  await pipeline(upstream.body, res);
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startGateway(options: {
  config: Config;
  logger: Logger;
  host: string;
  port: number;
  subgraphUrls?: Record<SubgraphName, string>;
}): Promise<RunningGateway> {
  const { config, logger } = options;
  const subgraphUrls = options.subgraphUrls ?? config.subgraphUrls;
  const supergraph = bindSubgraphUrls(readFileSync(SUPERGRAPH_FILE, 'utf8'), subgraphUrls);
  const production = config.NODE_ENV === 'production';

  const gateway = createGatewayRuntime({
    supergraph,
    unifiedGraphHandler,
    transports: { http: httpTransport },
    logging: production ? 'warn' : 'error',
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: !production,
    maskedErrors: true,
    requestId: {
      headerName: 'x-request-id',
      generateRequestId: ({ request }) => request.headers.get('x-request-id') ?? randomUUID(),
    },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get('authorization'),
        'x-request-id': request.headers.get('x-request-id'),
      }),
    },
    upstreamTimeout: config.UPSTREAM_TIMEOUT_MS,
    upstreamRetry: { maxRetries: 2, retryDelay: 100, retryDelayFactor: 2 },
    plugins: () => [
      maxTokensPlugin({ n: OPERATION_LIMITS.maxTokens }),
      maxDepthPlugin({ n: OPERATION_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true }),
      maxAliasesPlugin({ n: OPERATION_LIMITS.maxAliases }),
      validationErrorCodePlugin(),
      subgraphFailurePlugin(logger),
    ],
  });

  const readiness = async (): Promise<Record<string, string>> => {
    const checks = await Promise.all(
      Object.entries(subgraphUrls).map(async ([name, url]) => {
        try {
          const response = await undiciRequest(new URL('/readyz', url), { headersTimeout: 2000, bodyTimeout: 2000 });
          await response.body.dump();
          return [name, response.statusCode === 200 ? 'ready' : 'unavailable'];
        } catch {
          return [name, 'unreachable'];
        }
      }),
    );
    return Object.fromEntries(checks);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      logger.info(
        {
          requestId,
          method: req.method,
          path: req.url,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    let target: URL;
    try {
      target = requestTarget(req.url ?? '/');
    } catch (error) {
      if (error instanceof HttpError) return sendHttpError(res, error);
      throw error;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
    if (path === '/readyz') {
      void (async () => {
        let schemaLoaded = true;
        try {
          await gateway.getSchema();
        } catch {
          schemaLoaded = false;
        }
        const subgraphs = await readiness();
        const ready = schemaLoaded && Object.values(subgraphs).every((status) => status === 'ready');
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'unavailable',
          supergraph: schemaLoaded ? 'loaded' : 'missing',
          subgraphs,
        });
      })();
      return;
    }
    const route = httpRouteFor(target);
    if (route) {
      const target = new URL(route.pathAndQuery, subgraphUrls[route.subgraph]);
      forwardHttp(req, res, target, config.UPSTREAM_TIMEOUT_MS).catch((error: unknown) => {
        logger.warn({ requestId, err: error, subgraph: route.subgraph }, 'HTTP route failed');
        if (res.headersSent) return res.destroy();
        sendJson(res, 503, {
          errors: [
            {
              message: `The ${route.subgraph} service is unavailable; try again later.`,
              extensions: { code: ErrorCode.ServiceUnavailable, service: route.subgraph },
            },
          ],
        });
      });
      return;
    }
    void gateway(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  // Plan the first query now, so a broken supergraph fails start-up instead of the first user.
  await gateway.getSchema();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop() {
      stopping ??= (async () => {
        await closeServer(server);
        await gateway.dispose();
      })();
      return stopping;
    },
  };
}
