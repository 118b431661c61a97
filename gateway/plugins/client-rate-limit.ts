import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { API_KEY_HEADER } from '../../platform/app-keys.ts';
import type { Authenticator } from '../../platform/auth.ts';
import { ErrorCode, unauthenticated } from '../../platform/errors.ts';
import type { AppKeyVerifier } from '../app-key-verifier.ts';

/**
 * The per-client rate limit (issue 18): requests a minute per client, counted by rate-limiter-flexible
 * in memory (the primary's, when there are workers), per fixed one-minute window. The client is
 * - the subject of a verified bearer token (RATE_LIMIT_SIGNED_IN_PER_MINUTE), else
 * - the app of a live API key, `x-api-key` (its own limit, else RATE_LIMIT_APP_KEY_PER_MINUTE), else
 * - the address the request came from (RATE_LIMIT_ANONYMOUS_PER_MINUTE), which is the socket's
 *   address unless the peer is one of GATEWAY_TRUSTED_PROXIES: gateway.ts writes it into
 *   `x-forwarded-for` before the runtime sees the request, replacing whatever the client sent.
 * A token that does not verify counts against its address (the subgraph then refuses it); a key
 * the accounts subgraph calls unknown or revoked is refused here (401 UNAUTHENTICATED), the refusal
 * counted against the address, so guessing keys is throttled like any anonymous traffic.
 *
 * Past the limit: HTTP 429, `Retry-After` in seconds, and a RATE_LIMITED error with
 * `retryAfterSeconds`. Only GraphQL requests count (this hook runs for them alone); the site's
 * files and the health checks do not. With GATEWAY_WORKERS above 1 the workers share one set of
 * counts, kept by the primary (workers.ts sharedClientLimiter); a restart starts them again.
 */
export interface ClientRateLimits {
  signedInPerMinute: number;
  appKeyPerMinute: number;
  anonymousPerMinute: number;
}

type Client = { kind: 'subject' | 'app' | 'address'; id: string; perMinute: number };

function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests from this client: try again in ${retryAfterSeconds} s.`, {
    extensions: {
      code: ErrorCode.RateLimited,
      retryAfterSeconds,
      http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
    },
  });
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadRequest, http: { status: 400 } } });
}

function invalidKey(): GraphQLError {
  const error = unauthenticated(`The ${API_KEY_HEADER} header names no live app key: it is unknown or revoked.`);
  error.extensions.http = { status: 401 };
  return error;
}

export function useClientRateLimit(options: {
  limits: ClientRateLimits;
  authenticate: Authenticator;
  verifyAppKey: AppKeyVerifier;
  logger: Logger;
  /** Where the counts are kept: this process's memory unless the gateway's workers share them. */
  createLimiter?: (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;
}): GatewayPlugin {
  const { limits } = options;
  // One limiter per kind and limit (a key may carry its own): a handful, whatever the traffic.
  const limiters = new Map<string, RateLimiterAbstract>();
  const createLimiter = options.createLimiter ?? ((limiterOptions) => new RateLimiterMemory(limiterOptions));
  const limiterFor = (client: Client) => {
    const name = `${client.kind}:${client.perMinute}`;
    let limiter = limiters.get(name);
    if (!limiter) {
      limiter = createLimiter({ keyPrefix: name, points: client.perMinute, duration: 60 });
      limiters.set(name, limiter);
    }
    return limiter;
  };

  async function consume(client: Client): Promise<void> {
    try {
      await limiterFor(client).consume(client.id);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        // The counts could not be reached (a worker's question to the primary timed out): the request
        // is served rather than refused, since a limit that fails must not take the graph down with it.
        options.logger.warn({ err: (rejection as Error)?.message }, 'rate limit not counted');
        return;
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      // debug: under a flood, one line per refused request would make the log the next thing to fill up.
      options.logger.debug({ client: client.kind, app: client.kind === 'app' ? client.id : undefined }, 'rate limited');
      throw rateLimited(retryAfterSeconds);
    }
  }

  async function identify(request: Request): Promise<Client> {
    const address: Client = {
      kind: 'address',
      id: request.headers.get('x-forwarded-for') ?? 'unknown',
      perMinute: limits.anonymousPerMinute,
    };
    const authorization = request.headers.get('authorization');
    const apiKey = request.headers.get(API_KEY_HEADER);
    if (authorization && apiKey) {
      throw badRequest(`Send a bearer token or an ${API_KEY_HEADER}, not both: a key is for apps reading public data.`);
    }
    if (authorization) {
      const actor = await options.authenticate(authorization).catch(() => null);
      return actor ? { kind: 'subject', id: actor.id, perMinute: limits.signedInPerMinute } : address;
    }
    if (apiKey === null) return address;
    const check = await options.verifyAppKey(apiKey);
    if (check.kind === 'invalid') {
      await consume(address);
      throw invalidKey();
    }
    if (check.kind === 'unverified') return address;
    const { id, requestsPerMinute } = check.verification;
    return { kind: 'app', id, perMinute: requestsPerMinute ?? limits.appKeyPerMinute };
  }

  return {
    async onRequestParse({ request }) {
      await consume(await identify(request));
    },
  };
}
