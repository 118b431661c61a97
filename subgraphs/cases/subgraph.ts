import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { SubgraphDefinition } from '../../platform/server/subgraph-server.ts';
import { openSqlite, pingSqlite } from '../../platform/store/sqlite.ts';
import { resolvers } from './resolvers.ts';

export async function createCasesSubgraph(deps: { config: Config; logger: Logger }): Promise<SubgraphDefinition<RequestContext>> {
  const db = openSqlite(join(deps.config.DATA_DIR, 'cases.db'));
  return {
    name: 'cases',
    resolvers,
    createContext: (base) => base,
    checkReady: async () => pingSqlite(db),
    close: async () => db.close(),
  };
}
