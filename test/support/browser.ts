/** Browser-test helpers: the browser (scripts/chromium.ts) and screenshots of failed tests. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export { findChrome, launchBrowser } from '../../scripts/chromium.ts';

/** Where failure screenshots go (git-ignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** Saves a screenshot of `page` named after the test, for a test that failed. */
export async function screenshotOnFailure(page: Page | undefined, testName: string): Promise<string | undefined> {
  if (!page || page.isClosed()) return undefined;
  if (!existsSync(ARTIFACTS_DIR)) mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${testName.replace(/[^\w.-]+/g, '_').slice(0, 100)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
