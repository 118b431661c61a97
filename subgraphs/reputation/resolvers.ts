import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { RequestContext } from '../../platform/context.ts';
import { reputationStatisticsResolvers } from './resolvers/reputation.ts';
import { sourcesResolvers } from './resolvers/sources.ts';

/** Merges the resolver modules of the slice type by type; a field defined twice is a bug, so it throws. */
function mergeResolvers<Ctx>(...modules: Array<GraphQLResolverMap<Ctx>>): GraphQLResolverMap<Ctx> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const module of modules) {
    for (const [typeName, fields] of Object.entries(module)) {
      const target = merged[typeName] ?? {};
      merged[typeName] = target;
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (field in target) throw new Error(`Resolver ${typeName}.${field} is defined by two modules.`);
        target[field] = resolver;
      }
    }
  }
  return merged as GraphQLResolverMap<Ctx>;
}

export const resolvers: GraphQLResolverMap<RequestContext> = mergeResolvers<RequestContext>(
  reputationStatisticsResolvers as unknown as GraphQLResolverMap<RequestContext>,
  sourcesResolvers as unknown as GraphQLResolverMap<RequestContext>,
);
