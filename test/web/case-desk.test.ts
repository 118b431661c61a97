/**
 * The case desk in a real headless Chromium over the real graph, every role signed in with a real
 * account: a complainant who registers on the page (the code read from the SMTP test server), and
 * the demo staff and representative a first start writes to demo-accounts.txt. The whole life of
 * a case (filed with evidence by a double click, accepted, forwarded, replied, confirmed, closed,
 * published, masked on the public feed); an edit with its history and a field the graph refuses;
 * reporting unsatisfied and appealing; withdrawing. Each step is offered because the graph lists it
 * in `allowedActions`.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { type ReceivedMail, startSmtpSink } from '../subgraphs/cases/notify/receivers.ts';
import { expectNoSeriousAxeViolations } from './axe.ts';
import { accessTokenOf, type Credentials, demoAccounts, registerOnDesk, signInOnDesk } from './desk-accounts.ts';
import { BROWSER_TEST_TIMEOUT_MS, onPage } from './page-harness.ts';

/** The demo representative acts for this enterprise (subgraphs/accounts/seed.ts). */
const REPRESENTED = '演示优品商城有限公司';

let graph: TestGraph;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let origin: string;
let demo: ReturnType<typeof demoAccounts>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  [graph, browser] = await Promise.all([
    startGraph({ env: { SEED_DEMO: 'true', SMTP_URL: smtp.url } }),
    launchBrowser(),
  ]);
  origin = new URL(graph.gatewayUrl).origin;
  demo = demoAccounts(graph.dataDir);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
  await smtp?.stop();
});

const mails = (): ReceivedMail[] => smtp.mails;

/** Signs `who` in (a representative acting for `actFor`), opens the case and takes `action` (its button's label). */
async function act(
  who: Credentials,
  caseId: string,
  action: string,
  status: string,
  options: { text?: string; actFor?: string } = {},
): Promise<void> {
  await onPage(browser, `desk-${action}`, 'zh-CN', async (page) => {
    await signInOnDesk(page, origin, who, options.actFor);
    await page.goto(`${origin}/desk/cases/${caseId}`);
    const form = page.locator(`form.case-action`, { has: page.getByRole('button', { name: action, exact: true }) });
    await form.waitFor();
    if (options.text) await form.locator('textarea').fill(options.text);
    await form.getByRole('button', { name: action, exact: true }).click();
    await page.locator('.case-status', { hasText: status }).waitFor();
  });
}

/** Files a case through the graph as `token`'s holder (for tests about later steps). */
async function fileThroughGraph(token: string, title: string): Promise<string> {
  const filed = await graph.query<{ submitCase: { id: string } }>(
    `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`,
    {
      input: {
        complainant: { name: '李四', phone: '13912345678' },
        respondent: { name: REPRESENTED, storeUrl: 'https://shop.example.com/youpin' },
        industry: 'ECOMMERCE',
        issueType: 'PRODUCT_QUALITY',
        title,
        description: '11月2日收到的蓝牙耳机左耳完全没有声音，联系客服申请换货被拒绝。',
        demands: '更换新品',
        amount: 299,
        occurredOn: '2026-11-02',
      },
    },
    token,
  );
  if (!filed.data) throw new Error(JSON.stringify(filed.errors));
  return filed.data.submitCase.id;
}

/** Staff accept and forward, and the business replies, through the graph: the case waits on the complainant. */
async function forwardAndReply(caseId: string): Promise<void> {
  const staff = await accessTokenOf(graph.gatewayUrl, demo.staff);
  const representative = await accessTokenOf(graph.gatewayUrl, demo.representative, demo.representative.enterpriseId);
  for (const [token, mutation, input] of [
    [staff, 'acceptCase', 'CaseStepInput'],
    [staff, 'forwardCase', 'CaseStepInput'],
    [representative, 'respondToCase', 'RespondToCaseInput'],
  ] as const) {
    const variables = { input: { id: caseId, ...(mutation === 'respondToCase' ? { reply: '可以换货。' } : {}) } };
    const answer = await graph.query(
      `mutation($input: ${input}!) { ${mutation}(input: $input) { id } }`,
      variables,
      token,
    );
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  }
}

