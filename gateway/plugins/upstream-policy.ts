import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { type ExecutionResult, GraphQLError, Kind } from 'graphql';
import { isTransportFailure } from './subgraph-failure.ts';

/**
 * How the gateway calls a subgraph. It replaces the runtime's `upstreamTimeout` and `upstreamRetry`,
 * which timed out each attempt separately (three attempts of a stalled subgraph took three
 * timeouts), answered a timeout with a thrown 504 carrying the subgraph's URL and query, and
 * retried mutations (a retried `submitCase` filed the case three times).
 * - One deadline per client request, over all its subgraph calls, every attempt and pause included:
 *   one timer and one abort signal per request (issue 17: a timeout signal per call, which the
 *   HTTP executor then combined with its own, cost about 7 % of the gateway's CPU). The signal
 *   reaches each fetch through `onFetch`, not through the execution request: given a signal, the
 *   HTTP executor combines it with its own long-lived dispose signal (`@graphql-hive/signal`'s
 *   `abortSignalAny`), whose listener list then grows with every fetch until a garbage collection
 *   finalises them, and each fetch's `addEventListener` walks that list (issue 17: 4-7 % of the
 *   gateway's busy time and 15-20 % of its gap to the stock runtime, in profiles of both).
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

/** A request's deadline: `expired` settles and `signal` aborts (in that order) when its time is up. */
interface Deadline {
  signal: AbortSignal;
  expired: Promise<typeof TIMED_OUT>;
  clear(): void;
}

function startDeadline(timeoutMs: number): Deadline {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      // Settled first, so a call racing it sees the deadline rather than the aborted fetch's error.
      resolve(TIMED_OUT);
      controller.abort(new DOMException('The upstream deadline passed.', 'TimeoutError'));
    }, timeoutMs);
    timer.unref();
  });
  return { signal: controller.signal, expired, clear: () => clearTimeout(timer) };
}

export function useUpstreamPolicy(policy: UpstreamPolicy): GatewayPlugin {
  // Keyed by the request's GraphQL context, which every subgraph call of that request carries.
  const deadlines = new WeakMap<object, Deadline>();
  const deadlineOf = (context: object | undefined): { deadline: Deadline; own: boolean } => {
    if (!context) return { deadline: startDeadline(policy.timeoutMs), own: true };
    let deadline = deadlines.get(context);
    if (!deadline) {
      deadline = startDeadline(policy.timeoutMs);
      deadlines.set(context, deadline);
    }
    return { deadline, own: false };
  };
  return {
    onSubgraphExecute({ subgraphName, executor, setExecutor }) {
      const withPolicy = async (request: ExecutionRequest) => {
        const operation = operationTypeOf(request);
        if (operation === 'subscription') return executor(request);
        const retries = operation === 'query' ? policy.queryRetries : 0;
        const { deadline, own } = deadlineOf(request.context as object | undefined);
        // A call without a context has no fetch `onFetch` could find its deadline for: its signal goes with it.
        const sent = own
          ? {
              ...request,
              signal: request.signal ? AbortSignal.any([deadline.signal, request.signal]) : deadline.signal,
            }
          : request;
        try {
          return await callWithinDeadline(executor, sent, deadline, { ...policy, queryRetries: retries }, subgraphName);
        } finally {
          if (own) deadline.clear();
        }
      };
      // The runtime types executors generically over their result; ours passes the result through.
      setExecutor(withPolicy as Executor);
    },
    onFetch({ context, options, setOptions }) {
      const deadline = context ? deadlines.get(context) : undefined;
      if (!deadline) return;
      // Node's own AbortSignal.any keeps its sources' dependants in a set: no listener list to walk.
      const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
      setOptions({ ...options, signal });
    },
    onExecute({ args }) {
      return {
        onExecuteDone() {
          const context = args.contextValue as object;
          deadlines.get(context)?.clear();
          deadlines.delete(context);
        },
      };
    },
  };
}

async function callWithinDeadline(
  executor: Executor,
  request: ExecutionRequest,
  deadline: Deadline,
  policy: UpstreamPolicy,
  subgraphName: string,
): Promise<Outcome> {
  const timedOut = (): ExecutionResult => ({
    errors: [new GraphQLError(`The ${subgraphName} subgraph did not answer within ${policy.timeoutMs} ms.`)],
  });
  let pause = policy.retryDelayMs;
  for (let attempt = 0; ; attempt++) {
    const lastAttempt = attempt >= policy.queryRetries;
    if (deadline.signal.aborted) return timedOut();
    let outcome: Outcome | typeof TIMED_OUT;
    try {
      outcome = await Promise.race([executor(request), deadline.expired]);
    } catch (error) {
      // A thrown failure would replace the whole answer; as an error result only this part is missing.
      outcome = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    if (outcome === TIMED_OUT) return timedOut();
    if (lastAttempt || !failedInTransport(outcome)) return outcome;
    const paused = new Promise<void>((resolve) => setTimeout(resolve, pause));
    if ((await Promise.race([paused, deadline.expired])) === TIMED_OUT) return timedOut();
    pause *= 2;
  }
}

/** No data and nothing but errors the subgraph did not raise itself (they would carry one of our codes). */
function failedInTransport(outcome: Outcome): boolean {
  if (Symbol.asyncIterator in (outcome as object)) return false;
  const { data, errors } = outcome as ExecutionResult;
  return data == null && errors !== undefined && errors.length > 0 && errors.every(isTransportFailure);
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
