/**
 * The whole life of a case through the desk pages, in a real headless Chromium over the real
 * graph, each role signed in with a development token as a person would paste it: a complainant
 * files a case with evidence (double-clicking submit), staff accept and forward it, the business
 * replies, the complainant confirms, staff close and publish it, and the public feed shows it with
 * the complainant's name masked.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { expectNoSeriousAxeViolations } from './axe.ts';
import { BROWSER_TEST_TIMEOUT_MS, onPage } from './page-harness.ts';

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

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${origin}/desk`);
  await page.getByLabel('令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('退出').waitFor();
}

/** Opens the case as the holder of `token` and takes `action` (its button's label), then waits for `status`. */
async function act(token: string, caseId: string, action: string, status: string, text?: string): Promise<void> {
  await onPage(browser, `desk-${action}`, 'zh-CN', async (page) => {
    await signIn(page, token);
    await page.goto(`${origin}/desk/cases/${caseId}`);
    const button = page.getByRole('button', { name: action, exact: true });
    await button.waitFor();
    if (text) await button.locator('xpath=ancestor::form').locator('textarea').fill(text);
    await button.click();
    await page.locator('.case-status', { hasText: status }).waitFor();
  });
}

test(
  'a case filed with evidence goes through accept, forward, reply, confirm, close and publish',
  async () => {
    const complainant = await graph.tokenFor('complainant', 'web-complainant');
    const staff = await graph.tokenFor('staff', 'web-staff');
    let caseId = '';

    await onPage(browser, 'desk-file', 'zh-CN', async (page) => {
      await signIn(page, complainant);
      await page.getByLabel('你的姓名').fill('王小五');
      await page.getByLabel('手机号（可不填）').fill('13800138000');
      await page.getByLabel('被投诉的商家').fill('演示速购网络科技有限公司');
      await page.getByLabel('商家的网店链接或地址').fill('https://shop.example.com/sugou');
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
      complainant,
    );
    expect(mine.data?.myCases.edges).toHaveLength(1);

    await act(staff, caseId, '受理', '已受理');
    await act(staff, caseId, '转交企业', '已转企业');
    const respondent = await graph.query<{ case: { respondent: { id: string } } }>(
      'query($id: ID!) { case(id: $id) { respondent { id } } }',
      { id: caseId },
      staff,
    );
    const enterprise = await graph.tokenFor('enterprise', 'web-rep', respondent.data!.case.respondent.id);
    await act(enterprise, caseId, '答复', '企业已答复', '已为您办理退款，请查收。');
    await act(complainant, caseId, '确认已解决', '已解决');
    await act(staff, caseId, '办结', '已办结', '企业已退款，投诉人确认解决。');

    await onPage(browser, 'desk-publish', 'zh-CN', async (page) => {
      await signIn(page, staff);
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
  4 * BROWSER_TEST_TIMEOUT_MS,
);
