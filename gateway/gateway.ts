/**
 * The gateway: the Hive Gateway runtime over the committed supergraph, on the same HTTP skeleton
 * as the subgraphs (`platform/server/http-server.ts`). Its plugins live one per file in `plugins/`;
 * the subgraphs' plain HTTP routes it forwards, in `http-routes.ts`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import type { Logger } from 'pino';
import { request as undiciRequest } from 'undici';
import { createAuthenticator } from '../platform/auth.ts';
import type { Config } from '../platform/config.ts';
import { startHttpServer } from '../platform/server/http-server.ts';
import { operationLimits } from '../platform/server/limits.ts';
import type { SubgraphName } from '../platform/server/subgraph-server.ts';
import { createAppKeyVerifier } from './app-key-verifier.ts';
import { corsFor } from './cors.ts';
import { forwardHttpRoute, httpRouteFor } from './http-routes.ts';
import { useBodyLimit } from './plugins/body-limit.ts';
import { useClientRateLimit } from './plugins/client-rate-limit.ts';
import { useGatewayResponseCache } from './response-cache.ts';
import { useMalformedRequests } from './plugins/malformed-request.ts';
import { useClosedErrorCodes } from './plugins/closed-error-codes.ts';
import { useOperationLimits } from './plugins/operation-limits.ts';
import { useSubgraphFailure } from './plugins/subgraph-failure.ts';
import { useUpstreamPolicy } from './plugins/upstream-policy.ts';
import { useValidationErrorCode } from './plugins/validation-error-code.ts';
import { cacheVerifiedTokens } from './verified-token-cache.ts';
import { createWebAssets, WEB_DIST_DIR } from './web-assets.ts';
import { sharedClientLimiter } from './workers.ts';

export const SUPERGRAPH_FILE = fileURLToPath(new URL('../schema/supergraph.graphql', import.meta.url));

/** Composition writes placeholder URLs; the deployment decides where each subgraph really is. */
export function bindSubgraphUrls(supergraphSdl: string, urls: Record<SubgraphName, string>): string {
  return supergraphSdl.replace(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (match, name: string) =>
    name in urls ? `@join__graph(name: "${name}", url: "${urls[name as SubgraphName]}")` : match,
  );
}

/** Each subgraph's own `/readyz`, asked in parallel: `ready`, `unavailable` (it said no) or `unreachable`. */
async function subgraphReadiness(subgraphUrls: Record<SubgraphName, string>): Promise<Record<string, string>> {
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
}

/**
 * The address a request came from: the socket's, or, when the peer is a load balancer named in
 * GATEWAY_TRUSTED_PROXIES, the last address of its `x-forwarded-for` (the one it appended). A
 * client's own header is never believed: it could name any address, and so any rate limit.
 */
export function clientAddressOf(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (!trustedProxies.has(peer)) return peer;
  const forwarded = req.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
  return last || peer;
}

const TERMINATION_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `create` and removes the SIGINT/SIGTERM handlers it registered. The gateway runtime (through
 * `@whatwg-node/server`, with `disposeOnProcessTerminate` hard-coded on) adds process-wide handlers
 * that dispose it the moment a signal arrives, aborting in-flight subgraph calls. The process's own
 * handler (`platform/server/process.ts`) drains the HTTP server first and disposes the runtime after.
 */
