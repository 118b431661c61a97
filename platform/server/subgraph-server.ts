import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { GraphQLError, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import type { Logger } from 'pino';
import { createAuthenticator } from '../auth.ts';
import type { Config } from '../config.ts';
import type { Actor, RequestContext } from '../context.ts';
import { closedErrorCode, ErrorCode, isErrorCode } from '../errors.ts';
import { enforcePolicy, type Ownership } from './field-policy.ts';
import { HttpError, readBody, sendJson } from './http.ts';
import { headerValue, startHttpServer, type RequestScope } from './http-server.ts';
import {
  costLimitError,
  type OperationLimits,
  operationLimitRules,
  operationLimits,
  rememberedOperationCost,
  tokenLimitError,
  variableErrors,
} from './limits.ts';

import { loadTypeDefs, type SubgraphName } from './sdl.ts';

export type { SubgraphName };
/** Kept here too for the tests that stop their own receivers with it. */
export { closeServer } from './http-server.ts';

/** What a subgraph slice provides; the bootstrap below does the HTTP, auth, logging and errors. */
export interface SubgraphDefinition<Ctx extends RequestContext = RequestContext> {
  name: SubgraphName;
  resolvers: GraphQLResolverMap<Ctx>;
  /**
   * Whether an object is the caller's own, per type (or per field), for the policy table's `own`
   * rules on the fields and entities this slice serves (platform/server/field-policy.ts).
   */
  ownership?: Ownership<Ctx>;
  /** Per request: attaches the slice's repositories and fresh DataLoaders. */
  createContext(base: RequestContext): Ctx | Promise<Ctx>;
  /** Throws when the slice cannot serve (store unreachable); drives /readyz. */
  checkReady(): Promise<void>;
  /**
   * Extra HTTP routes (evidence upload, CSV export). Returns true when it handled the request.
   * Receives the authenticated base context so routes apply the same access rules as resolvers.
   */
  handleHttp?(req: IncomingMessage, res: ServerResponse, base: RequestContext): Promise<boolean>;
  /** The slice's own Apollo plugins (the accounts slice reads and sets its refresh cookie in one). */
  plugins?: ApolloServerPlugin<Ctx>[];
  /**
   * A token that changes whenever the slice's public data may have changed (the catalogue, an
   * ingestion); null when the store cannot tell. Served at `GET /data-version`, where the gateway's
   * response cache reads it (`gateway/response-cache.ts`); a slice without it is never cached.
   */
  dataVersion?(): string | null;
  /** Releases the slice's resources (schedulers, store) after the HTTP server stopped. */
  close(): Promise<void>;
}

/** Builds a slice's definition; the composition root (`graph/`) knows which factory makes which slice. */
export type SubgraphFactory = (deps: { config: Config; logger: Logger }) => Promise<SubgraphDefinition<RequestContext>>;

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * graphql-js words the token limit (`parseOptions.maxTokens`) this way, "that" as written in
 * graphql 16, with no code of ours.
 */
/** Where a subgraph answers its `dataVersion` (public, no token needed: it says nothing but "changed"). */
export const DATA_VERSION_PATH = '/data-version';

const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more (?:than|that) \d+ tokens/;

/**
 * Every error leaves with a code from the closed set (`closedErrorCode`). Production hides anything
 * that is not one of our typed errors: no stack, no internal message. Development keeps messages
 * to help debugging, never stacks in the response body.
 */
export function formatError(production: boolean, maxTokens: number) {
  return (formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    const { stacktrace: _stack, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    // Apollo re-codes every validation error GRAPHQL_VALIDATION_FAILED; a limit rule's own code
    // (DEPTH_LIMIT_EXCEEDED, …) is on the error it wrapped.
    const original = (error as { originalError?: unknown } | undefined)?.originalError;
    if (original instanceof GraphQLError && isErrorCode(original.extensions.code)) {
      extensions.code = original.extensions.code;
    }
    if (TOKEN_LIMIT_MESSAGE.test(formatted.message)) {
      const limitError = tokenLimitError(maxTokens);
      const { http: _http, ...limitExtensions } = limitError.extensions;
      return { message: limitError.message, locations: formatted.locations, extensions: limitExtensions };
    }
    const code = closedErrorCode({ message: formatted.message, extensions });
    if (code !== ErrorCode.InternalServerError || !production)
      return { ...formatted, extensions: { ...extensions, code } };
    return {
      message: 'Internal server error.',
      path: formatted.path,
      extensions: { code: ErrorCode.InternalServerError },
    };
  };
}

/**
 * In production the federation `_service { sdl }` field is refused: the gateway never asks for it
 * (the supergraph is composed offline from `schema/`), and it would hand out the whole schema that
 * introspection no longer gives.
 */
const refuseServiceSdl: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '_service' || context.getParentType()?.name !== 'Query') return;
    context.reportError(
      new GraphQLError('The _service field is not served in production; the supergraph is composed offline.', {
        nodes: [node],
        extensions: { code: ErrorCode.GraphQLValidationFailed },
      }),
    );
  },
});

/** Demand control in the subgraph itself, with the gateway's estimate and limit (`limits.ts`). */
function costLimitPlugin<Ctx extends RequestContext>(limits: OperationLimits): ApolloServerPlugin<Ctx> {
  const estimate = rememberedOperationCost();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          // Variables that do not coerce are left to execution's own error (with its bound on their number).
          const invalid = variableErrors(schema, document, request.variables, operationName, limits.maxVariableErrors);
          const cost = invalid.length > 0 ? null : estimate(schema, document, request.variables, operationName);
          if (cost !== null && cost > limits.maxCost) throw costLimitError(cost, limits.maxCost);
        },
      };
    },
  };
}

