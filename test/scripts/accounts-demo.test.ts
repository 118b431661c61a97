/**
 * `npm start` as a user meets it: demo accounts printed once and written to
 * DATA_DIR/demo-accounts.txt, each signing in with its role; a new complainant registers, reads
 * the code from the development log, confirms it, signs in and files a case, with no `npm run token`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postGraphQL } from '../support/graph.ts';
import { startAllInOne, waitForExit, type AllInOne } from '../support/process.ts';

let dataDir: string;
let graph: AllInOne;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'weiquan-accounts-demo-'));
  graph = await startAllInOne({ DATA_DIR: dataDir, LOG_LEVEL: 'info', SEED_DEMO: 'true' }, 30_000);
});
afterAll(async () => {
  graph.child.kill('SIGTERM');
  await waitForExit(graph.child);
  rmSync(dataDir, { recursive: true, force: true });
});

interface DemoLine {
  role: string;
  contact: string;
  password: string;
  enterpriseId?: string;
}
function demoAccounts(): DemoLine[] {
  return readFileSync(join(dataDir, 'demo-accounts.txt'), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [role, contact, password, , enterpriseId] = line.trim().split(/\s+/);
      return { role, contact, password, ...(enterpriseId ? { enterpriseId } : {}) };
    });
}

const SIGN_IN = `mutation($c: String!, $p: String!, $e: ID) {
  signIn(contact: $c, password: $p, enterpriseId: $e) { accessToken account { role } } }`;
async function signIn(contact: string, password: string, enterpriseId?: string): Promise<string> {
  const response = await postGraphQL<{ signIn: { accessToken: string } }>(graph.gatewayUrl, SIGN_IN, {
    c: contact,
    p: password,
    e: enterpriseId ?? null,
  });
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.signIn.accessToken;
}

test('the first start prints four demo accounts once and writes them to demo-accounts.txt (mode 600)', () => {
  const accounts = demoAccounts();
  expect(accounts.map((account) => account.role)).toEqual(['complainant', 'representative', 'staff', 'admin']);
  expect(statSync(join(dataDir, 'demo-accounts.txt')).mode & 0o777).toBe(0o600);
  for (const account of accounts) expect(graph.output()).toContain(account.password);
});

test('each demo account signs in and sees its role’s demo data', async () => {
  const [complainant, representative, staff] = demoAccounts();
  type Page = { edges: unknown[] };
  const mine = await postGraphQL<{ myCases: Page }>(
    graph.gatewayUrl,
    '{ myCases(first: 1) { edges { cursor } } }',
    undefined,
    await signIn(complainant.contact, complainant.password),
  );
  expect(mine.data?.myCases.edges).toHaveLength(1);
  const queue = await postGraphQL<{ casesQueue: Page }>(
    graph.gatewayUrl,
    '{ casesQueue(first: 1) { edges { cursor } } }',
    undefined,
    await signIn(staff.contact, staff.password),
  );
  expect(queue.errors).toBeUndefined();
  expect(queue.data?.casesQueue.edges).toHaveLength(1);
  const rep = await postGraphQL<{ casesForEnterprise: Page }>(
    graph.gatewayUrl,
    '{ casesForEnterprise(first: 1) { edges { cursor } } }',
    undefined,
    await signIn(representative.contact, representative.password, representative.enterpriseId),
  );
  expect(rep.errors).toBeUndefined();
  expect(rep.data?.casesForEnterprise.edges).toHaveLength(1);
});

test('a new complainant registers, takes the code from the development log, signs in and files a case', async () => {
  const contact = 'new-user@example.org';
  const password = 'my own long password';
  await postGraphQL(graph.gatewayUrl, 'mutation($i: RegisterInput!) { register(input: $i) { message } }', {
    i: { contact, password },
  });
  const codeLine = /"code":"(\d{6})"[^\n]*verification code/;
  await graph.whenOutput((output) => codeLine.test(output), 'the verification code in the log');
  const code = codeLine.exec(graph.output())![1];
  expect(graph.output()).not.toContain(contact);
  const verified = await postGraphQL<{ verifyContact: { accessToken: string } }>(
    graph.gatewayUrl,
    'mutation($c: String!, $code: String!) { verifyContact(contact: $c, code: $code) { accessToken } }',
    { c: contact, code },
  );
  expect(verified.errors).toBeUndefined();
  const filed = await postGraphQL<{ submitCase: { status: string } }>(
    graph.gatewayUrl,
    'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { status } }',
    {
      input: {
        complainant: { name: '赵六', phone: '13800138000' },
        respondent: { name: '演示速购网络科技有限公司', storeUrl: 'https://shop.example.com/sugou' },
        industry: 'ECOMMERCE',
        issueType: 'REFUND',
        title: '退货后未退款',
        description: '11月3日退回商品，商家签收后两周仍未退款，客服不再回复。',
        demands: '退还货款',
        amount: 99,
        occurredOn: '2026-11-01',
      },
    },
    await signIn(contact, password),
  );
  expect(filed.errors).toBeUndefined();
  expect(filed.data?.submitCase.status).toBe('SUBMITTED');
});
