/**
 * Real accounts for the desk's browser tests: the demo accounts a first start writes to
 * `DATA_DIR/demo-accounts.txt` (staff, the representative), and new complainants who register on
 * the page and type the code the SMTP test server received, as a person would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { postGraphQL } from '../support/graph.ts';
import { codeInMail, type ReceivedMail, whenReceived } from '../subgraphs/cases/notify/receivers.ts';

export interface Credentials {
  contact: string;
  password: string;
}

export type DemoLabel = 'complainant' | 'representative' | 'staff' | 'admin';

/** The demo accounts of a data directory: `label contact password [enterpriseId id]` per line. */
export function demoAccounts(dataDir: string): Record<DemoLabel, Credentials & { enterpriseId?: string }> {
  const accounts = {} as Record<DemoLabel, Credentials & { enterpriseId?: string }>;
  for (const line of readFileSync(join(dataDir, 'demo-accounts.txt'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [label, contact, password, , enterpriseId] = line.trim().split(/\s+/);
    accounts[label as DemoLabel] = { contact, password, ...(enterpriseId ? { enterpriseId } : {}) };
  }
  return accounts;
}

/**
 * Signs in on /desk. A representative then picks whom to act for: `actFor` is the enterprise's
 * button text (e.g. its name), or 'complainant'.
 */
export async function signInOnDesk(page: Page, origin: string, who: Credentials, actFor?: string): Promise<void> {
  await page.goto(`${origin}/desk`);
  await page.getByLabel('手机号或邮箱').fill(who.contact);
  await page.getByLabel('密码', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  if (actFor === 'complainant') await page.getByRole('button', { name: '以投诉人身份' }).click();
  else if (actFor) await page.getByRole('button', { name: `代表 ${actFor}` }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
}

/** Registers `who` on /desk and confirms the contact with the code mailed to it; signed in afterwards. */
export async function registerOnDesk(
  page: Page,
  origin: string,
  mails: ReceivedMail[],
  who: Credentials,
  onCodeStep?: () => Promise<void>,
): Promise<void> {
  await page.goto(`${origin}/desk`);
  await page.getByRole('button', { name: '还没有账户？用手机号或邮箱注册' }).click();
  await page.getByLabel('手机号或邮箱').fill(who.contact);
  await page.getByLabel('设置密码（10 到 128 个字符）').fill(who.password);
  const before = mails.filter((mail) => mail.to.includes(who.contact)).length;
  await page.getByRole('button', { name: '注册并发送验证码' }).click();
  await page.getByLabel('验证码', { exact: true }).waitFor();
  await whenReceived(() => mails.filter((mail) => mail.to.includes(who.contact)).length > before, 'the code mail');
  await onCodeStep?.();
  const code = codeInMail(mails.filter((mail) => mail.to.includes(who.contact)).at(-1) as ReceivedMail);
  await page.getByLabel('验证码', { exact: true }).fill(code);
  await page.getByRole('button', { name: '确认', exact: true }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
}

/** An access token for `who`, signed in through the graph as an app would (for setting up a test's data). */
export async function accessTokenOf(gatewayUrl: string, who: Credentials, enterpriseId?: string): Promise<string> {
  const answer = await postGraphQL<{ signIn: { accessToken: string } }>(
    gatewayUrl,
    `mutation($c: String!, $p: String!, $e: ID) {
      signIn(contact: $c, password: $p, enterpriseId: $e) { accessToken } }`,
    { c: who.contact, p: who.password, e: enterpriseId ?? null },
  );
  if (!answer.data) throw new Error(JSON.stringify(answer.errors));
  return answer.data.signIn.accessToken;
}
