/**
 * The where-to-complain page (`/`) in a real headless Chromium, against the real graph with the
 * gateway serving the built site (npm test builds it first: scripts/build-web.ts). Each test
 * asserts what a person sees, and saves a screenshot under test-artifacts/ when it fails.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { expectNoSeriousAxeViolations } from './axe.ts';
import { BROWSER_TEST_TIMEOUT_MS, onPage, saveDocsScreenshot } from './page-harness.ts';

/** The README's telecom example: billing, the operator asked on 10 November, no answer by the 22nd. */
const TELECOM_EXAMPLE =
  '/?industry=TELECOM&issueType=BILLING&occurredOn=2026-11-01&amount=30' +
  '&contactedBusinessOn=2026-11-10&businessOutcome=NO_REPLY&asOf=2026-11-22';

let graph: TestGraph;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  [graph, browser] = await Promise.all([startGraph(), launchBrowser()]);
  origin = new URL(graph.gatewayUrl).origin;
}, 60000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
});

const card = (page: Page, channelId: string) => page.locator(`[data-channel="${channelId}"]`);

test(
  'the telecom example, filled in the Chinese form, shows MIIT from 2026-11-26 first and 12315 outside its remit',
  async () => {
    await onPage(browser, 'telecom-zh', 'zh-CN', async (page) => {
      await page.goto(`${origin}/`);
      await expect(page.locator('h1').textContent()).resolves.toBe('我可以去哪里投诉？');
      await page.getByLabel('商家所属行业').selectOption('TELECOM');
      await page.getByLabel('问题类型').selectOption('BILLING');
      await page.getByLabel('涉及金额（元，可不填）').fill('30');
      await page.getByLabel('事情发生的日期（购买、扣费、送达）').fill('2026-11-01');
      await page.getByLabel('已经投诉过商家').check();
      await page.getByLabel('向商家投诉的日期').fill('2026-11-10');
      await page.getByLabel('商家的处理结果').selectOption('NO_REPLY');
      await page.getByText('更多选项').click();
      await page.getByLabel('按哪一天判断（默认今天，中国时间）').fill('2026-11-22');
      await page.getByRole('button', { name: '查看可以去哪里投诉' }).press('Enter');

      await card(page, 'miit-telecom').waitFor();
      await expect(card(page, 'miit-telecom').locator('.badge').textContent()).resolves.toBe('2026-11-26 起可投诉');
      // A telecom bill is outside market regulation's remit: 12315 says so, with the reason on its badge.
      await expect(card(page, '12315').locator('.badge').textContent()).resolves.toMatch(/^不受理：受理范围/);
      const order = await page
        .locator('[data-channel]')
        .evaluateAll((cards) => cards.map((element) => element.getAttribute('data-channel')));
      expect(order[0]).toBe('miit-telecom');
      expect(order.indexOf('miit-telecom')).toBeLessThan(order.indexOf('12315'));
      // The situation is in the URL, so the answer can be shared and the back button keeps it.
      const query = new URL(page.url()).searchParams;
      expect(Object.fromEntries(query)).toMatchObject({ industry: 'TELECOM', contactedBusinessOn: '2026-11-10' });
      // The timeline puts the dates in order, "eligible from" between today and the last day to file.
      const timeline = await page.locator('.timeline time').allTextContents();
      expect(timeline).toEqual([...timeline].sort());
      expect(timeline).toEqual(expect.arrayContaining(['2026-11-01', '2026-11-10', '2026-11-22', '2026-11-26']));
      await expectNoSeriousAxeViolations(page);
      await saveDocsScreenshot(page, 'where-to-complain.png', '#answers-title');
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the same link in English, and the switch back to Chinese, keep the answer',
  async () => {
    await onPage(browser, 'telecom-en', 'en-US', async (page) => {
      await page.goto(`${origin}${TELECOM_EXAMPLE}`);
      await card(page, 'miit-telecom').waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe('Where can I complain?');
      await expect(card(page, 'miit-telecom').locator('.badge').textContent()).resolves.toBe(
        'Can file from 2026-11-26',
      );
      await expect(card(page, '12315').locator('.badge').textContent()).resolves.toMatch(/^Not accepted: Scope/);
      await expect(card(page, 'miit-telecom').textContent()).resolves.toContain('File by: ');
      await expectNoSeriousAxeViolations(page);

      await page.getByRole('link', { name: '中文' }).click();
      await expect(card(page, 'miit-telecom').locator('.badge').textContent()).resolves.toBe('2026-11-26 起可投诉');
      expect(new URL(page.url()).searchParams.get('lang')).toBe('zh-CN');
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'a date the graph rejects (BAD_USER_INPUT) is marked on its field, in the page language',
  async () => {
    await onPage(browser, 'bad-user-input', 'en-US', async (page) => {
      // Complained to the business before the event happened: the graph names situation.contactedBusinessOn.
      await page.goto(
        `${origin}/?industry=TELECOM&issueType=BILLING&occurredOn=2026-11-10` +
          '&contactedBusinessOn=2026-11-01&businessOutcome=NO_REPLY&asOf=2026-11-22',
      );
      const field = page.getByLabel('When you complained to it');
      await page.locator('#error-contactedBusinessOn').waitFor();
      await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#error-contactedBusinessOn').textContent()).resolves.toBe(
        'Must be on or after 2026-11-10.',
      );
      await expect(page.getByRole('alert').textContent()).resolves.toBe(
        'Correct the field marked below, then submit again.',
      );
      await expect(field.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
      await expect(page.locator('[data-channel]').count()).resolves.toBe(0);
      await expectNoSeriousAxeViolations(page);
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the site is served with its security headers, hashed assets cached for a year',
  async () => {
    const response = await fetch(`${origin}/`, { headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' } });
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const asset = await fetch(`${origin}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
  },
  BROWSER_TEST_TIMEOUT_MS,
);
