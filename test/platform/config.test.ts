import { ConfigError, loadConfig } from '../../platform/config.ts';

test('defaults give the all-in-one graph on loopback with the embedded store', () => {
  const config = loadConfig({});
  expect(config.GATEWAY_PORT).toBe(4000);
  expect(config.store).toBe('sqlite');
  expect(config.subgraphUrls.cases).toBe('http://127.0.0.1:4002/graphql');
});

test('MONGODB_URI selects the MongoDB store', () => {
  expect(loadConfig({ MONGODB_URI: 'mongodb://db.example:27017' }).store).toBe('mongodb');
});

test('a bad value stops start-up with the variable name, what was expected and what was got', () => {
  expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(/GATEWAY_PORT: expected .*got "eighty"/);
});

test('production refuses the development AUTH_SECRET', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET/);
});

const PRODUCTION_SECRETS = {
  NODE_ENV: 'production',
  AUTH_SECRET: 'a-production-secret-of-32-characters-or-more',
  WEBHOOK_SIGNING_SECRET: 'a-production-webhook-secret',
};

test('production refuses the development WEBHOOK_SIGNING_SECRET (issue 18.6)', () => {
  const { WEBHOOK_SIGNING_SECRET: _own, ...withoutWebhookSecret } = PRODUCTION_SECRETS;
  expect(() => loadConfig(withoutWebhookSecret)).toThrow(/WEBHOOK_SIGNING_SECRET: expected a secret of your own/);
  expect(() => loadConfig({ ...withoutWebhookSecret, WEBHOOK_SIGNING_SECRET: 'weiquan-dev-webhook-secret' })).toThrow(
    /WEBHOOK_SIGNING_SECRET/,
  );
  expect(loadConfig(PRODUCTION_SECRETS).WEBHOOK_SIGNING_SECRET).toBe('a-production-webhook-secret');
});

test('production seeds no demo data unless SEED_DEMO asks; development does by default (issue 18.6)', () => {
  expect(loadConfig(PRODUCTION_SECRETS).SEED_DEMO).toBe(false);
  expect(loadConfig({ ...PRODUCTION_SECRETS, SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
  expect(loadConfig({}).SEED_DEMO).toBe(true);
  expect(loadConfig({ SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
});

test('CORS_ORIGINS takes "*" or a list of origins, nothing else', () => {
  expect(loadConfig({}).CORS_ORIGINS).toBeUndefined();
  expect(loadConfig({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toBe('*');
  expect(loadConfig({ CORS_ORIGINS: 'https://a.example,http://localhost:5173' }).CORS_ORIGINS).toEqual([
    'https://a.example',
    'http://localhost:5173',
  ]);
  expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
});

test('explicit subgraph URLs override the derived loopback ones', () => {
  const config = loadConfig({ CASES_URL: 'http://cases.internal:8080/graphql' });
  expect(config.subgraphUrls.cases).toBe('http://cases.internal:8080/graphql');
});

test('the gateway limits have their defaults, and a value out of range names the variable and the range', () => {
  const config = loadConfig({});
  expect({
    depth: config.GRAPHQL_MAX_DEPTH,
    aliases: config.GRAPHQL_MAX_ALIASES,
    tokens: config.GRAPHQL_MAX_TOKENS,
    variableErrors: config.GRAPHQL_MAX_VARIABLE_ERRORS,
    headerBytes: config.HTTP_MAX_HEADER_BYTES,
    queryRetries: config.UPSTREAM_QUERY_RETRIES,
    drainMs: config.SHUTDOWN_DRAIN_MS,
  }).toEqual({
    depth: 12,
    aliases: 30,
    tokens: 3000,
    variableErrors: 50,
    headerBytes: 16384,
    queryRetries: 2,
    drainMs: 8000,
  });
  expect(loadConfig({ GRAPHQL_MAX_DEPTH: '20', UPSTREAM_QUERY_RETRIES: '0' })).toMatchObject({
    GRAPHQL_MAX_DEPTH: 20,
    UPSTREAM_QUERY_RETRIES: 0,
  });
  expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: '0' })).toThrow(
    'GRAPHQL_MAX_DEPTH: expected a whole number from 1 to 1000, got "0"',
  );
  expect(() => loadConfig({ GRAPHQL_MAX_TOKENS: '3k' })).toThrow(
    'GRAPHQL_MAX_TOKENS: expected a whole number from 1 to 1000000, got "3k"',
  );
  expect(() => loadConfig({ HTTP_MAX_HEADER_BYTES: '100' })).toThrow(/HTTP_MAX_HEADER_BYTES: expected .* 1024 to/);
});
