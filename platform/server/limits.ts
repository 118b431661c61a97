import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { GraphQLError, ValidationContext } from 'graphql';

/**
 * Operation limits, applied at the gateway and again in every subgraph (a subgraph reached
 * directly must be as hard to abuse as the gateway). Generous enough for the deepest legitimate
 * query in the README (case → respondent → reputation → per-source breakdown).
 */
export const OPERATION_LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 3000,
} as const;

/** Report a rejection as an ordinary validation error (a 400 naming the limit), never a thrown 500. */
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export function subgraphValidationRules() {
  return [
    maxDepthRule({
      n: OPERATION_LIMITS.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      ...reportAsValidationError,
    }),
    maxAliasesRule({ n: OPERATION_LIMITS.maxAliases, ...reportAsValidationError }),
  ];
}
