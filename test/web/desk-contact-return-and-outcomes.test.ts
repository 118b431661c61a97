/**
 * Three things a person meets on the desk (issue 16, "Behaviour people expect"), in a real headless
 * Chromium over the real graph with the demo accounts: the filing form asks for a phone or an
 * e-mail, at least one, and shows the graph's refusal of neither on the field, in both languages; a
 * representative who left before choosing whom to act for is asked again when they come back, and
 * can switch from the desk's header; a staff action whose answer is lost, or that the cases
 * service does not confirm, says the outcome is unknown and that repeating is safe, and a repeat
 * of one that took effect is explained as already done, with the case reloaded.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { startSmtpSink } from '../subgraphs/cases/notify/receivers.ts';
import { expectNoSeriousAxeViolations } from './axe.ts';
import { accessTokenOf, demoAccounts, registerOnDesk, signInOnDesk } from './desk-accounts.ts';
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

/** Fills the filing form by its fields' ids (the same in both languages), leaving phone and e-mail empty. */
async function fillAllButContact(page: Page, title: string): Promise<void> {
  await page.locator('#case-name').fill('钱小七');
  await page.locator('#case-respondent').fill(REPRESENTED);
  await page.locator('#case-respondentWhere').fill('https://shop.example.com/youpin');
  await page.locator('#case-industry').selectOption('ECOMMERCE');
  await page.locator('#case-issueType').selectOption('REFUND');
  await page.locator('#case-title').fill(title);
  await page.locator('#case-description').fill('11月3日退回商品，商家签收后两周仍未退款。');
  await page.locator('#case-demands').fill('退还货款 99 元');
  await page.locator('#case-amount').fill('99');
  await page.locator('#case-occurredOn').fill('2026-11-01');
}

