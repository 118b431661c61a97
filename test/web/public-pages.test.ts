/**
 * The public pages in a real headless Chromium over the real graph with the demo data seeded:
 * rankings (table, CSV download compared with it, chart, methodology), a channel search in Chinese
 * and a channel's deadline calculator, an enterprise with its trend chart, the published-cases
 * feed, and the enterprise page with the cases subgraph stopped (the rest of the page and a notice).
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { expectNoSeriousAxeViolations } from './axe.ts';
import { BROWSER_TEST_TIMEOUT_MS, onPage, saveDocsScreenshot } from './page-harness.ts';

let graph: TestGraph;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  [graph, browser] = await Promise.all([startGraph({ env: { SEED_DEMO: 'true' } }), launchBrowser()]);
  origin = new URL(graph.gatewayUrl).origin;
}, 60000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
});

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks), the byte-order mark dropped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quoted && char === '"' && body[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && char === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += char;
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

test(
  'the ranking table, its CSV download matching it, the chart and the methodology',
  async () => {
    await onPage(browser, 'rankings-zh', 'zh-CN', async (page) => {
      await page.goto(`${origin}/rankings?industry=ECOMMERCE&window=ALL_TIME&metric=WILSON_SCORE&minComplaints=0`);
      await page.locator('.ranking-table tbody tr').first().waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe('企业投诉处理排行');
      const tableNames = await page.locator('.ranking-table tbody th').allTextContents();
      const tablePositions = await page.locator('.ranking-table tbody td:first-child').allTextContents();
      expect(tableNames.length).toBeGreaterThan(1);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('下载 CSV').click()]);
      const [header, ...rows] = parseCsv(readFileSync(await download.path(), 'utf8'));
      const name = header.indexOf('name');
      const position = header.indexOf('position');
      expect(rows.slice(0, tableNames.length).map((row) => row[name])).toEqual(tableNames);
      expect(rows.slice(0, tableNames.length).map((row) => row[position])).toEqual(
        tablePositions.map((shown) => shown.replace(/\D+/g, '')),
      );

      const chart = page.locator('.ranking-chart');
      await expect(chart.getAttribute('data-bars')).resolves.toBe(String(tableNames.length));
      const drawn = await chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => canvas.width > 0);
      expect(drawn).toBe(true);
      await expect(page.locator('.methodology').textContent()).resolves.toContain('Asia/Shanghai');
      await expectNoSeriousAxeViolations(page);
      await saveDocsScreenshot(page, 'rankings.png', 'h1');
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'a channel search in Chinese finds the postal channel, whose page calculates deadlines',
  async () => {
    await onPage(browser, 'channels-zh', 'zh-CN', async (page) => {
      await page.goto(`${origin}/channels`);
      await page.getByLabel('名称或别名（中文或英文）').fill('快递');
      await page.getByLabel('名称或别名（中文或英文）').press('Enter');
      await page.waitForURL(/q=%E5%BF%AB%E9%80%92/);
      const link = page.getByRole('link', { name: '国家邮政局邮政业用户申诉' });
      await link.waitFor();
      await expectNoSeriousAxeViolations(page);

      await link.click();
      await page.getByRole('heading', { level: 1, name: '国家邮政局邮政业用户申诉' }).waitFor();
      await page.getByLabel('如果我在这一天投诉').fill('2026-11-23');
      await page.getByRole('button', { name: '计算' }).click();
      await page.locator('.deadlines li').first().waitFor();
      const deadlines = await page.locator('.deadlines li strong').allTextContents();
      expect(deadlines.some((due) => /^2026-1[12]-\d\d$/.test(due))).toBe(true);
      expect(new URL(page.url()).searchParams.get('from')).toBe('2026-11-23');
      await expectNoSeriousAxeViolations(page);
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

async function firstRankedEnterprise(): Promise<{ id: string; name: string }> {
  const response = await graph.query<{
    rankings: { edges: Array<{ node: { name: string; enterprise: { id: string } } }> };
  }>(
    '{ rankings(industry: ECOMMERCE, window: ALL_TIME, minComplaints: 0, first: 1) ' +
      '{ edges { node { name enterprise { id } } } } }',
  );
  const node = response.data!.rankings.edges[0].node;
  return { id: node.enterprise.id, name: node.name };
}

test(
  'an enterprise page shows its figures in every window and its 24-month trend chart',
  async () => {
    const enterprise = await firstRankedEnterprise();
    await onPage(browser, 'enterprise-en', 'en-US', async (page) => {
      await page.goto(`${origin}/enterprises/${enterprise.id}`);
      await expect(page.locator('h1').textContent()).resolves.toBe(enterprise.name);
      await expect(page.locator('.ranking-table tbody tr').count()).resolves.toBe(5);
      const chart = page.locator('.trend-chart');
      await chart.locator('canvas').waitFor();
      await expect(chart.getAttribute('data-months')).resolves.toBe('24');
      await expect(page.locator('.listings li').count()).resolves.toBeGreaterThan(0);
      await expectNoSeriousAxeViolations(page);
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the published-cases feed shows each case with the complainant’s name masked',
  async () => {
    await onPage(browser, 'published-zh', 'zh-CN', async (page) => {
      await page.goto(`${origin}/cases/published`);
      await page.locator('[data-case]').first().waitFor();
      const names = await page.locator('.complainant').allTextContents();
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(name).toMatch(/^.\*+$/);
      await expectNoSeriousAxeViolations(page);
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the red/black lists and the listing sources pages show what the graph reports',
  async () => {
    await onPage(browser, 'lists-sources-en', 'en-US', async (page) => {
      await page.goto(`${origin}/lists`);
      await page.locator('[data-snapshot], .lists-page .empty').first().waitFor();
      await expectNoSeriousAxeViolations(page);
      await page.goto(`${origin}/sources`);
      await page.locator('[data-source="blackcat"]').waitFor();
      await expect(page.locator('[data-source]').count()).resolves.toBeGreaterThanOrEqual(3);
      await expectNoSeriousAxeViolations(page);
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);

// Last: it stops the cases subgraph of this file's graph.
test(
  'with the cases subgraph stopped, the enterprise page shows the rest and names what is missing',
  async () => {
    const enterprise = await firstRankedEnterprise();
    await graph.subgraphs.cases.stop();
    await onPage(browser, 'enterprise-partial', 'zh-CN', async (page) => {
      await page.goto(`${origin}/enterprises/${enterprise.id}`);
      await expect(page.locator('h1').textContent()).resolves.toBe(enterprise.name);
      await page.locator('.trend-chart canvas').waitFor();
      // The enterprise's own query and the published-cases section each say what is missing.
      await page.locator('.error-notice').first().waitFor();
      const notices = await page.locator('.error-notice').allTextContents();
      expect(new Set(notices)).toEqual(new Set(['投诉受理暂时无法访问，页面的其余部分照常显示。请稍后再试。']));
      await expect(page.locator('.channel-list li').count()).resolves.toBeGreaterThan(0);
      await expect(page.locator('.ranking-table tbody tr').count()).resolves.toBe(5);
    });
  },
  BROWSER_TEST_TIMEOUT_MS,
);
