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

test('explicit subgraph URLs override the derived loopback ones', () => {
  const config = loadConfig({ CASES_URL: 'http://cases.internal:8080/graphql' });
  expect(config.subgraphUrls.cases).toBe('http://cases.internal:8080/graphql');
});
