/**
 * One page of a browser test: a fresh context whose languages are `locale` (so the browser sends
 * that Accept-Language) on a phone-sized window. The test fails on any console error (a CSP
 * violation shows as one) and, when it fails, saves a screenshot under test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS_DIR, screenshotOnFailure } from '../support/browser.ts';
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Per browser test: a few seconds on an idle machine, but CI and shared 2-core machines run it
 * under load, where jest's 30 s default leaves too little margin.
 */
export const BROWSER_TEST_TIMEOUT_MS = 90_000;

export async function onPage(
  browser: Browser,
  name: string,
  locale: string,
  body: (page: Page) => Promise<void>,
  /** Console errors the test causes on purpose (a connection it cuts), not counted as failures. */
  expectedConsoleErrors: RegExp[] = [],
): Promise<void> {
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  try {
    context = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, acceptDownloads: true });
    context.setDefaultTimeout(BROWSER_TEST_TIMEOUT_MS / 2);
    page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await body(page);
    expect(consoleErrors.filter((error) => !expectedConsoleErrors.some((expected) => expected.test(error)))).toEqual(
      [],
    );
  } catch (error) {
    const shot = await screenshotOnFailure(page, name).catch(() => undefined);
    if (shot) console.error(`screenshot of the failed page: ${shot}`);
    throw error;
  } finally {
    await context?.close();
  }
}

/** `WEB_SCREENSHOTS=docs npm test` refreshes the README's screenshots (docs/screenshots/). */
const DOCS_SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/**
 * A laptop-sized screenshot from `selector` down, into test-artifacts/ and, with
 * WEB_SCREENSHOTS=docs, into docs/screenshots/ for the README.
 */
export async function saveDocsScreenshot(page: Page, name: string, selector: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, name);
  await page.setViewportSize({ width: 1100, height: 1300 });
  await page.locator(selector).evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path });
  if (process.env.WEB_SCREENSHOTS === 'docs') {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(path, join(DOCS_SCREENSHOTS, name));
  }
}