export async function startSubgraph<Ctx extends RequestContext>(
  definition: SubgraphDefinition<Ctx>,
  options: { config: Config; logger: Logger; host: string; port: number },
): Promise<RunningSubgraph> {
  const { config, logger } = options;
  const production = config.NODE_ENV === 'production';
  const limits = operationLimits(config);
  const apollo = new ApolloServer<Ctx>({
    schema: enforcePolicy(
      buildSubgraphSchema([{ typeDefs: loadTypeDefs(definition.name), resolvers: definition.resolvers }]),
      definition.name,
      definition.ownership ?? {},
    ),
    formatError: formatError(production, limits.maxTokens),
    validationRules: [...operationLimitRules(limits), ...(production ? [refuseServiceSdl] : [])],
    parseOptions: { maxTokens: limits.maxTokens },
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    // Production gives away no schema: no introspection, no "Did you mean …?", no landing page.
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    plugins: [
      // No field declares a cache hint (answers can carry personal data), so the default cache-control
      // plugin would only wrap every resolver: about a tenth of a 20-row ranking's CPU in a profile.
      ApolloServerPluginCacheControlDisabled(),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
      costLimitPlugin<Ctx>(limits),
      ...(definition.plugins ?? []),
    ],
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  await apollo.start();
  const authenticate = createAuthenticator({
    production,
    developmentSecret: config.AUTH_SECRET,
    developmentMaxLifetimeSeconds: config.AUTH_TOKEN_MAX_LIFETIME_SECONDS,
    accountsUrl: () => config.subgraphUrls.accounts,
  });
  const trustedProxies = new Set([
    '127.0.0.1',
    '::1',
    '::ffff:127.0.0.1',
    ...(config.TRUSTED_PROXIES ?? '').split(','),
  ]);

  const handle = async (req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<void> => {
    const { requestId, url, logger: requestLogger } = scope;
    if (url.pathname === DATA_VERSION_PATH && definition.dataVersion) {
      return sendJson(res, 200, { version: definition.dataVersion() });
    }
    let actor: Actor | null;
    try {
      actor = await authenticate(headerValue(req, 'authorization'));
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Invalid credentials.';
      return sendJson(res, 401, { errors: [{ message, extensions: { code: ErrorCode.Unauthenticated } }] });
    }
    const clientAddress = clientAddressOf(req, trustedProxies);
    const base: RequestContext = { requestId, actor, logger: requestLogger, clientAddress };
    if (definition.handleHttp && (await definition.handleHttp(req, res, base))) return;
    if (url.pathname !== '/graphql')
      return sendJson(res, 404, { errors: [{ message: 'Not found.', extensions: { code: ErrorCode.NotFound } }] });

    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, config.GRAPHQL_MAX_BODY_BYTES);
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpError(400, ErrorCode.BadRequest, 'The request body is not valid JSON.');
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => definition.createContext(base),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const http = await startHttpServer({
    service: definition.name,
    logger,
    host: options.host,
    port: options.port,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    maxHeaderBytes: config.HTTP_MAX_HEADER_BYTES,
    drainMs: config.SHUTDOWN_DRAIN_MS,
    async readiness(scope) {
      try {
        await definition.checkReady();
        return { ready: true, details: { service: definition.name } };
      } catch (error) {
        scope.logger.warn({ err: error }, 'not ready');
        return { ready: false, details: { service: definition.name } };
      }
    },
    handle,
  });
  const url = `${http.origin}/graphql`;
  logger.info({ url }, `${definition.name} subgraph listening`);

  let stopping: Promise<void> | undefined;
  return {
    name: definition.name,
    url,
    port: http.port,
    stop() {
      stopping ??= (async () => {
        await http.stop();
        await apollo.stop();
        await definition.close();
      })();
      return stopping;
    },
  };
}

/**
 * The client's address: a trusted peer (loopback, or one of TRUSTED_PROXIES) is the gateway, so
 * its `x-forwarded-for` (the gateway sets it from its own socket) names the client; any other
 * peer's header is ignored, since a caller reaching the subgraph directly could write anything there.
 */
function clientAddressOf(req: IncomingMessage, trusted: ReadonlySet<string>): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  const forwarded = headerValue(req, 'x-forwarded-for')?.split(',')[0]?.trim();
  return trusted.has(peer) && forwarded ? forwarded : peer;
}

export function subgraphPort(config: Config, name: SubgraphName): number {
  return {
    directory: config.DIRECTORY_PORT,
    cases: config.CASES_PORT,
    reputation: config.REPUTATION_PORT,
    accounts: config.ACCOUNTS_PORT,
  }[name];
}

/** Builds one slice with its own child logger and serves it; a slice that fails to listen is closed again. */
export async function startSubgraphPart(
  name: SubgraphName,
  factory: SubgraphFactory,
  config: Config,
  logger: Logger,
  port = subgraphPort(config, name),
): Promise<RunningSubgraph> {
  const childLogger = logger.child({ subgraph: name });
  const definition = await factory({ config, logger: childLogger });
  try {
    return await startSubgraph(definition, { config, logger: childLogger, host: config.HOST, port });
  } catch (error) {
    await definition.close();
    throw error;
  }
}
