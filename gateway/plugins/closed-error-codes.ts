import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { closedErrorCode, ErrorCode } from '../../platform/errors.ts';

type AnyError = { message: string; extensions?: Record<string, unknown> | null } & Partial<GraphQLError>;

/** graphql-js appends this to an unknown field or type, naming real ones. */
const SUGGESTION = / Did you mean .+\?$/;

/**
 * The last word on every error the gateway answers, HTTP-level ones included (a body that is not
 * JSON, a CSRF refusal, a mutation over GET, the body limit): each leaves with a code from the
 * closed `ErrorCode` set. Foreign codes are mapped (`closedErrorCode`); an error the runtime raises
 * for the request itself (a 4xx without a code, such as the CSRF refusal) is BAD_REQUEST; anything
 * else is INTERNAL_SERVER_ERROR. In production, "Did you mean …?" suggestions, which would reveal
 * the schema introspection no longer gives, are cut from messages.
 */
export function useClosedErrorCodes(options: { production: boolean }): GatewayPlugin {
  const close = (error: AnyError): AnyError => {
    const extensions = error.extensions ?? {};
    const status = (extensions.http as { status?: number } | undefined)?.status;
    const fallback = status !== undefined && status >= 400 && status < 500 ? ErrorCode.BadRequest : undefined;
    const code = closedErrorCode(error, fallback);
    const message = options.production ? error.message.replace(SUGGESTION, '') : error.message;
    if (code === extensions.code && message === error.message) return error;
    return new GraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: { ...extensions, code },
    });
  };
  const closeResult = (result: ExecutionResult): ExecutionResult =>
    result?.errors?.length ? { ...result, errors: result.errors.map((error) => close(error) as GraphQLError) } : result;
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(closeResult));
      else if (result && !(Symbol.asyncIterator in result)) setResult(closeResult(result as ExecutionResult));
    },
  };
}
