/**
 * What a person does to a form that should lose nothing and file nothing twice (issue 16), in a
 * real headless Chromium over the real graph: a double click on "submit" files one case; the
 * answer to a filing lost on the way back (the case was filed, the page saw the connection drop)
 * gives a notice that keeps every field, and submitting again files nothing new; offline, the
 * same; the back button after filing returns to the desk without filing again, and to a page's
 * criteria from its query string; a filing the cases service does not confirm says the outcome is
 * unknown and how to check. No personal data reaches the URL or localStorage.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { startSmtpSink } from '../subgraphs/cases/notify/receivers.ts';
import { accessTokenOf, type Credentials, registerOnDesk } from './desk-accounts.ts';
import { BROWSER_TEST_TIMEOUT_MS, onPage } from './page-harness.ts';

let graph: TestGraph;
let browser: Browser;
let origin: string;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  [graph, browser] = await Promise.all([startGraph({ env: { SMTP_URL: smtp.url } }), launchBrowser()]);
  origin = new URL(graph.gatewayUrl).origin;
}, 60000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
  await smtp?.stop();
});

const NAME = '赵小六';
const PHONE = '13900139000';

/** A new complainant of its own for each test (its case list starts empty). */
const complainantAccount = (name: string): Credentials => ({
  contact: `${name}@example.org`,
  password: `${name}-密码-long-enough`,
});

/** Registers `who` on the desk (the code from the SMTP test server) and returns their access token. */
async function registerAndSignIn(page: Page, who: Credentials): Promise<string> {
  await registerOnDesk(page, origin, smtp.mails, who);
  return accessTokenOf(graph.gatewayUrl, who);
}

async function fillCaseForm(page: Page, title: string): Promise<void> {
  await page.getByLabel('你的姓名').fill(NAME);
  await page.getByLabel('手机号（与邮箱至少填一项）').fill(PHONE);
  await page.getByLabel('被投诉的商家').fill('演示速购网络科技有限公司');
  await page.getByLabel('商家的网店链接或地址').fill('https://shop.example.com/sugou');
  await page.getByLabel('行业').selectOption('ECOMMERCE');
  await page.getByLabel('问题类型').selectOption('REFUND');
  await page.getByLabel('标题').fill(title);
  await page.getByLabel('事情经过').fill('11月3日退回商品，商家签收后两周仍未退款，客服不再回复。');
  await page.getByLabel('你的诉求').fill('退还货款 199 元');
  await page.getByLabel('金额（元）').fill('199');
  await page.getByLabel('发生日期').fill('2026-11-01');
}

async function myCaseTitles(token: string): Promise<string[]> {
  const mine = await graph.query<{ myCases: { edges: Array<{ node: { title: string } }> } }>(
    '{ myCases(first: 50) { edges { node { title } } } }',
    {},
    token,
  );
  return mine.data?.myCases.edges.map((edge) => edge.node.title) ?? [];
}

/** Nothing the person typed about themselves is in the address bar or in localStorage. */
async function expectNoPersonalDataStored(page: Page): Promise<void> {
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  for (const personal of [NAME, PHONE]) {
    expect(decodeURIComponent(page.url())).not.toContain(personal);
    expect(stored).not.toContain(personal);
  }
}

const submitButton = (page: Page) => page.getByRole('button', { name: '提交投诉', exact: true });
const isSubmitCase = (body: string | null) => body?.includes('submitCase') ?? false;

