/**
 * `/rankings` in a real headless Chromium over the real graph with the demo data seeded: the table,
 * the CSV download of the same ranking (parsed and compared with the table), the chart, and the
 * methodology panel.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';
import { expectNoSeriousAxeViolations } from './axe.ts';
import { onPage, saveDocsScreenshot } from './page-harness.ts';

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

test('the ranking table, its CSV download matching it, the chart and the methodology', async () => {
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
});
