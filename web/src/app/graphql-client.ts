/**
 * The one GraphQL client: same-origin `/graphql`, no persisted state. Queries are cached in memory
 * for the page's life only, so the back button shows an answer again without asking twice.
 */
import { Client, cacheExchange, fetchExchange } from '@urql/core';

export function createGraphqlClient(): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'cache-first',
  });
}
