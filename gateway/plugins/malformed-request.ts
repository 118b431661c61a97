import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../platform/errors.ts';

function badRequest(message: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadRequest, http: { status } } });
}

/**
 * Requests the runtime cannot read, answered with a coded JSON error like every other refusal: a
 * content type no GraphQL request is read from (the runtime answered 415 with an empty body), and
 * a GET whose `variables` or `extensions` parameter is not JSON (the runtime's parser threw a
 * SyntaxError, answered 500 "Unexpected error."). Found by test/gateway/http-garbage.test.ts.
 */
export function useMalformedRequests(): GatewayPlugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser) {
        const type = request.headers.get('content-type') ?? 'none';
        throw badRequest(`A GraphQL request is sent as application/json (or a GET); got content type ${type}.`, 415);
      }
      const parse = requestParser;
      setRequestParser(async (parsed) => {
        try {
          return await parse(parsed);
        } catch (error) {
          if (error instanceof SyntaxError) throw badRequest(`The request is not valid JSON: ${error.message}`, 400);
          throw error;
        }
      });
    },
  };
}
