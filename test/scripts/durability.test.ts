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

/** Staff actions and edits, several kill points: what a case's timeline says it went through. */
const EDIT = `mutation Edit($input: EditCaseInput!) { editCase(input: $input) { id version } }`;
const STEP = (name: string) => `mutation Step($input: CaseStepInput!) { ${name}(input: $input) { id version } }`;
const REJECT = `mutation Reject($input: CaseReasonInput!) { rejectCase(input: $input) { id version } }`;
const TIMELINE = `query Timeline($id: ID!) { case(id: $id) {
  id status version description timeline { sequence type fromStatus toStatus } } }`;

test('edits and staff actions acknowledged before two SIGKILLs are there; each timeline explains it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weiquan-durability-steps-'));
  const env = { DATA_DIR: dir, SEED_DEMO: 'false' };
  const secret = loadConfig({}).AUTH_SECRET;
  const complainant = await issueToken(secret, { id: 'durability-complainant', role: 'complainant' });
  const staff = await issueToken(secret, { id: 'durability-staff', role: 'staff' });
  /** The highest version the API acknowledged for each case, and the description it acknowledged last. */
  const acknowledged = new Map<string, { version: number; description: string }>();
  try {
    for (const killAfter of [15, 40]) {
      const running = await startAllInOne(env);
      let actions = 0;
      let stop = false;
      let reached!: () => void;
      const enough = new Promise<void>((resolve) => (reached = resolve));
      const acknowledge = (id: string, version: number, description?: string) => {
        const before = acknowledged.get(id);
        if (!before || version > before.version) {
          acknowledged.set(id, { version, description: description ?? before?.description ?? '' });
        }
        if (++actions >= killAfter) reached();
      };
      const worker = async (w: number) => {
        for (let n = 0; !stop; n++) {
          try {
            const filed = await postGraphQL<{ submitCase: { id: string; version: number } }>(
              running.gatewayUrl,
              SUBMIT,
              { input: filing(1000 * killAfter + 10 * n + w) },
              complainant,
            );
            const id = filed.data?.submitCase.id;
            if (!id) continue;
            acknowledge(id, 1, filing(1000 * killAfter + 10 * n + w).description);
            const description = `${filing(0).description} 修改${n}`;
            const edited = await postGraphQL<{ editCase: { version: number } }>(
              running.gatewayUrl,
              EDIT,
              { input: { id, expectedVersion: 1, description } },
              complainant,
            );
            if (edited.data) acknowledge(id, edited.data.editCase.version, description);
            const accepted = await postGraphQL<{ acceptCase: { version: number } }>(
              running.gatewayUrl,
              STEP('acceptCase'),
              { input: { id } },
              staff,
            );
            if (accepted.data) acknowledge(id, accepted.data.acceptCase.version);
            const last =
              n % 2 === 0
                ? await postGraphQL<Record<string, { version: number }>>(
                    running.gatewayUrl,
                    STEP('forwardCase'),
                    { input: { id } },
                    staff,
                  )
                : await postGraphQL<Record<string, { version: number }>>(
                    running.gatewayUrl,
                    REJECT,
                    { input: { id, reason: '材料不足，无法受理本投诉。' } },
                    staff,
                  );
            const version = Object.values(last.data ?? {})[0]?.version;
            if (version) acknowledge(id, version);
          } catch {
            // the kill: the request in flight was not acknowledged
          }
        }
      };
      const workers = [0, 1, 2].map(worker);
      await Promise.race([enough, Promise.all(workers)]);
      running.child.kill('SIGKILL');
      stop = true;
      await Promise.allSettled(workers);
      expect(await waitForExit(running.child)).toEqual({ code: null, signal: 'SIGKILL' });
    }

    const after = await startAllInOne(env);
    try {
      for (const [id, expected] of acknowledged) {
        const response = await postGraphQL<{
          case: {
            status: string;
            version: number;
            description: string;
            timeline: Array<{ sequence: number; type: string; fromStatus: string | null; toStatus: string }>;
          };
        }>(after.gatewayUrl, TIMELINE, { id }, staff);
        const found = response.data?.case;
        expect(found).toBeDefined();
        if (!found) continue;
        // An action in flight at the kill may have landed unacknowledged: one more version at most.
        expect(found.version - expected.version).toBeGreaterThanOrEqual(0);
        expect(found.version - expected.version).toBeLessThanOrEqual(1);
        if (found.version === expected.version) expect(found.description).toBe(expected.description);
        expect(found.timeline.map((event) => event.sequence)).toEqual(
          Array.from({ length: found.version }, (_, n) => n + 1),
        );
        // Each event starts where the one before it left the case, and the last leaves it as it is.
        found.timeline.forEach((event, n) => {
          if (n > 0) expect(event.fromStatus).toBe(found.timeline[n - 1]?.toStatus);
        });
        expect(found.timeline.at(-1)?.toStatus).toBe(found.status);
      }
      expect(acknowledged.size).toBeGreaterThan(5);
    } finally {
      after.child.kill('SIGKILL');
      await waitForExit(after.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
