/**
 * The desk's session in a real headless Chromium: the refresh token is an HttpOnly, Secure,
 * SameSite=Strict cookie for /graphql that page script cannot read, no token is put in web storage,
 * a reload signs in again from the cookie, signing out clears it, the session renews itself before
 * its access token expires, and a forgotten password is reset with a mailed code. Access tokens
 * live 6 s here (ACCESS_TOKEN_LIFETIME_SECONDS), so the renewal is seen within seconds; the server
 * checks expiry on its real clock, so the renewal test waits, once, until the first token has
 * really expired.
 */
import type { Browser, Page, Request, Response } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { codeInMail, type ReceivedMail, startSmtpSink, whenReceived } from '../subgraphs/cases/notify/receivers.ts';
import { expectNoSeriousAxeViolations } from './axe.ts';
import { registerOnDesk } from './desk-accounts.ts';
import { BROWSER_TEST_TIMEOUT_MS, onPage } from './page-harness.ts';

let graph: TestGraph;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let origin: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  [graph, browser] = await Promise.all([
    startGraph({ env: { SMTP_URL: smtp.url, ACCESS_TOKEN_LIFETIME_SECONDS: '6' } }),
    launchBrowser(),
  ]);
  origin = new URL(graph.gatewayUrl).origin;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
  await smtp?.stop();
});

async function refreshCookie(page: Page) {
  return (await page.context().cookies(`${origin}/graphql`)).find((cookie) => cookie.name === 'weiquan_refresh');
}

const isSessionRenewal = async (response: Response) =>
  (response.request().postData() ?? '').includes('refreshSession') && (await response.text()).includes('accessToken');

