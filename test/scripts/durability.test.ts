import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../platform/auth.ts';
import { loadConfig } from '../../platform/config.ts';
import { postGraphQL } from '../support/graph.ts';
import { startAllInOne, waitForExit } from '../support/process.ts';

/**
 * Nothing acknowledged is lost on kill -9: a burst of case filings runs against the real
 * all-in-one process, which is SIGKILLed while writes are still in flight. After a restart on the
 * same data directory, every filing the API acknowledged must be there, intact.
 */
const SUBMIT = `mutation Submit($input: SubmitCaseInput!) {
  submitCase(input: $input) { id reference title amount version }
}`;
const READ = `query Read($id: ID!) { case(id: $id) { id reference title amount description version } }`;

function filing(n: number) {
  return {
    complainant: { name: '李四', phone: '13800138000' },
    respondent: { name: `耐久测试商贸有限公司${n % 7}`, address: '浙江省义乌市江东街道' },
    industry: 'ECOMMERCE',
    issueType: 'REFUND',
    title: `Durability filing ${n}`,
    description: `第${n}号投诉：商家收到退货后拒绝退款，客服电话无人接听，已多次联系未果。`,
    demands: '退还货款',
    amount: 100 + n,
    occurredOn: '2026-11-01',
  };
}

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'weiquan-durability-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('every case filing acknowledged before a SIGKILL is present and intact after restart', async () => {
  const env = { DATA_DIR: dataDir, SEED_DEMO: 'false' };
  const secret = loadConfig({}).AUTH_SECRET;
  const complainant = await issueToken(secret, { id: 'durability-complainant', role: 'complainant' });
  const staff = await issueToken(secret, { id: 'durability-staff', role: 'staff' });

  const first = await startAllInOne(env);
  const acknowledged = new Map<string, { reference: string; title: string; amount: number }>();
  let next = 0;
  let stop = false;
  let enoughAcknowledged!: () => void;
  const sixtyAcknowledged = new Promise<void>((resolve) => (enoughAcknowledged = resolve));
  // Four concurrent writers; the process is killed under them once enough writes are acknowledged.
  const writer = async () => {
    while (!stop) {
      const n = next++;
      try {
        const response = await postGraphQL<{
          submitCase: { id: string; reference: string; title: string; amount: number };
        }>(first.gatewayUrl, SUBMIT, { input: filing(n) }, complainant);
        const created = response.data?.submitCase;
        if (created) {
          acknowledged.set(created.id, { reference: created.reference, title: created.title, amount: created.amount });
          if (acknowledged.size >= 60) enoughAcknowledged();
        } else if (!stop) throw new Error(`filing ${n} failed: ${JSON.stringify(response.errors)}`);
      } catch (error) {
        if (!stop) throw error;
      }
    }
  };
  const writers = Array.from({ length: 4 }, writer);
  // A writer that fails ends the wait at once instead of leaving it to the test timeout.
  await Promise.race([sixtyAcknowledged, Promise.all(writers)]);
  first.child.kill('SIGKILL');
  stop = true;
  await Promise.allSettled(writers);
  expect(await waitForExit(first.child)).toEqual({ code: null, signal: 'SIGKILL' });
  expect(acknowledged.size).toBeGreaterThanOrEqual(60);

  const second = await startAllInOne(env);
  try {
    for (const [id, expected] of acknowledged) {
      const response = await postGraphQL<{ case: unknown }>(second.gatewayUrl, READ, { id }, staff);
      expect(response.errors).toBeUndefined();
      const n = Number(expected.title.replace('Durability filing ', ''));
      expect(response.data?.case).toEqual({
        id,
        reference: expected.reference,
        title: expected.title,
        amount: expected.amount,
        description: filing(n).description,
        version: 1,
      });
    }
  } finally {
    second.child.kill('SIGKILL');
    await waitForExit(second.child);
  }
});
