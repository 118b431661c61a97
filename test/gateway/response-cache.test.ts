/**
 * The gateway's response cache (gateway/response-cache.ts): anonymous answers of public data are
 * served from memory until the directory's, reputation's or the published cases' data version
 * moves; a signed-in caller is never answered from it, nor is anything of the accounts subgraph or
 * a case that is not published. The directory, reputation and cases subgraphs sit behind counting
 * proxies, so a test sees which answers reached them.
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
let cases: UpstreamProxy;
/** The same graph behind a second gateway that trusts a version for a minute. */
let trusting: RunningGateway;

beforeAll(async () => {
  graph = await startGraph();
  // As `npm run import` would: another connection on the reputation store's file.
  db = openSqlite(join(graph.dataDir, 'reputation.db'));
  reputation = await upstreamProxy(graph.urls.reputation, []);
  directory = await upstreamProxy(graph.urls.directory, []);
  cases = await upstreamProxy(graph.urls.cases, []);
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    DATA_DIR: graph.dataDir,
    // Versions checked for every request, so a change is seen by the very next one.
    RESPONSE_CACHE_VERSION_MAX_AGE_MS: '0',
  };
  const subgraphUrls = { ...graph.urls, reputation: reputation.url, directory: directory.url, cases: cases.url };
  const logger = createLogger('silent', 'test');
  gateway = await startGateway({ config: loadConfig(env), logger, host: '127.0.0.1', port: 0, subgraphUrls });
  trusting = await startGateway({
    config: loadConfig({ ...env, RESPONSE_CACHE_VERSION_MAX_AGE_MS: '60000' }),
    logger,
    host: '127.0.0.1',
    port: 0,
    subgraphUrls,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await trusting?.stop();
  await cases?.close();
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

test('an answer with a non-public cases field is not cached, even with a cacheable field beside it', async () => {
  const query = `{ rankings(industry: TELECOM, window: LAST_365_DAYS) { totalCount }
    case(id: "case-of-nobody") { id reference } }`;
  await postGraphQL(gateway.url, query);
  const again = await reaching(reputation, () => postGraphQL(gateway.url, query));
  expect(again.requests).toBe(1);
  expect(again.result.headers['cache-control']).toBeUndefined();
});

test('an answer with a field of the accounts subgraph is not cached', async () => {
  const query = '{ publishedCases(first: 1) { edges { node { reference } } } me { id } }';
  await postGraphQL(gateway.url, query);
  const again = await reaching(cases, () => postGraphQL(gateway.url, query));
  expect(again.requests).toBe(1);
  expect(again.result.headers['cache-control']).toBeUndefined();
});

const FEED = `{ publishedCases(first: 10) { edges { node { reference title
  respondent { name reputation { complaints completionRate wilsonScore } channels { id } } } } } }`;
type Feed = { publishedCases: { edges: Array<{ node: { reference: string; respondent: { name: string } } }> } };
const referencesIn = (feed: { data?: Feed }) => feed.data?.publishedCases.edges.map((edge) => edge.node.reference);

/** Files a case as a complainant, then rejects, closes and publishes it as staff, all at `url`. */
async function publishedCase(url: string, respondent: string): Promise<string> {
  const [complainant, staff] = await Promise.all([
    graph.tokenFor('complainant', 'user-cache-feed'),
    graph.tokenFor('staff', 'staff-cache'),
  ]);
  const filed = await postGraphQL<{ submitCase: { id: string; reference: string } }>(
    url,
    'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id reference } }',
    { input: filing({ respondent: { name: respondent, address: '上海市演示路2号' } }) },
    complainant,
  );
  expect(filed.errors).toBeUndefined();
  const id = filed.data?.submitCase.id;
  for (const [step, input] of [
    ['rejectCase: CaseReasonInput', { id, reason: '不属受理范围' }],
    ['closeCase: CaseReasonInput', { id, reason: '结案' }],
    ['publishCase: CaseStepInput', { id }],
  ] as const) {
    const [name, type] = step.split(': ');
    const done = await postGraphQL(
      url,
      `mutation($input: ${type}!) { ${name}(input: $input) { id } }`,
      { input },
      staff,
    );
    expect(done.errors).toBeUndefined();
  }
  return String(filed.data?.submitCase.reference);
}

const servedFromCache = 'an anonymous page of published cases, with respondents, reputation and channels, is served';
test(`${servedFromCache} from the cache`, async () => {
  await publishedCase(graph.urls.cases, '缓存测试甲店');
  const first = await postGraphQL<Feed>(gateway.url, FEED);
  expect(first.errors).toBeUndefined();
  const second = await reaching(cases, () => postGraphQL<Feed>(gateway.url, FEED));
  expect(second.requests).toBe(0);
  expect(second.result.data).toEqual(first.data);
  expect(second.result.headers['cache-control']).toBe('public, no-cache');
});

test('publishing a case changes the cached page of published cases', async () => {
  await postGraphQL<Feed>(gateway.url, FEED);
  // Straight to the cases subgraph, as another gateway process would send it.
  const reference = await publishedCase(graph.urls.cases, '缓存测试乙店');
  const after = await reaching(cases, () => postGraphQL<Feed>(gateway.url, FEED));
  expect(after.requests).toBeGreaterThan(0);
  expect(referencesIn(after.result)).toContain(reference);
});

test('a case published through a gateway that trusts versions for a minute is in its feed at once', async () => {
  await postGraphQL<Feed>(trusting.url, FEED);
  const cached = await reaching(cases, () => postGraphQL<Feed>(trusting.url, FEED));
  expect(cached.requests).toBe(0);
  const reference = await publishedCase(trusting.url, '缓存测试丙店');
  const after = await postGraphQL<Feed>(trusting.url, FEED);
  expect(referencesIn(after)).toContain(reference);
});

test('the ETag is quoted, and a weak or listed If-None-Match naming it gets 304', async () => {
  const { headers } = await postGraphQL(gateway.url, RANKING);
  const etag = String(headers.etag);
  expect(etag).toMatch(/^"[^"]+"$/);
  for (const ifNoneMatch of [`W/${etag}`, `"elsewhere", ${etag}`]) {
    const revalidated = await request(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'if-none-match': ifNoneMatch },
      body: JSON.stringify({ query: RANKING }),
    });
    await revalidated.body.dump();
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.headers.etag).toBe(etag);
  }
});

test('a revalidation after the data changed gets the new answer, not 304', async () => {
  const { headers } = await postGraphQL<Feed>(gateway.url, FEED);
  const reference = await publishedCase(graph.urls.cases, '缓存测试丁店');
  const revalidated = await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'if-none-match': String(headers.etag) },
    body: JSON.stringify({ query: FEED }),
  });
  const body = (await revalidated.body.json()) as { data?: Feed };
  expect(revalidated.statusCode).toBe(200);
  expect(referencesIn(body)).toContain(reference);
});
