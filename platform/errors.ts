import { GraphQLError } from 'graphql';

/**
 * The closed set of `extensions.code` values a client can receive, from GraphQL and from the plain
 * HTTP routes alike (their JSON errors have the same shape). Clients branch on these, so they are
 * part of the public contract: README "Errors" lists every one.
 */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  GraphQLValidationFailed: 'GRAPHQL_VALIDATION_FAILED',
  NotFound: 'NOT_FOUND',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  Conflict: 'CONFLICT',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  /** Too many attempts (sign-in, codes): `extensions.retryAfterSeconds` says when to try again. */
  RateLimited: 'RATE_LIMITED',
  InternalServerError: 'INTERNAL_SERVER_ERROR',
  // The operation limits (platform/server/limits.ts), at the gateway and in every subgraph:
  CostLimitExceeded: 'COST_LIMIT_EXCEEDED',
  DepthLimitExceeded: 'DEPTH_LIMIT_EXCEEDED',
  AliasLimitExceeded: 'ALIAS_LIMIT_EXCEEDED',
  TokenLimitExceeded: 'TOKEN_LIMIT_EXCEEDED',
  // The HTTP request itself: a query that does not parse, a malformed or CSRF-unsafe request, a
  // mutation over GET, an unknown operation name; a body or headers past their limits.
  GraphQLParseFailed: 'GRAPHQL_PARSE_FAILED',
  BadRequest: 'BAD_REQUEST',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  HeadersTooLarge: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  // The plain HTTP routes (evidence upload and download, CSV export) only:
  TruncatedBody: 'TRUNCATED_BODY',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  MediaTypeMismatch: 'MEDIA_TYPE_MISMATCH',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}

/**
 * The codes the libraries underneath raise (graphql-js, GraphQL Yoga, Apollo Server, the Hive
 * runtime) that are not ours, mapped to ours so a client only ever sees the closed set.
 */
const FOREIGN_CODES: Record<string, ErrorCode> = {
  REQUEST_ENTITY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  OPERATION_RESOLUTION_FAILURE: ErrorCode.BadRequest,
  PERSISTED_QUERY_NOT_FOUND: ErrorCode.BadRequest,
  PERSISTED_QUERY_NOT_SUPPORTED: ErrorCode.BadRequest,
  GATEWAY_TIMEOUT: ErrorCode.ServiceUnavailable,
  COST_ESTIMATED_TOO_EXPENSIVE: ErrorCode.CostLimitExceeded,
};

/**
 * graphql-js words variable coercion errors this way, with no code of its own; past `maxErrors` of
 * them it adds one saying it stopped looking.
 */
const VARIABLE_COERCION =
  /^(Variable "\$[^"]+" (got invalid value|of required type|of non-null type)|Too many errors processing variables)/;

/**
 * The documented code for an error as a library raised it: its own when it is one of ours, the
 * mapped one for a known foreign code, BAD_USER_INPUT for a variable that does not coerce, and
 * otherwise `fallback` (INTERNAL_SERVER_ERROR unless the caller knows better).
 */
export function closedErrorCode(
  error: { message: string; extensions?: Record<string, unknown> | null },
  fallback: ErrorCode = ErrorCode.InternalServerError,
): ErrorCode {
  // First: Apollo Server codes graphql-js's "Too many errors processing variables" INTERNAL_SERVER_ERROR.
  if (VARIABLE_COERCION.test(error.message)) return ErrorCode.BadUserInput;
  const code = error.extensions?.code;
  if (isErrorCode(code)) return code;
  if (typeof code === 'string' && code in FOREIGN_CODES) return FOREIGN_CODES[code] as ErrorCode;
  return fallback;
}

/**
 * Invalid input. `argumentPath` names the offending input the way a client wrote it,
 * e.g. `input.complainant.phone`; `expected` says what would have been accepted.
 */
export function badUserInput(argumentPath: string, expected: string, got?: unknown): GraphQLError {
  const shown = got === undefined ? '' : `, got ${describeValue(got)}`;
  return new GraphQLError(`Invalid value at "${argumentPath}": expected ${expected}${shown}.`, {
    extensions: { code: ErrorCode.BadUserInput, argumentPath, expected },
  });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} "${id}" was not found.`, {
    extensions: { code: ErrorCode.NotFound, what, id },
  });
}

export function unauthenticated(message = 'Sign-in required: send a valid bearer token.'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Unauthenticated } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden } });
}

export function conflict(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Conflict, ...details } });
}

export function serviceUnavailable(service: string, message?: string): GraphQLError {
  return new GraphQLError(message ?? `The ${service} service is unavailable; try again later.`, {
    extensions: { code: ErrorCode.ServiceUnavailable, service },
  });
}

/** Short, safe rendering of a rejected value for an error message (never the whole payload). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? `a list of ${value.length}` : 'an object';
}
