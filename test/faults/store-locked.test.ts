/**
 * The store locked (issue 18, faults): another connection holds SQLite's write lock (`BEGIN
 * IMMEDIATE` from a second `DatabaseSync`, as a stuck import or a backup tool would). A write
 * through the gateway must answer SERVICE_UNAVAILABLE promptly, readiness must fail and name the
 * cases subgraph, reads go on, and all of it recovers by itself once the lock is released.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { request } from 'undici';
import { startGraph, type TestGraph } from '../support/graph.ts';

let graph: TestGraph;
let complainant: string;
beforeAll(async () => {
  graph = await startGraph();
  complainant = await graph.tokenFor('complainant', 'locked-complainant');
});
afterAll(async () => {
  await graph?.stop();
});

const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`;
const filing = (n: number) => ({
  complainant: { name: '李四', phone: '13800138000' },
  respondent: { name: '锁定测试商贸有限公司', address: '浙江省义乌市江东街道' },
  industry: 'ECOMMERCE',
  issueType: 'REFUND',
  title: `Locked store filing ${n}`,
  description: '商家收到退货后拒绝退款，客服电话无人接听，已多次联系未果。',
  demands: '退还货款',
  amount: 100,
  occurredOn: '2026-11-01',
});

async function readyz(url: string): Promise<{ status: number; body: unknown }> {
  const response = await request(new URL('/readyz', url));
  return { status: response.statusCode, body: await response.body.json() };
}

test('a write answers SERVICE_UNAVAILABLE promptly, readiness fails naming cases, and both recover', async () => {
  const first = await graph.query<{ submitCase: { id: string } }>(SUBMIT, { input: filing(1) }, complainant);
  expect(first.errors).toBeUndefined();

  const holder = new DatabaseSync(join(graph.dataDir, 'cases.db'));
  holder.exec('BEGIN IMMEDIATE');
  try {
    const started = performance.now();
    const refused = await graph.query(SUBMIT, { input: filing(2) }, complainant);
    const ms = performance.now() - started;
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ service: 'cases', reason: 'storage locked' });
    expect(ms).toBeLessThan(2_500);

    expect((await readyz(graph.urls.cases)).status).toBe(503);
    const gateway = await readyz(graph.gatewayUrl);
    expect(gateway.status).toBe(503);
    expect(JSON.stringify(gateway.body)).toContain('"cases":"unavailable"');

    // Reads go on: WAL readers do not wait for the writer.
    const read = await graph.query<{ case: { id: string } }>(
      `query($id: ID!) { case(id: $id) { id } }`,
      { id: first.data?.submitCase.id },
      complainant,
    );
    expect(read.data?.case.id).toBe(first.data?.submitCase.id);
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }

  expect((await readyz(graph.urls.cases)).status).toBe(200);
  expect((await readyz(graph.gatewayUrl)).status).toBe(200);
  const after = await graph.query<{ submitCase: { id: string } }>(SUBMIT, { input: filing(3) }, complainant);
  expect(after.errors).toBeUndefined();
});
