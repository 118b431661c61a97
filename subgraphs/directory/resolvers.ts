import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { RequestContext } from '../../platform/context.ts';

/** Skeleton: replaced by the full directory (issue 3). */
const channels = [
  { id: '12315', name: { zhCN: '全国12315平台', en: 'National 12315 Platform' } },
  { id: 'blackcat', name: { zhCN: '黑猫投诉', en: 'Black Cat Complaints' } },
];

export const resolvers: GraphQLResolverMap<RequestContext> = {
  Query: {
    channel: (_: unknown, { id }: { id: string }) => channels.find((channel) => channel.id === id) ?? null,
    channels: () => channels,
  },
  Channel: {
    __resolveReference: (ref: { id: string }) => channels.find((channel) => channel.id === ref.id) ?? null,
  },
  Enterprise: {
    channels: () => channels,
  },
};
