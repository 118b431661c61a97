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
  // The plain HTTP routes (evidence upload and download, CSV export) only:
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  TruncatedBody: 'TRUNCATED_BODY',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  MediaTypeMismatch: 'MEDIA_TYPE_MISMATCH',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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
