import { type GatewayPlugin, useCustomFetch } from '@graphql-hive/gateway-runtime';
import { Agent, fetch } from 'undici';

/**
 * Subgraph fetches go through undici with a kept-alive connection pool of the gateway's own,
 * instead of the runtime's default (`@whatwg-node/node-fetch` over `node:http`). Measured in
 * `npm run bench:gateway` (BENCHMARKS.md, gateway): see there for what it changed.
 */
export function useUndiciFetch(): GatewayPlugin {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  const plugin = useCustomFetch(((url: string, init?: RequestInit) =>
    fetch(url, { ...(init as object), dispatcher })) as unknown as Parameters<typeof useCustomFetch>[0]);
  return {
    ...plugin,
    onDispose: () => dispatcher.close(),
  };
}
