import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { OPERATION_LIMITS } from '../../platform/server/limits.ts';

/** The same token, depth and alias limits the subgraphs apply, refused at the gateway before planning. */
export function useOperationLimits(): GatewayPlugin[] {
  return [
    maxTokensPlugin({ n: OPERATION_LIMITS.maxTokens }),
    maxDepthPlugin({ n: OPERATION_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true }),
    maxAliasesPlugin({ n: OPERATION_LIMITS.maxAliases }),
  ];
}