test(
  'the filing form asks for a phone or an e-mail: neither is refused on the field, an e-mail alone files',
  async () => {
    const who = { contact: 'qian.xiaoqi@example.org', password: 'youxiang-qian-2026' };
    await onPage(browser, 'desk-contact-zh', 'zh-CN', async (page) => {
      await registerOnDesk(page, origin, smtp.mails, who);
      await page.getByLabel('手机号（与邮箱至少填一项）').waitFor();
      await page.getByLabel('电子邮箱（与手机号至少填一项）').waitFor();
      await fillAllButContact(page, '没有留联系方式');
      await page.getByRole('button', { name: '提交投诉', exact: true }).click();
      await page.locator('#case-error-phone', { hasText: '请填写 11 位手机号或电子邮箱。' }).waitFor();
      const phone = page.locator('#case-phone');
      await expect(phone.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(phone.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
      await expectNoSeriousAxeViolations(page);
    });
    await onPage(browser, 'desk-contact-en', 'zh-CN', async (page) => {
      await signInOnDesk(page, origin, who);
      await page.goto(`${origin}/desk?lang=en`);
      await page.getByLabel('Mobile number (this or the e-mail, at least one)').waitFor();
      await fillAllButContact(page, '只留了邮箱');
      await page.getByRole('button', { name: 'File the complaint', exact: true }).click();
      await page
        .locator('#case-error-phone', { hasText: 'Enter an 11-digit mobile number or an e-mail address.' })
        .waitFor();
      await page.getByLabel('E-mail (this or the mobile number, at least one)').fill('qian.xiaoqi@example.org');
      await page.getByRole('button', { name: 'File the complaint', exact: true }).click();
      await page.waitForURL(/\/desk\/cases\//);
      await page.locator('.case-status', { hasText: 'Submitted' }).waitFor();
    });
  },
  3 * BROWSER_TEST_TIMEOUT_MS,
);

test(
  'a representative who left before choosing is asked again on return, and switches from the header',
  async () => {
    await onPage(browser, 'desk-return-choice', 'zh-CN', async (page) => {
      await page.goto(`${origin}/desk`);
      await page.getByLabel('手机号或邮箱').fill(demo.representative.contact);
      await page.getByLabel('密码', { exact: true }).fill(demo.representative.password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('heading', { name: '本次以什么身份办理？' }).waitFor();
      // They leave without choosing; the sign-in's refresh cookie is already set.
      await page.goto(`${origin}/`);
      await page.goto(`${origin}/desk`);
      await page.getByRole('heading', { name: '本次以什么身份办理？' }).waitFor();
      await expect(page.getByRole('heading', { name: '我的投诉' }).count()).resolves.toBe(0);
      await expectNoSeriousAxeViolations(page);
      await page.getByRole('button', { name: `代表 ${REPRESENTED}` }).click();
      await page.getByRole('heading', { name: '针对本企业的投诉' }).waitFor();

      // The choice is the sign-in's: a reload keeps it, and the cookie's rules are unchanged.
      await page.reload();
      await page.getByRole('heading', { name: '针对本企业的投诉' }).waitFor();
      const cookie = (await page.context().cookies(`${origin}/graphql`)).find((c) => c.name === 'weiquan_refresh');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/graphql' });

      await page.getByRole('button', { name: '切换办理身份' }).click();
      await page.getByRole('button', { name: '以投诉人身份' }).click();
      await page.getByRole('heading', { name: '我的投诉' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: '本次以什么身份办理？' }).waitFor();
    });
  },
  2 * BROWSER_TEST_TIMEOUT_MS,
);

/** A case filed by a new complainant through the graph, waiting for staff to accept it. */
async function submittedCase(title: string): Promise<string> {
  const who = { contact: 'sun.ba@example.org', password: 'shouli-sunba-2026' };
  await onPage(browser, 'desk-outcome-register', 'zh-CN', async (page) => {
    await registerOnDesk(page, origin, smtp.mails, who);
  });
  const filed = await graph.query<{ submitCase: { id: string } }>(
    `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`,
    {
      input: {
        complainant: { name: '孙八', email: 'sun.ba@example.org' },
        respondent: { name: REPRESENTED, storeUrl: 'https://shop.example.com/youpin' },
        industry: 'ECOMMERCE',
        issueType: 'PRODUCT_QUALITY',
        title,
        description: '11月2日收到的台灯通电后不亮，联系客服要求退货被拒绝。',
        demands: '退货退款',
        amount: 129,
        occurredOn: '2026-11-02',
      },
    },
    await accessTokenOf(graph.gatewayUrl, who),
  );
  if (!filed.data) throw new Error(JSON.stringify(filed.errors));
  return filed.data.submitCase.id;
}

const isMutation = (body: string | null, name: string) => (body ?? '').includes(name);

// Last: it stops the cases subgraph of this file's graph.
test(
  'a staff action whose outcome is unknown says so and that repeating is safe; a repeat is explained as done',
  async () => {
    const caseId = await submittedCase('台灯不亮');
    await onPage(
      browser,
      'desk-action-outcome',
      'zh-CN',
      async (page) => {
        await signInOnDesk(page, origin, demo.staff);
        await page.goto(`${origin}/desk/cases/${caseId}`);
        await page.locator('.case-status', { hasText: '已提交' }).waitFor();

        // The acceptance reaches the graph (it is applied), then its answer is lost on the way back.
        let dropped = false;
        await page.route(`${origin}/graphql`, async (route) => {
          if (dropped || !isMutation(route.request().postData(), 'acceptCase')) return route.fallback();
          dropped = true;
          await route.fetch();
          await route.abort('connectionreset');
        });
        const accept = page.locator('form.case-action[data-action="ACCEPT"]');
        await accept.getByRole('button', { name: '受理', exact: true }).click();
        const lost = accept.getByRole('alert');
        await lost.waitFor();
        await expect(lost.textContent()).resolves.toMatch(/可能已经生效.*重新载入.*再做一次.*不会重复执行/);
        await expect(lost.textContent()).resolves.not.toContain('稍后再试');
        await accept.getByRole('button', { name: '重新载入这件投诉' }).waitFor();

        // Repeating it is refused as CONFLICT: the page says it was already done and shows where the case stands.
        await accept.getByRole('button', { name: '受理', exact: true }).click();
        await page.locator('.case-notice', { hasText: '此操作已经完成，或这件投诉已有新的进展' }).waitFor();
        await page.locator('.case-status', { hasText: '已受理' }).waitFor();
        await expectNoSeriousAxeViolations(page);

        // The cases service stops during the next step: not confirmed, so the outcome is unknown.
        await graph.subgraphs.cases.stop();
        const forward = page.locator('form.case-action[data-action="FORWARD"]');
        await forward.getByRole('button', { name: '转交企业', exact: true }).click();
        const unconfirmed = forward.getByRole('alert');
        await unconfirmed.waitFor();
        await expect(unconfirmed.textContent()).resolves.toMatch(
          /投诉受理没有确认此操作.*可能已经生效.*重新载入这件投诉查看.*不会重复执行/,
        );
        await expect(unconfirmed.textContent()).resolves.not.toContain('稍后再试');
      },
      [/ERR_CONNECTION_RESET/],
    );
  },
  3 * BROWSER_TEST_TIMEOUT_MS,
);