test(
  'a filing whose answer is lost shows a notice, keeps the form, and filing again files it once',
  async () => {
    const who = complainantAccount('lost-answer-complainant');
    let complainant = '';
    await onPage(
      browser,
      'lost-answer',
      'zh-CN',
      async (page) => {
        complainant = await registerAndSignIn(page, who);
        await fillCaseForm(page, '回程断线的投诉');
        // The first submitCase reaches the graph (the case is filed), then its answer is dropped.
        let dropped = false;
        await page.route(`${origin}/graphql`, async (route) => {
          if (dropped || !isSubmitCase(route.request().postData())) return route.fallback();
          dropped = true;
          await route.fetch();
          await route.abort('connectionreset');
        });
        await submitButton(page).click();
        const notice = page.getByRole('alert');
        await notice.waitFor();
        await expect(notice.textContent()).resolves.toMatch(/可能已经提交.*我的投诉.*不会重复立案/);
        await expect(page.getByLabel('你的姓名').inputValue()).resolves.toBe(NAME);
        await expect(page.getByLabel('标题').inputValue()).resolves.toBe('回程断线的投诉');
        await expect(myCaseTitles(complainant)).resolves.toEqual(['回程断线的投诉']);
        // Where the notice says to look, the complaint is listed.
        await page.locator('.case-list li', { hasText: '回程断线的投诉' }).waitFor();

        await submitButton(page).click();
        await page.waitForURL(/\/desk\/cases\//);
        await expect(myCaseTitles(complainant)).resolves.toEqual(['回程断线的投诉']);
        await expectNoPersonalDataStored(page);
      },
      [/ERR_CONNECTION_RESET/],
    );
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'offline, submitting shows a notice and keeps the form; back online, submitting again files one case',
  async () => {
    const who = complainantAccount('offline-complainant');
    let complainant = '';
    await onPage(
      browser,
      'offline',
      'zh-CN',
      async (page) => {
        complainant = await registerAndSignIn(page, who);
        await fillCaseForm(page, '断网时提交的投诉');
        await page.context().setOffline(true);
        await submitButton(page).click();
        const notice = page.getByRole('alert');
        await notice.waitFor();
        await expect(notice.textContent()).resolves.toMatch(/连接中断.*可能已经提交.*我的投诉/);
        await expect(page.getByLabel('你的姓名').inputValue()).resolves.toBe(NAME);
        await expect(myCaseTitles(complainant)).resolves.toEqual([]);
        // The same notice in English, the form still filled in.
        await page.getByTestId('lang-switch').click();
        await expect(notice.textContent()).resolves.toMatch(/connection was lost.*may or may not.*My complaints/);
        await expect(page.getByLabel('Your name').inputValue()).resolves.toBe(NAME);

        await page.context().setOffline(false);
        await page.getByRole('button', { name: 'File the complaint', exact: true }).dblclick();
        await page.waitForURL(/\/desk\/cases\//);
        await expect(myCaseTitles(complainant)).resolves.toEqual(['断网时提交的投诉']);
        await expectNoPersonalDataStored(page);
      },
      [/ERR_INTERNET_DISCONNECTED/],
    );
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the back button after filing returns to the desk and files nothing again; a page comes back with its criteria',
  async () => {
    const who = complainantAccount('back-button-complainant');
    let complainant = '';
    await onPage(browser, 'back-button', 'zh-CN', async (page) => {
      const submissions: string[] = [];
      page.on('request', (request) => {
        if (isSubmitCase(request.postData())) submissions.push(request.url());
      });
      complainant = await registerAndSignIn(page, who);
      await fillCaseForm(page, '按返回键的投诉');
      await submitButton(page).dblclick();
      await page.waitForURL(/\/desk\/cases\//);
      await page.locator('.case-status').waitFor();

      await page.goBack();
      await page.waitForURL(`${origin}/desk`);
      await submitButton(page).waitFor();
      await page.goForward();
      await page.locator('.case-status').waitFor();
      expect(submissions).toHaveLength(1);
      await expect(myCaseTitles(complainant)).resolves.toEqual(['按返回键的投诉']);
      await expectNoPersonalDataStored(page);

      const criteria = '/rankings?industry=TELECOM&window=ALL_TIME&metric=COMPLETION_RATE&minComplaints=0';
      await page.goto(`${origin}${criteria}`);
      await page.locator('h1').waitFor();
      await page.getByRole('navigation').getByRole('link', { name: '投诉渠道' }).click();
      await page.waitForURL(/\/channels/);
      await page.goBack();
      await page.waitForURL(`${origin}${criteria}`);
      await expect(page.getByLabel('行业').inputValue()).resolves.toBe('TELECOM');
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

// Last: it stops the cases subgraph of this file's graph.
test(
  'a filing the cases service does not confirm says the outcome is unknown and how to check, not "try later"',
  async () => {
    const who = complainantAccount('unavailable-complainant');
    await onPage(browser, 'filing-unavailable', 'zh-CN', async (page) => {
      await registerOnDesk(page, origin, smtp.mails, who);
      await fillCaseForm(page, '服务不可用时的投诉');
      await graph.subgraphs.cases.stop();
      await submitButton(page).click();
      const notice = page.locator('form.file-case [role="alert"]');
      await notice.waitFor();
      await expect(notice.textContent()).resolves.toMatch(
        /投诉受理没有确认这次提交.*可能已经提交.*我的投诉.*不会重复立案/,
      );
      await expect(notice.textContent()).resolves.not.toContain('稍后再试');
      await expect(page.getByLabel('标题').inputValue()).resolves.toBe('服务不可用时的投诉');
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);
