/**
 * The gateway's response cache (gateway/response-cache.ts): anonymous answers of public data are
 * served from memory until the directory's or reputation's data version moves; a signed-in caller
 * is never answered from it, and nothing that reaches the cases subgraph is kept. The directory
 * and reputation subgraphs sit behind counting proxies, so a test sees which answers reached them.
 */
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { DEMO_ENTERPRISES, seedDemoReputation } from '../../subgraphs/reputation/store/rollups-seed.ts';
import { filing } from '../subgraphs/cases/fixtures.ts';
import { postGraphQL, startGraph, type TestGraph } from '../support/graph.ts';
import { type UpstreamProxy, upstreamProxy } from './upstream-proxy.ts';

let graph: TestGraph;
let db: DatabaseSync;
let gateway: RunningGateway;
let reputation: UpstreamProxy;
let directory: UpstreamProxy;

beforeAll(async () => {
  graph = await startGraph();
  // As `npm run import` would: another connection on the reputation store's file.
  db = openSqlite(join(graph.dataDir, 'reputation.db'));
  reputation = await upstreamProxy(graph.urls.reputation, []);
  directory = await upstreamProxy(graph.urls.directory, []);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    DATA_DIR: graph.dataDir,
    // Versions checked for every request, so a change is seen by the very next one.
    RESPONSE_CACHE_VERSION_MAX_AGE_MS: '0',
  });
  gateway = await startGateway({
    config,
    logger: createLogger('silent', 'test'),
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: { ...graph.urls, reputation: reputation.url, directory: directory.url },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await reputation?.close();
  await directory?.close();
  db?.close();
  await graph?.stop();
});

const RANKING = `{ rankings(industry: TELECOM, window: LAST_365_DAYS) {
  totalCount edges { node { position name enterprise { id } } } methodology { minComplaints } } }`;
type Ranking = { rankings: { totalCount: number; edges: Array<{ node: { name: string } }> } };

/** Runs `send` and says how many GraphQL requests reached `proxy` meanwhile. */
async function reaching<T>(proxy: UpstreamProxy, send: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = proxy.attempts();
  const result = await send();
  return { result, requests: proxy.attempts() - before };
}

test('an ingestion into the reputation store changes a cached ranking', async () => {
  const before = await postGraphQL<Ranking>(gateway.url, RANKING);
  expect(before.data?.rankings.totalCount).toBe(0);
  const cached = await reaching(reputation, () => postGraphQL<Ranking>(gateway.url, RANKING));
  expect(cached.requests).toBe(0);

  await seedDemoReputation(db);

  const after = await reaching(reputation, () => postGraphQL<Ranking>(gateway.url, RANKING));
  expect(after.requests).toBe(1);
  expect(after.result.data?.rankings.totalCount).toBe(2);
});

test('an anonymous ranking is answered from the cache, with an ETag and Cache-Control: public, no-cache', async () => {
  const first = await postGraphQL<Ranking>(gateway.url, RANKING);
  const second = await reaching(reputation, () => postGraphQL<Ranking>(gateway.url, RANKING));
  expect(second.requests).toBe(0);
  expect(second.result.data).toEqual(first.data);
  expect(second.result.headers['cache-control']).toBe('public, no-cache');
  expect(second.result.headers.etag).toEqual(expect.any(String));
  expect(second.result.headers.etag).toBe(first.headers.etag);
});

test('a request revalidating the ETag gets 304 while nothing changed', async () => {
  const { headers } = await postGraphQL(gateway.url, RANKING);
  const revalidated = await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'if-none-match': String(headers.etag) },
    body: JSON.stringify({ query: RANKING }),
  });
  await revalidated.body.dump();
  expect(revalidated.statusCode).toBe(304);
});

test('the directory’s answers are cached too', async () => {
  const query = `{ whereToComplain(situation: { industry: TELECOM, issueType: BILLING, occurredOn: "2026-11-01",
    amount: 30, contactedBusinessOn: "2026-11-10", businessOutcome: NO_REPLY }, asOf: "2026-11-22") {
    rank channel { id name { en } } eligibility eligibleFrom } }`;
  const first = await reaching(directory, () => postGraphQL(gateway.url, query));
  const second = await reaching(directory, () => postGraphQL(gateway.url, query));
  expect(first.requests).toBe(1);
  expect(second.requests).toBe(0);
  expect(second.result.data).toEqual(first.result.data);
});

test('a signed-in caller is never answered from the cache, and its answer is marked private, no-store', async () => {
  await postGraphQL(gateway.url, RANKING);
  const token = await graph.tokenFor('complainant', 'user-cache-a');
  const signedIn = await reaching(reputation, () => postGraphQL<Ranking>(gateway.url, RANKING, undefined, token));
  const again = await reaching(reputation, () => postGraphQL<Ranking>(gateway.url, RANKING, undefined, token));
  expect(signedIn.requests).toBe(1);
  expect(again.requests).toBe(1);
  expect(again.result.headers['cache-control']).toBe('private, no-store');
  expect(again.result.headers.etag).toBeUndefined();
});

test('a signed-in caller’s personal answer never reaches another caller', async () => {
  const [a, b] = await Promise.all([
    graph.tokenFor('complainant', 'user-cache-a'),
    graph.tokenFor('complainant', 'user-cache-b'),
  ]);
  const occurredOn = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
  const submitted = await postGraphQL<{ submitCase: { id: string } }>(
    gateway.url,
    'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }',
    {
      input: filing({
        respondent: { name: DEMO_ENTERPRISES[0].name, address: '上海市演示路1号' },
        occurredOn,
        contactedBusinessOn: null,
        businessOutcome: null,
        businessRepliedOn: null,
      }),
    },
    a,
  );
  expect(submitted.errors).toBeUndefined();
  const MY_CASES = '{ myCases(first: 5) { edges { node { id } } } }';
  type MyCases = { myCases: { edges: Array<{ node: { id: string } }> } };
  const ofA = await postGraphQL<MyCases>(gateway.url, MY_CASES, undefined, a);
  const ofB = await postGraphQL<MyCases>(gateway.url, MY_CASES, undefined, b);
  const anonymous = await postGraphQL<MyCases>(gateway.url, MY_CASES);
  expect(ofA.data?.myCases.edges.map((edge) => edge.node.id)).toEqual([submitted.data?.submitCase.id]);
  expect(ofB.data?.myCases.edges).toEqual([]);
  expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('an answer that reaches the cases subgraph is not cached, even with a cacheable field beside it', async () => {
  const query = `{ rankings(industry: TELECOM, window: LAST_365_DAYS) { totalCount }
    publishedCases(first: 1) { edges { node { reference } } } }`;
  await postGraphQL(gateway.url, query);
  const again = await reaching(reputation, () => postGraphQL(gateway.url, query));
  expect(again.requests).toBe(1);
  expect(again.result.headers['cache-control']).toBeUndefined();
});
