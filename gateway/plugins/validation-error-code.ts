import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../platform/errors.ts';

/**
 * Validation errors (an unknown field, an enum value that does not exist, a missing argument) get
 * the same `GRAPHQL_VALIDATION_FAILED` code a subgraph reached directly gives, so clients branch on
 * one code whichever way they came in.
 */
export function useValidationErrorCode(): GatewayPlugin {
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
                  extensions: { ...error.extensions, code: ErrorCode.GraphQLValidationFailed },
                }),
          ),
        );
      };
    },
  };
}
