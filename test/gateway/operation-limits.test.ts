/**
 * Demand control and the other operation limits, at the gateway and at a subgraph reached directly
 * (issues 20.1 and 20.10): each refusal carries its own documented code.
 */
import { getIntrospectionQuery } from 'graphql';
import { request } from 'undici';
import { loadConfig } from '../../platform/config.ts';
import { operationLimits } from '../../platform/server/limits.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';

let graph: TestGraph;
let staff: string;
beforeAll(async () => {
  graph = await startGraph();
  staff = await graph.tokenFor('staff', 'limits-staff');
});
afterAll(async () => {
  await graph?.stop();
});

/** Issue 20.1's query: depth 11, under the depth limit, about a million objects. */
const NESTED_QUEUE = `{ casesQueue(first: 100) { edges { node { respondent { cases(first: 100) { edges { node {
  respondent { cases(first: 100) { edges { node { __typename } } } } } } } } } } } }`;

const codes = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  response.errors?.map((error) => error.extensions?.code);

describe('demand control: the cost counts list sizes (issue 20.1)', () => {
  test('the nested queue query is refused at the gateway: COST_LIMIT_EXCEEDED, its cost and the limit', async () => {
    const started = performance.now();
    const response = await graph.query(NESTED_QUEUE, undefined, staff);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(codes(response)).toEqual(['COST_LIMIT_EXCEEDED']);
    const extensions = response.errors?.[0]?.extensions as { cost: number; limit: number };
    expect(extensions.limit).toBe(graph.config.GRAPHQL_MAX_COST);
    expect(extensions.cost).toBeGreaterThan(1_000_000);
  });

  test('the cases subgraph reached directly refuses it too', async () => {
    const response = await graph.query(NESTED_QUEUE, undefined, staff, graph.urls.cases);
    expect(codes(response)).toEqual(['COST_LIMIT_EXCEEDED']);
  });

  test('a page size passed as a variable is counted as the value sent', async () => {
    const query = `query($n: Int) { casesQueue(first: $n) { edges { node { respondent {
      cases(first: $n) { edges { node { id } } } } } } } }`;
    expect(codes(await graph.query(query, { n: 100 }, staff))).toEqual(['COST_LIMIT_EXCEEDED']);
    const small = await graph.query(query, { n: 5 }, staff);
    expect(small.errors).toBeUndefined();
    expect(small.data).toEqual({ casesQueue: { edges: [] } });
  });

  test('the same document is counted again when a page size or an @include condition changes', async () => {
    // Sent small first: a cost remembered for the document alone would let the large ones through.
    const query = `query($n: Int, $deep: Boolean!) { casesQueue(first: $n) { edges { node { respondent {
      cases(first: 100) @include(if: $deep) { edges { node { id } } } } } } } }`;
    expect((await graph.query(query, { n: 100, deep: false }, staff)).errors).toBeUndefined();
    expect((await graph.query(query, { n: 5, deep: true }, staff)).errors).toBeUndefined();
    // Refused by the gateway itself (400, before planning), not only by the cases subgraph behind it.
    const deep = await graph.query(query, { n: 100, deep: true }, staff);
    expect([deep.status, codes(deep)]).toEqual([400, ['COST_LIMIT_EXCEEDED']]);
    expect((await graph.query(query, { n: 100, deep: false }, staff)).errors).toBeUndefined();
  });

  test('_entities on a subgraph is counted per representation', async () => {
    const representations = Array.from({ length: 100 }, (_, i) => ({ __typename: 'Enterprise', id: `ent1_${i}` }));
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Enterprise { cases(first: 100) { edges { node { id } } } } } }`;
    const response = await graph.query(query, { representations }, staff, graph.urls.cases);
    expect(codes(response)).toEqual(['COST_LIMIT_EXCEEDED']);
  });

  test('a subgraph counts the same _entities document again for more representations', async () => {
    // The subgraph remembers estimates per number of representations: sent small first, a cost
    // remembered for the document alone would let the large one through.
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Enterprise { cases(first: 100) { edges { node { id } } } } } }`;
    const some = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Enterprise', id: `ent2_${i}` }));
    const small = await graph.query(query, { representations: some(2) }, staff, graph.urls.cases);
    expect(small.errors).toBeUndefined();
    const large = await graph.query(query, { representations: some(100) }, staff, graph.urls.cases);
    expect(codes(large)).toEqual(['COST_LIMIT_EXCEEDED']);
  });

  test("GraphiQL's introspection query costs nothing: its size is the schema's, not the data's", async () => {
    const introspection = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true });
    const response = await graph.query<{ __schema: { types: unknown[] } }>(introspection);
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.types.length).toBeGreaterThan(100);
  });

  test('an ordinary staff page with its respondents and timelines is well under the limit', async () => {
    const response = await graph.query(
      `{ casesQueue(first: 50) { edges { node { id timeline { at } respondent { name } } } } }`,
      undefined,
      staff,
    );
    // About 1 + 50 × (edge + node + respondent + 10 timeline events), well under 10,000.
    expect(response.errors).toBeUndefined();
  });
});

/** The defaults, which the graph of this file runs with. */
const LIMITS = operationLimits(loadConfig({}));

