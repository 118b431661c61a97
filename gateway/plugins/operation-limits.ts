import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  costLimitError,
  type OperationLimits,
  operationLimitRules,
  rememberedOperationCost,
  tokenLimitError,
  variableErrors,
} from '../../platform/server/limits.ts';

/**
 * The same token, depth, alias and cost limits the subgraphs apply (`platform/server/limits.ts`),
 * refused at the gateway before planning, each with its own code. The cost is estimated in
 * `onExecute` rather than as a validation rule: it depends on the variables (`first: $n`), and the
 * runtime caches validation per document; the estimate is remembered per document and the values
 * of the variables it depends on (`rememberedOperationCost`). Variables that do not coerce are
 * refused there first, with at most `maxVariableErrors` errors: the runtime's executor would report
 * every one.
 */
export function useOperationLimits(limits: OperationLimits): GatewayPlugin[] {
  const rules = operationLimitRules(limits);
  const estimate = rememberedOperationCost();
  return [
    maxTokensPlugin({
      n: limits.maxTokens,
      propagateOnRejection: false,
      onReject: [
        () => {
          throw tokenLimitError(limits.maxTokens);
        },
      ],
    }),
    {
      onValidate({ addValidationRule }) {
        for (const rule of rules) addValidationRule(rule);
      },
      onExecute({ args, setResultAndStopExecution }) {
        const invalid = variableErrors(
          args.schema,
          args.document,
          args.variableValues ?? undefined,
          args.operationName,
          limits.maxVariableErrors,
        );
        if (invalid.length > 0) return setResultAndStopExecution({ errors: invalid });
        const cost = estimate(args.schema, args.document, args.variableValues ?? undefined, args.operationName);
        if (cost !== null && cost > limits.maxCost) {
          setResultAndStopExecution({ errors: [costLimitError(cost, limits.maxCost)] });
        }
      },
    },
  ];
}
