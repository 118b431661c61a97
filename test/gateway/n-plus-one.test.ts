/**
 * The N+1 guard of the gateway benchmark (issue 17): a page of published cases with each
 * respondent's reputation and channels costs the same number of subgraph requests, and the same
 * number of cases-store and reputation-store queries per subgraph request, for 10 cases as for 100.
 */
import { seedCases } from '../../scripts/bench-gateway/seed.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { createLogger } from '../../platform/logger.ts';
import { createCasesSubgraph, openCasesStores } from '../../subgraphs/cases/subgraph.ts';
import { countingRepository } from '../../subgraphs/cases/store/case-repository-counting.ts';
import { createReputationSubgraph } from '../../subgraphs/reputation/subgraph.ts';
import { countingRollups } from '../../subgraphs/reputation/store/rollups-counting.ts';
import { postGraphQL, startGraph, type TestGraph } from '../support/graph.ts';
import { type UpstreamProxy, upstreamProxy } from './upstream-proxy.ts';

const PAGE = `query Page($first: Int!) {
  publishedCases(first: $first) {
    edges { node { reference title respondent {
      name reputation { complaints completionRate wilsonScore } channels { id }
    } } }
  }
}`;

let graph: TestGraph;
let gateway: RunningGateway;
let proxies: Record<'directory' | 'cases' | 'reputation' | 'accounts', UpstreamProxy>;
let storeCalls: string[] = [];
let reputationCalls: string[] = [];

beforeAll(async () => {
  graph = await startGraph({
    overrides: {
      cases: async (config, logger) => {
        const opened = await openCasesStores(config);
        const counting = countingRepository(opened.repo);
        storeCalls = counting.calls;
        return createCasesSubgraph({ config, logger }, { stores: { ...opened, repo: counting.repo } });
      },
      reputation: (config, logger) =>
        createReputationSubgraph({
          config,
          logger,
          instrumentRollups: (rollups) => {
            const counting = countingRollups(rollups);
            reputationCalls = counting.calls;
            return counting.rollups;
          },
        }),
    },
  });
  // 1,000 cases, one in five published: 200, over many respondents.
  seedCases(graph.dataDir, { cases: 1000, listings: 0, enterprises: 300 });
  proxies = {
    directory: await upstreamProxy(graph.urls.directory, []),
    cases: await upstreamProxy(graph.urls.cases, []),
    reputation: await upstreamProxy(graph.urls.reputation, []),
    accounts: await upstreamProxy(graph.urls.accounts, []),
  };
  gateway = await startGateway({
    // Without the response cache, which answers a repeated page itself: this guards what the subgraphs do per page.
    config: { ...graph.config, RESPONSE_CACHE: false },
    logger: createLogger('silent', 'test'),
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: {
      directory: proxies.directory.url,
      cases: proxies.cases.url,
      reputation: proxies.reputation.url,
      accounts: proxies.accounts.url,
    },
  });
});

afterAll(async () => {
  await gateway?.stop();
  for (const proxy of Object.values(proxies ?? {})) await proxy.close();
  await graph?.stop();
});

/** Runs one page and returns what it cost: subgraph requests by subgraph, cases- and reputation-store queries. */
async function costOf(first: number) {
  const before = Object.fromEntries(Object.entries(proxies).map(([name, proxy]) => [name, proxy.attempts()]));
  storeCalls.length = 0;
  reputationCalls.length = 0;
  const response = await postGraphQL<{ publishedCases: { edges: unknown[] } }>(gateway.url, PAGE, { first });
  expect(response.errors).toBeUndefined();
  expect(response.data?.publishedCases.edges).toHaveLength(first);
  const requests = Object.fromEntries(
    Object.entries(proxies).map(([name, proxy]) => [name, proxy.attempts() - before[name]]),
  );
  return { requests, storeQueries: [...storeCalls], reputationQueries: [...reputationCalls] };
}

test('a page of 100 published cases costs the subgraph requests a page of 10 costs: one per subgraph', async () => {
  const small = await costOf(10);
  const large = await costOf(100);
  expect(small.requests).toEqual({ directory: 1, cases: 1, reputation: 1, accounts: 0 });
  expect(large.requests).toEqual(small.requests);
});

test('the cases subgraph answers a page of 100 with the store queries it needs for a page of 10', async () => {
  const small = await costOf(10);
  const large = await costOf(100);
  expect(small.storeQueries.length).toBeGreaterThan(0);
  expect(large.storeQueries).toEqual(small.storeQueries);
});

test('the reputation subgraph answers a page of 100 respondents with the store queries of a page of 10', async () => {
  const small = await costOf(10);
  const large = await costOf(100);
  // One reputation request each (asserted above): these are its store queries per subgraph request.
  expect(small.reputationQueries.length).toBeGreaterThan(0);
  expect(large.reputationQueries).toEqual(small.reputationQueries);
});

test("a page that does not ask for the respondents' trend does not read the figures of the window before", async () => {
  const { reputationQueries } = await costOf(10);
  // The trend's read (the same figures over the range before) would be a second one.
  expect(reputationQueries.filter((query) => query === 'enterprisesStats')).toHaveLength(1);
});