describe('every limit error carries its documented code (issue 20.10)', () => {
  const nesting = 'respondent { cases(first: 1) { edges { node { ';
  const deep = `{ casesQueue(first: 1) { edges { node { ${nesting.repeat(3)} id ${'} '.repeat(15)}}`;
  const aliases = Array.from(
    { length: LIMITS.maxAliases + 1 },
    (_, i) => `a${i}: casesQueue(first: 1) { edges { cursor } }`,
  );
  const aliased = `{ ${aliases.join(' ')} }`;
  const manyTokens = `{ ${'__typename '.repeat(LIMITS.maxTokens + 1)}}`;

  for (const [where, url] of [
    ['the gateway', () => graph.gatewayUrl],
    ['a subgraph', () => graph.urls.cases],
  ] as const) {
    test(`depth, aliases and tokens at ${where}: DEPTH_, ALIAS_ and TOKEN_LIMIT_EXCEEDED with the limit`, async () => {
      const depth = await graph.query(deep, undefined, staff, url());
      expect(depth.errors?.[0]?.extensions?.limit).toBe(LIMITS.maxDepth);
      expect(codes(depth)).toEqual(['DEPTH_LIMIT_EXCEEDED']);
      expect(codes(await graph.query(aliased, undefined, staff, url()))).toEqual(['ALIAS_LIMIT_EXCEEDED']);
      const tokens = await graph.query(manyTokens, undefined, undefined, url());
      expect(codes(tokens)).toEqual(['TOKEN_LIMIT_EXCEEDED']);
      expect(tokens.errors?.[0]?.extensions?.limit).toBe(LIMITS.maxTokens);
    });

    test(`a variable that does not coerce is BAD_USER_INPUT at ${where}`, async () => {
      const query = 'query($n: Int) { publishedCases(first: $n) { edges { node { id } } } }';
      for (const n of ['ten', 1.5, { first: 1 }]) {
        const response = await graph.query(query, { n }, undefined, url());
        expect({ n, codes: codes(response) }).toEqual({ n, codes: ['BAD_USER_INPUT'] });
      }
      const missing = await graph.query('query($id: ID!) { case(id: $id) { id } }', {}, staff, url());
      expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
    });

    test(`an unparsable query is GRAPHQL_PARSE_FAILED, a body that is not JSON BAD_REQUEST at ${where}`, async () => {
      expect(codes(await graph.query('{ casesQueue(', undefined, undefined, url()))).toEqual(['GRAPHQL_PARSE_FAILED']);
      const response = await request(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": ',
      });
      const body = (await response.body.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
      expect(response.statusCode).toBe(400);
      expect(codes(body)).toEqual(['BAD_REQUEST']);
    });
  }
});

describe('the limits are settings: a graph started with other values applies them (issue 18)', () => {
  let tight: TestGraph;
  let tightStaff: string;
  beforeAll(async () => {
    tight = await startGraph({
      env: {
        GRAPHQL_MAX_DEPTH: '5',
        GRAPHQL_MAX_ALIASES: '2',
        GRAPHQL_MAX_TOKENS: '120',
        GRAPHQL_MAX_VARIABLE_ERRORS: '3',
        HTTP_MAX_HEADER_BYTES: '4096',
      },
    });
    tightStaff = await tight.tokenFor('staff', 'limits-staff');
  });
  afterAll(async () => {
    await tight?.stop();
  });
  /** Depth 8: within the default of 12. */
  const eightDeep =
    '{ casesQueue(first: 1) { edges { node { respondent { cases(first: 1) { edges { node { id } } } } } } } }';
  const aliased = (alias: string) => `${alias}: casesQueue(first: 1) { edges { cursor } }`;
  const threeAliases = `{ ${['a', 'b', 'c'].map(aliased).join(' ')} }`;
  const manyTokens = `{ ${'__typename '.repeat(121)}}`;

  test('each passes the default limits (the graph shared by this file)', async () => {
    for (const query of [eightDeep, threeAliases, manyTokens]) {
      expect((await graph.query(query, undefined, staff)).errors).toBeUndefined();
    }
  });

  for (const [where, url] of [
    ['the gateway', () => tight.gatewayUrl],
    ['a subgraph', () => tight.urls.cases],
  ] as const) {
    test(`depth 5, 2 aliases and 120 tokens at ${where}: refused with the limit set`, async () => {
      const depth = await tight.query(eightDeep, undefined, tightStaff, url());
      expect(codes(depth)).toEqual(['DEPTH_LIMIT_EXCEEDED']);
      expect(depth.errors?.[0]?.extensions?.limit).toBe(5);
      const aliased = await tight.query(threeAliases, undefined, tightStaff, url());
      expect(codes(aliased)).toEqual(['ALIAS_LIMIT_EXCEEDED']);
      expect(aliased.errors?.[0]?.extensions?.limit).toBe(2);
      const tokens = await tight.query(manyTokens, undefined, undefined, url());
      expect(codes(tokens)).toEqual(['TOKEN_LIMIT_EXCEEDED']);
      expect(tokens.errors?.[0]?.extensions?.limit).toBe(120);
    });

    test(`request headers past HTTP_MAX_HEADER_BYTES (4 KiB) at ${where}: 431 naming the limit`, async () => {
      const response = await request(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-padding': 'p'.repeat(5000) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const body = (await response.body.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(response.statusCode).toBe(431);
      expect(body.errors[0]?.extensions.code).toBe('REQUEST_HEADER_FIELDS_TOO_LARGE');
      expect(body.errors[0]?.message).toContain('4096 bytes');
    });
  }

  test('3 variable errors at the gateway: the limit set, then one saying it stopped', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const query = `query(${names.map((n) => `$${n}: Boolean!`).join(', ')}) {
        ${names.map((n) => `__typename @include(if: $${n})`).join(' ')} }`;
    const notBooleans = Object.fromEntries(names.map((n) => [n, 'yes']));
    const variables = await tight.query(query, notBooleans);
    // graphql-js reports the limit's worth of errors, then one saying it stopped.
    expect(variables.errors?.length).toBe(4);
  });
});
