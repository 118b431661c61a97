/**
 * With NODE_ENV=production the graph gives its schema away nowhere (issue 20.9): no introspection
 * at the gateway or any subgraph, no federation `_service { sdl }` on a subgraph, no landing page,
 * no "Did you mean …?" suggestions, no GraphiQL. Development keeps them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { WEB_DIST_DIR } from '../../gateway/web-assets.ts';
import { SUBGRAPHS } from '../../platform/server/sdl.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';

let production: TestGraph;
beforeAll(async () => {
  production = await startGraph({
    env: {
      NODE_ENV: 'production',
      AUTH_SECRET: 'production-mode-test-secret-0123456789',
      WEBHOOK_SIGNING_SECRET: 'production-mode-webhook-secret',
    },
  });
});
afterAll(async () => {
  await production?.stop();
});

const endpoints = () => ({ gateway: production.gatewayUrl, ...production.urls });
const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';

test('introspection is refused at the gateway and every subgraph', async () => {
  expect(Object.keys(endpoints())).toEqual(['gateway', ...SUBGRAPHS]);
  for (const [name, url] of Object.entries(endpoints())) {
    const response = await production.query(INTROSPECTION, undefined, undefined, url);
    expect({ name, data: response.data ?? null }).toEqual({ name, data: null });
    const codes = new Set(response.errors?.map((error) => error.extensions?.code));
    expect({ name, codes: [...codes] }).toEqual({ name, codes: ['GRAPHQL_VALIDATION_FAILED'] });
  }
  const typeOnly = await production.query('{ __type(name: "Case") { fields { name } } }');
  expect(typeOnly.data ?? null).toBeNull();
});

test('a subgraph refuses the federation _service { sdl } query', async () => {
  for (const name of SUBGRAPHS) {
    const response = await production.query('{ _service { sdl } }', undefined, undefined, production.urls[name]);
    expect({ name, data: response.data ?? null }).toEqual({ name, data: null });
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  }
});

test('a browser GET on a subgraph gets no Apollo landing page', async () => {
  for (const name of SUBGRAPHS) {
    const response = await request(production.urls[name], { headers: { accept: 'text/html' } });
    const text = await response.body.text();
    expect({ name, html: /<html|<!DOCTYPE/i.test(text) }).toEqual({ name, html: false });
  }
});

/** A file of GraphiQL's build (web/graphiql/ into web/dist/assets/graphiql/, built by `npm test` first). */
function graphiqlAssetPath(): string {
  const [file] = readdirSync(join(WEB_DIST_DIR, 'assets', 'graphiql'));
  if (!file) throw new Error('GraphiQL is not built: run `npm run build:web`');
  return `/assets/graphiql/${file}`;
}

test('a browser GET on the gateway gets no GraphiQL, and none of its files are served', async () => {
  const page = await request(production.gatewayUrl, { headers: { accept: 'text/html' } });
  const text = await page.body.text();
  expect({ html: /<html|<!DOCTYPE/i.test(text), graphiql: /graphiql/i.test(text) }).toEqual({
    html: false,
    graphiql: false,
  });
  const asset = await request(new URL(graphiqlAssetPath(), production.gatewayUrl));
  await asset.body.dump();
  expect(asset.statusCode).toBe(404);
});

/** A misspelt root field of each endpoint, one graphql-js would suggest the real name for. */
const TYPOS = { gateway: 'channelz', directory: 'channelz', cases: 'casesQueu', reputation: 'ranking' };

test('an unknown field is refused without suggesting real ones', async () => {
  for (const [name, url] of Object.entries(endpoints())) {
    const typo = TYPOS[name as keyof typeof TYPOS];
    const response = await production.query(`{ ${typo} }`, undefined, undefined, url);
    const message = response.errors?.[0]?.message ?? '';
    expect(message).toMatch(new RegExp(`Cannot query field "${typo}"`));
    expect({ name, message }).toEqual({ name, message: expect.not.stringMatching(/Did you mean/) });
  }
});

test('ordinary queries still answer in production', async () => {
  const response = await production.query('{ channel(id: "12315") { id } }');
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({ channel: { id: '12315' } });
});

describe('development keeps the schema discoverable', () => {
  let development: TestGraph;
  beforeAll(async () => {
    development = await startGraph();
  });
  afterAll(async () => {
    await development?.stop();
  });

  test('a browser GET on the gateway gets our GraphiQL page, and its files', async () => {
    const page = await request(development.gatewayUrl, { headers: { accept: 'text/html' } });
    await expect(page.body.text()).resolves.toContain('<title>GraphiQL');
    const asset = await request(new URL(graphiqlAssetPath(), development.gatewayUrl));
    await asset.body.dump();
    expect(asset.statusCode).toBe(200);
  });

  test('introspection answers at the gateway and a subgraph, and suggestions name the field', async () => {
    for (const url of [development.gatewayUrl, development.urls.cases]) {
      const response = await development.query(INTROSPECTION, undefined, undefined, url);
      expect(response.errors).toBeUndefined();
    }
    const typo = await development.query('{ channelz }');
    expect(typo.errors?.[0]?.message).toMatch(/Did you mean "channel"/);
  });
});
