import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { SubgraphDefinition } from '../../platform/server/subgraph-server.ts';
import { resolvers } from './resolvers.ts';

export async function createDirectorySubgraph(_deps: { config: Config; logger: Logger }): Promise<SubgraphDefinition<RequestContext>> {
  return {
    name: 'directory',
    resolvers,
    createContext: (base) => base,
    checkReady: async () => {},
    close: async () => {},
  };
}
