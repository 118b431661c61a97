import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { loadHolidayCalendar } from '../../platform/calendar/calendar.ts';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { SubgraphDefinition } from '../../platform/server/subgraph-server.ts';
import { loadCatalogue } from './data/load.ts';
import { createDirectoryResolvers } from './resolvers.ts';

/**
 * The directory holds no store: the catalogue and the holiday calendar are reviewed data files,
 * loaded and validated once here, so a broken file stops start-up naming the channel and field.
 */
export async function createDirectorySubgraph(deps: {
  config: Config;
  logger: Logger;
}): Promise<SubgraphDefinition<RequestContext>> {
  const catalogue = loadCatalogue();
  const calendar = loadHolidayCalendar();
  deps.logger.info(
    { channels: catalogue.channels.length, calendarYears: calendar.coveredYears },
    'directory catalogue loaded',
  );
  const dataVersion = contentVersion({ channels: catalogue.channels, calendar });
  return {
    name: 'directory',
    // The files are read once: what the directory answers changes only when a process with other files starts.
    dataVersion: () => dataVersion,
    resolvers: createDirectoryResolvers({ catalogue, calendar }),
    createContext: (base) => base,
    checkReady: async () => {},
    close: async () => {},
  };
}

/** A hash of the loaded data (Maps and Sets as their entries), the same for the same files. */
function contentVersion(data: unknown): string {
  const json = JSON.stringify(data, (_key, value: unknown) =>
    value instanceof Map || value instanceof Set ? [...value] : value,
  );
  return createHash('sha256').update(json).digest('base64url').slice(0, 16);
}
