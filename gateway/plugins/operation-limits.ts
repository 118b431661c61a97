import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  costLimitError,
  OPERATION_LIMITS,
  operationCost,
  operationLimitRules,
  tokenLimitError,
  variableErrors,
} from '../../platform/server/limits.ts';

/**
 * The same token, depth, alias and cost limits the subgraphs apply (`platform/server/limits.ts`),
 * refused at the gateway before planning, each with its own code. The cost is estimated in
 * `onExecute` rather than as a validation rule: it depends on the variables (`first: $n`), and the
 * runtime caches validation per document. Variables that do not coerce are refused there first,
 * with at most `MAX_VARIABLE_ERRORS` errors: the runtime's executor would report every one.
 */
export function useOperationLimits(options: { maxCost: number }): GatewayPlugin[] {
  return [
    maxTokensPlugin({
      n: OPERATION_LIMITS.maxTokens,
      propagateOnRejection: false,
      onReject: [
        () => {
          throw tokenLimitError();
        },
      ],
    }),
    {
      onValidate({ addValidationRule }) {
        for (const rule of operationLimitRules()) addValidationRule(rule);
      },
      onExecute({ args, setResultAndStopExecution }) {
        const invalid = variableErrors(
          args.schema,
          args.document,
          args.variableValues ?? undefined,
          args.operationName,
        );
        if (invalid.length > 0) return setResultAndStopExecution({ errors: invalid });
        const cost = operationCost(args.schema, args.document, args.variableValues ?? undefined, args.operationName);
        if (cost !== null && cost > options.maxCost) {
          setResultAndStopExecution({ errors: [costLimitError(cost, options.maxCost)] });
        }
      },
    },
  ];
}
