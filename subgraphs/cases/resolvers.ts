import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { RequestContext } from '../../platform/context.ts';

/** Skeleton: replaced by the full cases slice (issue 4). */
export const resolvers: GraphQLResolverMap<RequestContext> = {
  Query: {
    case: () => null,
  },
  Enterprise: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: null, industry: null }),
  },
};