test(
  'a complainant registers, files with evidence, and the case goes through accept, forward, reply, confirm, ' +
    'close and publish',
  async () => {
    const complainant = { contact: 'wang.xiaowu@example.org', password: 'tuihuo-tuikuan-2026' };
    let caseId = '';

    await onPage(browser, 'desk-file', 'zh-CN', async (page) => {
      await registerOnDesk(page, origin, mails(), complainant, () => expectNoSeriousAxeViolations(page));
      await page.getByLabel('你的姓名').fill('王小五');
      await page.getByLabel('手机号（与邮箱至少填一项）').fill('13800138000');
      await page.getByLabel('被投诉的商家').fill(REPRESENTED);
      await page.getByLabel('商家的网店链接或地址').fill('https://shop.example.com/youpin');
      await page.getByLabel('行业').selectOption('ECOMMERCE');
      await page.getByLabel('问题类型').selectOption('REFUND');
      await page.getByLabel('标题').fill('退货后未退款');
      await page.getByLabel('事情经过').fill('11月3日退回商品，商家签收后两周仍未退款。');
      await page.getByLabel('你的诉求').fill('退还货款 499 元');
      await page.getByLabel('金额（元）').fill('499');
      await page.getByLabel('发生日期').fill('2026-11-01');
      await page.getByLabel('证据（图片、PDF 或文本）').setInputFiles({
        name: 'receipt.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('订单 20261101-0001 退货签收记录'),
      });
      await page.getByText('已上传').waitFor();
      await expect(page.locator('.uploads progress').evaluate((bar: HTMLProgressElement) => bar.value)).resolves.toBe(
        1,
      );
      await expectNoSeriousAxeViolations(page);
      await page.getByRole('button', { name: '提交投诉', exact: true }).dblclick();
      await page.waitForURL(/\/desk\/cases\//);
      await page.locator('.case-status', { hasText: '已提交' }).waitFor();
      await expect(page.locator('.evidence').textContent()).resolves.toBe('receipt.txt');
      caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      await expectNoSeriousAxeViolations(page);
    });

    // The double click filed one case.
    const mine = await graph.query<{ myCases: { edges: unknown[] } }>(
      '{ myCases { edges { node { id } } } }',
      {},
      await accessTokenOf(graph.gatewayUrl, complainant),
    );
    expect(mine.data?.myCases.edges).toHaveLength(1);

    await act(demo.staff, caseId, '受理', '已受理');
    await act(demo.staff, caseId, '转交企业', '已转企业');

    // The representative chooses the enterprise, finds the case among those against it, and replies.
    await onPage(browser, 'desk-representative', 'zh-CN', async (page) => {
      await page.goto(`${origin}/desk`);
      await page.getByLabel('手机号或邮箱').fill(demo.representative.contact);
      await page.getByLabel('密码', { exact: true }).fill(demo.representative.password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('heading', { name: '本次以什么身份办理？' }).waitFor();
      await expectNoSeriousAxeViolations(page);
      await page.getByRole('button', { name: `代表 ${REPRESENTED}` }).click();
      await page.getByRole('heading', { name: '针对本企业的投诉' }).waitFor();
      await page.getByRole('link', { name: /退货后未退款/ }).click();
      const form = page.locator('form.case-action[data-action="RESPOND"]');
      await form.locator('textarea').fill('已为您办理退款，请查收。');
      await form.getByRole('button', { name: '答复', exact: true }).click();
      await page.locator('.case-status', { hasText: '企业已答复' }).waitFor();
      // A representative is not shown the filing's edit history.
      await expect(page.getByRole('heading', { name: '修改记录' }).count()).resolves.toBe(0);
      await expectNoSeriousAxeViolations(page);
    });

    await act(complainant, caseId, '确认已解决', '已解决');
    await act(demo.staff, caseId, '办结', '已办结', { text: '企业已退款，投诉人确认解决。' });

    await onPage(browser, 'desk-publish', 'zh-CN', async (page) => {
      await signInOnDesk(page, origin, demo.staff);
      await page.goto(`${origin}/desk/cases/${caseId}`);
      await page.getByRole('button', { name: '公开', exact: true }).click();
      await page.locator('.case-timeline li', { hasText: '公开' }).waitFor();
      await expectNoSeriousAxeViolations(page);

      await page.goto(`${origin}/cases/published`);
      const published = page.locator('[data-case]', { hasText: '退货后未退款' });
      await published.waitFor();
      await expect(published.locator('.complainant').textContent()).resolves.toBe('王**');
      await expect(published.textContent()).resolves.not.toContain('13800138000');
    });
  },
  6 * BROWSER_TEST_TIMEOUT_MS,
);

/** Opens the case on a signed-in `page`, in the page's language or in `lang`. */
async function openCase(page: Page, caseId: string, lang?: 'en'): Promise<void> {
  await page.goto(`${origin}/desk/cases/${caseId}${lang ? `?lang=${lang}` : ''}`);
  await page.locator('.case-status').waitFor();
}

test(
  'an edit is saved with its history, a refused value is marked on its field, and the case is withdrawn',
  async () => {
    const who = { contact: 'li.si@example.org', password: 'bianji-lishi-2026' };
    await onPage(browser, 'desk-edit', 'zh-CN', async (page) => {
      await registerOnDesk(page, origin, mails(), who);
    });
    const caseId = await fileThroughGraph(await accessTokenOf(graph.gatewayUrl, who), '耳机单边无声');

    await onPage(browser, 'desk-edit-history', 'zh-CN', async (page) => {
      await signInOnDesk(page, origin, who);
      await openCase(page, caseId);
      await page.getByText('修改投诉内容').click();
      await page.getByLabel('标题').fill('耳机左耳无声，换货被拒');
      await page.getByLabel('金额（元）').fill('319');
      await expectNoSeriousAxeViolations(page);
      await page.getByRole('button', { name: '保存修改' }).click();
      await page.getByRole('heading', { name: '耳机左耳无声，换货被拒' }).waitFor();
      const history = page.locator('.case-history');
      await history.locator('li li', { hasText: 'title: 耳机单边无声 → 耳机左耳无声，换货被拒' }).waitFor();
      await expect(history.textContent()).resolves.toContain('耳机左耳无声，换货被拒');
      await expect(history.textContent()).resolves.toMatch(/amount: 299.*→.*319/s);

      // A value the graph refuses is marked on its field, focused, in the page's language.
      await page.getByText('修改投诉内容').click();
      await page.getByLabel('发生日期').fill('2099-01-01');
      await page.getByRole('button', { name: '保存修改' }).click();
      await page.locator('#edit-occurredOn-error', { hasText: '日期不能晚于今天。' }).waitFor();
      const date = page.getByLabel('发生日期');
      await expect(date.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(date.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
      await expectNoSeriousAxeViolations(page);
    });

    // A refusal in English, then the withdrawal; only the actions the graph allows are offered.
    await onPage(browser, 'desk-withdraw', 'zh-CN', async (page) => {
      await signInOnDesk(page, origin, who);
      await openCase(page, caseId, 'en');
      await expect(page.getByRole('button', { name: 'Appeal', exact: true }).count()).resolves.toBe(0);
      const withdraw = page.locator('form.case-action[data-action="WITHDRAW"]');
      await withdraw.locator('textarea').fill('   ');
      await withdraw.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await withdraw.locator('.field-error', { hasText: 'This cannot be empty.' }).waitFor();
      await expect(withdraw.locator('textarea').getAttribute('aria-invalid')).resolves.toBe('true');
      await withdraw.locator('textarea').fill('Settled with the shop directly.');
      await withdraw.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await page.locator('.case-status', { hasText: 'Withdrawn' }).waitFor();
      await page.getByText('Nothing to do now.').waitFor();
    });
  },
  4 * BROWSER_TEST_TIMEOUT_MS,
);

test(
  'a complainant not satisfied with the reply says so, then appeals',
  async () => {
    const who = { contact: 'zhao.liu@example.org', password: 'bumanyi-shensu-2026' };
    await onPage(browser, 'desk-appeal-register', 'zh-CN', async (page) => {
      await registerOnDesk(page, origin, mails(), who);
    });
    const caseId = await fileThroughGraph(await accessTokenOf(graph.gatewayUrl, who), '换货被拒');
    await forwardAndReply(caseId);

    await onPage(browser, 'desk-appeal', 'zh-CN', async (page) => {
      await signInOnDesk(page, origin, who);
      await openCase(page, caseId);
      await page.getByRole('button', { name: '确认已解决', exact: true }).waitFor();
      const unsatisfied = page.locator('form.case-action[data-action="REPORT_UNSATISFIED"]');
      await unsatisfied.locator('textarea').fill('商家只同意换货但至今未发出。');
      await unsatisfied.getByRole('button', { name: '不满意', exact: true }).click();
      await page.locator('.case-status', { hasText: '未解决' }).waitFor();

      const appeal = page.locator('form.case-action[data-action="APPEAL"]');
      await appeal.locator('textarea').fill('请工作人员再次督促商家履行换货。');
      await expectNoSeriousAxeViolations(page);
      await appeal.getByRole('button', { name: '申诉', exact: true }).click();
      await page.locator('.case-status', { hasText: '已申诉' }).waitFor();
      await page.locator('.case-timeline li', { hasText: '申诉' }).waitFor();
    });
  },
  3 * BROWSER_TEST_TIMEOUT_MS,
);