test(
  'the refresh token is an HttpOnly cookie page script cannot read, a reload signs in from it, signing out clears it',
  async () => {
    await onPage(browser, 'desk-cookie', 'zh-CN', async (page) => {
      await page.goto(`${origin}/desk`);
      await expectNoSeriousAxeViolations(page);
      await page.getByRole('button', { name: '还没有账户？用手机号或邮箱注册' }).click();
      await page.getByLabel('手机号或邮箱').fill('cookie@example.org');
      await page.getByLabel('设置密码（10 到 128 个字符）').fill('short');
      await page.getByRole('button', { name: '注册并发送验证码' }).click();
      // The graph's refusal is on the password field, focused, in the page's language.
      await page.locator('#register-password-error', { hasText: '密码需要 10 到 128 个字符。' }).waitFor();
      await expect(
        page.locator('#register-password').evaluate((input) => input === document.activeElement),
      ).resolves.toBe(true);
      await expectNoSeriousAxeViolations(page);
      await registerOnDesk(
        page,
        origin,
        smtp.mails,
        { contact: 'cookie@example.org', password: 'cookie-jar-2026' },
        () => expectNoSeriousAxeViolations(page),
      );
      const cookie = await refreshCookie(page);
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/graphql' });
      await expect(page.evaluate(() => document.cookie)).resolves.not.toContain('weiquan_refresh');
      const storage = () => page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
      await expect(storage()).resolves.toEqual({ local: {}, session: {} });
      await expectNoSeriousAxeViolations(page);

      // A reload keeps nothing in the page: the cookie signs it in again, and is rotated.
      await page.reload();
      await page.getByRole('button', { name: '退出' }).waitFor();
      expect((await refreshCookie(page))?.value).not.toBe(cookie?.value);
      await expect(storage()).resolves.toEqual({ local: {}, session: {} });

      await page.getByRole('button', { name: '退出' }).click();
      await page.getByRole('button', { name: '登录', exact: true }).waitFor();
      await expect(refreshCookie(page)).resolves.toBeUndefined();
      await page.reload();
      await page.getByLabel('手机号或邮箱').fill('cookie@example.org');
      await page.getByLabel('密码', { exact: true }).fill('not-the-password');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.locator('.error-notice', { hasText: '手机号、邮箱或密码不正确' }).waitFor();
      await page.getByLabel('密码', { exact: true }).fill('cookie-jar-2026');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('button', { name: '退出' }).waitFor();
    });
  },
  2 * BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the session renews itself before the access token expires, and the page keeps working after it has',
  async () => {
    await onPage(browser, 'desk-renewal', 'zh-CN', async (page) => {
      const bearers: string[] = [];
      page.on('request', (request: Request) => {
        const authorization = request.headers().authorization;
        if (authorization) bearers.push(authorization.replace(/^Bearer /, ''));
      });
      const renewed = page.waitForResponse(isSessionRenewal, { timeout: BROWSER_TEST_TIMEOUT_MS / 2 });
      await registerOnDesk(page, origin, smtp.mails, { contact: 'renewal@example.org', password: 'renew-before-2026' });
      await page.locator('.case-list, .empty').first().waitFor();
      const first = bearers[0];
      expect(first).toBeDefined();
      await renewed;

      // Wait until the first access token has expired on the server's clock, and check it has.
      const { exp } = JSON.parse(Buffer.from(first.split('.')[1], 'base64url').toString('utf8')) as { exp: number };
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 + 1000 - Date.now())));
      const expired = await graph.query('{ me { id } }', {}, first);
      expect(expired.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      // The page, never reloaded, files a complaint with its renewed token.
      await page.getByLabel('你的姓名').fill('周续期');
      await page.getByLabel('手机号（与邮箱至少填一项）').fill('13700137000');
      await page.getByLabel('被投诉的商家').fill('演示速购网络科技有限公司');
      await page.getByLabel('商家的网店链接或地址').fill('https://shop.example.com/sugou');
      await page.getByLabel('行业').selectOption('ECOMMERCE');
      await page.getByLabel('问题类型').selectOption('DELIVERY');
      await page.getByLabel('标题').fill('快递显示签收但未收到');
      await page.getByLabel('事情经过').fill('11月5日物流显示已签收，但本人从未收到包裹，联系商家无果。');
      await page.getByLabel('你的诉求').fill('补发商品');
      await page.getByLabel('金额（元）').fill('89');
      await page.getByLabel('发生日期').fill('2026-11-05');
      await page.getByRole('button', { name: '提交投诉', exact: true }).click();
      await page.waitForURL(/\/desk\/cases\//);
      await page.locator('.case-status', { hasText: '已提交' }).waitFor();
      expect(bearers.at(-1)).not.toBe(first);
    });
  },
  2 * BROWSER_TEST_TIMEOUT_MS,
);

test(
  'a forgotten password is reset with a code sent to the contact, and the new one signs in',
  async () => {
    const who = { contact: 'forgot@example.org', password: 'first-password-2026' };
    await onPage(browser, 'desk-reset', 'zh-CN', async (page) => {
      await registerOnDesk(page, origin, smtp.mails, who);
      await page.getByRole('button', { name: '退出' }).click();
      await page.getByRole('button', { name: '忘记密码？' }).click();
      await page.getByLabel('手机号或邮箱').fill(who.contact);
      const before = smtp.mails.filter((mail) => mail.to.includes(who.contact)).length;
      await page.getByRole('button', { name: '发送验证码' }).click();
      await page.getByLabel('验证码', { exact: true }).waitFor();
      await whenReceived(() => smtp.mails.filter((mail) => mail.to.includes(who.contact)).length > before, 'the mail');
      const code = codeInMail(smtp.mails.filter((mail) => mail.to.includes(who.contact)).at(-1) as ReceivedMail);
      await page.getByLabel('验证码', { exact: true }).fill(code);
      await page.getByLabel('新密码（10 到 128 个字符）').fill('second-password-2026');
      await expectNoSeriousAxeViolations(page);
      await page.getByRole('button', { name: '设置新密码' }).click();
      await page.getByText('密码已修改，所有登录已退出。请用新密码登录。').waitFor();
      await page.getByLabel('手机号或邮箱').fill(who.contact);
      await page.getByLabel('密码', { exact: true }).fill('second-password-2026');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('button', { name: '退出' }).waitFor();
    });
  },
  2 * BROWSER_TEST_TIMEOUT_MS,
);
