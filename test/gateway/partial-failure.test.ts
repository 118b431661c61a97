import { startGraph, type TestGraph } from '../support/graph.ts';

/** Each test gets its own graph because it stops one of the subgraphs. */
let graph: TestGraph;
beforeEach(async () => {
  graph = await startGraph();
});
afterEach(async () => {
  await graph?.stop();
});

const ROOTS_FROM_TWO_SUBGRAPHS = `{ channels { id } enterprise(id: "ent1_00000000000000000000") { id } }`;

test('with the reputation subgraph stopped, a composed query still returns the directory data', async () => {
  await graph.subgraphs.reputation.stop();
  const response = await graph.query<{ channels: Array<{ id: string }>; enterprise: { id: string } | null }>(
    ROOTS_FROM_TWO_SUBGRAPHS,
  );
  expect(response.status).toBe(200);
  expect(response.data).not.toBeNull();
  expect(Array.isArray(response.data?.channels)).toBe(true);
  expect(response.data?.channels.length).toBeGreaterThan(0);
  expect(response.data?.enterprise).toBeNull();
});

test('the missing part is a SERVICE_UNAVAILABLE error naming the stopped subgraph', async () => {
  await graph.subgraphs.reputation.stop();
  const response = await graph.query(ROOTS_FROM_TWO_SUBGRAPHS);
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'reputation' });
  expect(response.errors?.[0].path).toEqual(['enterprise']);
});

test('the error leaks no upstream address, connection error or request body', async () => {
  await graph.subgraphs.reputation.stop();
  const response = await graph.query(ROOTS_FROM_TWO_SUBGRAPHS);
  const text = JSON.stringify(response.errors);
  expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|localhost|_entities|fetch failed|stack/i);
});

test('with the directory stopped, its nullable field is null and the rest of the answer stays', async () => {
  await graph.subgraphs.directory.stop();
  const response = await graph.query(
    `{ enterprise(id: "ent1_00000000000000000000") { id } channel(id: "12315") { id } }`,
  );
  expect(response.data).toEqual({ enterprise: null, channel: null });
  expect(response.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'directory' });
});
