import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { RequestContext } from '../../platform/context.ts';

/** Skeleton: replaced by ingestion (issue 5) and statistics (issue 6). */
export const resolvers: GraphQLResolverMap<RequestContext> = {
  Query: {
    enterprise: () => null,
  },
  Enterprise: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: null, industry: null, aliases: [] }),
  },
};
