/**
 * The one GraphQL client: same-origin `/graphql`, no persisted state. Queries are cached in memory
 * for the page's life only, so the back button shows an answer again without asking twice. The
 * desk's bearer token, when signed in, goes with every request (renewed first when due).
 */
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { authorizedFetch } from '../desk/session.ts';

export function createGraphqlClient(): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'cache-first',
    fetch: authorizedFetch,
  });
}