function withoutOwnSignalHandlers<T>(create: () => T): T {
  const before = new Map(TERMINATION_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const created = create();
  for (const signal of TERMINATION_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return created;
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
  const trustedProxies = new Set((config.GATEWAY_TRUSTED_PROXIES ?? '').split(',').filter(Boolean));
  const clientRateLimit = useClientRateLimit({
    limits: {
      signedInPerMinute: config.RATE_LIMIT_SIGNED_IN_PER_MINUTE,
      appKeyPerMinute: config.RATE_LIMIT_APP_KEY_PER_MINUTE,
      anonymousPerMinute: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    },
    // The same verification as every subgraph's, here only to name the client the limit counts; an
    // accepted token is remembered until its `exp` (verified-token-cache.ts).
    authenticate: cacheVerifiedTokens(
      createAuthenticator({
        production,
        developmentSecret: config.AUTH_SECRET,
        developmentMaxLifetimeSeconds: config.AUTH_TOKEN_MAX_LIFETIME_SECONDS,
        accountsUrl: () => subgraphUrls.accounts,
      }),
    ),
    verifyAppKey: createAppKeyVerifier({
      accountsUrl: subgraphUrls.accounts,
      cacheSeconds: config.APP_KEY_CACHE_SECONDS,
      logger,
    }),
    logger,
    createLimiter: sharedClientLimiter,
  });

  const gateway = withoutOwnSignalHandlers(() =>
    createGatewayRuntime({
      supergraph,
      unifiedGraphHandler,
      transports: { http: httpTransport },
      logging: production ? 'warn' : 'error',
      graphqlEndpoint: '/graphql',
      landingPage: false,
      // GraphiQL is served from our own build (web/graphiql/, gateway/web-assets.ts), not the runtime's CDN page.
      graphiql: false,
      // Production gives away no schema (the client's copy is the committed SDL).
      disableIntrospection: { disableIf: () => production },
      // As the subgraphs (Apollo's csrfPrevention): a request that a browser would send without a
      // preflight (no content type, or a form's, or text/plain) must carry one of these headers.
      csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight'] },
      cors: corsFor(config.CORS_ORIGINS),
      maskedErrors: true,
      // The runtime adds the request id to each subgraph fetch as it is sent, after identical
      // in-flight query fetches were merged: a merged fetch carries the id of the request that
      // started it (the others log theirs at the gateway). Propagating it as a client header
      // instead made it part of the merge key, so no two fetches were ever merged (issue 17).
      requestId: {
        headerName: 'x-request-id',
        generateRequestId: ({ request }) => request.headers.get('x-request-id') ?? randomUUID(),
      },
      propagateHeaders: {
        fromClientToSubgraphs: ({ request, subgraphName }) => ({
          authorization: request.headers.get('authorization'),
          // Set from the socket in handle() below, and sent to the accounts subgraph alone (it limits sign-in
          // attempts per address): on every fetch it would keep identical anonymous fetches from merging.
          ...(subgraphName === 'accounts'
            ? {
                'x-forwarded-for': request.headers.get('x-forwarded-for'),
                // The site's refresh cookie and how it asks for one (subgraphs/accounts/session-cookie.ts):
                // the accounts subgraph alone reads it, so no other subgraph ever receives a cookie.
                cookie: request.headers.get('cookie'),
                'x-refresh-token-transport': request.headers.get('x-refresh-token-transport'),
              }
            : {}),
        }),
        // Only the accounts subgraph may set a cookie on our origin (the refresh cookie).
        fromSubgraphsToClient: ({ response, subgraphName }) =>
          subgraphName === 'accounts' ? { 'set-cookie': response.headers.getSetCookie() } : undefined,
      },
      plugins: () => [
        // First: a client past its limit costs no parsing, planning or upstream call.
        clientRateLimit,
        useBodyLimit(config.GRAPHQL_MAX_BODY_BYTES),
        useMalformedRequests(),
        ...(config.RESPONSE_CACHE
          ? [
              useGatewayResponseCache({
                supergraphSdl: supergraph,
                subgraphUrls,
                maxEntries: config.RESPONSE_CACHE_MAX_ENTRIES,
                versionMaxAgeMs: config.RESPONSE_CACHE_VERSION_MAX_AGE_MS,
                timeoutMs: Math.min(config.UPSTREAM_TIMEOUT_MS, 2000),
              }),
            ]
          : []),
        ...useOperationLimits(operationLimits(config)),
        useValidationErrorCode(),
        useUpstreamPolicy({
          timeoutMs: config.UPSTREAM_TIMEOUT_MS,
          queryRetries: config.UPSTREAM_QUERY_RETRIES,
          retryDelayMs: 100,
        }),
        useSubgraphFailure(logger),
        useClosedErrorCodes({ production }),
      ],
    }),
  );

  const serveWebSite = createWebAssets(WEB_DIST_DIR, { graphiql: !production });
  const http = await startHttpServer({
    service: 'gateway',
    logger,
    host: options.host,
    port: options.port,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    maxHeaderBytes: config.HTTP_MAX_HEADER_BYTES,
    drainMs: config.SHUTDOWN_DRAIN_MS,
    async readiness() {
      let schemaLoaded = true;
      try {
        await gateway.getSchema();
      } catch {
        schemaLoaded = false;
      }
      const subgraphs = await subgraphReadiness(subgraphUrls);
      const ready = schemaLoaded && Object.values(subgraphs).every((status) => status === 'ready');
      return { ready, details: { supergraph: schemaLoaded ? 'loaded' : 'missing', subgraphs } };
    },
    async handle(req, res, scope) {
      const route = httpRouteFor(scope.url);
      if (route) {
        const forwarding = { subgraphUrls, timeoutMs: config.UPSTREAM_TIMEOUT_MS, logger: scope.logger };
        return forwardHttpRoute(req, res, route, forwarding);
      }
      // The gateway is the edge: a client's own x-forwarded-for is replaced by the address it connected
      // from (or the one a trusted load balancer names), which the rate limit and the accounts slice read.
      req.headers['x-forwarded-for'] = clientAddressOf(req, trustedProxies);
      if (serveWebSite(req, res, scope.url)) return;
      await gateway(req, res);
    },
  });
  // Plan the first query now, so a broken supergraph fails start-up instead of the first user.
  try {
    await gateway.getSchema();
  } catch (error) {
    await http.stop();
    throw error;
  }
  const url = `${http.origin}/graphql`;
  logger.info({ url }, 'gateway listening');
  let stopping: Promise<void> | undefined;
  return {
    url,
    port: http.port,
    stop() {
      stopping ??= (async () => {
        await http.stop();
        await gateway.dispose();
      })();
      return stopping;
    },
  };
}
