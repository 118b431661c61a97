import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { type ExecutionResult, GraphQLError, Kind } from 'graphql';
import { isTransportFailure } from './subgraph-failure.ts';

/**
 * How the gateway calls a subgraph. It replaces the runtime's `upstreamTimeout` and `upstreamRetry`,
 * which timed out each attempt separately (three attempts of a stalled subgraph took three
 * timeouts), answered a timeout with a thrown 504 carrying the subgraph's URL and query, and
 * retried mutations (a retried `submitCase` filed the case three times).
 * - One deadline per subgraph call, every attempt and pause included.
 * - Only queries are retried, and only when an attempt failed in transport (no answer, a reset,
 *   a 5xx without a GraphQL body); a mutation is sent once, since the subgraph may have run it.
 * - A call that runs out of time or attempts returns an error result, not a thrown error, so the
 *   rest of the answer stays and `useSubgraphFailure` turns it into SERVICE_UNAVAILABLE.
 */
export interface UpstreamPolicy {
  timeoutMs: number;
  /** Further attempts of a query after a transport failure. */
  queryRetries: number;
  /** Pause before the first retry; it doubles before each further one. */
  retryDelayMs: number;
}

type SubgraphExecutePayload = Parameters<NonNullable<GatewayPlugin['onSubgraphExecute']>>[0];
type Executor = SubgraphExecutePayload['executor'];
type ExecutionRequest = SubgraphExecutePayload['executionRequest'];
type Outcome = Awaited<ReturnType<Executor>>;

const TIMED_OUT = Symbol('timed out');

export function useUpstreamPolicy(policy: UpstreamPolicy): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executor, setExecutor }) {
      const withPolicy = (request: ExecutionRequest) => {
        const operation = operationTypeOf(request);
        if (operation === 'subscription') return executor(request);
        const retries = operation === 'query' ? policy.queryRetries : 0;
        return callWithinDeadline(executor, request, { ...policy, queryRetries: retries }, subgraphName);
      };
      // The runtime types executors generically over their result; ours passes the result through.
      setExecutor(withPolicy as Executor);
    },
  };
}

async function callWithinDeadline(
  executor: Executor,
  request: ExecutionRequest,
  policy: UpstreamPolicy,
  subgraphName: string,
): Promise<Outcome> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
  const timedOut = (): ExecutionResult => ({
    errors: [new GraphQLError(`The ${subgraphName} subgraph did not answer within ${policy.timeoutMs} ms.`)],
  });
  let pause = policy.retryDelayMs;
  for (let attempt = 0; ; attempt++) {
    const lastAttempt = attempt >= policy.queryRetries;
    let outcome: Outcome | typeof TIMED_OUT;
    try {
      outcome = await untilDeadline(
        Promise.resolve().then(() => executor({ ...request, signal })),
        deadline,
      );
    } catch (error) {
      // A thrown failure would replace the whole answer; as an error result only this part is missing.
      outcome = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    if (outcome === TIMED_OUT) return timedOut();
    if (lastAttempt || !failedInTransport(outcome)) return outcome;
    if ((await untilDeadline(new Promise((resolve) => setTimeout(resolve, pause)), deadline)) === TIMED_OUT) {
      return timedOut();
    }
    pause *= 2;
  }
}

/** No data and nothing but errors the subgraph did not raise itself (they would carry one of our codes). */
function failedInTransport(outcome: Outcome): boolean {
  if (Symbol.asyncIterator in (outcome as object)) return false;
  const { data, errors } = outcome as ExecutionResult;
  return data == null && errors !== undefined && errors.length > 0 && errors.every(isTransportFailure);
}

function untilDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T | typeof TIMED_OUT> {
  if (deadline.aborted) return Promise.resolve(TIMED_OUT);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(TIMED_OUT);
    deadline.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.removeEventListener('abort', onAbort));
  });
}

/** The subgraph request's own operation type (a mutation's follow-up entity fetches are queries). */
export function operationTypeOf(request: ExecutionRequest): string | undefined {
  if (request.operationType) return request.operationType;
  const operation = request.document.definitions.find(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!request.operationName || definition.name?.value === request.operationName),
  );
  return operation?.kind === Kind.OPERATION_DEFINITION ? operation.operation : undefined;
}
