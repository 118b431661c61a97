import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode } from '../../platform/errors.ts';
import { operationTypeOf } from './upstream-policy.ts';

/**
 * A subgraph that cannot be reached surfaces as an error from the transport, whose message holds
 * the upstream address and sometimes the request body. Clients get a SERVICE_UNAVAILABLE naming
 * the subgraph instead; the details go to our log only. Errors our subgraphs raise themselves
 * (they always carry a code) pass through untouched.
 */
export function isTransportFailure(error: { extensions?: Record<string, unknown> | null; message: string }): boolean {
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

function missingPartMessage(subgraphName: string): string {
  return `The ${subgraphName} service is unavailable; this part of the answer is missing. Try again later.`;
}

/**
 * A mutation that timed out or lost its connection may still have been applied: the subgraph can
 * finish after the gateway gave up (a case was measured filed after it). "Try again later" would
 * invite a second filing, so the client is told the outcome is unknown and how to retry safely.
 */
function outcomeUnknownMessage(subgraphName: string): string {
  return (
    `The ${subgraphName} service did not confirm this change; it may or may not have been applied. ` +
    'Check before trying again (a filed complaint shows in myCases), or retry submitCase with the same ' +
    'input.idempotencyKey, which never files a complaint twice.'
  );
}

export function useSubgraphFailure(logger: Logger): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executionRequest }) {
      return ({ result, setResult }) => {
        if (Symbol.asyncIterator in (result as object)) return;
        const single = result as ExecutionResult;
        if (!single.errors?.some(isTransportFailure)) return;
        const message = operationTypeOf(executionRequest) === 'mutation' ? outcomeUnknownMessage : missingPartMessage;
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
                  message: message(subgraphName),
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
